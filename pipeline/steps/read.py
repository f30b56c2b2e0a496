"""read and segment: the material as turns, then as the statements to code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from pipeline.agree import attach_texts, read_coded
from pipeline.codebook import CODEBOOK_FILE, read_codebook
from pipeline.config import StudyConfig
from pipeline.corpus import Problem, ReadError, read_study
from pipeline.corpus.other_languages import set_aside_other_languages
from pipeline.scale import segment_rows
from pipeline.steps.run import Definitions, NothingToCode, StudyRun
from pipeline.tagging import NO_STAGES, LabelSet, definitions_path, extend_label_set, load_label_set, no_stages
from pipeline.touchpoints import study_touchpoints


def load_definitions(config: StudyConfig, study_dir: Path | None) -> Definitions:
    """Stages (with a study's additions), polarities and frames, each from the study folder or models/."""
    def load(name: str, table: str) -> LabelSet:
        return load_label_set(definitions_path(name, study_dir, config.models_dir), table)

    if config.tag.stages.strip().casefold() == NO_STAGES:  # not journey talk: no stages, no touchpoints
        return Definitions(no_stages(), load(config.tag.polarity, "polarity"),
                           tuple(load(name, "label") for name in config.tag.frames))
    stages = load(config.tag.stages, "stage")
    if config.tag.extra_stages:
        stages = extend_label_set(stages, load(config.tag.extra_stages, "stage"))
    return Definitions(stages, load(config.tag.polarity, "polarity"),
                       tuple(load(name, "label") for name in config.tag.frames),
                       tuple(study_touchpoints(config, study_dir)))


def read_researcher_file(path: Path, read: Callable, problems: list[Problem]):
    """A researcher's file beside the material (codebook, coded statements): None when absent or unreadable,
    and then a problem that names it, so one bad file never stops the study."""
    if not path.is_file():
        return None
    try:
        return read(path)
    except (ReadError, UnicodeDecodeError, OSError) as err:
        problems.append(Problem(path.name, f"{err}; the run goes on without it"))
        return None


def read_step(run: StudyRun) -> StudyRun:
    """The material as turns, the definitions, and the researcher's codebook when there is one."""
    run.progress("Reading files", 0, 1)
    turns, problems = read_study(run.study_dir, run.config)
    definitions = load_definitions(run.config, run.root)
    run.progress("Reading files", 1, 1)
    return replace(run, turns=turns, problems=run.problems + tuple(problems),
                   files_read=tuple(sorted(turns["doc_id"].unique())), definitions=definitions)


def segment_step(run: StudyRun) -> StudyRun:
    """Turns into statements; the respondents' statements to code; the coder's own rows matched to them; the
    codebook (read here, after the coder's file, so problems are listed in the order teema always gave them)."""
    config, definitions = run.config, run.definitions
    segments = segment_rows(run.mapper, run.turns, config.study.wave, config.study.language,
                            config.feedback.split == "sentences", config.scale.partition_rows)
    segments, language_problems = set_aside_other_languages(segments, run.turns)  # issue 17: French, Swedish...
    coded_mask = (segments["role"] == "respondent") & (segments["unassigned_reason"] == "")
    if not coded_mask.any():
        raise NothingToCode("no respondent statements found in any file", list(run.problems))
    problems: list[Problem] = list(language_problems)
    hand_coded = read_researcher_file(run.root / config.tag.coded,
                                      lambda path: read_coded(path, definitions.stages, definitions.polarity),
                                      problems)
    notices: tuple = ()  # pipeline.notices.Notice
    if hand_coded is not None:
        hand_coded = attach_texts(hand_coded, segments[segments["role"] == "respondent"], config.tag.coded)
        notices = tuple(hand_coded.problems)
    codebook = read_researcher_file(run.root / CODEBOOK_FILE, read_codebook, problems)
    return replace(run, segments=segments, coded=segments[coded_mask].reset_index(drop=True), hand_coded=hand_coded,
                   codebook=codebook, problems=run.problems + tuple(problems), notices=run.say(*notices))
