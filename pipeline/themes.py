"""Themes: reduce, cluster with HDBSCAN, place outliers, label, pick representative quotes.

Rows are put in segment-id order before anything is fitted, so the themes (ids, labels,
members) do not depend on the order of the files or of the rows.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import hdbscan
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.preprocessing import normalize

from pipeline.keywords import ctfidf_keywords, label_from_keywords

THEME_COLUMNS = ["theme_id", "label", "keywords", "lang", "mentions", "respondents", "quote_ids"]


@dataclass(frozen=True)
class ThemeParams:
    min_size: int = 0  # 0 = chosen from the number of statements
    dimensions: int = 5
    neighbours: int = 15
    min_samples: int = 0  # 0 = same as min_size
    outlier_threshold: float = 0.0  # 0 = each theme's own spread decides
    merge_threshold: float = 0.45  # 0 = never merge clusters
    quotes: int = 3
    random_state: int = 0


def auto_min_size(n: int) -> int:
    """Smallest theme: a few statements in a small study, more in a large one."""
    return int(np.clip(round(n / 200), 3, 15))


def centre_by_language(vectors: np.ndarray, langs: np.ndarray | None) -> np.ndarray:
    """Subtract each language's mean vector and normalise. Removes the shared direction that
    squeezes E5 cosines into a narrow band, and much of what separates Finnish from English,
    so statements group by meaning rather than by language."""
    centred = vectors.astype(np.float64).copy()
    groups = np.asarray(langs) if langs is not None else np.zeros(len(vectors))
    for group in np.unique(groups):
        mask = groups == group
        centred[mask] -= centred[mask].mean(axis=0)
    return normalize(centred)


def reduce(points: np.ndarray, dimensions: int, neighbours: int, random_state: int = 0) -> np.ndarray:
    """UMAP to a few dimensions, where density clustering works (it does not in 384). Tiny
    inputs, where UMAP's graph is meaningless, fall back to PCA."""
    if len(points) < 30:
        n_components = min(dimensions, len(points) - 1, points.shape[1])
        return PCA(n_components=n_components, random_state=random_state).fit_transform(points) if n_components >= 2 \
            else points
    import umap  # slow import (numba); only when clustering runs

    model = umap.UMAP(n_neighbors=min(neighbours, len(points) - 1), n_components=dimensions, min_dist=0.0,
                      metric="cosine", random_state=random_state, n_jobs=1)
    with warnings.catch_warnings():
        # A fixed random_state makes UMAP single-threaded, which it warns about; determinism is the point.
        warnings.filterwarnings("ignore", message=".*n_jobs.*", category=UserWarning)
        return model.fit_transform(points)


def cluster(points: np.ndarray, min_size: int, min_samples: int = 0) -> np.ndarray:
    """HDBSCAN labels; -1 for statements in no dense region."""
    if len(points) < max(min_size, 2) + 1:
        return np.full(len(points), -1)
    model = hdbscan.HDBSCAN(min_cluster_size=min_size, min_samples=min_samples or min_size, metric="euclidean",
                            cluster_selection_method="eom", core_dist_n_jobs=1)
    return model.fit_predict(points.astype(np.float64))


def _centroids(points: np.ndarray, labels: np.ndarray) -> dict[int, np.ndarray]:
    return {c: normalize(points[labels == c].mean(axis=0, keepdims=True))[0]
            for c in sorted(set(labels) - {-1})}


