"""Polarity inside a study: does leaning toward the sub-theme's polarity help on statements nobody here tuned on?

    python -m bench.eval_polarity_in_study [--xed-per-language 600] [--seed 0]

`bench.eval_polarity` scores the tagger on statements one by one. In a study a statement's polarity also leans
toward its sub-theme's (`[tag] polarity_theme_weight`), which only a whole run shows. This runs each labelled
set as a feedback study (`id,text` rows, one respondent each) through `analyse_study` with defaults, once with
the lean and once without (weight 0), and scores every respondent statement against its row's label:

- cx: bench/data/cx_polarity.csv, 100 clearly polar customer statements per language (held out; see
  bench/data/README.md). Its sub-themes mix praise and complaints about the same things: the cost side.
- xed: a seeded sample of ../shared/eval/xed film subtitles per language, positive -> success, negative ->
  failure. Not customer feedback: a rough check.

Accuracy counts neutral as wrong (every row is polar); "polar accuracy" scores only statements not tagged
neutral. Results: bench/results/polarity_in_study.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path

import pandas as pd

from bench.common import REPO, cache_dir, go_offline, write_results
from pipeline.config import load_config
from pipeline.embed import EmbeddingCache
from pipeline.study import analyse_study

CX = REPO / "bench" / "data" / "cx_polarity.csv"
XED = REPO.parent / "shared" / "eval" / "xed"
XED_LABELS = {"positive": "success", "negative": "failure"}


def cx_rows() -> pd.DataFrame:
    table = pd.read_csv(CX)
    return table[["text", "label", "lang"]]


def xed_rows(per_language: int, seed: int) -> pd.DataFrame:
    """A sample stratified by label, the same for a seed; empty when the XED files are not there."""
    frames = []
    for lang in ("fi", "en"):
        path = XED / f"{lang}_polarity.csv"
        if not path.exists():
            return pd.DataFrame(columns=["text", "label", "lang"])
        table = pd.read_csv(path)
        table = table[table["label"].isin(XED_LABELS)].drop_duplicates("text")
        half = per_language // 2
        picked = pd.concat([g.sample(min(half, len(g)), random_state=seed) for _, g in
                            table.groupby("label", sort=True)])
        frames.append(picked.assign(label=picked["label"].map(XED_LABELS), lang=lang)[["text", "label", "lang"]])
    return pd.concat(frames, ignore_index=True)


def run_study(rows: pd.DataFrame, weight: float | None, cache: EmbeddingCache) -> pd.DataFrame:
    """Respondent statements with their row's label and language; `weight` None = the default."""
    with tempfile.TemporaryDirectory() as temp:
        study = Path(temp) / "study"
        study.mkdir()
        ids = [f"R{i:05d}" for i in range(len(rows))]
        pd.DataFrame({"id": ids, "text": rows["text"].to_numpy()}).to_csv(study / "feedback.csv", index=False)
        config = load_config(study)
        if weight is not None:
            config = dataclasses.replace(config, tag=dataclasses.replace(config.tag, polarity_theme_weight=weight))
        result = analyse_study(study, config, cache=cache)
    segments = result.segments[result.segments["role"] == "respondent"]
    truth = dict(zip(ids, zip(rows["label"], rows["lang"], strict=True), strict=True))
    return segments.assign(label=segments["respondent_id"].map(lambda r: truth[r][0]),
                           written=segments["respondent_id"].map(lambda r: truth[r][1]))


def scores(frame: pd.DataFrame) -> dict[str, float]:
    out: dict[str, float] = {"statements": len(frame)}
    for lang in ("fi", "en", "all"):
        part = frame if lang == "all" else frame[frame["written"] == lang]
        right = part["polarity"] == part["label"]
        polar = part["polarity"] != "neutral"
        out[f"accuracy {lang}"] = round(float(right.mean()), 3)
        out[f"polar accuracy {lang}"] = round(float(right[polar].mean()), 3) if polar.any() else 0.0
    out["neutral"] = round(float((frame["polarity"] == "neutral").mean()), 3)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_polarity_in_study", description=__doc__.split("\n")[0])
    parser.add_argument("--xed-per-language", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    go_offline()
    cache = EmbeddingCache(cache_dir())
    records = []
    for name, rows in (("cx", cx_rows()), ("xed", xed_rows(args.xed_per_language, args.seed))):
        if rows.empty:
            continue
        for setting, weight in (("default", None), ("no sub-theme lean (weight 0)", 0.0)):
            frame = run_study(rows, weight, cache)
            records.append({"set": name, "rows": len(rows), "setting": setting, **scores(frame)})
    print(write_results(pd.DataFrame(records), "polarity_in_study", "Polarity inside a study, with and without the "
                        "lean toward the sub-theme's polarity", [
                            "Each labelled set run as a feedback study (`id,text`, one respondent per row) through "
                            "analyse_study with defaults; 'no sub-theme lean' sets [tag] polarity_theme_weight = 0.",
                            "cx: bench/data/cx_polarity.csv (held out, 100 per language). xed: a seeded stratified "
                            f"sample of {args.xed_per_language} XED subtitles per language (seed {args.seed}).",
                            "Accuracy counts neutral as wrong; polar accuracy scores the statements not tagged "
                            "neutral.",
                            "Rerun: `python -m bench.eval_polarity_in_study`."]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
