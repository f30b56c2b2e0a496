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


def _contact_survey():
    header = ["Vastaajan tunnus", "Mikä on nimesi?", "Mikä on sähköpostiosoitteesi?", "Mikä on puhelinnumerosi?",
              "Mitä voisimme parantaa?", "Your name", "E-mail", "Phone number", "Kenttä 9"]
    rows = [header]
    answers = ["Laskutus on sekavaa ja lasku tuli kahdesti.", "Tuki vastaa hitaasti, odotin viikon.",
               "Sovellus kaatuu kun avaan raportin.", "Koulutus oli erinomainen ja selkeä."]
    people = [("Anna Korhonen", "anna.korhonen@example.fi", "040 123 4567"),
              ("Mikko Virtanen", "mikko@example.com", "+358 50 765 4321"),
              ("Liisa Laine", "liisa.laine@yritys.fi", "045-678 9012"),
              ("John Smith", "john.smith@example.co.uk", "+44 20 7946 0958")]
    for number, ((name, email, phone), answer) in enumerate(zip(people, answers, strict=True), start=1):
        rows.append([f"V-{number}", name, email, phone, answer, name.split()[0] + " " + name.split()[1], email,
                     phone, email])  # "Kenttä 9": an unnamed export column that holds e-mails
    return rows, people


def _assert_no_contacts(turns, problems, people, file):
    everything = " ".join(str(v) for v in turns.astype(str).to_numpy().ravel())
    for name, email, phone in people:
        assert name not in everything and email not in everything and phone not in everything
    assert turns["question"].tolist() == ["Mitä voisimme parantaa?"] * 4
    assert turns["respondent_id"].tolist() == ["V-1", "V-2", "V-3", "V-4"]
    warning = [p for p in problems if p.file == file]
    assert len(warning) == 1 and warning[0].read and "contact details" in warning[0].message
    for column in ("Mikä on nimesi?", "Mikä on sähköpostiosoitteesi?", "Mikä on puhelinnumerosi?", "Your name",
                   "E-mail", "Phone number", "Kenttä 9"):
        assert repr(column) in warning[0].message
    assert "never coded or exported" in warning[0].message and "\n" not in warning[0].message


def test_contact_detail_columns_are_never_coded_csv(tmp_path):
    import csv as csv_module

    from pipeline.config import StudyConfig
    from pipeline.corpus.read import read_study

    rows, people = _contact_survey()
    with (tmp_path / "kysely.csv").open("w", encoding="utf-8", newline="") as handle:
        csv_module.writer(handle, delimiter=";").writerows(rows)
    turns, problems = read_study(tmp_path, StudyConfig())
    _assert_no_contacts(turns, problems, people, "kysely.csv")


def test_contact_detail_columns_are_never_coded_xlsx(tmp_path):
    from openpyxl import Workbook

    from pipeline.config import StudyConfig
    from pipeline.corpus.read import read_study

    rows, people = _contact_survey()
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(tmp_path / "kysely.xlsx")
    turns, problems = read_study(tmp_path, StudyConfig())
    _assert_no_contacts(turns, problems, people, "kysely.xlsx")


def test_short_answers_scores_and_segments_are_not_taken_for_contact_details():
    from pipeline.corpus.feedback import contact_columns

    rows = [{"Asiakassegmentti": "Pk-yritys", "Kuinka helppoa oli ottaa yhteyttä meihin?": "7",
             "Palaute": "Kiitos", "Päivämäärä": "14.10.2026", "Tunnus": "V-1001",
             "Mitä mieltä olit tuotteen nimestä ja ulkoasusta tänä vuonna?": "Nimi on hyvä mutta ulkoasu ei."}] * 5
    assert contact_columns(list(rows[0]), rows) == []
