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


# Languages told apart from Finnish and English, so that a file in one of them is named and set aside rather
# than read as English: the languages of Europe and the ones most spoken in Finland. Lingua holds each one's model.
OTHER_LANGUAGES = (
    Language.SWEDISH, Language.GERMAN, Language.FRENCH, Language.SPANISH, Language.ITALIAN, Language.PORTUGUESE,
    Language.DUTCH, Language.DANISH, Language.BOKMAL, Language.NYNORSK, Language.ESTONIAN, Language.LATVIAN,
    Language.LITHUANIAN, Language.POLISH, Language.CZECH, Language.HUNGARIAN, Language.RUSSIAN,
    Language.UKRAINIAN, Language.TURKISH, Language.ARABIC, Language.SOMALI, Language.PERSIAN, Language.CHINESE,
    Language.JAPANESE, Language.VIETNAMESE, Language.THAI,
)
OTHER_MIN_LETTERS = 100  # a document with less is not judged: too short to be sure
OTHER_MIN_CONFIDENCE = 0.6


@lru_cache(maxsize=1)
def _wide_detector():
    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FINNISH, *OTHER_LANGUAGES).build()


def other_language(text: str) -> str:
    """The name of the language a text is in ("French") when it is clearly neither Finnish nor English, else ""."""
    text = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in text) < OTHER_MIN_LETTERS:
        return ""
    values = _wide_detector().compute_language_confidence_values(text)
    if not values or values[0].language in _CODES or values[0].value < OTHER_MIN_CONFIDENCE:
        return ""
    return values[0].language.name.replace("BOKMAL", "NORWEGIAN").title()
