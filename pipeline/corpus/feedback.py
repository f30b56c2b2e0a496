"""Open-feedback survey exports (.csv, and the rows of .xlsx sheets) to one row per respondent answer.

Columns are found by their Finnish or English headers, or named in `teema.toml` [feedback]:
the open text, respondent id, date, customer segment and NPS / CSAT / CES scores. A plain
`id,text` CSV works: each row is one respondent. When a survey has several open questions
(several free-text columns, or `question_columns` in teema.toml), each column is kept apart as
a question: its header travels with every answer as the statement's question.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain, islice

from pipeline.config import FeedbackSection
from pipeline.corpus.problems import ReadError

# Aliases, most specific first; matched against lower-cased headers as whole words or prefixes.
TEXT_ALIASES = ("avoin palaute", "open feedback", "palaute", "feedback", "kommentti", "comment",
                "vapaa sana", "vastaus", "answer", "response", "teksti", "text", "message", "viesti")
ID_ALIASES = ("respondent_id", "respondent id", "vastaajan tunnus", "vastaajatunnus", "vastaaja", "respondent",
              "response id", "responseid", "tunnus", "id")
DATE_ALIASES = ("päivämäärä", "pvm", "vastauspäivä", "date", "submitted", "aika", "timestamp")
NPS_ALIASES = ("suositteluhalukkuus", "suosittelu", "nps", "recommend", "likelihood")
CSAT_ALIASES = ("csat", "asiakastyytyväisyys", "tyytyväisyys", "customer satisfaction", "satisfaction")
CES_ALIASES = ("ces", "customer effort", "asioinnin helppous", "asioinnin vaivattomuus", "vaivattomuus", "effort",
               "helppous")
SEGMENT_ALIASES = ("asiakassegmentti", "asiakasryhmä", "asiakastyyppi", "segmentti", "customer segment",
                   "customer type", "segment")
# Survey tools head score columns with the question itself ("Kuinka todennäköisesti suosittelisit meitä?"):
# a numeric column whose header has one of these word starts is that score.
SCORE_STEMS = {
    "nps": ("suosittel", "recommend", "nps"),
    "csat": ("tyytyväi", "satisf", "csat"),
    "ces": ("vaivat", "helppo", "effort", "ces", "easy"),
}
MIN_WORDS_FOR_QUESTION = 3
DETECT_ROWS = 300  # records the columns are found from (text, scores, contact details)
CHUNK_ROWS = 20_000  # records turned into rows at a time when a table is streamed
# Contact details asked for in a survey ("Mikä on nimesi?", "Sähköpostiosoite", "Your name", "Phone number"): such
# a column is never coded or exported. Found by its header (with short answers), or by its content.
CONTACT_HEADER = re.compile(
    r"\b(?:nimesi|nimi|etunimi|etunimesi|sukunimi|sukunimesi|koko nimi|yhteyshenkilö|sähköposti\w*|s-posti\w*|"
    r"e-?mail\w*|e-?posti\w*|puhelin\w*|puh|gsm|matkapuhelin\w*|kännykkä\w*|yhteystie\w*|osoite|osoitteesi|"
    r"katuosoite\w*|postiosoite\w*|kotiosoite\w*|postinumero\w*|name|first name|last name|surname|full name|"
    r"phone|phone number|telephone|mobile|cell|contact|contact details|address|street|postcode|post code|zip code)\b",
    re.IGNORECASE)
MAX_CONTACT_HEADER_WORDS = 4  # "Puhelinnumero", "E-mail address"; longer only as "Mikä on ...", "What is your ..."
_ASKS_FOR_DETAIL = re.compile(r"^(?:mikä on|mitkä ovat|kerro|anna|what is|what's|your|please (?:give|enter))\b",
                              re.IGNORECASE)
MAX_CONTACT_ANSWER_WORDS = 4
_CONTACT_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}$")
_CONTACT_PHONE = re.compile(r"^\+?[\d\s().-]{6,20}$")
_PERSON_NAME = re.compile(r"^[A-ZÅÄÖÜ][\w'’-]+(?:\s+[A-ZÅÄÖÜ][\w'’-]+){1,2}$")
CONTACT_SHARE = 0.8


@dataclass(frozen=True)
class FeedbackRow:
    respondent_id: str
    text: str
    line: int
    date: str
    nps: float | None
    csat: float | None = None
    ces: float | None = None
    question: str = ""
    part: str = ""  # "" for the first open question, "q2", "q3", ... for the others
    meta: tuple[tuple[str, str], ...] = ()


Record = tuple[int, dict[str, str]]


def _normalise(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().lower().replace("_", " "))


def _matches(header: str, alias: str) -> bool:
    name, alias = _normalise(header), alias.replace("_", " ")
    return name == alias or re.match(rf"{re.escape(alias)}\b", name) is not None


def find_column(headers: list[str], aliases: tuple[str, ...], configured: str = "") -> str | None:
    """The header that matches a configured name, else the first alias found in a header."""
    if configured:
        for header in headers:
            if _normalise(header) == _normalise(configured):
                return header
        raise ReadError(f"column '{configured}' named in teema.toml is not in the header ({', '.join(headers)})")
    for alias in aliases:
        for header in headers:
            if _matches(header, alias):
                return header
    return None


def _values(header: str, rows: list[dict[str, str]]) -> list[str]:
    return [(row.get(header) or "").strip() for row in rows[:DETECT_ROWS]]


def _mean_letters(header: str, rows: list[dict[str, str]]) -> float:
    values = _values(header, rows)
    return sum(sum(c.isalpha() for c in v) for v in values) / max(len(values), 1)


def _mean_words(header: str, rows: list[dict[str, str]]) -> float:
    values = [v for v in _values(header, rows) if v]
    return sum(len(re.findall(r"[^\W\d_]+", v)) for v in values) / max(len(values), 1)


def _numeric(header: str, rows: list[dict[str, str]]) -> bool:
    values = [v for v in _values(header, rows) if v]
    return bool(values) and sum(parse_score(v) is not None for v in values) >= 0.8 * len(values)


def find_score_column(headers: list[str], rows: list[dict[str, str]], role: str, aliases: tuple[str, ...],
                      configured: str = "", taken: tuple[str | None, ...] = ()) -> str | None:
    """A score column: configured, else by alias, else a numeric column whose header mentions the score."""
    found = find_column(headers, aliases, configured)
    if found or configured:
        return found
    for header in headers:
        if header in taken:
            continue
        name = _normalise(header)
        if any(re.search(rf"\b{stem}", name) for stem in SCORE_STEMS[role]) and _numeric(header, rows):
            return header
    return None


_ROLE_ALIASES = (ID_ALIASES, DATE_ALIASES, NPS_ALIASES, CSAT_ALIASES, CES_ALIASES, SEGMENT_ALIASES)


def _contact_value(value: str) -> str:
    """'email', 'phone' or 'name' (2-3 capitalised words) for a value that is a contact detail, else ''."""
    if _CONTACT_EMAIL.match(value):
        return "email"
    if _CONTACT_PHONE.match(value) and sum(c.isdigit() for c in value) >= 7 and not parse_date(value):
        return "phone"
    return "name" if _PERSON_NAME.match(value) else ""


def contact_columns(headers: list[str], rows: list[dict[str, str]], keep: tuple[str, ...] = ()) -> list[str]:
    """Columns holding respondents' contact details: a header that asks for a name, e-mail, phone or address with
    short answers, or answers that are mostly e-mail addresses, phone numbers or 2-3 capitalised words. Columns
    in `keep` (named in teema.toml) never are."""
    found = []
    for header in headers:
        if header in keep:
            continue
        values = [v for v in _values(header, rows) if v]
        if not values:
            continue
        short = _mean_words(header, rows) <= MAX_CONTACT_ANSWER_WORDS
        name = _normalise(header)
        asks = CONTACT_HEADER.search(name) is not None and not _numeric(header, rows) and (
            len(name.split()) <= MAX_CONTACT_HEADER_WORDS or _ASKS_FOR_DETAIL.match(name) is not None)
        if not asks and any(find_column([header], aliases) for aliases in _ROLE_ALIASES):
            continue  # a date, id, score or segment column by its header: its content is not judged
        kinds = [_contact_value(v) for v in values]
        detail = sum(k in ("email", "phone") for k in kinds) >= CONTACT_SHARE * len(values)
        names = sum(k == "name" for k in kinds) >= CONTACT_SHARE * len(values)
        if (asks and short) or detail or (names and short and not _numeric(header, rows)):
            found.append(header)
    return found


def _longest_text_column(headers: list[str], rows: list[dict[str, str]]) -> str | None:
    best = max(headers, key=lambda h: (_mean_letters(h, rows), h), default=None)
    return best if best is not None and _mean_letters(best, rows) >= 3 else None


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
    """0-10 from '7', '9,0' or '9 - Erittäin todennäköisesti'; None when it is not a score."""
    match = re.match(r"^\s*(\d{1,2}(?:[.,]\d+)?)(?:\s*(?:[-–/:)]|$))", value or "")
    if not match:
        return None
    score = float(match.group(1).replace(",", "."))
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


def _check_table(headers: list[str], widths: list[int]) -> None:
    """ReadError when the 'CSV' is prose or a list rather than a table with a header row."""
    _check_shape(headers, sum(w == len(headers) for w in widths), len(widths))


def _check_shape(headers: list[str], fitting: int, rows: int) -> None:
    """_check_table from counts: `fitting` of the `rows` data rows have the header's width."""
    if len(headers) >= 2 and rows:
        if fitting / rows < 0.5:
            raise ReadError(f"does not look like a table: most rows have a different number of columns than the "
                            f"header ({len(headers)}); export it from Excel as CSV, or rename a transcript to .txt")
    if any(len(h) > 200 for h in headers):
        raise ReadError("the first row is long text, not a header; add a header row (e.g. 'id,text') or rename "
                        "a transcript to .txt")


