"""Results of slow, deterministic steps on disk, keyed by a hash of their exact inputs.

A re-run of an unchanged wave then skips the clustering (UMAP + HDBSCAN, with numba's compile) and the
name recogniser: the same inputs, the same code and the same library versions give the stored result,
which is what a cold run computed, byte for byte. Any change (one statement, a parameter, teema's code,
a library upgrade) gives another key, so a stale result is never used.

The results live beside the embeddings (`embeddings.sqlite` -> `results.sqlite` in the same cache folder,
~/.cache/teema or $TEEMA_CACHE_DIR): on the researcher's machine only, as the embeddings are, and
`--no-cache` turns both off. Entries are pickles this cache wrote itself; delete the folder to clear it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from pipeline import __version__

RESULTS_FILE = "results.sqlite"
T = TypeVar("T")


class ResultCache:
    """Pickled results in SQLite, keyed by (kind, sha256 of the inputs)."""

    def __init__(self, directory: Path, study: str = "") -> None:
        from pipeline.cache_owners import prepare, private_folder

        private_folder(directory)
        self.directory = directory
        self.study = study  # pipeline.cache_owners.study_key of the study whose run uses it ('' = none recorded)
        self._db = sqlite3.connect(directory / RESULTS_FILE, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS results (kind TEXT, key TEXT, value BLOB, "
                         "PRIMARY KEY (kind, key))")
        prepare(self._db)

    @classmethod
    def beside(cls, embeddings: Any) -> ResultCache | None:
        """The result cache in the embedding cache's folder (or `embeddings` itself when it is a ResultCache);
        None when caching is off (no embedding cache, or one without a folder)."""
        if isinstance(embeddings, ResultCache):
            return embeddings
        directory = getattr(embeddings, "directory", None)
        if directory is None:
            return None
        try:
            return cls(Path(directory), getattr(embeddings, "study", ""))
        except (sqlite3.Error, OSError):  # a damaged or unwritable results.sqlite: run without it
            return None

    def get_many(self, kind: str, keys: Sequence[str]) -> dict[str, Any]:
        """The stored results of the keys that have one (an unreadable entry counts as missing)."""
        found: dict[str, Any] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(f"SELECT key, value FROM results WHERE kind = ? AND key IN ({marks})",
                                        [kind, *chunk]).fetchall()
            except sqlite3.Error:  # locked by another run, or damaged: computed again, never a failed run
                return found
            for key, blob in rows:
                try:
                    found[key] = pickle.loads(blob)
                except Exception:  # an entry from an incompatible library version: computed again
                    continue
        self._own(found)
        return found

    def put_many(self, kind: str, items: Iterable[tuple[str, Any]]) -> None:
        """Store results; a cache that cannot be written (locked, disk full) only costs the next run time."""
        rows = [(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) for key, value in items]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?)", rows)
        except sqlite3.Error:
            return
        self._own(key for _, key, _ in rows)

    def _own(self, keys: Iterable[str]) -> None:
        from pipeline.cache_owners import record

        record(self._db, self.study, keys)

    def get(self, kind: str, key: str) -> tuple[bool, Any]:
        """(True, result) when stored, else (False, None)."""
        found = self.get_many(kind, [key])
        return (True, found[key]) if key in found else (False, None)

    def put(self, kind: str, key: str, value: Any) -> None:
        self.put_many(kind, [(key, value)])


def _feed(digest: Any, part: Any) -> None:
    """Add one input to a hash: its type and exact content (arrays by dtype, shape and bytes)."""
    if isinstance(part, pd.DataFrame):
        digest.update(f"frame:{list(map(str, part.columns))}:{[str(t) for t in part.dtypes]}:{len(part)}".encode())
        _feed(digest, part.index.to_numpy())
        for column in part.columns:
            _feed(digest, part[column].to_numpy())
    elif isinstance(part, pd.Series):
        _feed(digest, part.to_frame())
    elif isinstance(part, np.ndarray):
        if part.dtype == object:
            digest.update(f"objects:{part.shape}".encode())
            for value in part.ravel():
                _feed(digest, value)
        else:
            digest.update(f"array:{part.dtype.str}:{part.shape}".encode())
            digest.update(np.ascontiguousarray(part).tobytes())
    elif dataclasses.is_dataclass(part) and not isinstance(part, type):
        digest.update(f"dataclass:{type(part).__qualname__}".encode())
        for item in dataclasses.fields(part):
            _feed(digest, item.name)
            _feed(digest, getattr(part, item.name))
    elif isinstance(part, list | tuple):
        digest.update(f"seq:{len(part)}".encode())
        for value in part:
            _feed(digest, value)
    elif isinstance(part, float) and part != part:
        digest.update(b"nan")
    else:
        digest.update(f"{type(part).__name__}:{part!r}".encode())
    digest.update(b"\0")


def fingerprint(*parts: Any) -> str:
    """sha256 of inputs: DataFrames, arrays, dataclasses, sequences and plain values, in order."""
    digest = hashlib.sha256()
    for part in parts:
        _feed(digest, part)
    return digest.hexdigest()


def code_fingerprint(modules: Sequence[str], packages: Sequence[str] = ()) -> str:
    """The source of teema's modules that compute a result and the versions of the libraries they use,
    so that a changed algorithm or an upgrade never returns an old result."""
    parts: list[str] = [__version__]
    for name in modules:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        parts.append(Path(origin).read_text(encoding="utf-8") if origin else name)
    for package in packages:
        try:
            parts.append(f"{package}=={importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{package} missing")
    return fingerprint(*parts)


THEMES_CODE = (("pipeline.themes", "pipeline.hierarchy", "pipeline.theme_model", "pipeline.keywords",
                "pipeline.lexicon"),
               ("umap-learn", "hdbscan", "scikit-learn", "numpy", "numba", "pandas", "simplemma", "networkx"))


def cached(cache: ResultCache | None, kind: str, inputs: tuple, compute: Callable[[], T],
           code: tuple[Sequence[str], Sequence[str]] = ((), ())) -> T:
    """`compute()`, or its stored result for exactly these inputs and this code; stored when computed."""
    if cache is None:
        return compute()
    key = fingerprint(code_fingerprint(*code), *inputs)
    hit, value = cache.get(kind, key)
    if hit:
        return value
    value = compute()
    cache.put(kind, key, value)
    return value


def themes_cached(cache: Any, compute: Callable[[], T], *inputs: Any) -> T:
    """fit_themes' result for these exact inputs (statements, vectors, parameters, embedder), from the cache
    beside the embeddings when a run already computed it (for the same numba target: pipeline/portable.py)."""
    from pipeline.portable import numba_target

    return cached(ResultCache.beside(cache), "themes", (*inputs, numba_target()), compute, THEMES_CODE)
