"""Sentences that point back: a sentence a coder cannot read without the one before it belongs to that one's
statement (one meaning unit), as "Myyjä lupasi integraation. Sitä ei ole." or "We were told go-live would be in
August. It ended up being November." Alone, the second half is a theme of its own ("months went by") and the first
a promise that reads as praise; together they are one broken promise, counted once, where it belongs.

A sentence points back when, after a leading connective ("ja", "mutta", "lopulta", "and", "but", "in the end"),
it opens with a demonstrative or the neuter pronoun standing alone ("se", "sitä", "tämä", "it", "that's",
"this is"), or, in Finnish, with a subject-less negation ("Ei toiminut."); a short sentence (up to SHORT_WORDS
words) also does when it holds such a pronoun anywhere ("Toivottavasti tähän tulee parannus."). A demonstrative
that determines a noun names its own topic ("Se koulutus oli hyvä", spoken Finnish's article; "This app is
great"): Finnish is told by spaCy's parser (dependency "det"), read only for the few sentences that open with
such a form, English by the word after it. Plural pronouns ("ne", "they") are not read as pointing back: in
customer feedback they mostly mean the vendor. Only sentences of one turn or one answer are joined, never across
speakers."""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.spacy_models import load_pipeline

SHORT_WORDS = 6  # "Odotimme sitä viisi kuukautta.", "Hope they fix it soon."
MAX_UNIT_WORDS = 60  # a chain of pointing sentences stops growing here: a statement stays a quotable unit

CONNECTIVES = {
    "fi": frozenset("ja mutta eikä nyt lopulta vielä silti sitten todellisuudessa kuitenkin ja-ja no "
                    "toivottavasti valitettavasti onneksi".split()),
    "en": frozenset("and but so now still yet eventually actually then unfortunately hopefully luckily "
                    "sadly honestly".split()),
}
PHRASE_CONNECTIVES = {"fi": ("sen jälkeen",), "en": ("in the end", "after that", "to be honest")}
# Openings built of a pointer that start a new point rather than continue one ("Sen sijaan koulutus oli hyvä.").
NEW_POINT = {"fi": ("sen sijaan", "sen lisäksi", "sitä vastoin", "tämän lisäksi"), "en": ()}
# An English "it" that points at nothing: "It would be great to have…", "It is hard to say…", "It depends."
_EN_DUMMY = re.compile(
    r"^it(?:'s| is| was| would be|'d be| will be|'ll be| might be| could be)\s+(?:\w+\s+){0,2}?(?:to|that|if|when)\b"
    r"|^it (?:depends|seems|looks like|feels like)\b")
_LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*•–])\s")  # "2) Se on myös hidas.": a list's next item, a point of its own

# Forms of "se" (it), "tämä" (this) and "tuo" (that), with the clitics a speaker adds ("sekään", "tätäkin").
_FI_POINTERS = re.compile(
    r"^(?:se|sen|sitä|siitä|siihen|siinä|sillä|siltä|sille|siksi|sellainen|"
    r"tämä|tämän|tätä|tästä|tähän|tässä|tällä|tältä|tälle|tää|tuo|tuon|tuota|tuosta|tuohon)"
    r"(?:kin|kään|hän|pä)?$")
