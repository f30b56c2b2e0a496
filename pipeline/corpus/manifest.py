"""The optional manifest: a table that maps a study's files to respondent ids and metadata.

`manifest.csv` (or `manifesti.csv`, `.xlsx`, or the file named by [study] manifest in teema.toml)
at the top of the study folder. One row per file, or per respondent:

    tiedosto;vastaajan tunnus;segmentti;alue
    haastattelut/h01.docx;A-17;Pk-yritys;Uusimaa
    ;V-1001;Suuryritys;Pirkanmaa

A row with a file gives that file's respondent its id (transcripts; a feedback file keeps each row's
own id) and puts the other columns on every statement of the file. A row with only a respondent id
puts its columns on that respondent's statements (e.g. feedback rows). Metadata columns become
`meta_<name>` columns of the segments table (customer segment: `meta_segment`), which a report
can filter by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from pipeline.corpus.decode import decode_text, normalise_text
from pipeline.corpus.feedback import ID_ALIASES, SEGMENT_ALIASES, Record, csv_records, find_column
from pipeline.corpus.problems import Problem, ReadError

MANIFEST_NAMES = ("manifest.csv", "manifesti.csv", "manifest.xlsx", "manifesti.xlsx")
FILE_ALIASES = ("file", "tiedosto", "tiedostonimi", "filename", "file name", "path", "polku", "document", "dokumentti")
META_PREFIX = "meta_"


@dataclass
class Manifest:
    name: str
    by_file: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)  # value as written -> (id, meta)
    by_respondent: dict[str, dict[str, str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # file value -> line, for messages
    columns: list[str] = field(default_factory=list)


def meta_column(header: str) -> str:
    """'Asiakassegmentti' -> 'meta_segment', 'Alue / Region' -> 'meta_alue_region'."""
    if find_column([header], SEGMENT_ALIASES):
        return f"{META_PREFIX}segment"
    slug = re.sub(r"[^\w]+", "_", header.strip().lower()).strip("_")
    return f"{META_PREFIX}{slug or 'column'}"


def metadata_columns(table: pd.DataFrame) -> list[str]:
    """The metadata columns (`meta_*`) of a turns or segments table, sorted."""
    return sorted(c for c in table.columns if str(c).startswith(META_PREFIX))


def find_manifest(study_dir: Path, configured: str = "") -> Path | None:
    """The manifest file of a study folder, if it has one; ReadError when a configured one is missing."""
    if configured:
        path = study_dir / configured
        if not path.is_file():
            raise ReadError(f"{configured}: the manifest named in teema.toml ([study] manifest) is not in the folder")
        return path
    for name in MANIFEST_NAMES:
        for path in sorted(study_dir.iterdir()):
            if path.is_file() and path.name.lower() == name:
                return path
    return None


def _records(path: Path, sheet: str = "") -> tuple[list[str], list[Record]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from pipeline.corpus.xlsx import xlsx_records

        return xlsx_records(path, sheet)
    return csv_records(normalise_text(decode_text(path.read_bytes())))


def read_manifest(path: Path, name: str) -> Manifest:
    """Parse a manifest; ReadError when it has neither a file nor a respondent id column."""
    headers, records = _records(path)
    file_col = find_column(headers, FILE_ALIASES)
    id_col = find_column(headers, ID_ALIASES)
    if file_col is None and id_col is None:
        raise ReadError(f"the manifest needs a file column ('tiedosto' / 'file') or a respondent id column "
                        f"('vastaajan tunnus' / 'respondent_id'); its columns are {', '.join(headers)}")
    meta_headers = [h for h in headers if h not in (file_col, id_col)]
    manifest = Manifest(name, columns=sorted({meta_column(h) for h in meta_headers}))
    for line, record in records:
        meta = {meta_column(h): (record.get(h) or "").strip() for h in meta_headers}
        meta = {k: v for k, v in meta.items() if v}
        file_value = (record.get(file_col) or "").strip() if file_col else ""
        respondent = (record.get(id_col) or "").strip() if id_col else ""
        if file_value:
            key = PurePosixPath(file_value.replace("\\", "/")).as_posix().removeprefix("./")
            manifest.by_file[key] = (respondent, meta)
            manifest.lines[key] = line
        elif respondent:
            manifest.by_respondent[respondent] = meta
    return manifest


def _match(value: str, doc_ids: list[str]) -> str | None:
    """The study file a manifest entry names: full relative path, else a unique file name or stem."""
    if value in doc_ids:
        return value
    for key in (lambda d: PurePosixPath(d).name, lambda d: PurePosixPath(d).stem):
        hits = [d for d in doc_ids if key(d).lower() == value.lower()]
        if len(hits) == 1:
            return hits[0]
    return None


def apply_manifest(turns: pd.DataFrame, manifest: Manifest, doc_ids: list[str]) -> tuple[pd.DataFrame, list[Problem]]:
    """Turns with the manifest's respondent ids and `meta_*` columns; a Problem per entry that names no file."""
    problems: list[Problem] = []
    turns = turns.copy()
    for column in manifest.columns:
        if column not in turns:
            turns[column] = ""
    for value, (respondent, meta) in manifest.by_file.items():
        doc_id = _match(value, doc_ids)
        if doc_id is None:
            problems.append(Problem(manifest.name, f"row {manifest.lines[value]} names '{value}', which is not a file "
                                                   "in the study folder; fix the name or remove the row"))
            continue
        in_doc = turns["doc_id"] == doc_id
        for column, text in meta.items():
            turns.loc[in_doc, column] = text
        if respondent and (turns.loc[in_doc, "source"] == "interview").any():
            stem = PurePosixPath(doc_id).stem
            ids = turns.loc[in_doc, "respondent_id"]
            renamed = ids.where(ids == "", ids.str.replace(rf"^{re.escape(stem)}(?=$|:)",
                                                             lambda _, new=respondent: new, regex=True))
            turns.loc[in_doc, "respondent_id"] = renamed
    is_respondent = turns["role"] == "respondent"
    for respondent, meta in manifest.by_respondent.items():
        rows = is_respondent & (turns["respondent_id"] == respondent)
        for column, text in meta.items():
            turns.loc[rows, column] = text
    return turns, problems
