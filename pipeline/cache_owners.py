"""Which study each cache entry came from, so `teema forget STUDY` can remove exactly that study's entries.

The caches (pipeline/embed.py's vectors, pipeline/result_cache.py's results) hold no text: their keys are sha256
hashes of the inputs. But a vector is derived from a statement, and a researcher who deletes a study, or a
respondent who withdraws consent, needs its traces gone from the machine too. Each cache's SQLite file therefore
has an `owners` table: (study, key) for every entry a study's run read or wrote, the study named by a hash of its
folder's absolute path (no path, no name on disk). Entries written before the table existed have no owner; `forget`
says how many and that deleting the cache folder removes them.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

OWNERS_DDL = "CREATE TABLE IF NOT EXISTS owners (study TEXT, key TEXT, PRIMARY KEY (study, key)) WITHOUT ROWID"


def study_key(study_dir: Path | str) -> str:
    """The study's name in the caches: sha256 of its folder's absolute, resolved path."""
    return hashlib.sha256(str(Path(study_dir).expanduser().resolve()).encode("utf-8")).hexdigest()


def prepare(db: sqlite3.Connection) -> None:
    """The owners table, and deletes that overwrite the freed pages (a forgotten vector is not left on disk)."""
    db.execute("PRAGMA secure_delete = ON")
    db.execute(OWNERS_DDL)


def private_folder(directory: Path) -> None:
    """Create the cache folder readable by its owner only (other accounts on a shared machine see nothing)."""
    existed = directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    if not existed and os.name == "posix":
        os.chmod(directory, 0o700)


def record(db: sqlite3.Connection, study: str, keys: Iterable[str]) -> None:
    """Note that `study` used these entries; never fails a run (a locked or read-only cache only forgets less)."""
    if not study:
        return
    rows = [(study, key) for key in keys]
    if not rows:
        return
    try:
        with db:
            db.executemany("INSERT OR IGNORE INTO owners VALUES (?, ?)", rows)
    except sqlite3.Error:
        return
