"""A study folder to a table of speaker turns, one reader per file format.

One bad file never sinks a study: it becomes a `Problem` (file + what to do) and the rest is read.
Readers: transcripts (.txt, .md, .docx, .pdf, .vtt, .srt) and feedback (.csv, .tsv, .xlsx, .xlsm), each
registered by its suffixes in `readers` (a new format is one `@readers.register(".ext")` function; every
registered reader passes tests/corpus/test_reader_contract.py).
An optional manifest (see manifest.py) adds respondent ids and `meta_*` columns.
"""

from __future__ import annotations

import csv
import dataclasses
import fnmatch
import hashlib
import itertools
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pandas as pd

from pipeline.config import StudyConfig
from pipeline.corpus.date_waves import active_period, select_date_wave
from pipeline.corpus.decode import decode_text, normalise_text, sniff_signature
from pipeline.corpus.feedback import FeedbackRow, csv_record_stream, feedback_chunks, parse_records
from pipeline.corpus.manifest import META_PREFIX, apply_manifest, find_manifest, read_manifest
from pipeline.corpus.problems import Problem, ReadError, printable
from pipeline.corpus.text_stream import text_lines, utf8_damage_file
from pipeline.corpus.transcripts import Turn, parse_transcript
from pipeline.registry import Registry

TURN_COLUMNS = ["doc_id", "respondent_id", "source", "speaker", "role", "text", "line", "location",
                "date", "nps", "question", "csat", "ces", "part", "line_starts"]
SCORE_COLUMNS = ("nps", "csat", "ces")
MAX_FILE_BYTES = 50_000_000
# Tables read in chunks (CSV, TSV, Parquet; registered with `chunks=`): a year of NPS answers is hundreds of MB. Memory
# follows the rows kept, not the file: the text is decoded a block at a time and its rows become table chunks.
MAX_TABLE_BYTES = 1_000_000_000
MAX_TURNS_PER_FILE = 20_000  # speaker turns of one interview file; a two-hour interview has about 500
# One speaker turn or one answer: about 40 hours of speech. A 50 MB single line otherwise became half a million
# statements and gigabytes of memory; a real turn over a million characters is still read and split.
MAX_TURN_CHARS = 2_000_000
# Columns of a feedback table: Excel's own limit. A CSV with 100,000 columns took a minute and 1.6 GB to look for
# its text column.
MAX_COLUMNS = 16_384

# A reader: (file, its doc id, the study's config, notes to append "read, but ..." warnings to) -> turn rows
# (dicts with TURN_COLUMNS, and meta_* keys); ReadError with a one-line reason for a file it cannot use.
# A reader registered with `chunks=` names the same rows as an iterator of lists, read_study's way of reading it.
Reader = Callable[[Path, str, StudyConfig, list[str]], list[dict]]
ChunkReader = Callable[[Path, str, StudyConfig, list[str]], Iterator[list[dict]]]
readers: Registry[Reader] = Registry("reader")

# What to do with formats teema does not read.
_CONVERT = {
    ".doc": "save it in Word as .docx",
    ".rtf": "save it in Word as .docx",
    ".odt": "save it as .docx",
    ".xls": "save it in Excel as .xlsx or export it as CSV",
    ".ods": "save it as .xlsx or export it as CSV",
    ".pages": "export it as .docx",
    ".numbers": "export it as .xlsx or CSV",
    ".json": "export the answers as CSV",
    ".html": "save the page as .txt",
    ".htm": "save the page as .txt",
    ".mp3": "transcribe it first (e.g. Teams or Zoom transcript as .vtt)",
    ".m4a": "transcribe it first (e.g. Teams or Zoom transcript as .vtt)",
    ".wav": "transcribe it first (e.g. Teams or Zoom transcript as .vtt)",
    ".mp4": "download its transcript (.vtt) instead",
}


def _read_text(path: Path) -> str:
    return normalise_text(decode_text(path.read_bytes()))


