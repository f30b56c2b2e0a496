"""Small talk, the question's echoed tail and contentless short answers are set aside with a reason (issue 17)."""

from pathlib import Path

import pytest

from pipeline.config import StudyConfig
from pipeline.corpus.read import read_study
from pipeline.corpus.segment import segment_turns
from pipeline.corpus.small_talk import (
    QUESTION_ECHO,
    SMALL_TALK,
    TOO_SHORT,
    default_lexicon,
    load_small_talk,
    set_aside_reason,
)
from pipeline.definitions import PACKAGE_MODELS


@pytest.mark.parametrize(("text", "lang"), [
    ("Okay, I see.", "en"), ("Mm-hmm", "en"), ("Right.", "en"), ("Sorry, can you hear me?", "en"),
    ("can you repeat the question", "en"), ("Thank you so much for your time!", "en"), ("That makes sense.", "en"),
    ("Yeah, you're on mute.", "en"), ("Have a nice day, bye!", "en"),
    ("Joo, selvä.", "fi"), ("Kiitos paljon!", "fi"), ("Kuuluuko?", "fi"), ("Voitko toistaa kysymyksen?", "fi"),
    ("Nähdään!", "fi"), ("Joo joo, ymmärrän.", "fi"), ("Kiitos ajastasi ja hyvää päivänjatkoa.", "fi"),
    ("Kuuletko minua nyt?", "fi"),
])
def test_small_talk_in_english_and_finnish(text, lang):
    assert set_aside_reason(text, lang) == SMALL_TALK


@pytest.mark.parametrize(("text", "lang"), [
    ("Thanks, the new app fixed the login problem.", "en"), ("The invoice was wrong twice in a row.", "en"),
    ("Sorry, but support never called me back.", "en"), ("The connection kept dropping every evening.", "en"),
    ("Expensive.", "en"), ("Kiitos, laskutus toimii nyt hyvin.", "fi"), ("Lasku oli väärin.", "fi"),
    ("Palvelu oli hyvä.", "fi"), ("Asiakaspalvelu vastasi nopeasti ja asia hoitui.", "fi"),
    ("Hyvä kysymys, hinnoittelu oli epäselvä.", "fi"),
])
def test_statements_with_content_stay(text, lang):
    assert set_aside_reason(text, lang) == ""


@pytest.mark.parametrize(("text", "lang"), [
    ("It was not okay at all.", "en"), ("Not great, honestly.", "en"), ("It wasn't good.", "en"),
    ("Ei se ollut hyvä.", "fi"), ("Ei ollut kiva.", "fi"), ("Ei mennyt hienosti, ei.", "fi"),
])
def test_a_negated_evaluation_is_a_statement(text, lang):
    assert set_aside_reason(text, lang, "How did the rollout go?") == ""


@pytest.mark.parametrize(("text", "lang"), [
    ("Okay, great.", "en"), ("No problem.", "en"), ("Yeah, no, that's fine.", "en"), ("No worries, that's fine.", "en"),
    ("Ole hyvä.", "fi"), ("Ei se mitään, hyvä.", "fi"), ("Ei kestä, kiitos itsellesi.", "fi"),
])
def test_a_negation_outside_the_evaluations_clause_or_in_a_phrase_stays_small_talk(text, lang):
    assert set_aside_reason(text, lang) == SMALL_TALK


def test_question_echo_needs_the_question():
    question = "And how did you first notice the data quality issue?"
    assert set_aside_reason("quality issue?", "en", question) == QUESTION_ECHO
    assert set_aside_reason("system?", "en", "What did you use before the new system?") == QUESTION_ECHO
    assert set_aside_reason("laatuongelma?", "fi", "Milloin huomasitte laatuongelman?") == QUESTION_ECHO
    assert set_aside_reason("Which system?", "en", "What did you use before?") == ""  # not from the question
    assert set_aside_reason("quality issue?", "en", "") == ""


def test_too_short_without_content():
    assert set_aside_reason("Why not.", "en") == TOO_SHORT
    assert set_aside_reason("Ei ollut.", "fi") == TOO_SHORT
    assert set_aside_reason("Too expensive.", "en") == ""


def test_the_lexicon_is_package_data_and_can_be_replaced(tmp_path):
    assert (PACKAGE_MODELS / "small_talk.toml").is_file()
    assert "kiitos" in default_lexicon().words["fi"] and ("can", "you", "hear", "me") in default_lexicon().phrases["en"]
    own = tmp_path / "small_talk.toml"
    own.write_text('[en]\nwords = ["splendid"]\nphrases = []\n[fi]\nwords = []\nphrases = []\n', encoding="utf-8")
    lexicon = load_small_talk(own)
    assert set_aside_reason("Splendid.", "en", lexicon=lexicon) == SMALL_TALK
    assert set_aside_reason("Sorry, can you hear me?", "en", lexicon=lexicon) != SMALL_TALK


