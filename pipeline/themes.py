"""Themes: reduce, cluster with HDBSCAN, place outliers, label, pick representative quotes.

Rows are put in content order (text, then segment id) before anything is fitted, so the themes (ids, labels,
members) depend neither on the order of the files or of the rows nor on the files' names.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import hdbscan
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from pipeline.config import ThemesSection
from pipeline.keywords import content_lemmas, ctfidf_keywords, distinct_words, label_from_keywords

# Share of the lexical (LSA) similarity in the space UMAP sees: tuned on Banking77 train (docs/themes.md).
LEXICAL_DIMENSIONS = 200
# Share of statements in one language above which a study counts as monolingual (lexical features on).
MONOLINGUAL_SHARE = 0.9

KEYWORDS = 8  # per theme, each word once

THEME_COLUMNS = ["theme_id", "label", "keywords", "lang", "mentions", "respondents", "quote_ids"]


@dataclass(frozen=True)
class ThemeParams:
    """[themes]'s clustering settings, resolved (neighbours is a number here); defaults are ThemesSection's."""

    min_size: int = ThemesSection.min_size  # 0 = chosen from the number of statements
    dimensions: int = ThemesSection.dimensions
    neighbours: int = 15
    min_samples: int = ThemesSection.min_samples  # 0 = a quarter of min_size
    outlier_neighbours: int = ThemesSection.outlier_neighbours
    outlier_agreement: float = ThemesSection.outlier_agreement
    merge_threshold: float = ThemesSection.merge_threshold  # 0 = never merge clusters
    lexical_weight: float = ThemesSection.lexical_weight  # 0 = embeddings alone; see lexical_features
    quotes: int = 3
    random_state: int = ThemesSection.random_state
    max_share: float = ThemesSection.max_share  # 0 = no cap; see cluster


def auto_min_size(n: int) -> int:
    """Smallest theme: a few statements in a small study, more in a large one (about n/250,
    tuned on Banking77 train; see docs/themes.md)."""
    return int(np.clip(round(n / 250), 3, 60))


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


def lexical_features(texts: list[str], langs: np.ndarray | None, dimensions: int = LEXICAL_DIMENSIONS,
                     random_state: int = 0) -> np.ndarray | None:
    """Latent semantic analysis of the statements' content lemmas (TF-IDF, then truncated SVD), centred per
    language and normalised. It carries the wording that a small embedding model blurs ("card arrival" vs
    "card delivery"); None when there are too few repeated words to say anything."""
    groups = np.asarray(langs) if langs is not None else np.array(["en"] * len(texts))
    documents = [content_lemmas(text, str(lang)) for text, lang in zip(texts, groups, strict=True)]
    try:
        counts = TfidfVectorizer(analyzer=lambda lemmas: lemmas, sublinear_tf=True, min_df=2).fit_transform(documents)
    except ValueError:  # no word said twice
        return None
    n_components = min(dimensions, counts.shape[0] - 1, counts.shape[1] - 1)
    if n_components < 2:
        return None
    latent = TruncatedSVD(n_components, random_state=random_state).fit_transform(counts)
    # A statement with no word said twice sits at the centre's mirror image after centring, like an empty
    # document: unlike the average statement, and near the other wordless ones. Zeroing its lexical part
    # instead was worse on Banking77 (docs/themes.md).
    return centre_by_language(latent, groups)


def lexical_weight_for(langs: np.ndarray | None, weight: float) -> float:
    """The lexical weight to use: `weight` in a (nearly) monolingual study, 0 in a mixed one. Words match only
    within a language, so in a bilingual study the lexical part pulls each language's half of a theme apart
    (on the bundled sample study it split the top planted issue into a Finnish and an English theme)."""
    if weight <= 0 or langs is None or len(langs) == 0:
        return max(weight, 0.0)
    _, counts = np.unique(np.asarray(langs), return_counts=True)
    return weight if counts.max() >= MONOLINGUAL_SHARE * len(langs) else 0.0


def with_lexical(points: np.ndarray, lexical: np.ndarray | None, weight: float) -> np.ndarray:
    """Embedding and LSA side by side, normalised: their cosine is (1 - weight) * semantic + weight * lexical
    similarity for statements with words in the LSA space."""
    if lexical is None or weight <= 0:
        return points
    return normalize(np.hstack([np.sqrt(1 - weight) * points, np.sqrt(weight) * lexical]))


SMALL_STUDY = 30  # fewer points than this: UMAP's graph means nothing, PCA instead


def reduce(points: np.ndarray, dimensions: int, neighbours: int, random_state: int = 0) -> np.ndarray:
    """UMAP to a few dimensions, where density clustering works (it does not in 384). Tiny
    inputs, where UMAP's graph is meaningless, fall back to PCA.

    Identical points (the same answer given by many respondents: "Hyvä palvelu.") are reduced once and share
    their place: with copies in its graph UMAP's spectral start differs from run to run, even with a seed."""
    _, first, inverse = np.unique(points, axis=0, return_index=True, return_inverse=True)
    if SMALL_STUDY <= len(first) < len(points):  # below that a few distinct points: as many copies as were given
        keep = np.sort(first)  # the first copy of each point, in the order given
        position = np.empty(len(first), dtype=int)
        position[np.argsort(first)] = np.arange(len(first))  # np.unique's sorted index -> place in `keep`
        return _reduce_distinct(points[keep], dimensions, neighbours, random_state)[position[inverse.ravel()]]
    return _reduce_distinct(points, dimensions, neighbours, random_state)


