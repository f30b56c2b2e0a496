"""The report's touchpoint section and touchpoints.csv, and the change against the last wave's measures."""

from __future__ import annotations

import csv
import dataclasses
import json

import numpy as np

from pipeline.config import DEFAULT_MODELS_DIR
from pipeline.report import write_report
from pipeline.touchpoints import load_touchpoints
from pipeline.waves import WaveState
from tests.report.conftest import build_result

TOUCHPOINTS = load_touchpoints([DEFAULT_MODELS_DIR / "stages.toml"])


def _result(wave: str, invoicing: int):
    result = build_result()
    segments = result.segments.copy()
    themed = (segments["role"] == "respondent") & (segments["theme_id"] != "")
    segments["touchpoint"] = ""
    segments.loc[themed, "touchpoint"] = np.where(segments.loc[themed, "theme_id"] == "T01", "invoicing",
                                                  np.where(segments.loc[themed, "theme_id"] == "T02", "support",
                                                           "onboarding"))
    if invoicing == 0:
        segments.loc[segments["touchpoint"] == "invoicing", "touchpoint"] = "unplaced"
    state = WaveState(wave, result.respondents, [], [], np.zeros((0, 2)), np.zeros(2), [])
    return dataclasses.replace(result, wave=wave, segments=segments, touchpoints=TOUCHPOINTS, state=state,
                               settings={**result.settings, "touchpoints": "26, unplaced below 0.2"})


def _rows(path):
    with path.open(encoding="utf-8-sig") as handle:
        return {r["touchpoint"]: r for r in csv.DictReader(handle)}


def test_touchpoint_table_in_csv_and_page_with_the_change_since_the_last_wave(tmp_path):
    first, second = tmp_path / "pieni" / "2026-05", tmp_path / "pieni" / "2026-11"
    first.mkdir(parents=True)
    second.mkdir()
    write_report(_result("2026-05", invoicing=0), first, lang="en")
    measures = json.loads((first / "wave_measures.json").read_text(encoding="utf-8"))
    assert measures["wave"] == "2026-05" and "invoicing" not in measures["touchpoints"]
    assert _rows(first / "touchpoints.csv")["support"]["change_points"] == ""  # no earlier wave

    paths = write_report(_result("2026-11", invoicing=1), second, lang="en")
    rows = _rows(paths["touchpoints.csv"])
    assert rows["invoicing"]["failure_respondents"] == "7" and rows["invoicing"]["previous_share"] == "0.0"
    assert float(rows["invoicing"]["change_points"]) > 50
    assert rows["support"]["change_points"] == "0.0"
    assert "unplaced" in rows  # the previous wave's unplaced statements still show, now at 0
    html = (second / "index.html").read_text(encoding="utf-8")
    assert 'id="touchpoints"' in html and "Change since 2026-05" in html and "Invoicing and billing" in html


def test_a_study_without_touchpoints_has_no_section(tmp_path):
    result = build_result()
    paths = write_report(result, tmp_path, lang="fi")
    assert "touchpoints.csv" not in paths and 'id="touchpoints"' not in paths["index.html"].read_text("utf-8")
