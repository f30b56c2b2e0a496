"""UMAP's small-data distances computed in one compiled loop: the same matrix to the bit, so the same themes."""

import numpy as np
import pytest

umap_module = pytest.importorskip("umap.umap_")

from sklearn.metrics import pairwise_distances  # noqa: E402
from umap.distances import cosine  # noqa: E402

from pipeline.umap_pairwise import exact_cosine_pairs, install  # noqa: E402


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_matrix_is_scikit_learns_to_the_bit(dtype):
    points = np.random.default_rng(3).normal(size=(120, 48)).astype(dtype)
    points[7] = points[3]  # a copy, as identical answers give
    points[11] = 0.0  # a point with no direction
    expected = pairwise_distances(points, metric=cosine)
    found = exact_cosine_pairs(points)
    assert found.dtype == expected.dtype
    assert np.array_equal(found, expected)


def test_umap_uses_it_for_cosine_and_scikit_learn_for_anything_else():
    install()
    install()  # idempotent: not wrapped twice
    routed = umap_module.pairwise_distances
    assert routed.teema_exact_cosine
    points = np.random.default_rng(4).normal(size=(40, 8)).astype(np.float32)
    assert np.array_equal(routed(points, metric=cosine), pairwise_distances(points, metric=cosine))
    assert np.array_equal(routed(points, metric="euclidean"), pairwise_distances(points, metric="euclidean"))
    with_nan = points.copy()
    with_nan[0, 0] = np.nan
    with pytest.raises(ValueError):
        routed(with_nan, metric=cosine)
