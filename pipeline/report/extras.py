"""Issue 15's report files and sections, in one call from write_report: touchpoints.csv and its section, the
targets' section and the action table's target links, and wave_measures.json for the next wave to compare with."""

from __future__ import annotations

from pathlib import Path

from pipeline.measures import MEASURES_FILE, earlier_measures, wave_measures, write_measures
from pipeline.report.actions import HEADERS, actions_table
from pipeline.report.i18n import choose_language
from pipeline.report.targets import target_links, target_rows, target_view
from pipeline.report.touchpoints import touchpoint_csv, touchpoint_view
from pipeline.report.writers import write_csv

TOUCHPOINTS_FILE = "touchpoints.csv"
TARGETS_FILE = "targets.csv"


def write_issue15(result, out_dir: Path, delimiter: str, lang: str, paths: dict[str, Path]) -> dict:
    """Writes the files (their paths go into `paths`) and returns the HTML sections ({"touchpoints", "targets"})."""
    lang = choose_language(lang, result.segments)
    earlier = earlier_measures(out_dir, result.study, result.wave) if result.state is not None else []
    previous = earlier[-1] if earlier else None
    sections: dict = {}
    table = touchpoint_csv(result, lang, previous)
    if table is not None:
        paths[TOUCHPOINTS_FILE] = out_dir / TOUCHPOINTS_FILE
        write_csv(table, paths[TOUCHPOINTS_FILE], delimiter)
        sections["touchpoints"] = touchpoint_view(table, result, lang, previous,
                                                  result.settings.get("touchpoints", ""))
    measures = wave_measures(result.study, result.wave, result.segments, result.themes, result.issues,
                             result.respondents)
    paths[MEASURES_FILE] = write_measures(out_dir, measures)
    targets = target_rows(result, measures, earlier)
    if targets is not None:
        paths[TARGETS_FILE] = out_dir / TARGETS_FILE
        write_csv(targets, paths[TARGETS_FILE], delimiter)
        sections["targets"] = target_view(result, measures, earlier, lang)
        links = target_links(result, measures, lang)
        if "actions.csv" in paths:  # the snapshot gets the same Target column as actions.xlsx
            actions = actions_table(result.issues, result.segments, result.stages, lang)
            keys = actions[HEADERS["key"][lang]] if len(actions) else []
            actions[HEADERS["target"][lang]] = [links.get(k, "") for k in keys]
            write_csv(actions, paths["actions.csv"], delimiter)
    return sections


def with_target_links(rows: list[dict], result, lang: str) -> list[dict]:
    """actions.xlsx's rows (from action_rows) with the target each issue works toward, when the study has any."""
    if not getattr(result, "targets", ()):
        return rows
    measures = wave_measures(result.study, result.wave, result.segments, result.themes, result.issues,
                             result.respondents)
    links = target_links(result, measures, choose_language(lang, result.segments))
    return [{**row, "target": links.get(row["key"], "")} for row in rows]
