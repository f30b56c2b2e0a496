"""Names for broad themes: a short phrase a respondent said, as a researcher would head a theme.

A keyword string ("lasku · summa · reklamoida") tells what words a theme uses; a workshop needs what it is
about ("Laskuissa on virheitä"). The name is taken from the data: among the theme's short statements in its
main language, the one nearest the theme's centre that says the theme's keywords and is not advice or a request
("Tarkista laskut joka kuukausi", pipeline/imperative.py), with leading fillers ("No,", "And", "Eli") and the
closing full stop taken off. A theme with no such statement keeps its keywords.
"""

from __future__ import annotations

import re

import numpy as np

from pipeline.imperative import is_imperative
from pipeline.lexicon import content_lemmas

MIN_WORDS, MAX_WORDS = 3, 8
KEYWORD_BONUS = 0.05  # per top keyword the phrase says, on top of its cosine to the theme's centre
WORD_COST = 0.015  # per word: a shorter phrase heads a theme better
TOP_KEYWORDS = 5
FILLERS = {
    "fi": ("no", "niin", "eli", "ja", "mutta", "sitten", "sit", "kyllä", "joo", "että", "siis", "tota", "no niin"),
    "en": ("well", "and", "but", "so", "yes", "yeah", "oh", "also", "then", "um", "uh", "i mean", "honestly"),
}
_PLACEHOLDER = re.compile(r"\[[A-Z]+\]")
_INNER_NAME = re.compile(r"(?<![.!?]\s)(?<=\s)[A-ZÅÄÖ][a-zåäö]+")  # a capitalised word inside: a name, a place
_TWO_SENTENCES = re.compile(r"[.!?]\s+\S")
_DIGIT = re.compile(r"\d")


def tidy(phrase: str, lang: str) -> str:
    """Leading fillers and the final full stop removed, first letter capitalised."""
    text = phrase.strip().strip("\"'“”‘’")
    fillers = FILLERS.get(lang, ())
    changed = True
    while changed:
        changed = False
        for filler in sorted(fillers, key=len, reverse=True):
            match = re.match(rf"{re.escape(filler)}\b[,:]?\s+", text, flags=re.IGNORECASE)
            if match and len(text) > match.end():
                text, changed = text[match.end():], True
    text = text.rstrip(" .…")
    return text[:1].upper() + text[1:] if text else text


def candidate(text: str) -> bool:
    """Short enough to head a theme, one sentence that is not a question, naming no person, place or company
    and no date, amount or count (a theme is about more than one customer: "sopimus olis päättyny elokuussa
    2025" is one customer's story) and holding no redaction placeholder."""
    words = len(text.split())
    return (MIN_WORDS <= words <= MAX_WORDS and not text.rstrip().endswith("?") and not _PLACEHOLDER.search(text)
            and not _INNER_NAME.search(text) and not _TWO_SENTENCES.search(text.strip())
            and not _DIGIT.search(text))


def theme_name(texts: list[str], langs: list[str], points: np.ndarray, centroid: np.ndarray,
               keywords: list[tuple[str, str]], lang: str, fallback: str) -> str:
    """The phrase naming one theme: `texts`, `langs` and `points` are its members row for row, `keywords` its
    top (lemma, language) pairs, `lang` its main language; `fallback` when no member can head it."""
    top = set(list(dict.fromkeys(word for word, word_lang in keywords if word_lang == lang))[:TOP_KEYWORDS])
    best, best_score = "", -np.inf
    similarity = points @ centroid
    for text, text_lang, sim in zip(texts, langs, similarity, strict=True):
        if text_lang != lang or not candidate(text):
            continue
        said = top & set(content_lemmas(text, text_lang))
        if top and not said:
            continue
        score = float(sim) + KEYWORD_BONUS * len(said) - WORD_COST * len(text.split())
        wins = score > best_score or (score == best_score and text < best)
        if wins and not is_imperative(tidy(text, text_lang), text_lang):  # the tagger only for a would-be name
            best, best_score = text, score
    name = tidy(best, lang) if best else ""
    return name if len(name.split()) >= 2 else fallback
