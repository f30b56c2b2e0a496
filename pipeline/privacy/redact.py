"""Redaction: personal data in the texts of a study replaced by placeholders such as [NAME].

Used on everything a report exports (statements, interviewer questions, quotes, theme labels and
keywords, speaker names, metadata); the original text stays only in the study folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from pipeline.privacy.names import NameFinder, word_keys
from pipeline.privacy.patterns import KINDS, Span, find_patterns, resolve
from pipeline.result_cache import ResultCache

PLACEHOLDERS = {kind: f"[{kind}]" for kind in KINDS}
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def apply_spans(text: str, spans: Iterable[Span]) -> str:
    """The text with each span replaced by its placeholder."""
    out, last = [], 0
    for span in sorted(spans):
        out.append(text[last:span.start])
        out.append(PLACEHOLDERS[span.kind])
        last = span.end
    out.append(text[last:])
    return "".join(out)


class Redactor:
    """Finds and replaces personal data in the texts of one study (names are decided study-wide)."""

    def __init__(self, known_names: Iterable[str] = (), keep: Iterable[str] = (),
                 cache: ResultCache | None = None) -> None:
        self.names = NameFinder(known_names, keep, cache)

    def find(self, texts: Sequence[str], langs: Sequence[str]) -> list[list[Span]]:
        """Non-overlapping spans of personal data per text."""
        name_spans = self.names.find(texts, langs)
        return [resolve(find_patterns(text, lang) + names)
                for text, lang, names in zip(texts, langs, name_spans, strict=True)]

    def redact(self, texts: Sequence[str], langs: Sequence[str]) -> list[str]:
        return [apply_spans(text, spans) for text, spans in zip(texts, self.find(texts, langs), strict=True)]

    def redact_terms(self, text: str, lang: str = "fi") -> str:
        """A label or keyword list: fixed-shape finds, and any word that is a name found in the study
        (in any case, as keywords are lower-case lemmas): a name found only inflected ("Anna Korhoselle") is
        also redacted as its lemma ("korhonen"), which is how a label or keyword shows it."""
        text = apply_spans(text, find_patterns(text, lang))
        names = (self.names.name_keys | self.names.found_lemmas) - self.names.keep

        def replace(match: re.Match) -> str:
            return PLACEHOLDERS["NAME"] if word_keys(match.group(0), lang) & names else match.group(0)

        return _WORD.sub(replace, text) if names else text


def redact_texts(texts: Sequence[str], langs: Sequence[str] | None = None, known_names: Iterable[str] = (),
                 keep: Iterable[str] = ()) -> list[str]:
    """Redact a batch of texts as one study (convenience for scripts and tests)."""
    langs = list(langs) if langs is not None else ["fi"] * len(texts)
    return Redactor(known_names, keep).redact(list(texts), langs)


def _speaker_aliases(segments: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(doc_id, speaker) -> 'Interviewer' / 'Respondent 2' for speakers labelled with a person's name."""
    from pipeline.corpus.transcripts import is_role_label

    aliases: dict[tuple[str, str], str] = {}
    interviews = segments[segments["source"] == "interview"]
    for doc_id, group in interviews.groupby("doc_id", sort=True):
        order = group.drop_duplicates("speaker")[["speaker", "role"]].itertuples(index=False)
        named = [(s, r) for s, r in order if isinstance(s, str) and s and not is_role_label(s)]
        for role, title in (("interviewer", "Interviewer"), ("respondent", "Respondent")):
            speakers = [s for s, r in named if r == role]
            for number, speaker in enumerate(speakers, start=1):
                aliases[(doc_id, speaker)] = title if len(speakers) == 1 else f"{title} {number}"
    return aliases


def redact_study(segments: pd.DataFrame, themes: pd.DataFrame, issues: pd.DataFrame, known_names: Iterable[str] = (),
                 keep: Iterable[str] = (), cache: Any = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The study's tables with personal data replaced in every column a report exports.

    `cache` (the embedding cache, or a ResultCache) keeps what the name recogniser found in each text, so a
    re-run reads only new texts with it; the result is the same with or without it.

    Statements and questions are redacted; speakers labelled with a person's name become
    'Interviewer' / 'Respondent N' (also inside respondent ids such as 'h03:Mikko Virtanen');
    theme labels, keywords and `meta_*` values lose the names found in the statements.
    """
    segments, themes, issues = segments.copy(), themes.copy(), issues.copy()
    aliases = _speaker_aliases(segments)
    redactor = Redactor([*known_names, *(speaker for _, speaker in aliases)], keep, ResultCache.beside(cache))
    meta = [c for c in segments.columns if str(c).startswith("meta_")]
    pairs: set[tuple[str, str]] = set()
    for column in ("text", "question", *meta):
        values = segments[column].fillna("").astype(str)
        pairs |= {(v, lang) for v, lang in zip(values, segments["lang"].fillna("fi"), strict=True) if v}
    ordered = sorted(pairs)
    redacted = dict(zip(ordered, redactor.redact([t for t, _ in ordered], [lang for _, lang in ordered]), strict=True))
    for column in ("text", "question", *meta):
        values = segments[column].fillna("").astype(str)
        segments[column] = [redacted.get((v, lang), v)
                            for v, lang in zip(values, segments["lang"].fillna("fi"), strict=True)]
    if aliases:
        keys = list(zip(segments["doc_id"], segments["speaker"], strict=True))
        segments["speaker"] = [aliases.get(key, speaker)
                               for key, speaker in zip(keys, segments["speaker"], strict=True)]
        segments["respondent_id"] = [_rename_respondent(rid, doc, speaker, aliases) for rid, (doc, speaker)
                                     in zip(segments["respondent_id"], keys, strict=True)]
    for column, separator in (("label", " · "), ("keywords", ", ")):
        if column in themes and len(themes):
            langs = themes["lang"] if "lang" in themes else ["fi"] * len(themes)
            themes[column] = [_without_placeholders(redactor.redact_terms(str(v), lang), separator)
                              for v, lang in zip(themes[column], langs, strict=True)]
    if "label" in themes and "theme_id" in themes:
        labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
        for table, column in ((segments, "theme_label"), (issues, "theme_label")):
            if column in table and "theme_id" in table and len(table):
                table[column] = [labels.get(tid, redactor.redact_terms(str(old))) if old else old
                                 for tid, old in zip(table["theme_id"], table[column].fillna(""), strict=True)]
    return segments, themes, issues


def _without_placeholders(terms: str, separator: str) -> str:
    """A label or keyword list without the words that were names: "[NAME]" says nothing about a theme, and two
    trainers' names made "[NAME], [NAME]". Unchanged when nothing else is left."""
    parts = terms.split(separator)
    kept = [part for part in parts if part.strip() not in PLACEHOLDERS.values()]
    return separator.join(kept) if kept and len(kept) < len(parts) else terms


def _rename_respondent(respondent_id: str, doc_id: str, speaker: str, aliases: dict[tuple[str, str], str]) -> str:
    alias = aliases.get((doc_id, speaker))
    if alias and isinstance(respondent_id, str) and respondent_id.endswith(f":{speaker}"):
        return f"{respondent_id[: -len(speaker)]}{alias}"
    return respondent_id
