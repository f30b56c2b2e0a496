import pandas as pd

from pipeline.corpus.read import TURN_COLUMNS
from pipeline.corpus.segment import (
    clean_text,
    is_non_answer,
    segment_id,
    segment_turns,
    split_statements,
    statement_spans,
    strip_nonverbal,
)


def _turns(rows):
    base = {"doc_id": "d.txt", "respondent_id": "R1", "source": "interview", "speaker": "V", "role": "respondent",
            "line": 1, "location": "d.txt:1", "date": "", "nps": None, "question": ""}
    return pd.DataFrame([{**base, **row} for row in rows], columns=TURN_COLUMNS)


def test_split_drops_fillers_and_merges_fragments():
    text = "Joo. No se myynti lupasi meille integraation kirjanpitoon. Se ei toiminut. Koulutus oli kyllä tosi hyvä."
    assert split_statements(text, "fi") == [
        "No se myynti lupasi meille integraation kirjanpitoon. Se ei toiminut.",
        "Koulutus oli kyllä tosi hyvä.",
    ]


def test_english_split():
    assert split_statements("Yeah. The invoices were wrong twice. Support was quick though.", "en") == [
        "The invoices were wrong twice.", "Support was quick though.",
    ]


def test_transcribers_notes_are_not_statements_or_parts_of_them():
    turns = _turns([
        {"text": "I moved here ten years ago. [laughs] In my role I do invoicing and payroll.", "line": 1},
        {"text": "Laskutus meni ihan hyvin (naurahtaa). Mutta tuki vastasi [epäselvää 00:12:03] hitaasti.",
         "line": 2},
        {"text": "[sighs]", "line": 3},
    ])
    segments = segment_turns(turns, wave="w1", language="auto")
    assert segments["text"].tolist() == [
        "I moved here ten years ago.", "In my role I do invoicing and payroll.",
        "Laskutus meni ihan hyvin.", "Mutta tuki vastasi hitaasti.", "",
    ]
    assert segments["unassigned_reason"].tolist() == ["", "", "", "", "non-answer"]


def test_anonymised_speech_in_brackets_is_kept():
    assert strip_nonverbal("Kouluttaja [nimi] oli hyvä, hinta (alv 0 %) sovittiin.") == \
        "Kouluttaja [nimi] oli hyvä, hinta (alv 0 %) sovittiin."
    assert strip_nonverbal("Our trainer [NAME] was great. (Laughter)") == "Our trainer [NAME] was great."


def test_interviewer_kept_but_not_coded_and_non_answers_set_aside():
    turns = _turns([
        {"role": "interviewer", "respondent_id": "", "text": "Miten laskutus on toiminut?", "line": 1},
        {"text": "Laskut ovat olleet väärin jo kolme kertaa tänä vuonna.", "line": 2,
         "question": "Miten laskutus on toiminut?"},
        {"text": "En osaa sanoa.", "line": 3},
    ])
    segments = segment_turns(turns, wave="w1")
    assert segments["unassigned_reason"].tolist() == ["interviewer", "", "non-answer"]
    assert segments["lang"].tolist() == ["fi", "fi", "fi"]
    assert segments.loc[1, "question"] == "Miten laskutus on toiminut?"
    assert set(segments["wave"]) == {"w1"}


def test_segment_id_is_stable_and_position_sensitive():
    assert segment_id("a.txt", "3.0", "x") == segment_id("a.txt", "3.0", "x")
    assert segment_id("a.txt", "3.0", "x") != segment_id("a.txt", "4.0", "x")


