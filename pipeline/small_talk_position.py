"""Where an interview's rapport is said: its opening and closing turns, for the small-talk classifier.

Thanks, praise of the show and "you can find me on LinkedIn" are said in sentences as long as an answer ("I am
really excited to be a part of this", "Kiitos kun sain tulla, tämä on ollut mukava kokemus"), so the classifier's
length limit (pipeline/small_talk_model.py, MAX_WORDS) lets them through, while a long sentence elsewhere is an
answer. They sit where the conversation is opened and closed: the respondent's first and last turn of a
transcript, the turn that answers the interviewer's thanks for the interview ("thank you for your time", "kiitos
haastattelusta"), and a turn the respondent opens by thanking ("Thank you for that.", "Kiitos, samoin."). In these
rapport turns the classifier also scores statements of up to RAPPORT_MAX_WORDS words; a substantive one ("Thanks,
but the invoice was wrong three times.") stays a statement, it is the classifier that decides, not the position.
Interviews only: a survey answer has no opening or closing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.corpus.small_talk import SMALL_TALK, SMALL_TALK_FILE, _lang, _same, _tokens
from pipeline.definitions import definitions_path

RAPPORT_MAX_WORDS = 40
CLOSING_GAP = 2  # other words allowed between two words of a closing phrase
# the reasons of a turn's opening sentence that can be its thanks ("Thank you." alone is a non-answer)
_TALK_REASONS = frozenset({SMALL_TALK, "non-answer"})


@dataclass(frozen=True)
class RapportCues:
    """Per language: the interviewer's closing thanks (`closings`, word sequences matched as written or by lemma)
    and the words of thanking (`thanks`)."""
    closings: dict[str, tuple[tuple[str, ...], ...]]
    thanks: dict[str, frozenset[str]]


def load_rapport_cues(path: Path | None = None) -> RapportCues:
    """The [rapport] table of `path` (default the packaged models/small_talk.toml)."""
    data = tomllib.loads(Path(path or definitions_path(SMALL_TALK_FILE)).read_text(encoding="utf-8"))
    section = data.get("rapport", {})
    closings, thanks = {}, {}
    for lang in ("en", "fi"):
        part = section.get(lang, {})
        closings[lang] = tuple(tuple(_tokens(p)) for p in part.get("closings", []) if _tokens(p))
        thanks[lang] = frozenset(w.lower() for w in part.get("thanks", []))
    return RapportCues(closings, thanks)


@lru_cache(maxsize=1)
def default_cues() -> RapportCues:
    return load_rapport_cues()


def _contains(tokens: list[str], phrase: tuple[str, ...], lang: str, start: int = 0, gap: int = 0) -> bool:
    """True when the phrase's words occur in order from `start`, at most CLOSING_GAP other words between two
    of them ("thank you so much for your time", "kiitos paljon haastattelusta")."""
    if not phrase:
        return True
    stop = len(tokens) if gap < 0 else min(len(tokens), start + gap + 1)
    return any(_same(tokens[at], phrase[0], lang) and _contains(tokens, phrase[1:], lang, at + 1, CLOSING_GAP)
               for at in range(start, stop))


def is_closing_thanks(question: str, lang: str, cues: RapportCues | None = None) -> bool:
    """True for an interviewer turn that thanks for the interview ("Thank you so much for your time today.",
    "Kiitos paljon haastattelusta."): the turn that answers it is the respondent's goodbye."""
    cues, lang = cues or default_cues(), _lang(lang)
    tokens = _tokens(question)
    return any(_contains(tokens, phrase, lang, gap=-1) for phrase in cues.closings[lang])


def opens_with_thanks(text: str, reason: str, lang: str, cues: RapportCues | None = None) -> bool:
    """True for a turn's first sentence that is set aside as talk and thanks ("Thank you for that.",
    "Kiitos, samoin.")."""
    cues, lang = cues or default_cues(), _lang(lang)
    return reason in _TALK_REASONS and any(
        t in cues.thanks[lang] or _same(t, w, lang) for t in _tokens(text) for w in cues.thanks[lang])


def _doc_rapport_turns(rows: pd.DataFrame, cues: RapportCues) -> set[str]:
    """The questions (interviewer turns) of one document whose respondent turn is a rapport turn."""
    turns = rows.drop_duplicates("question", keep="first")
    questions = turns["question"].tolist()
    if not questions:
        return set()
    langs = turns["lang"].tolist() if "lang" in turns else ["en"] * len(turns)
    reasons = turns["unassigned_reason"].tolist() if "unassigned_reason" in turns else [""] * len(turns)
    chosen = {questions[0], questions[-1]}
    for question, text, reason, lang in zip(questions, turns["text"], reasons, langs, strict=True):
        if is_closing_thanks(question, lang, cues) or opens_with_thanks(text, reason, lang, cues):
            chosen.add(question)
    return chosen


def rapport_turns(segments: pd.DataFrame, cues: RapportCues | None = None) -> set[tuple[str, str]]:
    """(doc_id, question) of each interview's rapport turns, read from the study's rows in reading order: its
    respondent's first and last turn, a turn answering the interviewer's closing thanks, a turn opened by
    thanking. A transcript of the respondent alone (no interviewer turns) has none."""
    cues = cues or default_cues()
    needed = {"doc_id", "question", "text", "source"}
    if not len(segments) or not needed <= set(segments.columns):
        return set()
    rows = segments[(segments["source"] == "interview") & (segments["question"].fillna("").astype(str) != "")]
    if "role" in rows:
        rows = rows[rows["role"] == "respondent"]
    return {(doc_id, question) for doc_id, group in rows.groupby("doc_id", sort=False)
            for question in _doc_rapport_turns(group, cues)}


def in_rapport_turn(coded: pd.DataFrame, segments: pd.DataFrame | None = None) -> np.ndarray:
    """True for each statement of `coded` said in a rapport turn (`segments`: every row of the study)."""
    if not len(coded) or not {"doc_id", "question"} <= set(coded.columns):
        return np.zeros(len(coded), dtype=bool)
    turns = rapport_turns(segments if segments is not None else coded)
    return np.array([key in turns for key in zip(coded["doc_id"], coded["question"], strict=True)], dtype=bool)
