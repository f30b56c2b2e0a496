"""`teema forget STUDY`: remove a study's cached vectors and results from this machine."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

FORGET_HELP = "remove a study's cached embeddings and results (the study folder and its reports stay)"


def add_forget_parser(commands: argparse._SubParsersAction) -> None:
    forget = commands.add_parser("forget", help=FORGET_HELP, description=FORGET_HELP.capitalize() + ". Run it "
                                 "when a study is deleted or a respondent withdraws; give the same folder the study "
                                 "was analysed from.")
    forget.add_argument("study_dir", metavar="STUDY_DIR", type=Path, help="the study folder (it may be gone already)")
    forget.add_argument("--cache-dir", type=Path, metavar="DIR",
                        help="the cache the study was analysed with (default: $TEEMA_CACHE_DIR or ~/.cache/teema)")


def run_forget(args: argparse.Namespace) -> int:
    from pipeline.embed import default_cache_dir
    from pipeline.forget import forget_study
    from pipeline.lock import StudyLock

    cache_dir: Path = args.cache_dir or default_cache_dir()
    if cache_dir.exists() and not cache_dir.is_dir():
        print(f"teema: --cache-dir {cache_dir}: this is a file, not a folder; give the cache folder", file=sys.stderr)
        return 2
    if not cache_dir.is_dir():
        print(f"teema: {cache_dir}: no cache there, nothing to forget", file=sys.stderr)
        return 0
    try:
        if args.study_dir.is_dir():
            with StudyLock(args.study_dir):  # not while the study's own run writes the cache
                done = forget_study(cache_dir, args.study_dir)
        else:
            done = forget_study(cache_dir, args.study_dir)
    except (sqlite3.Error, OSError) as err:
        print(f"teema: {cache_dir}: the cache cannot be changed ({getattr(err, 'strerror', None) or err}); close "
              "other teema runs and retry, or delete the folder", file=sys.stderr)
        return 2
    vectors = done.removed.get("embeddings.sqlite", 0)
    results = done.removed.get("results.sqlite", 0)
    print(f"teema: forgot {args.study_dir}: {vectors} cached vectors and {results} cached results removed from "
          f"{cache_dir}")
    unowned = sum(done.unowned.values())
    if unowned:
        print(f"teema: {unowned} entries in {cache_dir} were written by an older teema and belong to no study "
              "recorded; delete the folder to remove them too (the next runs embed again)", file=sys.stderr)
    return 0
