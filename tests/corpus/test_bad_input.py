"""Any file a researcher might drop in: no traceback, no lost statement, one clear line per file not read.

The text files live in tests/corpus/bad_input/ (see its README); binary, damaged and oversized
files are written here at run time with the real libraries.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from fpdf import FPDF
from openpyxl import Workbook

from pipeline.cli import main
from pipeline.config import StudyConfig
from pipeline.corpus.read import MAX_FILE_BYTES, read_study
from pipeline.corpus.segment import segment_turns

BAD_INPUT = Path(__file__).parent / "bad_input"

# File -> a word its one-line message must contain.
NOT_READ = {
    "empty.txt": "empty",
    "blank.md": "blank",
    "kopiot/hyva_haastattelu (kopio).txt": "same content as hyva_haastattelu.txt",
    "muistiinpanot.txt": "no speaker labels",
    "vain_haastattelija.txt": "interviewer",
    "ei_taulukko.csv": "does not look like a table",
    "ei_tekstisaraketta.csv": "no text column",
    "ei_puhujia.vtt": "name no speakers",
    "nimetty_vaarin.docx": "not a real .docx",
    "kuva.png": "'.png' files are not read",
    "binaari.txt": "does not look like text",
    "rikki.xlsx": "not a readable Excel file",
    "vaara_zip.xlsx": "not a readable Excel file",
    "vanha.doc": "save it in Word as .docx",
    "skannattu.pdf": "no text layer",
    "rikki.pdf": "not a readable PDF",
    "valtava.txt": "200 MB",
    "docx_nimella_txt.txt": "Word (.docx) or Excel (.xlsx)",
}
# File -> statements that must come through whole, whatever was around them.
KEPT = {
    "hyva_haastattelu.txt": ["Laskut ovat tulleet väärin kolme kertaa peräkkäin, ja hyvityslasku tuli vasta "
                             "kuukausien päästä.", "Koulutus oli erinomainen, kouluttaja tunsi meidän alan."],
    "html_palaute.csv": ["Laskutus on sekaisin & tuki vastaa hitaasti",
                         "Hinta nousi kesken sopimuskauden ilman ilmoitusta",
                         "Sovellus toimii hyvin kentällä.", "Huoltomiehet tykkäävät siitä.",
                         "Hinta < 100 € kuukaudessa olisi reilu, nyt se on > 200 €"],
    "emoji.md": ["Brilliant 👍🎉 the trainer knew field service inside out and the videos were short.",
                 "Support is slow 😩😩 tickets wait a week before anyone answers."],
    "nollaleveys.txt": ["Tuki on hidas, tiketteihin vastataan vasta viikon päästä.",
                        "Sovellus on nopea ja helppo käyttää kentällä."],
}


def _write_binary_files(folder: Path) -> None:
    (folder / "kuva.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "binaari.txt").write_bytes(bytes((i * 37 + 11) % 256 for i in range(4096)))
    (folder / "rikki.xlsx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00\xff" * 300)  # a cut-off download
    with zipfile.ZipFile(folder / "vaara_zip.xlsx", "w") as archive:  # a zip, but not a workbook
        archive.writestr("readme.txt", "not a workbook")
    (folder / "vanha.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 170, 250, style="F")  # a page with a picture on it and no text, like a scan
    pdf.output(str(folder / "skannattu.pdf"))
    (folder / "rikki.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n")
    workbook = Workbook()
    workbook.active.append(["id", "text"])
    workbook.save(folder / "docx_nimella_txt.txt")
    with (folder / "valtava.txt").open("wb") as handle:  # 200 MB, sparse: nothing is really written
        handle.truncate(200_000_000)


@pytest.fixture()
def bad_study(tmp_path) -> Path:
    folder = tmp_path / "huono"
    shutil.copytree(BAD_INPUT, folder)
    _write_binary_files(folder)
    return folder


def test_every_bad_file_is_named_once_with_what_to_do_and_nothing_is_lost(bad_study):
    assert os.path.getsize(bad_study / "valtava.txt") > MAX_FILE_BYTES
    turns, problems = read_study(bad_study, StudyConfig())
    messages = {p.file: p.message for p in problems}
    assert len(messages) == len(problems), "a file is reported twice"
    assert set(messages) == set(NOT_READ), sorted(messages)
    for name, word in NOT_READ.items():
        line = str(next(p for p in problems if p.file == name))
        assert line.startswith(f"{name}: ") and "\n" not in line and word in line, line
        assert ";" in line or "," in line, f"says what is wrong but not what to do: {line}"
    assert set(turns["doc_id"]) == set(KEPT)
    segments = segment_turns(turns, "w")
    for name, statements in KEPT.items():
        text = " ".join(segments.loc[segments["doc_id"] == name, "text"])
        for statement in statements:
            assert statement in text, (name, statement)
    assert "README.md" not in messages and "README.md" not in set(turns["doc_id"])
    assert not any("<script" in t or "\u200b" in t for t in segments["text"])


def test_the_run_reports_files_not_read_and_exits_zero_while_something_is_usable(bad_study, tmp_path, capsys,
                                                                                 tmp_path_factory):
    out = tmp_path / "raportti"
    cache = tmp_path_factory.getbasetemp() / "teema-cache-shared"
    assert main(["themes", str(bad_study), "--out", str(out), "--cache-dir", str(cache)]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for name in NOT_READ:
        assert f"not read: {name}: " in err, name
    html = (out / "index.html").read_text(encoding="utf-8")
    assert all(Path(name).name.replace("(", "").split()[0] in html for name in NOT_READ)


def test_nothing_usable_exits_one_with_the_reasons(tmp_path, capsys):
    folder = tmp_path / "vain_huonoja"
    folder.mkdir()
    for name in ("empty.txt", "muistiinpanot.txt", "vain_haastattelija.txt", "ei_tekstisaraketta.csv"):
        shutil.copy(BAD_INPUT / name, folder / name)
    _write_binary_files(folder)
    assert main(["themes", str(folder), "--out", str(tmp_path / "r"), "--no-cache"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "no respondent statements" in err
    assert "not read: muistiinpanot.txt: no speaker labels" in err and "not read: valtava.txt: " in err
