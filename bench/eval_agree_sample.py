"""`teema agree` on the sample study, with the planted answer key playing the team's coders.

    python -m bench.eval_agree_sample

Survey statements of corpora/sample that name exactly one planted issue (ANSWER.md) are "coded by hand"
with that issue's stage, polarity and id as theme, written to a coded.csv (by segment id) in a copy of the
study; teema then runs and `teema agree` reports Cohen's kappa per field. Results: bench/results/agree_sample.md.
The sample was written by teema's developers, so this shows the workflow and its order of magnitude, not an
independent agreement figure.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from bench.common import cache_dir, go_offline, write_results
from bench.eval_sample_tags import SAMPLE, planted_issues
from pipeline.cli import main as teema


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_agree_sample", description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    go_offline()
    os.environ.setdefault("TEEMA_CACHE_DIR", str(cache_dir()))
    issues = planted_issues(SAMPLE / "ANSWER.md")
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        study = root / "sample"
        shutil.copytree(SAMPLE, study, ignore=shutil.ignore_patterns("actions*", "codebook*", "coded*"))
        previous = Path.cwd()
        os.chdir(root)
        try:
            if teema(["themes", str(study), "--quiet"]) != 0:
                raise SystemExit("bench: teema themes failed on the sample")
            report = next((root / "reports").glob("*/*/segments.csv"))
            segments = pd.read_csv(report, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=None,
                                   engine="python")
            survey = segments[(segments["source"] == "feedback") & (segments["role"] == "respondent")]
            rows = []
            for segment_id, text in zip(survey["segment_id"], survey["text"], strict=True):
                hits = [k for k, issue in issues.items() if issue["pattern"].search(text)]
                if len(hits) == 1:
                    issue = issues[hits[0]]
                    rows.append([segment_id, issue["stage"], issue["polarity"], hits[0]])
            with (study / "coded.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["segment_id", "stage", "polarity", "theme"])
                writer.writerows(rows)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                code = teema(["agree", str(study / "coded.csv"), "--out", str(root / "agreement.csv")])
            if code != 0:
                raise SystemExit("bench: teema agree failed")
            table = pd.read_csv(root / "agreement.csv", encoding="utf-8-sig")
        finally:
            os.chdir(previous)
    print(write_results(table, "agree_sample", "`teema agree` on the sample study (the answer key as the coders)", [
        f"{len(rows)} survey statements of `corpora/sample` that name exactly one planted issue, coded with its "
        "stage, polarity and id; 5-fold, every coded row scored while held out.",
        "Written by teema's developers: shows the workflow, not an independent agreement figure.",
        "Rerun: `python -m bench.eval_agree_sample`."]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
