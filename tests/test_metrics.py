"""NPS, CSAT, CES and theme impact, checked against numbers worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline import metrics


def test_nps_counts_score_and_interval():
    result = metrics.nps([10, 9, 8, 7, 6, 0])
    assert (result.n, result.promoters, result.passives, result.detractors) == (6, 2, 2, 2)
    assert result.score == pytest.approx(0.0)
    # p = d = 1/3: variance (p + d - (p - d)^2) / n = (2/3) / 6, half width 1.96 * 0.3333 * 100
    assert result.ci_high == pytest.approx(65.3321, abs=1e-3)
    assert result.ci_low == pytest.approx(-65.3321, abs=1e-3)
    assert result.distribution == (1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1)
    assert result.mean == pytest.approx(40 / 6)


def test_nps_ignores_missing_and_text_and_clamps_interval():
    result = metrics.nps(pd.Series(["10", "9,0", None, "n/a", float("nan"), 9, 11]))
    assert result.n == 3 and result.score == 100.0
    assert result.ci_high == 100.0  # never past the scale
    assert metrics.nps([]) is None and metrics.nps([None, "x"]) is None


def test_csat_top_two_boxes_with_wilson_interval():
    result = metrics.csat([5, 4, 3, 2, 1, 5])
    assert result.scale == (1, 5) and result.good_from == 4
    assert result.good_share == pytest.approx(0.5)
    assert (result.good_low, result.good_high) == pytest.approx((0.18761, 0.81239), abs=1e-4)
    assert result.mean == pytest.approx(20 / 6)
    assert result.distribution == (1, 1, 1, 1, 2)


def test_ces_scale_is_inferred_and_easy_share():
    result = metrics.ces([7, 6, 5, 2, 1])
    assert result.scale == (1, 7) and result.good_from == 5 and result.good_share == pytest.approx(0.6)
    zero_to_ten = metrics.ces([0, 8, 10, 3])
    assert zero_to_ten.scale == (0, 10) and zero_to_ten.good_share == pytest.approx(0.5)
    assert metrics.csat([]) is None


def test_respondent_scores_take_the_first_score_of_each_respondent():
    segments = pd.DataFrame({
        "respondent_id": ["a", "a", "b", "c", "c"],
        "role": ["respondent", "respondent", "respondent", "interviewer", "respondent"],
        "nps": [None, 9, 3, 10, None],
        "csat": ["", "4,5", "2", "", ""],
    })
    table = metrics.respondent_scores(segments)
    assert list(table.index) == ["a", "b", "c"]
    assert table.loc["a", "nps"] == 9 and table.loc["b", "nps"] == 3 and math.isnan(table.loc["c", "nps"])
    assert table.loc["a", "csat"] == 4.5
    assert "ces" not in table


def test_theme_impact_by_hand():
    # Respondents r1..r5 with NPS 0, 5, 8, 9, 10. T1 is mentioned by r1 and r2 (both detractors),
    # T2 by r2, r3 and r4; r6 has no score and mentions T1 (left out).
    segments = pd.DataFrame({
        "respondent_id": ["r1", "r2", "r2", "r3", "r4", "r6", "r5"],
        "theme_id": ["T1", "T1", "T2", "T2", "T2", "T1", ""],
    })
    scores = pd.Series({"r1": 0, "r2": 5, "r3": 8, "r4": 9, "r5": 10, "r6": None})
    table = metrics.theme_impact(segments, scores).set_index("theme_id")
    t1, t2 = table.loc["T1"], table.loc["T2"]
    assert (t1["n_with"], t1["n_without"], t1["detractors"]) == (2, 3, 2)
    assert t1["nps_with"] == -100 and t1["nps_without"] == pytest.approx(100 * 2 / 3)
    assert t1["impact"] == pytest.approx(40.0)  # 2 detractors of 5 respondents become passives: +40 points
    assert t1["mean_with"] == 2.5 and t1["mean_without"] == 9.0
    assert (t2["n_with"], t2["detractors"], t2["impact"]) == (3, 1, pytest.approx(20.0))
    assert t2["nps_with"] == pytest.approx(0.0) and t2["difference"] == pytest.approx(0.0 - 0.0)
    assert list(metrics.theme_impact(segments, scores)["theme_id"]) == ["T1", "T2"]  # ranked by impact


def test_impact_ties_are_ordered_by_theme_and_empty_input_gives_empty_table():
    segments = pd.DataFrame({"respondent_id": ["a", "b"], "theme_id": ["T2", "T1"]})
    table = metrics.theme_impact(segments, pd.Series({"a": 3, "b": 4}))
    assert list(table["theme_id"]) == ["T1", "T2"]
    assert metrics.theme_impact(segments, pd.Series({"a": None})).empty
