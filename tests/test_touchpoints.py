"""Touchpoints from the study's journey definition, placed on real embeddings; the table and its change."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.tagging import DefinitionError
from pipeline.touchpoint_table import touchpoint_table
from pipeline.touchpoints import UNPLACED, load_touchpoints, stage_weights, tag_touchpoints

STAGES = """
[[stage]]
id = "customership"
name_en = "Customership"
name_fi = "Asiakkuus"

[[stage.touchpoint]]
id = "invoicing"
name_en = "Invoicing"
name_fi = "Laskutus"
examples_en = ["The invoice had the wrong amount.", "We were billed twice."]
examples_fi = ["Laskulla oli väärä summa.", "Meitä laskutettiin kahdesti."]

[[stage.touchpoint]]
id = "support"
name_en = "Customer support"
name_fi = "Asiakastuki"

[[stage]]
id = "engagement"
name_en = "Engagement"
name_fi = "Sitouttaminen"

[[stage.touchpoint]]
id = "renewal"
name_en = "Renewal"
name_fi = "Sopimuksen jatko"
examples_en = ["The contract renewed automatically.", "Renewing was easy."]
examples_fi = ["Sopimus jatkui automaattisesti.", "Jatkaminen oli helppoa."]
"""
EXAMPLES = """
[[touchpoint]]
id = "support"
description_en = "The helpdesk and support tickets."
examples_en = ["Support takes a week to answer.", "I waited an hour in the phone queue."]
examples_fi = ["Tuki vastaa viikossa.", "Odotin puhelinjonossa tunnin."]
"""


@pytest.fixture
def touchpoints(tmp_path):
    (tmp_path / "stages.toml").write_text(STAGES, encoding="utf-8")
    (tmp_path / "touchpoints.toml").write_text(EXAMPLES, encoding="utf-8")
    return load_touchpoints([tmp_path / "stages.toml"], tmp_path / "touchpoints.toml")


def test_touchpoints_come_from_the_stages_file_with_the_examples_files_texts(touchpoints):
    assert [(tp.id, tp.stage) for tp in touchpoints] == [("invoicing", "customership"), ("support", "customership"),
                                                         ("renewal", "engagement")]
    support = touchpoints[1]
    assert support.description_en == "The helpdesk and support tickets."
    assert "Tuki vastaa viikossa." in support.texts and "Asiakastuki" in support.texts


def test_a_touchpoint_without_a_name_is_a_clear_error(tmp_path):
    (tmp_path / "stages.toml").write_text('[[stage]]\nid = "x"\n[[stage.touchpoint]]\nid = "y"\n', encoding="utf-8")
    with pytest.raises(DefinitionError, match="touchpoint number 1 of stage 'x' lacks name_en, name_fi"):
        load_touchpoints([tmp_path / "stages.toml"])


def test_stage_weights_follow_the_scores_unless_a_coder_decided():
    weights = stage_weights(["customership", "engagement", ""], ["customership=0.70 engagement=0.30",
                                                                 "customership=0.60 engagement=0.40", ""],
                            ["model", "coder", "model"])
    assert weights == [{"customership": 0.7, "engagement": 0.3}, {"engagement": 1.0}, {}]


def test_statements_are_placed_on_their_touchpoint_in_both_languages(touchpoints, embedder):
    texts = ["Laskussa oli taas virheellinen summa.", "The support line never picks up the phone.",
             "Our contract was extended automatically without notice.", "Tukeen ei saa yhteyttä."]
    coded = pd.DataFrame({"text": texts, "stage": ["customership", "customership", "engagement", "customership"],
                          "subtheme_id": ["", "", "", ""]})

    def embed(batch):
        return embedder.encode(list(batch))

    placed = tag_touchpoints(coded, embed(texts), touchpoints, embed, threshold=0.0)
    assert placed["touchpoint"].tolist() == ["invoicing", "support", "renewal", "support"]
    assert placed["touchpoint_scores"].iloc[0].startswith("invoicing=")
    assert placed["touchpoint_confidence"].iloc[2] == 1.0  # the only touchpoint of a certain stage
    unsure = coded.assign(stage="")  # no stage: every touchpoint is open, none is that certain
    strict = tag_touchpoints(unsure, embed(texts), touchpoints, embed, threshold=0.999)
    assert set(strict["touchpoint"]) == {UNPLACED}


def test_the_table_counts_respondents_by_polarity_and_the_change_since_the_last_wave(touchpoints):
    segments = pd.DataFrame({
        "respondent_id": ["A", "A", "B", "C", "D"], "role": ["respondent"] * 5,
        "touchpoint": ["invoicing", "invoicing", "invoicing", "support", UNPLACED],
        "polarity": ["failure", "failure", "success", "failure", "neutral"]})
    previous = {"wave": "2026-05", "respondents": 10, "touchpoints": {"invoicing": {"respondents": 1},
                                                                      "renewal": {"respondents": 2}}}
    table = touchpoint_table(segments, touchpoints, total=4, lang="fi", previous=previous).set_index("touchpoint")
    assert table.loc["invoicing", ["respondents", "mentions", "success_respondents", "failure_respondents"]
                     ].tolist() == [2, 3, 1, 1]
    assert table.loc["invoicing", "share_of_respondents"] == 0.5
    assert table.loc["invoicing", "change_points"] == 40.0  # 10 % -> 50 %
    assert table.loc["renewal", "respondents"] == 0 and table.loc["renewal", "change_points"] == -20.0
    assert table.loc["invoicing", "name"] == "Laskutus" and list(table.index)[-1] == UNPLACED
    fresh = touchpoint_table(segments, touchpoints, total=4)
    assert fresh["change_points"].isna().all() and "renewal" not in set(fresh["touchpoint"])


def test_no_touchpoint_column_gives_an_empty_table(touchpoints):
    table = touchpoint_table(pd.DataFrame({"respondent_id": ["A"], "role": ["respondent"]}), touchpoints, 1)
    assert table.empty