def _ended(lines: Iterable[str]) -> Iterator[str]:
    """The lines with their line break given back: csv.reader joins the lines of a quoted field with what ends
    them, so without it a survey answer of two lines ("kertaa.\nTuki") came out glued ("kertaa.Tuki")."""
    return (f"{line}\n" for line in lines)


def csv_records(text: str) -> tuple[list[str], list[Record]]:
    """Header and (line number, row) records of a CSV text, with its delimiter detected."""
    reader = csv.reader(_ended(text.split("\n")), delimiter=sniff_delimiter(text))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as err:
        raise ReadError(f"not a readable CSV ({err}); export it again from the survey tool or Excel") from err
    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ReadError("the CSV has no header row; add one with a text column (e.g. 'id,text')")
    headers = [h.strip() for h in rows[0][1]]
    _check_table(headers, [len(row) for _, row in rows[1:]])
    records = [(line, {h: (row[i] if i < len(row) else "") for i, h in enumerate(headers) if h})
               for line, row in rows[1:]]
    return [h for h in headers if h], records


class TableShape:
    """How many data rows of a streamed CSV have the header's width: `_check_table`'s verdict, given once the
    last row has been read (a file is judged whole, as when it was read whole)."""

    def __init__(self, headers: list[str]) -> None:
        self.headers, self.rows, self.fitting, self.complete = headers, 0, 0, False

    def check(self) -> None:
        _check_shape(self.headers, self.fitting, self.rows)


