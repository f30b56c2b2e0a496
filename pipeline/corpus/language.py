"""Finnish or English, per text, with lingua restricted to the two (reliable on short texts)."""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

SUPPORTED = ("fi", "en")
_CODES = {Language.FINNISH: "fi", Language.ENGLISH: "en"}
SAMPLE_CHARS = 20_000  # a longer text is judged by its start: lingua's time and memory grow with the text


@lru_cache(maxsize=1)
def _detector():
    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FINNISH).build()


def detect_language(text: str, fallback: str = "fi") -> str:
    """'fi' or 'en'; `fallback` when the text has too few letters to tell."""
    text = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in text) < 3:
        return fallback
    language = _detector().detect_language_of(text)
    return _CODES.get(language, fallback)