def test_non_answers_and_cleaning():
    assert all(is_non_answer(t) for t in ["-", "Ei kommentteja.", "n/a", "Don't know", "ok", "…"])
    assert not is_non_answer("Ok palvelu mutta hidas")
    assert all(is_non_answer(t) for t in ["Ei kommentoitavaa.", "Kaikki sanottu jo", "Nothing at this time!",
                                          "ei tällä kertaa", "Nothing special."])
    assert not is_non_answer("Nothing special about the support, it is slow.")
    assert all(is_non_answer(t) for t in ["Kiitos, hei.", "Thank you.", "No, I think I covered it.", "Ei kai muuta.",
                                          "That’s all!"])
    assert not is_non_answer("Kiitos nopeasta avusta, asia ratkesi.")
    assert all(is_non_answer(t) for t in ["Ei ole mitään lisättävää.", "Thanks, bye.", "Kiitos ja hei!"])
    assert not is_non_answer("Hei, laskut ovat olleet väärin.")
    assert clean_text("Hyvä\u200b  palvelu\n") == "Hyvä palvelu"


def test_sentences_without_content_words_join_their_neighbour():
    assert split_statements("I still don't have my card after 2 weeks. What should I do?", "en") == [
        "I still don't have my card after 2 weeks. What should I do?"]
    assert split_statements("Laskussa oli taas virhe tässä kuussa. Mitä nyt sitten?", "fi") == [
        "Laskussa oli taas virhe tässä kuussa. Mitä nyt sitten?"]


def test_feedback_answers_can_be_kept_whole():
    turns = _turns([{"source": "feedback", "text": "Laskut ovat aina väärin. Koulutus oli kuitenkin erinomainen."}])
    assert len(segment_turns(turns, wave="w")) == 2
    assert segment_turns(turns, wave="w", split_feedback=False)["text"].tolist() == [
        "Laskut ovat aina väärin. Koulutus oli kuitenkin erinomainen."]


def test_a_quotation_is_not_cut_at_its_own_question_mark_or_full_stop():
    question = "What did you think of the rollout?"
    spans = statement_spans('Normally, "Should you?" is the question. Then we moved on to the pricing of the product.',
                            "en", question=question)
    assert [(s, talk) for s, _, talk in spans] == [('Normally, "Should you?" is the question.', ""),
                                                   ("Then we moved on to the pricing of the product.", "")]
    spans = statement_spans('The account manager said, "Don\'t worry. We\'ll be okay." The rollout took a year.', "en",
                            question=question)
    assert [(s, talk) for s, _, talk in spans] == [('The account manager said, "Don\'t worry. We\'ll be okay."', ""),
                                                   ("The rollout took a year.", "")]


def test_a_finnish_quotation_stays_whole_with_its_own_characters():
    text = "Myyjä sanoi: ”Älkää huoliko.  Kaikki järjestyy kyllä.” Mikään ei järjestynyt koko vuonna."
    spans = statement_spans(text, "fi", question="Miten käyttöönotto sujui?")
    assert spans[0][0] == "Myyjä sanoi: ”Älkää huoliko.  Kaikki järjestyy kyllä.”"
    assert all(text[at:at + len(s)] == s for s, at, _ in spans)
    assert all(talk == "" for _, _, talk in spans)


def test_an_unclosed_quote_joins_at_most_four_sentences():
    text = 'He wrote "hi. ' + " ".join(f"Sentence number {n} is about invoices." for n in range(6))
    first = statement_spans(text, "en", question="Anything else?")[0][0]
    assert first == 'He wrote "hi. ' + " ".join(f"Sentence number {n} is about invoices." for n in range(3))


def test_an_unclosed_quote_does_not_take_the_next_paragraph_of_the_turn(tmp_path):
    # A machine transcript opens a quote it never closes; the next paragraph is still its own statement on its line.
    from pipeline.config import StudyConfig
    from pipeline.corpus.read import read_study

    (tmp_path / "haastattelu.txt").write_text(
        "Interviewer: How did the project start?\n\n"
        'Interviewee: I asked them "what can the hardware actually give software in 2017.\n\n'
        "The vendor was selling a storage engine that was far too slow for our invoices.\n", encoding="utf-8")
    turns, problems = read_study(tmp_path, StudyConfig())
    assert not problems
    rows = segment_turns(turns, wave="w")
    rows = rows[rows["role"] == "respondent"]
    assert rows["location"].tolist() == ["haastattelu.txt:3", "haastattelu.txt:5"]
    assert rows["text"].iloc[1] == "The vendor was selling a storage engine that was far too slow for our invoices."
