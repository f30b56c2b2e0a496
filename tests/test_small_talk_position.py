"""Rapport at an interview's opening and close is set aside as small talk, substance there stays (issue 17), in
Finnish and English, on the real bundled embedder and examples."""

import pandas as pd
import pytest

from pipeline.config import StudyConfig
from pipeline.corpus.read import read_study
from pipeline.corpus.segment import segment_turns
from pipeline.small_talk_model import MAX_WORDS, candidates, classifier_flags
from pipeline.small_talk_position import (
    RAPPORT_MAX_WORDS,
    default_cues,
    in_rapport_turn,
    is_closing_thanks,
    opens_with_thanks,
    rapport_turns,
)

TRANSCRIPTS = {
    "en": """Interviewer: Welcome, and thanks for making time for this. Could you start by telling me how you came to use the service?
Interviewee: Thank you for having me. Honestly, I was really looking forward to this chat, it's lovely to be asked what I think. We moved to you two years ago when our old supplier closed its local branch.
Interviewer: How has billing gone since then?
Interviewee: The invoice was wrong three months in a row, and each time we had to call support to get a credit note.
Interviewer: And the app?
Interviewee: I'm glad you ask, it is such a pleasure to finally talk about this with someone who really listens to us.
Interviewer: That's all my questions. Thank you so much for your time today.
Interviewee: Thanks, but the invoice was wrong three times. Taking part was a real pleasure, and if you want to reach me later, you'll find me on LinkedIn.
""",
    "fi": """Haastattelija: Tervetuloa, ja kiitos että järjestit aikaa. Kertoisitko aluksi, miten päädyitte palvelumme käyttäjäksi?
Vastaaja: Kiitos kun sain tulla. Odotin tätä juttutuokiota oikeasti innolla, on tosi mukava olla mukana. Siirryimme teille kaksi vuotta sitten, kun vanha toimittajamme sulki paikallisen konttorinsa.
Haastattelija: Miten laskutus on sujunut sen jälkeen?
Vastaaja: Lasku oli väärin kolme kuukautta peräkkäin, ja joka kerta jouduimme soittamaan tukeen hyvityslaskun takia.
Haastattelija: Entä sovellus?
Vastaaja: Hyvä että kysyt, on niin mukavaa vihdoin jutella tästä jonkun kanssa, joka oikeasti kuuntelee meitä.
Haastattelija: Siinä olivat kaikki kysymykset. Kiitos paljon ajastasi.
Vastaaja: Kiitos, mutta lasku oli väärin kolme kertaa. Oli todella mukava olla mukana, ja minua voi seurata LinkedInissä, jos haluat jatkaa juttua myöhemmin.
""",
}
RAPPORT = {
    "en": ["Honestly, I was really looking forward to this chat, it's lovely to be asked what I think.",
           "Taking part was a real pleasure, and if you want to reach me later, you'll find me on LinkedIn."],
    "fi": ["Odotin tätä juttutuokiota oikeasti innolla, on tosi mukava olla mukana.",
           "Oli todella mukava olla mukana, ja minua voi seurata LinkedInissä, jos haluat jatkaa juttua myöhemmin."],
}
SUBSTANCE = {
    "en": ["We moved to you two years ago when our old supplier closed its local branch.",
           "The invoice was wrong three months in a row, and each time we had to call support to get a credit note.",
           "Thanks, but the invoice was wrong three times."],
    "fi": ["Siirryimme teille kaksi vuotta sitten, kun vanha toimittajamme sulki paikallisen konttorinsa.",
           "Lasku oli väärin kolme kuukautta peräkkäin, ja joka kerta jouduimme soittamaan tukeen hyvityslaskun "
           "takia.", "Kiitos, mutta lasku oli väärin kolme kertaa."],
}
# Rapport-like, but in the middle of the interview: not a rapport turn, too long to be scored there
MIDDLE = {"en": "I'm glad you ask, it is such a pleasure to finally talk about this with someone who really listens to us.",
          "fi": "Hyvä että kysyt, on niin mukavaa vihdoin jutella tästä jonkun kanssa, joka oikeasti kuuntelee meitä."}


def _segments(tmp_path, lang: str) -> pd.DataFrame:
    (tmp_path / f"haastattelu_{lang}.txt").write_text(TRANSCRIPTS[lang], encoding="utf-8")
    turns, problems = read_study(tmp_path, StudyConfig())
    assert not problems
    return segment_turns(turns, "w")