def _interview_rows(turns: list[Turn], path: Path, doc_id: str, locate: Callable[[Turn], str]) -> list[dict]:
    if len(turns) > MAX_TURNS_PER_FILE:
        raise ReadError(f"{len(turns)} speaker turns, over the {MAX_TURNS_PER_FILE} one interview can have; it is "
                        "not read: split it into one file per interview")
    respondents = sorted({t.speaker for t in turns if t.role == "respondent"})
    rows, question = [], ""
    for turn in turns:
        if turn.role == "interviewer":
            question = turn.text
        respondent = path.stem if len(respondents) == 1 else f"{path.stem}:{turn.speaker}"
        rows.append({
            "doc_id": doc_id,
            "respondent_id": respondent if turn.role == "respondent" else "",
            "source": "interview",
            "speaker": turn.speaker,
            "role": turn.role,
            "text": turn.text,
            "line": turn.line,
            "location": f"{doc_id}:{locate(turn)}",
            "date": "",
            "nps": None,
            "question": question if turn.role == "respondent" else "",
            "csat": None,
            "ces": None,
            "part": "",
            # each line of the turn: (offset in its text, location), so a statement is located on its own line
            "line_starts": tuple((at, f"{doc_id}:{locate(dataclasses.replace(turn, line=n))}")
                                 for at, n in turn.line_starts),
        })
    return rows


@readers.register(".txt", ".md", description="interview transcript with speaker labels")
def _transcript_rows(path: Path, doc_id: str, config: StudyConfig, notes: list[str]) -> list[dict]:
    turns = parse_transcript(_read_text(path))
    return _interview_rows(turns, path, doc_id, lambda t: t.timestamp or str(t.line))


@readers.register(".vtt", ".srt", description="Teams / Zoom subtitle export with speaker names")
def _subtitle_rows(path: Path, doc_id: str, config: StudyConfig, notes: list[str]) -> list[dict]:
    from pipeline.corpus.subtitles import parse_subtitles

    turns = parse_subtitles(_read_text(path))
    return _interview_rows(turns, path, doc_id, lambda t: t.timestamp or str(t.line))


def _lines_rows(lines: list[tuple[str, int]], path: Path, doc_id: str, prefix: str) -> list[dict]:
    """Transcript rows from (line, place) pairs; the place (paragraph or page) becomes the location."""
    text = "\n".join(normalise_text(line) for line, _ in lines)
    if sum(ch.isalpha() for ch in text) == 0:
        raise ReadError("the file has no text; check that it is the right file")
    turns = parse_transcript(text)
    places = [place for _, place in lines]
    return _interview_rows(turns, path, doc_id, lambda t: t.timestamp or f"{prefix}{places[t.line - 1]}")


@readers.register(".docx", description="Word transcript", binary=True)
def _docx_rows(path: Path, doc_id: str, config: StudyConfig, notes: list[str]) -> list[dict]:
    from pipeline.corpus.docx import docx_lines

    return _lines_rows(docx_lines(path), path, doc_id, "")


@readers.register(".pdf", description="PDF transcript with a text layer", binary=True)
def _pdf_rows(path: Path, doc_id: str, config: StudyConfig, notes: list[str]) -> list[dict]:
    from pipeline.corpus.pdf import pdf_lines

    return _lines_rows(pdf_lines(path), path, doc_id, "p")


def _rows_of_feedback(rows: list[FeedbackRow], doc_id: str) -> list[dict]:
    if not rows:
        raise ReadError("the table has no rows with text; check that the text column is filled in")
    return [{
        "doc_id": doc_id,
        "respondent_id": row.respondent_id,
        "source": "feedback",
        "speaker": row.respondent_id,
        "role": "respondent",
        "text": normalise_text(row.text),
        "line": row.line,
        "location": f"{doc_id}:{row.line}",
        "date": row.date,
        "nps": row.nps,
        "question": normalise_text(row.question),
        "csat": row.csat,
        "ces": row.ces,
        "part": row.part,
        "line_starts": (),
        **{f"{META_PREFIX}{key}": value for key, value in row.meta},
    } for row in rows]


def _table_chunks(chunks: Iterator[list[FeedbackRow]], doc_id: str) -> Iterator[list[dict]]:
    """Turn rows a chunk at a time; ReadError when the table had no answer at all."""
    empty = True
    for chunk in chunks:
        empty = False
        yield _rows_of_feedback(chunk, doc_id)
    if empty:
        _rows_of_feedback([], doc_id)  # raises: no rows with text


def _feedback_chunks(path: Path, doc_id: str, config: StudyConfig, notes: list[str]) -> Iterator[list[dict]]:
    """A CSV or TSV read a block at a time (pipeline/corpus/text_stream.py): the rows the whole-file reader gave,
    in chunks; one line over MAX_TURN_CHARS is refused, named, before it is held whole."""
    lines = text_lines(path, max_line=MAX_TURN_CHARS)
    first = next(lines)
    _check_width(first)
    headers, records, shape = csv_record_stream(itertools.chain([first], lines))
    try:
        yield from _table_chunks(feedback_chunks(headers, records, path.stem, config.feedback, notes), doc_id)
    except ReadError as err:
        if isinstance(err.__cause__, csv.Error) or shape.complete:
            raise
        for _ in records:  # a table that is no table is named so, whatever else is wrong (as when read whole)
            pass
        shape.check()
        raise
    shape.check()


