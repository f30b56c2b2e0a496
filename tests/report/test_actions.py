"""actions.xlsx: created, filled in at a workshop, re-run, and nothing people typed is lost."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from pipeline.report import write_actions
from pipeline.report.actions import HEADERS, ActionsError, action_rows, merge_actions
from tests.report.conftest import build_result

NOW = dt.datetime(2026, 11, 23, 12, 0, 0)


def rows_for(*items: tuple[str, int, str, int]) -> list[dict]:
    return [{"key": key, "rank": rank, "issue": label, "stage": "Customership", "respondents": n,
             "quote": f"“{label}” (kysely.csv:{rank}, V-{rank})"} for key, rank, label, n in items]


def sheet_rows(path):
    ws = load_workbook(path).active
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def column(header: list, field: str, lang: str = "en") -> int:
    return header.index(HEADERS[field][lang])


def test_new_table_has_one_row_per_failure_in_rank_order(tmp_path):
    result = build_result()
    merged = write_actions(result, tmp_path, lang="fi")
    assert merged.created and merged.written and merged.backup is None
    rows = sheet_rows(tmp_path / "actions.xlsx")
    header = rows[0]
    assert header[:11] == ["Sija", "Havainto", "Vaihe", "Vastaajia", "Esimerkkilainaus", "Miten korjaamme sen?",
                           "Mitä resursseja se vaatii?", "Mihin mennessä?", "Kuka vastaa?", "Tila",
                           "Ensimmäisen kerran"]
    keys = [row[column(header, "key", "fi")] for row in rows[1:]]
    assert keys == ["T01-customership-failure", "T02-customership-failure", "T01-contract-failure"]
    first = rows[1]
    assert first[:4] == [1, "lasku · väärin · virhe", "Asiakkuus", 6]
    assert first[4] == "“Lasku oli väärin kolme kertaa peräkkäin.” (kysely.csv:2, V-01)"
    assert all(first[column(header, f, "fi")] is None for f in ("fix", "resources", "due", "owner", "status"))
    assert first[column(header, "first_seen", "fi")] == "2026-11" and first[column(header, "latest", "fi")] == "2026-11"


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = tmp_path / "actions.xlsx"
    merge_actions(path, rows_for(("T09-contract-failure", 1, "=HYPERLINK(\"http://x\",\"klik\")", 3)), "w1")
    cell = load_workbook(path).active["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_workshop_fills_the_table_re_run_keeps_everything(tmp_path):
    path = tmp_path / "actions.xlsx"
    first_run = rows_for(("T01-customership-failure", 1, "lasku · väärin", 6), ("T02-customership-failure", 2, "tuki", 4),
                         ("T05-contract-failure", 3, "lupaukset", 2))
    merge_actions(path, first_run, "2026-11", "en", NOW)

    # The workshop: decisions typed in, an issue renamed, an own column, a free row, a notes sheet, a date.
    workbook = load_workbook(path)
    ws = workbook.active
    header = [c.value for c in ws[1]]
    fix, owner, due, status, issue = (column(header, f) + 1 for f in ("fix", "owner", "due", "status", "issue"))
    ws.cell(row=2, column=fix, value="Laskutuksen tarkistus ennen lähetystä")
    ws.cell(row=2, column=owner, value="Anna (talous)")
    ws.cell(row=2, column=due, value=dt.date(2027, 3, 31))
    ws.cell(row=2, column=status, value="Käynnissä")
    ws.cell(row=2, column=issue, value="Laskut väärin: hyvityslaskut kestävät")
    ws.cell(row=4, column=fix, value="Myynnin lupaukset kirjallisiksi")
    ws.cell(row=4, column=owner, value="=Myyntijohtaja")  # text that looks like a formula, typed by a person
    ws.cell(row=1, column=ws.max_column + 1, value="Kommentti")
    ws.cell(row=3, column=ws.max_column, value="Tärkein asia!")
    ws.cell(row=6, column=issue, value="Oma rivi: asiakasraati keväällä")
    workbook.create_sheet("Muistiinpanot")["A1"] = "Työpaja 1.12."
    workbook.save(path)
    before_bytes = path.read_bytes()
    before = sheet_rows(path)

    # Next wave: T02 is gone, T07 is new, T01 and T05 have new counts and ranks.
    second_run = rows_for(("T07-awareness-failure", 1, "mainonta", 9), ("T01-customership-failure", 2, "lasku · väärin", 5),
                          ("T05-contract-failure", 3, "lupaukset", 4))
    merged = merge_actions(path, second_run, "2027-05", "en", NOW)
    assert merged.written and merged.added == ["T07-awareness-failure"] and merged.vanished == ["T02-customership-failure"]
    assert merged.backup == tmp_path / "actions.backup-20261123-120000.xlsx"
    assert merged.backup.read_bytes() == before_bytes

    after = sheet_rows(path)
    header = after[0]
    refreshed = {column(header, f) for f in ("rank", "respondents", "latest")}
    # Every cell people could have typed in is unchanged, row by row, in the same order.
    for old, new in zip(before, after[: len(before)], strict=True):
        assert [v for i, v in enumerate(old) if i not in refreshed] == \
               [v for i, v in enumerate(new[: len(old)]) if i not in refreshed]
    assert after[1][column(header, "due")] == dt.datetime(2027, 3, 31)
    assert after[1][column(header, "issue")] == "Laskut väärin: hyvityslaskut kestävät"
    assert after[3][column(header, "owner")] == "=Myyntijohtaja"
    assert after[5][column(header, "issue")] == "Oma rivi: asiakasraati keväällä"
    # Known rows: teema's own columns refreshed; the vanished one marked, not deleted.
    assert (after[1][column(header, "rank")], after[1][column(header, "respondents")]) == (2, 5)
    assert after[1][column(header, "latest")] == "2027-05"
    assert after[2][column(header, "key")] == "T02-customership-failure"
    assert after[2][column(header, "latest")] == "not found in 2027-05; last seen 2026-11"
    # The new issue is appended below everything, including the free row.
    assert len(after) == 7 and after[6][column(header, "key")] == "T07-awareness-failure"
    assert after[6][column(header, "first_seen")] == "2027-05" and after[6][column(header, "fix")] is None
    assert load_workbook(path).sheetnames == ["Actions", "Muistiinpanot"]
    assert load_workbook(path).active.auto_filter.ref == "A1:M7"  # the filter covers the appended row

    # The same run again changes nothing and writes nothing.
    again = merge_actions(path, second_run, "2027-05", "en", NOW.replace(hour=13))
    assert not again.written and again.backup is None and not again.added
    assert sorted(p.name for p in tmp_path.iterdir()) == ["actions.backup-20261123-120000.xlsx", "actions.xlsx"]

    # A third wave without T02 keeps the wave it was last seen in.
    merge_actions(path, second_run, "2027-11", "en", NOW.replace(hour=14))
    assert sheet_rows(path)[2][column(header, "latest")] == "not found in 2027-11; last seen 2026-11"

    # A re-run of the same wave without T07 (say the codebook merged its theme): not "not found in 2027-11; last
    # seen 2027-11", which reads as a contradiction; later waves still know where it was last seen.
    without_t07 = [item for item in second_run if item["key"] != "T07-awareness-failure"]
    merge_actions(path, without_t07, "2027-11", "en", NOW.replace(hour=15))
    assert sheet_rows(path)[6][column(header, "latest")] == "not found in the latest run of 2027-11"
    merge_actions(path, without_t07, "2028-05", "fi", NOW.replace(hour=16))
    assert sheet_rows(path)[6][column(header, "latest")] == "ei löytynyt aallosta 2028-05; viimeksi 2027-11"


def test_headers_in_the_other_language_are_recognised(tmp_path):
    path = tmp_path / "actions.xlsx"
    merge_actions(path, rows_for(("T01-customership-failure", 1, "lasku", 6)), "w1", "fi", NOW)
    merged = merge_actions(path, rows_for(("T01-customership-failure", 1, "lasku", 7)), "w2", "en", NOW)
    assert merged.added == [] and len(sheet_rows(path)) == 2 and sheet_rows(path)[1][3] == 7


def test_a_table_without_the_key_column_is_left_alone(tmp_path):
    path = tmp_path / "actions.xlsx"
    merge_actions(path, rows_for(("T01-customership-failure", 1, "lasku", 6)), "w1", "en", NOW)
    workbook = load_workbook(path)
    workbook.active.delete_cols(13)  # the Issue key column
    workbook.save(path)
    before = path.read_bytes()
    with pytest.raises(ActionsError, match="Issue key"):
        merge_actions(path, rows_for(("T02-customership-failure", 1, "tuki", 2)), "w2", "en", NOW)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["actions.xlsx"]


def test_a_file_that_is_not_a_workbook_is_left_alone(tmp_path):
    path = tmp_path / "actions.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(ActionsError, match="left as it is"):
        merge_actions(path, rows_for(("T01-customership-failure", 1, "lasku", 6)), "w1")
    assert path.read_bytes() == b"not a zip"


def test_action_rows_only_failures_with_stage_names():
    result = build_result()
    rows = action_rows(result.issues, result.segments, result.stages, "en")
    assert [(r["rank"], r["key"], r["stage"], r["respondents"]) for r in rows] == [
        (1, "T01-customership-failure", "Customership", 6), (2, "T02-customership-failure", "Customership", 4),
        (3, "T01-contract-failure", "Contract", 1)]


def test_rows_follow_their_quote_when_theme_numbers_change(tmp_path):
    """An older table keyed by fine theme ids (T05), or a re-run that renumbered the themes: the row whose quote
    now sits in T02 takes T02's key, keeps the owner typed on it, and no row is marked as gone for it."""
    import pandas as pd

    from pipeline.report.actions import quote_themes

    path = tmp_path / "actions.xlsx"
    merge_actions(path, rows_for(("T05-customership-failure", 1, "lasku · väärin", 6),
                                 ("T07-contract-failure", 2, "lupaus", 3)), "2026-11", "en", NOW)
    wb = load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=column(header, "owner") + 1).value = "Talouspäällikkö"
    wb.save(path)
    segments = pd.DataFrame({"text": ["lasku · väärin", "lupaus"], "location": ["kysely.csv:1", "kysely.csv:2"],
                             "theme_id": ["T02", "T01"]})
    again = rows_for(("T02-customership-failure", 1, "Laskut ovat vääriä", 9), ("T01-contract-failure", 2, "Lupaukset", 4))
    merged = merge_actions(path, again, "2026-11", "en", NOW, quote_themes(segments))
    assert merged.moved == [("T05-customership-failure", "T02-customership-failure"),
                            ("T07-contract-failure", "T01-contract-failure")]
    assert merged.added == [] and merged.vanished == []
    rows = sheet_rows(path)
    moved = rows[1]
    assert moved[column(header, "key")] == "T02-customership-failure"
    assert moved[column(header, "owner")] == "Talouspäällikkö"
    assert moved[column(header, "respondents")] == 9
    assert moved[column(header, "issue")] == "lasku · väärin"  # the researcher's row keeps its own label
    assert len(rows) == 3


