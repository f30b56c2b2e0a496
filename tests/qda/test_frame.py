"""Reading a team's code frame: a .qdc from another tool, a .qdpx's codes with their coded passages, a CSV in Finnish
or English; broken files give one line that names the file."""

from __future__ import annotations

import zipfile

import pytest

from pipeline.qda.frame import read_code_frame
from pipeline.qda.read import QdaError
from tests.qda.test_project import write

NVIVO_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo 14">
  <Codes>
    <Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="Laskutus" isCodable="true">
      <Description>Kaikki laskuihin liittyvä</Description>
      <Code guid="d7aa29da-519b-4946-9b90-253b6db8fd0a" name="Väärä summa" isCodable="true">
        <Description>Laskulla väärä summa tai tuplaveloitus</Description>
      </Code>
      <Code guid="4cc14fc8-3d79-4d5b-9d0e-67e0c8b1b5a1" name="Hyvitys viipyy" isCodable="true"/>
    </Code>
    <Code guid="{2a7d7f32-4a10-4a4e-8d53-2a2a0e6f8c11}" name="Support &amp; help" isCodable="true"/>
    <Code guid="8f5b1f0e-1d2c-4c3b-9a8e-7f6e5d4c3b2a" name="Ideas" isCodable="false"/>
  </Codes>
</CodeBook>
"""


def test_a_qdc_from_another_tool_gives_its_codable_leaves_under_their_themes(tmp_path):
    path = tmp_path / "koodit.qdc"
    path.write_text(NVIVO_QDC, encoding="utf-8")
    frame = read_code_frame(path)
    assert [(c.name, c.theme) for c in frame.codes] == [("Väärä summa", "Laskutus"), ("Hyvitys viipyy", "Laskutus"),
                                                         ("Support & help", "Support & help")]
    assert frame.codes[0].description == "Laskulla väärä summa tai tuplaveloitus"
    assert frame.themes == ["Laskutus", "Support & help"]


def test_a_qdpx_gives_its_theme_codes_with_the_coded_passages_as_examples(tmp_path):
    frame = read_code_frame(write(tmp_path))
    names = {c.name: c for c in frame.codes}
    assert set(names) == {"T01.1 lasku · virhe", "T01.2 hyvitys", "T02.1 training"}  # stages, polarity left out
    assert names["T01.1 lasku · virhe"].theme == "T01 Lasku oli väärin"
    assert set(names["T01.1 lasku · virhe"].examples) == {"Lasku oli väärin kolme kertaa.",
                                                          "Laskussa oli taas virhe."}


def test_a_finnish_csv_with_semicolons_and_one_example_per_row(tmp_path):
    path = tmp_path / "koodit.csv"
    path.write_text("Koodi;Kuvaus;Esimerkit\n"
                    "Laskuvirheet;Väärät laskut;Lasku oli väärin | Tuplalasku\n"
                    "Laskuvirheet;;Hyvitys viipyi\n"
                    "Hidas tuki;Tukeen ei saa yhteyttä;\n", encoding="cp1252")
    frame = read_code_frame(path)
    assert [(c.name, c.description, c.examples) for c in frame.codes] == [
        ("Laskuvirheet", "Väärät laskut", ("Lasku oli väärin", "Tuplalasku", "Hyvitys viipyi")),
        ("Hidas tuki", "Tukeen ei saa yhteyttä", ())]


def test_an_english_csv_with_a_parent_column(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("code,description,examples,parent\nWrong amount,,The invoice was wrong,Billing\n"
                    "Slow support,Tickets take days,,\n", encoding="utf-8")
    frame = read_code_frame(path)
    assert [(c.name, c.theme) for c in frame.codes] == [("Wrong amount", "Billing"), ("Slow support", "Slow support")]


@pytest.mark.parametrize(("name", "content", "says"), [
    ("codes.qdc", b"<CodeBook><Codes><Code", "not readable XML"),
    ("codes.qdc", b"<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>", "not a REFI-QDA codebook"),
    ("codes.qdc", b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes/></CodeBook>", "has no codes"),
    ("codes.qdpx", b"PK not really a zip", "not a REFI-QDA project"),
    ("codes.csv", b"kuvaus;esimerkit\nx;y\n", "no code name column"),
    ("codes.docx", b"x", "a .qdc codebook, a .qdpx project or a .csv"),
])
def test_a_broken_code_frame_says_which_file_and_what_to_do(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(QdaError) as error:
        read_code_frame(path)
    message = str(error.value)
    assert message.startswith(f"{name}: ") and says in message and "\n" not in message


def test_a_qdpx_without_its_project_file(tmp_path):
    path = tmp_path / "team.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Sources/a.txt", "x")
    with pytest.raises(QdaError, match="team.qdpx: no project.qde inside"):
        read_code_frame(path)


def test_a_missing_file_names_the_setting(tmp_path):
    with pytest.raises(QdaError, match=r"puuttuu.qdc: no such file .*\[themes\] code_frame"):
        read_code_frame(tmp_path / "puuttuu.qdc")
