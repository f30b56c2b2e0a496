"""Two levels of themes: broad themes (what issues count and rank) made of sub-themes (the fine clusters).

A careful coder groups by what a statement is about (invoices, support, the mobile app), in whichever
language it was said. The fine clusters of `pipeline.themes` follow the embedding closely and split one issue
into many fragments (by wording, by interview context, by language), so counts at that level understate every
issue. The top level is fitted top-down on a topic space: the statement's vector beside the vector of its
content lemmas alone ("lasku summa väärä"), which strips the interview talk around the topic, both centred per
language. Themes are the communities of the statements' nearest-neighbour graph in that space (Louvain modularity,
method "graph"), or dense regions there (UMAP + HDBSCAN at a coarser size, method "density"); every statement is
placed in a theme, and a study with more than `max_themes` has its closest themes joined. Communities follow who
is near whom rather than where density dips, so one issue said in many ways (wrong amounts, double billing, slow
credit notes; Finnish and English) stays one theme where density clustering cut it into fragments
(docs/themes.md, measured on the sample, Banking77 and SIB-200). Sub-themes are the fine clusters, each
moved whole into the theme that holds most of it, so a theme is a union of sub-themes.

Everything here is a function of the rows in content order, so file names and row order never change a theme.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering
from sklearn.preprocessing import normalize

from pipeline.themes import (
    ThemeParams,
    auto_min_size,
    centre_by_language,
    cluster,
    content_order,
    fit_themes,
    reduce,
)


@dataclass(frozen=True)
class TopLevelParams:
    top_level: int = 0  # number of themes; 0 = chosen from the data (at most max_themes)
    max_themes: int = 30
    min_size: int = 0  # smallest theme; 0 = about n/100 (see auto_top_min_size)
    lemma_weight: float = 0.7  # share of the content-lemma vector in the topic space; 0 = statement vectors alone
    method: str = "graph"  # "graph": Louvain communities of the neighbour graph; "density": UMAP + HDBSCAN
    graph_neighbours: int = 15  # each statement's nearest neighbours in the graph
    resolution: float = 1.0  # Louvain's resolution: higher gives more, smaller themes
    neighbours: int = 30  # UMAP's, for method "density"
    dimensions: int = 5
    max_share: float = 0.35  # no theme fitted may hold more than this share of the statements (0 = no cap)
    whole_subthemes: bool = True  # each fine cluster joins one theme whole; False: it is cut along the themes
    random_state: int = 0


# Below this many statements the graph links nearly every statement to every other (15 neighbours each) and
# its communities split one topic by wording (24 support complaints in a small wave came out as two themes);
# such a study keeps UMAP + HDBSCAN. Every benchmark in docs/themes.md is above it.
GRAPH_MIN_ROWS = 100


def auto_top_min_size(n: int) -> int:
    """Smallest theme at the top level: about one statement in a hundred, at least 5."""
    return int(np.clip(round(n / 100), 5, 300))


def topic_space(points: np.ndarray, lemma_points: np.ndarray | None, weight: float) -> np.ndarray:
    """Statement and content-lemma vectors side by side; their cosine mixes the two by `weight`."""
    if lemma_points is None or weight <= 0:
        return points
    return normalize(np.hstack([np.sqrt(1 - weight) * points, np.sqrt(weight) * lemma_points]))


def _centroids(space: np.ndarray, labels: np.ndarray) -> tuple[list[int], np.ndarray]:
    ids = sorted(set(labels.tolist()) - {-1})
    if not ids:
        return [], np.zeros((0, space.shape[1]))
    return ids, normalize(np.stack([space[labels == c].mean(axis=0) for c in ids]))


def place_all(space: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Every statement left out goes to the theme whose centroid is nearest: a theme is broad, and a statement
    about invoices that no dense region took is still about invoices."""
    ids, centroids = _centroids(space, labels)
    labels = labels.copy()
    outside = labels == -1
    if ids and outside.any():
        labels[outside] = np.asarray(ids)[np.argmax(space[outside] @ centroids.T, axis=1)]
    return labels


