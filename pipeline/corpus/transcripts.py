"""Speaker-labelled interview transcripts (.txt, .md) to a list of turns.

A turn starts on a line with a speaker label and a colon ("Haastattelija:", "Interviewer:",
"Q:", "A:", "Mikko Virtanen:", "**Anna:**", "[00:01:23] Anna:"); unlabelled lines that follow
continue it. Lines before the first label are the header and are not speech.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.corpus.problems import ReadError

INTERVIEWER_LABELS = frozenset(
    {"haastattelija", "interviewer", "q", "h", "moderator", "moderaattori", "fasilitaattori", "kysyjä",
     "int", "i", "researcher", "tutkija", "question", "kysymys"}
)
RESPONDENT_LABELS = frozenset(
    {"vastaaja", "respondent", "a", "v", "haastateltava", "interviewee", "asiakas", "customer",
     "answer", "vastaus", "r", "participant", "osallistuja"}
)

_LABEL = re.compile(
    r"""^\s*(?:[-*>]\s*)?                       # list or quote marker
        (?:\[(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)\]\s*)?   # [00:01:23]
        (?:\*\*|__)?
        (?P<label>[A-ZÅÄÖÜ][\w.'’\-]*(?:\s+[A-ZÅÄÖÜ(][\w.'’\-()]*){0,3})
        \s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*
        (?P<text>.*)$""",
    re.VERBOSE,
)
# Words that start a line with a colon but are not speakers.
_NOT_SPEAKERS = frozenset({"huom", "note", "päivämäärä", "date", "kesto", "duration", "aika", "time",
                           "paikka", "place", "http", "https", "ps"})


@dataclass(frozen=True)
class Turn:
    speaker: str
    role: str  # interviewer | respondent
    text: str
    line: int
    timestamp: str = ""


def _label_key(label: str) -> str:
    return re.sub(r"[^\w]", "", label.lower())


def _split_labelled_lines(text: str) -> list[tuple[str, str, int, str]]:
    """(speaker, text, line number, timestamp) per turn, continuation lines folded in."""
    turns: list[list] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        match = _LABEL.match(line)
        label = match.group("label").strip() if match else ""
        if match and _label_key(label) not in _NOT_SPEAKERS and len(label) <= 40:
            turns.append([label, match.group("text").strip(), number, match.group("ts") or ""])
        elif turns and line and not line.startswith("#"):
            turns[-1][1] = f"{turns[-1][1]} {line}".strip()
    return [(s, t, n, ts) for s, t, n, ts in turns if t]


def assign_roles(turns: list[tuple[str, str, int, str]]) -> dict[str, str]:
    """Decide who is the interviewer: known labels first, else whoever asks the questions."""
    speakers = sorted({speaker for speaker, *_ in turns})
    keys = {s: _label_key(s) for s in speakers}
    if any(keys[s] in INTERVIEWER_LABELS for s in speakers):
        return {s: "interviewer" if keys[s] in INTERVIEWER_LABELS else "respondent" for s in speakers}
    if any(keys[s] in RESPONDENT_LABELS for s in speakers):
        return {s: "respondent" if keys[s] in RESPONDENT_LABELS else "interviewer" for s in speakers}
    if len(speakers) == 1:
        return {speakers[0]: "respondent"}
    questions = Counter(s for s, text, *_ in turns if text.rstrip().endswith("?"))
    totals = Counter(s for s, *_ in turns)
    share = {s: questions[s] / totals[s] for s in speakers}
    interviewer = max(speakers, key=lambda s: (share[s], -len(s), s))
    return {s: "interviewer" if s == interviewer else "respondent" for s in speakers}


def parse_transcript(text: str) -> list[Turn]:
    """Turns of a transcript; ReadError when it has no speaker labels or no respondent."""
    labelled = _split_labelled_lines(text)
    if not labelled:
        raise ReadError(
            "no speaker labels found; start each turn with 'Name:' (e.g. 'Haastattelija:' / 'Vastaaja:')"
        )
    roles = assign_roles(labelled)
    if all(role == "interviewer" for role in roles.values()):
        raise ReadError(
            "every speaker is labelled as the interviewer, so there is nothing to code; "
            "label the respondent's turns (e.g. 'Vastaaja:' or their name)"
        )
    return [Turn(speaker, roles[speaker], body, line, ts) for speaker, body, line, ts in labelled]
