"""`teema themes` writes `<study>.qdpx` and `codebook.qdc` beside the report: valid, redacted, readable back."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from lxml import etree

from pipeline.cli import main
from pipeline.qda.codebook import SCHEMA as CODEBOOK_SCHEMA
from pipeline.qda.guids import guid
from pipeline.qda.read import read_codes, read_project
from tests.qda.test_project import SCHEMA

INTERVIEW = """Haastattelu 1

Mikko Virtanen: Miten laskutus on toiminut?

Anna Korhonen: Lasku oli väärin kolme kertaa peräkkäin, ja hyvityslasku tuli vasta kuukausien päästä.

Mikko Virtanen: Entä tuki?

Anna Korhonen: Tukeen ei saa yhteyttä, soitin numeroon 040 123 4567 ja kirjoitin osoitteeseen anna.korhonen@example.fi. Koulutus oli kyllä erinomainen.
"""


def _study(tmp_path: Path) -> Path:
    study = tmp_path / "pieni"
    study.mkdir()
    (study / "haastattelu_1.txt").write_text(INTERVIEW, encoding="utf-8")
    texts = ["The invoice was wrong again.", "Laskussa oli virhe.", "Support never answers.",
             "Tuki vastaa hitaasti.", "Training was great.", "Koulutus oli hyvä.", "-", "ei kommentteja"]
    rows = [("id", "text"), *((f"R{i}", texts[i % len(texts)]) for i in range(40))]
    with (study / "kysely.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return study


def test_a_run_writes_a_valid_redacted_project_and_codebook(tmp_path):
    out = tmp_path / "report"
    assert main(["themes", str(_study(tmp_path)), "--out", str(out), "--wave", "2026-11", "--quiet"]) == 0
    path = out / "pieni.qdpx"
    with zipfile.ZipFile(path) as archive:
        etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(etree.fromstring(archive.read("project.qde")))
        everything = "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    for personal in ("anna.korhonen@example.fi", "040 123 4567", "Korhonen", "Virtanen"):
        assert personal not in everything
    assert "[EMAIL]" in everything

    project = read_project(path)
    with (out / "segments.csv").open(encoding="utf-8-sig") as handle:
        exported = {r["text"] for r in csv.DictReader(handle) if r["theme_id"]}
    coded = {project.text_of(s) for s in project.selections if s.codes}
    assert coded and coded <= exported  # every selection is exactly one exported statement
    assert {"R0", "R1", "haastattelu_1"} <= set(project.cases)

    touchpoint_codes = [c for c in project.codes.values() if c.parent == guid("code", "group:touchpoint")]
    assert touchpoint_codes and any(s.codes for s in project.selections)
    assert (out / "touchpoints.csv").exists() and (out / "wave_measures.json").exists()

    codebook = etree.parse(str(out / "codebook.qdc"))
    etree.XMLSchema(etree.parse(str(CODEBOOK_SCHEMA))).assertValid(codebook)
    assert {c.name for c in read_codes(out / "codebook.qdc")} == {c.name for c in project.codes.values()}
