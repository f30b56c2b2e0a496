"""A survey answer typed on two lines keeps its line break, in the chunked reader and when read whole (issue 14).

The quoted field "kertaa.\\nTuki" once came out "kertaa.Tuki": csv.reader was given lines without their line
break and joined the lines of a quoted field with nothing.
"""

from __future__ import annotations

import pytest

from pipeline.codebook import read_codebook
from pipeline.config import FeedbackSection, StudyConfig
from pipeline.corpus import feedback, read, text_stream
from pipeline.corpus.decode import decode_text, normalise_text
from pipeline.corpus.feedback import csv_record_stream, csv_records, parse_feedback
from pipeline.corpus.read import read_study
from pipeline.corpus.segment import segment_turns
from pipeline.corpus.text_stream import text_lines

FI = "Lasku oli väärin kolme kertaa.\nTuki ei vastannut viikkoon."
EN = "The invoice was wrong three times.\nSupport did not answer for a week."
LIST = "Hyvää: nopea toimitus\r\nHuonoa: hinta"  # typed as two lines with no full stop; CRLF in the export


PADDING = 700  # one-line answers first: past the 20,000 characters text_pieces holds before it cuts any piece


def _table(delimiter: str, newline: str, padding: int = 0) -> str:
    rows = [("id", "nps", "palaute"), *((f"P{i}", "5", f"Tavallinen vastaus numero {i}.") for i in range(padding)),
            ("R1", "3", FI), ("R2", "9", "Kaikki hyvin."), ("R3", "4", EN), ("R4", "6", LIST)]
    return newline.join(delimiter.join(f'"{cell}"' if "\n" in cell else cell for cell in row) for row in rows) \
        + newline


TABLES = {"comma.csv": (",", "\n"), "semicolon.csv": (";", "\r\n"), "tab.tsv": ("\t", "\n")}


@pytest.fixture(params=sorted(TABLES))
def table(request, tmp_path):
    path = tmp_path / request.param
    path.write_bytes(_table(*TABLES[request.param]).encode("utf-8"))
    return path


@pytest.fixture(params=sorted(TABLES))
def long_table(request, tmp_path):
    path = tmp_path / request.param
    path.write_bytes(_table(*TABLES[request.param], padding=PADDING).encode("utf-8"))
    return path


def _texts(rows) -> list[str]:
    return [row["text"] for row in rows]


EXPECTED = [FI, "Kaikki hyvin.", EN, "Hyvää: nopea toimitus\nHuonoa: hinta"]


def test_a_quoted_answer_on_two_lines_keeps_its_line_break_read_whole(table):
    text = normalise_text(decode_text(table.read_bytes()))
    headers, records = csv_records(text)
    assert [record["palaute"] for _, record in records] == EXPECTED
    assert [row.text for row in parse_feedback(text, table.stem, FeedbackSection())] == EXPECTED


# Small blocks cut the text into pieces inside the quoted fields (after the padding: the first 20,000 characters
# are one piece), also between the "\r" and "\n" of a CRLF; chunks of one row put each answer in its own chunk.
@pytest.mark.parametrize("block, chunk", [(1, 1), (7, 2), (40, 3), (None, None)])
def test_a_quoted_answer_on_two_lines_keeps_its_line_break_read_in_chunks(long_table, monkeypatch, block, chunk):
    monkeypatch.setattr(text_stream, "BLOCK_BYTES", block or text_stream.BLOCK_BYTES)
    monkeypatch.setattr(feedback, "CHUNK_ROWS", chunk or feedback.CHUNK_ROWS)
    rows = read.readers[long_table.suffix](long_table, long_table.name, StudyConfig(), [])
    assert _texts(rows[PADDING:]) == EXPECTED and len(rows) == PADDING + 4
    # a record's line is its last line, as always
    assert [row["line"] for row in rows[PADDING:]] == [PADDING + n for n in (3, 4, 6, 8)]
    assert [row["nps"] for row in rows[PADDING:]] == [3.0, 9.0, 4.0, 6.0]
    if block:  # the field really was cut: the text came in more than one piece, one ending inside the answer
        pieces = list(text_stream.text_pieces(long_table, block))
        assert len(pieces) > 1 and any(piece.endswith("kertaa.\n") for piece in pieces)


def test_the_line_break_survives_a_block_cut_right_at_it(tmp_path):
    path = tmp_path / "kysely.csv"
    data = _table(",", "\r\n", PADDING).replace("kertaa.\n", "kertaa.\r\n").encode("utf-8")
    path.write_bytes(data)
    at = data.index(b"kertaa.\r\n") + len(b"kertaa.\r")  # the block ends between "\r" and "\n"
    for block in (at, at + 1, at - 1):
        headers, records, _ = csv_record_stream(text_lines(path, block))
        assert [record["palaute"] for _, record in records][PADDING:] == EXPECTED


def test_the_segmenter_reads_the_line_break_as_a_space_and_splits_at_the_full_stop(table):
    """The segmenter works on single-spaced text (segment.clean_text) and cuts at sentence ends: a line break
    becomes a space, so no two words are glued, and a full stop before it still ends the statement."""
    turns, problems = read_study(table.parent, StudyConfig())
    assert problems == []
    segments = segment_turns(turns, "w1")
    texts = segments.loc[segments["doc_id"] == table.name, "text"].tolist()
    assert "Lasku oli väärin kolme kertaa." in texts and "Tuki ei vastannut viikkoon." in texts
    assert "The invoice was wrong three times." in texts and "Support did not answer for a week." in texts
    assert "Hyvää: nopea toimitus Huonoa: hinta" in texts
    assert not any("kertaa.Tuki" in t or "times.Support" in t or "toimitusHuonoa" in t for t in texts)


def test_a_codebook_cell_of_split_examples_on_two_lines_is_two_examples(tmp_path):
    path = tmp_path / "codebook.csv"
    path.write_text('theme_id,split_examples\nT01,"Lasku oli väärin.\nWe were billed twice."\n'
                    'T01,Tuki ei vastaa.\n', encoding="utf-8")
    edits = read_codebook(path).edits
    assert edits[0].split_examples == ("Lasku oli väärin.", "We were billed twice.")
