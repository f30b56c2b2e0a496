"""A study as named steps: read -> segment -> embed -> themes -> [waves] -> fitted -> [codebook] -> subthemes ->
tag -> [decisions] -> touchpoints -> rank -> [redact] -> [wave_state]; with a team's code frame, code_frame
after segment and team_codes after waves.

Each step is a function from a `StudyRun` to a new one. `study_steps` lists the steps a config and study ask
for (optional ones are in the list or not); `run_steps` runs any list, so a library caller can stop after
`themes`, insert a step of its own, or run a wave without the CLI.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.codebook import CODEBOOK_FILE
from pipeline.config import StudyConfig
from pipeline.steps.embed import embed_step
from pipeline.steps.rank import rank_step, redact_step, wave_state_step
from pipeline.steps.read import load_definitions, read_step, segment_step
from pipeline.steps.run import Definitions, NothingToCode, StudyRun
from pipeline.steps.tag import decisions_step, tag_step
from pipeline.steps.team import code_frame_step, team_codes_step, touchpoints_step
from pipeline.steps.themes import codebook_step, fitted_step, subthemes_step, themes_step, waves_step

Step = tuple[str, Callable[[StudyRun], StudyRun]]

STEPS: dict[str, Callable[[StudyRun], StudyRun]] = {
    "read": read_step,
    "segment": segment_step,
    "code_frame": code_frame_step,
    "embed": embed_step,
    "themes": themes_step,
    "waves": waves_step,
    "team_codes": team_codes_step,
    "fitted": fitted_step,
    "codebook": codebook_step,
    "subthemes": subthemes_step,
    "tag": tag_step,
    "decisions": decisions_step,
    "touchpoints": touchpoints_step,
    "rank": rank_step,
    "redact": redact_step,
    "wave_state": wave_state_step,
}


def study_steps(config: StudyConfig, study_root: Path, track_waves: bool = False) -> list[Step]:
    """The steps one study runs, in order: waves when there is a previous run to match (an earlier wave, or this
    wave's last run), codebook and decisions when the researcher's files are there, redact when [privacy] redact
    is on; wave_state always (what the next run is matched with)."""
    frame = bool(config.themes.code_frame)
    names = ["read", "segment"] + (["code_frame"] if frame else []) + ["embed", "themes"]
    names += ["waves"] if track_waves else []
    names += ["team_codes"] if frame else []
    names += ["fitted"]
    names += ["codebook"] if (study_root / CODEBOOK_FILE).is_file() else []
    names += ["subthemes", "tag"]
    names += ["decisions"] if (study_root / CODEBOOK_FILE).is_file() or (study_root / config.tag.coded).is_file() \
        else []
    names += ["touchpoints", "rank"]
    names += ["redact"] if config.privacy.redact else []
    names += ["wave_state"]
    return [(name, STEPS[name]) for name in names]


def run_steps(run: StudyRun, steps: Sequence[Step]) -> StudyRun:
    """Each step on the tables the ones before it made."""
    for _, step in steps:
        run = step(run)
    return run


__all__ = ["STEPS", "Definitions", "NothingToCode", "Step", "StudyRun", "load_definitions", "run_steps",
           "study_steps"]
