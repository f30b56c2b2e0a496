"""Files in a language other than Finnish and English: named and set aside, never read as English.

teema's stop words, lemmas, stage and polarity definitions and names are Finnish and English; a French interview
read as English becomes a theme of its own language. Each such file's statements keep their rows (so every count
can be traced) with the reason "other language", and one line names the file and its language.
"""

from __future__ import annotations

import pandas as pd

from pipeline.corpus.language import other_language
from pipeline.corpus.problems import Problem

OTHER_LANGUAGE = "other language"
_SAMPLE_TURNS = 40  # a document is judged by its respondents' first turns, as its language is


def document_other_languages(turns: pd.DataFrame) -> dict[str, str]:
    """doc_id -> language name for each document whose respondents speak neither Finnish nor English."""
    spoken = turns[turns["role"] == "respondent"]
    found = {}
    for doc_id, group in spoken.groupby("doc_id", sort=True):
        name = other_language(" ".join(group["text"].astype(str).head(_SAMPLE_TURNS)))
        if name:
            found[doc_id] = name
    return found


def set_aside_other_languages(segments: pd.DataFrame, turns: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """The segments with the respondent statements of other-language files set aside, and one warning per file."""
    found = document_other_languages(turns)
    if not found:
        return segments, []
    segments = segments.copy()
    problems = []
    for doc_id, name in sorted(found.items()):
        rows = (segments["doc_id"] == doc_id) & (segments["role"] == "respondent")
        count = int((rows & (segments["unassigned_reason"] == "")).sum())
        segments.loc[rows & (segments["unassigned_reason"] == ""), "unassigned_reason"] = OTHER_LANGUAGE
        problems.append(Problem(doc_id, f"read, but it is in {name}, not Finnish or English: its {count} statements "
                                        "are set aside (not themed or counted); translate it, or remove it",
                                read=True))
    return segments, problems
