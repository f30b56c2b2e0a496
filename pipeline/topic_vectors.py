"""What each statement is about, as a vector: the mean of its content lemmas' vectors (issue 14).

The top level of themes (pipeline.hierarchy) reads a topic space beside the statement vectors: what a statement is
about without the interview talk around it. Embedding each statement's lemma string ("lasku summa väärä") was a
second pass over every statement; a word's vector is the same in every statement, so each distinct lemma is
embedded once (a single word is a short, cheap text, and the embedding cache keeps it for the next study) and a
statement's topic is the mean of its lemmas' unit vectors. On the sample the topic pass fell from 0.84x to 0.21x
one embedding pass of the statements (bench/results/steps.md), themes within the seed spread
(bench/results/sample_themes.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.preprocessing import normalize

EmbedFn = Callable[[Sequence[str]], np.ndarray]


def statement_lemmas(segments: pd.DataFrame) -> list[list[str]]:
    """Each statement's content lemmas (pipeline.lexicon.content_lemmas), in row order."""
    from pipeline.lexicon import content_lemmas

    return [content_lemmas(text, lang) for text, lang in zip(segments["text"], segments["lang"], strict=True)]


def distinct_lemmas(lemmas: Sequence[Sequence[str]]) -> list[str]:
    """The words to embed, each once, sorted (so the batches do not depend on row order)."""
    return sorted({word for words in lemmas for word in words})


def lemma_topic_vectors(lemmas: Sequence[Sequence[str]], embed: EmbedFn, own: np.ndarray) -> np.ndarray:
    """One unit vector per statement: the mean of its lemmas' unit vectors, or its own vector (`own`, the
    statement's row) when it has no content lemma, as the lemma string fell back to the statement itself."""
    words = distinct_lemmas(lemmas)
    if not words:
        return normalize(np.asarray(own, dtype=np.float32)).astype(np.float32)
    word_vectors = normalize(np.asarray(embed(words), dtype=np.float64))
    index = {word: i for i, word in enumerate(words)}
    topics = np.empty((len(lemmas), word_vectors.shape[1]), dtype=np.float64)
    for row, row_words in enumerate(lemmas):
        if row_words:
            topics[row] = word_vectors[[index[word] for word in row_words]].mean(axis=0)
        else:
            topics[row] = own[row]
    return normalize(topics).astype(np.float32)
