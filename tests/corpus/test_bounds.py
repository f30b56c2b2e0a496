"""Hostile files beside good ones (issue #16): each is named in one line, the rest of the study is read.

The zip bombs and links out of the folder have their own tests (test_bad_input.py, test_read.py); bench/chaos.py
runs all of them through the real command under /usr/bin/time -v for peak memory."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pipeline.config import StudyConfig
from pipeline.corpus import read_study
from pipeline.corpus.read import MAX_TURN_CHARS

GOOD = "Haastattelija: Miten meni?\nVastaaja: Lasku oli väärin kolme kertaa peräkkäin.\n"


def _study(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "hyva.txt").write_text(GOOD, encoding="utf-8")
    return folder


def test_a_single_line_longer_than_any_turn_is_named_and_not_read(tmp_path):
    study = _study(tmp_path / "s")
    words = "lasku tuki hidas sopimus koulutus " * 1000
    (study / "rivi.txt").write_text("Vastaaja: " + words * (MAX_TURN_CHARS // len(words) + 2), encoding="utf-8")
    turns, problems = read_study(study, StudyConfig())
    assert [(p.file, p.read) for p in problems] == [("rivi.txt", False)]
    assert problems[0].message.startswith("line 1: one turn of 2,0") and "split it" in problems[0].message
    assert set(turns["doc_id"]) == {"hyva.txt"}


def test_a_csv_with_100000_columns_is_named_and_not_read(tmp_path):
    study = _study(tmp_path / "s")
    header = ",".join(["id", "Avoin palaute", *(f"q{n}" for n in range(99_998))])
    row = ",".join(["r1", "Laskutus toimii nyt hyvin.", *("x" for _ in range(99_998))])
    (study / "leveä.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    turns, problems = read_study(study, StudyConfig())
    assert set(turns["doc_id"]) == {"hyva.txt"}
    assert [(p.file, p.message[:36]) for p in problems] == [("leveä.csv", "line 1 has 100,000 columns, over the")]


def test_nul_bytes_in_a_text_file_name_it_in_one_line(tmp_path):
    study = _study(tmp_path / "s")
    (study / "nollat.txt").write_bytes(b"Vastaaja: Lasku\x00 oli\x00 v\xc3\xa4\xc3\xa4rin.\x00\n" * 3)
    turns, problems = read_study(study, StudyConfig())
    assert set(turns["doc_id"]) == {"hyva.txt"} and not turns["text"].str.contains("\x00").any()
    assert [p.file for p in problems] == ["nollat.txt"] and "save it as UTF-8" in problems[0].message


def test_parent_paths_in_the_manifest_are_named_and_never_opened(tmp_path):
    study = _study(tmp_path / "s")
    (tmp_path / "salainen.txt").write_text("Vastaaja: Mikko Virtanen, 040 123 4567\n", encoding="utf-8")
    (study / "manifest.csv").write_text("tiedosto,segmentti\n../salainen.txt,pk\n../../../../etc/passwd,pk\n"
                                        "hyva.txt,suuri\n", encoding="utf-8")
    turns, problems = read_study(study, StudyConfig())
    assert set(turns["doc_id"]) == {"hyva.txt"} and turns["meta_segment"].tolist() == ["suuri", "suuri"]
    messages = [p.message for p in problems if p.file == "manifest.csv"]
    assert len(messages) == 2 and all("not a file in the study folder" in m for m in messages)
    assert not turns["text"].str.contains("Virtanen").any()


def test_xml_entity_expansion_in_a_docx_is_not_expanded(tmp_path):
    import docx

    study = _study(tmp_path / "s")
    document = docx.Document()
    document.add_paragraph("Vastaaja: Lasku oli väärin.")
    buffer = io.BytesIO()
    document.save(buffer)
    laughs = ['<!ENTITY a0 "naurua">'] + [f'<!ENTITY a{n} "{("&a" + str(n - 1) + ";") * 10}">' for n in range(1, 10)]
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(study / "naurut.docx", "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8").replace("?>", f"?><!DOCTYPE w:document [{''.join(laughs)}]>", 1)
                data = text.replace("Lasku oli väärin.", "Lasku oli väärin. &a9;").encode("utf-8")
            out.writestr(info, data)
    turns, problems = read_study(study, StudyConfig())
    assert "hyva.txt" in set(turns["doc_id"])
    assert turns["text"].str.len().max() < 10_000  # never a billion "naurua"
    assert all(p.file == "naurut.docx" and "\n" not in p.message for p in problems if not p.read)
