"""Cold vs warm re-run of a study: the first run embeds every statement, a re-run of the unchanged wave
reads the vectors from the embedding cache. Runs the real `teema themes` command twice with a fresh cache
and writes bench/results/rerun.md.

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
    lines = [
        "# teema re-run: cold vs warm embedding cache", "",
        f"- Study: `{study}` · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.machine()} · "
        f"{os.cpu_count()} cores · Python {platform.python_version()}",
        "- Each run is `teema themes STUDY --quiet` in a fresh process (model loading, reading, themes, tagging, "
        "redaction and the report included); the cache starts empty before the cold run.", "",
        "| run | wall seconds |", "|---|---|",
        f"| cold (empty cache) | {cold:.1f} |", f"| warm (same wave again) | {warm:.1f} |",
        f"| warm / cold | {warm / cold:.0%} |", "",
    ]
    result = ROOT / "bench" / "results" / "rerun.md"
    result.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
