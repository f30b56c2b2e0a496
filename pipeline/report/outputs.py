"""The files of a report folder, each one registered output: `@outputs.register("issues.csv")` on a function
that writes it. `write_report` runs every registered output that applies to the run (trends.csv only with an
earlier wave, wave_state.json only in a study with waves); every output passes
tests/report/test_output_contract.py (the file exists, and the same result writes the same bytes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from pipeline.hierarchy import SUBTHEME_COLUMNS
from pipeline.registry import Registry
from pipeline.report.actions import actions_table
from pipeline.report.html import render_report
from pipeline.report.i18n import choose_language
from pipeline.report.tables import issues_table, segments_table, subthemes_table, themes_table, with_trends
from pipeline.report.writers import decimal_mark, write_csv, write_text_atomic
from pipeline.study import StudyResult
from pipeline.theme_model import MODEL_FILE
from pipeline.waves import STATE_FILE


@dataclass
class ReportInput:
    """What the outputs read: the study's result and this run's settings; the tables that several outputs
    share (issues and themes with their trends) are made once, when first asked for."""

    result: StudyResult
    delimiter: str  # resolved: ",", ";" or "\t"
    lang: str  # "fi", "en" or "auto" (the material's)
    sections: dict = field(default_factory=dict)  # the page's touchpoint and target sections (report.extras)

    @cached_property
    def subthemes(self) -> pd.DataFrame:
        given = self.result.subthemes
        return given if given is not None else pd.DataFrame(columns=SUBTHEME_COLUMNS)

    @cached_property
    def trends(self) -> dict:
        return self.result.trends or {}

    @cached_property
    def issues(self) -> pd.DataFrame:
        table = issues_table(self.result.issues, self.result.segments, self.result.stages, self.subthemes)
        return with_trends(table, self.trends["issues"], "issue_id") if self.trends else table

    @cached_property
    def themes(self) -> pd.DataFrame:
        table = themes_table(self.result.themes, self.result.segments)
        return with_trends(table, self.trends["themes"], "theme_id") if self.trends else table


Output = Callable[[ReportInput, Path], None]
outputs: Registry[Output] = Registry("output")


def applies(name: str, report: ReportInput) -> bool:
    """Whether this run writes the output `name` (an output registered with `when=` writes only when it says)."""
    when = outputs.entry(name).info.get("when")
    return bool(when(report)) if when is not None else True


@outputs.register("index.html", description="the report, one self-contained HTML file")
def _index_html(report: ReportInput, path: Path) -> None:
    shown = "tab" if report.delimiter == "\t" else report.delimiter
    csv_setting = {"csv": f"UTF-8 BOM, delimiter '{shown}', decimal '{decimal_mark(report.delimiter)}'"}
    write_text_atomic(path, render_report(report.result, report.result.stages, report.lang, csv_setting,
                                          report.sections))


@outputs.register("issues.csv", description="one row per issue (theme x stage x polarity), ranked")
def _issues_csv(report: ReportInput, path: Path) -> None:
    write_csv(report.issues, path, report.delimiter)


@outputs.register("themes.csv", description="one row per theme")
def _themes_csv(report: ReportInput, path: Path) -> None:
    write_csv(report.themes, path, report.delimiter)


@outputs.register("subthemes.csv", description="one row per sub-theme, with its theme")
def _subthemes_csv(report: ReportInput, path: Path) -> None:
    write_csv(subthemes_table(report.subthemes, report.result.themes, report.result.segments), path,
              report.delimiter)


@outputs.register("segments.csv", description="every statement with its theme, stage and polarity")
def _segments_csv(report: ReportInput, path: Path) -> None:
    write_csv(segments_table(report.result.segments), path, report.delimiter)


@outputs.register("actions.csv", description="a snapshot of this run's action rows")
def _actions_csv(report: ReportInput, path: Path) -> None:
    result = report.result
    write_csv(actions_table(result.issues, result.segments, result.stages,
                            choose_language(report.lang, result.segments)), path, report.delimiter)


@outputs.register("trends.csv", description="each issue's share of respondents per wave",
                  when=lambda report: bool(report.trends))
def _trends_csv(report: ReportInput, path: Path) -> None:
    write_csv(report.trends["issues"], path, report.delimiter)


@outputs.register(STATE_FILE, description="what the next run (a re-run or the next wave) matches its themes against",
                  when=lambda report: report.result.state is not None)
def _wave_state(report: ReportInput, path: Path) -> None:
    write_text_atomic(path, report.result.state.to_json())


@outputs.register(MODEL_FILE, description="the fitted theme model: new rows or a later wave assigned without a refit",
                  when=lambda report: report.result.model is not None)
def _theme_model(report: ReportInput, path: Path) -> None:
    report.result.model.save(path)
