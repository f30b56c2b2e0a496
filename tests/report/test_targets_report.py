"""The report opens on the targets, targets.csv keeps them, and the action table links each issue to its target."""

from __future__ import annotations

import csv
import dataclasses

import numpy as np
from openpyxl import load_workbook

from pipeline.config import parse_config
from pipeline.report import write_actions, write_report
from pipeline.waves import WaveState
from tests.report.conftest import build_result

TARGETS = parse_config({"targets": {"by": "2027-06", "nps": 0, "csat": {"value": 4.5, "by": "2027-12"},
                                    "themes": {"T01": 0.2}}}).targets.targets


def _result(wave: str, targets=TARGETS):
    result = build_result()
    state = WaveState(wave, result.respondents, [], [], np.zeros((0, 2)), np.zeros(2), [])
    return dataclasses.replace(result, wave=wave, targets=targets, state=state)


def _csv(path):
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_targets_open_the_report_with_the_trend_and_go_to_targets_csv(tmp_path):
    first, second = tmp_path / "pieni" / "2026-05", tmp_path / "pieni" / "2026-11"
    first.mkdir(parents=True)
    second.mkdir()
    write_report(_result("2026-05"), first, lang="en")
    paths = write_report(_result("2026-11"), second, lang="en")
    rows = {r["target"]: r for r in _csv(paths["targets.csv"])}
    assert set(rows) == {"NPS", "CSAT", "theme T01"}
    assert rows["theme T01"]["met"] == "False" and rows["theme T01"]["by"] == "2027-06"
    assert rows["NPS"]["trend"].startswith("2026-05=") and "2026-11=" in rows["NPS"]["trend"]
    html = (second / "index.html").read_text(encoding="utf-8")
    assert html.index('id="targets"') < html.index('id="journey"')  # the opening
    assert "≤ 20% by 2027-06" in html and "2026-05: " in html and "→ 2026-11: " in html

    actions = _csv(paths["actions.csv"])
    linked = [a for a in actions if a["Target (teema)"]]
    assert linked and all(a["Target (teema)"].startswith("Theme T01 ") for a in linked)
    assert all(a["Issue key"].startswith("T01-") for a in linked)


def test_the_action_table_gets_the_target_column_and_keeps_what_people_typed(tmp_path):
    plain = write_actions(_result("2026-05", targets=()), tmp_path, lang="fi")
    sheet = load_workbook(plain.path).active
    header = [c.value for c in sheet[1]]
    assert "Tavoite (teema)" not in header  # no targets, no column
    fix = header.index("Miten korjaamme sen?") + 1
    sheet.cell(row=2, column=fix, value="Laskutus tarkistaa summat")
    sheet.parent.save(plain.path)

    write_actions(_result("2026-11"), tmp_path, lang="fi")
    sheet = load_workbook(plain.path).active
    header = [c.value for c in sheet[1]]
    assert header[-1] == "Tavoite (teema)"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][fix - 1] == "Laskutus tarkistaa summat"
    key = header.index("Havainnon tunniste")
    assert any(r[-1] and r[-1].startswith("Teema T01 ") and "nyt" in r[-1] for r in rows if r[key].startswith("T01"))
