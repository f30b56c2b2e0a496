"""Turns to statements: respondent turns split into sentences with spaCy, fillers dropped, fragments and
sentences that point back ("Sitä ei ole.", continuation.py) merged into their neighbour, non-answers and an
interview's small talk set aside (small_talk.py).
Interviewer turns stay whole, kept for context and never counted. A statement's location is the line it starts
on (a reader gives each line of a turn with `line_starts`), not its turn's first line."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import pandas as pd
import spacy

from pipeline.corpus.continuation import joins_previous
from pipeline.corpus.language import detect_language
from pipeline.corpus.small_talk import QUESTION_ECHO, SMALL_TALK, set_aside_reason
from pipeline.lexicon import FILLERS, content_lemmas

SEGMENT_COLUMNS = ["segment_id", "doc_id", "respondent_id", "source", "speaker", "role", "text", "lang",
                   "location", "wave", "date", "nps", "question", "unassigned_reason", "csat", "ces"]
SCORE_COLUMNS = ("nps", "csat", "ces")
META_PREFIX = "meta_"
MIN_WORDS = 4
MIN_CONTENT_WORDS = 1  # "What do I do?" or "Miten niin?" says nothing alone
# spaCy refuses a text over nlp.max_length (1,000,000 characters, error E088): a longer turn is split into pieces
# of at most this many characters, cut after a sentence end where there is one, else at a space.
SENTENCE_CHUNK = 100_000
_SENTENCE_END = re.compile(r"[.!?…]\s")

NON_ANSWERS = frozenset({
    "", "-", "--", ".", "..", "...", "?", "x", "ok", "okei", "n/a", "na", "none", "nothing", "no",
    "ei", "eos", "ei mitään", "ei kommentteja", "ei kommenttia", "en osaa sanoa", "ei osaa sanoa",
    "ei mitään lisättävää", "ei lisättävää", "no comments", "no comment", "don't know", "dont know",
    "i don't know", "nothing to add", "not sure", "en tiedä", "ei tietoa", "no idea", "nope",
    # "nothing to say this time" in its usual survey forms: a polite nothing, not a theme
    "ei ole", "ei oo", "ei muuta", "ei kommentoitavaa", "ei tällä kertaa", "ei tällä erää", "ei erityistä",
    "ei mitään erityistä", "ei erityistä sanottavaa", "ei erityisempää", "ei muuta sanottavaa",
    "ei sen kummempaa", "kaikki sanottu jo", "kaikki on sanottu", "nothing special", "nothing at this time",
    "nothing else", "nothing in particular", "nothing more", "not at this time", "no further comments",
    "nothing further", "nothing more to add", "not really",
    # an interview's goodbyes and "that was all": nothing to code
    "kiitos", "kiitos hei", "kiitos paljon", "kiitos itsellesi", "kiitos samoin", "kiitti", "kiitos kiitos",
    "hei hei", "moi moi", "kuulemiin", "ei kai muuta", "ei muuta kuin kiitos", "siinä kaikki", "se oli siinä",
    "thank you", "thanks", "thank you too", "thanks a lot", "thank you very much", "bye", "goodbye",
    "you're welcome", "no problem", "i think i covered it", "no i think i covered it", "i think that's all",
    "that's all", "that's it", "that's about it", "i think that's it",
    "ei ole mitään lisättävää", "ei oo mitään lisättävää", "ei minulla ole mitään lisättävää", "ei muuta lisättävää",
    "ei ole muuta lisättävää", "kiitos ja hei", "kiitti hei", "kiitos moi", "moi", "hei",
    "thanks bye", "thank you bye", "ok thanks", "okay thanks", "ok thank you", "bye bye", "nothing else to add",
    "i have nothing to add", "nothing to add from me",
})
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# A transcriber's note of what was heard, not said: "[laughs]", "(naurahtaa)", "[inaudible 00:12:03]".
# Only these words: a bracket can also hold speech a researcher anonymised ("[nimi]", "[company]").
_NONVERBAL = re.compile(
    r"\s*[\[(]\s*(?:laugh|chuckl|giggl|sigh|cough|clears throat|pause|long pause|silence|inaudible|unclear|"
    r"unintelligible|crosstalk|cross-talk|overlapping|background|phone rings|interruption|"
    r"naur|nauru|hymäh|hörä|huoka|yski|rykäi|tauko|hiljaisuus|epäselv|päällepuhu|taustamelu|puhelin soi)"
    r"[^\[\]()]{0,40}[\])]", re.IGNORECASE)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,!?;:])")
_WORD = re.compile(r"[^\W\d_]+")


def clean_text(text: str) -> str:
    """NFC, no zero-width characters, single spaces."""
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", " ", text).strip()


def strip_nonverbal(text: str) -> str:
    """The words said, without the transcriber's notes of laughter, sighs, pauses or inaudible passages.
    Left in, a sentence splitter cuts "[laughs]" in two, and the fragments end up in quotes and themes."""
    stripped = _NONVERBAL.sub(" ", text)
    return stripped if stripped == text else clean_text(_SPACE_BEFORE_PUNCTUATION.sub(r"\1", stripped))


def is_non_answer(text: str) -> bool:
    key = re.sub(r"[\s.!?,;:]+$", "", text.strip().lower()).replace("’", "'")
    return key in NON_ANSWERS or re.sub(r"\s*,\s*", " ", key) in NON_ANSWERS or not _WORD.search(text)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def is_filler(text: str) -> bool:
    words = _words(text)
    return bool(words) and all(w in FILLERS for w in words)


@lru_cache(maxsize=4)
def _sentencizer(lang: str):
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp


def text_pieces(text: str, size: int = SENTENCE_CHUNK) -> list[str]:
    """The text in pieces of at most `size` characters, each cut after its last sentence end, else its last space,
    else at `size`: every character kept, in order."""
    pieces, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        ends = [m.end() for m in _SENTENCE_END.finditer(window, size // 2)]
        cut = ends[-1] if ends else window.rfind(" ") + 1
        cut = cut if cut > 0 else size
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def split_statements(text: str, lang: str, min_words: int = MIN_WORDS) -> list[str]:
    """Sentences of a turn with fillers dropped and fragments joined to a neighbour."""
    return [statement for statement, _, _ in statement_spans(text, lang, min_words)]


def statement_spans(text: str, lang: str, min_words: int = MIN_WORDS, question: str | None = None,
                    breaks: frozenset[int] = frozenset()) -> list[tuple[str, int, str]]:
    """(statement, where its first sentence starts in `text`, why it is set aside or "") for each statement of a
    turn, in order. With `question` (an interview's respondent turn), each sentence of small talk or of the
    question's echoed tail is its own set-aside row, never joined to a neighbour. `breaks`: where the turn's lines
    start in `text` (`line_breaks`), which a quotation does not run past."""
    nlp = _sentencizer(lang)
    sentences, offset = [], 0
    for piece in text_pieces(text):
        for sentence in nlp(piece).sents:
            if sentence.text.strip():
                lead = len(sentence.text) - len(sentence.text.lstrip())
                sentences.append((sentence.text.strip(), offset + sentence.start_char + lead))
        offset += len(piece)
    sentences = quoted_sentences(sentences, text, breaks)
    kept, talk = [], []
    for sentence, at in sentences:
        reason = "" if question is None or is_filler(sentence) else turn_talk_reason(sentence, lang, question)
        if reason:
            talk.append((sentence, at, reason))
        elif not is_filler(sentence):
            kept.append((sentence, at))
    statements: list[tuple[str, int]] = []
    carry, carry_at = "", 0
    for sentence, at in kept:
        if carry:
            sentence, at = f"{carry} {sentence}", carry_at
            carry = ""
        fragment = len(_words(sentence)) < min_words or len(content_lemmas(sentence, lang)) < MIN_CONTENT_WORDS
        if fragment or (statements and joins_previous(statements[-1][0], sentence, lang)):
            if statements:
                statements[-1] = (f"{statements[-1][0]} {sentence}", statements[-1][1])
            else:
                carry, carry_at = sentence, at
            continue
        statements.append((sentence, at))
    if carry:
        statements.append((carry, carry_at))
    return sorted([(s, at, "") for s, at in statements] + talk, key=lambda span: span[1])


MAX_QUOTED_SENTENCES = 4


def _open_quote(sentence: str) -> bool:
    """True when the sentence opens a quotation it does not close (straight, curly or Finnish ” quotes)."""
    if "“" in sentence:
        return sentence.count("“") > sentence.count("”")
    return sentence.count('"') % 2 == 1 or sentence.count("”") % 2 == 1


def _inside_sentence(sentence: str, previous: str) -> bool:
    """True when `sentence` goes on the one before it: it starts in lower case after a quotation that ended in ? or !
    ('Normally, "Should you?" | is the question.')."""
    first = sentence.lstrip("\"”“'’ ")[:1]
    return first.islower() and previous.rstrip().endswith(('?"', '!"', "?”", "!”", "?'", "!'"))


def quoted_sentences(sentences: list[tuple[str, int]], text: str, breaks: frozenset[int] = frozenset()
                     ) -> list[tuple[str, int]]:
    """The sentencizer's sentences with a quotation made whole again: it cuts at a ? or . inside quotes, which
    leaves 'is the question.' or 'We'll be okay."' as fragments that read as small talk. A sentence joins the one
    before it while that one has an open quote (at most MAX_QUOTED_SENTENCES together) or when it starts in lower
    case right after a quoted question or exclamation; `text` gives the joined span's own characters. A quotation
    never runs on past its line (`breaks`, offsets in `text`): a transcript that opens a quote and never closes it
    ('...was "20 microseconds.') would take the next paragraph into its statement, and that paragraph's line would
    be read as nobody's."""
    joined: list[tuple[str, int, int]] = []  # (text, start, sentences in it)
    for sentence, at in sentences:
        if joined:
            previous, start, count = joined[-1]
            same_line = not any(start + len(previous) <= offset <= at for offset in breaks)
            if count < MAX_QUOTED_SENTENCES and same_line and (
                    _open_quote(previous) or _inside_sentence(sentence, previous)):
                joined[-1] = (text[start:at + len(sentence)], start, count + 1)
                continue
        joined.append((sentence, at, 1))
    return [(sentence, at) for sentence, at, _ in joined]


def turn_talk_reason(sentence: str, lang: str, question: str) -> str:
    """"small talk" or "question echo" for a sentence of an interview's respondent turn that is one, else ""."""
    reason = set_aside_reason(sentence, lang, question)
    return reason if reason in (SMALL_TALK, QUESTION_ECHO) else ""


def _turn_reason(text: str, lang: str, question: str) -> str:
    """Why a respondent turn of only small talk (or the question's echo) is set aside: its first sentence's."""
    for sentence in _sentencizer(lang)(text[:SENTENCE_CHUNK]).sents:
        if reason := turn_talk_reason(sentence.text.strip(), lang, question):
            return reason
    return SMALL_TALK


def turn_lines(line_starts, raw: str) -> list[tuple[int, str]]:
    """Per line of a turn, the words up to its end and its location; `line_starts` are (offset in the turn's raw
    text, location) per line. Empty for a turn of one line. The cleaning never drops a word the reader kept, except
    transcribers' notes, so a place in the cleaned text is found by counting words."""
    if not isinstance(line_starts, (tuple, list)) or len(line_starts) < 2:
        return []
    ends = [start for start, _ in line_starts[1:]] + [len(raw)]
    lines, counted = [], 0
    for (start, place), end in zip(line_starts, ends, strict=True):
        counted += len(_words(strip_nonverbal(raw[start:end])))
        lines.append((counted, place))
    return lines


def statement_location(turn_location: str, lines: list[tuple[int, str]], text: str, at: int) -> str:
    """The location of the line (`turn_lines`) a statement starts on, `at` characters into the cleaned `text`."""
    if not lines:
        return turn_location
    word_index = len(_words(text[:at]))
    return next((place for end, place in lines if word_index < end), lines[-1][1])


def line_breaks(lines: list[tuple[int, str]], text: str) -> frozenset[int]:
    """Where each line of a turn (`turn_lines`) after its first starts in the cleaned `text`, as a character
    offset: a quotation is not joined across them."""
    starts = [match.start() for match in _WORD.finditer(text)]
    return frozenset(starts[end] for end, _ in lines[:-1] if end < len(starts))


def segment_id(doc_id: str, position: str, text: str) -> str:
    """Stable id: the same file, place and words give the same id on every run."""
    return hashlib.sha1(f"{doc_id}\0{position}\0{text}".encode()).hexdigest()[:12]


def _doc_languages(turns: pd.DataFrame, fallback: str) -> dict[str, str]:
    languages = {}
    for doc_id, group in turns.groupby("doc_id", sort=True):
        sample = " ".join(group["text"].head(40))
        languages[doc_id] = detect_language(sample, fallback)
    return languages


def document_languages(turns: pd.DataFrame, language: str = "auto") -> dict[str, str]:
    """Each document's language (from its first turns), the fallback for its statements too short to tell."""
    return _doc_languages(turns, "fi" if language == "auto" else language) if language == "auto" else {}


def segment_turns(turns: pd.DataFrame, wave: str, language: str = "auto",
                  split_feedback: bool = True, doc_languages: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per statement; interviewer turns kept whole with role 'interviewer'. A feedback
    answer is split into sentences like an interview turn (an answer often makes several points),
    unless `split_feedback` is off: then each answer is one statement.

    Scores (NPS, CSAT, CES) and metadata columns (`meta_*`, from a feedback file or the manifest)
    travel with every statement of their turn. Each turn is segmented on its own, so any partition of the turns
    gives the same rows, given the documents' languages (`doc_languages`, from all of a document's turns)."""
    fallback = "fi" if language == "auto" else language
    doc_lang = document_languages(turns, language) if doc_languages is None else doc_languages
    meta = sorted(c for c in turns.columns if str(c).startswith(META_PREFIX))
    rows = []
    for turn in turns.to_dict("records"):
        text = strip_nonverbal(clean_text(turn["text"]))
        lang = language if language != "auto" else detect_language(text, doc_lang.get(turn["doc_id"], fallback))
        base = {
            "doc_id": turn["doc_id"], "respondent_id": turn["respondent_id"], "source": turn["source"],
            "speaker": turn["speaker"], "role": turn["role"], "lang": lang, "location": turn["location"],
            "wave": wave, "date": turn["date"], "nps": turn["nps"], "question": clean_text(turn["question"]),
            "csat": turn.get("csat"), "ces": turn.get("ces"), **{c: turn[c] for c in meta},
        }
        part = turn.get("part")
        position = f"{turn['line']}{part if isinstance(part, str) else ''}"
        if turn["role"] != "respondent":
            rows.append({**base, "segment_id": segment_id(turn["doc_id"], position, text),
                         "text": text, "unassigned_reason": "interviewer"})
            continue
        if is_non_answer(text) or is_filler(text):
            rows.append({**base, "segment_id": segment_id(turn["doc_id"], position, text),
                         "text": text, "unassigned_reason": "non-answer"})
            continue
        whole = turn["source"] == "feedback" and not split_feedback
        interview = turn["source"] == "interview"
        lines = turn_lines(turn.get("line_starts"), turn["text"]) if interview else []
        breaks = line_breaks(lines, text)
        spans = [(text, 0, "")] if whole else \
            statement_spans(text, lang, question=base["question"] if interview else None, breaks=breaks)
        if all(talk for _, _, talk in spans):  # every sentence small talk or the question's echo: one row
            rows.append({**base, "segment_id": segment_id(turn["doc_id"], position, text),
                         "text": text, "unassigned_reason": _turn_reason(text, lang, base["question"])})
            continue
        for index, (statement, at, talk) in enumerate(spans):
            reason = talk or ("non-answer" if is_non_answer(statement) else
                              set_aside_reason(statement, lang, base["question"]) if interview else "")
            location = statement_location(turn["location"], lines, text, at) if interview else turn["location"]
            rows.append({**base, "segment_id": segment_id(turn["doc_id"], f"{position}.{index}", statement),
                         "text": statement, "unassigned_reason": reason, "location": location})
    segments = pd.DataFrame(rows, columns=SEGMENT_COLUMNS + meta)
    for column in SCORE_COLUMNS:
        segments[column] = segments[column].astype("float64")
    return segments
