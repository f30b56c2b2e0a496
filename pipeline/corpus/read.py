"""A study folder to a table of speaker turns, one reader per file format.

One bad file never sinks a study: it becomes a `Problem` (file + what to do) and the rest is read.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline.config import StudyConfig
from pipeline.corpus.decode import decode_text
from pipeline.corpus.feedback import parse_feedback
from pipeline.corpus.problems import Problem, ReadError
from pipeline.corpus.transcripts import parse_transcript

TURN_COLUMNS = ["doc_id", "respondent_id", "source", "speaker", "role", "text", "line", "location",
                "date", "nps", "question"]
MAX_FILE_BYTES = 50_000_000


def _transcript_rows(path: Path, doc_id: str, config: StudyConfig) -> list[dict]:
    turns = parse_transcript(decode_text(path.read_bytes()))
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
            "location": f"{doc_id}:{turn.timestamp or turn.line}",
            "date": "",
            "nps": None,
            "question": question if turn.role == "respondent" else "",
        })
    return rows


def _feedback_rows(path: Path, doc_id: str, config: StudyConfig) -> list[dict]:
    rows = parse_feedback(decode_text(path.read_bytes()), path.stem, config.feedback)
    if not rows:
        raise ReadError("the CSV has no rows with text; check that the text column is filled in")
    return [{
        "doc_id": doc_id,
        "respondent_id": row.respondent_id,
        "source": "feedback",
        "speaker": row.respondent_id,
        "role": "respondent",
        "text": row.text,
        "line": row.line,
        "location": f"{doc_id}:{row.line}",
        "date": row.date,
        "nps": row.nps,
        "question": "",
    } for row in rows]


READERS: dict[str, Callable[[Path, str, StudyConfig], list[dict]]] = {
    ".txt": _transcript_rows,
    ".md": _transcript_rows,
    ".csv": _feedback_rows,
}


def study_files(study_dir: Path, config: StudyConfig) -> list[Path]:
    """Every visible file below the study folder, in a fixed order, minus excluded names."""
    files = []
    for path in sorted(study_dir.rglob("*")):
        relative = path.relative_to(study_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in config.study.exclude):
            continue
        files.append(path)
    return files


def read_study(study_dir: Path, config: StudyConfig) -> tuple[pd.DataFrame, list[Problem]]:
    """All turns of all readable files, and a Problem for each file that could not be used."""
    rows: list[dict] = []
    problems: list[Problem] = []
    for path in study_files(study_dir, config):
        doc_id = path.relative_to(study_dir).as_posix()
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            problems.append(Problem(doc_id, f"'{path.suffix or 'no extension'}' files are not read; "
                                    f"export it as {', '.join(sorted(READERS))}"))
            continue
        if path.stat().st_size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 1_000_000
            problems.append(Problem(doc_id, f"larger than {limit} MB; split it into smaller files"))
            continue
        if path.stat().st_size == 0:
            problems.append(Problem(doc_id, "the file is empty"))
            continue
        try:
            rows.extend(reader(path, doc_id, config))
        except ReadError as err:
            problems.append(Problem(doc_id, str(err)))
        except OSError as err:
            problems.append(Problem(doc_id, f"cannot be opened ({err.strerror}); check its permissions"))
    turns = pd.DataFrame(rows, columns=TURN_COLUMNS)
    turns["nps"] = turns["nps"].astype("float64")
    return turns, problems
