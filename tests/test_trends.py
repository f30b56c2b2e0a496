"""Trends across waves: shares, change, Fisher's exact test, and the deadline check (pure functions)."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from pipeline.trends import change_test, compare_waves, parse_due
from pipeline.waves import WaveState, match_themes


def _state(wave: str, respondents: int, issues: dict[str, int], themes: dict[str, int]) -> WaveState:
    ids = sorted(themes)
    return WaveState(wave=wave, respondents=respondents, theme_ids=ids, labels=[f"label {t}" for t in ids],
                     centroids=np.eye(len(ids), 4), mean=np.zeros(4), used_ids=ids, theme_respondents=themes,
                     issues=[{"issue_id": k, "theme_id": k.split("-")[0], "stage": k.split("-")[1],
                              "polarity": k.split("-")[2], "theme_label": f"label {k.split('-')[0]}",
                              "respondents": n} for k, n in issues.items()])


def test_fisher_test_on_counts():
    assert change_test(30, 100, 10, 100) < 0.01  # 30 % vs 10 %: beyond chance
    assert change_test(11, 100, 10, 100) > 0.5  # 11 % vs 10 %: chance
    assert change_test(0, 0, 3, 10) == 1.0


def test_compare_waves_grown_shrunk_new_vanished_and_deadlines():
    before = _state("2026-05", 100, {"T01-customership-failure": 40, "T02-customership-failure": 10,
                                     "T03-contract-failure": 12, "T04-customership-success": 20},
                    {"T01": 40, "T02": 10, "T03": 12, "T04": 20})
    issues = pd.DataFrame({
        "issue_id": ["T01-customership-failure", "T02-customership-failure", "T04-customership-success",
                     "T05-awareness-failure"],
        "polarity": ["failure", "failure", "success", "failure"], "stage": ["customership"] * 3 + ["awareness"],
        "theme_id": ["T01", "T02", "T04", "T05"], "theme_label": ["a", "b", "d", "e"], "respondents": [12, 35, 21, 9]})
    themes = pd.DataFrame({"theme_id": ["T01", "T02", "T04", "T05"], "label": ["a", "b", "d", "e"],
                           "respondents": [12, 35, 21, 9]})
    decisions = pd.DataFrame({"key": ["T01-customership-failure", "T02-customership-failure", "T03-contract-failure",
                                      "T04-customership-success"],
                              "owner": ["Laskutus / Anna", "Tuki / Ville", "", "Koulutus"],
                              "due": [datetime(2026, 9, 30), "31.8.2026", "2026-09-01", "2027-03"],
                              "status": ["Done", "In progress", "", ""]})
    out = compare_waves("2026-11", issues, themes, 100, [before], decisions)
    trend = dict(zip(out["issues"]["issue_id"], out["issues"]["trend"], strict=True))
    assert trend == {"T01-customership-failure": "shrunk", "T02-customership-failure": "grown",
                     "T04-customership-success": "no clear change", "T05-awareness-failure": "new",
                     "T03-contract-failure": "vanished"}
    row = out["issues"].set_index("issue_id").loc["T01-customership-failure"]
    assert (row["respondents_now"], row["respondents_total"], row["respondents_previous"]) == (12, 100, 40)
    assert row["share_2026-05"] == 0.4 and row["share_2026-11"] == 0.12 and row["change"] == pytest.approx(-0.28)
    assert row["p_value"] < 0.001
    themes_trend = dict(zip(out["themes"]["theme_id"], out["themes"]["trend"], strict=True))
    assert themes_trend["T03"] == "vanished" and themes_trend["T05"] == "new"

    verdicts = dict(zip(out["deadlines"]["issue_id"], out["deadlines"]["verdict"], strict=True))
    assert verdicts == {"T01-customership-failure": "fell", "T02-customership-failure": "did not fall",
                        "T04-customership-success": "deadline not passed yet"}  # T03 has no owner


def test_parse_due_formats():
    assert parse_due("31.12.2026") == date(2026, 12, 31)
    assert parse_due("2026-09-30") == date(2026, 9, 30)
    assert parse_due("2026Q3") == date(2026, 7, 1)
    assert parse_due(datetime(2026, 1, 2, 0, 0)) == date(2026, 1, 2)
    assert parse_due("soon") is None and parse_due(None) is None


def test_matching_keeps_ids_by_content_not_position():
    previous = WaveState(wave="2026-05", respondents=10, theme_ids=["T01", "T02", "T03"],
                         labels=["invoices", "support", "crashes"], centroids=np.eye(3, 4), mean=np.zeros(4),
                         used_ids=["T01", "T02", "T03", "T04"])
    # fitted T01 is the old support theme, fitted T02 the old invoices theme, fitted T03 something new
    centroids = np.array([[0.1, 0.99, 0, 0], [0.98, 0.1, 0, 0], [0, 0, 0, 1.0]])
    match = match_themes(["T01", "T02", "T03"], centroids, np.zeros(4), previous)
    assert match.rename == {"T01": "T02", "T02": "T01", "T03": "T05"}  # T04 was used before: never reused
    assert match.labels == {"T02": "support", "T01": "invoices"}
    assert match.new == ["T05"] and match.vanished == ["T03"]
