"""The report folder (index.html, issues.csv, themes.csv, subthemes.csv, segments.csv, actions.csv) and the
study's actions.xlsx."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.hierarchy import SUBTHEME_COLUMNS
from pipeline.qda.export import write_qda
from pipeline.report.actions import (
    ACTIONS_FILE,
    ActionsError,
    MergeResult,
    action_rows,
    actions_table,
    merge_actions,
    quote_themes,
    read_decisions,
)
from pipeline.report.extras import with_target_links, write_issue15
from pipeline.report.html import render_report
from pipeline.report.i18n import choose_language
from pipeline.report.tables import issues_table, segments_table, subthemes_table, themes_table, with_trends
from pipeline.report.writers import DelimiterError, decimal_mark, resolve_delimiter, write_csv, write_text_atomic
from pipeline.study import StudyResult
from pipeline.waves import STATE_FILE


def write_report(result: StudyResult, out_dir: Path, delimiter: str = ",", lang: str = "auto") -> dict[str, Path]:
    """Write every report file into `out_dir`; returns the paths by name.

    `delimiter` is ',', ';', 'tab' or 'auto' (from the locale); `lang` is 'fi', 'en' or 'auto' (the material's).
    """
    stages = result.stages
    delimiter = resolve_delimiter(delimiter)
    paths = {name: out_dir / name for name in
             ("index.html", "issues.csv", "themes.csv", "subthemes.csv", "segments.csv", "actions.csv")}
    trends = result.trends or {}
    subthemes = result.subthemes if result.subthemes is not None else pd.DataFrame(columns=SUBTHEME_COLUMNS)
    issues = issues_table(result.issues, result.segments, stages, subthemes)
    themes = themes_table(result.themes, result.segments)
    if trends:
        issues = with_trends(issues, trends["issues"], "issue_id")
        themes = with_trends(themes, trends["themes"], "theme_id")
        paths["trends.csv"] = out_dir / "trends.csv"
        write_csv(trends["issues"], paths["trends.csv"], delimiter)
    write_csv(issues, paths["issues.csv"], delimiter)
    write_csv(themes, paths["themes.csv"], delimiter)
    write_csv(subthemes_table(subthemes, result.themes, result.segments), paths["subthemes.csv"], delimiter)
    write_csv(segments_table(result.segments), paths["segments.csv"], delimiter)
    write_csv(actions_table(result.issues, result.segments, stages, choose_language(lang, result.segments)),
              paths["actions.csv"], delimiter)
    shown = "tab" if delimiter == "\t" else delimiter
    csv_setting = {"csv": f"UTF-8 BOM, delimiter '{shown}', decimal '{decimal_mark(delimiter)}'"}
    sections = write_issue15(result, out_dir, delimiter, lang, paths)  # issue 15: touchpoints, targets, measures
    write_text_atomic(paths["index.html"], render_report(result, stages, lang, csv_setting, sections))
    paths.update(write_qda(result, out_dir, choose_language(lang, result.segments)))  # issue 15: .qdpx + .qdc
    if result.state is not None:  # what the next wave matches its themes against
        paths[STATE_FILE] = out_dir / STATE_FILE
        write_text_atomic(paths[STATE_FILE], result.state.to_json())
    return paths


def write_actions(result: StudyResult, study_dir: Path, lang: str = "auto", now: datetime | None = None
                  ) -> MergeResult:
    """Create or merge the study folder's actions.xlsx with this run's ranked failures."""
    lang = choose_language(lang, result.segments)
    rows = with_target_links(action_rows(result.issues, result.segments, result.stages, lang), result, lang)  # #15
    return merge_actions(study_dir / ACTIONS_FILE, rows, result.wave, lang, now, quote_themes(result.segments))


__all__ = ["ACTIONS_FILE", "ActionsError", "DelimiterError", "MergeResult", "read_decisions", "write_actions",
           "write_report"]
