"""Whether a sentence gives advice or a request ("Tarkista laskut joka kuukausi", "Please fix the app").

A theme is headed by what customers met ("Laskut ovat väärin"), not by what one of them advises; an imperative
is a poor name even when it is the theme's most central short sentence (issue 13: the invoices theme was named
"Tarkista laskut jokainen kuukausi sopimusta vasten"). Told by spaCy's tagger and, in Finnish, its morphology.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.spacy_models import load_pipeline

_TAGGER_ONLY = ("parser", "lemmatizer", "ner", "senter")  # the tagger and, in Finnish, the morphology
_FINITE_EN = {"VBZ", "VBP", "VBD", "MD"}
# A speaker's feeling with the "I" left out ("Love the new design") reads as a command to the tagger.
_EN_FEELINGS = frozenset({"love", "loved", "hate", "hated", "like", "liked", "enjoy", "enjoyed", "miss", "missed"})


@lru_cache(maxsize=20_000)
def is_imperative(sentence: str, lang: str) -> bool:
    """True for a command or request: in Finnish a verb in the imperative mood among the first two words
    ("Korjatkaa laskutus", "Älkää uskoko myyjää"); in English a base-form verb first (after "please") with no
    finite verb after it ("Check your invoices", but not "Call waiting times are long"). False for other
    languages and where the tagger is not installed."""
    nlp = load_pipeline(lang, _TAGGER_ONLY)
    if nlp is None or not sentence.strip():
        return False
    words = [w for w in nlp(sentence) if not w.is_punct]
    if lang == "fi":
        return any("Imp" in w.morph.get("Mood") for w in words[:2])
    first = [w.lower_ for w in words[:2]]
    if first[:1] == ["please"] or first in (["do", "n't"], ["do", "not"]):
        return True
    if first[:1] and first[0] in _EN_FEELINGS:
        return False
    return bool(words) and words[0].tag_ == "VB" and not any(w.tag_ in _FINITE_EN for w in words[1:])