def _reduce_distinct(points: np.ndarray, dimensions: int, neighbours: int, random_state: int) -> np.ndarray:
    if len(points) < SMALL_STUDY:
        n_components = min(dimensions, len(points) - 1, points.shape[1])
        return PCA(n_components=n_components, random_state=random_state).fit_transform(points) if n_components >= 2 \
            else points
    import umap  # slow import (numba); only when clustering runs

    from pipeline import umap_pairwise
    from pipeline.portable import cache_umap_kernels

    cache_umap_kernels()
    umap_pairwise.install()
    model = umap.UMAP(n_neighbors=max(2, min(neighbours, len(points) - 1)), n_components=dimensions, min_dist=0.0,
                      metric="cosine", random_state=random_state, n_jobs=1)
    with warnings.catch_warnings():
        # A fixed random_state makes UMAP single-threaded, which it warns about; determinism is the point.
        warnings.filterwarnings("ignore", message=".*n_jobs.*", category=UserWarning)
        return model.fit_transform(points)


def warm_kernels() -> None:
    """Compile UMAP's kernels once (numba keeps them on disk, pipeline.portable.cache_umap_kernels), so the first
    study after `make install` (teema models warm) does not spend its first seconds compiling."""
    points = np.random.default_rng(0).normal(size=(SMALL_STUDY * 4, 16)).astype(np.float32)
    _reduce_distinct(points, 5, 15, 0)