def csv_record_stream(lines: Iterable[str]) -> tuple[list[str], Iterator[Record], TableShape]:
    """csv_records over lines (`text.split("\\n")`, read a block at a time): the header now, the records as they
    are read, and the table's shape, complete once the records are exhausted. csv.Error becomes ReadError."""
    lines = iter(lines)
    head = list(islice(lines, 20))
    reader = csv.reader(_ended(chain(head, lines)), delimiter=sniff_delimiter("\n".join(head)))

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield reader.line_num, row
        except csv.Error as err:
            raise ReadError(f"not a readable CSV ({err}); export it again from the survey tool or Excel") from err

    found = rows()
    first = next(found, None)
    if first is None:
        raise ReadError("the CSV has no header row; add one with a text column (e.g. 'id,text')")
    headers = [h.strip() for h in first[1]]
    shape = TableShape(headers)

    def records() -> Iterator[Record]:
        width = len(headers)
        for line, row in found:
            shape.rows += 1
            shape.fitting += len(row) == width
            yield line, {h: (row[i] if i < len(row) else "") for i, h in enumerate(headers) if h}
        shape.complete = True

    return [h for h in headers if h], records(), shape


def _text_columns(headers: list[str], rows: list[dict[str, str]], columns: FeedbackSection,
                  taken: set[str]) -> list[str]:
    """The open-text columns, configured or found; more than one means several questions."""
    configured = [c for c in (columns.text_column, *columns.question_columns) if c]
    if configured:
        found = [find_column(headers, (), name) for name in configured]
        return list(dict.fromkeys(h for h in found if h))
    free = [h for h in headers if h not in taken]
    primary = find_column(free, TEXT_ALIASES)
    others = [h for h in free if h != primary and _mean_letters(h, rows) >= 3
              and (h.rstrip().endswith("?") or any(_matches(h, a) for a in TEXT_ALIASES)
                   and _mean_words(h, rows) >= MIN_WORDS_FOR_QUESTION)]
    if primary is None:
        primary = others.pop(0) if others else _longest_text_column(free, rows)
    if primary is None:
        return []
    return sorted([primary, *others], key=headers.index) if others else [primary]


