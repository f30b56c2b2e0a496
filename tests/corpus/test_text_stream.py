"""CSV and Parquet feedback read in chunks (issue #14): the same text, rows and problems as the whole-file reader,
whatever the block and chunk sizes, and the hostile-file limits still hold for files over the old 50 MB cap."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.config import FeedbackSection, StudyConfig
from pipeline.corpus import feedback, parquet, read, text_stream
from pipeline.corpus.decode import decode_text, normalise_text, utf8_damage
from pipeline.corpus.feedback import parse_feedback
from pipeline.corpus.problems import ReadError
from pipeline.corpus.read import _rows_of_feedback, read_study
from pipeline.corpus.text_stream import text_pieces, utf8_damage_file

# Finnish Excel's export: BOM, semicolons, CRLF, quoted answers with line breaks and doubled quotes, markup pasted
# from a web form (a tag across a line break, a script block), a '<' that is no tag, a decomposed "ä", an
# invisible character, an empty answer and a blank line.
SURVEY = (
    "\ufeffVastaajan tunnus;Päivämäärä;Suositteluhalukkuus;Avoin palaute\r\n"
    'R1;14.10.2026;9;"Laskutus toimii nyt hyvin, ""kiitos"" tuelle."\r\n'
    'R2;15.10.2026;3;"Lasku oli väärin kolme kertaa.\r\nTuki ei vastannut viikkoon."\r\n'
    'R3;2026-10-16;7;"The <span\r\nclass=""x"">support</span> was slow; hinta < 100 € olisi reilu"\r\n'
    "R4;16.10.2026;;\r\n"
    "\r\n"
    'R5;17.10.2026;10;"<script>alert(1)\r\n</script>Sovellus toimii ka\u0308ytto\u0308paikalla hienosti."\r\n'
    "R6;18.10.2026;8;Onboarding\u200b was great, the trainer knew our field.\r\n"
    'R7;19.10.2026;2;"Hinta nousi &amp; sopimus\nmuuttui ilman ilmoitusta"\r\n'
)


def _old_rows(path, doc_id="kysely.csv"):
    """What the whole-file reader gave: the file's bytes decoded, normalised and parsed at once."""
    text = normalise_text(decode_text(path.read_bytes()))
    return _rows_of_feedback(parse_feedback(text, path.stem, FeedbackSection()), doc_id)


@pytest.fixture()
def survey(tmp_path):
    path = tmp_path / "kysely.csv"
    path.write_bytes(SURVEY.encode("utf-8"))
    return path


@pytest.mark.parametrize("block", [1, 2, 3, 7, 16, 61, 4096, None])
def test_the_text_read_in_blocks_is_the_text_read_whole(survey, block):
    assert "".join(text_pieces(survey, block)) == normalise_text(decode_text(survey.read_bytes()))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "cp1252", "utf-8"])
def test_every_encoding_decodes_in_blocks_as_whole(tmp_path, encoding):
    path = tmp_path / "kysely.csv"
    text = "id;palaute\r\n1;Säätö oli hyvä\r\n2;Support is slow\r" * 20
    path.write_bytes(text.encode(encoding, errors="replace"))
    expected = normalise_text(decode_text(path.read_bytes()))
    for block in (1, 5, 64, 100_000):
        assert "".join(text_pieces(path, block)) == expected


def test_broken_utf8_bytes_are_found_on_the_same_lines(tmp_path):
    path = tmp_path / "rikki.csv"
    path.write_bytes("id,palaute\n1,Hyvä älykäs säätö\n".encode() * 5 + b"2,Lasku \xe4 v\xc3\n3,ok\r\n4,\xff\n")
    data = path.read_bytes()
    assert utf8_damage(data) != []
    for block in (1, 3, 17, 10_000):
        assert utf8_damage_file(path, block) == utf8_damage(data)
        assert "".join(text_pieces(path, block)) == normalise_text(decode_text(data))


@pytest.mark.parametrize("block, chunk", [(None, None), (5, 1), (64, 2), (333, 3)])
def test_a_csv_read_in_chunks_gives_the_rows_read_whole(survey, monkeypatch, block, chunk):
    monkeypatch.setattr(text_stream, "BLOCK_BYTES", block or text_stream.BLOCK_BYTES)
    monkeypatch.setattr(feedback, "CHUNK_ROWS", chunk or feedback.CHUNK_ROWS)
    rows = read.readers[".csv"](survey, "kysely.csv", StudyConfig(), [])
    assert rows == _old_rows(survey)
    assert [r["respondent_id"] for r in rows] == ["R1", "R2", "R3", "R5", "R6", "R7"]
    # a record's line is its last line, counted after markup is removed (a tag across a line break takes the
    # break with it), as the whole-file reader counted it
    assert [r["line"] for r in rows] == [2, 4, 5, 8, 9, 11]
    assert rows[1]["text"].startswith("Lasku oli väärin kolme kertaa.") and "Tuki ei vastannut" in rows[1]["text"]
    assert rows[2]["text"] == "The support was slow; hinta < 100 € olisi reilu"
    assert rows[3]["text"] == "Sovellus toimii käyttöpaikalla hienosti."
    assert rows[0]["nps"] == 9.0 and rows[0]["date"] == "2026-10-14"


