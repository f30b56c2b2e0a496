"""The report's touchpoint table (index.html section and touchpoints.csv): respondents at each touchpoint, success
against failure, and the change since the last wave."""

from __future__ import annotations

import pandas as pd

from pipeline.report import svg
from pipeline.report.i18n import number, percent
from pipeline.touchpoint_table import touchpoint_table

STRINGS = {
    "title": {"en": "Touchpoints", "fi": "Kosketuspisteet"},
    "help": {"en": "Where on the journey respondents' statements happened: respondents who spoke of each touchpoint, "
                   "how many of them told of a success and of a failure there. A statement whose touchpoint is "
                   "unclear is unplaced (touchpoints: {threshold}).",
             "fi": "Missä polun kohdassa vastaajien lausumat tapahtuivat: kustakin kosketuspisteestä puhuneet "
                   "vastaajat ja kuinka moni heistä kertoi siellä onnistumisesta ja epäonnistumisesta. Lausuma, "
                   "jonka kosketuspiste on epäselvä, jää sijoittamatta (kosketuspisteet: {threshold})."},
    "touchpoint": {"en": "Touchpoint", "fi": "Kosketuspiste"},
    "stage": {"en": "Stage", "fi": "Vaihe"},
    "respondents": {"en": "Respondents", "fi": "Vastaajia"},
    "success": {"en": "Success", "fi": "Onnistuminen"},
    "failure": {"en": "Failure", "fi": "Epäonnistuminen"},
    "mix": {"en": "Success · failure · neutral", "fi": "Onnistuminen · epäonnistuminen · neutraali"},
    "change": {"en": "Change since {wave}", "fi": "Muutos ({wave} →)"},
    "points": {"en": "{value} pp", "fi": "{value} %-yks."},
}


def s(key: str, lang: str, **values: object) -> str:
    text = STRINGS[key]["fi" if lang == "fi" else "en"]
    return text.format(**values) if values else text


def touchpoint_csv(result, lang: str, previous: dict | None) -> pd.DataFrame | None:
    """touchpoints.csv's rows; None when the study has no touchpoints."""
    touchpoints = getattr(result, "touchpoints", None)
    if not touchpoints or "touchpoint" not in result.segments:
        return None
    return touchpoint_table(result.segments, touchpoints, result.respondents, lang, previous)


def touchpoint_view(table: pd.DataFrame | None, result, lang: str, previous: dict | None, threshold: str
                    ) -> dict | None:
    """The section's plain values, or None when there is nothing to show."""
    if table is None or table.empty:
        return None
    rows = []
    for row in table.itertuples(index=False):
        stage = result.stages.get(row.stage) if row.stage else None
        change = row.change_points
        rows.append({
            "name": row.name, "stage": stage.name(lang) if stage else "", "unplaced": row.touchpoint == "unplaced",
            "respondents": int(row.respondents), "share": percent(row.share_of_respondents, lang),
            "success": int(row.success_respondents), "failure": int(row.failure_respondents),
            "bar": svg.stacked_bar([(row.success_respondents, "success", s("success", lang)),
                                    (row.failure_respondents, "failure", s("failure", lang)),
                                    (row.neutral_respondents, "neutral", "neutral")], s("mix", lang), 12),
            "change": "" if change is None or pd.isna(change) else s(
                "points", lang, value=("+" if change > 0 else "") + number(change, lang, 1)),
        })
    return {"title": s("title", lang), "help": s("help", lang, threshold=threshold), "rows": rows,
            "head": [s(k, lang) for k in ("touchpoint", "stage", "respondents", "success", "failure", "mix")],
            "change_head": s("change", lang, wave=previous["wave"]) if previous else ""}
