"""A small-talk classifier in the embedder's space, for the talk the word lists cannot list ([study] small_talk =
"words+classifier").

The lexicon of `pipeline/corpus/small_talk.py` sets aside the usual back-channel and meeting talk, but small talk
is phrased in endless ways ("Hmm, one second, I'll move closer to the window.", "Sori, mulla oli mikki kiinni.").
A logistic regression is fitted, at run time and on the study's own embedder, on the labelled examples of
`models/small_talk.toml` (talk: [examples] and [classifier.talk]; substance: [classifier.substance], short answers
such as "Twice, actually." or "Joo, jonotusajat.", and every stage and polarity definition example), in Finnish and
English. Besides the sentence vector it reads a few signs of talk: length, a question mark, second person, the
content words left once the lexicon's words are out, the share of lexicon words, an opening discourse marker.
Only short interview statements (at most MAX_WORDS words) are scored, and one is set aside as "small talk" when its
probability of talk reaches THRESHOLD and its nearest example is talk too ("Laskut, ehdottomasti." is nearest
"Chatbotti, ehdottomasti.", substance, and stays), or the probability reaches CONFIDENT; longer statements carry
content even when they start with talk, except in an interview's rapport turns (its opening and close,
pipeline/small_talk_position.py), where statements of up to RAPPORT_MAX_WORDS words are scored: thanks and "you can
find me on LinkedIn" are said in long sentences there.
The settings were chosen on bench/small_talk_set.py's tuned and held-out talk (bench/tune_small_talk.py), never on
its fresh or final talk (the unseen talk was looked at once, after the first figure on it). Fitting is
deterministic (lbfgs, fixed data order), so a re-run sets aside the same statements.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from pipeline.corpus.small_talk import SMALL_TALK_FILE, _tokens, default_lexicon, leftover_content
from pipeline.definitions import definitions_path
from pipeline.small_talk_position import RAPPORT_MAX_WORDS, in_rapport_turn
from pipeline.tagging import DefinitionError

MAX_WORDS = 10
# A short statement is scored only when its whole respondent turn is short: a short sentence inside a long answer
# ("So I had to send it back.") is part of the answer, while talk is said in turns of its own ("Sorry, go on.").
TURN_MAX_WORDS = 20
THRESHOLD = 0.5
# At or above this probability the nearest example is not asked: one substance example close by ("Quick, easy,
# done.") does not outweigh a confident "Sure, no hurry." (bench/small_talk_set.py's fresh set showed it).
CONFIDENT = 0.85
C = 3.0  # the regression's inverse regularisation
HAND_WEIGHT = 0.3  # the hand features' scale beside the unit sentence vector
SECOND_PERSON = {
    "en": frozenset({"you", "your", "yours", "you're", "you've", "you'll", "you'd"}),
    "fi": frozenset({"sinä", "sä", "sää", "sinua", "sua", "sinun", "sun", "sinulle", "sulle", "sinulla", "sulla",
                     "te", "teidän", "teille", "teillä", "teitä", "sinut", "sut"}),
}
# Finnish second person lives in the verb: "kuuletko", "voisitko", "ootko", "voisit"
_SECOND_PERSON_FI = ("tko", "tkö", "isit")


@dataclass(frozen=True)
class Examples:
    """The labelled example sentences: texts, their languages, 1 for talk and 0 for substance."""
    texts: tuple[str, ...]
    langs: tuple[str, ...]
    labels: tuple[int, ...]


# The lists of a small_talk.toml the classifier learns from: (table, key path, 1 talk / 0 substance).
_EXAMPLE_LISTS = (("examples", ("examples",), 1), ("classifier.talk", ("classifier", "talk"), 1),
                  ("classifier.substance", ("classifier", "substance"), 0))


def _example_rows(path: Path, data: dict) -> list[tuple[str, str, int]]:
    rows: list[tuple[str, str, int]] = []
    for table, keys, label in _EXAMPLE_LISTS:
        section = data
        for key in keys:
            section = section.get(key, {}) if isinstance(section, dict) else {}
        for lang in ("en", "fi"):
            texts = section.get(lang, []) if isinstance(section, dict) else []
            if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                raise DefinitionError(f"{path}: [{table}] {lang} must be a list of sentences in quotes, e.g. "
                                      f'{lang} = ["Kiitos, hei hei.", "Thanks, bye."]')
            rows += [(t, lang, label) for t in texts if t.strip()]
    return rows


def read_examples_file(path: Path) -> list[tuple[str, str, int]]:
    """The (text, lang, label) examples of one small_talk.toml; a malformed file is a DefinitionError naming it."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise DefinitionError(f"{path}: cannot be read ({err}); save it as UTF-8 text") from err
    except tomllib.TOMLDecodeError as err:
        raise DefinitionError(f"{path}: not valid TOML ({err}); fix it, or remove it to use teema's own "
                              "small-talk examples") from err
    return _example_rows(Path(path), data)


