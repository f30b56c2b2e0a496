import numpy as np
import pandas as pd

from pipeline.embed import embed_texts
from pipeline.topic_vectors import distinct_lemmas, lemma_topic_vectors, statement_lemmas

ROWS = pd.DataFrame({
    "text": ["Lasku oli taas väärin.", "Laskut olivat väärin.", "The invoice was wrong again.",
             "Tuki ei vastaa puhelimeen.", "ja no niin", "Invoices are wrong every month.",
             "Support never answers the phone."],
    "lang": ["fi", "fi", "en", "fi", "fi", "en", "en"],
})


def test_each_statement_has_its_content_lemmas_in_both_languages():
    lemmas = statement_lemmas(ROWS)
    assert "lasku" in lemmas[0] and lemmas[0] == lemmas[1]  # inflected alike: one lemma set
    assert "invoice" in lemmas[2]
    assert lemmas[4] == []  # only small words: no topic of its own
    assert distinct_lemmas(lemmas) == sorted(set(distinct_lemmas(lemmas)))


def test_topic_is_the_mean_of_its_lemma_vectors_each_embedded_once(embedder):
    asked: list[str] = []

    def embed(texts):
        asked.extend(texts)
        return embed_texts(list(texts), embedder)

    lemmas = statement_lemmas(ROWS)
    own = embed_texts(ROWS["text"].tolist(), embedder)
    topics = lemma_topic_vectors(lemmas, embed, own)
    assert sorted(asked) == sorted(set(asked)) == distinct_lemmas(lemmas)  # every word once, in one call
    np.testing.assert_allclose(np.linalg.norm(topics, axis=1), 1.0, atol=1e-5)
    words = embed_texts(lemmas[0], embedder)
    words /= np.linalg.norm(words, axis=1, keepdims=True)
    mean = words.mean(axis=0)
    np.testing.assert_allclose(topics[0], mean / np.linalg.norm(mean), atol=1e-5)
    np.testing.assert_allclose(topics[0], topics[1], atol=1e-6)  # the same lemmas, the same topic
    np.testing.assert_allclose(topics[4], own[4] / np.linalg.norm(own[4]), atol=1e-5)  # no lemma: its own vector
    assert topics[2] @ topics[5] > topics[2] @ topics[6]  # invoices nearer invoices than support


def test_no_lemma_anywhere_keeps_the_statements(embedder):
    own = embed_texts(["ja no", "ok"], embedder)
    topics = lemma_topic_vectors([[], []], lambda texts: embed_texts(list(texts), embedder), own)
    np.testing.assert_allclose(topics, own / np.linalg.norm(own, axis=1, keepdims=True), atol=1e-5)