@readers.register(".csv", ".tsv", description="open-feedback export (comma, semicolon or tab)",
                  chunks=_feedback_chunks, max_bytes=MAX_TABLE_BYTES)
def _feedback_rows(path: Path, doc_id: str, config: StudyConfig, notes: list[str]) -> list[dict]:
    return [row for chunk in _feedback_chunks(path, doc_id, config, notes) for row in chunk]


def _check_width(header: str | list) -> None:
    """ReadError for a table wider than a spreadsheet can be (MAX_COLUMNS)."""
    columns = len(header) if isinstance(header, list) else max(header.count(d) for d in ",;\t") + 1
    if columns > MAX_COLUMNS:
        raise ReadError(f"line 1 has {columns:,} columns, over the {MAX_COLUMNS:,} a spreadsheet can have; it is not "
                        "read: export only the columns with the answers, the respondent id and the scores")


@readers.register(".xlsx", ".xlsm", description="open-feedback workbook (first sheet or [feedback] sheet)",
                  binary=True)
def _xlsx_rows(path: Path, doc_id: str, config: StudyConfig, notes: list[str]) -> list[dict]:
    from pipeline.corpus.xlsx import xlsx_records

    headers, records = xlsx_records(path, config.feedback.sheet)
    _check_width(list(headers))
    return _rows_of_feedback(parse_records(headers, records, path.stem, config.feedback, notes), doc_id)


def _parquet_chunks(path: Path, doc_id: str, config: StudyConfig, notes: list[str]) -> Iterator[list[dict]]:
    from pipeline.corpus.parquet import parquet_record_stream

    headers, records = parquet_record_stream(path)
    yield from _table_chunks(feedback_chunks(headers, records, path.stem, config.feedback, notes), doc_id)


@readers.register(".parquet", description="open-feedback table in Parquet (read a row group at a time)", binary=True,
                  chunks=_parquet_chunks, max_bytes=MAX_TABLE_BYTES)
def _parquet_rows(path: Path, doc_id: str, config: StudyConfig, notes: list[str]) -> list[dict]:
    return [row for chunk in _parquet_chunks(path, doc_id, config, notes) for row in chunk]


READERS: Mapping[str, Reader] = readers  # the name callers have used: suffix -> reader


def is_binary(suffix: str) -> bool:
    """A format whose files are not text (zip, PDF): checked by signature, never for blank lines or UTF-8."""
    return suffix in readers and bool(readers.entry(suffix).info.get("binary"))


def location_order(location: str, doc_id: str) -> float:
    """A number that orders a file's locations as read: line 12, page 'p3', or time '00:01:23' (seconds)."""
    place = location[len(doc_id) + 1:] if location.startswith(f"{doc_id}:") else location.rsplit(":", 1)[-1]
    if place.isdigit():
        return float(place)
    if place[:1] == "p" and place[1:].isdigit():
        return float(place[1:])
    parts = place.split(":")
    if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
        return float(sum(int(p) * 60 ** i for i, p in enumerate(reversed(parts))))
    return float("nan")


def leads_outside(path: Path, study_dir: Path) -> bool:
    """True for a link (or a path through one) whose target is outside the study folder, or that loops."""
    try:
        path.resolve(strict=True).relative_to(study_dir.resolve())
        return False
    except (ValueError, OSError, RuntimeError):
        return True


def outside_links(study_dir: Path, config: StudyConfig) -> list[str]:
    """Visible links below the study folder (to files or folders) whose target is outside it: never read."""
    found = []
    for path in sorted(study_dir.rglob("*")):
        relative = path.relative_to(study_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_symlink():
            continue
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in config.study.exclude) or path.name.startswith("~$"):
            continue
        if leads_outside(path, study_dir):
            found.append(relative.as_posix())
    return found


OUTSIDE_LINK = ("a link to a file or folder outside the study folder; it is not read (copy what belongs to the "
                "study into the study folder)")


