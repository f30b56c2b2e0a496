"""The report folder (index.html, issues.csv, themes.csv, subthemes.csv, segments.csv, actions.csv, and the
other registered outputs of pipeline.report.outputs) and the study's actions.xlsx."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pipeline.qda.export import write_qda
from pipeline.report.actions import (
    ACTIONS_FILE,
    ActionsError,
    Lineage,
    MergeResult,
    action_rows,
    merge_actions,
    quote_themes,
    read_decisions,
)
from pipeline.report.extras import with_target_links, write_issue15
from pipeline.report.i18n import choose_language
from pipeline.report.outputs import ReportInput, applies, outputs
from pipeline.report.writers import DelimiterError, resolve_delimiter
from pipeline.study import StudyResult


def write_report(result: StudyResult, out_dir: Path, delimiter: str = ",", lang: str = "auto") -> dict[str, Path]:
    """Write every report file that applies to this run into `out_dir` (the registered outputs,
    pipeline.report.outputs); returns the paths by name.

    `delimiter` is ',', ';', 'tab' or 'auto' (from the locale); `lang` is 'fi', 'en' or 'auto' (the material's).
    """
    report = ReportInput(result, resolve_delimiter(delimiter), lang)
    paths = {name: out_dir / name for name in outputs if applies(name, report)}
    for name, path in paths.items():  # the page last: it shows the sections the other files are made with
        if name != "index.html":
            outputs[name](report, path)
    # Touchpoints, targets and the measures a later wave compares with (their sections go into the page).
    report.sections = write_issue15(result, out_dir, report.delimiter, lang, paths)
    outputs["index.html"](report, paths["index.html"])
    paths.update(write_qda(result, out_dir, choose_language(lang, result.segments)))  # REFI-QDA .qdpx and .qdc
    return paths


def write_actions(result: StudyResult, study_dir: Path, lang: str = "auto", now: datetime | None = None
                  ) -> MergeResult:
    """Create or merge the study folder's actions.xlsx with this run's ranked failures."""
    lang = choose_language(lang, result.segments)
    rows = with_target_links(action_rows(result.issues, result.segments, result.stages, lang), result, lang)  # #15
    return merge_actions(study_dir / ACTIONS_FILE, rows, result.wave, lang, now, quote_themes(result.segments),
                         lineage_of(result))


def lineage_of(result: StudyResult) -> Lineage:
    """Which themes the run matched by content, and the codebook's merges, splits and themes set aside."""
    edits, match = result.edits, result.match
    return Lineage(matched=frozenset(match.labels) if match is not None else frozenset(),
                   merged=dict(edits.merged) if edits is not None else {},
                   split={k: list(v) for k, v in edits.split.items()} if edits is not None else {},
                   not_relevant=frozenset(edits.not_relevant) if edits is not None else frozenset(),
                   renamed=frozenset(edits.labels) if edits is not None else frozenset())


__all__ = ["ACTIONS_FILE", "ActionsError", "DelimiterError", "MergeResult", "read_decisions", "write_actions",
           "outputs", "write_report"]