ENGLISH = """Interview 7, remote, 2026-10-14

Interviewer: Hi, can you hear me okay?
Interviewee: Sorry, can you hear me? I think my microphone was muted.
Interviewer: Yes, I can hear you now. So, how did you first notice the data quality issue?
Interviewee: quality issue? Yeah, so the monthly report showed twice the sales we actually had.
We only caught it because the warehouse numbers did not match.
Interviewer: Okay. And what did support say?
Interviewee: Mm-hmm.
Interviewer: What did support say when you called them?
Interviewee: Okay, I see. They said the import job had run twice and promised a fix within a week.
The fix took two months, and in the meantime we rebuilt the report by hand every Monday.
Interviewer: Can you repeat that last part?
Interviewee: Sure.
Interviewer: That's all from me, thank you so much.
Interviewee: Thank you, bye!
"""

FINNISH = """Haastattelu 3, Teams, 14.10.2026

Haastattelija: Kuuluuko?
Vastaaja: Joo, kuuluu hyvin.
Haastattelija: Miten laskutus on toiminut tänä vuonna?
Vastaaja: Joo, selvä. Laskut ovat tulleet väärällä hinnalla kolme kertaa peräkkäin,
ja jokainen korjaus vaati kaksi soittoa asiakaspalveluun.
Haastattelija: Voitko kertoa lisää korjauksista?
Vastaaja: Voitko toistaa kysymyksen?
Haastattelija: Miten korjaukset hoidettiin?
Vastaaja: Hyvitys tuli lopulta, mutta vasta kuuden viikon päästä.
Haastattelija: Kiitos paljon haastattelusta!
Vastaaja: Kiitos paljon! Nähdään!
"""


def _study(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    turns, problems = read_study(tmp_path, StudyConfig())
    return segment_turns(turns, "w"), problems


def test_a_real_looking_interview_keeps_only_substance(tmp_path):
    segments, problems = _study(tmp_path, {"interview_07.txt": ENGLISH, "haastattelu_03.txt": FINNISH})
    assert not problems
    spoken = segments[segments["role"] == "respondent"]
    coded = spoken[spoken["unassigned_reason"] == ""]
    assert coded["text"].tolist() == [
        "Laskut ovat tulleet väärällä hinnalla kolme kertaa peräkkäin, ja jokainen korjaus vaati kaksi soittoa "
        "asiakaspalveluun.",
        "Hyvitys tuli lopulta, mutta vasta kuuden viikon päästä.",
        "Yeah, so the monthly report showed twice the sales we actually had.",
        "We only caught it because the warehouse numbers did not match.",
        "They said the import job had run twice and promised a fix within a week.",
        "The fix took two months, and in the meantime we rebuilt the report by hand every Monday.",
    ]
    reasons = dict(zip(spoken["text"], spoken["unassigned_reason"], strict=True))
    assert reasons["Sorry, can you hear me? I think my microphone was muted."] == "small talk"
    assert reasons["Mm-hmm."] == "non-answer"  # a filler alone, as before
    assert reasons["Sure."] == "non-answer"
    assert reasons["Thank you, bye!"] == "non-answer"
    assert reasons["Joo, kuuluu hyvin."] == "small talk"
    assert reasons["Voitko toistaa kysymyksen?"] == "small talk"
    assert reasons["Kiitos paljon! Nähdään!"] == "small talk"
    # talk inside a turn with substance is its own set-aside row, never joined to the statement
    assert reasons["quality issue?"] == "question echo"
    assert reasons["Okay, I see."] == "small talk" and reasons["Joo, selvä."] == "small talk"


def test_each_statement_is_located_on_its_own_line(tmp_path):
    segments, _ = _study(tmp_path, {"interview_07.txt": ENGLISH, "haastattelu_03.txt": FINNISH})
    where = dict(zip(segments["text"], segments["location"], strict=True))
    assert where["Yeah, so the monthly report showed twice the sales we actually had."] == "interview_07.txt:6"
    assert where["We only caught it because the warehouse numbers did not match."] == "interview_07.txt:7"
    assert where["The fix took two months, and in the meantime we rebuilt the report by hand every Monday."] == \
        "interview_07.txt:12"
    assert where["They said the import job had run twice and promised a fix within a week."] == \
        "interview_07.txt:11"
    # a sentence running over two lines is located where it starts
    assert where["Laskut ovat tulleet väärällä hinnalla kolme kertaa peräkkäin, ja jokainen korjaus vaati kaksi "
                 "soittoa asiakaspalveluun."] == "haastattelu_03.txt:6"
    assert where["Hyvitys tuli lopulta, mutta vasta kuuden viikon päästä."] == "haastattelu_03.txt:11"


def test_the_question_travels_with_each_statement(tmp_path):
    segments, _ = _study(tmp_path, {"interview_07.txt": ENGLISH})
    row = segments[segments["text"].str.startswith("The fix took")].iloc[0]
    assert row["question"] == "What did support say when you called them?"


def test_feedback_answers_are_not_treated_as_small_talk():
    import pandas as pd

    from pipeline.corpus.read import TURN_COLUMNS

    turns = pd.DataFrame([{"doc_id": "k.csv", "respondent_id": "R1", "source": "feedback", "speaker": "R1",
                           "role": "respondent", "text": "Okay, I see. Hinta.", "line": 2, "location": "k.csv:2",
                           "date": "", "nps": None, "question": "", "part": "", "line_starts": ()}],
                         columns=TURN_COLUMNS)
    assert segment_turns(turns, "w")["unassigned_reason"].tolist() == [""]
