import pytest

from pipeline.corpus.problems import ReadError
from pipeline.corpus.transcripts import parse_transcript

FINNISH = """Haastattelu 03
Lumivaara asiakaskokemustutkimus

Haastattelija: Miten kuulitte Lumivaarasta ensimmäisen kerran?

Vastaaja: No, kollega suositteli heitä messuilla.
Se oli syksyllä.

Haastattelija: Entä laskutus?

Vastaaja: Laskut ovat olleet väärin monta kertaa.
"""


def test_finnish_labels_roles_and_continuation_lines():
    turns = parse_transcript(FINNISH)
    assert [t.role for t in turns] == ["interviewer", "respondent", "interviewer", "respondent"]
    assert turns[1].text == "No, kollega suositteli heitä messuilla. Se oli syksyllä."
    assert turns[1].line == 6
    assert turns[3].line == 11


def test_q_and_a_labels():
    turns = parse_transcript("Q: How did it start?\nA: Badly, the invoice was wrong.\n")
    assert [(t.speaker, t.role) for t in turns] == [("Q", "interviewer"), ("A", "respondent")]


def test_names_only_the_one_asking_questions_is_the_interviewer():
    text = (
        "Anna Korhonen: How did you first hear of them?\n"
        "Marta Kowalska: A partner recommended them.\n"
        "Anna Korhonen: And what happened next?\n"
        "Marta Kowalska: We asked for a quote. It took weeks.\n"
    )
    roles = {t.speaker: t.role for t in parse_transcript(text)}
    assert roles == {"Anna Korhonen": "interviewer", "Marta Kowalska": "respondent"}


def test_markdown_bold_labels_and_timestamps():
    turns = parse_transcript("# Interview\n\n**Interviewer:** Why?\n\n[00:01:23] Tom Hill: Because support was slow.\n")
    assert turns[0].role == "interviewer"
    assert (turns[1].speaker, turns[1].timestamp, turns[1].text) == ("Tom Hill", "00:01:23", "Because support was slow.")


def test_no_labels_is_a_clear_error():
    with pytest.raises(ReadError, match="no speaker labels"):
        parse_transcript("Just some notes without anyone speaking.\nMore notes.\n")


def test_only_interviewer_is_a_clear_error():
    with pytest.raises(ReadError, match="every speaker is labelled as the interviewer"):
        parse_transcript("Haastattelija: Kysymys?\nHaastattelija: Toinen kysymys?\n")


def test_lowercase_role_labels_are_recognised():
    text = ("interviewer: How did onboarding go?\n"
            "interviewee: It took three weeks before we could log in.\n"
            "The trainer was good though.\n"
            "haastattelija: Entä laskutus?\n"
            "vastaaja: Laskut tulivat väärällä hinnalla.\n")
    turns = parse_transcript(text)
    assert [(t.role, t.line) for t in turns] == [("interviewer", 1), ("respondent", 2), ("interviewer", 4),
                                                 ("respondent", 5)]
    assert turns[1].text == "It took three weeks before we could log in. The trainer was good though."
    assert turns[1].line_starts == ((0, 2), (turns[1].text.index("The trainer"), 3))


def test_a_lowercase_label_in_a_file_mixing_styles_starts_a_new_turn():
    text = ("Interviewer: What did you use before?\n"
            "Interviewee: Spreadsheets, mostly.\n"
            "interviewer: And the new system?\n"
            "interviewee: The new system exports the invoices straight to accounting.\n")
    turns = parse_transcript(text)
    assert [t.role for t in turns] == ["interviewer", "respondent", "interviewer", "respondent"]
    assert turns[1].text == "Spreadsheets, mostly."


def test_prose_in_lower_case_is_not_a_label():
    turns = parse_transcript("Interviewer: Why?\nInterviewee: Because\nthe customer: someone else paid.\n")
    assert len(turns) == 2 and turns[1].text == "Because the customer: someone else paid."
