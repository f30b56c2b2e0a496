import csv

import pandas as pd

from pipeline.report.writers import neutralise_formula, write_csv


def test_csv_has_bom_umlauts_and_no_live_formulas(tmp_path):
    table = pd.DataFrame({"text": ["Hyvä palvelu", "=HYPERLINK(\"x\")", "-5 euroa", "@user"], "n": [1, 2, 3, 4]})
    path = tmp_path / "out.csv"
    write_csv(table, path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["text"] for r in rows] == ["Hyvä palvelu", "'=HYPERLINK(\"x\")", "'-5 euroa", "'@user"]
    assert [r["n"] for r in rows] == ["1", "2", "3", "4"]


def test_semicolon_delimiter(tmp_path):
    path = tmp_path / "out.csv"
    write_csv(pd.DataFrame({"a": ["x;y"], "b": [1]}), path, delimiter=";")
    assert path.read_text(encoding="utf-8-sig").splitlines()[1] == '"x;y";1'


def test_numbers_are_left_alone():
    assert neutralise_formula(-3) == -3
