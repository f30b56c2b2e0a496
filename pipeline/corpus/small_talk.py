"""Talk that keeps an interview going but says nothing about the customer's experience, found so that it is set
aside with a reason (like a non-answer) and never themed, tagged or ranked.

Three kinds, each a reason in `segments.csv`:
- "small talk": back-channel, thanks, greetings and meeting management ("Okay, I see.", "Mm-hmm.", "Sorry, can
  you hear me?", "Joo, selvä.", "Kiitos paljon!", "Kuuluuko?", "Voitko toistaa kysymyksen?"): no content word is
  left once the words and phrases of `models/small_talk.toml` (and fillers and stop words) are taken out.
- "question echo": the end of the interviewer's question that a machine transcript puts at the start of the
  respondent's turn ("... quality issue?", "about that?"): four words or fewer, ending in "?", every word (or its
  lemma) in the question.
- "too short": three words or fewer and no content word ("Yes, it was.", "Sure, why not."): it says something
  only with its question, and alone it forms themes of nothing.
A sentence that keeps a content word stays a statement ("Thanks, the new app fixed it.").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.definitions import definitions_path
from pipeline.lexicon import FILLERS, content_lemmas, lemma

SMALL_TALK_FILE = "small_talk.toml"
SMALL_TALK = "small talk"
QUESTION_ECHO = "question echo"
TOO_SHORT = "too short"
ECHO_MAX_WORDS = 4
SHORT_MAX_WORDS = 3
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_CLAUSE_BREAK = re.compile(r"[,;:–—]")  # a negation says how something went only within its own clause


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


@dataclass(frozen=True)
class SmallTalkLexicon:
    """Per language: single words (as written and as lemmas) and phrases (token sequences); `evaluations` are
    words that are content when one of `negations` stands before them ("not okay")."""
    words: dict[str, frozenset[str]]
    phrases: dict[str, tuple[tuple[str, ...], ...]]
    negations: dict[str, frozenset[str]]
    evaluations: dict[str, frozenset[str]]


def load_small_talk(path: Path | None = None) -> SmallTalkLexicon:
    """The lexicon in `path` (default the packaged models/small_talk.toml)."""
    data = tomllib.loads(Path(path or definitions_path(SMALL_TALK_FILE)).read_text(encoding="utf-8"))
    words, phrases, negations, evaluations = {}, {}, {}, {}
    for lang in ("en", "fi"):
        section = data.get(lang, {})
        words[lang] = frozenset(w.lower() for w in section.get("words", [])) | FILLERS
        negations[lang] = frozenset(w.lower() for w in section.get("negations", []))
        evaluations[lang] = frozenset(w.lower() for w in section.get("evaluations", []))
        # longest first, so "thank you for your time" is matched before "thank you"
        phrases[lang] = tuple(sorted({tuple(_tokens(p)) for p in section.get("phrases", []) if _tokens(p)},
                                     key=lambda p: (-len(p), p)))
    return SmallTalkLexicon(words, phrases, negations, evaluations)


@lru_cache(maxsize=1)
def default_lexicon() -> SmallTalkLexicon:
    return load_small_talk()


def _lang(lang: str) -> str:
    return lang if lang in ("en", "fi") else "en"


def _same(token: str, wanted: str, lang: str) -> bool:
    return token == wanted or lemma(token, lang) == wanted or lemma(token, lang) == lemma(wanted, lang)


@lru_cache(maxsize=4096)
def _phrase_forms(phrase: tuple[str, ...], lang: str) -> tuple[tuple[str, str], ...]:
    """Each word of a phrase with its lemma: what `_same` compares a token's form and lemma with."""
    return tuple((word, lemma(word, lang)) for word in phrase)


