"""Speaker-labelled interview transcripts (.txt, .md, and the text of .docx and .pdf) to a list of turns.

A turn starts on a line with a speaker label and a colon ("Haastattelija:", "Interviewer:",
"Q:", "A:", "H:", "V:", "Mikko Virtanen:", "**Anna:**", "[00:01:23] Anna:", "Speaker 2:"), or on a
line that holds only a name and a time ("Mikko Virtanen   0:03", as Teams and Otter export);
unlabelled lines that follow continue it. Lines before the first label are the header, not speech.
Role labels are recognised in lower case too ("interviewee:", "vastaaja:"), so in a file that mixes label styles a
lower-case label starts a turn instead of being read as the previous turn's words.
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

_TIMESTAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
_NAME = r"[A-ZÅÄÖÜ][\w.'’\-]*(?:,?\s+[A-ZÅÄÖÜ(\d][\w.'’\-()]*){0,3}"
# Role labels a machine transcript writes in lower case ("interviewee:", "haastattelija:"), numbered or not.
_LOWERCASE_ROLES = ("interviewer", "interviewee", "respondent", "moderator", "participant", "researcher",
                    "haastattelija", "haastateltava", "vastaaja", "moderaattori", "osallistuja", "tutkija",
                    "speaker", "puhuja")
_LOWER_ROLE = rf"(?:{'|'.join(_LOWERCASE_ROLES)})(?:\s+\d{{1,2}})?"
_LABEL = re.compile(
    rf"""^\s*(?:[-*>]\s*)?                       # list or quote marker
        (?:[\[(]?(?P<ts>{_TIMESTAMP})[\])]?\s*[-–]?\s*)?   # [00:01:23], (00:01:23) or 00:01:23
        (?:\*\*|__)?
        (?P<label>{_NAME}|{_LOWER_ROLE})
        \s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*
        (?P<text>.*)$""",
    re.VERBOSE,
)
# "Mikko Virtanen   0:03" alone on a line, the turn's text below it (Teams .docx, Otter, Zoom exports).
_NAME_THEN_TIME = re.compile(rf"^\s*(?:\*\*|__)?(?P<label>{_NAME})(?:\*\*|__)?\s+[\[(]?(?P<ts>{_TIMESTAMP})[\])]?\s*$")
# Labels that number anonymous speakers ("Speaker 1", "Puhuja 2"): neither role nor person.
_GENERIC_SPEAKERS = frozenset({"speaker", "puhuja", "unknown", "tuntematon", "guest", "vieras", "henkilö",
                               "person", "osallistuja", "participant", "haastateltava", "vastaaja"})
# Words that start a line with a colon but are not speakers.
_NOT_SPEAKERS = frozenset({"huom", "note", "päivämäärä", "date", "kesto", "duration", "aika", "time",
                           "paikka", "place", "http", "https", "ps", "osallistujat", "participants", "attendees",
                           "aihe", "subject", "topic", "sijainti", "location", "tallenne", "recording",
                           "litterointi", "litteroija", "transcript", "transcribed", "teksti", "text", "pvm", "klo",
                           "esim", "eg", "ie", "nb", "tiedosto", "file", "haastattelu", "interview", "kokous",
                           "meeting", "versio", "version", "sivu", "page"})


def _clock(stamp: str) -> str:
    """'1:23' -> '00:01:23', '00:01:23.450' -> '00:01:23': one form for every timestamp."""
    if not stamp:
        return ""
    parts = [int(p) for p in re.split(r"[:.,]", stamp)[:3]] if stamp.count(":") == 2 else \
        [0] + [int(p) for p in re.split(r"[:.,]", stamp)[:2]]
    hours, minutes, seconds = parts[:3]
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


@dataclass(frozen=True)
class Turn:
    speaker: str
    role: str  # interviewer | respondent
    text: str
    line: int
    timestamp: str = ""
    line_starts: tuple[tuple[int, int], ...] = ()  # (offset in text, line number) of each line of the turn


def is_name_then_time(line: str) -> bool:
    """True for a line such as "Mikko Virtanen   0:03" (a speaker and a time, the speech below it)."""
    return _NAME_THEN_TIME.match(line.strip()) is not None


def _role_key(label: str) -> str:
    """The label without numbers and punctuation: "Haastattelija 2" -> "haastattelija"."""
    return re.sub(r"[^a-zåäöü]", "", label.lower())


def is_role_label(label: str) -> bool:
    """True for labels that name a role ("Haastattelija", "Q", "Speaker 2"), not a person."""
    key = _role_key(label)
    return key in INTERVIEWER_LABELS or key in RESPONDENT_LABELS or key in _GENERIC_SPEAKERS


def _split_labelled_lines(text: str) -> list[tuple[str, str, int, str, tuple[tuple[int, int], ...]]]:
    """(speaker, text, line number, timestamp, line starts) per turn, continuation lines folded in; the line
    starts give each folded line's place in the turn's text, so a statement can name its own line."""
    turns: list[list] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        match = _NAME_THEN_TIME.match(line) or _LABEL.match(line)
        label = match.group("label").strip() if match else ""
        if match and _role_key(label) not in _NOT_SPEAKERS and len(label) <= 40:
            body = (match.groupdict().get("text") or "").strip()
            turns.append([label, body, number, _clock(match.group("ts") or ""), [(0, number)] if body else []])
        elif turns and line and not line.startswith("#"):
            start = len(turns[-1][1]) + 1 if turns[-1][1] else 0
            turns[-1][1] = f"{turns[-1][1]} {line}".strip()
            turns[-1][4].append((start, number))
    return [(s, t, n, ts, tuple(starts)) for s, t, n, ts, starts in turns if t]


def assign_roles(turns: list[tuple[str, str, int, str]]) -> dict[str, str]:
    """Decide who is the interviewer: known labels first, else whoever asks the questions."""
    speakers = sorted({speaker for speaker, *_ in turns})
    keys = {s: _role_key(s) for s in speakers}
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
    return [Turn(speaker, roles[speaker], body, line, ts, starts) for speaker, body, line, ts, starts in labelled]
