"""Open-feedback survey exports (.csv) to one row per respondent answer.

Columns are found by their Finnish or English headers, or named in `teema.toml` [feedback].
A plain `id,text` CSV works: each row is one respondent.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date

from pipeline.config import FeedbackSection
from pipeline.corpus.problems import ReadError

# Aliases, most specific first; matched against lower-cased headers as whole words or prefixes.
TEXT_ALIASES = ("avoin palaute", "open feedback", "palaute", "feedback", "kommentti", "comment",
                "vapaa sana", "vastaus", "answer", "response", "teksti", "text", "message", "viesti")
ID_ALIASES = ("respondent_id", "respondent id", "vastaajan tunnus", "vastaaja", "respondent",
              "tunnus", "vastaajatunnus", "id")
DATE_ALIASES = ("päivämäärä", "pvm", "vastauspäivä", "date", "submitted", "aika", "timestamp")
NPS_ALIASES = ("suositteluhalukkuus", "suosittelu", "nps", "recommend", "likelihood")


@dataclass(frozen=True)
class FeedbackRow:
    respondent_id: str
    text: str
    line: int
    date: str
    nps: float | None


def _normalise(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().lower().replace("_", " "))


def find_column(headers: list[str], aliases: tuple[str, ...], configured: str = "") -> str | None:
    """The header that matches a configured name, else the first alias found in a header."""
    if configured:
        for header in headers:
            if _normalise(header) == _normalise(configured):
                return header
        raise ReadError(f"column '{configured}' named in teema.toml is not in the header ({', '.join(headers)})")
    normalised = {h: _normalise(h) for h in headers}
    for alias in aliases:
        alias = alias.replace("_", " ")
        for header in headers:
            name = normalised[header]
            if name == alias or re.match(rf"{re.escape(alias)}\b", name):
                return header
    return None


def _longest_text_column(headers: list[str], rows: list[dict[str, str]]) -> str | None:
    def mean_letters(header: str) -> float:
        values = [row.get(header) or "" for row in rows[:200]]
        return sum(sum(c.isalpha() for c in v) for v in values) / max(len(values), 1)

    best = max(headers, key=lambda h: (mean_letters(h), h), default=None)
    return best if best is not None and mean_letters(best) >= 3 else None


def parse_date(value: str) -> str:
    """ISO date from '14.10.2026', '2026-10-14' or '14/10/2026'; '' when it is not a date."""
    value = value.strip()
    for pattern, order in ((r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"), (r"(\d{1,2})[./](\d{1,2})[./](\d{4})", "dmy")):
        match = re.match(pattern, value)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"]).isoformat()
            except ValueError:
                return ""
    return ""


def parse_score(value: str) -> float | None:
    value = value.strip().replace(",", ".")
    try:
        score = float(value)
    except ValueError:
        return None
    return score if 0 <= score <= 10 else None


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon (Finnish Excel) or tab: whichever splits the header most consistently."""
    lines = [line for line in text.split("\n")[:20] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t"):
        counts = [line.count(delimiter) for line in lines]
        if not counts or counts[0] == 0:
            continue
        score = counts[0] + sum(c == counts[0] for c in counts) / len(counts)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def parse_feedback(text: str, stem: str, columns: FeedbackSection) -> list[FeedbackRow]:
    """Rows of a feedback CSV with non-empty text; ReadError when no text column can be found."""
    reader = csv.DictReader(text.split("\n"), delimiter=sniff_delimiter(text))
    headers = [h for h in (reader.fieldnames or []) if h is not None]
    if not headers:
        raise ReadError("the CSV has no header row; add one with a text column (e.g. 'id,text')")
    records = []
    for record in reader:
        records.append((reader.line_num, record))
    rows_only = [r for _, r in records]
    text_col = find_column(headers, TEXT_ALIASES, columns.text_column) or _longest_text_column(headers, rows_only)
    if text_col is None:
        raise ReadError(
            f"no text column found among {', '.join(headers)}; name it in teema.toml "
            "([feedback] text_column = \"...\")"
        )
    id_col = find_column(headers, ID_ALIASES, columns.id_column)
    id_col = None if id_col == text_col else id_col
    date_col = find_column(headers, DATE_ALIASES, columns.date_column)
    nps_col = find_column(headers, NPS_ALIASES, columns.nps_column)
    rows = []
    for line, record in records:
        body = (record.get(text_col) or "").strip()
        if not body:
            continue
        respondent = (record.get(id_col) or "").strip() if id_col else ""
        rows.append(FeedbackRow(
            respondent_id=respondent or f"{stem}:{line}",
            text=body,
            line=line,
            date=parse_date(record.get(date_col) or "") if date_col else "",
            nps=parse_score(record.get(nps_col) or "") if nps_col else None,
        ))
    return rows