def _type_owner(path, row: int, owner: str, due: str = "") -> None:
    wb = load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    ws.cell(row=row, column=column(header, "owner") + 1).value = owner
    if due:
        ws.cell(row=row, column=column(header, "due") + 1).value = due
    wb.save(path)


def test_codebook_edits_reach_the_table(tmp_path):
    """A rename replaces the row's Issue; a merged, split or set-aside theme's row says so (not "not found"); the
    parts of a split and the theme a merge went into take what was typed on the row they came from."""
    from pipeline.report.actions import Lineage

    path = tmp_path / "actions.xlsx"
    merge_actions(path, rows_for(("T01-customership-failure", 1, "lasku · väärin", 9),
                                 ("T02-customership-failure", 2, "data · puuttuu", 7),
                                 ("T03-customership-failure", 3, "tuki · hidas", 5),
                                 ("T04-customership-failure", 4, "sää", 2)), "2026-11", "en", NOW)
    _type_owner(path, 3, "Data team", "2027-01")
    _type_owner(path, 4, "Support lead")
    lineage = Lineage(merged={"T03": "T05"}, split={"T02": ["T02a", "T02b"]}, not_relevant=frozenset({"T04"}),
                      renamed=frozenset({"T01"}))
    again = rows_for(("T01-customership-failure", 1, "Laskut ovat vääriä", 10),
                     ("T02a-customership-failure", 2, "Puuttuva data", 4), ("T02b-customership-failure", 3, "Duplikaatit", 3),
                     ("T05-customership-failure", 4, "Hidas tuki", 8))
    merged = merge_actions(path, again, "2026-11", "en", NOW, lineage=lineage)
    assert merged.inherited == [("T02a-customership-failure", "T02-customership-failure"),
                                ("T02b-customership-failure", "T02-customership-failure"),
                                ("T05-customership-failure", "T03-customership-failure")]
    rows = sheet_rows(path)
    header = rows[0]
    by_key = {row[column(header, "key")]: row for row in rows[1:]}
    assert by_key["T01-customership-failure"][column(header, "issue")] == "Laskut ovat vääriä"
    for key in ("T02a-customership-failure", "T02b-customership-failure"):
        assert by_key[key][column(header, "owner")] == "Data team" and by_key[key][column(header, "due")] == "2027-01"
    assert by_key["T05-customership-failure"][column(header, "owner")] == "Support lead"
    latest = {key: row[column(header, "latest")] for key, row in by_key.items()}
    assert latest["T02-customership-failure"] == "split into T02a, T02b by codebook.csv (2026-11)"
    assert latest["T03-customership-failure"] == "merged into T05 by codebook.csv (2026-11)"
    assert latest["T04-customership-failure"] == "set aside as not relevant by codebook.csv (2026-11)"
    assert by_key["T02-customership-failure"][column(header, "owner")] == "Data team"  # the old row keeps its cells
    # The merge undone in a later wave: the row that said "merged" is found again, and its last-seen wave is kept
    # for a row that vanishes for another reason.
    later = merge_actions(path, rows_for(("T03-customership-failure", 1, "tuki · hidas", 5)), "2027-05", "en", NOW)
    assert "T03-customership-failure" not in later.vanished
    rows = sheet_rows(path)
    by_key = {row[column(header, "key")]: row for row in rows[1:]}
    assert by_key["T04-customership-failure"][column(header, "latest")] == "not found in 2027-05; last seen 2026-11"


