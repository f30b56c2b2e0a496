"""Words: which carry meaning and which do not, in Finnish and English, and their lemmas."""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
from spacy.lang.fi.stop_words import STOP_WORDS as FI_STOP_WORDS

# Spoken-language fillers: a sentence of only these says nothing.
FILLERS = frozenset(
    "joo juu jaa niin no noh mm mmm hmm hm aa ai ok okei okay kyllä just justiin tota totta niinku "
    "siis eli että yeah yes yep yup right so well um uh uhm er oh ah sure mhm hmm exactly".split()
)
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Spoken-language words that carry no topic, beyond the spaCy lists.
EXTRA_STOP_WORDS = frozenset(
    "kyllä ihan sitten vähän aika aina sit sen sitä tosi niinku mut mä me meillä meidän meille ne nää "
    "tää toi semmonen sellainen sellanen jotenkin oikeastaan varmaan kuitenkin olla tulla saada pitää "
    "sanoa sanottu tietää ajatella muistaa kertoa mennä tehdä asia juttu "
    "oikeestaan oikeestaa tämmönen tommonen sillee sillai niinkun kans elikkä "
    "also really actually just like thing things lot get got think know mean kind sort way yeah "
    "would could said say says going want one two".split()
)
STOP_WORDS = frozenset(w.lower() for w in FI_STOP_WORDS | EN_STOP_WORDS) | EXTRA_STOP_WORDS | FILLERS


@lru_cache(maxsize=50_000)
def lemma(word: str, lang: str) -> str:
    return simplemma.lemmatize(word, lang=lang).lower()


# E-mail addresses and web addresses are not words: their parts ("anna", "korhonen", "example", "com") would
# become theme keywords, and a report's keywords must not carry a customer's address in pieces.
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+", re.IGNORECASE)


def content_lemmas(text: str, lang: str) -> list[str]:
    """Lemmas of the words that carry meaning: no stop words, numbers, 1-2 letter words or address parts."""
    lemmas = []
    for word in _TOKEN.findall(_ADDRESS.sub(" ", text.lower())):
        if word in STOP_WORDS or len(word) < 3:
            continue
        base = lemma(word, lang)
        if base not in STOP_WORDS and len(base) >= 3:
            lemmas.append(base)
    return lemmas
