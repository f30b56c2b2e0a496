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
from pipeline.config import _CHOICES, StudySection, load_config
from pipeline.embed import EmbeddingCache
from pipeline.study import analyse_study

PLANTED_RESPONDENTS = {"F1": 53, "F2": 47, "F3": 42, "F6": 21, "S1": 43}  # ANSWER.md


def planted_agreement(segments: pd.DataFrame, issues: dict[str, dict], column: str = "theme_id",
                      source: str = "") -> tuple[int, float, float]:
    """Statements naming exactly one planted issue (of `source` only, when given); V and ARI of their themes (or
    sub-themes) against those issues."""
    respondents = segments[segments["role"] == "respondent"]
    if source:
        respondents = respondents[respondents["source"] == source]
    truth, found = [], []
    for number, (text, theme) in enumerate(zip(respondents["text"], respondents[column].fillna(""),
                                               strict=True)):
        hits = [key for key, issue in issues.items() if issue["pattern"].search(text)]
        if len(hits) == 1:
            truth.append(hits[0])
            found.append(theme or f"unassigned-{number}")
    return len(truth), v_measure_score(truth, found), adjusted_rand_score(truth, found)


def planted_counts(segments: pd.DataFrame, ranked: pd.DataFrame, issues: dict[str, dict]) -> dict[str, tuple]:
    """For each planted issue of PLANTED_RESPONDENTS: the ranked issue (theme x stage x polarity, of the planted
    polarity) holding most of its statements, with that issue's respondents and rank."""
    members = {sid: i for i, row in enumerate(ranked.itertuples(index=False)) for sid in row.segment_ids}
    found = {}
    for key in PLANTED_RESPONDENTS:
        pattern, polarity = issues[key]["pattern"], issues[key]["polarity"]
        hits = [members[s] for s, text in zip(segments["segment_id"], segments["text"], strict=True)
                if s in members and pattern.search(text) and ranked.iloc[members[s]]["polarity"] == polarity]
        if not hits:
            found[key] = ("", 0, 0, "")
            continue
        best = pd.Series(hits).value_counts().index[0]
        row = ranked.iloc[best]
        found[key] = (row["theme_label"], int(row["respondents"]), int(row["rank"]), row["stage"])
    return found


def planted_theme_counts(segments: pd.DataFrame, ranked: pd.DataFrame, issues: dict[str, dict]
                         ) -> dict[str, tuple[int, int]]:
    """For each planted issue: (respondents, rank) of the theme holding most of its statements, counted over the
    theme's issues of the planted polarity at every stage (an issue is theme x stage x polarity, so a theme whose
    statements the tagger places at two stages is two issues), ranked among the themes of that polarity."""
    respondent = dict(zip(segments["segment_id"], segments["respondent_id"], strict=True))
    totals: dict[tuple[str, str], set] = {}
    for row in ranked.itertuples(index=False):
        totals.setdefault((row.theme_id, row.polarity), set()).update(respondent[s] for s in row.segment_ids)
    theme_of = {s: row.theme_id for row in ranked.itertuples(index=False) for s in row.segment_ids}
    polarity_of = {s: row.polarity for row in ranked.itertuples(index=False) for s in row.segment_ids}
    found = {}
    for key in PLANTED_RESPONDENTS:
        pattern, polarity = issues[key]["pattern"], issues[key]["polarity"]
        hits = [theme_of[s] for s, text in zip(segments["segment_id"], segments["text"], strict=True)
                if s in theme_of and polarity_of[s] == polarity and pattern.search(text)]
        if not hits:
            found[key] = (0, 0)
            continue
        theme = pd.Series(hits).value_counts().index[0]
        sizes = sorted(((-len(r), t) for (t, p), r in totals.items() if p == polarity))
        found[key] = (len(totals[(theme, polarity)]), [t for _, t in sizes].index(theme) + 1)
    return found


