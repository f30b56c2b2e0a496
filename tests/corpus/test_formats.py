"""Every format a researcher brings, each on a realistic file written here with the real library."""

from __future__ import annotations

import csv
import datetime as dt

import docx
import pytest
from fpdf import FPDF
from openpyxl import Workbook

from pipeline.config import FeedbackSection, StudyConfig, StudySection
from pipeline.corpus.read import location_order, read_study
from pipeline.corpus.segment import segment_turns
from pipeline.corpus.subtitles import parse_subtitles
from pipeline.corpus.transcripts import parse_transcript


def _read(folder, config: StudyConfig | None = None):
    turns, problems = read_study(folder, config or StudyConfig())
    return turns, problems


def _respondent_texts(turns, doc_id):
    rows = turns[(turns["doc_id"] == doc_id) & (turns["role"] == "respondent")]
    return rows["text"].tolist()


# --- transcripts: .txt / .md label styles ---------------------------------------------------------------------

@pytest.mark.parametrize("text, interviewer, respondent", [
    ("INTERVIEWER: How did you hear of us?\nRESPONDENT: From a trade fair in Helsinki.\n", "INTERVIEWER", "RESPONDENT"),
    ("Q: How did you hear of us?\nA: From a trade fair in Helsinki.\n", "Q", "A"),
    ("H: Miten kuulitte meistä?\nV: Messuilta Helsingistä.\n", "H", "V"),
    ("Haastattelija: Miten kuulitte meistä?\nVastaaja: Messuilta Helsingistä.\n", "Haastattelija", "Vastaaja"),
    ("[00:01:23] Anna Korhonen: How did you hear of us?\n[00:01:30] Tom Hill: From a trade fair.\n",
     "Anna Korhonen", "Tom Hill"),
    ("00:01:23 Haastattelija 1: Miten kuulitte meistä?\n00:01:40 Vastaaja 2: Messuilta.\n",
     "Haastattelija 1", "Vastaaja 2"),
    ("Speaker 1  0:03\nHow did you hear of us?\nSpeaker 2  0:09\nFrom a trade fair, a colleague sent me.\n",
     "Speaker 1", "Speaker 2"),
    ("**Haastattelija:** Miten kuulitte meistä?\n\n**Mikko Virtanen:** Messuilta.\n", "Haastattelija", "Mikko Virtanen"),
])
def test_speaker_label_styles(text, interviewer, respondent):
    turns = parse_transcript(text)
    assert {t.speaker: t.role for t in turns} == {interviewer: "interviewer", respondent: "respondent"}


def test_header_lines_with_colons_are_not_speakers():
    text = ("Haastattelu 4\nPäivämäärä: 12.10.2026\nOsallistujat: Anna (haastattelija), asiakas\nKesto: 45 min\n\n"
            "Haastattelija: Miten laskutus on toiminut?\nVastaaja: Laskut tulivat väärin kolme kertaa.\n")
    assert [t.speaker for t in parse_transcript(text)] == ["Haastattelija", "Vastaaja"]


def test_timestamped_txt_gets_the_time_as_location(tmp_path):
    (tmp_path / "h1.txt").write_text("[00:01:23] Haastattelija: Miten meni?\n[00:02:05] Vastaaja: Lasku oli väärin.\n",
                                     encoding="utf-8")
    turns, _ = _read(tmp_path)
    assert turns["location"].tolist() == ["h1.txt:00:01:23", "h1.txt:00:02:05"]
    assert location_order("h1.txt:00:02:05", "h1.txt") == 125


# --- .docx ---------------------------------------------------------------------------------------------------

def _docx_prefix(path):
    document = docx.Document()
    document.add_heading("Haastattelu 12 – Lumivaara", level=1)
    document.add_paragraph("Etähaastattelu Teamsissa, kesto 48 min")
    document.add_paragraph("Haastattelija: Miten kuulitte Lumivaarasta?")
    document.add_paragraph("Vastaaja: Kollega suositteli heitä messuilla. Myyjä oli todella asiantunteva.")
    document.add_paragraph("Haastattelija: Entä laskutus?")
    document.add_paragraph("Vastaaja: Laskut ovat olleet väärin monta kertaa, ja hyvitys kesti kuukausia.")
    document.save(path)


