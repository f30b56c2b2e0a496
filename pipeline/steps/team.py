"""code_frame, team_codes and touchpoints: a team's own code frame, and each statement's touchpoint."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from pipeline.code_frame import fit_code_frame, frame_summary, load_code_frame
from pipeline.settings import theme_params
from pipeline.steps.run import StudyRun
from pipeline.steps.themes import ASSIGNMENT_COLUMNS, with_assignments
from pipeline.touchpoints import tag_touchpoints


def code_frame_step(run: StudyRun) -> StudyRun:
    """The team's code frame ([themes] code_frame: .qdc, .qdpx or .csv), read before anything is embedded so a
    broken file stops the run at once (QdaError, exit 2)."""
    return replace(run, code_frame=load_code_frame(run.root, run.config.themes.code_frame))


def team_codes_step(run: StudyRun) -> StudyRun:
    """Statements close enough to a team code are coded to it (themes C01, C02, ... with the team's names); the
    rest keep teema's themes, marked new."""
    coded, themes = run.coded, run.themes
    threshold = run.config.themes.code_threshold
    assignments, themes = fit_code_frame(coded, run.statement_vectors, coded[ASSIGNMENT_COLUMNS], themes,
                                         run.code_frame, run.vectors, threshold,
                                         theme_params(run.config.themes).quotes)
    return replace(run, themes=themes, coded=with_assignments(coded, assignments),
                   frame_note=frame_summary(assignments, themes, run.code_frame, threshold))


def touchpoints_step(run: StudyRun) -> StudyRun:
    """Each statement's touchpoint on its journey stage, with a confidence ("unplaced" below [tag]
    touchpoint_threshold); nothing when the study's journey names no touchpoints."""
    touchpoints = run.definitions.touchpoints
    if not touchpoints:
        return replace(run, touchpoints=())
    placed = tag_touchpoints(run.coded, run.statement_vectors, touchpoints, run.vectors,
                             run.config.tag.touchpoint_threshold)
    return replace(run, coded=pd.concat([run.coded, placed], axis=1), touchpoints=tuple(touchpoints))
