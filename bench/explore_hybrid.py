"""Scratch exploration (not part of make eval): hybrid lexical+semantic features and merges on Banking77."""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, v_measure_score
from sklearn.preprocessing import normalize

from bench.common import cached_vectors, go_offline, load_banking77
from pipeline.lexicon import content_lemmas
from pipeline.themes import auto_min_size, centre_by_language, cluster, place_outliers, reduce

CACHE = Path("/tmp/teema-explore")
CACHE.mkdir(exist_ok=True)


def sc(truth, labels):
    un = labels == -1
    single = np.where(un, -np.arange(1, len(labels) + 1), labels)
    return v_measure_score(truth, single), adjusted_rand_score(truth, single), len(set(labels) - {-1}), un.mean()


def lsa(texts, dims, seed=0):
    tf = TfidfVectorizer(analyzer=lambda t: content_lemmas(t, "en"), sublinear_tf=True, min_df=2)
    x = tf.fit_transform(texts)
    z = TruncatedSVD(dims, random_state=seed).fit_transform(x)
    return normalize(z), x


def cached_reduce(points, dims, nn, seed=0):
    key = hashlib.sha1(points.tobytes() + f"{dims},{nn},{seed}".encode()).hexdigest()[:16]
    path = CACHE / f"{key}.npy"
    if path.exists():
        return np.load(path)
    r = reduce(points, dims, nn, seed)
    np.save(path, r)
    return r


def data(split, emb):
    rows = load_banking77(split)
    texts = rows["text"].tolist()
    truth = rows["label"].to_numpy()
    vec = centre_by_language(cached_vectors(texts, emb), None)
    return texts, truth, vec


if __name__ == "__main__":
    go_offline()
    split, emb = sys.argv[1], sys.argv[2]
    weights = [float(w) for w in sys.argv[3].split(",")]
    dims = [int(d) for d in sys.argv[4].split(",")] if len(sys.argv) > 4 else [100]
    texts, truth, vec = data(split, emb)
    ms = auto_min_size(len(texts))
    for d in dims:
        lex, _ = lsa(texts, d)
        for w in weights:
            pts = normalize(np.hstack([vec, w * lex])) if w else vec
            t = time.perf_counter()
            red = cached_reduce(pts, 5, 15)
            raw = cluster(red, ms)
            placed = place_outliers(pts, raw)
            placed_e = place_outliers(vec, raw)
            print(f"{split} {emb} lsa{d} w={w:.2f} raw V={sc(truth, raw)[0]:.3f} ARI={sc(truth, raw)[1]:.3f} "
                  f"placed V={sc(truth, placed)[0]:.3f} ARI={sc(truth, placed)[1]:.3f} k={sc(truth, placed)[2]} "
                  f"un={sc(truth, placed)[3]:.3f} | placed_emb V={sc(truth, placed_e)[0]:.3f} "
                  f"ARI={sc(truth, placed_e)[1]:.3f} ({time.perf_counter() - t:.0f}s)", flush=True)
