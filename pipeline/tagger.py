"""The stage and polarity tagger of a study, built once from its config, definitions and embedder.

`teema themes` tags a study's statements with it and `teema agree` scores the very same tagger against a
team's coders: the same classifiers (with the same coded examples), the same [tag] settings, the same English
model, polar-word lexicon, NPS tilt, question context and theme consensus. Building it in one place is what
keeps the two from drifting apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from pipeline.config import StudyConfig
from pipeline.embed import (
    Embedder,
    EmbedderError,
    EmbeddingCache,
    embed_texts,
    english_pass,
    load_embedder,
    with_precision,
)
from pipeline.notices import Notice, notice
from pipeline.tagging import (
    LabelSet,
    LanguageModel,
    TagParams,
    fit_english_classifier,
    fit_label_classifier,
    tag_statements,
)

EmbedFn = Callable[[Sequence[str]], np.ndarray]
Examples = tuple[list[str], list[str]]  # texts, label ids: statements a researcher coded by hand
FIELDS = ("stage", "polarity")


def load_definitions(config: StudyConfig, study_dir: Path | None) -> tuple[LabelSet, LabelSet, list[LabelSet]]:
    """Stages (with a study's additions), polarities and frames, as the read step loads them (a tuple)."""
    from pipeline.steps.read import load_definitions as read_definitions  # steps.tag imports this module

    definitions = read_definitions(config, study_dir)
    return definitions.stages, definitions.polarity, list(definitions.frames)


def tag_params(config: StudyConfig) -> TagParams:
    """[tag]'s settings as the tagger takes them (pipeline.settings: the one place they are copied across)."""
    from pipeline.settings import tag_params as from_section

    return from_section(config.tag)


def coded_examples(rows: pd.DataFrame | None, field: str) -> Examples | None:
    """The hand-coded rows (pipeline.agree's Coded.rows: text and label ids) that carry a label for `field`."""
    if rows is None:
        return None
    rows = rows[rows[field] != ""]
    return rows["text"].tolist(), rows[field].tolist()


def english_embed_fn(config: StudyConfig, embedder: Embedder, cache: EmbeddingCache | None,
                     notices: list[Notice]) -> EmbedFn | None:
    """Embeds with [tag] english_model when it differs from the study's embedder; None when it is off, the
    same model, not needed (pipeline.embed.english_pass) or cannot be loaded (said in `notices`)."""
    name = config.tag.english_model
    if not english_pass(name, embedder.name):
        return None
    try:
        english = load_embedder(with_precision(name, config.embed.precision))
    except EmbedderError as err:
        notices.append(notice("tag.english_model_missing", embedder=embedder.name, model=name, error=str(err)))
        return None
    seen: dict[str, np.ndarray] = {}  # stage and polarity (and agree's folds) ask for the same statements again

    def embed(texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        missing = sorted(set(texts) - set(seen))
        if missing:
            seen.update(zip(missing, embed_texts(missing, english, cache, config.embed.batch_size), strict=True))
        return np.stack([seen[text] for text in texts]) if texts else embed_texts([], english, cache)

    return embed


@dataclass(frozen=True)
class Tagger:
    """Fitted stage and polarity classifiers (and their English counterparts) with the settings they tag by."""

    label_sets: dict[str, LabelSet]  # "stage", "polarity"
    models: dict[str, Pipeline]
    english: dict[str, LanguageModel]  # empty: every statement on the study's embedder
    params: TagParams
    embed: EmbedFn
    english_embed: EmbedFn | None = None

    def learned(self, field: str, examples: Examples | None) -> Tagger:
        """This tagger with `field`'s classifiers refitted on the definitions plus these coded examples."""
        model, english = _fit(self.label_sets[field], self.embed, self.english_embed, examples)
        return replace(self, models={**self.models, field: model},
                       english={**self.english, **({field: english} if english else {})})

    def tag(self, statements: pd.DataFrame, vectors: np.ndarray | None = None) -> pd.DataFrame:
        """Stage and polarity (with confidences and scores) for each row of `statements`, in order.

        `statements` has `text` and `lang`, and may have `question` (the interviewer's, leaning the stage),
        `theme_id` (a theme's statements agree on a stage), `subtheme_id` (its statements lean toward one polarity)
        and `nps` (tilting a feedback row's polarity), as
        the study's statements do; `vectors` are the texts' vectors when the caller has them already."""
        rows = statements.reset_index(drop=True)
        texts = rows["text"].astype(str).tolist()
        vectors = self.embed(texts) if vectors is None else vectors
        questions = rows["question"].fillna("").astype(str) if "question" in rows else pd.Series("", index=rows.index)
        has_question = (questions != "").to_numpy()
        question_vectors = vectors.copy()  # a statement with no question is its own context: no second embedding
        if has_question.any():
            question_vectors[has_question] = self.embed(questions[has_question].tolist())
        theme_ids = rows["theme_id"].fillna("").astype(str).tolist() if "theme_id" in rows else [""] * len(rows)
        subtheme_ids = rows["subtheme_id"].fillna("").astype(str).tolist() if "subtheme_id" in rows else None
        nps = pd.to_numeric(rows["nps"], errors="coerce").to_numpy(dtype=float) if "nps" in rows else None
        return tag_statements(
            vectors, question_vectors, has_question, theme_ids,
            (self.label_sets["stage"], self.models["stage"]), (self.label_sets["polarity"], self.models["polarity"]),
            self.params, nps=nps, texts=texts, langs=rows["lang"].astype(str).tolist(),
            stage_other=self.english.get("stage"), polarity_other=self.english.get("polarity"),
            subtheme_ids=subtheme_ids)


def _fit(label_set: LabelSet, embed: EmbedFn, english_embed: EmbedFn | None,
         examples: Examples | None) -> tuple[Pipeline, LanguageModel | None]:
    model = fit_label_classifier(label_set, embed, coded=examples)
    if english_embed is None:
        return model, None
    return model, LanguageModel("en", english_embed, fit_english_classifier(label_set, english_embed, coded=examples))


def build_tagger(config: StudyConfig, label_sets: tuple[LabelSet, LabelSet], embed: EmbedFn,
                 english_embed: EmbedFn | None = None, coded: pd.DataFrame | None = None) -> Tagger:
    """The study's tagger: classifiers fitted on the definitions (plus `coded`, the hand-coded rows, when the
    study has them) on the study's embedder, and on `english_embed` for English statements when given
    (english_embed_fn; None when the study has no English statements or tags them on its own embedder)."""
    sets = dict(zip(FIELDS, label_sets, strict=True))
    fitted = {field: _fit(sets[field], embed, english_embed, coded_examples(coded, field)) for field in FIELDS}
    return Tagger(sets, {field: model for field, (model, _) in fitted.items()},
                  {field: english for field, (_, english) in fitted.items() if english is not None},
                  tag_params(config), embed, english_embed)
