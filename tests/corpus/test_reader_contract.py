"""The contract every registered reader keeps (pipeline.corpus.read.readers): a tiny real file of its format
becomes turns with the expected columns and the respondent's words, and a damaged one becomes a one-line
problem that names the file, never a traceback. A new format registers a reader and adds its sample here."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from openpyxl import Workbook

from pipeline.config import StudyConfig
from pipeline.corpus.read import READERS, TURN_COLUMNS, read_study, readers

QUESTION, ANSWER = "Miten laskutus on toiminut?", "Lasku oli väärin kolme kertaa. The support never answered."


def _transcript(path: Path) -> None:
    path.write_text(f"Haastattelija: {QUESTION}\n\nVastaaja: {ANSWER}\n", encoding="utf-8")


def _subtitles(path: Path) -> None:
    cues = [("00:00:01.000", "00:00:04.000", "Haastattelija", QUESTION),
            ("00:00:05.000", "00:00:09.000", "Maija Virtanen", ANSWER)]
    if path.suffix == ".vtt":
        body = "WEBVTT\n\n" + "".join(f"{a} --> {b}\n<v {who}>{text}</v>\n\n" for a, b, who, text in cues)
    else:
        body = "".join(f"{n}\n{a.replace('.', ',')} --> {b.replace('.', ',')}\n{who}: {text}\n\n"
                       for n, (a, b, who, text) in enumerate(cues, start=1))
    path.write_text(body, encoding="utf-8")


def _docx(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph(f"Haastattelija: {QUESTION}")
    document.add_paragraph(f"Vastaaja: {ANSWER}")
    document.save(str(path))


def _pdf(path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in (f"Haastattelija: {QUESTION}", f"Vastaaja: {ANSWER}"):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _table(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter="\t" if path.suffix == ".tsv" else ",").writerows(
            [("Vastaajan tunnus", "Avoin palaute"), ("R1", ANSWER), ("R2", "Koulutus oli erinomainen.")])


def _xlsx(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    for row in (("Vastaajan tunnus", "Avoin palaute"), ("R1", ANSWER), ("R2", "Koulutus oli erinomainen.")):
        sheet.append(row)
    workbook.save(str(path))


def _parquet(path: Path) -> None:
    import pandas as pd

    pd.DataFrame({"Vastaajan tunnus": ["R1", "R2"], "Avoin palaute": [ANSWER, "Koulutus oli erinomainen."]}
                 ).to_parquet(path, index=False)


SAMPLES = {".parquet": _parquet, ".txt": _transcript, ".md": _transcript, ".vtt": _subtitles, ".srt": _subtitles, ".docx": _docx,
           ".pdf": _pdf, ".csv": _table, ".tsv": _table, ".xlsx": _xlsx, ".xlsm": _xlsx}


def test_every_registered_reader_has_a_sample_here():
    assert sorted(readers) == sorted(SAMPLES)


@pytest.mark.parametrize("suffix", list(readers))
def test_a_tiny_real_file_becomes_turns_with_the_expected_columns(tmp_path, suffix):
    path = tmp_path / f"vastaaja_1{suffix}"
    SAMPLES[suffix](path)
    notes: list[str] = []
    rows = readers[suffix](path, path.name, StudyConfig(), notes)
    assert rows and all(set(TURN_COLUMNS) <= set(row) for row in rows)
    turns, problems = read_study(tmp_path, StudyConfig())
    assert problems == []
    assert list(turns.columns[:len(TURN_COLUMNS)]) == TURN_COLUMNS
    said = " ".join(turns.loc[turns["role"] == "respondent", "text"])
    assert "Lasku oli väärin kolme kertaa." in said and "The support never answered." in said
    assert set(turns["doc_id"]) == {path.name} and turns["location"].str.startswith(f"{path.name}:").all()


@pytest.mark.parametrize("suffix", list(readers))
def test_a_damaged_file_is_named_in_one_line_without_a_traceback(tmp_path, suffix):
    good = tmp_path / "good" / f"hyvä{suffix}"
    good.parent.mkdir()
    SAMPLES[suffix](good)
    study = tmp_path / "study"
    study.mkdir()
    data = good.read_bytes()
    # a binary file cut in half keeps its signature but not its insides; a text file loses its structure
    damaged = data[:len(data) // 2] if readers.entry(suffix).info.get("binary") else \
        "pelkkää tekstiä ilman puhujia tai sarakkeita\n".encode()
    (study / f"rikki{suffix}").write_bytes(damaged)
    turns, problems = read_study(study, StudyConfig())
    assert turns.empty
    assert [p.file for p in problems] == [f"rikki{suffix}"] and not problems[0].read
    assert "\n" not in problems[0].message and "Traceback" not in problems[0].message


def test_the_old_name_still_reads_like_a_dict():
    assert READERS is readers and READERS.get(".docx") is readers[".docx"] and ".doc" not in READERS
