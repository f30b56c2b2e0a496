"""The touchpoint table: for each touchpoint of the journey, how many respondents spoke of it, how many of them told
of a success and of a failure there, and the change in its share of respondents since the last wave. Touchpoints
compared with each other and with the earlier measurement, as the method asks."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pipeline.touchpoints import UNPLACED, Touchpoint

COLUMNS = ["touchpoint", "name", "stage", "respondents", "mentions", "share_of_respondents", "success_respondents",
           "failure_respondents", "neutral_respondents", "previous_share", "change_points"]


def touchpoint_counts(segments: pd.DataFrame) -> dict[str, dict[str, int]]:
    """touchpoint id -> respondents, mentions and respondents per polarity, over the respondents' statements."""
    if "touchpoint" not in segments:
        return {}
    spoken = segments[(segments["role"] == "respondent") & (segments["touchpoint"].fillna("") != "")]
    counts = {}
    for touchpoint, rows in spoken.groupby("touchpoint", sort=True):
        counts[str(touchpoint)] = {
            "respondents": int(rows["respondent_id"].nunique()), "mentions": int(len(rows)),
            **{p: int(rows.loc[rows["polarity"] == p, "respondent_id"].nunique())
               for p in ("success", "failure", "neutral")}}
    return counts


def touchpoint_table(segments: pd.DataFrame, touchpoints: Sequence[Touchpoint], total: int, lang: str = "en",
                     previous: dict | None = None) -> pd.DataFrame:
    """One row per touchpoint in journey order (those spoken of now or in the previous wave), then 'unplaced'.

    `previous` is the last wave's {"respondents": n, "touchpoints": touchpoint_counts(...)}; without it the
    previous share and the change are empty.
    """
    now = touchpoint_counts(segments)
    before = (previous or {}).get("touchpoints", {})
    before_total = int((previous or {}).get("respondents", 0) or 0)
    rows = []
    for tp in [*touchpoints, Touchpoint(UNPLACED, "", "Unplaced", "Ei sijoitettu")]:
        counts, old = now.get(tp.id), before.get(tp.id)
        if counts is None and old is None:
            continue
        counts = counts or {"respondents": 0, "mentions": 0, "success": 0, "failure": 0, "neutral": 0}
        share = counts["respondents"] / total if total else 0.0
        previous_share = (old["respondents"] / before_total if old and before_total else 0.0) if previous else None
        rows.append({
            "touchpoint": tp.id, "name": tp.name(lang), "stage": tp.stage, "respondents": counts["respondents"],
            "mentions": counts["mentions"], "share_of_respondents": round(share, 4),
            "success_respondents": counts["success"], "failure_respondents": counts["failure"],
            "neutral_respondents": counts["neutral"],
            "previous_share": None if previous_share is None else round(previous_share, 4),
            "change_points": None if previous_share is None else round(100 * (share - previous_share), 1),
        })
    return pd.DataFrame(rows, columns=COLUMNS)
