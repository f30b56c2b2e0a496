"""issues.csv, themes.csv and segments.csv opened as a spreadsheet user opens them: by double-click.

`open_like_excel` does what Excel does with a double-clicked .csv: it takes UTF-8 only with a BOM,
splits on the list separator of the user's regional settings (';' in Finland, ',' in English
locales), treats a cell starting with = + - @ as a formula, reads numbers with the locale's decimal
mark, and turns day.month-looking text such as "1.5" into a date in a Finnish locale.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from pipeline.report import write_report
from pipeline.report.writers import DelimiterError, locale_language, resolve_delimiter
from tests.report.conftest import build_result

LOCALES = {"fi": {"separator": ";", "decimal": ","}, "en": {"separator": ",", "decimal": "."}}


def open_like_excel(path, locale: str) -> list[list[tuple[str, object]]]:
    """Rows of (kind, value) cells: kind is text, number, date or formula."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no BOM, Excel would read it as ANSI and garble ä and ö"
    rules = LOCALES[locale]
    reader = csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""), delimiter=rules["separator"])
    number = re.compile(r"^-?\d+(" + re.escape(rules["decimal"]) + r"\d+)?$")
    rows = []
    for row in reader:
        cells = []
        for value in row:
            if value[:1] in ("=", "+", "-", "@") and not number.match(value):
                cells.append(("formula", value))
            elif number.match(value):
                cells.append(("number", float(value.replace(rules["decimal"], "."))))
            elif locale == "fi" and re.match(r"^\d{1,2}\.\d{1,2}(\.\d{2,4})?$", value):
                cells.append(("date", value))
            else:
                cells.append(("text", value))
        rows.append(cells)
    return rows


def as_dicts(rows: list[list[tuple[str, object]]]) -> list[dict[str, tuple[str, object]]]:
    header = [value for _, value in rows[0]]
    assert all(len(row) == len(header) for row in rows), "a row split into the wrong number of columns"
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("locale", ["fi", "en"])
def test_exports_open_right_in_the_users_excel(tmp_path, monkeypatch, locale):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_NUMERIC", raising=False)
    monkeypatch.setenv("LANG", "fi_FI.UTF-8" if locale == "fi" else "en_GB.UTF-8")
    write_report(build_result(), tmp_path, delimiter="auto")
    issues = as_dicts(open_like_excel(tmp_path / "issues.csv", locale))
    themes = as_dicts(open_like_excel(tmp_path / "themes.csv", locale))
    segments = as_dicts(open_like_excel(tmp_path / "segments.csv", locale))
    for table in (issues, themes, segments):
        kinds = {kind for row in table for kind, _ in row.values()}
        assert "formula" not in kinds and "date" not in kinds
    assert [row["issue_id"] for row in issues][0] == ("text", "T01-customership-failure")
    assert issues[0]["respondents"] == ("number", 6) and issues[0]["share_of_respondents"] == ("number", 0.5)
    assert issues[0]["quote_1"] == ("text", "Lasku oli väärin kolme kertaa peräkkäin.")
    quotes = {value for row in issues for key, (_, value) in row.items() if key.startswith("quote_")}
    assert "'=HYPERLINK(\"http://x\") laskut väärin" in quotes  # shown as text, never run
    assert themes[0]["keywords"] == ("text", "lasku, väärin, virhe, invoice, wrong")
    similarity = [row["theme_similarity"] for row in segments if row["theme_similarity"][1]]
    assert similarity and all(kind == "number" for kind, _ in similarity)
    assert {row["segment"][1] for row in segments} >= {"Pk-yritys", "Suuryritys"}  # metadata columns go along
    assert any(row["text"] == ("text", "'-") for row in segments)  # a lone '-' answer is text, not a formula
    scores = {row["nps"] for row in segments if row["nps"][1] != ""}
    assert scores and all(kind == "number" and value == int(value) for kind, value in scores)
    raw = (tmp_path / "segments.csv").read_text(encoding="utf-8-sig")
    assert ",0;" not in raw and ".0," not in raw  # whole scores are written whole: 9, not 9,0 or 9.0


def test_delimiter_follows_the_locale_or_the_setting():
    assert resolve_delimiter("auto", {"LANG": "fi_FI.UTF-8"}) == ";"
    assert resolve_delimiter("auto", {"LC_ALL": "C.UTF-8", "LANG": "fi_FI.UTF-8"}) == ";"  # C says nothing
    assert resolve_delimiter("auto", {"LC_NUMERIC": "en_US.UTF-8", "LANG": "fi_FI.UTF-8"}) == ","
    assert resolve_delimiter("auto", {}) == ","
    assert resolve_delimiter(";") == ";" and resolve_delimiter("tab") == "\t"
    assert locale_language({"LANG": "sv_FI.UTF-8"}) == "sv"
    with pytest.raises(DelimiterError):
        resolve_delimiter("|")


def test_tab_and_explicit_semicolon(tmp_path):
    write_report(build_result(), tmp_path / "tab", delimiter="tab")
    first = (tmp_path / "tab" / "issues.csv").read_text(encoding="utf-8-sig").splitlines()[1].split("\t")
    assert first[:3] == ["1", "T01-customership-failure", "failure"] and "0.5" in first
    write_report(build_result(), tmp_path / "semi", delimiter=";")
    line = (tmp_path / "semi" / "issues.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert line.startswith("1;T01-customership-failure;failure;") and ";0,5;" in line
