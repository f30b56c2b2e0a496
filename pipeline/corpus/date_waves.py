"""Which period a date or a wave name stands for, and a study cut into waves by its dates.

Reading a study (`pipeline.corpus.read`) keeps only one date wave's turns, and `pipeline.waves` names, compares
and matches waves: both need these, so they sit here, below both, and neither imports the other's internals.
A wave name is a period (`2026-05`, `2026-11-15`, `2026Q2`, `2026H1`, `2026`); a study without wave folders
whose dates span more than one period ([study] wave_period) is split by date (see DateWaves).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from pipeline.corpus.feedback import DATE_ALIASES, find_column, parse_date

WAVE_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?|[-_ ]?(?P<half>[QqHh])(?P<n>[1-4]))?$")
PERIODS = ("year", "half-year", "quarter", "month")  # [study] wave_period; "" or "none" turns date waves off
# A date in a file's path (interviews have no date column): 2026-05-14, 2026_05_14, 20260514, 14.5.2026.
_PATH_DATE = re.compile(r"(?<!\d)(?:(?P<y>20\d{2})[-_.]?(?P<m>[01]\d)[-_.]?(?P<d>[0-3]\d)"
                        r"|(?P<d2>[0-3]?\d)\.(?P<m2>[01]?\d)\.(?P<y2>20\d{2}))(?!\d)")


def wave_start(name: str) -> date | None:
    """The first day of the period a wave name stands for (2026-05 -> 2026-05-01, 2026Q3 -> 2026-07-01)."""
    match = WAVE_RE.match(name)
    if not match:
        return None
    year = int(match["year"])
    try:
        if match["half"]:
            step = 3 if match["half"] in "Qq" else 6
            if match["half"] in "Hh" and int(match["n"]) > 2:
                return None
            return date(year, 1 + step * (int(match["n"]) - 1), 1)
        return date(year, int(match["month"] or 1), int(match["day"] or 1))
    except ValueError:
        return None


def period_of(iso_date: str, period: str) -> str:
    """The wave a date falls in: 2026-05-14 -> 2026H1 (half-year), 2026Q2, 2026-05 (month), 2026 (year)."""
    year, month = int(iso_date[:4]), int(iso_date[5:7])
    if period == "year":
        return f"{year}"
    if period == "half-year":
        return f"{year}H{1 + (month - 1) // 6}"
    if period == "quarter":
        return f"{year}Q{1 + (month - 1) // 3}"
    return f"{year}-{month:02d}"


def path_date(doc_id: str) -> str:
    """ISO date written in a file's path (haastattelu_2026-05-14.txt, 2026/20260514-h01.docx); '' when none."""
    for match in _PATH_DATE.finditer(doc_id):
        year, month, day = ((match["y"], match["m"], match["d"]) if match["y"] else
                            (match["y2"], match["m2"], match["d2"]))
        try:
            return date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            continue
    return ""


def active_period(period: str) -> str:
    """The period date waves are cut by, or '' when they are turned off."""
    return "" if period in ("", "none") else period


def _manifest_dates(turns: pd.DataFrame) -> pd.Series:
    """A date per row from the manifest's date column (meta_päivämäärä, meta_date, ...), '' where none."""
    found = pd.Series("", index=turns.index, dtype=object)
    columns = [c for c in sorted(turns.columns) if str(c).startswith("meta_")
               and find_column([str(c)[5:].replace("_", " ")], DATE_ALIASES)]
    for column in columns:
        parsed = turns[column].fillna("").astype(str).map(parse_date)
        found = found.where(found != "", parsed)
    return found


@dataclass
class DateWaves:
    """Waves cut from dates: feedback rows by their date column, other material by the manifest's date or a
    date in the file name; what has no date at all is read with the newest wave."""

    period: str
    waves: list[str]  # oldest first
    row_waves: pd.Series  # wave per turn ('' = no date: the newest wave)
    undated: list[str]  # files (doc ids) with rows that have no date, sorted

    @property
    def newest(self) -> str:
        return self.waves[-1]


def date_waves(turns: pd.DataFrame, period: str) -> DateWaves | None:
    """The waves the dates of a study's turns fall in; None when date waves are off or the dates do not span
    more than one period (the study is then one wave, read as before)."""
    period = active_period(period)
    if not period or turns.empty:
        return None
    dates = turns["date"].fillna("").astype(str)
    dates = dates.where(dates != "", _manifest_dates(turns))
    by_path = turns["doc_id"].map(path_date)
    dates = dates.where(dates != "", by_path)
    waves_of = dates.map(lambda d: period_of(d, period) if d else "")
    names = sorted(set(waves_of) - {""}, key=lambda n: (wave_start(n), n))
    if len(names) < 2:
        return None
    undated = sorted(set(turns.loc[waves_of == "", "doc_id"]))
    return DateWaves(period, names, waves_of, undated)


def select_date_wave(turns: pd.DataFrame, wave: str, period: str) -> pd.DataFrame:
    """The turns of one date wave (undated ones go with the newest); all turns when the study has no date
    waves or `wave` is not one of them (e.g. 'current': a caller that did not pick a wave reads everything)."""
    split = date_waves(turns, period)
    if split is None or wave not in split.waves:
        return turns
    keep = split.row_waves == wave
    if wave == split.newest:
        keep |= split.row_waves == ""
    return turns[keep].reset_index(drop=True)
