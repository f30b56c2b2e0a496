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


def svg(n: int) -> str:  # a file name cannot hold the '/' of </script>
    return f"<svg onload=console.log({n})>"


FORMULAS = ["=HYPERLINK(\"http://x\";\"klik\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd",
            "\t=1+1", "\r=1+1"]


def entity(n: int) -> str:  # markup written as entities: decoded after the tags are removed, so it survives
    return f"&lt;img src=x onerror=console.log({n})&gt;"


def _study(root: Path) -> Path:
    """Payload n = 1 study name, 2 and 3 file names, 4-6 statements and questions (tags are removed at read),
    7 a speaker name (.vtt voice), 8, 12 and 13 (</script>) entity-encoded markup in a statement, 9 a feedback segment value, 10 a manifest
    header, 11 manifest values."""
    study = root / "study"
    study.mkdir()
    (study / "teema.toml").write_text(f'[study]\nname = "{img(1)}"\n\n[tag]\nenglish_model = ""\n', encoding="utf-8")
    statements = ["Lasku oli väärin kolme kertaa peräkkäin.", "Asiakastuki vastasi hitaasti.",
                  "The invoice was wrong again.", "Support was painfully slow."]
    names = [f"{img(2)}0.txt", f"{svg(3)}1.txt", "h02.txt", "h03.txt"]
    for n, name in enumerate(names):
        (study / name).write_text(
            f"Haastattelija: Miten meni? {img(4)}\nVastaaja: {statements[n]} {img(5)} {script(6)}\n"
            f"Haastattelija: Entä muuta?\nVastaaja: {statements[(n + 1) % 4]} {FORMULAS[n]} {entity(12)} "
            "&lt;/script&gt;&lt;script&gt;console.log(13)&lt;/script&gt;\n",
            encoding="utf-8")
    (study / "puhelu.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Haastattelija>Miten meni?</v>\n\n"
        f"00:00:05.000 --> 00:00:09.000\n<v {entity(7)} \"x\" &amp;>Lasku oli taas väärin ja tuki hidas.</v>\n\n"
        "00:00:10.000 --> 00:00:12.000\n<v Haastattelija>Entä koulutus?</v>\n\n"
        f"00:00:13.000 --> 00:00:16.000\n<v {entity(7)} \"x\" &amp;>Koulutus oli hyödyllinen. {entity(8)}</v>\n",
        encoding="utf-8")
    rows = [["id", "Avoin palaute", "Asiakassegmentti"]]
    rows += [[f"r{n}", f"{statements[n % 4]} {FORMULAS[n % len(FORMULAS)]}", entity(9) if n % 2 else FORMULAS[0]]
             for n in range(8)]
    with (study / "kysely.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    with (study / "manifest.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([["tiedosto", f"alue {entity(10)}"], ["h02.txt", entity(11)], ["h03.txt", "=1+1"]])
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
    shown = {n for n in range(1, 14) if f"console.log({n})" in html}
    assert {1, 2, 3, 9, 11, 12, 13} <= shown, shown  # these places reach the page (escaped); 4-6 are removed
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
        sheet = load_workbook(path).active  # text with Excel's quote prefix is shown and kept as text: "'" + value
        cells += [(path.name, ("'" if c.quotePrefix and c.data_type == "s" else "") + c.value)
                  for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    with zipfile.ZipFile(next(out.glob("*.qdpx"))) as project:
        xml = project.read("project.qde").decode("utf-8")
    for tag in ("PlainTextContent", "Description"):
        cells += [("project.qde", m) for m in re.findall(rf"<{tag}>(.*?)</{tag}>", xml, re.S)]
    cells += [("project.qde", m) for m in re.findall(r'<Code [^>]*name="([^"]*)"', xml)]
    return cells


def test_the_speaker_name_reaches_the_exports_as_text(report):
    _, out = report
    assert "<img src=x onerror=console.log(7)" in (out / "segments.csv").read_text(encoding="utf-8-sig")


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
