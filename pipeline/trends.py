"""Trends across waves: each issue's and theme's share of respondents per wave, the change since
the previous wave and whether it is beyond chance (Fisher's exact test on the 2x2 respondent
counts), and for action-table rows with an owner and a deadline, whether the issue fell after it.

Pure functions from tables (this wave's issues and themes, the earlier waves' states) to tables.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from scipy.stats import fisher_exact

from pipeline.waves import WaveState, wave_start

ALPHA = 0.05  # a change with p below this is called grown / shrunk


def change_test(now: int, total_now: int, before: int, total_before: int) -> float:
    """Two-sided Fisher's exact p-value for 'the share of respondents is the same in both waves'."""
    if total_now <= 0 or total_before <= 0:
        return 1.0
    table = [[now, max(total_now - now, 0)], [before, max(total_before - before, 0)]]
    return float(fisher_exact(table)[1])


def _trend(now: int, before: int, p: float, change: float) -> str:
    if before == 0 and now > 0:
        return "new"
    if now == 0 and before > 0:
        return "vanished"
    if p < ALPHA:
        return "grown" if change > 0 else "shrunk"
    return "no clear change"


def _rows(current: dict[str, int], total: int, wave: str, earlier: list[tuple[str, dict[str, int], int]],
          keys: list[str]) -> pd.DataFrame:
    """Shares per wave and the change since the last earlier wave, for the given keys."""
    last_wave, last_counts, last_total = earlier[-1]
    records = []
    for key in keys:
        record: dict[str, object] = {}
        for name, counts, n in earlier:
            record[f"share_{name}"] = round(counts.get(key, 0) / max(n, 1), 4)
        now, before = current.get(key, 0), last_counts.get(key, 0)
        record[f"share_{wave}"] = round(now / max(total, 1), 4)
        change = now / max(total, 1) - before / max(last_total, 1)
        p = change_test(now, total, before, last_total)
        record.update({"previous_wave": last_wave, "respondents_previous": before,
                       "respondents_previous_total": last_total, "respondents_now": now, "respondents_total": total,
                       "change": round(change, 4), "p_value": round(p, 4), "trend": _trend(now, before, p, change)})
        records.append(record)
    return pd.DataFrame(records)


def compare_waves(wave: str, issues: pd.DataFrame, themes: pd.DataFrame, total: int,
                  earlier: list[WaveState], decisions: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Issue and theme trends against the earlier waves (oldest first), and the deadline check.

    Returns 'issues' (this wave's issues and the previous wave's vanished ones), 'themes' (likewise)
    and 'deadlines' (one row per action with an owner and a date in 'By when?').
    """
    if not earlier:
        return {}
    issue_counts = [(s.wave, {i["issue_id"]: int(i["respondents"]) for i in s.issues}, s.respondents)
                    for s in earlier]
    previous = earlier[-1]
    now_issues = dict(zip(issues["issue_id"], issues["respondents"].astype(int), strict=True))
    vanished_issues = [i for i in previous.issues if i["issue_id"] not in now_issues]
    described = issues[["issue_id", "polarity", "stage", "theme_id", "theme_label"]].to_dict("records")
    described += [{k: i[k] for k in ("issue_id", "polarity", "stage", "theme_id", "theme_label")}
                  for i in vanished_issues]
    keys = [d["issue_id"] for d in described]
    issue_trends = pd.concat([pd.DataFrame(described, columns=["issue_id", "polarity", "stage", "theme_id",
                                                               "theme_label"]),
                              _rows(now_issues, total, wave, issue_counts, keys)], axis=1)

    theme_counts = [(s.wave, s.theme_respondents, s.respondents) for s in earlier]
    now_themes = dict(zip(themes["theme_id"], themes["respondents"].astype(int), strict=True))
    old_labels = dict(zip(previous.theme_ids, previous.labels, strict=True))
    theme_keys = list(themes["theme_id"]) + [t for t in previous.theme_ids if t not in now_themes]
    labels = {**old_labels, **dict(zip(themes["theme_id"], themes["label"], strict=True))}
    theme_trends = pd.concat([pd.DataFrame({"theme_id": theme_keys, "label": [labels[t] for t in theme_keys]}),
                              _rows(now_themes, total, wave, theme_counts, theme_keys)], axis=1)
    result = {"issues": issue_trends, "themes": theme_trends}
    result["deadlines"] = deadline_check(wave, now_issues, total, earlier, decisions)
    return result


def parse_due(value: object) -> date | None:
    """A 'By when?' cell as a date: an Excel date, 31.12.2026, 2026-12-31, 12/2026, 2026-12, 2026Q4 (None if not)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y", "%m/%Y", "%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return wave_start(text)


DEADLINE_COLUMNS = ["issue_id", "owner", "due", "status", "baseline_wave", "share_before", "share_now", "change",
                    "p_value", "verdict"]


def deadline_check(wave: str, now_issues: dict[str, int], total: int, earlier: list[WaveState],
                   decisions: pd.DataFrame | None) -> pd.DataFrame:
    """For each action with an owner and a deadline: did the issue's share fall from the last wave before the
    deadline to this wave, when this wave began after the deadline? Verdicts: fell, did not fall (with the test),
    deadline not passed, no wave before the deadline, bad date."""
    if decisions is None or decisions.empty:
        return pd.DataFrame(columns=DEADLINE_COLUMNS)
    this_start = wave_start(wave)
    records = []
    for row in decisions.itertuples(index=False):
        if not str(row.owner or "").strip() or row.due in (None, ""):
            continue
        due = parse_due(row.due)
        record = {"issue_id": row.key, "owner": str(row.owner).strip(), "due": due.isoformat() if due else str(row.due),
                  "status": str(row.status or ""), "baseline_wave": "", "share_before": None,
                  "share_now": round(now_issues.get(row.key, 0) / max(total, 1), 4), "change": None, "p_value": None}
        before = [s for s in earlier if (wave_start(s.wave) or date.max) <= (due or date.min)]
        if due is None:
            record["verdict"] = "deadline is not a date"
        elif this_start is None or this_start <= due:
            record["verdict"] = "deadline not passed yet"
        elif not before:
            record["verdict"] = "no wave before the deadline"
        else:
            base = before[-1]
            was = next((int(i["respondents"]) for i in base.issues if i["issue_id"] == row.key), 0)
            now = now_issues.get(row.key, 0)
            p = change_test(now, total, was, base.respondents)
            change = now / max(total, 1) - was / max(base.respondents, 1)
            record.update({"baseline_wave": base.wave, "share_before": round(was / max(base.respondents, 1), 4),
                           "change": round(change, 4), "p_value": round(p, 4)})
            record["verdict"] = ("fell" if change < 0 and p < ALPHA else
                                 "fell, within chance" if change < 0 else "did not fall")
        records.append(record)
    return pd.DataFrame(records, columns=DEADLINE_COLUMNS)
