"""A second check for small talk, in the embedder's space: what the word lists cannot list.

The lexicon of `pipeline/corpus/small_talk.py` catches the usual back-channel and meeting talk, but small talk is
phrased in endless ways ("Yep, ready.", "Joo, valmis ollaan."). After the statements are embedded,
a short interview statement (at most MAX_WORDS words, and at most MAX_CONTENT_WORDS content words once the
lexicon's words are out) is set aside as small talk when its nearest example is one of
the small-talk examples of `models/small_talk.toml` rather than one of the stage and polarity definitions' example
statements (which include short ones: "Very satisfied.", "Too expensive."). Longer statements are never touched:
they carry content even when they start with talk.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.corpus.small_talk import SMALL_TALK, SMALL_TALK_FILE, leftover_content
from pipeline.definitions import definitions_path

# Opt-in ([study] small_talk = "words+nearest"): on the bundled sample it also takes short answers that say
# something only with their question ("That has happened at least three times." stays, but "Now it's stable."
# goes), and the clustering that follows puts the planted slow-support failure below tests/test_sample_study.py's
# bar. Measured in bench/results/small_talk.md (docs/themes.md); the classifier of pipeline/small_talk_model.py
# ("words+classifier") is its successor.
MAX_WORDS = 8
# At most this many content words left once the lexicon's words are out: "Support is the other weak point." (three)
# is close to talk in the embedder's space on the sample study, and is not talk.
MAX_CONTENT_WORDS = 1


def talk_examples(path: Path | None = None) -> list[str]:
    """The small-talk example sentences, English and Finnish."""
    data = tomllib.loads(Path(path or definitions_path(SMALL_TALK_FILE)).read_text(encoding="utf-8"))
    examples = data.get("examples", {})
    return [text for lang in ("en", "fi") for text in examples.get(lang, [])]


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def small_talk_flags(coded: pd.DataFrame, vectors: np.ndarray, talk: np.ndarray, substance: np.ndarray,
                     max_words: int = MAX_WORDS) -> np.ndarray:
    """True for each short interview statement whose nearest example is small talk (vectors row for row)."""
    flags = np.zeros(len(coded), dtype=bool)
    short = (coded["source"].to_numpy() == "interview") & \
        (coded["text"].str.split().str.len().fillna(0).to_numpy() <= max_words)
    langs = coded["lang"] if "lang" in coded else pd.Series("en", index=coded.index)
    short &= np.array([bool(s) and len(leftover_content(text, lang)[0]) <= MAX_CONTENT_WORDS
                       for s, text, lang in zip(short, coded["text"], langs, strict=True)], dtype=bool)
    if not short.any() or len(talk) == 0 or len(substance) == 0:
        return flags
    rows = _unit(vectors[short])
    nearest_talk = (rows @ _unit(talk).T).max(axis=1)
    nearest_substance = (rows @ _unit(substance).T).max(axis=1)
    flags[short] = nearest_talk > nearest_substance
    return flags


def set_aside_flagged(segments: pd.DataFrame, coded: pd.DataFrame, flags: np.ndarray
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The segments with the flagged statements given the reason "small talk", and the coded statements without
    them. Nothing is set aside when every statement is flagged (then the check is wrong, not the material)."""
    if not flags.any() or flags.all():
        return segments, coded
    flagged = set(coded.loc[flags, "segment_id"])
    segments = segments.copy()
    segments.loc[segments["segment_id"].isin(flagged), "unassigned_reason"] = SMALL_TALK
    return segments, coded[~flags].reset_index(drop=True)
