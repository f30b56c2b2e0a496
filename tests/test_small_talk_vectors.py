"""The embedding check for small talk the word lists miss (issue 17), on the real bundled embedder."""

import numpy as np
import pandas as pd

from pipeline.config import DEFAULT_MODELS_DIR
from pipeline.small_talk_vectors import MAX_WORDS, set_aside_flagged, small_talk_flags, talk_examples
from pipeline.tagging import load_label_set

TALK = ["Yep, ready.", "Joo, valmis ollaan.", "Yes, I can see your slides."]
# short substance, and short statements with two content words: close to talk in the embedder's space on the
# sample study, never flagged ("Support is the other weak point.")
SHORT = ["Slow support.", "Hidas asiakaspalvelu.", "The app crashing.", "Fast repairs.",
         "Support is the other weak point.", "Even a starting price would help."]
LONG = ["Sorry, my headset died, but the real problem is that your support never calls back."]


FINNISH = {"Joo, valmis ollaan.", "Hidas asiakaspalvelu."}


def _coded(texts, source="interview"):
    return pd.DataFrame({"segment_id": [f"s{i}" for i in range(len(texts))], "text": texts, "source": source,
                         "lang": ["fi" if t in FINNISH else "en" for t in texts]})


def _vectors(embedder, texts):
    return np.asarray(embedder.encode(list(texts)))


def test_short_talk_is_flagged_short_substance_and_long_statements_are_not(embedder):
    substance = [x for name, table in (("stages.toml", "stage"), ("polarity.toml", "polarity"))
                 for label in load_label_set(DEFAULT_MODELS_DIR / name, table).labels for x in label.examples]
    talk = talk_examples()
    assert len(talk) >= 60 and all(len(t.split()) <= MAX_WORDS + 4 for t in talk)
    texts = TALK + SHORT + LONG
    flags = small_talk_flags(_coded(texts), _vectors(embedder, texts), _vectors(embedder, talk),
                             _vectors(embedder, substance))
    assert flags.tolist() == [True] * len(TALK) + [False] * (len(SHORT) + len(LONG))
    survey = small_talk_flags(_coded(TALK, "feedback"), _vectors(embedder, TALK), _vectors(embedder, talk),
                              _vectors(embedder, substance))
    assert not survey.any()  # a survey answer is never small talk by this check


def test_flagged_statements_leave_the_coded_rows_with_a_reason():
    segments = pd.DataFrame({"segment_id": ["s0", "s1", "q"], "unassigned_reason": ["", "", "interviewer"]})
    coded = _coded(["Am I back now?", "Slow support."])
    segments_after, kept = set_aside_flagged(segments, coded, np.array([True, False]))
    assert segments_after["unassigned_reason"].tolist() == ["small talk", "", "interviewer"]
    assert kept["segment_id"].tolist() == ["s1"]
    same, all_kept = set_aside_flagged(segments, coded, np.array([True, True]))  # every row: the check is wrong
    assert same is segments and len(all_kept) == 2
