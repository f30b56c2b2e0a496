"""Cold vs warm re-run of a study: the first run embeds every statement, clusters and reads names; a re-run of
the unchanged wave reads the vectors from the embedding cache and the clustering and the names found from the
result cache beside it (pipeline/result_cache.py). Runs the real `teema themes` command four times with a
fresh cache (cold, warm, warm again, then warm with the results removed: the embedding cache alone, as
before the result cache) and writes bench/results/rerun.md.

    .venv/bin/python -m bench.rerun [STUDY_DIR]   (default: corpora/sample)
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pipeline.result_cache import RESULTS_FILE

ROOT = Path(__file__).resolve().parent.parent


def timed_run(study: Path, out: Path, cache: Path) -> float:
    """Wall seconds of one `teema themes` run in a fresh process (model loading included)."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "pipeline", "themes", str(study), "--out", str(out), "--quiet",
                    "--cache-dir", str(cache)], check=True, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"},
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    study = Path((argv or sys.argv[1:] or ["corpora/sample"])[0])
    with tempfile.TemporaryDirectory() as temp:
        cache, out = Path(temp) / "cache", Path(temp) / "report"
        cold = timed_run(study, out, cache)
        warm = timed_run(study, out, cache)
        again = timed_run(study, out, cache)
        (cache / RESULTS_FILE).unlink()  # as before the result cache: vectors cached, clustering and names not
        vectors_only = timed_run(study, out, cache)
    lines = [
        "# teema re-run: cold vs warm cache", "",
        f"- Study: `{study}` · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.machine()} · "
        f"{os.cpu_count()} cores · Python {platform.python_version()}",
        "- Each run is `teema themes STUDY --quiet` in a fresh process (imports, model loading, reading, themes, "
        "tagging, redaction and the report included); the cache folder (embeddings.sqlite and results.sqlite) "
        "starts empty before the cold run.",
        f"- Load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
        "(other work on the machine slows every run).", "",
        "| run | wall seconds |", "|---|---|",
        f"| cold (empty cache) | {cold:.1f} |", f"| warm (same wave again) | {warm:.1f} |",
        f"| warm, once more | {again:.1f} |",
        f"| warm with the embedding cache only (results.sqlite removed) | {vectors_only:.1f} |",
        f"| warm / cold | {warm / cold:.0%} |", "",
    ]
    result = ROOT / "bench" / "results" / "rerun.md"
    result.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