def _docx_bold(path):
    document = docx.Document()
    document.add_paragraph("Interview 3, October 2026")
    for speaker, text in [("Interviewer", "How did the onboarding go?"),
                          ("Marta Kowalska", "Really well. The trainer knew our field and the sessions were short."),
                          ("Interviewer", "And support?"),
                          ("Marta Kowalska", "Support is slow, tickets wait a week before anyone answers.")]:
        paragraph = document.add_paragraph()
        paragraph.add_run(speaker).bold = True
        paragraph.add_run(f" {text}")
    paragraph = document.add_paragraph()
    paragraph.add_run("Really").bold = True
    paragraph.add_run(" slow, and nobody tells you when it will be fixed.")
    document.save(path)


def _docx_bold_alone(path):
    """Teams-style: the speaker's name (bold, with a time) on its own paragraph, the speech below."""
    document = docx.Document()
    for speaker, text in [("Anna Korhonen 0:03", "Miten käyttöönotto sujui teillä?"),
                          ("Mikko Virtanen 0:09", "Hyvin, koulutus oli erinomainen ja materiaalit selkeät."),
                          ("Anna Korhonen 1:15", "Mitä parantaisit?"),
                          ("Mikko Virtanen 1:20", "Tukeen pitäisi saada yhteys nopeammin, nyt jonotetaan tunteja.")]:
        document.add_paragraph().add_run(speaker).bold = True
        document.add_paragraph(text)
    document.save(path)