def study_files(study_dir: Path, config: StudyConfig, skip: tuple[Path, ...] = ()) -> list[Path]:
    """Every visible file below the study folder, in a fixed order, minus excluded names and minus links that
    lead out of the study folder (see outside_links: those are named, never read)."""
    files = []
    for path in sorted(study_dir.rglob("*")):
        relative = path.relative_to(study_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.is_symlink() and leads_outside(path, study_dir):
            continue
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in config.study.exclude):
            continue
        if path.name.startswith("~$") or path in skip:  # Office lock files, the manifest
            continue
        files.append(path)
    return files


def _bounded(rows: list[dict]) -> list[dict]:
    """The rows, or ReadError when one turn or answer is longer than any real one (MAX_TURN_CHARS)."""
    for row in rows:
        text = row.get("text")
        if isinstance(text, str) and len(text) > MAX_TURN_CHARS:
            line = row.get("line")
            where = f"line {line}" if isinstance(line, int) else printable(str(row.get("location") or "a row"))
            raise ReadError(f"{where}: one turn of {len(text):,} characters, over the "
                            f"{MAX_TURN_CHARS:,} a speaker turn or answer can have; it is not read: split it into "
                            "turns (a speaker label at the start of each) or rows")
    return rows


def _unsupported(path: Path) -> str:
    suffix = path.suffix.lower()
    hint = _CONVERT.get(suffix, f"export it as {', '.join(sorted(readers))}")
    return f"'{path.suffix or 'no extension'}' files are not read; {hint}"


def max_bytes(suffix: str) -> int:
    """The largest file of this format that is read: MAX_TABLE_BYTES for tables read in chunks, else MAX_FILE_BYTES."""
    return int(readers.entry(suffix).info.get("max_bytes", MAX_FILE_BYTES)) if suffix in readers else MAX_FILE_BYTES


def _file_facts(path: Path) -> tuple[str, bytes, bool]:
    """(sha256, first 1,024 bytes, whether it holds more than blank lines), a block at a time."""
    digest, head, blank = hashlib.sha256(), b"", True
    with path.open("rb") as handle:
        while block := handle.read(8_000_000):
            digest.update(block)
            head = head or block[:1024]
            blank = blank and not block.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe")
    return digest.hexdigest(), head, not blank


def _check_file(path: Path, seen: dict[str, str], doc_id: str) -> str:
    """Why a file cannot be read before its reader runs ('' when it can)."""
    size = path.stat().st_size
    suffix = path.suffix.lower()
    limit = max_bytes(suffix)
    if size > limit:
        return (f"the file is {size / 1_000_000:,.0f} MB, over the {limit // 1_000_000:,} MB limit; "
                "split it into smaller files")
    if size == 0:
        return "the file is empty; remove it or export it again"
    digest, head, filled = _file_facts(path)
    if digest in seen:
        return f"the same content as {seen[digest]}; it is read once, remove the copy"
    seen[digest] = doc_id
    if not is_binary(suffix) and not filled:
        return "the file holds only blank lines; remove it or export it again"
    signature = sniff_signature(head) or ("a PDF file" if b"%PDF" in head else "")
    if is_binary(suffix) and not signature:
        return f"this is not a real {suffix} file (its content does not match the name); open it and save it " \
               f"again as {suffix}"
    return ""


def _encoding_warnings(path: Path, doc_id: str) -> list[Problem]:
    """A warning for a UTF-8 file read with a few broken bytes, naming their lines."""
    lines = utf8_damage_file(path)
    if not lines:
        return []
    shown = ", ".join(str(n) for n in lines[:10]) + (f" and {len(lines) - 10} more" if len(lines) > 10 else "")
    lines_hold = f"lines {shown} hold" if len(lines) > 1 else f"line {shown} holds"
    return [Problem(doc_id, f"read, but {lines_hold} bytes that are not UTF-8 and show as \ufffd; fix those "
                            "characters and save the file as UTF-8", read=True)]


def read_study(study_dir: Path, config: StudyConfig) -> tuple[pd.DataFrame, list[Problem]]:
    """All turns of all readable files, and a Problem for each file that could not be used.

    In a study split into waves by date ([study] wave_period, no wave folders), only the turns of the wave
    `[study] wave` names are returned (see pipeline.corpus.date_waves)."""
    if not active_period(config.study.wave_period):
        return _read_all(study_dir, config)
    bare = dataclasses.replace(config, study=dataclasses.replace(config.study, wave="", wave_period=""))
    key = (str(study_dir.resolve()), repr(bare), _content_key(study_dir, config))
    if key not in _READ_MEMO:  # the waves are found from the whole study, then each wave is read: read once
        _READ_MEMO.clear()
        _READ_MEMO[key] = _read_all(study_dir, config)
    turns, problems = _READ_MEMO[key]
    return select_date_wave(turns.copy(), config.study.wave, config.study.wave_period), list(problems)


