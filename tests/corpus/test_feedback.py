import pytest

from pipeline.config import FeedbackSection
from pipeline.corpus.feedback import parse_date, parse_feedback, sniff_delimiter
from pipeline.corpus.problems import ReadError


def test_plain_id_text_csv():
    rows = parse_feedback("id,text\n1,Laskut ovat väärin\n2,\n3,Support is slow\n", "survey", FeedbackSection())
    assert [(r.respondent_id, r.text, r.line) for r in rows] == [("1", "Laskut ovat väärin", 2), ("3", "Support is slow", 4)]


def test_finnish_headers_semicolon_and_scores():
    text = (
        "Vastaajan tunnus;Päivämäärä;Suositteluhalukkuus (0-10);Avoin palaute\n"
        "V-1;14.10.2026;3;Tuki ei vastaa viikkoihin\n"
        "V-2;2026-10-15;9,0;Koulutus oli erinomainen\n"
    )
    rows = parse_feedback(text, "kysely", FeedbackSection())
    assert [(r.respondent_id, r.date, r.nps) for r in rows] == [("V-1", "2026-10-14", 3.0), ("V-2", "2026-10-15", 9.0)]
    assert rows[0].text == "Tuki ei vastaa viikkoihin"


def test_rows_without_id_get_file_and_line():
    rows = parse_feedback("comment\nGreat onboarding\n", "s", FeedbackSection())
    assert rows[0].respondent_id == "s:2"


def test_configured_column_must_exist():
    with pytest.raises(ReadError, match="column 'Vastaus 2' named in teema.toml"):
        parse_feedback("a,b\n1,2\n", "s", FeedbackSection(text_column="Vastaus 2"))


def test_helpers():
    assert sniff_delimiter("a;b;c\n1;2;3\n") == ";"
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"
    assert parse_date("31.2.2026") == ""