def cluster(points: np.ndarray, min_size: int, min_samples: int = 0, max_share: float = 0.0) -> np.ndarray:
    """HDBSCAN labels; -1 for statements in no dense region.

    In a small study HDBSCAN's excess-of-mass selection can keep the whole tree's first split: 86 statements about
    invoicing, support and sales promises came out as one theme of 65 and one of 21. No cluster may hold more than
    `max_share` of the statements (0: no cap); a larger one gives way to the clusters inside it. Large studies,
    where no theme comes near half, are not affected.
    """
    if len(points) < max(min_size, 2) + 1:
        return np.full(len(points), -1)
    cap = int(np.ceil(max_share * len(points))) if 0 < max_share < 1 else 0
    model = hdbscan.HDBSCAN(min_cluster_size=min_size, min_samples=min_samples or max(2, min_size // 4),
                            metric="euclidean", max_cluster_size=max(cap, min_size + 1) if cap else 0,
                            cluster_selection_method="eom", core_dist_n_jobs=1)
    return model.fit_predict(points.astype(np.float64))


def _centroids(points: np.ndarray, labels: np.ndarray) -> dict[int, np.ndarray]:
    return {c: normalize(points[labels == c].mean(axis=0, keepdims=True))[0]
            for c in sorted(set(labels) - {-1})}


def majority(values: np.ndarray) -> str:
    """Most common value; ties go to the first in sorted order, so the result is stable."""
    names, counts = np.unique(values, return_counts=True)
    return str(names[int(np.argmax(counts))])


def merge_across_languages(points: np.ndarray, labels: np.ndarray, langs: np.ndarray, threshold: float) -> np.ndarray:
    """Join a cluster that is mostly in one language to its nearest cluster mostly in another when
    their centroids are closer than `threshold` (cosine), most similar pair first. Density clustering
    often finds the Finnish and the English side of one theme as two clusters; clusters in the same
    language are left as HDBSCAN found them. A cluster joins once: a joined pair is both sides of its
    theme, and letting it join again chained unrelated small talk into one theme of a sixth of a study."""
    labels = labels.copy()
    if threshold <= 0:
        return labels
    langs = np.asarray(langs)
    joined: set[int] = set()
    while True:
        centroids = _centroids(points, labels)
        ids = [c for c in centroids if c not in joined]
        if len(ids) < 2:
            return labels
        language = np.array([majority(langs[labels == c]) for c in ids])
        matrix = np.stack([centroids[c] for c in ids])
        sims = matrix @ matrix.T
        sims[language[:, None] == language[None, :]] = -np.inf
        i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[i, j] < threshold:
            return labels
        labels[labels == ids[max(i, j)]] = ids[min(i, j)]
        joined.add(ids[min(i, j)])


def place_outliers(points: np.ndarray, labels: np.ndarray, neighbours: int = 10,
                   agreement: float = 0.5) -> np.ndarray:
    """Give each statement HDBSCAN left out the theme most of its nearest clustered neighbours
    have, when at least `agreement` of them share it; otherwise it stays unassigned (-1).
    Neighbour votes beat nearest-centroid placement on Banking77 train (see docs/themes.md)."""
    labels = labels.copy()
    clustered = np.flatnonzero(labels != -1)
    outliers = np.flatnonzero(labels == -1)
    if len(clustered) == 0 or len(outliers) == 0:
        return labels
    k = min(neighbours, len(clustered))
    for start in range(0, len(outliers), 1024):
        rows = outliers[start:start + 1024]
        sims = points[rows] @ points[clustered].T
        nearest = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        for row, picks in zip(rows, nearest, strict=True):
            votes = labels[clustered[picks]]
            values, counts = np.unique(votes, return_counts=True)
            if counts.max() >= agreement * k:
                labels[row] = values[int(np.argmax(counts))]
    return labels


def similarity_to_theme(points: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Cosine of each statement to its theme's centroid (0 for unassigned)."""
    similarity = np.zeros(len(points))
    for label, centroid in _centroids(points, labels).items():
        mask = labels == label
        similarity[mask] = points[mask] @ centroid
    return similarity


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


def content_order(segments: pd.DataFrame) -> np.ndarray:
    """Row order by text, then segment id: the same statements give the same order whatever the files are called
    or however the rows are sorted (segment ids hash the file name and the position)."""
    return np.lexsort((segments["segment_id"].to_numpy(), segments["text"].to_numpy()))


def fit_themes(segments: pd.DataFrame, vectors: np.ndarray, params: ThemeParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cluster statements into themes.

    `segments` holds the statements to code (segment_id, text, lang, respondent_id) and `vectors`
    their embeddings, row for row. Returns (assignments: segment_id, theme_id, theme_similarity,
    unassigned_reason) and the themes table.
    """
    order = content_order(segments)
    rows = segments.iloc[order].reset_index(drop=True)
    points = centre_by_language(vectors[order], rows["lang"].to_numpy())
    min_size = params.min_size or auto_min_size(len(rows))
    weight = lexical_weight_for(rows["lang"].to_numpy(), params.lexical_weight)
    lexical = lexical_features(rows["text"].tolist(), rows["lang"].to_numpy(), random_state=params.random_state) \
        if weight > 0 else None
    hybrid = with_lexical(points, lexical, weight)
    reduced = reduce(hybrid, params.dimensions, params.neighbours, params.random_state)
    raw = cluster(reduced, min_size, params.min_samples, params.max_share)
    raw = merge_across_languages(points, raw, rows["lang"].to_numpy(), params.merge_threshold)
    labels = place_outliers(hybrid, raw, params.outlier_neighbours, params.outlier_agreement)
    similarity = similarity_to_theme(points, labels)

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


def describe_themes(rows: pd.DataFrame, points: np.ndarray, n_quotes: int = 3, named: bool = False) -> pd.DataFrame:
    """Label, keywords, counts and representative quotes for each theme. `named`: the label is a short phrase
    from the theme's statements (pipeline.theme_names), for broad themes; else its keywords joined."""
    from pipeline.theme_names import theme_name

    assigned = rows["theme_id"] != ""
    keywords = ctfidf_keywords(rows.loc[assigned, "text"].tolist(), rows.loc[assigned, "lang"].tolist(),
                               rows.loc[assigned, "theme_id"].tolist(), top_n=2 * KEYWORDS)
    records = []
    for theme_id in sorted(rows.loc[assigned, "theme_id"].unique()):
        mask = (rows["theme_id"] == theme_id).to_numpy()
        members = rows[mask]
        member_points = points[mask]
        centroid = normalize(member_points.mean(axis=0, keepdims=True))[0]
        lang = majority(members["lang"].to_numpy())
        terms = keywords.get(theme_id, [])
        picks = representative(member_points, centroid, n_quotes)
        label = label_from_keywords(terms, lang)
        if named:
            label = theme_name(members["text"].tolist(), members["lang"].tolist(), member_points, centroid, terms,
                               lang, label)
        records.append({
            "theme_id": theme_id,
            "label": label,
            "keywords": ", ".join(distinct_words(terms, KEYWORDS)),
            "lang": lang,
            "mentions": int(mask.sum()),
            "respondents": int(members["respondent_id"].nunique()),
            "quote_ids": [members["segment_id"].iloc[i] for i in picks],
        })
    return pd.DataFrame(records, columns=THEME_COLUMNS)
