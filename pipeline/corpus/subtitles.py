"""Subtitle exports of recorded interviews (.vtt, .srt from Teams, Zoom and others) to turns.

Speakers come from WebVTT voice tags (`<v Mikko Virtanen>text</v>`, as Teams writes them) or from a
"Name:" prefix in the cue text (as Zoom and most .srt tools write them). Consecutive cues of one
speaker are joined into one turn; cues with no speaker continue the previous speaker's turn. Each
turn's timestamp is its first cue's start time, which becomes the statement's location.
"""

from __future__ import annotations

import html
import re

from pipeline.corpus.problems import ReadError
from pipeline.corpus.transcripts import _NOT_SPEAKERS, Turn, _role_key, assign_roles

_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>", re.IGNORECASE)
_CUE_TAG = re.compile(r"</?[a-z][^>]*>|<\d{1,2}:\d{2}[^>]*>", re.IGNORECASE)
_PREFIX = re.compile(r"^\s*(?:>>\s*|-\s*)?\[?(?P<name>[A-ZÅÄÖÜ][\w.'’\-]*(?:,?\s+[A-ZÅÄÖÜ\d(][\w.'’\-()]*){0,3})\]?"
                     r"\s*:\s*(?P<text>.*)$", re.DOTALL)


def _clock(start: str) -> str:
    """'00:01:23.450' or '01:23,450' -> '00:01:23'."""
    parts = start.replace(",", ".").split(".")[0].split(":")
    parts = ["0"] * (3 - len(parts)) + parts
    hours, minutes, seconds = (int(p) for p in parts)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def _cues(text: str) -> list[tuple[str, str, int]]:
    """(start time, raw cue text, line number of the cue's first text line) per cue."""
    cues = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = _TIMING.match(lines[index])
        if not match:
            index += 1
            continue
        start = _clock(match.group("start"))
        body, first = [], index + 2
        index += 1
        while index < len(lines) and lines[index].strip():
            body.append(lines[index].strip())
            index += 1
        if body:
            cues.append((start, "\n".join(body), first))
    return cues


def _speaker_and_text(cue: str) -> tuple[str, str]:
    """The cue's speaker ('' when it names none) and its plain text."""
    speaker = ""
    voice = _VOICE.search(cue)
    if voice:
        speaker = voice.group(1).strip()
    text = html.unescape(_CUE_TAG.sub("", cue))
    text = re.sub(r"\s+", " ", text).strip()
    if not speaker:
        prefix = _PREFIX.match(text)
        if prefix and _role_key(prefix.group("name")) not in _NOT_SPEAKERS and len(prefix.group("name")) <= 40:
            speaker, text = prefix.group("name").strip(), prefix.group("text").strip()
    return speaker, text


def parse_subtitles(text: str) -> list[Turn]:
    """Turns of a .vtt or .srt file; ReadError when it has no cues or no speaker names."""
    cues = _cues(text)
    if not cues:
        raise ReadError("no subtitle cues found (lines like '00:00:01.000 --> 00:00:04.000'); "
                        "export the transcript again as .vtt or .srt")
    merged: list[list] = []  # [speaker, text, line, timestamp]
    for start, raw, line in cues:
        speaker, body = _speaker_and_text(raw)
        if not body:
            continue
        if merged and (not speaker or speaker == merged[-1][0]):
            merged[-1][1] = f"{merged[-1][1]} {body}"
        elif speaker:
            merged.append([speaker, body, line, start])
        else:
            merged.append(["", body, line, start])
    labelled = [(s, t, n, ts) for s, t, n, ts in merged if s]
    if not labelled:
        raise ReadError("the subtitles name no speakers; download the transcript with speaker names (Teams: "
                        "Download .vtt; Zoom: enable 'speaker names' in transcripts) or add 'Name:' to the cues")
    roles = assign_roles(labelled)
    if all(role == "interviewer" for role in roles.values()):
        raise ReadError("every speaker is labelled as the interviewer, so there is nothing to code; "
                        "rename the respondent's speaker name in the file")
    return [Turn(s, roles[s], t, n, ts) for s, t, n, ts in labelled]
