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
from pipeline.corpus import Problem, location_order, read_study, segment_turns
from pipeline.embed import Embedder, EmbeddingCache, embed_texts, load_embedder
from pipeline.privacy import redact_study
from pipeline.rank import rank_issues
from pipeline.tagging import LabelSet, TagParams, fit_label_classifier, load_label_set, tag_statements
from pipeline.themes import ThemeParams, fit_themes
from pipeline.waves import ThemeMatch, WaveState, apply_match, match_themes, theme_centroids

StepFn = Callable[[str, int, int], None]


class NothingToCode(RuntimeError):
    """No file of the study gave a respondent statement; `problems` says why each file was not read."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


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
    state: WaveState | None = None  # kept for the next wave (studies with wave folders only)
    match: ThemeMatch | None = None  # how the themes relate to the previous wave's
    trends: dict | None = None  # set by pipeline.trends.compare_waves

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
    previous: WaveState | None = None,
    track_waves: bool = False,
) -> StudyResult:
    """Read, segment, embed, cluster, tag and rank one study folder.

    With `track_waves` (a study with wave folders), themes keep the ids and labels of `previous`
    (the last wave's state) where their content matches, and the result carries this wave's state.
    """
    progress("Reading files", 0, 1)
    turns, problems = read_study(study_dir, config)
    segments = segment_turns(turns, config.study.wave, config.study.language,
                             split_feedback=config.feedback.split == "sentences")
    coded_mask = (segments["role"] == "respondent") & (segments["unassigned_reason"] == "")
    if not coded_mask.any():
        raise NothingToCode("no respondent statements found in any file", problems)
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
                         neighbours=t.neighbours, outlier_neighbours=t.outlier_neighbours,
                         outlier_agreement=t.outlier_agreement,
                         merge_threshold=t.merge_threshold)
    assignments, themes = fit_themes(coded, vectors, params)
    match = None
    if track_waves:
        fitted = dict(zip(assignments["segment_id"], assignments["theme_id"], strict=True))
        fitted_ids, centroids = theme_centroids(vectors, [fitted[s] for s in coded["segment_id"]])
        order = [fitted_ids.index(t) for t in themes["theme_id"]]  # largest first, as fitted
        match = match_themes(list(themes["theme_id"]), centroids[order], _unit_mean(vectors), previous)
        assignments, themes = apply_match(assignments, themes, match)
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
    coded["theme_label"] = [labels.get(theme_id, "") for theme_id in coded["theme_id"]]
    others = segments[~coded_mask]
    all_segments = pd.concat([coded, others], ignore_index=True)
    all_segments = _finish_segments(all_segments, study_dir, files_read)
    if config.privacy.redact:  # exports never carry personal data; the originals stay in the study folder
        progress("Redacting personal data", 0, 1)
        all_segments, themes, issues = redact_study(all_segments, themes, issues, config.privacy.names,
                                                    config.privacy.keep)
        progress("Redacting personal data", 1, 1)

    settings = {
        "teema": __version__,
        "embedder": embedder.name,
        "theme_min_size": str(params.min_size or "auto"),
        "stages": f"{config.tag.stages} ({len(stage_set.labels)} stages)",
        "polarity": config.tag.polarity,
        "date": datetime.now(UTC).date().isoformat(),
        "redaction": "on" if config.privacy.redact else "off",
    }
    state = None
    if match is not None:
        ids, centroids = theme_centroids(vectors, coded["theme_id"].tolist())
        state = WaveState(
            wave=config.study.wave, respondents=respondents, theme_ids=ids,
            labels=[dict(zip(themes["theme_id"], themes["label"], strict=True))[t] for t in ids],
            centroids=centroids, mean=_unit_mean(vectors), used_ids=match.used_ids,
            theme_respondents={t: int(r) for t, r in zip(themes["theme_id"], themes["respondents"], strict=True)},
            issues=[{"issue_id": i.issue_id, "theme_id": i.theme_id, "stage": i.stage, "polarity": i.polarity,
                     "theme_label": i.theme_label, "respondents": int(i.respondents)}
                    for i in issues.itertuples(index=False)],
        )
    return StudyResult(config.study.name, config.study.wave, all_segments, themes, issues, problems,
                       files_read, stage_set, settings, state=state, match=match)


def _unit_mean(vectors: np.ndarray) -> np.ndarray:
    """Mean of the normalised vectors: the reference that centres theme centroids when waves are compared."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return unit.mean(axis=0)


def _finish_segments(segments: pd.DataFrame, study_dir: Path, files_read: list[str]) -> pd.DataFrame:
    """Fixed column set and a row order that follows the files, whatever order they were read in."""
    for column, empty in (("theme_id", ""), ("theme_label", ""), ("stage", ""), ("polarity", ""),
                          ("stage_scores", ""), ("polarity_scores", ""), ("unassigned_reason", "")):
        segments[column] = segments[column].fillna(empty) if column in segments else empty
    for column in ("theme_similarity", "stage_confidence", "polarity_confidence"):
        segments[column] = segments[column].astype("float64") if column in segments else np.nan
    segments["_doc"] = segments["doc_id"].map({d: i for i, d in enumerate(files_read)})
    segments["_line"] = segments["location"].str.rsplit(":", n=1).str[-1]
    segments["_line_num"] = [location_order(loc, doc) for loc, doc in zip(segments["location"], segments["doc_id"],
                                                                            strict=True)]
    segments = segments.sort_values(["_doc", "_line_num", "_line", "segment_id"], kind="stable")
    return segments.drop(columns=["_doc", "_line", "_line_num"]).reset_index(drop=True)
