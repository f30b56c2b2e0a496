"""The report's header counts files not read, and each interview quote shows the question it answers (issue 17)."""

import dataclasses

from pipeline.corpus import Problem
from pipeline.report.html import render_report
from tests.report.conftest import build_result


def test_header_says_how_many_of_the_files_were_read():
    result = build_result()  # three files read, kuva.png not read
    html = render_report(result, result.stages, "en")
    assert "<b>3</b>of 4 files read (<a href=\"#not-read\">1 not read: see Not read</a>)" in html
    html_fi = render_report(result, result.stages, "fi")
    assert "/ 4 tiedostosta luettu" in html_fi and "1 lukematta" in html_fi


def test_header_without_unread_files_and_warnings_not_counted():
    result = dataclasses.replace(build_result(), problems=[Problem("kysely.csv", "read, but line 4 ...", read=True)])
    html = render_report(result, result.stages, "en")
    assert "<b>3</b>files read</div>" in html and "not read: see" not in html


def test_an_interview_quote_shows_its_question_and_feedback_quotes_do_not():
    result = build_result()
    segments = result.segments.copy()
    interview = (segments["source"] == "interview") & (segments["role"] == "respondent")
    segments.loc[interview, "question"] = "Miten laskutus on toiminut tänä vuonna?"
    segments.loc[segments["source"] == "feedback", "question"] = "Mitä voisimme parantaa?"
    html = render_report(dataclasses.replace(result, segments=segments), result.stages, "fi")
    assert '<span class="asked">Kysymys: Miten laskutus on toiminut tänä vuonna?</span>' \
           "“Laskutus on ollut sekaisin koko vuoden.”" in html
    assert "Mitä voisimme parantaa?" not in html


def test_a_long_question_keeps_its_end():
    from pipeline.report.views import QUESTION_CHARS, asked

    row = type("Row", (), {"source": "interview", "question": "Tell me about your role. " * 20 + "And the invoices?"})
    shown = asked(row)
    assert shown.startswith("…") and shown.endswith("And the invoices?") and len(shown) <= QUESTION_CHARS + 1
