"""The report's opening on targets (current against target, the trend over the waves), targets.csv, and each action
row's link to the target its issue works toward."""

from __future__ import annotations

import pandas as pd

from pipeline.report.i18n import number, percent
from pipeline.targets import AT_LEAST, SCORES, evaluate_targets, issue_target

STRINGS = {
    "title": {"en": "Targets", "fi": "Tavoitteet"},
    "help": {"en": "The customer experience the team aims at ([targets] in teema.toml): now against the target, and "
                   "the value in every wave measured.",
             "fi": "Tavoiteltu asiakaskokemus (teema.toml [targets]): nykytila tavoitteeseen verrattuna ja arvo "
                   "jokaisessa mitatussa aallossa."},
    "measure": {"en": "Measure", "fi": "Mittari"}, "now": {"en": "Now", "fi": "Nyt"},
    "target": {"en": "Target", "fi": "Tavoite"}, "status": {"en": "Status", "fi": "Tila"},
    "trend": {"en": "Trend over waves", "fi": "Kehitys aalloittain"},
    "met": {"en": "met", "fi": "saavutettu"}, "not_met": {"en": "{gap} to go", "fi": "matkaa {gap}"},
    "unmeasured": {"en": "not measured", "fi": "ei mitattu"},
    "by": {"en": "by {date}", "fi": "{date} mennessä"},
    "theme": {"en": "Theme", "fi": "Teema"}, "issue": {"en": "Issue", "fi": "Havainto"},
    "share": {"en": "share of respondents", "fi": "osuus vastaajista"},
    "link": {"en": "{target} {by} (now {now})", "fi": "{target} {by} (nyt {now})"},
}


def s(key: str, lang: str, **values: object) -> str:
    text = STRINGS[key]["fi" if lang == "fi" else "en"]
    return text.format(**values) if values else text


def _value(kind: str, value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    if kind == "nps":
        return ("+" if value > 0 else "") + number(value, lang, 0)
    if kind in SCORES:
        return number(value, lang, 1)
    return percent(value, lang)


def _target(row, lang: str) -> str:
    sign = "≥" if row.direction == AT_LEAST else "≤"
    by = f" {s('by', lang, date=row.by)}" if row.by else ""
    return f"{sign} {_value(row.kind, row.value, lang)}{by}"


def target_rows(result, current: dict, earlier: list[dict]) -> pd.DataFrame | None:
    """targets.csv: one row per target with now, the target, met, the gap and the value per wave."""
    targets = getattr(result, "targets", ())
    if not targets:
        return None
    table = evaluate_targets(targets, current, earlier)
    table["trend"] = [" ".join(f"{wave}={value:.4g}" for wave, value in trend) for trend in table["trend"]]
    return table


def target_view(result, current: dict, earlier: list[dict], lang: str) -> dict | None:
    targets = getattr(result, "targets", ())
    if not targets:
        return None
    rows = []
    for row in evaluate_targets(targets, current, earlier).itertuples(index=False):
        name = row.label if row.kind in SCORES else f"{s(row.kind, lang)} {row.label} ({s('share', lang)})"
        if row.met is None:
            status = s("unmeasured", lang)
        elif row.met:
            status = s("met", lang)
        else:
            status = s("not_met", lang, gap=number(abs(row.gap), lang, 0 if row.kind == "nps" else 1)
                       if row.kind in SCORES
                       else number(100 * abs(row.gap), lang, 0) + (" %-yks." if lang == "fi" else " pp"))
        rows.append({"name": name, "now": _value(row.kind, row.current, lang), "target": _target(row, lang),
                     "status": status, "met": bool(row.met), "trend": " → ".join(
                         f"{wave}: {_value(row.kind, value, lang)}" for wave, value in row.trend)})
    return {"title": s("title", lang), "help": s("help", lang), "rows": rows,
            "head": [s(k, lang) for k in ("measure", "now", "target", "status", "trend")]}


def target_links(result, current: dict, lang: str) -> dict[str, str]:
    """Issue id -> 'at most 10 % by 2027-06 (now 18 %)': the target each ranked issue works toward."""
    targets = getattr(result, "targets", ())
    if not targets:
        return {}
    themes = current.get("themes") or {}
    table = evaluate_targets(targets, current, [])
    by_target = {(r.kind, r.key): r for r in table.itertuples(index=False)}
    links = {}
    for issue in result.issues.itertuples(index=False):
        target = issue_target(issue.issue_id, issue.theme_id, targets, themes)
        if target is None:
            continue
        row = by_target[(target.kind, target.key)]
        name = f"{s(row.kind, lang)} {row.label}: " if row.kind == "theme" else ""
        links[issue.issue_id] = name + s("link", lang, target=_target(row, lang).split(" ", 1)[0] + " " +
                                         _value(row.kind, row.value, lang),
                                         by=s("by", lang, date=row.by) if row.by else "",
                                         now=_value(row.kind, row.current, lang)).replace("  ", " ")
    return links
