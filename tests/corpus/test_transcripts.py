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
