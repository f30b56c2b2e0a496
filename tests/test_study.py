"""pipeline.study's helpers: the English model's embeddings are made once per run."""

from __future__ import annotations

import dataclasses

import numpy as np

import pipeline.study as study
from pipeline.config import StudyConfig


class Counting:
    """A stand-in embedder that counts the texts it is asked to encode."""

    name = "counting"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return np.array([[len(text), 1.0] for text in texts], dtype=np.float32)


def test_english_statements_are_embedded_once_without_a_cache(monkeypatch):
    english = Counting()
    monkeypatch.setattr(study, "load_embedder", lambda name: english)
    config = dataclasses.replace(StudyConfig(), tag=dataclasses.replace(StudyConfig().tag, english_model="other"))
    embed = study.english_embed_fn(config, Counting(), cache=None, notices=[])
    first = embed(["Support is slow.", "Great trainer."])  # stage
    again = embed(["Great trainer.", "Support is slow.", "Invoices are wrong."])  # polarity, and one more
    assert sorted(english.seen) == ["Great trainer.", "Invoices are wrong.", "Support is slow."]
    np.testing.assert_array_equal(first[::-1], again[:2])
    assert embed([]).shape[0] == 0