def merge_similar(points: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Join clusters whose centroids are closer than `threshold` (cosine), most similar pair first.
    Density clustering often finds the Finnish and the English side of one theme as two clusters."""
    labels = labels.copy()
    if threshold <= 0:
        return labels
    while True:
        centroids = _centroids(points, labels)
        if len(centroids) < 2:
            return labels
        ids = list(centroids)
        matrix = np.stack([centroids[c] for c in ids])
        sims = matrix @ matrix.T
        np.fill_diagonal(sims, -np.inf)
        i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[i, j] < threshold:
            return labels
        labels[labels == ids[max(i, j)]] = ids[min(i, j)]


def place_outliers(points: np.ndarray, labels: np.ndarray, threshold: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Give each outlier the nearest theme when it is as close as that theme's own typical member
    (or `threshold`, when set). Returns the new labels and each point's similarity to its theme."""
    centroids = _centroids(points, labels)
    similarity = np.zeros(len(points))
    if not centroids:
        return labels, similarity
    ids = np.array(list(centroids))
    matrix = np.stack([centroids[c] for c in ids])
    sims = points @ matrix.T
    floors = {}
    for column, c in enumerate(ids):
        member_sims = sims[labels == c, column]
        floors[c] = threshold or float(np.quantile(member_sims, 0.1))
    new_labels = labels.copy()
    for row in np.flatnonzero(labels == -1):
        column = int(np.argmax(sims[row]))
        if sims[row, column] >= floors[ids[column]]:
            new_labels[row] = ids[column]
    for row, label in enumerate(new_labels):
        if label != -1:
            similarity[row] = sims[row, int(np.flatnonzero(ids == label)[0])]
    return new_labels, similarity


def representative(points: np.ndarray, centroid: np.ndarray, k: int, diversity: float = 0.3) -> list[int]:
    """Indices of k members that are typical (near the centroid) and unlike each other (MMR)."""
    to_centre = points @ centroid
    chosen = [int(np.argmax(to_centre))]
    while len(chosen) < min(k, len(points)):
        redundancy = (points @ points[chosen].T).max(axis=1)
        score = (1 - diversity) * to_centre - diversity * redundancy
        score[chosen] = -np.inf
        chosen.append(int(np.argmax(score)))
    return chosen


def fit_themes(segments: pd.DataFrame, vectors: np.ndarray, params: ThemeParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cluster statements into themes.

    `segments` holds the statements to code (segment_id, text, lang, respondent_id) and `vectors`
    their embeddings, row for row. Returns (assignments: segment_id, theme_id, theme_similarity,
    unassigned_reason) and the themes table.
    """
    order = np.argsort(segments["segment_id"].to_numpy(), kind="stable")
    rows = segments.iloc[order].reset_index(drop=True)
    points = centre_by_language(vectors[order], rows["lang"].to_numpy())
    min_size = params.min_size or auto_min_size(len(rows))
    reduced = reduce(points, params.dimensions, params.neighbours, params.random_state)
    raw = merge_similar(points, cluster(reduced, min_size, params.min_samples), params.merge_threshold)
    labels, similarity = place_outliers(points, raw, params.outlier_threshold)

    # Theme ids by size, largest first; ties broken by the smallest member id (already sorted).
    sizes = pd.Series(labels[labels != -1]).value_counts()
    first_member = {c: int(np.flatnonzero(labels == c)[0]) for c in sizes.index}
    ranked = sorted(sizes.index, key=lambda c: (-sizes[c], first_member[c]))
    width = max(2, len(str(len(ranked))))
    theme_of = {c: f"T{i + 1:0{width}d}" for i, c in enumerate(ranked)}

    theme_ids = [theme_of.get(c, "") for c in labels]
    assignments = pd.DataFrame({
        "segment_id": rows["segment_id"],
        "theme_id": theme_ids,
        "theme_similarity": np.round(similarity, 4),
        "unassigned_reason": ["" if t else "no close theme" for t in theme_ids],
    })
    themes = describe_themes(rows.assign(theme_id=theme_ids), points, params.quotes)
    return assignments, themes


def describe_themes(rows: pd.DataFrame, points: np.ndarray, n_quotes: int = 3) -> pd.DataFrame:
    """Label, keywords, counts and representative quotes for each theme."""
    assigned = rows["theme_id"] != ""
    keywords = ctfidf_keywords(rows.loc[assigned, "text"].tolist(), rows.loc[assigned, "lang"].tolist(),
                               rows.loc[assigned, "theme_id"].tolist())
    records = []
    for theme_id in sorted(rows.loc[assigned, "theme_id"].unique()):
        mask = (rows["theme_id"] == theme_id).to_numpy()
        members = rows[mask]
        member_points = points[mask]
        centroid = normalize(member_points.mean(axis=0, keepdims=True))[0]
        lang = members["lang"].value_counts().sort_index().idxmax()
        terms = keywords.get(theme_id, [])
        picks = representative(member_points, centroid, n_quotes)
        records.append({
            "theme_id": theme_id,
            "label": label_from_keywords(terms, lang),
            "keywords": ", ".join(word for word, _ in terms),
            "lang": lang,
            "mentions": int(mask.sum()),
            "respondents": int(members["respondent_id"].nunique()),
            "quote_ids": [members["segment_id"].iloc[i] for i in picks],
        })
    return pd.DataFrame(records, columns=THEME_COLUMNS)