def test_a_study_read_in_chunks_is_the_study_read_at_once(tmp_path, survey, monkeypatch):
    (survey.parent / "haastattelu.txt").write_text("Haastattelija: Miten meni?\nVastaaja: Lasku oli väärin.\n",
                                                   encoding="utf-8")
    pd.DataFrame({"id": ["P1", "P2"], "feedback": ["Support never called back.", "Laskut tulevat ajallaan."]}
                 ).to_parquet(survey.parent / "varasto.parquet", index=False)
    whole, problems = read_study(survey.parent, StudyConfig())
    monkeypatch.setattr(text_stream, "BLOCK_BYTES", 7)
    monkeypatch.setattr(feedback, "CHUNK_ROWS", 2)
    chunked, chunked_problems = read_study(survey.parent, StudyConfig())
    pd.testing.assert_frame_equal(whole, chunked)
    assert problems == chunked_problems == []
    assert whole["doc_id"].tolist() == ["haastattelu.txt"] * 2 + ["kysely.csv"] * 6 + ["varasto.parquet"] * 2


def test_a_table_over_the_old_cap_is_read_and_a_transcript_is_not(tmp_path, survey, monkeypatch):
    (survey.parent / "pitka.txt").write_text("Vastaaja: Lasku oli väärin.\n" * 100, encoding="utf-8")
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 1000)
    assert survey.stat().st_size > 0 and (survey.parent / "pitka.txt").stat().st_size > 1000
    survey.write_bytes(SURVEY.encode("utf-8") * 1 + "".join(f"R{n};;;Vastaus {n}\r\n" for n in range(100)).encode())
    turns, problems = read_study(survey.parent, StudyConfig())
    assert [(p.file, "MB limit" in p.message) for p in problems] == [("pitka.txt", True)]
    assert len(turns) == 106 and set(turns["doc_id"]) == {"kysely.csv"}


def test_a_csv_over_the_table_cap_is_named_and_not_read(tmp_path, survey):
    huge = tmp_path / "vuosi.csv"
    with huge.open("wb") as handle:  # sparse: nothing is really written
        handle.truncate(read.MAX_TABLE_BYTES + 1)
    turns, problems = read_study(tmp_path, StudyConfig())
    assert [p.file for p in problems] == ["vuosi.csv"] and "over the 1,000 MB limit" in problems[0].message
    assert set(turns["doc_id"]) == {"kysely.csv"}


def test_one_line_longer_than_any_answer_is_named_with_its_line_before_it_is_held(tmp_path, survey, monkeypatch):
    monkeypatch.setattr(text_stream, "BLOCK_BYTES", 50_000)
    (tmp_path / "rivi.csv").write_text("id;palaute\nR1;Hyvä palvelu\nR2;" + "lasku " * 400_000 + "\n",
                                       encoding="utf-8")
    turns, problems = read_study(tmp_path, StudyConfig())
    assert [p.file for p in problems] == ["rivi.csv"]
    assert problems[0].message.startswith("line 3: one line of over 2,000,000 characters")
    assert set(turns["doc_id"]) == {"kysely.csv"}


def test_a_parquet_file_that_expands_too_far_is_named_and_not_read(tmp_path, monkeypatch):
    pd.DataFrame({"id": [f"R{n}" for n in range(200)], "palaute": ["Lasku oli väärin kolme kertaa."] * 200}
                 ).to_parquet(tmp_path / "pommi.parquet", index=False)
    monkeypatch.setattr(parquet, "MAX_EXPANDED_CHARS", 2_000)
    turns, problems = read_study(tmp_path, StudyConfig())
    assert turns.empty and [p.file for p in problems] == ["pommi.parquet"]
    assert problems[0].message.startswith("it expands to over 0 MB when unpacked")


def test_a_table_that_is_no_table_is_named_so_even_when_read_in_chunks(tmp_path, monkeypatch):
    path = tmp_path / "proosa.csv"
    path.write_text("id,palaute\n" + "".join(f"r{n},a,b,c\n" for n in range(50)), encoding="utf-8")
    monkeypatch.setattr(feedback, "CHUNK_ROWS", 3)
    with pytest.raises(ReadError, match="does not look like a table"):
        read.readers[".csv"](path, "proosa.csv", StudyConfig(), [])
    with pytest.raises(ReadError, match="does not look like a table"):
        parse_feedback(path.read_text(encoding="utf-8"), "proosa", FeedbackSection())