def _docx_table(path):
    document = docx.Document()
    document.add_paragraph("Litterointi, haastattelu 9")
    table = document.add_table(rows=0, cols=3)
    for time, speaker, text in [("00:00:05", "Haastattelija", "Miten hinnoittelu on mielestänne toiminut?"),
                                ("00:00:12", "Vastaaja", "Hinta nousi kesken sopimuskauden ilman ilmoitusta."),
                                ("00:01:02", "Haastattelija", "Entä mobiilisovellus?"),
                                ("00:01:09", "Vastaaja", "Sovellus on nopea ja huoltomiehet tykkäävät siitä.")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = time, speaker, text
    document.save(path)


def test_docx_prefix_bold_alone_and_table(tmp_path):
    _docx_prefix(tmp_path / "h12.docx")
    _docx_bold(tmp_path / "int03.docx")
    _docx_bold_alone(tmp_path / "teams.docx")
    _docx_table(tmp_path / "h09.docx")
    turns, problems = _read(tmp_path)
    assert problems == []
    assert _respondent_texts(turns, "h12.docx") == [
        "Kollega suositteli heitä messuilla. Myyjä oli todella asiantunteva.",
        "Laskut ovat olleet väärin monta kertaa, ja hyvitys kesti kuukausia."]
    assert turns.loc[turns["doc_id"] == "h12.docx", "location"].tolist() == [
        "h12.docx:3", "h12.docx:4", "h12.docx:5", "h12.docx:6"]  # paragraph numbers
    bold = turns[turns["doc_id"] == "int03.docx"]
    assert dict(zip(bold["speaker"], bold["role"], strict=True)) == {"Interviewer": "interviewer",
                                                                     "Marta Kowalska": "respondent"}
    assert bold["text"].iloc[-1].endswith("answers. Really slow, and nobody tells you when it will be fixed.")
    teams = turns[turns["doc_id"] == "teams.docx"]
    assert teams.loc[teams["role"] == "respondent", "text"].tolist() == [
        "Hyvin, koulutus oli erinomainen ja materiaalit selkeät.",
        "Tukeen pitäisi saada yhteys nopeammin, nyt jonotetaan tunteja."]
    assert teams["location"].tolist()[1] == "teams.docx:00:00:09"
    assert _respondent_texts(turns, "h09.docx") == ["Hinta nousi kesken sopimuskauden ilman ilmoitusta.",
                                                    "Sovellus on nopea ja huoltomiehet tykkäävät siitä."]


# --- .vtt / .srt ---------------------------------------------------------------------------------------------

TEAMS_VTT = """WEBVTT

b5c6d1e2-3f4a-4b5c-8d9e-0f1a2b3c4d5e/12-0
00:00:03.120 --> 00:00:07.480
<v Anna Korhonen>Kiitos että pääsit. Miten kuulitte meistä ensimmäisen kerran?</v>

b5c6d1e2-3f4a-4b5c-8d9e-0f1a2b3c4d5e/13-0
00:00:08.010 --> 00:00:12.950
<v Mikko Virtanen>No, se oli messuilla Tampereella syksyllä.</v>

b5c6d1e2-3f4a-4b5c-8d9e-0f1a2b3c4d5e/13-1
00:00:12.950 --> 00:00:18.200
<v Mikko Virtanen>Myyjä lupasi integraation kirjanpitoon, mutta sitä ei koskaan tullut.</v>

b5c6d1e2-3f4a-4b5c-8d9e-0f1a2b3c4d5e/14-0
00:01:02.000 --> 00:01:05.500
<v Anna Korhonen>Entä tuki?</v>

b5c6d1e2-3f4a-4b5c-8d9e-0f1a2b3c4d5e/15-0
00:01:06.000 --> 00:01:11.000
<v Mikko Virtanen>Tuki vastaa &quot;viikon päästä&quot; &amp; usein vasta muistutuksen jälkeen.</v>
"""

ZOOM_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
Sarah Thompson: How did the onboarding go for your team?

2
00:00:05.000 --> 00:00:09.000
James Whitaker: Really well, the trainer knew field service inside out.

3
00:00:09.000 --> 00:00:12.000
and the videos were short enough to watch on a phone.
"""

SRT = """1
00:00:01,000 --> 00:00:04,000
Haastattelija: Miten laskutus on toiminut?

2
00:00:04,500 --> 00:00:09,000
Vastaaja: Laskuissa on ollut virheitä,
hyvityslasku tuli vasta kahden kuukauden päästä.

3
00:02:10,000 --> 00:02:14,000
Haastattelija: Suosittelisitko meitä?

4
00:02:15,000 --> 00:02:19,000
Vastaaja: Kyllä, koulutuksen takia ehdottomasti.
"""


def test_teams_vtt_voice_tags_joined_turns_and_timestamps():
    turns = parse_subtitles(TEAMS_VTT)
    assert [(t.speaker, t.role, t.timestamp) for t in turns] == [
        ("Anna Korhonen", "interviewer", "00:00:03"), ("Mikko Virtanen", "respondent", "00:00:08"),
        ("Anna Korhonen", "interviewer", "00:01:02"), ("Mikko Virtanen", "respondent", "00:01:06")]
    assert turns[1].text == ("No, se oli messuilla Tampereella syksyllä. "
                             "Myyjä lupasi integraation kirjanpitoon, mutta sitä ei koskaan tullut.")
    assert turns[3].text == 'Tuki vastaa "viikon päästä" & usein vasta muistutuksen jälkeen.'


def test_zoom_vtt_and_srt_files_in_a_study(tmp_path):
    (tmp_path / "zoom.vtt").write_text(ZOOM_VTT, encoding="utf-8")
    (tmp_path / "teams.vtt").write_text(TEAMS_VTT, encoding="utf-8-sig")
    (tmp_path / "haastattelu.srt").write_bytes(SRT.replace("\n", "\r\n").encode("cp1252"))
    turns, problems = _read(tmp_path)
    assert problems == []
    assert _respondent_texts(turns, "zoom.vtt") == [
        "Really well, the trainer knew field service inside out. and the videos were short enough to watch on a phone."]
    srt = turns[turns["doc_id"] == "haastattelu.srt"]
    assert srt.loc[srt["role"] == "respondent", "location"].tolist() == ["haastattelu.srt:00:00:04",
                                                                         "haastattelu.srt:00:02:15"]
    assert "hyvityslasku tuli vasta kahden kuukauden päästä." in srt["text"].iloc[1]
    segments = segment_turns(turns, "w")
    teams = segments[segments["doc_id"] == "teams.vtt"]
    assert teams["location"].is_unique or len(teams) > 4  # every statement traceable to its cue time
    assert teams["segment_id"].is_unique


# --- .pdf ----------------------------------------------------------------------------------------------------

def test_pdf_with_text_layer_gives_page_locations(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in ("Haastattelu 7, Lumivaara asiakaskokemus", "Haastattelija: Miten käyttöönotto sujui?",
                 "Vastaaja: Hyvin, mutta laskutuksessa oli jatkuvasti virheitä ja hyvitykset viivästyivät."):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    for line in ("Haastattelija: Entä tuki?", "Vastaaja: Tukeen ei saa yhteyttä, tiketteihin vastataan viikon päästä."):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "h07.pdf"))
    turns, problems = _read(tmp_path)
    assert problems == []
    assert _respondent_texts(turns, "h07.pdf") == [
        "Hyvin, mutta laskutuksessa oli jatkuvasti virheitä ja hyvitykset viivästyivät.",
        "Tukeen ei saa yhteyttä, tiketteihin vastataan viikon päästä."]
    assert turns["location"].tolist() == ["h07.pdf:p1", "h07.pdf:p1", "h07.pdf:p2", "h07.pdf:p2"]


# --- feedback: .csv delimiters and encodings, .xlsx ----------------------------------------------------------

FEEDBACK_ROWS = [
    ["V-1001", "1.10.2026", "Pk-yritys", "9", "4", "2", "Koulutus oli erinomainen ja nopea.", "Hinnoittelu selkeämmäksi."],
    ["V-1002", "2.10.2026", "Suuryritys", "3", "2", "6", "Laskut ovat jatkuvasti väärin.", "Tuki vastaamaan nopeammin."],
    ["V-1003", "3.10.2026", "Pk-yritys", "7", "", "", "Säätö onnistui ja sovellus toimii.", ""],
]
HEADER = ["Vastaajan tunnus", "Päivämäärä", "Asiakassegmentti", "Suositteluhalukkuus (0-10)", "Tyytyväisyys (CSAT)",
          "Asioinnin helppous (CES)", "Mikä toimii hyvin?", "Mitä meidän pitäisi parantaa?"]


def _write_csv(path, delimiter, encoding):
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows([HEADER, *FEEDBACK_ROWS])


@pytest.mark.parametrize("delimiter, encoding", [
    (",", "utf-8"), (";", "utf-8-sig"), (";", "cp1252"), ("\t", "utf-16"), (";", "latin-1"),
])
def test_feedback_csv_delimiters_encodings_scores_and_questions(tmp_path, delimiter, encoding):
    _write_csv(tmp_path / "kysely.csv", delimiter, encoding)
    turns, problems = _read(tmp_path)
    assert problems == []
    assert turns["text"].tolist() == ["Koulutus oli erinomainen ja nopea.", "Hinnoittelu selkeämmäksi.",
                                      "Laskut ovat jatkuvasti väärin.", "Tuki vastaamaan nopeammin.",
                                      "Säätö onnistui ja sovellus toimii."]
    assert turns["question"].tolist() == ["Mikä toimii hyvin?", "Mitä meidän pitäisi parantaa?"] * 2 + [
        "Mikä toimii hyvin?"]
    assert turns["respondent_id"].tolist()[:2] == ["V-1001", "V-1001"]
    assert turns["nps"].tolist() == [9.0, 9.0, 3.0, 3.0, 7.0]
    assert turns["csat"].tolist()[:4] == [4.0, 4.0, 2.0, 2.0]
    assert turns["ces"].tolist()[2] == 6.0
    assert turns["date"].iloc[0] == "2026-10-01"
    assert turns["meta_segment"].tolist()[2] == "Suuryritys"
    segments = segment_turns(turns, "w")
    assert segments["segment_id"].is_unique  # two answers on one row stay apart


def test_utf16_excel_unicode_text_export(tmp_path):
    """Excel's "Unicode text" is UTF-16 LE with a BOM and tabs."""
    text = "Vastaajan tunnus\tAvoin palaute\r\nV-1\tPäivystys toimii öisinkin hyvin\r\n"
    (tmp_path / "palaute.csv").write_bytes(text.encode("utf-16"))
    turns, problems = _read(tmp_path)
    assert problems == [] and turns["text"].tolist() == ["Päivystys toimii öisinkin hyvin"]


def test_feedback_csv_columns_named_in_config(tmp_path):
    (tmp_path / "survey.csv").write_text("resp;q1;q2;seg;score\nR1;Great onboarding;Cheaper please;SMB;8\n",
                                         encoding="utf-8")
    config = StudyConfig(feedback=FeedbackSection(id_column="resp", question_columns=("q1", "q2"),
                                                  segment_column="seg", nps_column="score"))
    turns, problems = _read(tmp_path, config)
    assert problems == []
    assert turns[["respondent_id", "question", "text"]].values.tolist() == [
        ["R1", "q1", "Great onboarding"], ["R1", "q2", "Cheaper please"]]
    assert turns["meta_segment"].tolist() == ["SMB", "SMB"] and turns["nps"].tolist() == [8.0, 8.0]


def _workbook(path, sheets):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def test_xlsx_first_sheet_with_title_row_and_dates(tmp_path):
    _workbook(tmp_path / "kysely.xlsx", {
        "Vastaukset": [["Asiakaskysely syksy 2026"], [],
                       ["Vastaajan tunnus", "Vastauspäivä", "Suositteluhalukkuus", "Avoin palaute"],
                       ["V-1", dt.datetime(2026, 10, 14), 9, "Koulutus oli erinomainen"],
                       ["V-2", dt.datetime(2026, 10, 15), 2.0, "Laskut väärin, säätöä riittää"]],
        "Muistiinpanot": [["Tämä ei ole palautetta", "x"]]})
    turns, problems = _read(tmp_path)
    assert problems == []
    assert turns[["respondent_id", "date", "nps", "text", "location"]].values.tolist() == [
        ["V-1", "2026-10-14", 9.0, "Koulutus oli erinomainen", "kysely.xlsx:4"],
        ["V-2", "2026-10-15", 2.0, "Laskut väärin, säätöä riittää", "kysely.xlsx:5"]]


def test_xlsx_named_sheet(tmp_path):
    _workbook(tmp_path / "survey.xlsx", {"Summary": [["Responses", "42"]],
                                         "Raw data": [["Respondent ID", "Open feedback"], ["R7", "Support is slow"]]})
    config = StudyConfig(feedback=FeedbackSection(sheet="Raw data"))
    turns, problems = _read(tmp_path, config)
    assert problems == [] and turns["text"].tolist() == ["Support is slow"]
    turns, problems = _read(tmp_path, StudyConfig(feedback=FeedbackSection(sheet="Vastaukset")))
    assert "no sheet named 'Vastaukset'" in problems[0].message and "Raw data" in problems[0].message


# --- study folder with sub-folders and a manifest -------------------------------------------------------------

def test_subfolders_and_manifest_give_ids_and_metadata(tmp_path):
    (tmp_path / "haastattelut").mkdir()
    (tmp_path / "haastattelut" / "h01.txt").write_text(
        "Haastattelija: Miten meni?\nVastaaja: Laskutus on sekaisin.\n", encoding="utf-8")
    (tmp_path / "haastattelut" / "ryhmä.txt").write_text(
        "Haastattelija: Kertokaa tuesta?\nMikko: Tuki on hidas.\nLiisa: Koulutus oli hyvä.\n", encoding="utf-8")
    (tmp_path / "kyselyt").mkdir()
    (tmp_path / "kyselyt" / "syksy.csv").write_text(
        "Vastaajan tunnus;Avoin palaute\nV-1;Hinta on liian korkea\nV-2;Sovellus toimii\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "Tiedosto;Vastaajan tunnus;Asiakassegmentti;Alue\n"
        "haastattelut/h01.txt;A-17;Pk-yritys;Uusimaa\n"
        "ryhmä.txt;G-2;Suuryritys;Pirkanmaa\n"
        "kyselyt/syksy.csv;;Kysely;\n"
        ";V-2;Suuryritys;Lappi\n"
        "puuttuu.docx;X-1;Pk-yritys;\n", encoding="utf-8")
    turns, problems = _read(tmp_path)
    assert [(p.file, "puuttuu.docx" in p.message) for p in problems] == [("manifest.csv", True)]
    assert "manifest.csv" not in set(turns["doc_id"])
    respondents = turns[turns["role"] == "respondent"]
    assert respondents[["respondent_id", "meta_segment", "meta_alue"]].values.tolist() == [
        ["A-17", "Pk-yritys", "Uusimaa"], ["G-2:Mikko", "Suuryritys", "Pirkanmaa"],
        ["G-2:Liisa", "Suuryritys", "Pirkanmaa"], ["V-1", "Kysely", ""], ["V-2", "Suuryritys", "Lappi"]]
    segments = segment_turns(turns, "w")
    assert {"meta_segment", "meta_alue"} <= set(segments.columns)
    assert segments.loc[segments["respondent_id"] == "A-17", "meta_alue"].tolist() == ["Uusimaa"]


def test_manifest_named_in_config(tmp_path):
    (tmp_path / "h1.txt").write_text("Q: Why?\nA: Because the invoices were wrong.\n", encoding="utf-8")
    (tmp_path / "vastaajat.csv").write_text("file,region\nh1.txt,Uusimaa\n", encoding="utf-8")
    turns, problems = _read(tmp_path, StudyConfig(study=StudySection(manifest="vastaajat.csv")))
    assert problems == [] and turns["meta_region"].tolist() == ["Uusimaa", "Uusimaa"]


def test_decoding_utf16_without_bom_and_markup_clean_up():
    from pipeline.corpus.decode import decode_text, normalise_text

    assert decode_text("Vastaaja: Hyvä\n".encode("utf-16-le")) == "Vastaaja: Hyvä\n"
    assert decode_text("Vastaaja: Hyvä\n".encode("utf-16-be")) == "Vastaaja: Hyvä\n"
    assert decode_text("Säätö".encode("cp1252")) == "Säätö"
    assert normalise_text("Ha\u200bastattelija\u00ad: <b>Hyvä</b> &amp; a\u0308") == "Haastattelija: Hyvä & ä"
