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
    "pommi.docx": "expands",
    "pommi.xlsx": "expands",
    "kappaleita.docx": "paragraphs",
    "vuoroja.txt": "speaker turns",
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


def _zip_bomb(path: Path, member: str, head: str, repeated: str, tail: str, size: int) -> None:
    """A real package whose `member` expands to about `size` bytes of `repeated` (it compresses ~1000 times)."""
    template = path.with_suffix(".template" + path.suffix)
    if path.suffix == ".docx":
        import docx

        docx.Document().save(template)
    else:
        workbook = Workbook()
        workbook.active.append(["id", "palaute"])
        workbook.active.append(["V1", "pommi"])
        workbook.save(template)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != member:
                archive.writestr(info, source.read(info))
        with archive.open(member, "w", force_zip64=True) as out:
            out.write(head.encode())
            block = (repeated * (1_000_000 // len(repeated) + 1)).encode()
            for _ in range(size // len(block) + 1):
                out.write(block)
            out.write(tail.encode())
    template.unlink()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _write_bombs(folder: Path) -> None:
    """Small files that expand far (refused from the zip directory, never read whole) or hold absurd counts."""
    _zip_bomb(folder / "pommi.docx", "word/document.xml", f"<w:document {_W}><w:body>",
              "<w:p><w:r><w:t>Vastaaja: joo</w:t></w:r></w:p>", "</w:body></w:document>", 20_000_000)
    _zip_bomb(folder / "pommi.xlsx", "xl/sharedStrings.xml",
              '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>id</t></si>'
              "<si><t>palaute</t></si><si><t>V1</t></si><si><t>", "pommi ", "</t></si></sst>", 20_000_000)
    _zip_bomb(folder / "kappaleita.docx", "word/document.xml", f"<w:document {_W}><w:body>", "<w:p/>",
              "</w:body></w:document>", 700_000)  # over 100,000 paragraphs in well under the bomb size
    (folder / "vuoroja.txt").write_text("Haastattelija: Miten meni?\n" + "Vastaaja: Hyvin meni.\n" * 20_001,
                                        encoding="utf-8")


def _write_binary_files(folder: Path) -> None:
    _write_bombs(folder)
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


def test_zip_bombs_are_refused_from_the_directory_without_reading_them(tmp_path, monkeypatch):
    """The real defaults refuse the 20 MB bombs above by their ratio; a package that expands past the total cap
    (made small here) is refused too, and the rest of the study is read."""
    import pipeline.corpus.archive as archive
    from pipeline.corpus.archive import check_package
    from pipeline.corpus.problems import ReadError

    folder = tmp_path / "pommit"
    folder.mkdir()
    _write_bombs(folder)
    for name in ("pommi.docx", "pommi.xlsx"):
        assert (folder / name).stat().st_size < 200_000
        with zipfile.ZipFile(folder / name) as package:
            assert sum(i.file_size for i in package.infolist()) > 20_000_000
        with pytest.raises(ReadError, match="expands .* times"):
            check_package(folder / name)
    check_package(folder / "kappaleita.docx")  # not a bomb by size: the paragraph count refuses it
    shutil.copy(BAD_INPUT / "hyva_haastattelu.txt", folder / "hyva_haastattelu.txt")
    import docx

    document = docx.Document()
    for number in range(40):
        document.add_paragraph(f"Vastaaja: Lasku numero {number} oli väärin ja tuki vastasi viikon päästä.")
    document.save(folder / "iso.docx")
    monkeypatch.setattr(archive, "MAX_EXPANDED_BYTES", 20_000)
    turns, problems = read_study(folder, StudyConfig())
    messages = {p.file: p.message for p in problems}
    assert messages["iso.docx"].startswith("it expands to over 0.02 MB when unpacked")
    assert set(turns["doc_id"]) == {"hyva_haastattelu.txt"}


def test_a_turn_over_a_million_characters_is_read_and_split(tmp_path):
    """spaCy refused texts over 1,000,000 characters (E088) and the whole run died; now the turn is cut into
    pieces and every sentence is kept."""
    sentence = "Tuki vastasi tikettiin vasta viikon päästä. "
    (tmp_path / "pitka.txt").write_text("Vastaaja: " + sentence * 26_000 + "Loppu oli kuitenkin hyvä ja selkeä.\n",
                                        encoding="utf-8")
    turns, problems = read_study(tmp_path, StudyConfig())
    assert not problems and len(turns["text"][0]) > 1_000_000
    segments = segment_turns(turns, "w")
    assert len(segments) == 26_001
    assert segments["text"].iloc[0] == sentence.strip()
    assert segments["text"].iloc[-1] == "Loppu oli kuitenkin hyvä ja selkeä."
