"""Touchpoints on the sample study's planted statements: names alone against names, descriptions and examples.

    python -m bench.eval_touchpoints

Runs teema on corpora/sample (a copy; cached embeddings) for its stages and sub-themes, then places every
statement on a touchpoint of models/stages.toml in several ways. Truth: each planted issue of ANSWER.md has one
touchpoint (slow support -> support, wrong invoices -> invoicing, sales promises -> sales meeting, no prices ->
website, automatic renewal -> renewal, offline app -> daily use, onboarding -> onboarding, account manager ->
account management, recommendation -> word of mouth or a trade fair -> events, easy to use -> daily use); scored
on the survey and interview statements that match exactly one issue's pattern. Written by teema's developers: a
check on known material, not an independent test.
"""

from __future__ import annotations

import argparse
import dataclasses
import re

import numpy as np
import pandas as pd

from bench.common import REPO, cache_dir, go_offline, write_results
from bench.eval_sample_tags import SAMPLE, planted_issues, sample_copy
from pipeline.config import load_config
from pipeline.embed import EmbeddingCache, embed_texts, load_embedder
from pipeline.study import analyse_study
from pipeline.touchpoints import (
    SUBTHEME_WEIGHT,
    fit_touchpoints,
    load_touchpoints,
    place,
    stage_weights,
    touchpoint_probabilities,
)

ISSUE_TOUCHPOINT = {"F1": "sales_meeting", "F2": "invoicing", "F3": "support", "F4": "website", "F5": "renewal",
                    "F6": "product_use", "S1": "onboarding", "S2": "account_manager", "S3": "word_of_mouth",
                    "S4": "product_use"}
FAIR = re.compile(r"messu|trade fair|trade show|expo(?!rt)|event|tapahtum", re.IGNORECASE)
THRESHOLDS = (0.0, 0.15, 0.2, 0.25, 0.3, 0.4)


def truth_of(text: str, issues: dict[str, dict]) -> str:
    hits = [k for k, issue in issues.items() if issue["pattern"].search(text)]
    if len(hits) != 1:
        return ""
    if hits[0] == "S3" and FAIR.search(text):
        return "events"
    return ISSUE_TOUCHPOINT[hits[0]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_touchpoints", description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    go_offline()
    issues = planted_issues(SAMPLE / "ANSWER.md")
    cache = EmbeddingCache(cache_dir())
    with sample_copy() as study:
        config = load_config(study)
        result = analyse_study(study, config, cache=cache)
    segments = result.segments[(result.segments["role"] == "respondent") & (result.segments["theme_id"] != "")]
    segments = segments.reset_index(drop=True)
    embedder = load_embedder(result.settings["embedder"])

    def embed(texts):
        return embed_texts(list(texts), embedder, cache)

    vectors = embed(segments["text"])
    truth = np.array([truth_of(t, issues) for t in segments["text"]], dtype=object)
    scored = truth != ""
    true_stage = [issues[k]["stage"] if (k := next((i for i, v in ISSUE_TOUCHPOINT.items() if v == t), "")) else s
                  for t, s in zip(truth, segments["stage"], strict=True)]
    true_stage = ["awareness" if t == "events" else s for t, s in zip(truth, true_stage, strict=True)]
    full = load_touchpoints([REPO / "models" / "stages.toml"], REPO / "models" / "touchpoints.toml")
    names = [dataclasses.replace(tp, description_en="", description_fi="", examples=()) for tp in full]
    subthemes = segments["subtheme_id"].tolist()
    everywhere = [{} for _ in range(len(segments))]
    hard = stage_weights(segments["stage"].tolist())
    soft = stage_weights(segments["stage"].tolist(), segments["stage_scores"].tolist())
    true = stage_weights(true_stage)
    variants = [
        ("names only, within teema's stage (before)", names, hard, None),
        ("names only, within the true stage", names, true, None),
        ("names + descriptions + examples, any stage", full, everywhere, None),
        ("names + descriptions + examples, within teema's stage", full, hard, None),
        ("names + descriptions + examples, weighed by teema's stage scores", full, soft, None),
        (f"... + sub-theme pull {SUBTHEME_WEIGHT:g} (teema's default)", full, soft, subthemes),
        (f"... + sub-theme pull {SUBTHEME_WEIGHT:g}, within the true stage", full, true, subthemes),
    ]
    rows = []
    for name, touchpoints, stages, subs in variants:
        probs = touchpoint_probabilities(fit_touchpoints(touchpoints, embed), touchpoints, vectors, stages, subs)
        for threshold in THRESHOLDS:
            placed = place(probs, touchpoints, threshold)["touchpoint"].to_numpy(dtype=object)
            right = placed == truth
            on = placed != "unplaced"
            rows.append({
                "touchpoints": name, "threshold": threshold, "statements": int(scored.sum()),
                "accuracy": round(float(right[scored].mean()), 3),
                "accuracy_survey": round(float(right[scored & (segments["source"] == "feedback").to_numpy()].mean()),
                                         3),
                "accuracy_interviews": round(float(
                    right[scored & (segments["source"] == "interview").to_numpy()].mean()), 3),
                "placed": round(float(on[scored].mean()), 3),
                "accuracy_when_placed": round(float(right[scored & on].mean()) if (scored & on).any() else 0.0, 3),
            })
    table = pd.DataFrame(rows)
    print(write_results(table, "touchpoints", "Touchpoints on the sample study's planted statements", [
        "Statements of `corpora/sample` (survey and interviews) that match exactly one planted issue's pattern "
        "(ANSWER.md), each issue mapped to one touchpoint of `models/stages.toml`; accuracy counts 'unplaced' as "
        "wrong, accuracy_when_placed leaves them out.",
        "'names only': the touchpoint's Finnish and English names as its only texts (what docs/tagging.md measured "
        "before as 0.50 with cosine similarity); 'examples': models/touchpoints.toml, invented, none from the sample.",
        "Stage: teema's stage for each statement, or the planted issue's (an upper bound).",
        "Rerun: `python -m bench.eval_touchpoints`."]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
