"""Peak memory reading a large feedback CSV: the whole-file reader (before) against the chunked one (after).

    python -m bench.bench_read [--mb 300 50] [--keep]

Writes a generated NPS export of about `--mb` MB to a temporary folder (Finnish Excel style: BOM, semicolons,
quoted answers of three to five statements, Finnish and English; never committed), then reads it in a fresh
process each way and records its peak resident memory (VmHWM) and seconds:

- before: what `teema themes` did up to this change, by the same functions: the bytes read whole and hashed,
  decoded, normalised and parsed whole (`parse_feedback`), the rows as dicts, one DataFrame (the 50 MB cap lifted);
- after: `pipeline.corpus.read_study` on a folder with the file (blocks of 4 MB, chunks of 20,000 rows, the
  rows kept as DataFrame chunks), which also checks the file and looks for broken bytes as a real run does.

Both must give the same statements (their texts are compared by hash). Results: bench/results/read.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import REPO, RESULTS_DIR
from bench.feedback_rows import feedback_rows

BASE_ROWS = 50_000
MIX = ((1, 0), (7, 3), (13, 5), (31, 9))  # an answer: statements of these generated rows


def write_export(path: Path, megabytes: float, seed: int = 0) -> int:
    """A feedback CSV of about `megabytes` MB; returns its number of rows."""
    base = feedback_rows(BASE_ROWS, seed)
    answers, scores = base["answer"].tolist(), base["nps"].tolist()
    target, rows = megabytes * 1_000_000, 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Vastaajan tunnus", "Päivämäärä", "Suositteluhalukkuus", "Avoin palaute"])
        while handle.tell() < target:
            for i in range(1000):
                n = rows + i
                parts = [answers[(n * step + offset) % BASE_ROWS] for step, offset in MIX]
                answer = " ".join(parts[:3 + n % 2])
                if n % 17 == 0:
                    answer = f'{answer}\n"{parts[0]}" sanoi myyjä.'  # a line break and quotes inside the answer
                writer.writerow([f"R{n:08d}", f"{1 + n % 28}.{1 + n % 12}.2026", scores[n % BASE_ROWS], answer])
            rows += 1000
    return rows


def _measure(mode: str, path: str) -> None:
    """Child process: read the file one way, print seconds, peak MB, statements and a hash of their texts."""
    start = time.perf_counter()
    if mode == "before":
        import pandas as pd

        from pipeline.config import FeedbackSection
        from pipeline.corpus.decode import decode_text, normalise_text, utf8_damage
        from pipeline.corpus.feedback import parse_feedback
        from pipeline.corpus.read import _rows_of_feedback

        file = Path(path)
        data = file.read_bytes()
        hashlib.sha256(data).hexdigest()
        text = normalise_text(decode_text(data))
        del data
        rows = _rows_of_feedback(parse_feedback(text, file.stem, FeedbackSection()), file.name)
        del text
        frame = pd.DataFrame(rows)
        del rows
        utf8_damage(file.read_bytes())
        texts = frame["text"]
    else:
        from pipeline.config import StudyConfig
        from pipeline.corpus.read import read_study

        frame, problems = read_study(Path(path).parent, StudyConfig())
        if problems:
            raise SystemExit(f"bench: {problems}")
        texts = frame["text"]
    seconds = time.perf_counter() - start
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    peak = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                if line.startswith("VmHWM"))
    print(json.dumps({"seconds": round(seconds, 1), "peak_mb": round(peak / 1024), "answers": len(texts),
                      "texts": digest}))


def measure(mode: str, path: Path) -> dict:
    run = subprocess.run([sys.executable, "-m", "bench.bench_read", "--child", mode, str(path)], cwd=REPO,
                         capture_output=True, text=True, check=False)
    if run.returncode:
        return {"seconds": None, "peak_mb": None, "answers": None, "texts": f"failed: {run.stderr.strip()[-300:]}"}
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_read", description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[300.0], help="sizes of the generated CSV")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _measure(*args.child)
        return 0
    results = []
    for megabytes in args.mb:
        with tempfile.TemporaryDirectory(prefix="teema-read-") as temp:
            path = Path(temp) / "palaute.csv"
            rows = write_export(path, megabytes)
            size = path.stat().st_size / 1_000_000
            for mode in ("before", "after"):
                result = measure(mode, path)
                results.append({"MB": round(size), "rows": rows, "reader": mode, **result})
                print(results[-1], flush=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = ["# Reading a large feedback CSV (`python -m bench.bench_read`)", "",
             f"Generated NPS exports (BOM, semicolons, 3-5 statements an answer, Finnish and English), each read in a "
             f"fresh process; peak = VmHWM. {time.strftime('%Y-%m-%d')}, load average after: {load}. `texts`: a "
             "hash of the statements read (equal: the same rows).", "",
             "| file MB | rows in file | reader | seconds | peak MB | answers read | texts |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['MB']} | {r['rows']:,} | {r['reader']} | {r['seconds']} | {r['peak_mb']} | "
              f"{'-' if r['answers'] is None else format(r['answers'], ',')} | {r['texts']} |" for r in results]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "read.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"bench: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
