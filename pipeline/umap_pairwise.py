"""UMAP's all-pairs cosine distances for a small study, computed in compiled code with the very same bits.

Below 4,096 points UMAP computes every pairwise distance exactly, handing its numba `cosine` to scikit-learn's
`pairwise_distances`, which calls it from Python once per pair: about a million calls for the sample, 3-6 s of every
run on 2 cores. `exact_cosine_pairs` runs the same `cosine` over the same pairs inside one compiled loop, the upper
triangle mirrored and the diagonal filled afterwards as scikit-learn does, so the matrix is identical to the bit
(tests/test_umap_pairwise.py) and so are the themes. Every other call goes to scikit-learn unchanged.
"""

from __future__ import annotations

import numba
import numpy as np
from umap.distances import cosine

from pipeline.portable import keep_compiled

# Imported only where UMAP runs (pipeline.themes), after umap itself: numba and umap are slow to import.


def _all_pairs(points: np.ndarray) -> np.ndarray:
    """scikit-learn's `pairwise_distances(points, metric=umap.distances.cosine)`, compiled."""
    n = points.shape[0]
    out = np.zeros((n, n), dtype=points.dtype)
    for i in range(n):
        for j in range(i + 1, n):
            out[i, j] = cosine(points[i], points[j])
    out = out + out.T
    for i in range(n):
        out[i, i] = cosine(points[i], points[i])
    return out


exact_cosine_pairs = numba.njit(_all_pairs)
keep_compiled(exact_cosine_pairs)  # kept on disk like UMAP's own kernels


def install() -> None:
    """Route UMAP's small-data pairwise distances through `exact_cosine_pairs` when they are dense, finite cosine
    distances of one array; anything else (another metric, sparse or non-finite input, keywords) goes to
    scikit-learn as before. Idempotent."""
    import umap.umap_ as umap_module

    original = umap_module.pairwise_distances
    if getattr(original, "teema_exact_cosine", False):
        return

    def pairwise_distances(X, Y=None, metric="euclidean", **kwds):  # noqa: N803 (scikit-learn's names)
        dense = isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype in (np.float32, np.float64)
        if Y is None and not kwds and metric is cosine and dense and np.isfinite(X).all():
            return exact_cosine_pairs(np.ascontiguousarray(X))
        return original(X, Y, metric=metric, **kwds)

    pairwise_distances.teema_exact_cosine = True
    umap_module.pairwise_distances = pairwise_distances
