"""A transparent polarity signal from polar words, negation and contrast (VADER-style), Finnish and English.

The embedding classifier reads "ei ollut mitään ongelmia" or "met an impossible deadline" by the words it
sees, not by what the negation or the clause does to them. A lexicon of polar lemmas and stems
(`pipeline/models/polarity_lexicon.toml`) with simple rules (a negator flips the next few words, an intensifier
scales the next polar word, the clause after "mutta"/"but" counts more) gives a valence a researcher can
check word by word; `with_lexicon` tilts the classifier's success/failure probabilities by it.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipeline.definitions import definitions_path
from pipeline.lexicon import STOP_WORDS, lemma

DEFAULT_LEXICON = definitions_path("polarity_lexicon.toml")
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|[.,;:!?]")
_BREAK = frozenset(".,;:!?")
_MIN_COMPOUND_PART = 5  # a Finnish compound counts as its last part when that part is a listed word this long
# Finnish words that say their base is absent: caritive adjectives ("virheetön", "katkottomasti", "toimimaton")
# and the abessive ("ongelmitta", "viiveettä", "jonottamatta"); their valence is the base's, turned.
_CARITIVE = re.compile(r"^([^\W\d_]{3,}?)(?:t[oö]n|t[oö]in|t[oö]nt[aä]|tt[oö]m[aäi][^\W\d_]*)$")
_ABESSIVE = re.compile(r"^([^\W\d_]{4,}?)tt[aä]$")
_NEGATING_PREFIX = "epä"  # "epäpätevä", "epäselkeä": the prefix turns a good word bad


@dataclass(frozen=True)
class LanguageLexicon:
    """One language's polar words (exact and stems), negators, intensifiers, contrast words and phrases."""

    words: dict[str, float]
    stems: tuple[tuple[str, float], ...]  # longest first
    when_negated: dict[str, float]  # keys ending in "*" are stems here too
    negators: frozenset[str]
    intensifiers: dict[str, float]
    contrast: frozenset[str]
    resolvers: frozenset[str]  # "fixed the bug": a negative word after one is what got fixed; "korja*" a stem
    phrases: tuple[tuple[tuple[str, ...], float], ...]  # longest first
    compounds: bool  # Finnish: match the last part of a compound
    negation_scope: int = 3
    negation_factor: float = -0.75  # "jonottamatta": a verb's abessive reads as the verb negated
    cache: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    # the stems by text (their place in `stems`, their value) and their lengths, longest first: a stem a word starts
    # with is then its prefix of one of these lengths, looked up, not every stem compared (issue 14: the compound
    # search compared every stem with every tail of every word, about 1.3 s of the sample's tagging)
    stem_index: dict[str, tuple[int, float]] = field(init=False, compare=False, repr=False)
    stem_lengths: tuple[int, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stem_index", {stem: (at, value) for at, (stem, value) in enumerate(self.stems)})
        object.__setattr__(self, "stem_lengths", tuple(sorted({len(stem) for stem, _ in self.stems}, reverse=True)))

    def value(self, word: str, lang: str) -> float:
        if word not in self.cache:
            self.cache[word] = _lookup(self, word, lang)
        return self.cache[word]


@dataclass(frozen=True)
class PolarityLexicon:
    languages: dict[str, LanguageLexicon]
    negation_scope: int = 3
    negation_factor: float = -0.75
    contrast_before: float = 0.5
    contrast_after: float = 1.5
    normalisation: float = 4.0
    source: str = ""
    resolver_scope: int = 5


def _language(table: dict, compounds: bool, scope: int, negation_factor: float) -> LanguageLexicon:
    words = {key: float(value) for key, value in table.get("words", {}).items() if not key.endswith("*")}
    stems = sorted(((key[:-1], float(value)) for key, value in table.get("words", {}).items() if key.endswith("*")),
                   key=lambda pair: -len(pair[0]))
    phrases = sorted(((tuple(_TOKEN.findall(key.lower())), float(value))
                      for key, value in table.get("phrases", {}).items()), key=lambda pair: -len(pair[0]))
    return LanguageLexicon(
        words=words, stems=tuple(stems),
        when_negated={key: float(value) for key, value in table.get("when_negated", {}).items()},
        negators=frozenset(table.get("negators", [])),
        intensifiers={key: float(value) for key, value in table.get("intensifiers", {}).items()},
        contrast=frozenset(table.get("contrast", [])), resolvers=frozenset(table.get("resolvers", [])),
        phrases=tuple(phrases), compounds=compounds,
        negation_scope=int(table.get("negation_scope", scope)), negation_factor=negation_factor)


@lru_cache(maxsize=4)
def load_polarity_lexicon(path: Path = DEFAULT_LEXICON) -> PolarityLexicon:
    """Read the lexicon TOML: `[meta]` settings and a `[fi]` / `[en]` table per language."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    meta = data.get("meta", {})
    scope, factor = int(meta.get("negation_scope", 3)), float(meta.get("negation_factor", -0.75))
    languages = {lang: _language(data[lang], lang == "fi", scope, factor) for lang in ("fi", "en") if lang in data}
    return PolarityLexicon(languages, scope, factor,
                           float(meta.get("contrast_before", 0.5)), float(meta.get("contrast_after", 1.5)),
                           float(meta.get("normalisation", 4.0)), meta.get("source", ""),
                           int(meta.get("resolver_scope", 5)))


def tokens(text: str) -> list[str]:
    """Lower-case words and the punctuation that ends a negation's scope."""
    return _TOKEN.findall(str(text).lower().replace("\u2019", "'"))


def _matching_stem(lex: LanguageLexicon, word: str, base: str) -> tuple[str, float] | None:
    """The longest listed stem that the word or its lemma starts with, and its valence (of two of one length, the
    one listed first)."""
    for size in lex.stem_lengths:
        found = [lex.stem_index[form[:size]] + (form[:size],) for form in (word, base)
                 if len(form) >= size and form[:size] in lex.stem_index]
        if found:
            _, value, stem = min(found)
            return stem, value
    return None


def _compound_stem(lex: LanguageLexicon, tail: str) -> float | None:
    """The valence of the longest listed stem of at least _MIN_COMPOUND_PART letters that a compound's last part
    starts with, at most 4 letters of ending after it ("sotku-n")."""
    for size in lex.stem_lengths:
        if size < _MIN_COMPOUND_PART or len(tail) - size > 4:
            break
        if size <= len(tail) and tail[:size] in lex.stem_index:
            return lex.stem_index[tail[:size]][1]
    return None


def _listed_value(lex: LanguageLexicon, word: str, lang: str) -> float | None:
    """The valence of the word or its lemma when listed, else of the longest listed stem either starts with."""
    base = lemma(word, lang)
    for form in (word, base):
        if form in lex.words:
            return lex.words[form]
    stem = _matching_stem(lex, word, base)
    return None if stem is None else stem[1]


def _absent_verb(lex: LanguageLexicon, verb: str, lang: str) -> float | None:
    """"toimi-maton", "jonotta-matta": the verb negated, as a negator would read it."""
    for form in (verb, verb + verb[-1]):  # "autta" -> "auttaa"
        negated = _negated_value(lex, form, lang)
        if negated is not None:
            return negated
    value = _listed_value(lex, verb, lang)
    return value * lex.negation_factor if value else None


def _base_absent(lex: LanguageLexicon, word: str, lang: str) -> tuple[str, float] | None:
    """A Finnish caritive or abessive word's base and valence, the opposite of the base's: a bad base makes it
    good ("katkoton", "ongelmitta"), a good one bad ("hyödytön"); a verb's "-mAtOn" / "-mAttA" reads as the verb
    negated ("toimimaton", "vastaamatta"). None when the word is neither or its base is not polar."""
    abessive = _ABESSIVE.match(word)
    match = _CARITIVE.match(word) or abessive
    if match is None:
        return None
    base = match.group(1)
    if abessive and (base.endswith(("u", "y")) or (base.endswith("e") and not base.endswith(("ee", "kse")))):
        return None  # partitives: "vapautta", "mennyttä", "kiirettä" (its abessive is "kiireettä")
    if base.endswith(("ma", "mä")) and len(base) > 4:
        value = _absent_verb(lex, base[:-2], lang)
        if value is not None:
            return base, value
    forms = [base] + ([base[:-1] + "a", base[:-1] + "ä"] if base.endswith("i") else [])  # "ongelmi-tta"
    if abessive:
        forms.append(lemma(word, lang))  # simplemma reads "viiveettä" as "viive"
    for form in forms:
        value = _listed_value(lex, form, lang)
        if value:
            return base, -value
    return None


def _lookup(lex: LanguageLexicon, word: str, lang: str) -> float:
    """A word's valence: the word or its lemma listed, else a Finnish caritive or abessive of a polar base (unless
    a longer listed stem names the word itself), else the longest listed stem, else an "epä-" word or a compound's
    last part."""
    if word in lex.words:
        return lex.words[word]
    base = lemma(word, lang)
    absent = _base_absent(lex, word, lang) if lex.compounds else None
    if base in lex.words and (absent is None or _CARITIVE.match(base)):  # "virheettä" has the lemma "virhe"
        return lex.words[base]
    stem = _matching_stem(lex, word, base)
    if absent is not None and (stem is None or len(stem[0]) <= len(absent[0])):
        return absent[1]
    if stem is not None:
        return stem[1]
    if lex.compounds and word.startswith(_NEGATING_PREFIX) and len(word) - len(_NEGATING_PREFIX) >= 4:
        rest = _lookup(lex, word[len(_NEGATING_PREFIX):], lang)
        if rest > 0:
            return -rest
    if lex.compounds:  # "laskutusvirhe", "suoramaksusotkun": a listed word or stem as the compound's last part
        for form in (base, word):
            for start in range(3, len(form) - _MIN_COMPOUND_PART + 1):
                tail = form[start:]
                if tail in lex.words and len(tail) >= _MIN_COMPOUND_PART:
                    return lex.words[tail]
                value = _compound_stem(lex, tail)
                if value is not None:
                    return value
    return 0.0


def _listed(keys: dict[str, float] | frozenset[str], word: str, lang: str) -> str | None:
    """The key of `keys` that `word` matches: itself, its lemma, or the longest stem ("korja*") either starts with."""
    base = lemma(word, lang)
    for form in (word, base):
        if form in keys:
            return form
    stems = [key for key in keys if key.endswith("*") and (word.startswith(key[:-1]) or base.startswith(key[:-1]))]
    return max(stems, key=len) if stems else None


def _negated_value(lex: LanguageLexicon, word: str, lang: str) -> float | None:
    key = _listed(lex.when_negated, word, lang)
    return None if key is None else lex.when_negated[key]


def _is_negator(lex: LanguageLexicon, word: str) -> bool:
    return word in lex.negators or word.endswith("n't")


def statement_valence(text: str, lang: str, lexicon: PolarityLexicon | None = None) -> float:
    """The statement's valence in (-1, 1): 0 when no polar word is found. A language without a lexicon is read
    with the English one (statements of unknown language are mostly English or numbers)."""
    lexicon = lexicon or load_polarity_lexicon()
    if lang not in lexicon.languages:
        lang = "en"
    lex = lexicon.languages.get(lang)
    if lex is None:
        return 0.0
    words = tokens(text)
    values = [0.0] * len(words)
    phrase_values: dict[int, float] = {}
    covered: set[int] = set()
    for i in range(len(words)):
        for phrase, value in lex.phrases:
            if i not in covered and tuple(words[i:i + len(phrase)]) == phrase:
                phrase_values[i] = value
                covered.update(range(i + 1, i + len(phrase)))
                break
    negation_left, resolve_left, boost, boost_left, last_contrast = 0, 0, 1.0, 0, -1
    for i, word in enumerate(words):
        if word in _BREAK or word in lex.contrast:
            negation_left, resolve_left, boost = 0, 0, 1.0
            if word in lex.contrast:
                last_contrast = i
            continue
        if i in covered:
            continue
        if i not in phrase_values and _is_negator(lex, word):
            negation_left, boost = lex.negation_scope, 1.0
            continue
        negated, resolved = negation_left > 0, resolve_left > 0
        if word not in STOP_WORDS:  # "never had a single problem": little words do not use up the scope
            negation_left, resolve_left = max(0, negation_left - 1), max(0, resolve_left - 1)
        boost_left -= 1
        if boost_left < 0:
            boost = 1.0
        value = phrase_values.get(i, lex.value(word, lang))
        if negated:
            special = _negated_value(lex, word, lang)
            value = special if special is not None else value * lexicon.negation_factor
        elif resolved and value < 0:
            value *= lexicon.negation_factor
        if _listed(lex.resolvers, word, lang) is not None:
            if negated:  # "ei korjattu vikaa": the fault stays, and stays negative
                negation_left = 0
            else:
                resolve_left = lexicon.resolver_scope
        if value == 0.0 and word in lex.intensifiers:
            boost, boost_left = lex.intensifiers[word], 2
            continue
        if word in lex.intensifiers and i + 1 < len(words) and lex.value(words[i + 1], lang) != 0.0:
            boost, boost_left = lex.intensifiers[word], 1  # "hyvin hidas": "hyvin" only scales the next word
            continue
        values[i] = value * boost
        if value != 0.0:
            boost = 1.0
    if last_contrast >= 0:
        values = [v * (lexicon.contrast_before if i < last_contrast else lexicon.contrast_after)
                  for i, v in enumerate(values)]
    total = sum(values)
    return total / math.sqrt(total * total + lexicon.normalisation)


def lexicon_scores(texts: Sequence[str], langs: Sequence[str], lexicon: PolarityLexicon | None = None) -> np.ndarray:
    """Valence in (-1, 1) per statement, read with its own language's lexicon (English when not fi/en)."""
    lexicon = lexicon or load_polarity_lexicon()
    return np.array([statement_valence(text, str(lang), lexicon) for text, lang in zip(texts, langs, strict=True)],
                    dtype=np.float64)


def with_lexicon(probs: np.ndarray, valence: np.ndarray, label_ids: Sequence[str], weight: float) -> np.ndarray:
    """Tilt success/failure by the lexicon's valence: p_success * e^(weight * v), p_failure * e^(-weight * v),
    renormalised, as `with_nps` tilts by the NPS group. Neutral keeps its share before renormalising, so a
    statement with no polar word (v = 0) is unchanged. Only for the default success/failure/neutral labels."""
    if weight <= 0 or not {"success", "failure", "neutral"} <= set(label_ids) or len(probs) == 0:
        return probs
    valence = np.asarray(valence, dtype=np.float64)
    sign = np.array([1.0 if label == "success" else -1.0 if label == "failure" else 0.0 for label in label_ids])
    tilted = probs * np.exp(weight * valence[:, None] * sign[None, :])
    return tilted / tilted.sum(axis=1, keepdims=True)
