"""The HTML report: one self-contained, autoescaped page that opens offline."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pandas as pd

from pipeline.study import StudyResult
from pipeline.tagging import LabelSet

TEMPLATES = Path(__file__).parent / "templates"
TOP_FAILURES = 25


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _quotes(ids: list[str], by_id: pd.DataFrame) -> list[dict]:
    return [{"text": by_id.at[i, "text"], "location": by_id.at[i, "location"],
             "respondent": by_id.at[i, "respondent_id"]} for i in ids if i in by_id.index]


def _issue_view(issue, by_id: pd.DataFrame, stages: LabelSet) -> dict:
    stage = stages.get(issue.stage)
    return {
        "rank": issue.rank, "id": issue.issue_id, "label": issue.theme_label, "theme_id": issue.theme_id,
        "stage": stage.name_en if stage else issue.stage, "stage_fi": stage.name_fi if stage else "",
        "respondents": issue.respondents, "mentions": issue.mentions,
        "share": f"{issue.share_of_respondents:.0%}", "quotes": _quotes(issue.quote_ids, by_id),
    }


def report_context(result: StudyResult, stages: LabelSet) -> dict:
    """Everything the template shows, as plain values."""
    by_id = result.segments.set_index("segment_id")
    issues = result.issues
    failures = [_issue_view(i, by_id, stages) for i in issues[issues["polarity"] == "failure"].itertuples()]
    successes = [_issue_view(i, by_id, stages) for i in issues[issues["polarity"] == "success"].itertuples()]
    coded = result.segments[result.segments["role"] == "respondent"]
    journey = []
    for label in stages.labels:
        stage_rows = issues[issues["stage"] == label.id]
        journey.append({
            "name": label.name_en, "name_fi": label.name_fi,
            "failures": [f for f in failures if f["stage"] == label.name_en][:5],
            "successes": [s for s in successes if s["stage"] == label.name_en][:5],
            "failure_mentions": int(stage_rows.loc[stage_rows["polarity"] == "failure", "mentions"].sum()),
            "success_mentions": int(stage_rows.loc[stage_rows["polarity"] == "success", "mentions"].sum()),
        })
    themes = [{
        "id": t.theme_id, "label": t.label, "keywords": t.keywords, "mentions": t.mentions,
        "respondents": t.respondents, "quotes": _quotes(t.quote_ids, by_id),
    } for t in result.themes.itertuples()]
    unassigned = coded["unassigned_reason"].value_counts().sort_index()
    return {
        "study": result.study, "wave": result.wave, "settings": result.settings,
        "counts": {
            "files": len(result.files_read), "statements": int(len(coded)),
            "coded": int((coded["theme_id"] != "").sum()), "respondents": result.respondents,
            "themes": len(result.themes), "failures": len(failures), "successes": len(successes),
        },
        "unassigned": [{"reason": k, "count": int(v)} for k, v in unassigned.items() if k],
        "journey": journey, "failures": failures[:TOP_FAILURES], "more_failures": len(failures) - TOP_FAILURES,
        "successes": successes, "themes": themes,
        "problems": [{"file": p.file, "message": p.message} for p in result.problems],
        "files": result.files_read,
    }


def render_report(result: StudyResult, stages: LabelSet) -> str:
    return _environment().get_template("report.html.j2").render(**report_context(result, stages))
