"""Lemmatised keywords per theme (class-based TF-IDF), stop words removed in Finnish and English."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import simplemma
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
from spacy.lang.fi.stop_words import STOP_WORDS as FI_STOP_WORDS

from pipeline.corpus.segment import FILLERS

_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Spoken-language words that carry no topic, beyond the spaCy lists.
EXTRA_STOP_WORDS = frozenset(
    "kyllä ihan sitten vähän aika aina sit sen sitä tosi niinku mut mä me meillä meidän meille ne nää "
    "tää toi semmonen sellainen sellanen jotenkin oikeastaan varmaan kuitenkin olla tulla saada pitää "
    "sanoa sanottu tietää ajatella muistaa kertoa mennä tehdä asia juttu "
    "also really actually just like thing things lot get got think know mean kind sort way yeah "
    "would could said say says going want one two".split()
)
STOP_WORDS = frozenset(w.lower() for w in FI_STOP_WORDS | EN_STOP_WORDS) | EXTRA_STOP_WORDS | FILLERS


@lru_cache(maxsize=50_000)
def lemma(word: str, lang: str) -> str:
    return simplemma.lemmatize(word, lang=lang).lower()


def content_lemmas(text: str, lang: str) -> list[str]:
    """Lemmas of the words that carry meaning: no stop words, numbers or 1-2 letter words."""
    lemmas = []
    for word in _TOKEN.findall(text.lower()):
        if word in STOP_WORDS or len(word) < 3:
            continue
        base = lemma(word, lang)
        if base not in STOP_WORDS and len(base) >= 3:
            lemmas.append(base)
    return lemmas


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
        scored = [
            ((n / size) * math.log(1 + mean_size / totals[term]), term)
            for term, n in counter.items() if n >= 2 or size < 20
        ]
        scored.sort(key=lambda item: (-item[0], item[1]))
        keywords[group] = [term for _, term in scored[:top_n]]
    return keywords


def label_from_keywords(keywords: list[tuple[str, str]], lang: str, n: int = 3) -> str:
    """A short readable label in the theme's own language: its top lemmas joined."""
    own = [word for word, word_lang in keywords if word_lang == lang]
    chosen = (own or [word for word, _ in keywords])[:n]
    return " · ".join(chosen) if chosen else "(no keywords)"
