"""The bilingual benchmark's own pieces: the deterministic language split, reading segments.csv, scoring.

No model runs here: the tables are written in the test.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from bench.eval_bilingual import (
    DEFAULT_DATA,
    both_language_share,
    by_item,
    cluster_scores,
    holds_both,
    load_parallel,
    ratios,
    read_segments,
    score_run,
    split_languages,
    statements,
    study_rows,
)


def items_table(per_label: dict[str, int]) -> pd.DataFrame:
    """Parallel items: `n` per label, English and Finnish text marked so the chosen side is visible."""
    rows = [{"id": f"{label}-{i}", "label": label, "text_en": f"en {label} {i}", "text_fi": f"fi {label} {i}"}
            for label, n in per_label.items() for i in range(n)]
    return pd.DataFrame(rows)


def test_split_gives_every_label_both_languages_and_is_the_same_twice():
    items = items_table({"billing": 7, "support": 2, "delivery": 10, "app": 3})
    first, second = split_languages(items), split_languages(items)
    assert first.equals(second)
    for _, group in first.groupby(items["label"]):
        counts = Counter(group)
        assert set(counts) == {"fi", "en"}
        assert abs(counts["fi"] - counts["en"]) <= 1
    # the row order of the file does not change who is Finnish
    shuffled = items.sample(frac=1, random_state=3).reset_index(drop=True)
    again = split_languages(shuffled)
    assert dict(zip(shuffled["id"], again, strict=True)) == dict(zip(items["id"], first, strict=True))


def test_study_rows_take_each_items_text_in_its_language():
    items = items_table({"billing": 2})
    rows = study_rows(items, pd.Series(["fi", "en"]))
    assert list(rows.columns) == ["id", "text"]
    assert rows["text"].tolist() == ["fi billing 0", "en billing 1"]


def test_perfect_clusters_score_one_and_unassigned_rows_are_singletons():
    labels = ["a", "a", "b", "b"]
    perfect = cluster_scores(labels, ["T1", "T1", "T2", "T2"])
    assert perfect["V"] == pytest.approx(1.0) and perfect["ARI"] == pytest.approx(1.0)
    assert perfect["themes"] == 2 and perfect["unassigned"] == 0
    # two unassigned statements are two singleton clusters, not one cluster that happens to match a label
    holes = cluster_scores(labels, ["T1", "T1", "", ""])
    one_bin = cluster_scores(labels, ["T1", "T1", "X", "X"])
    assert holes["unassigned"] == 0.5 and holes["themes"] == 1
    assert holes["V"] < one_bin["V"] and holes["ARI"] < one_bin["ARI"]


def test_holds_both_rule_and_the_share_of_statements_in_such_themes():
    assert holds_both(Counter({"fi": 18, "en": 2}))  # 2 in the minority language
    assert holds_both(Counter({"fi": 2, "en": 1}))  # 1 of 3 is over 10%
    assert not holds_both(Counter({"fi": 30, "en": 1}))  # 1 of 31: neither 10% nor 2
    assert not holds_both(Counter({"fi": 40, "en": 2}), strict=True)  # 2 but under 10%
    assert not holds_both(Counter({"en": 5}))
    langs = ["fi", "en", "fi", "fi", "fi", "en"]
    preds = ["T1", "T1", "T2", "T2", "", "T1"]
    # T1 holds both (3 statements), T2 only Finnish (2); the unassigned one does not count
    assert both_language_share(langs, preds) == pytest.approx(3 / 5)
    assert pd.isna(both_language_share(["fi"], [""]))


def test_segments_with_a_semicolon_and_a_bom_map_back_to_items_and_score(tmp_path):
    items = items_table({"billing": 2, "support": 2})
    languages = pd.Series(["fi", "en", "en", "fi"])
    path = tmp_path / "segments.csv"
    rows = [
        "segment_id;respondent_id;role;text;theme_id;subtheme_id",
        "s1;billing-0;respondent;lasku;T01;T01.1",
        "s2;billing-0;respondent;toinen lause;T01;T01.1",
        "s3;billing-1;respondent;invoice;T01;T01.2",
        "s4;support-0;respondent;help;T02;T02.1",
        "s5;support-1;respondent;tuki;;",
        "s6;support-1;interviewer;kysymys;;",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    segments = read_segments(path)
    assert len(segments) == 5  # the interviewer row is dropped
    frame = statements(segments, items, languages)
    assert frame["lang"].tolist() == ["fi", "fi", "en", "en", "fi"]
    per_item = by_item(frame, "theme_id")
    assert per_item.set_index("item")["theme_id"].to_dict() == {
        "billing-0": "T01", "billing-1": "T01", "support-0": "T02", "support-1": ""}
    table = pd.DataFrame(score_run(frame, "bilingual"))
    assert set(zip(table["level"], table["scored per"], strict=True)) == {
        ("theme", "statement"), ("theme", "item"), ("subtheme", "statement"), ("subtheme", "item")}
    theme = table[(table["level"] == "theme") & (table["scored per"] == "statement")].iloc[0]
    assert theme["n"] == 5 and theme["themes"] == 2 and theme["unassigned"] == pytest.approx(0.2)
    assert theme["both languages"] == pytest.approx(3 / 4)  # T01 (fi, fi, en) holds both, T02 (en) does not


def test_ratio_of_bilingual_to_english():
    table = pd.DataFrame([
        {"run": "english", "level": "theme", "scored per": "item", "V": 0.8, "ARI": 0.5, "both languages": float("nan")},
        {"run": "bilingual", "level": "theme", "scored per": "item", "V": 0.76, "ARI": 0.4, "both languages": 0.85},
    ])
    row = ratios(table).iloc[0]
    assert row["V ratio"] == pytest.approx(0.95) and row["ARI ratio"] == pytest.approx(0.8)
    assert row["V ratio >= 0.9"] == "yes" and row["both >= 80%"] == "yes"


def test_bundled_parallel_data_is_well_formed():
    items = load_parallel(DEFAULT_DATA)
    assert len(items) >= 300 and items["label"].nunique() >= 7
    assert items["id"].is_unique
    assert (items["text_en"] != items["text_fi"]).all()
    assert DEFAULT_DATA.stat().st_size < 1_000_000