def test_rows_of_a_matched_theme_never_follow_a_quote(tmp_path):
    """A theme the run matched by content with the last run keeps its rows, even when the quoted statement moved
    to another theme."""
    import pandas as pd

    from pipeline.report.actions import Lineage, quote_themes

    path = tmp_path / "actions.xlsx"
    merge_actions(path, rows_for(("T05-customership-failure", 1, "lasku · väärin", 6)), "2026-11", "en", NOW)
    segments = pd.DataFrame({"text": ["lasku · väärin"], "location": ["kysely.csv:1"], "theme_id": ["T02"]})
    again = rows_for(("T05-customership-failure", 1, "lasku", 5), ("T02-customership-failure", 2, "muu", 4))
    merged = merge_actions(path, again, "2026-11", "en", NOW, quote_themes(segments),
                           Lineage(matched=frozenset({"T05", "T02"})))
    assert merged.moved == [] and merged.added == ["T02-customership-failure"]


@pytest.mark.parametrize("lock", ["~$actions.xlsx", ".~lock.actions.xlsx#"])
def test_a_table_open_in_a_spreadsheet_is_left_alone(tmp_path, lock):
    """Excel's owner file or LibreOffice's lock beside actions.xlsx: the researcher has it open; replacing it
    would lose what they type next."""
    path = tmp_path / "actions.xlsx"
    merge_actions(path, rows_for(("T01-customership-failure", 1, "laskutus", 5)), "2026-05", now=NOW)
    before = path.read_bytes()
    (tmp_path / lock).write_bytes(b"Tiina Tutkija")
    with pytest.raises(ActionsError, match=r"open in a spreadsheet \(" + lock.replace("$", r"\$").replace(".", r"\.")):
        merge_actions(path, rows_for(("T02-customership-failure", 1, "tuki", 7)), "2026-11", now=NOW)
    assert path.read_bytes() == before and not list(tmp_path.glob("actions.backup-*"))


