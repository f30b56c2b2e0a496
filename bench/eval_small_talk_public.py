"""Small talk in themes, substance left out: teema on public interview transcripts written by others (issue 17).

    python -m bench.eval_small_talk_public [--part dev|held-out|all] [--label NAME] [--teema-root DIR] [--keep DIR]
    python -m bench.eval_small_talk_public --set fresh   (the second set: all held-out, run once)

The set is bench/data/interviews_public/ (excerpts of Changelog's Founders Talk, CC BY-SA 4.0; see SOURCES.md there):
every respondent paragraph labelled talk or substance by reading, before teema ran on it, with the small talk inside a
substantive paragraph ("Yeah.", "Thanks, Adam.") in `talk_part`. The files are split by a fixed rule (sorted names:
odd places dev, even places held-out); only dev may be looked at for errors. Scoring is bench/eval_small_talk.py's.
Results: bench/results/small_talk_public.md/.csv (one row per label and part) and, per run, the dev errors in
bench/results/small_talk_public_errors.csv (held-out errors are not written).

`--set fresh` is a second set, bench/data/interviews_public_fresh/ (episodes 92-97, prepared and labelled by a helper
session on 2026-12-08 by the same rubric; the developers did not read it): every file held-out, no errors written, its
rows named `..._fresh`. It was made because the first set's held-out part had been looked at twice.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from bench.common import REPO, RESULTS_DIR, go_offline
from bench.eval_small_talk import commit_of, label_statements, record_run, run_teema, score

STEM = "small_talk_public"
DATA = REPO / "bench" / "data" / "interviews_public"
SETS = {"founders": DATA, "fresh": REPO / "bench" / "data" / "interviews_public_fresh"}
PARTS = ("dev", "held-out", "all")


def split(files: list[str], part: str) -> list[str]:
    """The files of a part by the rule fixed before any run: sorted names, 1st, 3rd, ... dev; 2nd, 4th, ... held-out."""
    ordered = sorted(files)
    if part == "all":
        return ordered
    return ordered[0::2] if part == "dev" else ordered[1::2]


def load_labels(path: Path) -> pd.DataFrame:
    """The labels: file, line, kind (talk|substance), echo and talk_part as text ('' when empty)."""
    labels = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"file", "line", "kind"} - set(labels.columns)
    if missing:
        raise SystemExit(f"bench: {path} lacks the column(s) {', '.join(sorted(missing))}")
    bad = labels[~labels["kind"].isin(["talk", "substance"])]
    if len(bad):
        raise SystemExit(f"bench: {path} line {bad.index[0] + 2}: kind must be talk or substance, "
                         f"not {bad['kind'].iloc[0]!r}")
    for column in ("echo", "talk_part"):
        if column not in labels:
            labels[column] = ""
    labels["line"] = labels["line"].astype(int)
    return labels


def errors(segments: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Respondent statements teema got wrong: small talk themed, substance left unassigned (with its reason)."""
    spoken = label_statements(segments, truth)
    themed = spoken["theme_id"].fillna("") != ""
    wrong = spoken[(themed & (spoken["kind"] == "talk")) | (~themed & (spoken["kind"] == "substance"))].copy()
    wrong["error"] = ["talk themed" if k == "talk" else "substance unassigned" for k in wrong["kind"]]
    return wrong[["error", "file", "line", "unassigned_reason", "text"]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=PARTS, default="dev", help="dev (default), held-out (the final figure), all")
    parser.add_argument("--teema-root", type=Path, default=REPO, help="the checkout whose teema runs")
    parser.add_argument("--label", default="", help="the results row's name (default: the checkout's commit)")
    parser.add_argument("--keep", type=Path, help="also write the study and the report here")
    parser.add_argument("--set", choices=sorted(SETS), default="founders", dest="data_set",
                        help="founders (episodes 86-91, dev and held-out parts) or fresh (92-97, all held-out)")
    args = parser.parse_args(argv)
    go_offline()
    root = args.teema_root.resolve()
    data = SETS[args.data_set]
    fresh = args.data_set == "fresh"
    run = f"{args.label or commit_of(root)}_" + ("fresh" if fresh else args.part)
    labels = load_labels(data / "labels.csv")
    files = sorted(p.name for p in data.glob("*.txt")) if fresh else split(sorted(p.name for p in data.glob("*.txt")),
                                                                           args.part)
    truth = labels[labels["file"].isin(files)].reset_index(drop=True)
    with tempfile.TemporaryDirectory() as temp:
        base = args.keep or Path(temp)
        study, out = base / "interviews", base / "report"
        study.mkdir(parents=True, exist_ok=True)
        for name in files:
            shutil.copy(data / name, study / name)
        run_teema(study, out, root)
        segments = pd.read_csv(out / "segments.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    read = segments.loc[segments["role"] == "respondent", "doc_id"].nunique()
    figures = score(segments, truth, read)
    figures.pop("French statements themed", None)
    row = {"run": run, **figures}
    if args.part == "dev" and not fresh:
        errors(segments, truth).to_csv(RESULTS_DIR / f"{STEM}_errors.csv", index=False)
    labels = load_labels(DATA / "labels.csv")  # the header describes the first set; the fresh one has its own line
    print(record_run(row, STEM, "Small talk and substance on public interview transcripts (issue 17)", [
            f"{len(labels)} labelled respondent paragraphs in {labels['file'].nunique()} files "
            f"(bench/data/interviews_public/, Changelog Founders Talk excerpts, CC BY-SA 4.0): "
            f"{(labels['kind'] == 'substance').sum()} substantive ({(labels['talk_part'] != '').sum()} with small talk "
            f"of their own in `talk_part`), {(labels['kind'] == 'talk').sum()} small talk. Labelled before teema ran.",
            "Parts by a fixed rule (sorted names: odd places dev, even held-out); the run name ends in its part. "
            "Rerun: `python -m bench.eval_small_talk_public --part dev --label NAME`. Only dev errors are written "
            "(small_talk_public_errors.csv); held-out is for the final figure only.",
            "Targets: small talk under 2% of themed statements, substantive statements unassigned under 10%.",
            "Podcast interviews of founders, not research interviews: long answers, back-channel from both sides, "
            "and closing plugs (where to follow the guest), labelled talk.",
            "Rows ending `_fresh`: the second set (bench/data/interviews_public_fresh/, episodes 92-97, 144 labelled "
            "paragraphs: 116 substantive, 28 small talk), prepared by a helper session and never read by the "
            "developers; every file held-out. Rerun: `python -m bench.eval_small_talk_public --set fresh`."]))


if __name__ == "__main__":
    main()
