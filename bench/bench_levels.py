"""What the second level of themes costs: the broad themes' share of a whole run of the bundled sample.

    python -m bench.bench_levels

Runs teema on a copy of corpora/sample with no cache (every vector embedded, as a first run), timing each step
from its progress messages, then times on the same statements and vectors (from that run) the two parts the
broad themes add: embedding each statement's content lemmas ("Embedding topics") and fitting the top level
(`fit_levels` minus `fit_themes`, which fits the sub-themes as before). One run on a shared machine: read the
share, not the seconds. Results: bench/results/levels.md.
"""

from __future__ import annotations

import time

import pandas as pd

from bench.common import go_offline, write_results
from bench.eval_sample_tags import sample_copy
from pipeline.config import load_config
from pipeline.embed import embed_texts, load_embedder, umap_neighbours_for
from pipeline.hierarchy import fit_levels, topic_texts
from pipeline.study import analyse_study, top_level_params
from pipeline.themes import ThemeParams, fit_themes


def timed(compute):
    started = time.perf_counter()
    value = compute()
    return value, time.perf_counter() - started


def main() -> int:
    go_offline()
    steps: dict[str, float] = {}
    began: dict[str, float] = {}

    def progress(step: str, done: int, total: int) -> None:
        if done == 0:
            began.setdefault(step, time.perf_counter())
        elif done == total and step in began:
            steps[step] = time.perf_counter() - began[step]

    with sample_copy() as study:
        config = load_config(study)
        embedder = load_embedder(config.embed.embedder)
        result, total = timed(lambda: analyse_study(study, config, embedder=embedder, cache=None, progress=progress))
    coded = result.segments[(result.segments["role"] == "respondent")
                            & result.segments["unassigned_reason"].isin(["", "no close theme"])]
    coded = coded[["segment_id", "text", "lang", "respondent_id"]].reset_index(drop=True)
    model = embedder.choose(coded["lang"].tolist()) if hasattr(embedder, "choose") else embedder
    vectors = embed_texts(coded["text"].tolist(), model)
    topics, topic_seconds = timed(lambda: embed_texts(topic_texts(coded), model))
    params = ThemeParams(neighbours=umap_neighbours_for(model.name))
    _, fine_seconds = timed(lambda: fit_themes(coded, vectors, params))
    _, both_seconds = timed(lambda: fit_levels(coded, vectors, topics, params, top_level_params(config)))
    top_seconds = max(both_seconds - fine_seconds, 0.0)
    added = topic_seconds + top_seconds
    table = pd.DataFrame([
        {"part": "whole run (no cache)", "seconds": round(total, 1), "share of the run": 1.0},
        *({"part": f"step: {step}", "seconds": round(seconds, 1), "share of the run": round(seconds / total, 3)}
          for step, seconds in steps.items()),
        {"part": "second level: embedding topics", "seconds": round(topic_seconds, 1),
         "share of the run": round(topic_seconds / total, 3)},
        {"part": "second level: fitting the broad themes", "seconds": round(top_seconds, 1),
         "share of the run": round(top_seconds / total, 3)},
        {"part": "second level in all", "seconds": round(added, 1), "share of the run": round(added / total, 3)},
    ])
    print(write_results(table, "levels", "What the second level of themes costs on the bundled sample", [
        f"corpora/sample ({len(coded)} statements, {model.name}), one run with no cache; steps timed from teema's "
        "progress messages.",
        "Second level = embedding the statements' content lemmas + (fit_levels - fit_themes) on the same vectors. "
        "Target: under 10% of the run.",
        "Rerun: `python -m bench.bench_levels` (part of `make bench`)."]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
