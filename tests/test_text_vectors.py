import numpy as np

from pipeline.text_vectors import TextVectors
from tests.test_study import Counting


def test_late_texts_are_reported_to_late_progress():
    vectors = TextVectors(Counting())
    vectors.gather(["Support is slow."])
    lines = []
    vectors.late_progress = lambda done, total: lines.append((done, total))
    vectors(["Support is slow."])
    assert lines == []  # nothing late yet
    vectors(["Invoices are wrong.", "The app crashes.", "Support is slow."])
    assert lines == [(0, 2), (2, 2)] and vectors.late == 2


class InProcessWorkers:
    """A RowMap that runs each partition here, as a cluster's worker would, and keeps what it was sent."""

    def __init__(self):
        self.sent = []

    def map(self, fn, partitions, **kwargs):
        self.sent.append(kwargs)
        return [fn(part, **kwargs) for part in partitions]


def test_workers_load_the_model_in_the_precision_the_client_chose(tmp_path):
    from pipeline.embed import EmbeddingCache, embed_texts, load_embedder

    texts = ["Laskussa oli virhe.", "The invoice was wrong.", "Tuki vastasi nopeasti."]
    embedder = load_embedder("minilm@bfloat16")
    workers = InProcessWorkers()
    cache = EmbeddingCache(tmp_path)
    vectors = TextVectors(embedder, cache, batch_size=2, mapper=workers, partition_rows=2)
    vectors.gather(texts)
    assert workers.sent == [{"model": "minilm@bfloat16", "batch_size": 2}]
    local = embed_texts(sorted(texts), embedder, None, 2)  # one local pass, the same batches
    assert (vectors(sorted(texts)) == local).all()
    assert set(cache.get("minilm@bfloat16", texts)) == set(texts) and not cache.get("minilm", texts)


def test_a_float32_client_has_its_workers_compute_in_float32_whatever_their_cpu():
    from pipeline.embed import load_embedder

    workers = InProcessWorkers()
    TextVectors(load_embedder("minilm@float32"), mapper=workers, batch_size=2).gather(["The invoice was wrong."])
    assert workers.sent == [{"model": "minilm@float32", "batch_size": 2}]


class Batches:
    """An embedder that keeps each batch it is given (a padded model's cost is each batch's longest text)."""

    name = "batches"

    def __init__(self):
        self.batches = []

    def encode(self, texts):
        self.batches.append(list(texts))
        return np.array([[len(text), 1.0] for text in texts], dtype=np.float32)


def test_texts_meet_texts_of_about_their_length_in_a_batch_whatever_the_order():
    texts = ["Support is slow.", "Ok.", "The invoice was wrong twice in a row.", "Kiitos!", "Tuki oli hidas.",
             "Laskussa oli virhe ja hyvitys kesti kolme viikkoa."]
    seen = []
    for order in (texts, texts[::-1]):
        model = Batches()
        vectors = TextVectors(model, batch_size=2)
        vectors.gather(order)
        seen.append(model.batches)
        assert (vectors(texts)[:, 0] == [len(t) for t in texts]).all()  # answers in the order asked
    assert seen[0] == seen[1] == [["Ok.", "Kiitos!"], ["Tuki oli hidas.", "Support is slow."],
                                  ["The invoice was wrong twice in a row.",
                                   "Laskussa oli virhe ja hyvitys kesti kolme viikkoa."]]


def test_a_partition_on_a_worker_is_whole_batches_of_the_local_pass():
    texts = [f"{'word ' * n}{n}" for n in (5, 1, 4, 2, 6, 3)]
    local, remote = Batches(), Batches()
    TextVectors(local, batch_size=2).gather(texts)

    class Here:
        def map(self, fn, partitions, **kwargs):
            return [remote.encode(part) for part in partitions]  # one batch per partition of 2

    TextVectors(remote, batch_size=2, mapper=Here(), partition_rows=2).gather(texts)
    assert remote.batches == local.batches