def _phrase_marks(tokens: list[str], lang: str, lexicon: SmallTalkLexicon) -> list[bool]:
    """True for each token that is part of a small-talk phrase (`_same` for every word of it, phrases in the
    lexicon's order, earlier starts first). Each token's lemma is looked up once: every sentence of a study passes
    here, against every phrase."""
    marked = [False] * len(tokens)
    lemmas = [lemma(token, lang) for token in tokens]
    as_written: dict[str, list[int]] = {}
    as_lemma: dict[str, list[int]] = {}
    for at, (token, base) in enumerate(zip(tokens, lemmas, strict=True)):
        as_written.setdefault(token, []).append(at)
        as_lemma.setdefault(base, []).append(at)

    def matches(at: int, word: str, word_lemma: str) -> bool:
        return tokens[at] == word or lemmas[at] == word or lemmas[at] == word_lemma

    for phrase in lexicon.phrases[lang]:
        forms = _phrase_forms(phrase, lang)
        size, (first, first_lemma) = len(forms), forms[0]
        starts = {*as_written.get(first, ()), *as_lemma.get(first, ()), *as_lemma.get(first_lemma, ())}
        for start in sorted(starts):
            if start + size <= len(tokens) and not any(marked[start:start + size]) and all(
                    matches(start + i, *forms[i]) for i in range(1, size)):
                marked[start:start + size] = [True] * size
    return marked


def leftover_content(text: str, lang: str, lexicon: SmallTalkLexicon | None = None) -> tuple[list[str], bool]:
    """(the content lemmas left once small-talk phrases and words are taken out, whether any was taken out)."""
    lexicon, lang = lexicon or default_lexicon(), _lang(lang)
    clauses = [_tokens(clause) for clause in _CLAUSE_BREAK.split(text)]
    tokens = [token for clause in clauses for token in clause]
    clause_of = [index for index, clause in enumerate(clauses) for _ in clause]
    marked = _phrase_marks(tokens, lang, lexicon)
    words, found, left = lexicon.words[lang], any(marked), []
    negations, evaluations, negated_in = lexicon.negations[lang], lexicon.evaluations[lang], -1
    for token, is_phrase, clause in zip(tokens, marked, clause_of, strict=True):
        if token in negations and not is_phrase:
            negated_in = clause
        if negated_in == clause and (token in evaluations or lemma(token, lang) in evaluations):
            left.append(lemma(token, lang))  # "not okay", "ei ollut hyvä": an evaluation, not a back-channel
            continue
        if is_phrase:
            continue
        if token in words or lemma(token, lang) in words:
            found = True
            continue
        left.extend(content_lemmas(token, lang))
    return left, found


def is_small_talk(text: str, lang: str, lexicon: SmallTalkLexicon | None = None) -> bool:
    """True for a sentence of only back-channel, thanks, greetings or meeting management."""
    left, found = leftover_content(text, lang, lexicon)
    return found and not left and bool(_tokens(text))


def is_question_echo(text: str, question: str, lang: str) -> bool:
    """True for a short fragment ending in "?" whose words all come from the interviewer's question:
    the question's tail, transcribed into the respondent's turn."""
    stripped, lang = text.strip(), _lang(lang)
    mine = _tokens(stripped)
    if not stripped.endswith("?") or not question or not mine or len(mine) > ECHO_MAX_WORDS:
        return False
    asked = set(_tokens(question))
    asked_lemmas = {lemma(token, lang) for token in asked}
    return all(token in asked or lemma(token, lang) in asked_lemmas for token in mine)


def set_aside_reason(text: str, lang: str, question: str = "", lexicon: SmallTalkLexicon | None = None) -> str:
    """Why a statement is not themed ("small talk", "question echo", "too short"), or "" when it is."""
    if is_question_echo(text, question, lang):
        return QUESTION_ECHO
    if is_small_talk(text, lang, lexicon):
        return SMALL_TALK
    if len(_tokens(text)) <= SHORT_MAX_WORDS and not content_lemmas(text, _lang(lang)):
        return TOO_SHORT
    return ""
