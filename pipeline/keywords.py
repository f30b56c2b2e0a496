"""Lemmatised keywords per theme (class-based TF-IDF), stop words removed in Finnish and English."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from pipeline.lexicon import STOP_WORDS, content_lemmas, lemma

__all__ = ["STOP_WORDS", "content_lemmas", "ctfidf_keywords", "distinct_words", "label_from_keywords", "lemma"]

def ctfidf_keywords(
    texts: Sequence[str], langs: Sequence[str], groups: Sequence[str], top_n: int = 8
) -> dict[str, list[tuple[str, str]]]:
    """For each group, its top (lemma, language) pairs by class-based TF-IDF, best first."""
    counts: dict[str, Counter] = {}
    for text, lang, group in zip(texts, langs, groups, strict=True):
        counts.setdefault(group, Counter()).update((lem, lang) for lem in content_lemmas(text, lang))
    totals: Counter = Counter()
    for counter in counts.values():
        totals.update({term: n for term, n in counter.items()})
    mean_size = sum(sum(c.values()) for c in counts.values()) / max(len(counts), 1)
    keywords = {}
    for group, counter in counts.items():
        size = sum(counter.values()) or 1
        scored = [((n / size) * math.log(1 + mean_size / totals[term]), term) for term, n in counter.items()]
        repeated = [item for item, n in zip(scored, counter.values(), strict=True) if n >= 2]
        # Words said once are noise in a big theme, but all a small one may have.
        scored = repeated if len(repeated) >= 3 else scored
        scored.sort(key=lambda item: (-item[0], item[1]))
        keywords[group] = [term for _, term in scored[:top_n]]
    return keywords


def distinct_words(terms: list[tuple[str, str]], n: int) -> list[str]:
    """The first n different words: "demo" said in Finnish and in English is one keyword."""
    return list(dict.fromkeys(word for word, _ in terms))[:n]


def label_from_keywords(keywords: list[tuple[str, str]], lang: str, n: int = 3) -> str:
    """A short readable label in the theme's own language: its top lemmas joined."""
    own = [(word, word_lang) for word, word_lang in keywords if word_lang == lang]
    chosen = distinct_words(own or keywords, n)
    return " · ".join(chosen) if chosen else "(no keywords)"
