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