def join_closest(space: np.ndarray, labels: np.ndarray, target: int) -> np.ndarray:
    """At most `target` themes: the themes whose centroids are closest (average linkage, cosine) are joined."""
    ids, centroids = _centroids(space, labels)
    if len(ids) <= max(target, 1):
        return labels
    groups = AgglomerativeClustering(n_clusters=target, metric="cosine", linkage="average").fit_predict(centroids)
    # The joined theme takes the smallest member id, so ids stay in content order.
    first = {g: min(c for c, gg in zip(ids, groups, strict=True) if gg == g) for g in set(groups.tolist())}
    mapping = {c: first[g] for c, g in zip(ids, groups, strict=True)}
    return np.array([mapping.get(int(label), -1) for label in labels])


def nearest_neighbours(space: np.ndarray, k: int, chunk: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """Each row's k most similar other rows (cosine of unit rows) and their similarities, in blocks so memory stays
    at chunk x n; ties go to the earlier row, so identical statements give the same graph on every run. (A block
    of another height may round a similarity in its last bit, so the default stays what it has always been.)"""
    n = len(space)
    k = min(k, n - 1)
    index = np.empty((n, k), dtype=np.int64)
    similarity = np.empty((n, k))
    for start in range(0, n, chunk):
        block = space[start:start + chunk] @ space.T
        block[np.arange(len(block)), np.arange(start, start + len(block))] = -np.inf
        order = _top_k(block, k)
        index[start:start + chunk] = order
        similarity[start:start + chunk] = np.take_along_axis(block, order, axis=1)
    return index, similarity


def _top_k(block: np.ndarray, k: int) -> np.ndarray:
    """The first k columns of each row in a stable descending sort (`np.argsort(-block, kind="stable")[:, :k]`),
    without sorting whole rows: every value at or above the row's k-th largest is a candidate, and the candidates
    alone are sorted by (value descending, column)."""
    if k <= 0:
        return np.empty((len(block), 0), dtype=np.int64)
    threshold = -np.partition(-block, k - 1, axis=1)[:, k - 1]
    rows, cols = np.nonzero(block >= threshold[:, None])  # row by row, columns ascending
    order = np.lexsort((cols, -block[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, np.arange(len(block)))
    rank = np.arange(len(rows)) - starts[rows]
    return cols[rank < k].reshape(len(block), k).astype(np.int64)


def neighbour_edges(index: np.ndarray, similarity: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The undirected edges (u, v, weight) of the neighbour lists, each pair once, in the order they are first met
    reading row by row and pick by pick; the weight is the sum of max(cosine, 0) over both directions."""
    n, k = index.shape
    rows = np.repeat(np.arange(n, dtype=np.int64), k)
    cols = index.ravel()
    weights = np.maximum(similarity.ravel(), 0.0)
    keys = np.minimum(rows, cols) * n + np.maximum(rows, cols)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    total = np.bincount(inverse.ravel(), weights=weights)  # 0 + first + second: the sum in the order met
    met = np.argsort(first, kind="stable")
    return rows[first[met]], cols[first[met]], total[met]


def neighbour_graph(space: np.ndarray, k: int):
    """The statements' k-nearest-neighbour graph, undirected, weighted by cosine (a pair that are each other's
    neighbours counts twice)."""
    return graph_from_neighbours(*nearest_neighbours(space, k))


def graph_from_neighbours(index: np.ndarray, similarity: np.ndarray):
    """The graph of neighbour lists, its edges added in the order they are first met, row by row: Louvain visits
    neighbours in the graph's order and breaks ties by it, so the order is part of the communities."""
    import networkx as nx

    u, v, weight = neighbour_edges(index, similarity)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(index)))
    graph.add_weighted_edges_from(zip(u.tolist(), v.tolist(), weight.tolist(), strict=True))
    return graph


def _numbered(communities: list[set[int]], n: int) -> np.ndarray:
    """A number per row, largest community first (ties by the earliest row)."""
    labels = np.full(n, -1)
    for number, members in enumerate(sorted(communities, key=lambda m: (-len(m), min(m)))):
        labels[sorted(members)] = number
    return labels


def graph_communities(space: np.ndarray, neighbours: int, resolution: float, min_size: int, max_share: float,
                      random_state: int, graph=None) -> np.ndarray:
    """Louvain communities of the neighbour graph (`graph`, when the caller built it already). A community above
    `max_share` of the statements is split into the communities of its own subgraph (once); one smaller than
    `min_size` is dissolved and its statements placed in the nearest theme."""
    import networkx as nx

    n = len(space)
    graph = neighbour_graph(space, neighbours) if graph is None else graph
    communities = nx.community.louvain_communities(graph, weight="weight", resolution=resolution,
                                                   seed=random_state)
    cap = int(np.ceil(max_share * n)) if 0 < max_share < 1 else n
    kept: list[set[int]] = []
    for members in sorted(communities, key=min):
        if len(members) > cap:
            inner = nx.community.louvain_communities(graph.subgraph(members), weight="weight",
                                                     resolution=resolution, seed=random_state)
            kept.extend(sorted(inner, key=min))
        else:
            kept.append(members)
    labels = _numbered([m for m in kept if len(m) >= min_size] or kept, n)
    return place_all(space, labels)


def top_level_labels(space: np.ndarray, params: TopLevelParams) -> np.ndarray:
    """One theme number per statement (-1 only when the study is too small for any theme)."""
    if params.method == "graph" and len(space) >= GRAPH_MIN_ROWS:
        return _graph_top_level(space, params)
    n = len(space)
    min_size = params.min_size or auto_top_min_size(n)
    reduced = reduce(space, params.dimensions, params.neighbours, params.random_state)
    labels = cluster(reduced, min_size, 0, params.max_share)
    # A requested number of themes: find at least that many (smaller themes allowed), then join down to it.
    while params.top_level and len(set(labels.tolist()) - {-1}) < params.top_level and min_size > 3:
        min_size = max(3, (min_size * 2) // 3)
        labels = cluster(reduced, min_size, 0, params.max_share)
    labels = place_all(space, labels)
    return join_closest(space, labels, params.top_level or params.max_themes)


def _graph_top_level(space: np.ndarray, params: TopLevelParams) -> np.ndarray:
    min_size = params.min_size or auto_top_min_size(len(space))
    resolution = params.resolution
    graph = neighbour_graph(space, params.graph_neighbours)
    labels = graph_communities(space, params.graph_neighbours, resolution, min_size, params.max_share,
                               params.random_state, graph)
    # A requested number of themes: raise the resolution until there are at least that many, then join down.
    while params.top_level and len(set(labels.tolist()) - {-1}) < params.top_level and resolution < 10:
        resolution *= 1.5
        labels = graph_communities(space, params.graph_neighbours, resolution, max(2, min_size // 2),
                                   params.max_share, params.random_state, graph)
    return join_closest(space, labels, params.top_level or params.max_themes)


def whole_fine_clusters(themes: np.ndarray, fine: np.ndarray) -> np.ndarray:
    """Each fine cluster moved whole into the theme holding most of its statements (ties: the lower number), so a
    theme is a union of sub-themes; statements in no fine cluster keep their theme."""
    themes = themes.copy()
    for part in sorted(set(fine.tolist()) - {""}):
        rows = np.flatnonzero(fine == part)
        inside = themes[rows][themes[rows] != -1]
        if len(inside):
            values, counts = np.unique(inside, return_counts=True)
            themes[rows] = values[int(np.argmax(counts))]
    return themes


def sliver_size(min_size: int, n: int) -> int:
    """A sub-theme smaller than this joins a larger one of its theme: half the smallest fine cluster (`min_size`, or
    chosen from `n` statements when 0), at least 2."""
    return max(2, (min_size or auto_min_size(n)) // 2)


def nest_subthemes(points: np.ndarray, themes: np.ndarray, fine: np.ndarray, sliver: int) -> np.ndarray:
    """A sub-theme number per statement (-1: in no fine cluster): each fine cluster cut along the themes, and
    a piece smaller than `sliver` joined to the nearest other piece in the same theme (when there is one)."""
    pieces = np.full(len(points), -1)
    keys = {}
    for i, (theme, part) in enumerate(zip(themes.tolist(), fine.tolist(), strict=True)):
        if theme == -1 or part == "":
            continue
        pieces[i] = keys.setdefault((theme, part), len(keys))
    theme_of = {key: theme for (theme, _), key in keys.items()}
    sizes = pd.Series(pieces[pieces != -1]).value_counts()
    ids, centroids = _centroids(points, pieces)
    index = {c: k for k, c in enumerate(ids)}
    for piece in sorted(ids, key=lambda c: (sizes[c], c)):
        if sizes[piece] >= sliver:
            continue
        others = [c for c in ids if c != piece and theme_of[c] == theme_of[piece] and sizes.get(c, 0) >= sliver]
        if not others:
            continue
        nearest = max(others, key=lambda c: (float(centroids[index[c]] @ centroids[index[piece]]), -c))
        pieces[pieces == piece] = nearest
        sizes[nearest] += sizes[piece]
        sizes[piece] = 0
    return pieces


@dataclass
class ThemeLevels:
    """Both levels for the coded statements, in the caller's row order."""

    theme_number: np.ndarray  # top-level theme per row (-1: none)
    subtheme_number: np.ndarray  # sub-theme per row (-1: in no sub-theme)
    fine: pd.DataFrame  # fit_themes' assignments (segment_id, theme_id, theme_similarity, unassigned_reason)


def fit_levels(segments: pd.DataFrame, vectors: np.ndarray, lemma_vectors: np.ndarray | None,
               params: ThemeParams, top: TopLevelParams) -> ThemeLevels:
    """Fine clusters (sub-themes) and the broad themes they sit in, for `segments` (segment_id, text, lang,
    respondent_id) with `vectors` and the vectors of their content lemmas, row for row."""
    order = content_order(segments)
    rows = segments.iloc[order].reset_index(drop=True)
    fine, _ = fit_themes(rows, vectors[order], params)
    fine_ids = fine.set_index("segment_id").loc[rows["segment_id"], "theme_id"].to_numpy()
    langs = rows["lang"].to_numpy()
    points = centre_by_language(vectors[order], langs)
    lemma_points = centre_by_language(lemma_vectors[order], langs) if lemma_vectors is not None else None
    space = topic_space(points, lemma_points, top.lemma_weight)
    numbers = {t: k for k, t in enumerate(sorted(set(fine_ids) - {""}))}
    themes = np.array([numbers.get(t, -1) for t in fine_ids])  # each fine cluster its own theme
    if len(rows) >= 2 * (top.min_size or auto_top_min_size(len(rows))) + 1:
        broad = top_level_labels(space, top)
        # A small study may hold no dense region at the coarser size: then its fine clusters are its themes.
        if len(set(broad.tolist()) - {-1}) >= min(2, len(numbers)):
            themes = whole_fine_clusters(broad, fine_ids) if top.whole_subthemes else broad
    sliver = sliver_size(params.min_size, len(rows))
    subthemes = nest_subthemes(points, themes, fine_ids, sliver)
    theme_number = np.empty(len(rows), dtype=int)
    subtheme_number = np.empty(len(rows), dtype=int)
    theme_number[order] = themes
    subtheme_number[order] = subthemes
    return ThemeLevels(theme_number, subtheme_number, fine)


def ids_by_size(numbers: np.ndarray, prefix: str = "T") -> list[str]:
    """Ids for numbered groups, largest first (T01, T02, ...); ties by the smaller number; '' for -1."""
    sizes = pd.Series(numbers[numbers != -1]).value_counts()
    ranked = sorted(sizes.index, key=lambda c: (-sizes[c], c))
    width = max(2, len(str(len(ranked))))
    name = {c: f"{prefix}{i + 1:0{width}d}" for i, c in enumerate(ranked)}
    return [name.get(int(c), "") for c in numbers]


def subtheme_ids(theme_ids: list[str], numbers: np.ndarray) -> list[str]:
    """Sub-theme ids under their theme, largest first: T03.1, T03.2, ...; '' outside a sub-theme.

    Given after every change to the themes (waves, codebook), so a sub-theme's id always names its theme."""
    frame = pd.DataFrame({"theme": theme_ids, "sub": numbers})
    inside = frame[(frame["theme"] != "") & (frame["sub"] != -1)]
    sizes = inside.groupby(["theme", "sub"]).size().reset_index(name="n")
    sizes = sizes.sort_values(["theme", "n", "sub"], ascending=[True, False, True])
    sizes["k"] = sizes.groupby("theme").cumcount() + 1
    name = {(t, s): f"{t}.{k}" for t, s, k in zip(sizes["theme"], sizes["sub"], sizes["k"], strict=True)}
    return [name.get((t, int(s)), "") for t, s in zip(theme_ids, numbers, strict=True)]


def topic_texts(segments: pd.DataFrame) -> list[str]:
    """What each statement is about, for the topic space: its content lemmas alone ("lasku summa väärä"), or
    the statement itself when it has none."""
    from pipeline.lexicon import content_lemmas

    return [" ".join(content_lemmas(text, lang)) or text
            for text, lang in zip(segments["text"], segments["lang"], strict=True)]


def top_level_tables(segments: pd.DataFrame, vectors: np.ndarray, levels: ThemeLevels, n_quotes: int = 3
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(assignments: segment_id, theme_id, theme_similarity, unassigned_reason, subtheme_number) and the broad
    themes table (named by a phrase), for `segments` and `vectors` in the caller's row order."""
    from pipeline.themes import describe_themes, similarity_to_theme

    theme_ids = ids_by_size(levels.theme_number)
    order = content_order(segments)
    rows = segments.iloc[order].reset_index(drop=True).assign(theme_id=np.asarray(theme_ids, dtype=object)[order])
    points = centre_by_language(vectors[order], rows["lang"].to_numpy())
    similarity = np.empty(len(rows))
    similarity[order] = similarity_to_theme(points, levels.theme_number[order])
    assignments = pd.DataFrame({
        "segment_id": segments["segment_id"].to_numpy(),
        "theme_id": theme_ids,
        "theme_similarity": np.round(similarity, 4),
        "unassigned_reason": ["" if t else "no close theme" for t in theme_ids],
        "subtheme_number": levels.subtheme_number,
    })
    themes = describe_themes(rows, points, n_quotes, named=True)
    themes = themes.sort_values(["mentions", "theme_id"], ascending=[False, True], kind="stable")
    return assignments, themes.reset_index(drop=True)


SUBTHEME_COLUMNS = ["subtheme_id", "theme_id", "label", "keywords", "lang", "mentions", "respondents", "quote_ids"]


def describe_subthemes(coded: pd.DataFrame, vectors: np.ndarray, themes: pd.DataFrame, n_quotes: int = 3
                       ) -> pd.DataFrame:
    """One row per sub-theme (coded: segment_id, text, lang, respondent_id, theme_id, subtheme_id), with the
    theme it sits in; keyword labels, counts and quotes as for themes."""
    from pipeline.themes import describe_themes

    order = content_order(coded)
    rows = coded.iloc[order].reset_index(drop=True)
    points = centre_by_language(vectors[order], rows["lang"].to_numpy())
    table = describe_themes(rows.assign(theme_id=rows["subtheme_id"]), points, n_quotes)
    table = table.rename(columns={"theme_id": "subtheme_id"})
    table["theme_id"] = table["subtheme_id"].str.rsplit(".", n=1).str[0]
    known = set(themes["theme_id"])
    table = table[table["theme_id"].isin(known)]
    table = table.sort_values(["theme_id", "mentions", "subtheme_id"], ascending=[True, False, True], kind="stable")
    return table[SUBTHEME_COLUMNS].reset_index(drop=True)


def with_subtheme_list(themes: pd.DataFrame, subthemes: pd.DataFrame) -> pd.DataFrame:
    """themes.csv's `subthemes` column: each sub-theme with its respondents, largest first."""
    listed = {theme_id: "; ".join(f"{s} {label} ({r})" for s, label, r in
                                  zip(group["subtheme_id"], group["label"], group["respondents"], strict=True))
              for theme_id, group in subthemes.groupby("theme_id", sort=True)}
    return themes.assign(subthemes=[listed.get(t, "") for t in themes["theme_id"]])
