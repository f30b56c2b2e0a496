"""The tables one study run carries from step to step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.agree import Coded
from pipeline.codebook import Codebook, CodebookResult
from pipeline.config import StudyConfig
from pipeline.corpus import Problem
from pipeline.embed import Embedder, EmbeddingCache
from pipeline.notices import Notice
from pipeline.scale import LocalMap, RowMap
from pipeline.subtheme_edits import SubthemeEdits
from pipeline.tagging import LabelSet
from pipeline.text_vectors import TextVectors
from pipeline.theme_model import ThemeModel
from pipeline.waves import ThemeMatch, WaveState

StepFn = Callable[[str, int, int], None]


def quiet(step: str, done: int, total: int) -> None:
    return None


class NothingToCode(RuntimeError):
    """No file of the study gave a respondent statement; `problems` says why each file was not read."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Definitions:
    """Stages (with a study's additions), polarities and frames, each from the study folder or models/."""

    stages: LabelSet
    polarity: LabelSet
    frames: tuple[LabelSet, ...] = ()
    touchpoints: tuple = ()  # the journey's touchpoints (pipeline.touchpoints.Touchpoint); () when it names none


@dataclass(frozen=True)
class StudyRun:
    """The tables of one study run so far: the inputs, then what each step (named beside it) added.

    A step returns a copy (`dataclasses.replace`) and never changes the tables it was given."""

    study_dir: Path
    config: StudyConfig
    study_root: Path | None = None  # the study's own files (codebook, coded statements) when study_dir is a wave
    cache: EmbeddingCache | None = None
    progress: StepFn = quiet
    previous: WaveState | None = None  # the last wave's state, for the waves step
    embedder: Embedder | None = None  # the study's embedder: given, or chosen by the embed step
    mapper: RowMap = field(default_factory=LocalMap)  # where row-wise work runs: here, or a Dask cluster's workers
    notices: tuple[Notice, ...] = ()  # what the researcher should know: edits matching nothing, model fallbacks
    problems: tuple[Problem, ...] = ()  # files not read, and why
    # read
    turns: pd.DataFrame | None = None
    files_read: tuple[str, ...] = ()
    definitions: Definitions | None = None
    codebook: Codebook | None = None
    # segment
    segments: pd.DataFrame | None = None  # every segment: respondents', interviewers', set aside
    coded: pd.DataFrame | None = None  # the respondents' statements to code; later steps add their columns
    hand_coded: Coded | None = None
    # embed
    vectors: TextVectors | None = None  # the study's embedder, for every text of the run
    english: TextVectors | None = None  # [tag] english_model for English statements, when it is another model
    statement_vectors: np.ndarray | None = None  # coded["text"]'s vectors, row for row
    fit_rows: np.ndarray | None = None  # positions in `coded` the theme model is fitted on
    topic_vectors: np.ndarray | None = None  # the fit rows' topic texts' vectors (None: [themes] topic_weight 0)
    # themes
    model: ThemeModel | None = None  # themes: fitted on the sample; named with the study's ids by fitted, subthemes
    theme_numbers: np.ndarray | None = None  # themes: the model's theme number of each coded statement
    themes: pd.DataFrame | None = None
    fitted_theme_ids: tuple[str, ...] = ()  # the themes before the codebook: what the next wave is matched with
    fitted_labels: dict[str, str] = field(default_factory=dict)
    match: ThemeMatch | None = None  # waves
    code_frame: object | None = None  # code_frame: the team's codes (pipeline.qda.frame.CodeFrame)
    frame_note: str = ""  # team_codes: how many statements the team's codes took, for the method section
    touchpoints: tuple = ()  # touchpoints: the journey's touchpoints (pipeline.touchpoints.Touchpoint)
    edits: CodebookResult | None = None  # codebook
    folded_edits: tuple = ()  # codebook: (Edit, Notice) of themes a re-run folded into another; subthemes places them
    kept_themes: tuple[str, ...] = ()  # codebook: edited themes put back together, and the themes they came from
    subtheme_edits: SubthemeEdits | None = None  # subthemes
    subthemes: pd.DataFrame | None = None  # subthemes
    matched_subthemes: tuple[str, ...] = ()  # subthemes: sub-theme ids before the codebook's sub-theme edits
    english_tagged: bool = False  # tag: English statements scored on [tag] english_model
    issues: pd.DataFrame | None = None  # rank
    all_segments: pd.DataFrame | None = None  # rank: every segment with its codes, in reading order
    state: WaveState | None = None  # finish: what the next wave is matched with

    def say(self, *notices: Notice) -> tuple[Notice, ...]:
        """The notices so far and these."""
        return self.notices + tuple(notices)

    @property
    def last_run(self) -> WaveState | None:
        """`previous` when it is this wave's own last run (a re-run, matched by the statements both share)."""
        previous = self.previous
        return previous if previous is not None and previous.wave == self.config.study.wave else None

    @property
    def root(self) -> Path:
        return self.study_root or self.study_dir

    @property
    def respondents(self) -> int:
        return int(self.segments.loc[self.segments["role"] == "respondent", "respondent_id"].nunique())
