"""Every text of a run embedded once per model: statements, questions, topic texts and definition examples.

The steps of a study ask for vectors of many overlapping sets of texts (a question asked of forty respondents,
the definitions' examples for stage, polarity and frames, the coders' statements). `TextVectors` embeds what
the embed step gathers in one pass with one progress bar, and answers every later request from memory; a text
nobody gathered (a codebook's example for a split) is embedded when first asked for and counted in `late`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from pipeline.embed import Embedder, EmbeddingCache, batch_order, embed_texts, vector_name, worker_name
from pipeline.scale import LocalMap, RowMap, chunks, embed_partition

ProgressFn = Callable[[int, int], None]


class TextVectors:
    """Vectors of one embedder for the texts of one run, each text embedded (or read from the cache) once."""

    def __init__(self, embedder: Embedder, cache: EmbeddingCache | None = None, batch_size: int = 64,
                 mapper: RowMap | None = None, partition_rows: int = 20_000) -> None:
        self.embedder = embedder
        self.cache = cache
        self.batch_size = batch_size
        self.mapper = mapper or LocalMap()
        self.partition_rows = partition_rows
        self._known: dict[str, np.ndarray] = {}
        self.late = 0  # texts embedded after the embed step, outside its single pass
        self.late_progress: ProgressFn | None = None  # reports those (the tag step's unsure English statements)

    @property
    def name(self) -> str:
        return self.embedder.name

    def gather(self, texts: Iterable[str], progress: ProgressFn | None = None) -> None:
        """Embed every text not yet known, in one pass (in `batch_order`, so the batches do not depend on the
        order, and a partition on a worker is a run of whole batches of one local pass)."""
        missing = batch_order(set(texts) - self._known.keys())
        if not missing:
            if progress:
                progress(0, 0)
            return
        if isinstance(self.mapper, LocalMap):
            vectors = embed_texts(missing, self.embedder, self.cache, self.batch_size, progress)
        else:
            vectors = self._on_workers(missing, progress)
        self._known.update(zip(missing, vectors, strict=True))

    def _on_workers(self, texts: list[str], progress: ProgressFn | None) -> np.ndarray:
        """The texts the cache lacks, embedded in partitions on the cluster's workers (each loads the model once),
        cut at whole batches so every text meets the same batch as in one local pass."""
        key = vector_name(self.embedder)
        known = self.cache.get(key, texts) if self.cache else {}
        missing = [t for t in texts if t not in known]
        if progress:
            progress(0, len(missing))
        parts = [missing[piece] for piece in chunks(len(missing), self.partition_rows, self.batch_size)]
        for part, vectors in zip(parts, self.mapper.map(embed_partition, parts, model=worker_name(self.embedder),
                                                          batch_size=self.batch_size), strict=True):
            known.update(zip(part, vectors, strict=True))
            if self.cache:
                self.cache.put(key, part, vectors)
        if progress:
            progress(len(missing), len(missing))
        return np.stack([known[t] for t in texts]).astype(np.float32)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per text, in order (float32); the EmbedFn every step takes."""
        texts = list(texts)
        missing = set(texts) - self._known.keys()
        if missing:
            self.late += len(missing)
            self.gather(missing, self.late_progress)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._known[text] for text in texts]).astype(np.float32)

    def __len__(self) -> int:
        return len(self._known)
