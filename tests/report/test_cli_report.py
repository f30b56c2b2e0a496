"""The command line's report options and the action table in the study folder, on a tiny real study."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.config import ConfigError, StudySection, parse_config
from pipeline.corpus.read import study_files

INTERVIEW = """Interview 1

Interviewer: How has invoicing worked for you?

Respondent: The invoice was wrong three times in a row, and the credit note took months.

Interviewer: And support?

Respondent: Support never answers, tickets wait a week. The training was excellent though.
"""


def _study(tmp_path):
    study = tmp_path / "small"
    study.mkdir()
    (study / "interview_1.txt").write_text(INTERVIEW, encoding="utf-8")
    texts = ["The invoice was wrong again.", "Laskussa oli virhe.", "Support never answers.", "Tuki vastaa hitaasti.",
             "Training was great.", "Koulutus oli hyvä.", "The invoice had wrong prices.", "Support is slow."]
    with (study / "survey.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "NPS"])
        writer.writerows((f"R{i}", texts[i % len(texts)], i % 11) for i in range(40))
    return study


@pytest.mark.slow
def test_lang_delimiter_and_action_table_across_two_runs(tmp_path, capsys):
    study = _study(tmp_path)
    out = tmp_path / "report"
    args = ["themes", str(study), "--out", str(out), "--lang", "fi", "--delimiter", ";"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "action table" in err and "actions.xlsx" in err
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fi">' in html and 'id="nps-card"' in html
    header = (out / "issues.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("rank;issue_id;polarity;")
    table = study / "actions.xlsx"
    workbook = load_workbook(table)
    assert workbook.active.title == "Toimenpiteet" and workbook.active["F1"].value == "Miten korjaamme sen?"
    workbook.active["F2"] = "Tarkistetaan laskut ennen lähetystä"
    workbook.save(table)
    typed = table.read_bytes()

    assert main(args) == 0
    err = capsys.readouterr().err
    assert "not read" not in err  # actions.xlsx is never taken for survey material
    with (out / "segments.csv").open(encoding="utf-8-sig", newline="") as handle:
        docs = {row["doc_id"] for row in csv.DictReader(handle, delimiter=";")}
    assert docs == {"interview_1.txt", "survey.csv"}
    assert table.read_bytes() == typed  # same material, same issues: nothing to change, nothing written
    assert not list(study.glob("actions.backup-*"))


def test_report_section_in_teema_toml():
    config = parse_config({"report": {"lang": "fi", "delimiter": ";"}})
    assert (config.report.lang, config.report.delimiter) == ("fi", ";")
    with pytest.raises(ConfigError, match=r"\[report\] delimiter"):
        parse_config({"report": {"delimiter": "|"}}, "teema.toml")
    with pytest.raises(ConfigError, match="unknown key 'language'"):
        parse_config({"report": {"language": "fi"}}, "teema.toml")


def test_own_files_are_never_material_whatever_exclude_says():
    assert "actions.xlsx" in parse_config({"study": {"exclude": ["*.bak"]}}).study.exclude
    assert {"actions.xlsx", "actions.backup-*.xlsx"} <= set(StudySection().exclude)


def test_a_studys_own_definitions_are_not_listed_as_unread_material(tmp_path):
    (tmp_path / "haastattelu.txt").write_text("Haastattelija: Miten meni?\nVastaaja: Lasku oli väärin.\n",
                                              encoding="utf-8")
    for name in ("small_talk.toml", "stages.toml", "teema.toml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "frames").mkdir()
    (tmp_path / "frames" / "pillars.toml").write_text("", encoding="utf-8")
    for config in (parse_config({}), parse_config({"study": {"exclude": ["*.bak"]}})):
        assert [p.name for p in study_files(tmp_path, config)] == ["haastattelu.txt"]