def load_examples(path: Path | None = None, substance: Sequence[tuple[str, str]] = (),
                  study_dir: Path | None = None) -> Examples:
    """The talk and substance examples of `path` (default the packaged models/small_talk.toml), plus those of
    the study's own `small_talk.toml` when `study_dir` has one (added to the packaged ones, not replacing them:
    a study names the talk of its own interviews, "Onko Teams-yhteys kunnossa?"), plus `substance` as (text,
    lang) pairs (the definitions' examples)."""
    rows = read_examples_file(Path(path or definitions_path(SMALL_TALK_FILE)))
    if study_dir is not None and (Path(study_dir) / SMALL_TALK_FILE).is_file():
        rows += read_examples_file(Path(study_dir) / SMALL_TALK_FILE)
    rows += [(t, lang, 0) for t, lang in substance]
    texts, langs, labels = zip(*rows, strict=True) if rows else ((), (), ())
    return Examples(tuple(texts), tuple(langs), tuple(labels))


def definition_substance(label_sets: Sequence) -> list[tuple[str, str]]:
    """Every example statement of the stage and polarity label sets, as (text, lang): substance."""
    return [(text, "en" if text in label.examples_en else "fi")
            for label_set in label_sets for label in label_set.labels for text in label.examples]


def _second_person(tokens: list[str], lang: str) -> bool:
    if any(t in SECOND_PERSON["fi" if lang == "fi" else "en"] for t in tokens):
        return True
    return lang == "fi" and any(len(t) > 4 and t.endswith(_SECOND_PERSON_FI) for t in tokens)


