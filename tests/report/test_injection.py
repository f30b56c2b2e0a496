"""Hostile strings planted in every place a report string comes from (statements, file names, speaker names,
manifest metadata headers and values, feedback segment values, teema.toml's study name) stay inert: the real
`teema themes` run's index.html runs none of them in headless chromium, and no exported cell (CSV, actions.xlsx,
.qdpx notes and codes) starts with a formula prefix. Redaction is off, so every payload reaches the outputs."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.report.writers import FORMULA_PREFIXES
from tests.report.test_browser import run_chromium

pytestmark = pytest.mark.slow  # a real run (static embedder) and chromium: about a minute on two cores


def img(n: int) -> str:
    return f"<img src=x onerror=console.log({n})>"


def script(n: int) -> str:
    return f"</script><svg onload=console.log({n})>"


FORMULAS = ["=HYPERLINK(\"http://x\";\"klik\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd",
            "\t=1+1", "\r=1+1"]


def _docx(path: Path, rows: list[tuple[str, str]]) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=0, cols=2)
    for speaker, text in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = speaker, text
    document.save(path)


def _study(root: Path) -> Path:
    study = root / "study"
    study.mkdir()
    (study / "teema.toml").write_text(f'[study]\nname = "{img(1)}"\n\n[tag]\nenglish_model = ""\n', encoding="utf-8")
    statements = ["Lasku oli väärin kolme kertaa peräkkäin.", "Asiakastuki vastasi hitaasti.",
                  "The invoice was wrong again.", "Support was painfully slow."]
    for n in range(4):
        name = f"{img(2)}{n}.txt" if n < 2 else f"{script(3)}{n}.txt"
        (study / name).write_text(
            f"Haastattelija: Miten meni? {img(4)}\nVastaaja: {statements[n]} {img(5)} {script(6)}\n"
            f"Haastattelija: Entä muuta?\nVastaaja: {statements[(n + 1) % 4]} {FORMULAS[n]}\n", encoding="utf-8")
    _docx(study / "taulukko.docx", [("Haastattelija", "Miten meni?"),
                                    (script(7), f"Lasku oli taas väärin ja tuki hidas. {img(8)}"),
                                    ("Haastattelija", "Entä koulutus?"),
                                    (script(7), "Koulutus oli hyödyllinen.")])
    rows = [["id", "Avoin palaute", "Asiakassegmentti"]]
    rows += [[f"r{n}", f"{statements[n % 4]} {FORMULAS[n % len(FORMULAS)]}", img(9) if n % 2 else FORMULAS[0]]
             for n in range(8)]
    with (study / "kysely.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    with (study / "manifest.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([["tiedosto", img(10)], *[[f"{img(2)}{n}.txt", script(11)] for n in range(2)],
                                   *[[f"{script(3)}{n}.txt", "=1+1"] for n in (2, 3)]])
    return study


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("injection")
    study, out = _study(root), root / "report"
    assert main(["themes", str(study), "--out", str(out), "--embedder", "static", "--no-redact", "--quiet",
                 "--cache-dir", str(root / "cache"), "--lang", "en"]) == 0
    return study, out


def test_the_console_check_sees_a_payload_that_runs(tmp_path):
    page = tmp_path / "raw.html"
    page.write_text(f"<!DOCTYPE html><body>{img(99)}<script>var a = '{script(98)}';</script></body>", encoding="utf-8")
    _, console = run_chromium(page.as_uri(), "--dump-dom")
    assert any("99" in line for line in console) and any("98" in line for line in console)


def test_no_planted_markup_runs_in_the_report(report):
    _, out = report
    page = out / "index.html"
    html = page.read_text(encoding="utf-8")
    shown = [n for n in (1, 2, 3, 5, 7, 8, 9, 10, 11) if f"console.log({n})" in html]
    assert shown == [1, 2, 3, 5, 7, 8, 9, 10, 11], shown  # every place reached the page
    for url in (page.as_uri(), page.as_uri() + "#themes", page.as_uri() + "#issues?f:meta_segment=x"):
        dom, console = run_chromium(url, "--dump-dom")
        assert console == [], console
        assert not re.search(r"<(img|svg)\b[^>]*\bon(error|load)=", dom, re.I)


def _cells(out: Path, study: Path) -> list[tuple[str, str]]:
    cells = []
    for path in sorted(out.glob("*.csv")) + [study / "codebook.csv"]:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            delimiter = csv.Sniffer().sniff(handle.readline(), delimiters=",;\t").delimiter
            handle.seek(0)
            cells += [(path.name, cell) for row in csv.reader(handle, delimiter=delimiter) for cell in row]
    from openpyxl import load_workbook

    for path in (study / "actions.xlsx",):
        sheet = load_workbook(path).active
        cells += [(path.name, c) for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    with zipfile.ZipFile(next(out.glob("*.qdpx"))) as project:
        xml = project.read("project.qde").decode("utf-8")
    for tag in ("PlainTextContent", "Description"):
        cells += [("project.qde", m) for m in re.findall(rf"<{tag}>(.*?)</{tag}>", xml, re.S)]
    cells += [("project.qde", m) for m in re.findall(r'<Code [^>]*name="([^"]*)"', xml)]
    return cells


def test_no_exported_cell_starts_like_a_formula(report):
    study, out = report
    cells = _cells(out, study)
    planted = [c for _, c in cells if "cmd|" in c or "HYPERLINK" in c or "SUM(1+1)" in c]
    assert planted, "the formulas never reached the exports"
    risky = []
    for name, cell in cells:
        value = cell.replace("&#13;", "\r").replace("&#9;", "\t")
        if value.startswith(FORMULA_PREFIXES) and not re.fullmatch(r"-?\d+(\.\d+)?([eE]-?\d+)?", value):
            risky.append((name, cell[:60]))
    assert not risky, risky