def with_settings(config, settings: list[str]):
    """`config` with each SECTION.KEY=VALUE (a TOML value) set."""
    import tomllib

    for setting in settings:
        dotted, _, value = setting.partition("=")
        section, _, key = dotted.partition(".")
        parsed = tomllib.loads(f"v = {value}")["v"]
        config = dataclasses.replace(config, **{section: dataclasses.replace(getattr(config, section),
                                                                             **{key: parsed})})
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_sample_themes", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--small-talk", choices=_CHOICES[("study", "small_talk")],
                        help="[study] small_talk (issue 17); another than the default writes sample_themes_<value>.md")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="a teema.toml setting for every run (TOML value), e.g. tag.stage_subtheme_weight=0; "
                             "the table goes to sample_themes_whatif.md")
    args = parser.parse_args(argv)
    go_offline()
    issues = planted_issues(SAMPLE / "ANSWER.md")
    cache = EmbeddingCache(cache_dir())
    records = []
    with sample_copy() as study:
        config = load_config(study)
        if args.small_talk:
            config = dataclasses.replace(config, study=dataclasses.replace(config.study, small_talk=args.small_talk))
        config = with_settings(config, args.set)
        for seed in args.seeds:
            config = dataclasses.replace(config, themes=dataclasses.replace(config.themes, random_state=seed))
            result = analyse_study(study, config, cache=cache)
            sizes = result.themes["mentions"].sort_values(ascending=False).tolist()
            statements = int((result.segments["theme_id"].fillna("") != "").sum())
            n, v, ari = planted_agreement(result.segments, issues)
            _, sub_v, sub_ari = planted_agreement(result.segments, issues, "subtheme_id")
            # ANSWER.md's patterns are checked on the survey only (every row of its issue, none of another's); in
            # an interview "myyjä" or "support" is often said about something else, so these are the clean labels.
            n_survey, survey_v, survey_ari = planted_agreement(result.segments, issues, source="feedback")
            counts = planted_counts(result.segments, result.issues, issues)
            theme_counts = planted_theme_counts(result.segments, result.issues, issues)
            failures = result.issues[result.issues["polarity"] == "failure"].head(3)
            records.append({
                "UMAP seed": seed, "themes": len(sizes),
                "sub-themes": len(result.subthemes) if result.subthemes is not None else 0,
                "statements in themes": statements,
                "largest three themes": " / ".join(str(s) for s in sizes[:3]),
                "largest share": round(sizes[0] / statements, 3) if sizes else 0.0,
                "planted statements": n, "V": round(v, 3), "ARI": round(ari, 3),
                "sub-theme V": round(sub_v, 3), "sub-theme ARI": round(sub_ari, 3),
                "survey statements": n_survey, "survey V": round(survey_v, 3), "survey ARI": round(survey_ari, 3),
                **{f"{key} respondents (planted {PLANTED_RESPONDENTS[key]})": counts[key][1] for key in counts},
                **{f"{key} rank": counts[key][2] for key in counts},
                **{f"{key} theme, every stage (planted {PLANTED_RESPONDENTS[key]})": theme_counts[key][0]
                   for key in theme_counts},
                **{f"{key} theme rank": theme_counts[key][1] for key in theme_counts},
                "stages (F1 F2 F3 F6 S1; planted contract, customership x4)": " ".join(
                    counts[key][3] for key in counts),
                "top failures (respondents)": "; ".join(f"{label} ({r})" for label, r in
                                                        zip(failures["theme_label"], failures["respondents"],
                                                            strict=True)),
            })
    table = pd.DataFrame(records)
    mean = {"UMAP seed": "mean", **{c: round(table[c].mean(), 3) for c in ("largest share", "V", "ARI",
                                                                        "sub-theme V", "sub-theme ARI",
                                                                        "survey V", "survey ARI")}}
    table = pd.concat([table.astype(object), pd.DataFrame([mean], dtype=object)], ignore_index=True).fillna("")
    other = args.small_talk and args.small_talk != StudySection().small_talk
    stem = f"sample_themes_{args.small_talk.replace('+', '_')}" if other else "sample_themes"
    stem = "sample_themes_whatif" if args.set else stem
    print(write_results(table, stem, "The sample study's themes across UMAP seeds", [
        "corpora/sample as shipped, once per UMAP random state ([themes] random_state); everything else default"
        + (f" but [study] small_talk = \"{args.small_talk}\"" if other else "")
        + (f" but {', '.join(args.set)}" if args.set else "") + ".",
        "V / ARI: teema's broad themes (sub-theme V / ARI: its sub-themes) against the planted issues on respondent "
        "statements naming exactly one planted issue (ANSWER.md patterns), unassigned as singletons. Targets for "
        "the theme level: V >= 0.75, ARI >= 0.60. Survey V / ARI: the same on the survey's statements only, where "
        "ANSWER.md checked its patterns (each matches every row of its issue and none of another's); in the "
        "interviews a pattern also matches talk about something else (\"Siellä oli yks myyjä, joka...\").",
        "Fk respondents / rank: the ranked issue (theme x stage x polarity) holding most of the planted issue's "
        "statements, its respondents and its rank among failures (S1: among successes). Target: within 20% of the "
        "planted count, F1, F2, F3, F6 ranked 1-4 in that order, S1 first; stages: that issue's stage. "
        "Fk theme, every stage / theme rank: the theme holding most of the planted issue's statements of its "
        "polarity, its respondents with a statement of that polarity at any stage (the union of the theme's issues "
        "of that polarity), ranked among the themes so counted.",
        f"Rerun: `python -m bench.eval_sample_themes{f' --small-talk {args.small_talk}' if other else ''}`."]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
