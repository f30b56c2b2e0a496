"""One study, read to ranked issues: the named steps of `pipeline.steps` run in order, no I/O beyond reading.

read -> segment -> embed -> themes -> [waves] -> [codebook] -> subthemes -> tag -> [decisions] -> rank ->
[redact]. This module runs them for a study folder and gathers what a report needs into a `StudyResult`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pipeline import __version__
from pipeline.codebook import CODEBOOK_FILE
from pipeline.config import StudyConfig
from pipeline.corpus import Problem
from pipeline.embed import Embedder, EmbeddingCache, vector_name
from pipeline.scale import LocalMap, RowMap
from pipeline.settings import theme_params, top_level_params
from pipeline.steps import NothingToCode, StudyRun, run_steps, study_steps
from pipeline.steps.run import quiet
from pipeline.tagger import english_embed_fn, load_definitions
from pipeline.tagging import LabelSet, has_journey
from pipeline.waves import ThemeMatch, WaveState

StepFn = Callable[[str, int, int], None]


@dataclass
class StudyResult:
    study: str
    wave: str
    segments: pd.DataFrame
    themes: pd.DataFrame
    issues: pd.DataFrame
    problems: list[Problem]
    files_read: list[str]
    stages: LabelSet
    settings: dict[str, str] = field(default_factory=dict)
    frames: list[LabelSet] = field(default_factory=list)
    notices: list = field(default_factory=list)  # pipeline.notices.Notice: codebook edits matching nothing, ...
    state: WaveState | None = None  # kept for the next run: a re-run or the next wave
    match: ThemeMatch | None = None  # how the themes relate to the previous wave's
    trends: dict | None = None  # set by pipeline.trends.compare_waves
    subthemes: pd.DataFrame | None = None  # one row per sub-theme, with its theme (theme_id)
    model: object | None = None  # the fitted pipeline.theme_model.ThemeModel, saved with the wave's report
    touchpoints: list | None = None  # the journey's touchpoints (pipeline.touchpoints.Touchpoint)
    targets: tuple = ()  # [targets] (pipeline.targets.Target)
    edits: object | None = None  # the codebook's theme edits (pipeline.codebook.CodebookResult), for the action table

    @property
    def respondents(self) -> int:
        coded = self.segments[self.segments["role"] == "respondent"]
        return int(coded["respondent_id"].nunique())


def analyse_study(
    study_dir: Path,
    config: StudyConfig,
    embedder: Embedder | None = None,
    cache: EmbeddingCache | None = None,
    progress: StepFn = quiet,
    previous: WaveState | None = None,
    track_waves: bool = False,
    study_root: Path | None = None,
    mapper: RowMap | None = None,
) -> StudyResult:
    """Read, segment, embed, cluster, tag and rank one study folder (`pipeline.steps.study_steps`).

    With `track_waves`, themes keep the ids and labels of `previous` where their content matches: the last wave's
    state (by centroids), or this wave's own last run (by the statements both hold). The result always carries
    this run's state (wave_state.json), what the next run is matched with.
    `study_root` holds the study's own files (codebook, coded statements, definitions) when `study_dir`
    is one wave's sub-folder. `mapper` runs the row-wise work elsewhere (`pipeline.scale.connect` for a Dask
    cluster); the default runs it here.
    """
    root = study_root or study_dir
    start = StudyRun(study_dir, config, study_root=root, cache=cache, progress=progress, previous=previous,
                     embedder=embedder, mapper=mapper or LocalMap())
    return study_result(run_steps(start, study_steps(config, root, track_waves)))


def run_date(environ: Mapping[str, str]) -> str:
    """The date the report says it was coded on: today (UTC), or the day of `SOURCE_DATE_EPOCH` (seconds since
    1970, the reproducible-builds convention) so that a rerun of the same files can give the same bytes."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date().isoformat()
    return datetime.now(UTC).date().isoformat()


def study_result(run: StudyRun) -> StudyResult:
    """What the report, the action table and the codebook are written from."""
    config, definitions = run.config, run.definitions
    hand_coded, codebook = run.hand_coded, run.codebook
    settings = {
        "teema": __version__,
        "embedder": vector_name(run.embedder),  # with its precision when not float32: "mpnet@bfloat16"
        "theme_min_size": str(theme_params(config.themes).min_size or "auto"),
        "stages": f"{config.tag.stages} ({len(definitions.stages.labels)} stages)" if has_journey(definitions.stages)
        else "none (not placed on a journey)",
        "polarity": config.tag.polarity,
        "english_statements": f"stage and polarity on {vector_name(run.english.embedder)}"
        if run.english_tagged and run.english is not None else vector_name(run.embedder),
        "frames": ", ".join(frame.id for frame in definitions.frames) or "none",
        "coded_by_hand": str(len(hand_coded.rows)) if hand_coded is not None else "none",
        "codebook": f"{CODEBOOK_FILE} ({len(codebook.edits)} edits)" if codebook is not None else "none",
        "date": run_date(os.environ),
        "redaction": "on" if config.privacy.redact else "off",
        **({"code_frame": run.frame_note} if run.code_frame is not None else {}),
        **({"touchpoints": f"{len(run.touchpoints)}, unplaced below {config.tag.touchpoint_threshold:g}"}
           if run.touchpoints else {}),
    }
    return StudyResult(config.study.name, config.study.wave, run.all_segments, run.themes, run.issues,
                       list(run.problems), list(run.files_read), definitions.stages, settings,
                       frames=list(definitions.frames), notices=list(run.notices), state=run.state, match=run.match,
                       subthemes=run.subthemes, model=run.model, touchpoints=list(run.touchpoints) or None,
                       targets=config.targets.targets, edits=run.edits)


__all__ = ["NothingToCode", "StudyResult", "analyse_study", "english_embed_fn", "load_definitions", "run_date",
           "study_result", "top_level_params"]