# In a short sentence, only these point back wherever they stand ("Odotimme sitä viisi kuukautta.", "Hope they fix
# it soon."): "sen" also builds connectives ("sen sijaan", instead) and "that" clauses.
_ANYWHERE = {"fi": frozenset("se sitä siitä siihen tämä tätä tästä tähän".split()), "en": frozenset({"it"})}
_FI_NEGATIONS = frozenset({"ei", "eikä"})
_FI_NOT_ELLIPTIC = frozenset({"mitään", "kukaan", "kumpikaan", "yhtään", "ole", "oo"})  # "Ei mitään valitettavaa."
_EN_ALWAYS = frozenset({"it", "it's", "its", "that's", "this's"})
_EN_DEMONSTRATIVES = frozenset({"that", "this", "these", "those"})
# "That was…", "This is…": the demonstrative as subject; "This app is…" names its own topic.
_EN_VERBS = frozenset(
    "is was isn't wasn't has had hasn't hadn't did didn't does doesn't would will won't should could can can't "
    "took takes made makes means meant happened worked works turned ended still also never just really only "
    "alone all one part".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _words(sentence: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD.findall(sentence.lower())]


def _after_connectives(words: list[str], lang: str) -> list[str]:
    connectives, phrases = CONNECTIVES.get(lang, frozenset()), PHRASE_CONNECTIVES.get(lang, ())
    while words:
        phrase = next((p for p in phrases if words[:len(p.split())] == p.split()), None)
        if phrase:
            words = words[len(phrase.split()):]
        elif words[0] in connectives:
            words = words[1:]
        else:
            break
    return words


# the Finnish pipeline's parser alone: only a token's dependency ("det") is read
_PARSER_ONLY = ("tagger", "morphologizer", "attribute_ruler", "lemmatizer", "ner")


@lru_cache(maxsize=20_000)
def _finnish_determiners(sentence: str) -> frozenset[str]:
    """The lower-cased words of `sentence` that the parser reads as a noun's determiner ("se" in "se koulutus")."""
    nlp = load_pipeline("fi", _PARSER_ONLY)
    if nlp is None:
        return frozenset()
    return frozenset(token.lower_ for token in nlp(sentence) if token.dep_ == "det")


def _is_pointer(word: str, following: str, lang: str) -> bool:
    if lang == "fi":
        return bool(_FI_POINTERS.match(word))
    return word in _EN_ALWAYS or (word in _EN_DEMONSTRATIVES and following in _EN_VERBS)


def _stands_alone(word: str, sentence: str, lang: str) -> bool:
    """A Finnish pointer that is not a noun's determiner (English is told by `_is_pointer`'s following word)."""
    return lang != "fi" or word not in _finnish_determiners(sentence)


def _elliptic_negation(words: list[str]) -> bool:
    """A Finnish negation without a subject that is not "there is/was nothing" ("Ei toiminut.", but not "Ei
    ollut mitään ongelmia.")."""
    return (len(words) > 1 and words[0] in _FI_NEGATIONS
            and not any(word in _FI_NOT_ELLIPTIC for word in words[1:3]))


def refers_back(sentence: str, lang: str) -> bool:
    """Whether `sentence` continues the sentence before it (see the module docstring)."""
    if lang not in CONNECTIVES or _LIST_ITEM.match(sentence):
        return False
    words = _words(sentence)
    # the acronym IT (information technology) is no pronoun
    words = ["i.t." if w == "it" and o == "IT" else w for w, o in zip(words, _WORD.findall(sentence), strict=False)]
    rest = _after_connectives(words, lang)
    if not rest or any(rest[:len(p.split())] == p.split() for p in NEW_POINT[lang]):
        return False
    following = rest[1] if len(rest) > 1 else ""
    if lang == "fi" and (_elliptic_negation(rest) or (words[0] == "eikä" and _elliptic_negation(words))):
        return True
    if lang == "en" and _EN_DUMMY.match(" ".join(rest)):
        return False
    if _is_pointer(rest[0], following, lang):
        return _stands_alone(rest[0], sentence, lang)
    if len(words) <= SHORT_WORDS:
        return any(word in _ANYWHERE[lang] and _stands_alone(word, sentence, lang) for word in words)
    return False


def joins_previous(previous: str, sentence: str, lang: str) -> bool:
    """Whether `sentence` is joined to the statement `previous` of the same turn: it points back and the joined
    statement stays under MAX_UNIT_WORDS words."""
    return refers_back(sentence, lang) and len(_words(previous)) + len(_words(sentence)) <= MAX_UNIT_WORDS
