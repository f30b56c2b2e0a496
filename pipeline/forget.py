"""Remove one study's entries from the caches (`teema forget STUDY`).

The vectors and results a study's runs used (pipeline/cache_owners.py) are deleted with SQLite's secure_delete
on and the files are vacuumed afterwards, so the freed pages do not keep the old bytes. Another study that shared
an entry (the same statement) only embeds it again. The study folder and its reports are never touched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pipeline.cache_owners import prepare, study_key
from pipeline.result_cache import RESULTS_FILE

EMBEDDINGS_FILE = "embeddings.sqlite"
# file -> (table of entries, its key column)
STORES = {EMBEDDINGS_FILE: ("vectors", "key"), RESULTS_FILE: ("results", "key")}


@dataclass(frozen=True)
class Forgotten:
    """What `forget_study` removed, and how many entries in the caches have no owner recorded (older runs)."""

    removed: dict[str, int]
    unowned: dict[str, int]


def _forget_in(path: Path, study: str, table: str, column: str) -> tuple[int, int]:
    db = sqlite3.connect(path, timeout=30)
    try:
        prepare(db)
        if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone():
            return 0, 0
        with db:
            removed = db.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT key FROM owners WHERE study = ?)",
                                 (study,)).rowcount
            db.execute("DELETE FROM owners WHERE study = ?", (study,))
        unowned = db.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} NOT IN (SELECT key FROM owners)"
                             ).fetchone()[0]
        db.execute("VACUUM")
        return removed, unowned
    finally:
        db.close()


def forget_study(cache_dir: Path, study_dir: Path) -> Forgotten:
    """Delete every cache entry recorded for `study_dir` from the caches in `cache_dir`."""
    study = study_key(study_dir)
    removed, unowned = {}, {}
    for name, (table, column) in STORES.items():
        path = cache_dir / name
        if path.is_file():
            removed[name], unowned[name] = _forget_in(path, study, table, column)
    return Forgotten(removed, unowned)
