"""bfloat16 against float32 for the sentence-transformers models: speed, how far the vectors move, and what that
does to English polarity and to the sample study ([embed] precision, issue 14).

    python -m bench.bench_precision [--texts 1000] [--reps 2] [--models mpnet minilm]

- Speed and agreement: the first `--texts` Banking77 test messages (public customer messages, not written here),
  embedded with no cache by each model in float32 and in bfloat16, in teema's batches of 64, `--reps` rounds
  interleaved so a change in the machine's load falls on both; the medians. Cosines are each message's bfloat16
  vector against its float32 one.
- English polarity: bench/eval_polarity's tagger (the pipeline's classifier on pipeline/models/polarity.toml's
  English examples, the lexicon, the threshold) with mpnet in each precision, on CX en (held out) and CX-dev en.
- Sample study: corpora/sample run twice (English stage and polarity on mpnet in float32, then in bfloat16),
  scored as bench/eval_sample_tags scores it, and the statements whose stage, polarity or theme differ.

bfloat16 is only fast where the CPU computes it in hardware (AMX, AVX-512 BF16; pipeline.embed.native_bfloat16);
elsewhere teema's "auto" stays on float32 and this bench says so.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

from bench.common import cache_dir, go_offline, load_average, load_banking77, machine_line, write_results

PRECISIONS = ("float32", "bfloat16")


def cosine_columns(cosines: np.ndarray) -> dict[str, str]:
    """How far bfloat16 vectors are from float32's, as text: the markdown table would round 0.99996 to 1.000."""
    return {"cosine to float32 min": f"{cosines.min():.6f}",
            "cosine to float32 1st percentile": f"{np.percentile(cosines, 1):.6f}",
            "cosine to float32 mean": f"{cosines.mean():.6f}"}


def speed_and_agreement(texts: Sequence[str], models: Sequence[str], reps: int) -> list[dict]:
    """Seconds per pass and the bfloat16 vectors' cosine to the float32 ones, per model."""
    from pipeline.embed import embed_texts, load_embedder

    rows = []
    for model in models:
        embedders = {p: load_embedder(f"{model}@{p}") for p in PRECISIONS}
        for embedder in embedders.values():
            embedder.encode(list(texts[:64]))  # first touch: weights paged in, kernels chosen
        seconds: dict[str, list[float]] = {p: [] for p in PRECISIONS}
        vectors: dict[str, np.ndarray] = {}
        for _ in range(reps):
            for precision, embedder in embedders.items():
                started = time.perf_counter()
                vectors[precision] = embed_texts(texts, embedder, None, 64)
                seconds[precision].append(time.perf_counter() - started)
        cosines = (vectors["float32"] * vectors["bfloat16"]).sum(axis=1)
        median = {p: statistics.median(s) for p, s in seconds.items()}
        for precision in PRECISIONS:
            rows.append({"model": model, "precision": precision, "texts": len(texts),
                         "seconds": round(median[precision], 1),
                         "texts per s": round(len(texts) / median[precision], 1),
                         "speed x float32": round(median["float32"] / median[precision], 2),
                         **(cosine_columns(cosines) if precision != "float32" else {})})
            print(f"{model} {precision}: {rows[-1]['seconds']} s, {rows[-1]['texts per s']} texts/s", flush=True)
    return rows


def english_polarity() -> list[dict]:
    """bench.eval_polarity's English rows for mpnet in each precision."""
    from bench.eval_polarity import CX_DEV_PATH, CX_PATH, evaluate, load_cx
    from pipeline.config import TagSection

    tag = TagSection()
    sets = {(name, "en"): frame[frame["lang"] == "en"].reset_index(drop=True)
            for name, frame in (("CX", load_cx(CX_PATH)), ("CX-dev", load_cx(CX_DEV_PATH)))}
    rows = []
    for precision in PRECISIONS:
        for row in evaluate(f"mpnet@{precision}", sets, tag.polarity_threshold, tag.lexicon_weight):
            rows.append({"precision": precision, **row})
    return rows


def sample_study() -> tuple[list[dict], list[str]]:
    """The sample run with English on mpnet in each precision: planted stage and polarity, and what differs."""
    from bench.eval_sample_tags import SAMPLE, planted_issues, sample_copy, score
    from pipeline.config import load_config
    from pipeline.embed import EmbeddingCache
    from pipeline.study import analyse_study

    issues = planted_issues(SAMPLE / "ANSWER.md")
    cache = EmbeddingCache(cache_dir())
    rows, segments = [], {}
    with sample_copy() as study:
        base = load_config(study)
        for precision in PRECISIONS:
            config = dataclasses.replace(base, embed=dataclasses.replace(base.embed, precision=precision))
            result = analyse_study(study, config, cache=cache)
            segments[precision] = result.segments.set_index("segment_id")
            rows.append({"precision": precision, **score(result.segments, issues),
                         "issues": len(result.issues)})
    a, b = segments["float32"], segments["bfloat16"].reindex(segments["float32"].index)
    english = a["lang"] == "en"
    differ = [f"{field}: {int((a[field] != b[field]).sum())} of {len(a)} statements differ "
              f"({int(((a[field] != b[field]) & english).sum())} of {int(english.sum())} English)"
              for field in ("stage", "polarity", "theme_id", "subtheme_id")]
    return rows, differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_precision", description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=1000, help="Banking77 test messages to time (first N)")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--models", nargs="+", default=["mpnet", "minilm"])
    args = parser.parse_args(argv)
    go_offline()
    from pipeline.embed import native_bfloat16

    load_at_start = load_average()
    texts = load_banking77("test")["text"].tolist()[:args.texts]
    speed = pd.DataFrame(speed_and_agreement(texts, args.models, args.reps))
    polarity = pd.DataFrame(english_polarity())
    polarity = polarity[["dataset", "precision", "tagger", "n", "accuracy", "macro-F1", "neutral share"]]
    sample, differ = sample_study()
    notes = [
        machine_line(load_at_start),
        f"This CPU computes bfloat16 in hardware: {'yes' if native_bfloat16() else 'no'} "
        "(pipeline.embed.native_bfloat16; [embed] precision 'auto' = bfloat16 only then).",
        f"Speed: the first {len(texts)} Banking77 test messages, no cache, batches of 64, {args.reps} interleaved "
        "rounds, medians. Cosine: each message's bfloat16 vector against its float32 one.",
        "English polarity: bench.eval_polarity's tagger with mpnet in each precision (CX en held out, CX-dev en).",
        "Sample: corpora/sample with [embed] precision float32 and bfloat16 (English stage and polarity on mpnet), "
        "scored as bench/eval_sample_tags; " + "; ".join(differ) + ".",
        f"Rerun: `python -m bench.bench_precision --texts {args.texts} --reps {args.reps}`.",
    ]
    table = pd.concat([speed.assign(part="speed"), polarity.assign(part="polarity"),
                       pd.DataFrame(sample).assign(part="sample")], ignore_index=True)
    print(write_results(table, "precision", "bfloat16 against float32 (sentence-transformers models)", notes,
                        [("Speed and agreement", speed), ("English polarity", polarity),
                         ("Sample study, planted issues", pd.DataFrame(sample))]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
