import networkx as nx
import numpy as np
import pandas as pd
import pytest

from bench.bench_graph import argsort_neighbours, clustered_rows, edge_by_edge_graph
from pipeline.embed import embed_texts
from pipeline.hierarchy import (
    TopLevelParams,
    fit_levels,
    graph_communities,
    ids_by_size,
    join_closest,
    nearest_neighbours,
    neighbour_graph,
    nest_subthemes,
    place_all,
    subtheme_ids,
    topic_texts,
    whole_fine_clusters,
)
from pipeline.themes import ThemeParams
from tests.test_themes import TOPICS

SUPPORT = [
    "Support takes a week to answer a ticket.", "Tukeen ei saa yhteyttä, tiketit odottavat viikkoja.",
    "Nobody calls back from support.", "Tuesta ei soiteta takaisin.",
    "The phone queue to support is half an hour.", "Tuen puhelinjonossa menee puoli tuntia.",
    "Tickets are closed without a fix.", "Tiketit suljetaan ilman korjausta.",
    "Support answers are slow and short.", "Tuen vastaukset ovat hitaita ja lyhyitä.",
    "We waited three days for support to reply.", "Odotimme tuen vastausta kolme päivää.",
]


def _study():
    topics = {**TOPICS, "support": SUPPORT}
    rows = [{"segment_id": f"s{topic[:3]}{i:02d}", "text": text, "lang": "fi" if i % 2 else "en",
             "respondent_id": f"R{topic[:3]}{i}", "topic": topic}
            for topic, texts in topics.items() for i, text in enumerate(texts)]
    return pd.DataFrame(rows)


def _levels(segments, embedder, **top):
    vectors = embed_texts(segments["text"].tolist(), embedder)
    lemmas = embed_texts(topic_texts(segments), embedder)
    return fit_levels(segments, vectors, lemmas, ThemeParams(min_size=3), TopLevelParams(min_size=4, **top))


def test_a_theme_holds_one_topic_in_both_languages(embedder):
    segments = _study()
    levels = _levels(segments, embedder)
    segments["theme"] = ids_by_size(levels.theme_number)
    assert (segments["theme"] != "").all()  # broad themes place every statement
    for topic, group in segments.groupby("topic"):
        main = group["theme"].mode()[0]
        share = (group["theme"] == main).mean()
        assert share >= 0.6, (topic, group[["text", "theme"]])
        assert set(group.loc[group["theme"] == main, "lang"]) == {"fi", "en"}
    # Sub-themes nest: every statement in a sub-theme shares its theme.
    subs = subtheme_ids(segments["theme"].tolist(), levels.subtheme_number)
    for sub, theme in zip(subs, segments["theme"], strict=True):
        assert not sub or sub.startswith(theme + ".")


def test_levels_do_not_depend_on_row_order_or_file_names(embedder):
    segments = _study()
    first = _levels(segments, embedder)
    shuffled = segments.sample(frac=1, random_state=3).reset_index(drop=True)
    shuffled["segment_id"] = [f"renamed-{i:03d}" for i in range(len(shuffled))]  # other file, other ids
    second = _levels(shuffled, embedder)
    by_text = dict(zip(segments["text"], ids_by_size(first.theme_number), strict=True))
    again = dict(zip(shuffled["text"], ids_by_size(second.theme_number), strict=True))
    assert by_text == again


def test_a_requested_number_of_themes(embedder):
    segments = _study()
    levels = _levels(segments, embedder, top_level=2)
    assert len(set(levels.theme_number.tolist()) - {-1}) == 2


def test_place_all_and_join_closest():
    space = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0], [0.14, 0.99], [0.7, 0.7]])
    labels = place_all(space, np.array([0, 0, 1, 1, -1]))
    assert labels[-1] in (0, 1)
    assert (labels != -1).all()
    joined = join_closest(space, np.array([0, 0, 1, 1, 2]), 2)
    assert len(set(joined.tolist())) == 2


def test_fine_clusters_are_cut_along_themes_and_slivers_join_a_sibling():
    points = np.array([[1.0, 0.0], [1.0, 0.05], [1.0, 0.1], [0.9, 0.2], [0.0, 1.0], [0.1, 1.0], [0.05, 1.0],
                       [0.0, 0.9]])
    themes = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    fine = np.array(["A", "A", "B", "B", "B", "C", "C", ""], dtype=object)
    pieces = nest_subthemes(points, themes, fine, sliver=2)
    assert pieces[-1] == -1  # in no fine cluster: no sub-theme, still in its theme
    assert pieces[0] == pieces[1] and pieces[2] == pieces[3] and pieces[0] != pieces[2]
    # "B" in theme 1 is one statement: it joins theme 1's other piece, never a piece of theme 0.
    assert pieces[4] == pieces[5]
    assert pieces[4] not in set(pieces[:4].tolist())