def hand_features(text: str, lang: str) -> list[float]:
    """The signs of talk beside the sentence vector, each about 0..1."""
    lang = "fi" if lang == "fi" else "en"
    tokens = _tokens(text)
    words = default_lexicon().words[lang]
    left, _ = leftover_content(text, lang)
    talk_words = sum(1 for t in tokens if t in words)
    return [
        min(len(tokens), 12) / 12,
        float(text.strip().endswith("?")),
        float(_second_person(tokens, lang)),
        min(len(left), 3) / 3,
        float(not left),
        talk_words / max(len(tokens), 1),
        float(bool(tokens) and tokens[0] in words),
    ]


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def features(vectors: np.ndarray, texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
    """Unit sentence vectors with the hand features beside them, row for row."""
    unit = _unit(vectors)
    hand = np.array([hand_features(t, lang) for t, lang in zip(texts, langs, strict=True)], dtype=np.float64)
    return np.hstack([unit, HAND_WEIGHT * hand.reshape(len(texts), -1)])


class SmallTalkClassifier:
    """Talk or substance for a short statement, learned from labelled examples in the study's embedder's space."""

    def __init__(self, c: float = C, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)

    def fit(self, vectors: np.ndarray, texts: Sequence[str], langs: Sequence[str], labels: Sequence[int]
            ) -> SmallTalkClassifier:
        self.examples, self.labels = _unit(vectors), np.asarray(labels, dtype=int)
        self.model.fit(features(vectors, texts, langs), self.labels)
        return self

    def predict_proba(self, vectors: np.ndarray, texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
        """The probability of talk, one per text."""
        if len(texts) == 0:
            return np.zeros(0)
        return self.model.predict_proba(features(vectors, texts, langs))[:, 1]

    def nearest_is_talk(self, vectors: np.ndarray) -> np.ndarray:
        """Whether each text's nearest example (cosine) is a talk example."""
        if len(vectors) == 0:
            return np.zeros(0, dtype=bool)
        return self.labels[np.argmax(_unit(vectors) @ self.examples.T, axis=1)] == 1

    def predict(self, vectors: np.ndarray, texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
        """Talk: the probability reaches the threshold and the nearest example agrees, or it reaches CONFIDENT."""
        proba = self.predict_proba(vectors, texts, langs)
        return (proba >= self.threshold) & (self.nearest_is_talk(vectors) | (proba >= CONFIDENT))


def _words(texts: pd.Series) -> np.ndarray:
    return texts.map(lambda t: len(_tokens(t))).to_numpy() if len(texts) else np.zeros(0, dtype=int)


def turn_words(coded: pd.DataFrame, segments: pd.DataFrame | None = None) -> np.ndarray:
    """The words of each statement's respondent turn, all its sentences (also those set aside) counted: the
    respondent's statements of one document that answer one interviewer turn (`question`); a statement with no
    interviewer turn before it counts its own words."""
    if not len(coded):
        return np.zeros(0, dtype=int)
    rows = segments if segments is not None else coded
    rows = rows[rows["role"] == "respondent"] if "role" in rows else rows
    keys = ["doc_id", "question"] if {"doc_id", "question"} <= set(rows.columns) & set(coded.columns) else None
    if keys is None:
        return _words(coded["text"])
    totals = rows.assign(words=_words(rows["text"])).groupby(keys)["words"].sum()
    turns = np.array([totals.get(key, 0) for key in zip(coded["doc_id"], coded["question"], strict=True)], dtype=int)
    # no interviewer turn before it (a transcript of the respondent alone): no turn to lean on, the statement is
    # judged by its own length
    alone = (coded["question"].fillna("").astype(str) == "").to_numpy()
    return np.where(alone, _words(coded["text"]), turns)


def candidates(coded: pd.DataFrame, max_words: int = MAX_WORDS, segments: pd.DataFrame | None = None,
               turn_max_words: int = TURN_MAX_WORDS) -> np.ndarray:
    """The statements the classifier may set aside: an interview's, of at most `max_words` words, in a respondent
    turn of at most `turn_max_words` words (`segments`: every row of the study, for the turn's other sentences), or
    of at most RAPPORT_MAX_WORDS words in a turn where rapport is said (pipeline/small_talk_position.py)."""
    if not len(coded):
        return np.zeros(0, dtype=bool)
    words = _words(coded["text"])
    short = (words <= max_words) & (turn_words(coded, segments) <= turn_max_words)
    rapport = (words <= RAPPORT_MAX_WORDS) & in_rapport_turn(coded, segments)
    return (coded["source"].to_numpy() == "interview") & (short | rapport)


def classifier_flags(coded: pd.DataFrame, embed: Callable[[Sequence[str]], np.ndarray], examples: Examples,
                     segments: pd.DataFrame | None = None, max_words: int = MAX_WORDS) -> np.ndarray:
    """True for each short interview statement (in a short turn of `segments`) the classifier, fitted on
    `examples` embedded by `embed`, takes for small talk."""
    flags = np.zeros(len(coded), dtype=bool)
    short = candidates(coded, max_words, segments)
    if not short.any() or len(set(examples.labels)) < 2:
        return flags
    model = SmallTalkClassifier().fit(embed(list(examples.texts)), examples.texts, examples.langs, examples.labels)
    rows = coded[short]
    langs = rows["lang"].tolist() if "lang" in rows else ["en"] * len(rows)
    flags[short] = model.predict(embed(rows["text"].tolist()), rows["text"].tolist(), langs)
    return flags