def parse_records(headers: list[str], records: list[Record], stem: str, columns: FeedbackSection,
                  notes: list[str] | None = None) -> list[FeedbackRow]:
    """Feedback rows with non-empty text from a header and its records (CSV or spreadsheet).

    Contact-detail columns (contact_columns) are left out of everything; `notes` gets a line saying which."""
    return [row for chunk in feedback_chunks(headers, iter(records), stem, columns, notes) for row in chunk]


def feedback_chunks(headers: list[str], records: Iterator[Record], stem: str, columns: FeedbackSection,
                    notes: list[str] | None = None, chunk_rows: int | None = None) -> Iterator[list[FeedbackRow]]:
    """parse_records a chunk at a time: the columns are found from the first DETECT_ROWS records (as they always
    were), the rest are turned into rows `chunk_rows` records at a time, so a file is never held whole."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    first = list(islice(records, DETECT_ROWS))
    if not headers:
        raise ReadError("the table has no header row; add one with a text column (e.g. 'id,text')")
    rows_only = [r for _, r in first]
    named = tuple(h for name in (columns.text_column, *columns.question_columns, columns.id_column,
                                 columns.date_column, columns.nps_column, columns.csat_column, columns.ces_column,
                                 columns.segment_column) if name for h in headers if _normalise(h) == _normalise(name))
    contacts = contact_columns(headers, rows_only, named)
    if contacts:
        if notes is not None:
            notes.append(f"column{'s' if len(contacts) > 1 else ''} {', '.join(repr(c) for c in contacts)} "
                         f"hold{'' if len(contacts) > 1 else 's'} contact details (names, e-mails, phone numbers, "
                         "addresses): never coded or exported; name a column in teema.toml [feedback] if it is "
                         "really feedback")
        headers = [h for h in headers if h not in contacts]
        if not headers:
            raise ReadError("the table holds only contact details, no feedback; name the text column in teema.toml "
                            "([feedback] text_column = \"...\")")
    roles = {
        "id": find_column(headers, ID_ALIASES, columns.id_column),
        "date": find_column(headers, DATE_ALIASES, columns.date_column),
        "segment": find_column(headers, SEGMENT_ALIASES, columns.segment_column),
    }
    for role, aliases, configured in (("nps", NPS_ALIASES, columns.nps_column),
                                      ("csat", CSAT_ALIASES, columns.csat_column),
                                      ("ces", CES_ALIASES, columns.ces_column)):
        roles[role] = find_score_column(headers, rows_only, role, aliases, configured, tuple(roles.values()))
    configured_text = {h for name in (columns.text_column, *columns.question_columns) if name
                       for h in headers if _normalise(h) == _normalise(name)}
    taken = {h for h in roles.values() if h} - configured_text
    text_cols = _text_columns(headers, rows_only, columns, taken)
    if not text_cols:
        raise ReadError(
            f"no text column found among {', '.join(headers)}; name it in teema.toml "
            "([feedback] text_column = \"...\")"
        )
    roles = {k: (None if v in text_cols else v) for k, v in roles.items()}
    several = len(text_cols) > 1
    rows: list[FeedbackRow] = []
    for line, record in chain(first, records):
        respondent = (record.get(roles["id"]) or "").strip() if roles["id"] else ""
        segment = (record.get(roles["segment"]) or "").strip() if roles["segment"] else ""

        def score(role: str, record: dict[str, str] = record) -> float | None:
            return parse_score(record.get(roles[role]) or "") if roles[role] else None

        for index, column in enumerate(text_cols):
            body = (record.get(column) or "").strip()
            if not body:
                continue
            rows.append(FeedbackRow(
                respondent_id=respondent or f"{stem}:{line}",
                text=body,
                line=line,
                date=parse_date(record.get(roles["date"]) or "") if roles["date"] else "",
                nps=score("nps"), csat=score("csat"), ces=score("ces"),
                question=column if several or column.rstrip().endswith("?") else "",
                part=f"q{index + 1}" if index else "",
                meta=(("segment", segment),) if segment else (),
            ))
        if len(rows) >= chunk_rows:
            yield rows
            rows = []
    if rows:
        yield rows



def parse_feedback(text: str, stem: str, columns: FeedbackSection, notes: list[str] | None = None
                   ) -> list[FeedbackRow]:
    """Rows of a feedback CSV with non-empty text; ReadError when no text column can be found."""
    headers, records = csv_records(text)
    return parse_records(headers, records, stem, columns, notes)
