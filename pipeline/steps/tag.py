"""tag and decisions: stage, polarity and frames for every statement; the researcher's own decisions win."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from pipeline.agree import Coded
from pipeline.scale import PartitionedClassifier
from pipeline.settings import tag_params
from pipeline.steps.run import StudyRun
from pipeline.tagging import LanguageModel, fit_english_classifier, fit_label_classifier, tag_frame, tag_statements


def coded_examples(hand_coded: Coded | None, field: str) -> tuple[list[str], list[str]] | None:
    """The coder's (texts, labels) for one field, which the classifiers learn from beside the definitions."""
    if hand_coded is None:
        return None
    rows = hand_coded.rows[hand_coded.rows[field] != ""]
    return rows["text"].tolist(), rows[field].tolist()


def on_rows(run: StudyRun, model):
    """The classifier scoring the statements where the run's row-wise work runs."""
    return PartitionedClassifier(model, run.mapper, run.config.scale.partition_rows)


def english_models(run: StudyRun) -> tuple[LanguageModel, LanguageModel] | None:
    """Stage and polarity classifiers on [tag] english_model's vectors, for English statements, when the embed
    step embedded them with it."""
    if run.english is None:
        return None
    definitions = run.definitions
    return tuple(LanguageModel("en", run.english, on_rows(run, fit_english_classifier(
                     label_set, run.english, coded=coded_examples(run.hand_coded, field))))
                 for label_set, field in ((definitions.stages, "stage"), (definitions.polarity, "polarity")))


def tag_step(run: StudyRun) -> StudyRun:
    """Stage, polarity and frames with confidences: the definitions' classifiers, the interviewer's question as
    context, the theme's common stage, NPS and polar words; every label's source is the model here."""
    run.progress("Tagging stage and polarity", 0, 1)
    coded, vectors, definitions, embed = run.coded, run.statement_vectors, run.definitions, run.vectors
    stage_model = on_rows(run, fit_label_classifier(definitions.stages, embed,
                                                    coded=coded_examples(run.hand_coded, "stage")))
    polarity_model = on_rows(run, fit_label_classifier(definitions.polarity, embed,
                                                       coded=coded_examples(run.hand_coded, "polarity")))
    english = english_models(run)
    has_question = (coded["question"] != "").to_numpy()
    question_vectors = vectors.copy()  # a statement with no question is its own context
    if has_question.any():
        question_vectors[has_question] = embed(coded.loc[has_question, "question"])
    tags = tag_statements(
        vectors, question_vectors, has_question, coded["theme_id"].tolist(),
        (definitions.stages, stage_model), (definitions.polarity, polarity_model), tag_params(run.config.tag),
        nps=pd.to_numeric(coded["nps"], errors="coerce").to_numpy(dtype=float),
        texts=coded["text"].tolist(), langs=coded["lang"].tolist(),
        stage_other=english[0] if english else None, polarity_other=english[1] if english else None,
    )
    frame_tags = [tag_frame(vectors, (frame, on_rows(run, fit_label_classifier(frame, embed))),
                            run.config.tag.frame_threshold) for frame in definitions.frames]
    coded = pd.concat([coded, tags, *frame_tags], axis=1)
    for column in ("stage", "polarity"):
        coded[f"{column}_source"] = np.full(len(coded), "model", dtype=object)
    run.progress("Tagging stage and polarity", 1, 1)
    return replace(run, coded=coded, english_tagged=english is not None)


def decisions_step(run: StudyRun) -> StudyRun:
    """A coder's own label for a statement wins, then a theme's pin in the codebook, then the model."""
    coded, edits, hand_coded = run.coded.copy(), run.edits, run.hand_coded
    for column in ("stage", "polarity"):
        source = coded[f"{column}_source"].to_numpy(dtype=object).copy()
        if edits is not None:
            pins = edits.stage_pins if column == "stage" else edits.polarity_pins
            pinned = coded["theme_id"].map(lambda theme_id, pins=pins: pins.get(theme_id, ""))
            mask = (pinned != "").to_numpy()
            coded.loc[mask, column] = pinned[mask]
            source[mask] = "codebook"
        if hand_coded is not None:
            rows = hand_coded.rows[(hand_coded.rows[column] != "") & (hand_coded.rows["segment_id"] != "")]
            by_id = dict(zip(rows["segment_id"], rows[column], strict=True))
            given = coded["segment_id"].map(lambda segment_id, by_id=by_id: by_id.get(segment_id, ""))
            mask = (given != "").to_numpy()
            coded.loc[mask, column] = given[mask]
            source[mask] = "coder"
        coded[f"{column}_source"] = source
    return replace(run, coded=coded)
