"""The report folder: index.html, issues.csv, themes.csv, segments.csv, actions.csv."""

from __future__ import annotations

from pathlib import Path

from pipeline.report.html import render_report
from pipeline.report.tables import actions_table, issues_table, segments_table, themes_table
from pipeline.report.writers import write_csv, write_text_atomic
from pipeline.study import StudyResult


def write_report(result: StudyResult, out_dir: Path, delimiter: str = ",") -> dict[str, Path]:
    """Write every report file into `out_dir`; returns the paths by name."""
    stages = result.stages
    paths = {name: out_dir / name for name in
             ("index.html", "issues.csv", "themes.csv", "segments.csv", "actions.csv")}
    write_csv(issues_table(result.issues, result.segments, stages), paths["issues.csv"], delimiter)
    write_csv(themes_table(result.themes, result.segments), paths["themes.csv"], delimiter)
    write_csv(segments_table(result.segments), paths["segments.csv"], delimiter)
    write_csv(actions_table(result.issues, result.segments, stages), paths["actions.csv"], delimiter)
    write_text_atomic(paths["index.html"], render_report(result, stages))
    return paths


__all__ = ["write_report"]