def test_a_read_only_table_is_left_alone(tmp_path):
    path = tmp_path / "actions.xlsx"
    merge_actions(path, rows_for(("T01-customership-failure", 1, "laskutus", 5)), "2026-05", now=NOW)
    before = path.read_bytes()
    path.chmod(0o444)
    with pytest.raises(ActionsError, match="read-only"):
        merge_actions(path, rows_for(("T02-customership-failure", 1, "tuki", 7)), "2026-11", now=NOW)
    assert path.read_bytes() == before


def test_the_report_is_written_when_the_table_is_open(tmp_path, capsys):
    from pipeline.cli import _update_actions

    result = build_result()
    write_actions(result, tmp_path, lang="fi")
    before = (tmp_path / "actions.xlsx").read_bytes()
    (tmp_path / "~$actions.xlsx").write_bytes(b"lock")
    _update_actions(result, tmp_path, "fi", quiet=False)
    err = capsys.readouterr().err
    assert "open in a spreadsheet" in err and "the report was written, the action table was not changed" in err
    assert (tmp_path / "actions.xlsx").read_bytes() == before


def test_temporary_files_of_a_killed_run_are_cleaned_up(tmp_path):
    left = [tmp_path / ".actions.abc123.xlsx.tmp", tmp_path / ".actions.x_9.xlsx.tmp"]
    for temp in left:
        temp.write_bytes(b"half a workbook")
    own = tmp_path / ".actions-muistiinpanot.txt"  # not teema's: stays
    own.write_text("omat muistiinpanot", encoding="utf-8")
    merge_actions(tmp_path / "actions.xlsx", rows_for(("T01-customership-failure", 1, "laskutus", 5)), "2026-05",
                  now=NOW)
    assert not any(temp.exists() for temp in left) and own.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".actions-muistiinpanot.txt", "actions.xlsx"]


