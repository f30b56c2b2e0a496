"""The HTML report: one self-contained, autoescaped page that opens offline.

The page is complete without scripts (journey map, ranked issues, metrics, themes, method); its
inline script adds filters by respondent metadata, the journey-to-issues links, "show all" and
the theme search, recounting from a compact JSON block of the same numbers.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pandas as pd

from pipeline.config import StudySection
from pipeline.notices import notice_texts
from pipeline.report.i18n import STRINGS, choose_language, setting_rows, t
from pipeline.report.views import (
    POLARITIES,
    change_views,
    filter_views,
    frame_views,
    issue_views,
    journey_cells,
    metric_views,
    respondent_index,
    stage_columns,
    theme_views,
    themed_statements,
)
from pipeline.study import StudyResult
from pipeline.tagging import LabelSet, has_journey

TEMPLATES = Path(__file__).parent / "templates"
ISSUES_SHOWN = 20  # rows of the issue table before "show all"
JS_STRINGS = ("show_all", "show_fewer", "interviewees_n", "every_stage_n", "filtered_note", "no_quote_here",
              "no_issues", "no_match")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _files(segments: pd.DataFrame, files_read: list[str], lang: str) -> list[dict]:
    spoken = segments[segments["role"] == "respondent"]
    rows = []
    for doc_id in files_read:
        mine = spoken[spoken["doc_id"] == doc_id]
        source = mine["source"].iloc[0] if len(mine) else ""
        rows.append({"file": doc_id, "source": t(source, lang) if source in ("interview", "feedback") else source,
                     "respondents": int(mine["respondent_id"].nunique()), "statements": len(mine)})
    return rows


def not_read_files(result: StudyResult) -> list[str]:
    """The files (and researcher files) that were not read, each once: the header counts them beside those read."""
    read = set(result.files_read)
    return sorted({p.file for p in result.problems if not p.read and p.file not in read})


def _set_aside(segments: pd.DataFrame, lang: str) -> list[dict]:
    reasons = segments.loc[segments["unassigned_reason"] != "", "unassigned_reason"].value_counts().sort_index()
    return [{"reason": t(f"reason_{k}", lang) if f"reason_{k}" in STRINGS else k, "count": int(v)}
            for k, v in reasons.items()]


def _scores(segments: pd.DataFrame, respondents: list[str]) -> dict[str, list]:
    from pipeline.metrics import respondent_scores

    scores = respondent_scores(segments).reindex(respondents)
    return {name: [None if pd.isna(v) else float(v) for v in scores[name]] for name in scores.columns}


def report_context(result: StudyResult, stages: LabelSet, lang: str = "auto",
                   extra_settings: dict[str, str] | None = None, sections: dict | None = None) -> dict:
    """Everything the template shows, as plain values, and the data block the page script recounts."""
    lang = choose_language(lang, result.segments)
    segments = result.segments
    respondents = respondent_index(segments)
    r_index = {r: i for i, r in enumerate(respondents)}
    total = len(respondents)
    columns = stage_columns(stages, result.issues, lang)
    every_themed = themed_statements(segments)
    if "relevant" in result.themes:  # themes the codebook set aside are shown, never counted
        set_aside = set(result.themes.loc[~result.themes["relevant"].astype(bool), "theme_id"])
        themed = every_themed[~every_themed["theme_id"].isin(set_aside)]
    else:
        themed = every_themed
    subtheme_labels = dict(zip(result.subthemes["subtheme_id"], result.subthemes["label"], strict=True)) \
        if result.subthemes is not None else {}
    issues = issue_views(result.issues, segments, {c["id"]: c["name"] for c in columns}, r_index, total, lang,
                         subtheme_labels)
    frames = getattr(result, "frames", [])
    themes = theme_views(result.themes, every_themed, columns, r_index, lang, frames)
    metric = metric_views(segments, result.themes, lang)
    filters = filter_views(segments, respondents, getattr(result, "metadata_columns", None), lang)
    coded = segments[segments["role"] == "respondent"]

    stage_pos = {c["id"]: i for i, c in enumerate(columns)}
    theme_pos = {th["id"]: i for i, th in enumerate(themes)}
    polarity_pos = {p: i for i, p in enumerate(POLARITIES)}
    data = {
        "lang": lang, "total": total, "stages": [c["id"] for c in columns], "themes": [th["id"] for th in themes],
        # statements per respondent (index as in "st"), so the header's count follows a filter
        "rs": [int(n) for n in coded["respondent_id"].value_counts().reindex(respondents, fill_value=0)],
        "iv": sorted({r_index[r] for r in coded.loc[coded["source"] == "interview", "respondent_id"] if r in r_index})
        if "source" in coded else [],  # the interviewees, whose one-statement share each issue shows
        "st": [[r_index[s.respondent_id], theme_pos.get(s.theme_id, -1), stage_pos.get(s.stage or "unplaced", -1),
                polarity_pos.get(s.polarity, 2)] for s in themed.itertuples(index=False)],
        "issues": [[theme_pos.get(i["theme_id"], -1), stage_pos.get(i["stage"], -1), polarity_pos[i["polarity"]]]
                   for i in issues],
        "labels": [i["label"] for i in issues],
        "filters": [{"key": f["key"], "codes": f["codes"]} for f in filters],
        "scores": _scores(segments, respondents),
        "scales": {k: {"scale": metric[k]["scale"], "good_from": metric[k]["good_from"]}
                   for k in ("csat", "ces") if metric[k]},
        "shown": ISSUES_SHOWN,
        "strings": {k: t(k, lang) for k in JS_STRINGS},
    }
    settings = {**setting_rows({**result.settings, **(extra_settings or {})}, lang), t("report_lang", lang): lang}
    return {
        "lang": lang, "t": lambda key, **values: t(key, lang, **values),
        "study": result.study, "settings": settings,
        "wave": t("current_wave", lang) if result.wave == StudySection().wave else result.wave,
        "version": result.settings.get("teema", ""), "date": result.settings.get("date", ""),
        "counts": {
            "files": len(result.files_read), "not_read": len(not_read_files(result)), "statements": int(len(coded)),
            "coded": int((coded["theme_id"] != "").sum()), "respondents": total, "themes": len(result.themes),
            "failures": sum(i["polarity"] == "failure" for i in issues),
            "successes": sum(i["polarity"] == "success" for i in issues),
        },
        "stages": columns, "journey": journey_cells(themed, columns, issues, total, lang), "issues": issues,
        "journey_stages": has_journey(stages),
        "shown": ISSUES_SHOWN, "themes": themes, "metrics": metric, "filters": filters,
        "files": _files(segments, result.files_read, lang), "set_aside": _set_aside(segments, lang),
        "problems": [{"file": p.file, "message": p.message} for p in result.problems if not p.read],
        "warnings": [{"file": p.file, "message": p.message} for p in result.problems if p.read],
        "frames": frame_views(frames, themed, lang), "notices": notice_texts(getattr(result, "notices", []), lang),
        "data": data,
        "changes": change_views(getattr(result, "trends", None), {c["id"]: c["name"] for c in columns}, lang),
        "touchpoints": (sections or {}).get("touchpoints"), "targets": (sections or {}).get("targets"),  # issue 15
    }


def render_report(result: StudyResult, stages: LabelSet, lang: str = "auto",
                  extra_settings: dict[str, str] | None = None, sections: dict | None = None) -> str:
    """The report page as one HTML string; `sections` adds the touchpoint and target sections (issue 15)."""
    context = report_context(result, stages, lang, extra_settings, sections)
    return _environment().get_template("report.html.j2").render(**context)