def _coded(segments: pd.DataFrame) -> pd.DataFrame:
    return segments[(segments["role"] == "respondent") & (segments["unassigned_reason"] == "")].reset_index(drop=True)


@pytest.mark.parametrize(("question", "lang"), [
    ("That's all my questions. Thank you so much for your time today.", "en"),
    ("Well, it's been awesome having you, thanks.", "en"), ("Thanks for joining me on the show.", "en"),
    ("Siinä olivat kaikki kysymykset. Kiitos paljon ajastasi.", "fi"), ("Kiitos paljon haastattelusta!", "fi"),
    ("Oli tosi mukava jutella, kiitos kun ehdit.", "fi"),
])
def test_the_interviewers_closing_thanks_in_both_languages(question, lang):
    assert is_closing_thanks(question, lang)


@pytest.mark.parametrize(("question", "lang"), [
    ("Thank you. What about the time you waited for support?", "en"), ("How has billing gone?", "en"),
    ("Kiitos. Kauanko odotitte tukea?", "fi"), ("Miten laskutus on sujunut?", "fi"),
])
def test_thanks_inside_the_interview_is_no_closing(question, lang):
    assert not is_closing_thanks(question, lang)


def test_a_turn_opened_by_thanks_is_one_of_talk_that_thanks():
    assert opens_with_thanks("Thank you for that.", "small talk", "en")
    assert opens_with_thanks("Kiitos, samoin.", "small talk", "fi")
    assert opens_with_thanks("Kiitoksia.", "non-answer", "fi")
    assert not opens_with_thanks("Thanks, the new app fixed it.", "", "en")  # a statement, not talk
    assert not opens_with_thanks("Okay, right.", "small talk", "en")  # talk, but no thanks
    assert {"closings", "thanks"} <= set(default_cues().__dataclass_fields__)
    assert all(default_cues().closings[lang] and default_cues().thanks[lang] for lang in ("en", "fi"))


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_rapport_turns_are_the_first_the_last_and_the_closing_ones(tmp_path, lang):
    segments = _segments(tmp_path, lang)
    questions = segments.loc[segments["role"] == "respondent", "question"].drop_duplicates().tolist()
    doc = segments["doc_id"].iloc[0]
    assert len(questions) == 4
    assert rapport_turns(segments) == {(doc, questions[0]), (doc, questions[-1])}
    assert rapport_turns(segments.assign(source="feedback")) == set()  # a survey has no opening or close
    assert rapport_turns(segments.assign(question="")) == set()  # the respondent alone: no turns to place


def test_a_turn_opened_by_thanks_is_a_rapport_turn_in_the_middle_too():
    rows = pd.DataFrame({
        "doc_id": "d", "source": "interview", "role": "respondent", "lang": "en",
        "question": ["Hi, ready?", "You have been a great help so far.", "You have been a great help so far.",
                     "What about support?", "Anything else?"],
        "text": ["Yes.", "Thank you for that.", "I was a little unsure about this call at first, you know.",
                 "Support was slow.", "No."],
        "unassigned_reason": ["too short", "small talk", "", "", "non-answer"]})
    assert ("d", "You have been a great help so far.") in rapport_turns(rows)
    assert ("d", "What about support?") not in rapport_turns(rows)


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_long_statements_are_scored_only_in_rapport_turns(tmp_path, lang):
    coded = _coded(_segments(tmp_path, lang))
    scored = dict(zip(coded["text"], candidates(coded, segments=coded).tolist(), strict=True))
    opening_substance, middle_substance, closing_substance = SUBSTANCE[lang]
    assert all(scored[text] for text in [*RAPPORT[lang], opening_substance, closing_substance])
    assert not scored[MIDDLE[lang]] and len(MIDDLE[lang].split()) > MAX_WORDS
    assert not scored[middle_substance]
    assert all(len(text.split()) <= RAPPORT_MAX_WORDS for text in RAPPORT[lang])
    assert in_rapport_turn(coded.drop(columns="question")).sum() == 0


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_rapport_at_the_opening_and_close_is_set_aside_and_substance_there_stays(tmp_path, lang, embed, examples):
    segments = _segments(tmp_path, lang)
    coded = _coded(segments)
    flags = dict(zip(coded["text"], classifier_flags(coded, embed, examples, segments).tolist(), strict=True))
    assert all(flags[text] for text in RAPPORT[lang]), flags
    assert not any(flags[text] for text in SUBSTANCE[lang] + [MIDDLE[lang]]), flags
    assert not set(RAPPORT[lang] + SUBSTANCE[lang]) & set(examples.texts)