def test_backups_are_capped_to_the_newest_and_the_newest_is_never_deleted(tmp_path):
    import os

    from pipeline.report.actions import KEEP_BACKUPS, prune_backups

    path = tmp_path / "actions.xlsx"
    merge_actions(path, rows_for(("T01-customership-failure", 1, "laskutus", 5)), "2026-05", now=NOW)
    for number in range(KEEP_BACKUPS + 5):  # older backups, oldest first
        old = tmp_path / f"actions.backup-202601{number + 1:02d}-120000.xlsx"
        old.write_bytes(path.read_bytes())
        os.utime(old, ns=(1_700_000_000_000_000_000 + number * 10**9,) * 2)
    merged = merge_actions(path, rows_for(("T02-customership-failure", 1, "tuki", 7)), "2026-11", now=NOW)
    backups = sorted(p.name for p in tmp_path.glob("actions.backup-*.xlsx"))
    assert len(backups) == KEEP_BACKUPS and merged.backup.name in backups
    assert "actions.backup-20260101-120000.xlsx" not in backups  # the oldest went first
    assert "actions.backup-20260125-120000.xlsx" in backups
    # The newest is kept even with keep=1 and a clock that puts it first; codebook backups are capped the same way.
    for number in range(3):
        book = tmp_path / f"codebook.backup-2026010{number + 1}-120000.csv"
        book.write_text("theme_id;label\n", encoding="utf-8")
        os.utime(book, ns=(1_800_000_000_000_000_000 - number * 10**9,) * 2)
    newest = tmp_path / "codebook.backup-20260103-120000.csv"
    prune_backups(tmp_path, "codebook.backup-*", keep=1, newest=newest)
    assert newest.exists() and len(list(tmp_path.glob("codebook.backup-*"))) == 1
