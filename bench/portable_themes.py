"""Whether two CPUs find the same themes in the bundled sample: one row per machine, digests to compare.

    python -m bench.portable_themes

Runs corpora/sample (a copy, mpnet in float32: tests.golden.sample_report, as tests/test_sample_study.py does)
and appends a row to bench/results/portable_themes.csv: the CPU, numba's target (pipeline/portable.py) and
three digests, of the themes (each statement's theme and sub-theme, the themes' and sub-themes' labels and
counts), of the tags (each statement's stage and polarity) and of every output byte. A machine with other
instruction sets (AVX-512 against AVX2) that adds a row with the same themes digest shows the themes do not
follow the CPU; the confidences behind the tags follow the BLAS kernels, so the last digest is expected to differ.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from bench.common import RESULTS_DIR, code_version, go_offline, write_results
from pipeline.portable import numba_target
from tests.golden import output_digests, platform_signature, sample_report

STEM = "portable_themes"
THEME_COLUMNS = {
    "segments.csv": ["segment_id", "theme_id", "subtheme_id", "theme_label", "subtheme_label"],
    "themes.csv": ["theme_id", "label", "keywords", "mentions", "respondents", "subthemes"],
    "subthemes.csv": ["subtheme_id", "theme_id", "label", "keywords", "mentions", "respondents"],
}
TAG_COLUMNS = {"segments.csv": ["segment_id", "stage", "polarity"]}


def columns_digest(report: Path, columns: dict[str, list[str]]) -> str:
    """sha256 of these columns of these report files, as text."""
    digest = hashlib.sha256()
    for name, wanted in columns.items():
        table = pd.read_csv(report / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        digest.update(name.encode())
        digest.update(table[[c for c in wanted if c in table]].to_csv(index=False).encode())
    return digest.hexdigest()[:16]


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)
    go_offline()
    with tempfile.TemporaryDirectory() as work:
        report = sample_report(Path(work))
        signature = platform_signature()
        everything = hashlib.sha256("".join(output_digests(report).values()).encode()).hexdigest()[:16]
        row = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu_model(),
               "cpu_flags": " ".join(signature["cpu_flags"]), "numba_target": numba_target(),
               "themes": columns_digest(report, THEME_COLUMNS), "tags": columns_digest(report, TAG_COLUMNS),
               "every_output": everything, "code": code_version()}
    path = args.results_dir / f"{STEM}.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else pd.DataFrame()
    table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    others = table.iloc[:-1][table.iloc[:-1]["cpu_flags"] != row["cpu_flags"]] if len(table) > 1 else table.iloc[:0]
    notes = ["corpora/sample as shipped, mpnet in float32; one row per run. Themes: each statement's theme and "
             "sub-theme, the themes' and sub-themes' labels, keywords and counts. Tags: each statement's stage and "
             "polarity. Every output: all report files byte for byte (confidences follow the BLAS kernels).",
             "Rerun: `python -m bench.portable_themes` (in `make bench`) on a machine with other CPU flags; "
             "rows of the same code (or of code that did not change the themes) with the same themes digest show "
             "the themes do not follow the CPU."]
    write_results(table, STEM, "The sample's themes on different CPUs (numba's generic target)", notes,
                  results_dir=args.results_dir)
    print(f"themes {row['themes']}, tags {row['tags']}, every output {row['every_output']} "
          f"({row['cpu_flags']}; numba {row['numba_target']})")
    for other in others.itertuples(index=False):
        verdict = "same themes" if other.themes == row["themes"] else "OTHER THEMES"
        print(f"  against {other.cpu} ({other.cpu_flags}): {verdict}; tags "
              f"{'same' if other.tags == row['tags'] else 'other'} ({other.code})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
