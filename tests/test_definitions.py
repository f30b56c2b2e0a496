"""The one resolver of definitions files: the study folder first, then the package's own copy."""

from __future__ import annotations

from pathlib import Path

import pipeline
from pipeline.definitions import PACKAGE_MODELS, definitions_path
from pipeline.polarity_lexicon import DEFAULT_LEXICON, load_polarity_lexicon
from pipeline.tagging import load_label_set


def test_the_definitions_live_inside_the_package():
    assert PACKAGE_MODELS == Path(pipeline.__file__).resolve().parent / "models"
    for name, table in (("stages.toml", "stage"), ("polarity.toml", "polarity"),
                        ("frames/six_pillars.toml", "label")):
        assert load_label_set(definitions_path(name), table).labels
    assert DEFAULT_LEXICON == PACKAGE_MODELS / "polarity_lexicon.toml"
    assert load_polarity_lexicon(DEFAULT_LEXICON).languages.keys() == {"fi", "en"}


def test_a_study_folders_own_file_wins_and_the_package_fills_in(tmp_path):
    (tmp_path / "stages.toml").write_text('[[stage]]\nid = "uusiminen"\nname_en = "Renewal"\nname_fi = "Uusiminen"\n'
                                          'examples_fi = ["Jatkoimme sopimusta.", "Uusimme sopimuksen."]\n', encoding="utf-8")
    assert definitions_path("stages.toml", tmp_path) == tmp_path / "stages.toml"
    assert definitions_path("polarity.toml", tmp_path) == PACKAGE_MODELS / "polarity.toml"
    assert definitions_path("frames/six_pillars.toml", None) == PACKAGE_MODELS / "frames" / "six_pillars.toml"
    assert load_label_set(definitions_path("stages.toml", tmp_path), "stage").ids == ["uusiminen"]


def test_a_folder_named_like_a_file_is_not_taken_for_it(tmp_path):
    (tmp_path / "polarity.toml").mkdir()
    assert definitions_path("polarity.toml", tmp_path) == PACKAGE_MODELS / "polarity.toml"
