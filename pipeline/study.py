"""One study, read to ranked issues: the stages of the pipeline in order, no I/O beyond reading.

read -> segment -> embed -> themes -> tag -> rank. Each step is a function from tables to
tables; this module only wires them together and records what was used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import __version__
from pipeline.config import StudyConfig
from pipeline.corpus import Problem, read_study, segment_turns
from pipeline.embed import Embedder, EmbeddingCache, embed_texts, load_embedder
from pipeline.rank import rank_issues
from pipeline.tagging import LabelSet, TagParams, fit_label_classifier, load_label_set, tag_statements
from pipeline.themes import ThemeParams, fit_themes

StepFn = Callable[[str, int, int], None]


class NothingToCode(RuntimeError):
    """No file of the study gave a respondent statement."""


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

    @property
    def respondents(self) -> int:
        coded = self.segments[self.segments["role"] == "respondent"]
        return int(coded["respondent_id"].nunique())


def _quiet(step: str, done: int, total: int) -> None:
    return None


def analyse_study(
    study_dir: Path,
    config: StudyConfig,
    embedder: Embedder | None = None,
    cache: EmbeddingCache | None = None,
    progress: StepFn = _quiet,
) -> StudyResult:
    """Read, segment, embed, cluster, tag and rank one study folder."""
    progress("Reading files", 0, 1)
    turns, problems = read_study(study_dir, config)
    segments = segment_turns(turns, config.study.wave, config.study.language)
    coded_mask = (segments["role"] == "respondent") & (segments["unassigned_reason"] == "")
    if not coded_mask.any():
        raise NothingToCode("no respondent statements found in any file")
    files_read = sorted(turns["doc_id"].unique())
    progress("Reading files", 1, 1)

    embedder = embedder or load_embedder(config.embed.model)

    def embed(texts, label=None):
        report = (lambda done, total: progress(label, done, total)) if label else None
        return embed_texts(list(texts), embedder, cache, config.embed.batch_size, report)

    coded = segments[coded_mask].reset_index(drop=True)
    vectors = embed(coded["text"], "Embedding statements")

    progress("Finding themes", 0, 1)
    t = config.themes
    params = ThemeParams(min_size=t.min_size, min_samples=t.min_samples, dimensions=t.dimensions,
                         neighbours=t.neighbours, outlier_threshold=t.outlier_threshold,
                         merge_threshold=t.merge_threshold)
    assignments, themes = fit_themes(coded, vectors, params)
    coded = coded.drop(columns="unassigned_reason").merge(assignments, on="segment_id", how="left")
    progress("Finding themes", 1, 1)

    progress("Tagging stage and polarity", 0, 1)
    stage_set = load_label_set(config.models_dir / config.tag.stages, "stage")
    polarity_set = load_label_set(config.models_dir / config.tag.polarity, "polarity")
    stage_model = fit_label_classifier(stage_set, embed)
    polarity_model = fit_label_classifier(polarity_set, embed)
    has_question = (coded["question"] != "").to_numpy()
    question_vectors = embed(coded["question"].where(has_question, coded["text"]))
    tags = tag_statements(
        vectors, question_vectors, has_question, coded["theme_id"].tolist(),
        (stage_set, stage_model), (polarity_set, polarity_model),
        TagParams(config.tag.stage_threshold, config.tag.polarity_threshold, config.tag.context_weight),
    )
    coded = pd.concat([coded, tags], axis=1)
    progress("Tagging stage and polarity", 1, 1)

    respondents = int(segments.loc[segments["role"] == "respondent", "respondent_id"].nunique())
    issues = rank_issues(coded, themes, respondents)
    labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    coded["theme_label"] = coded["theme_id"].map(labels).fillna("")
    others = segments[~coded_mask]
    all_segments = pd.concat([coded, others], ignore_index=True)
    all_segments = _finish_segments(all_segments, study_dir, files_read)

    settings = {
        "teema": __version__,
        "embedder": embedder.name,
        "theme_min_size": str(params.min_size or "auto"),
        "stages": f"{config.tag.stages} ({len(stage_set.labels)} stages)",
        "polarity": config.tag.polarity,
        "date": datetime.now(UTC).date().isoformat(),
    }
    return StudyResult(config.study.name, config.study.wave, all_segments, themes, issues, problems,
                       files_read, stage_set, settings)


def _finish_segments(segments: pd.DataFrame, study_dir: Path, files_read: list[str]) -> pd.DataFrame:
    """Fixed column set and a row order that follows the files, whatever order they were read in."""
    for column, empty in (("theme_id", ""), ("theme_label", ""), ("stage", ""), ("polarity", ""),
                          ("stage_scores", ""), ("polarity_scores", ""), ("unassigned_reason", "")):
        segments[column] = segments[column].fillna(empty) if column in segments else empty
    for column in ("theme_similarity", "stage_confidence", "polarity_confidence"):
        segments[column] = segments[column].astype("float64") if column in segments else np.nan
    segments["_doc"] = segments["doc_id"].map({d: i for i, d in enumerate(files_read)})
    segments["_line"] = segments["location"].str.rsplit(":", n=1).str[-1]
    segments["_line_num"] = pd.to_numeric(segments["_line"], errors="coerce")
    segments = segments.sort_values(["_doc", "_line_num", "_line", "segment_id"], kind="stable")
    return segments.drop(columns=["_doc", "_line", "_line_num"]).reset_index(drop=True)
