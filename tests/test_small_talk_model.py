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


@pytest.fixture(scope="module")
def examples():
    label_sets = [load_label_set(DEFAULT_MODELS_DIR / name, table)
                  for name, table in (("stages.toml", "stage"), ("polarity.toml", "polarity"))]
    return load_examples(substance=definition_substance(label_sets))


def _coded(texts: dict, source="interview"):
    return pd.DataFrame({"segment_id": [f"s{i}" for i in range(len(texts))], "text": list(texts),
                         "lang": list(texts.values()), "source": source})


def _embed(embedder):
    return lambda texts: np.asarray(embedder.encode(list(texts)))


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


def test_unlisted_talk_is_flagged_and_short_substance_is_kept(embedder, examples):
    texts = {**TALK, **SUBSTANCE}
    flags = classifier_flags(_coded(texts), _embed(embedder), examples)
    assert dict(zip(texts, flags.tolist(), strict=True)) == {**{t: True for t in TALK},
                                                              **{t: False for t in SUBSTANCE}}


def test_only_short_interview_statements_are_scored(embedder, examples):
    long_talk = {"Sorry, sorry, my headset died again, can you hear me now, hello, hello?": "en"}
    assert not candidates(_coded(long_talk)).any() and len(next(iter(long_talk)).split()) > MAX_WORDS
    assert not classifier_flags(_coded(TALK, "feedback"), _embed(embedder), examples).any()  # a survey answer
    assert not classifier_flags(_coded({}), _embed(embedder), examples).any()


def test_fit_is_deterministic(embedder, examples):
    embed = _embed(embedder)
    vectors = embed(examples.texts)
    texts = list(TALK) + list(SUBSTANCE)
    one, two = (SmallTalkClassifier().fit(vectors, examples.texts, examples.langs, examples.labels)
                .predict_proba(embed(texts), texts, ["en"] * len(texts)) for _ in range(2))
    assert np.array_equal(one, two)
