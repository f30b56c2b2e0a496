"""The material as a QDA tool's sources: one plain text per file read, rebuilt from the exported statements (so it
is the redacted text when redaction is on), with each statement's exact place in it.

A turn (one speaker at one location) is one line, `Speaker: sentence sentence`; a survey answer is one line that
starts with the respondent id (and the question, when the file has several). Positions are Unicode code points
from 0, end exclusive (REFI-QDA 1.5, 10.2), so `text[start:end]` is the statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.qda.guids import xml_text


@dataclass
class SourceText:
    doc_id: str
    kind: str  # interview | feedback
    text: str = ""
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # segment id -> (start, end)
    answers: list[tuple[str, int, int]] = field(default_factory=list)  # survey rows: (respondent id, start, end)


def _cell(value: object) -> str:
    return xml_text(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ").strip()


def source_texts(segments: pd.DataFrame) -> list[SourceText]:
    """One SourceText per file, in the order the segments come (the report's order: by file, by line)."""
    sources: dict[str, SourceText] = {}
    parts: dict[str, list[str]] = {}
    current: dict[str, tuple] = {}
    for row in segments.itertuples(index=False):
        doc = str(row.doc_id)
        source = sources.setdefault(doc, SourceText(doc, str(getattr(row, "source", "") or "")))
        chunks = parts.setdefault(doc, [])
        text = _cell(row.text)
        question = _cell(getattr(row, "question", ""))
        turn = (str(row.location), _cell(row.speaker), question)
        position = sum(len(c) for c in chunks)
        if current.get(doc) != turn:  # a new line: its speaker (or respondent and question) first
            if chunks:
                chunks.append("\n")
                position += 1
                _close_answer(source, position - 1)
            current[doc] = turn
            speaker = turn[1] or _cell(row.respondent_id) or _cell(row.role)
            prefix = f"{speaker} ({question}): " if question else (f"{speaker}: " if speaker else "")
            chunks.append(prefix)
            position += len(prefix)
            if source.kind == "feedback" and _cell(row.respondent_id):
                source.answers.append((_cell(row.respondent_id), position, -1))
        elif text:
            chunks.append(" ")
            position += 1
        chunks.append(text)
        source.spans[str(row.segment_id)] = (position, position + len(text))
    for doc, source in sources.items():
        source.text = "".join(parts[doc])
        _close_answer(source, len(source.text))
    return list(sources.values())


def _close_answer(source: SourceText, end: int) -> None:
    if source.answers and source.answers[-1][2] == -1:
        rid, start, _ = source.answers[-1]
        source.answers[-1] = (rid, start, end)
