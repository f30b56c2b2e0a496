"""tag and decisions: stage, polarity and frames for every statement; the researcher's own decisions win."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from pipeline.scale import PartitionedClassifier
from pipeline.steps.run import StudyRun
from pipeline.tagger import Tagger, build_tagger
from pipeline.tagging import fit_label_classifier, tag_frame


def on_rows(run: StudyRun, model):
    """The classifier scoring the statements where the run's row-wise work runs."""
    return PartitionedClassifier(model, run.mapper, run.config.scale.partition_rows)


def study_tagger(run: StudyRun) -> Tagger:
    """The tagger `teema agree` scores (pipeline.tagger), its classifiers scoring where the row-wise work runs."""
    definitions = run.definitions
    tagger = build_tagger(run.config, (definitions.stages, definitions.polarity), run.vectors, run.english,
                          run.hand_coded.rows if run.hand_coded is not None else None)
    return replace(tagger, models={field: on_rows(run, model) for field, model in tagger.models.items()},
                   english={field: replace(model, model=on_rows(run, model.model))
                            for field, model in tagger.english.items()})


def tag_step(run: StudyRun) -> StudyRun:
    """Stage, polarity and frames with confidences: the definitions' classifiers, the interviewer's question as
    context, the theme's common stage, NPS and polar words; every label's source is the model here."""
    run.progress("Tagging stage and polarity", 0, 1)
    coded, vectors, embed = run.coded, run.statement_vectors, run.vectors
    if run.english is not None:  # [tag] english_unsure < 1: the unsure English statements are embedded here
        label = f"Embedding unsure English statements ({run.english.name})"
        run.english.late_progress = lambda done, total: run.progress(label, done, total)
    tagger = study_tagger(run)
    tags = tagger.tag(coded, vectors)
    frame_tags = [tag_frame(vectors, (frame, on_rows(run, fit_label_classifier(frame, embed))),
                            run.config.tag.frame_threshold) for frame in run.definitions.frames]
    coded = pd.concat([coded, tags, *frame_tags], axis=1)
    for column in ("stage", "polarity"):
        coded[f"{column}_source"] = np.full(len(coded), "model", dtype=object)
    run.progress("Tagging stage and polarity", 1, 1)
    return replace(run, coded=coded, english_tagged=bool(tagger.english))


def decisions_step(run: StudyRun) -> StudyRun:
    """A coder's own label for a statement wins, then a sub-theme's pin in the codebook, then its theme's, then
    the model."""
    coded, edits, hand_coded = run.coded.copy(), run.edits, run.hand_coded
    pinned_by = [(edits, "theme_id"), (run.subtheme_edits, "subtheme_id")]  # the more specific applied last
    for column in ("stage", "polarity"):
        source = coded[f"{column}_source"].to_numpy(dtype=object).copy()
        for book, level in pinned_by:
            if book is None or level not in coded:
                continue
            pins = book.stage_pins if column == "stage" else book.polarity_pins
            pinned = coded[level].map(lambda key, pins=pins: pins.get(key, ""))
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
