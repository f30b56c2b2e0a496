"""The sample study's themes across UMAP seeds: the largest themes, agreement with the planted issues.

    python -m bench.eval_sample_themes [--seeds 0 1 2]

Runs teema on a copy of corpora/sample once per UMAP random state (everything else as shipped) and
reports the sizes of the three largest themes (a sixth of a study in one theme is small talk, not a
finding), V-measure and ARI between teema's themes and the planted issues on every respondent statement
that names exactly one planted issue (unassigned as singletons), and the top failures. One seed is one
draw: the sample's clustering moves a lot between seeds, so read the spread, not one row.
Results: bench/results/sample_themes.md.
"""

from __future__ import annotations

import argparse
import dataclasses

import pandas as pd
from sklearn.metrics import adjusted_rand_score, v_measure_score

from bench.common import cache_dir, go_offline, write_results
from bench.eval_sample_tags import SAMPLE, planted_issues, sample_copy
from pipeline.config import load_config
from pipeline.embed import EmbeddingCache
from pipeline.study import analyse_study


def planted_agreement(segments: pd.DataFrame, issues: dict[str, dict]) -> tuple[int, float, float]:
    """Statements naming exactly one planted issue; V and ARI of their themes against those issues."""
    respondents = segments[segments["role"] == "respondent"]
    truth, found = [], []
    for number, (text, theme) in enumerate(zip(respondents["text"], respondents["theme_id"].fillna(""),
                                               strict=True)):
        hits = [key for key, issue in issues.items() if issue["pattern"].search(text)]
        if len(hits) == 1:
            truth.append(hits[0])
            found.append(theme or f"unassigned-{number}")
    return len(truth), v_measure_score(truth, found), adjusted_rand_score(truth, found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_sample_themes", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    args = parser.parse_args(argv)
    go_offline()
    issues = planted_issues(SAMPLE / "ANSWER.md")
    cache = EmbeddingCache(cache_dir())
    records = []
    with sample_copy() as study:
        config = load_config(study)
        for seed in args.seeds:
            config = dataclasses.replace(config, themes=dataclasses.replace(config.themes, random_state=seed))
            result = analyse_study(study, config, cache=cache)
            sizes = result.themes["mentions"].sort_values(ascending=False).tolist()
            statements = int((result.segments["theme_id"].fillna("") != "").sum())
            n, v, ari = planted_agreement(result.segments, issues)
            failures = result.issues[result.issues["polarity"] == "failure"].head(3)
            records.append({
                "UMAP seed": seed, "themes": len(sizes), "statements in themes": statements,
                "largest three themes": " / ".join(str(s) for s in sizes[:3]),
                "largest share": round(sizes[0] / statements, 3) if sizes else 0.0,
                "planted statements": n, "V": round(v, 3), "ARI": round(ari, 3),
                "top failures (respondents)": "; ".join(f"{label} ({r})" for label, r in
                                                        zip(failures["theme_label"], failures["respondents"],
                                                            strict=True)),
            })
    table = pd.DataFrame(records)
    mean = {"UMAP seed": "mean", **{c: round(table[c].mean(), 3) for c in ("largest share", "V", "ARI")}}
    table = pd.concat([table.astype(object), pd.DataFrame([mean], dtype=object)], ignore_index=True).fillna("")
    print(write_results(table, "sample_themes", "The sample study's themes across UMAP seeds", [
        "corpora/sample as shipped, once per UMAP random state ([themes] random_state); everything else default.",
        "V / ARI: teema's themes against the planted issues on respondent statements naming exactly one planted "
        "issue (ANSWER.md patterns), unassigned as singletons. Issues are broader than themes, so these are low "
        "by construction; compare rows and versions, not with Banking77.",
        "Rerun: `python -m bench.eval_sample_themes`."]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