_READ_MEMO: dict[tuple[str, str, str], tuple[pd.DataFrame, list[Problem]]] = {}


def _content_key(study_dir: Path, config: StudyConfig) -> str:
    """A hash of every file's path and content: a memoised read is only reused for the very same files."""
    digest = hashlib.sha256()
    for path in study_files(study_dir, config):
        digest.update(path.relative_to(study_dir).as_posix().encode() + b"\0")
        try:
            with path.open("rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def _read_all(study_dir: Path, config: StudyConfig) -> tuple[pd.DataFrame, list[Problem]]:
    rows: list[dict] = []
    frames: list[pd.DataFrame] = []  # files read so far, in order; rows of the files since the last frame in `rows`
    problems: list[Problem] = []
    try:
        manifest_path = find_manifest(study_dir, config.study.manifest)
    except ReadError as err:
        manifest_path = None
        problems.append(Problem(config.study.manifest, str(err)))
    links = outside_links(study_dir, config)
    problems.extend(Problem(name, OUTSIDE_LINK) for name in links)
    if manifest_path is not None and leads_outside(manifest_path, study_dir):
        name = manifest_path.relative_to(study_dir).as_posix()
        if name not in links:
            problems.append(Problem(name, OUTSIDE_LINK))
        manifest_path = None
    files = study_files(study_dir, config, skip=(manifest_path,) if manifest_path else ())
    seen: dict[str, str] = {}
    for path in files:
        doc_id = path.relative_to(study_dir).as_posix()
        reader = readers.get(path.suffix.lower())
        if reader is None:
            problems.append(Problem(doc_id, _unsupported(path)))
            continue
        try:
            reason = _check_file(path, seen, doc_id)
            if reason:
                problems.append(Problem(doc_id, reason))
                continue
            notes: list[str] = []
            chunked = readers.entry(path.suffix.lower()).info.get("chunks")
            if chunked is None:
                rows.extend(_bounded(reader(path, doc_id, config, notes)))
            else:  # a table of any length: its rows become frames a chunk at a time, kept once the file is whole
                parts = [pd.DataFrame(_bounded(chunk)) for chunk in chunked(path, doc_id, config, notes)]
                frames.extend([pd.DataFrame(rows)] if rows else [])
                frames.extend(parts)
                rows = []
            problems.extend(Problem(doc_id, note, read=True) for note in notes)
            if not is_binary(path.suffix.lower()):
                problems.extend(_encoding_warnings(path, doc_id))
        except ReadError as err:
            problems.append(Problem(doc_id, str(err)))
        except OSError as err:
            problems.append(Problem(doc_id, f"cannot be opened ({err.strerror or err}); check its permissions"))
        except Exception as err:  # a reader bug must not sink the study: report the file, read the rest
            problems.append(Problem(doc_id, f"could not be read ({type(err).__name__}: {err}); save it again in "
                                            "another format, or report this to the teema developers"))
    frames.extend([pd.DataFrame(rows)] if rows or not frames else [])
    turns = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    del frames, rows
    for column in TURN_COLUMNS:
        if column not in turns:
            turns[column] = pd.Series(dtype="object")
    if manifest_path is not None:
        name = manifest_path.relative_to(study_dir).as_posix()
        try:
            manifest = read_manifest(manifest_path, name)
            doc_ids = [p.relative_to(study_dir).as_posix() for p in files]
            turns, manifest_problems = apply_manifest(turns, manifest, doc_ids)
            problems.extend(manifest_problems)
        except ReadError as err:
            problems.append(Problem(name, f"manifest not used: {err}"))
        except Exception as err:  # a broken manifest never sinks the study
            problems.append(Problem(name, f"manifest not used ({type(err).__name__}: {err}); save it again as CSV"))
    meta = sorted(c for c in turns.columns if c.startswith(META_PREFIX))
    turns = turns[TURN_COLUMNS + meta].copy()
    for column in meta:
        turns[column] = turns[column].fillna("").astype(str)
    turns["part"] = turns["part"].fillna("").astype(str)
    for column in SCORE_COLUMNS:
        turns[column] = turns[column].astype("float64")
    return turns, problems
