"""A study in a fresh process, as a researcher runs it: now, and as the code before 2026-12-08 ran it.

    python -m bench.bench_fresh_process [--study corpora/sample] [--rounds 2]

Each round runs `teema themes` on a copy of the study in a new process three times, interleaved: as it is now; with
UMAP's small-data distances left to scikit-learn's Python loop (pipeline.umap_pairwise not installed); and with that
and UMAP's kernels compiled again in every process (pipeline.portable.cache_umap_kernels not called), as before
2026-12-08. numba's cache folder is the same for all three (primed by one run first, as `make install` leaves it).
Each run gets a fresh themes result cache and a copy of the shared embedding cache, so embedding is what a second
study of the same texts costs and the runs differ only as said. The outputs must be the same bytes in every run.
The small-talk phrase match, also faster since 2026-12-08, is in all three. Results: bench/results/fresh_process.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench.common import REPO, cache_dir, go_offline, write_results
from bench.eval_small_talk import commit_of

OUTPUTS = ("segments.csv", "themes.csv", "issues.csv")


# mode: (what the run leaves out, as the code before 2026-12-08 did)
MODES = {"now": "", "UMAP's distances by scikit-learn": "distances",
         "UMAP's distances by scikit-learn, its kernels compiled again": "distances,kernels"}
_CLI = ("import sys\n"
        "left_out = sys.argv[1].split(',')\n"
        "if 'distances' in left_out:\n"
        "    import pipeline.umap_pairwise as routed\n"
        "    routed.install = lambda: None\n"
        "if 'kernels' in left_out:\n"
        "    import pipeline.portable as portable\n"
        "    portable.cache_umap_kernels = lambda: 0\n"
        "from pipeline.cli import main\n"
        "raise SystemExit(main(sys.argv[2:]))\n")


_PLAIN_CLI = "import sys\nfrom pipeline.cli import main\nraise SystemExit(main(sys.argv[2:]))\n"


def run_once(study: Path, work: Path, numba_dir: Path, name: str, left_out: str = "", root: Path = REPO
             ) -> tuple[float, str]:
    """Seconds of one `teema themes` in a new process, and a digest of its CSV outputs."""
    copy, out, cache = work / f"{name}-study", work / f"{name}-out", work / f"{name}-cache"
    for path in (copy, out, cache):
        shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(study, copy, ignore=shutil.ignore_patterns("actions*.xlsx", "codebook*.csv", "reports"))
    cache.mkdir()
    shared = cache_dir() / "embeddings.sqlite"
    if shared.is_file():
        shutil.copy(shared, cache / "embeddings.sqlite")
    env = {**os.environ, "NUMBA_CACHE_DIR": str(numba_dir), "TEEMA_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _CLI if root == REPO else _PLAIN_CLI, left_out or "-", "themes", str(copy),
                    "--out", str(out), "--quiet"], env=env, cwd=root, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    digest = hashlib.sha256(b"".join((out / name).read_bytes() for name in OUTPUTS)).hexdigest()[:12]
    return seconds, digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_fresh_process", description=__doc__.split("\n")[0])
    parser.add_argument("--study", type=Path, default=REPO / "corpora" / "sample")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--checkout", type=Path, help="also run another checkout of teema (e.g. a git worktree of "
                        "an older commit) in each round, as it is")
    args = parser.parse_args(argv)
    go_offline()
    records = []
    with tempfile.TemporaryDirectory(prefix="teema-fresh-") as temp:
        work = Path(temp)
        kept = work / "numba-kept"
        run_once(args.study, work, kept, "prime")  # fills `kept`, as make install's teema models warm does
        for number in range(1, args.rounds + 1):
            for index, (mode, left_out) in enumerate(MODES.items()):
                seconds, digest = run_once(args.study, work, kept, f"mode{index}", left_out)
                records.append({"round": number, "run": mode, "seconds": round(seconds, 1),
                                "outputs (sha256 of the CSVs)": digest})
            if args.checkout:
                seconds, digest = run_once(args.study, work, kept, "checkout", root=args.checkout.resolve())
                records.append({"round": number, "run": f"checkout {commit_of(args.checkout)}",
                                "seconds": round(seconds, 1),
                                "outputs (sha256 of the CSVs)": digest})
    table = pd.DataFrame(records)
    means = table.groupby("run")["seconds"].mean()
    same = table["outputs (sha256 of the CSVs)"].nunique() == 1
    print(write_results(table, "fresh_process", "A study in a fresh process: UMAP's kernels and distances", [
        f"{args.study.relative_to(REPO) if args.study.is_relative_to(REPO) else args.study}, `teema themes` in a new "
        "process per run, interleaved; a fresh themes result cache and a copy of the shared embedding cache for each.",
        "Mean seconds: " + ", ".join(f"{mode} {seconds:.1f}" for mode, seconds in means.items())
        + f"; outputs {'identical' if same else 'DIFFERENT'} in every run.",
        "The small-talk phrase match, the polarity lexicon's stems and spaCy loaded once (all 2026-12-08) are in the "
        "three runs of this checkout. A shared machine: compare the runs of one table, not seconds across tables.",
        "Rerun: `python -m bench.bench_fresh_process` (in `make bench`)."]))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