def test_ids_follow_size_and_name_their_theme():
    numbers = np.array([5, 5, 5, 2, 2, -1])
    assert ids_by_size(numbers) == ["T01", "T01", "T01", "T02", "T02", ""]
    subs = subtheme_ids(["T01", "T01", "T01", "T02", "T02", ""], np.array([7, 3, 3, 1, -1, -1]))
    assert subs == ["T01.2", "T01.1", "T01.1", "T02.1", "", ""]


def _two_groups(n=12, seed=0):
    """Unit points around two directions, n each."""
    rng = np.random.default_rng(seed)
    centres = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    points = np.vstack([c + 0.05 * rng.standard_normal((n, 3)) for c in centres])
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def test_graph_communities_find_the_groups_and_place_every_statement():
    points = _two_groups()
    small = graph_communities(points, neighbours=5, resolution=1.0, min_size=3, max_share=0.0, random_state=0)
    assert (small != -1).all()
    assert not set(small[:12].tolist()) & set(small[12:].tolist())  # a community never mixes the groups
    labels = graph_communities(points, neighbours=5, resolution=1.0, min_size=7, max_share=0.0, random_state=0)
    assert len(set(labels[:12].tolist())) == 1 and len(set(labels[12:].tolist())) == 1
    assert labels[0] != labels[12]


def test_graph_communities_dissolve_tiny_ones_and_split_a_giant():
    points = _two_groups()
    stray = np.array([[0.0, 0.0, 1.0], [0.05, 0.0, 1.0]])
    points = np.vstack([points, stray / np.linalg.norm(stray, axis=1, keepdims=True)])
    labels = graph_communities(points, neighbours=5, resolution=1.0, min_size=7, max_share=0.0, random_state=0)
    assert len(set(labels.tolist())) == 2  # the two strays are too few for a theme: placed in a group
    one_group = _two_groups()[:12]
    split = graph_communities(one_group, neighbours=3, resolution=1.0, min_size=2, max_share=0.4, random_state=0)
    assert len(set(split.tolist())) >= 2  # no theme may hold more than 40% of the statements before placing


def test_nearest_neighbours_are_the_same_for_identical_rows_in_any_chunking():
    points = np.repeat(_two_groups(n=3), 2, axis=0)  # every statement twice, as in a survey
    whole = nearest_neighbours(points, 4)
    blocks = nearest_neighbours(points, 4, chunk=5)
    assert np.array_equal(whole[0], blocks[0]) and np.allclose(whole[1], blocks[1])
    assert (whole[0] != np.arange(len(points))[:, None]).all()  # never its own neighbour


def test_both_methods_find_the_topics(embedder):
    segments = _study()
    for method in ("graph", "density"):
        levels = _levels(segments, embedder, method=method)
        themes = pd.Series(ids_by_size(levels.theme_number))
        main_share = segments.assign(theme=themes).groupby("topic")["theme"].agg(lambda t: (t == t.mode()[0]).mean())
        assert (main_share >= 0.6).all(), (method, main_share)


def test_a_fine_cluster_joins_the_theme_holding_most_of_it_whole():
    themes = np.array([0, 0, 1, 1, 1, 0, -1, 1])
    fine = np.array(["A", "A", "A", "B", "B", "", "B", ""], dtype=object)
    whole = whole_fine_clusters(themes, fine)
    assert whole.tolist() == [0, 0, 0, 1, 1, 0, 1, 1]  # A whole in 0, B whole in 1; no-cluster rows keep theirs


@pytest.mark.parametrize(("seed", "n", "dims"), [(0, 400, 3), (1, 600, 16), (2, 300, 64)])
def test_the_graph_from_arrays_is_the_graph_built_edge_by_edge(seed, n, dims):
    """Louvain breaks ties by the order it meets neighbours: the graph must match the old one edge for edge, in
    order and weight, and so give the same communities (low dimensions and copied rows give many ties)."""
    points = clustered_rows(n, dims, groups=6, seed=seed)
    before = edge_by_edge_graph(*argsort_neighbours(points, 15))
    now = neighbour_graph(points, 15)
    assert list(now.nodes) == list(before.nodes)
    assert all(list(now[u].items()) == list(before[u].items()) for u in before)
    communities = [nx.community.louvain_communities(g, weight="weight", seed=seed) for g in (before, now)]
    assert communities[0] == communities[1]
    labels = [graph_communities(points, 15, 1.0, 5, 0.35, seed, graph=g) for g in (before, now)]
    assert np.array_equal(labels[0], labels[1])


def test_nearest_neighbours_match_a_full_stable_sort_in_any_chunking():
    points = np.repeat(clustered_rows(60, 3, groups=3), 3, axis=0)  # many exact ties
    whole = argsort_neighbours(points, 7)
    for chunk in (1, 13, 1024):
        got = nearest_neighbours(points, 7, chunk=chunk)
        assert np.array_equal(got[0], whole[0]) and np.allclose(got[1], whole[1]), chunk
    assert np.array_equal(nearest_neighbours(points, 7)[1], whole[1])  # the same blocks: the same bits
