"""Past one machine: a study's row-wise work (segmenting, embedding, assigning, tagging) as partitions on Dask.

A year of NPS feedback (a million rows) is mostly row-wise work: every turn is segmented on its own, every text
embedded on its own, every statement assigned to the fitted themes on its own and scored by the stage and
polarity classifiers on its own. Those run as partitions on the workers of an existing Dask cluster; what needs
all rows at once (fitting the theme model on its sample, a theme's common stage, ranking) runs on the client.
Each worker task is a plain function of its partition, so a partition gives the same answer on any worker,
and `LocalMap` (the same partitions, one after another) gives the same answer as a cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import pandas as pd


class ScaleError(RuntimeError):
    """The Dask scheduler cannot be reached or used; the message says what to check."""


class RowMap(Protocol):
    """Runs `fn` on each partition and returns the results in order."""

    workers: int

    def map(self, fn: Callable[..., Any], partitions: Sequence[Any], **kwargs: Any) -> list[Any]: ...


class LocalMap:
    """The partitions one after another in this process: what a run without a cluster does."""

    workers = 1

    def map(self, fn: Callable[..., Any], partitions: Sequence[Any], **kwargs: Any) -> list[Any]:
        return [fn(part, **kwargs) for part in partitions]


class DaskMap:
    """The partitions as tasks on a Dask cluster; results gathered in order."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def map(self, fn: Callable[..., Any], partitions: Sequence[Any], **kwargs: Any) -> list[Any]:
        if not partitions:
            return []
        # hash=False: content-hashed keys are shared between calls, and a key an earlier call releases can vanish
        # under a later call's tasks ("lost dependencies", once in a full test run).
        shared = {name: self.client.scatter(value, broadcast=True, hash=False) if _large(value) else value
                  for name, value in kwargs.items()}
        # Scattered, the partitions travel to the workers as data, not inside a task graph that the scheduler holds.
        parts = self.client.scatter(list(partitions), hash=False)
        # Client.map's own keywords (batch_size, key, workers, ...) would swallow a task's: pass them as one dict.
        futures = self.client.map(_apply, parts, task=fn, options=shared, pure=False)
        return self.client.gather(futures)


def _apply(part: Any, task: Callable[..., Any], options: dict[str, Any]) -> Any:
    return task(part, **options)


def _large(value: Any) -> bool:
    return isinstance(value, np.ndarray | pd.DataFrame) or hasattr(value, "prototypes_")


def connect(address: str, timeout: float = 10.0) -> DaskMap:
    """A client of the Dask scheduler at `address` (tcp://host:8786); ScaleError when it cannot be reached."""
    try:
        from distributed import Client
    except ImportError as err:  # pragma: no cover - dask is a dependency
        raise ScaleError("Dask is not installed: make install") from err
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise ScaleError(f"cannot reach the Dask scheduler at {address} ({err}); check the address and that the "
                         "scheduler runs (dask scheduler), or run without --scheduler") from err
    return DaskMap(client)


def chunks(n: int, size: int, align: int = 1) -> list[slice]:
    """Slices of at most `size` rows (a multiple of `align`, so an embedder's batches are the same as in one pass)."""
    size = max(align, (max(size, 1) // align) * align)
    return [slice(start, min(start + size, n)) for start in range(0, n, size)]


@lru_cache(maxsize=4)
def _embedder(name: str):
    """One loaded model per worker process and model name: loading costs seconds, embedding a partition less."""
    from pipeline.embed import load_embedder

    return load_embedder(name)


def embed_partition(texts: list[str], model: str, batch_size: int) -> np.ndarray:
    """A worker task: the vectors of `texts` (already unique and in `batch_order`), in order, in the batches of
    one pass."""
    from pipeline.embed import embed_texts

    return embed_texts(texts, _embedder(model), None, batch_size)


def segment_partition(turns: pd.DataFrame, wave: str, language: str, split_feedback: bool,
                      doc_languages: dict[str, str]) -> pd.DataFrame:
    """A worker task: the statements of these turns (each turn is segmented on its own)."""
    from pipeline.corpus.segment import segment_turns

    return segment_turns(turns, wave, language, split_feedback, doc_languages=doc_languages)


def segment_rows(mapper: RowMap, turns: pd.DataFrame, wave: str, language: str, split_feedback: bool,
                 partition_rows: int) -> pd.DataFrame:
    """segment_turns over partitions of the turns; the documents' languages are found once, from all turns."""
    from pipeline.corpus.segment import SCORE_COLUMNS, document_languages

    doc_languages = document_languages(turns, language)
    parts = [turns.iloc[piece] for piece in chunks(len(turns), partition_rows)] or [turns]
    frames = mapper.map(segment_partition, parts, wave=wave, language=language, split_feedback=split_feedback,
                        doc_languages=doc_languages)
    segments = pd.concat(frames, ignore_index=True)
    for column in SCORE_COLUMNS:
        segments[column] = segments[column].astype("float64")
    return segments


def assign_partition(rows: tuple[np.ndarray, np.ndarray], model: Any) -> tuple[np.ndarray, np.ndarray]:
    """A worker task: theme and sub-theme numbers of these rows' (vectors, languages)."""
    vectors, langs = rows
    assigned = model.assign(vectors, langs)
    return assigned.theme_number, assigned.subtheme_number


def assign_rows(mapper: RowMap, model: Any, vectors: np.ndarray, langs: np.ndarray, partition_rows: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """ThemeModel.assign over partitions of the rows (each row is assigned on its own)."""
    if len(vectors) == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    parts = [(vectors[piece], langs[piece]) for piece in chunks(len(vectors), partition_rows)]
    results = mapper.map(assign_partition, parts, model=model)
    return np.concatenate([r[0] for r in results]), np.concatenate([r[1] for r in results])


def probabilities_partition(vectors: np.ndarray, model: Any) -> np.ndarray:
    """A worker task: a fitted classifier's class probabilities for these vectors."""
    return model.predict_proba(vectors)


def predict_proba_rows(mapper: RowMap, model: Any, vectors: np.ndarray, partition_rows: int) -> np.ndarray:
    """`model.predict_proba` over partitions of the rows."""
    if len(vectors) == 0 or isinstance(mapper, LocalMap):
        return model.predict_proba(vectors)
    parts = [vectors[piece] for piece in chunks(len(vectors), partition_rows)]
    return np.vstack(mapper.map(probabilities_partition, parts, model=model))


class PartitionedClassifier:
    """A fitted classifier whose `predict_proba` runs over partitions of the rows (on the cluster, when there
    is one); what the tagger reads of a classifier (`classes_`, `predict_proba`) and nothing more."""

    def __init__(self, model: Any, mapper: RowMap, partition_rows: int) -> None:
        self.model, self.mapper, self.partition_rows = model, mapper, partition_rows

    @property
    def classes_(self) -> np.ndarray:
        return self.model.classes_

    def predict_proba(self, vectors: np.ndarray) -> np.ndarray:
        return predict_proba_rows(self.mapper, self.model, vectors, self.partition_rows)
