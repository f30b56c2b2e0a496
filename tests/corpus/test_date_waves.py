"""Periods and date waves, below both reading (pipeline.corpus.read) and wave matching (pipeline.waves)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from pipeline.corpus.date_waves import date_waves, path_date, period_of, select_date_wave, wave_start


def _turns(rows: list[tuple[str, str]], **meta: list[str]):
    return pd.DataFrame({"doc_id": [d for d, _ in rows], "date": [t for _, t in rows], **meta})


def test_periods_name_waves_that_sort():
    assert [period_of("2026-05-14", p) for p in ("half-year", "quarter", "month", "year")] == \
        ["2026H1", "2026Q2", "2026-05", "2026"]
    assert period_of("2026-07-01", "half-year") == "2026H2" and period_of("2026-12-31", "quarter") == "2026Q4"
    for name in ("2026H1", "2026Q2", "2026-05", "2026"):  # every period name is a wave name
        assert wave_start(name) is not None
    assert path_date("haastattelut/h01_2026-05-14.txt") == "2026-05-14"
    assert path_date("20261103-asiakas.docx") == "2026-11-03" and path_date("h01 14.5.2026.txt") == "2026-05-14"
    assert path_date("h01.txt") == "" and path_date("2026-13-45.txt") == ""


def test_date_waves_place_undated_material():
    turns = _turns([("palaute.csv", "2026-03-02"), ("palaute.csv", "2026-10-05"), ("palaute.csv", ""),
                    ("h01.txt", ""), ("h02_2026-04-20.txt", ""), ("h03.txt", "")],
                   meta_päivämäärä=["", "", "", "", "", "1.2.2026"])
    split = date_waves(turns, "half-year")
    assert split is not None and split.waves == ["2026H1", "2026H2"] and split.newest == "2026H2"
    # feedback by its date; an interview by the manifest's date, else a date in its name, else the newest wave
    assert list(split.row_waves) == ["2026H1", "2026H2", "", "", "2026H1", "2026H1"]
    assert split.undated == ["h01.txt", "palaute.csv"]
    assert list(select_date_wave(turns, "2026H1", "half-year")["doc_id"]) == ["palaute.csv", "h02_2026-04-20.txt",
                                                                              "h03.txt"]
    assert list(select_date_wave(turns, "2026H2", "half-year")["doc_id"]) == ["palaute.csv", "palaute.csv", "h01.txt"]
    assert len(select_date_wave(turns, "current", "half-year")) == len(turns)  # no wave picked: everything
    # one period, or date waves turned off: one wave, read as before
    assert date_waves(turns, "year") is None and date_waves(turns, "none") is None and date_waves(turns, "") is None
    assert date_waves(turns, "quarter").waves == ["2026Q1", "2026Q2", "2026Q4"]


def test_reading_a_study_does_not_import_wave_matching_and_wave_matching_imports_reading():
    """The two used to import each other inside functions; now the shared helpers sit below both."""
    probe = ("import sys, pipeline.corpus.read; print('pipeline.waves' in sys.modules); "
             "import pipeline.waves as w, pipeline.corpus.read as r; print(w.study_files is r.study_files)")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout.split()
    assert out == ["False", "True"]
