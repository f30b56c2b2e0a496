"""rank, redact and finish: ranked issues, every segment in reading order, exports without personal data, and
the state the next wave is matched with."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from pipeline.corpus import location_order
from pipeline.hierarchy import with_subtheme_list
from pipeline.privacy import redact_study
from pipeline.rank import rank_issues
from pipeline.steps.run import StudyRun
from pipeline.steps.themes import unit_mean
from pipeline.subtheme_edits import theme_edit_ids
from pipeline.tagging import LabelSet
from pipeline.waves import WaveState, carried_members, theme_centroids


def with_frames(themes: pd.DataFrame, coded: pd.DataFrame, frames: tuple[LabelSet, ...]) -> pd.DataFrame:
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


def reading_order(segments: pd.DataFrame, files_read: tuple[str, ...], said: dict[str, int]) -> pd.DataFrame:
    """Fixed column set and a row order that follows the files, whatever order they were read in: by file, by
    line, and the sentences of one turn as they were said (`said`: segment id -> place in the segmented turns;
    only its order within one line is used, which does not depend on the order of the files)."""
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
    segments["_said"] = segments["segment_id"].map(said)
    segments = segments.sort_values(["_doc", "_line_num", "_line", "_said", "segment_id"], kind="stable")
    return segments.drop(columns=["_doc", "_line", "_line_num", "_said"]).reset_index(drop=True)


def rank_step(run: StudyRun) -> StudyRun:
    """Issues (theme x stage x polarity) ranked by respondents; labels on every statement; every segment, coded
    or not, in reading order."""
    coded, themes, subthemes, edits = run.coded.copy(), run.themes, run.subthemes, run.edits
    relevant = ~coded["theme_id"].isin(edits.not_relevant if edits else set())
    if run.subtheme_edits is not None and run.subtheme_edits.not_relevant:  # a sub-theme set aside by the codebook
        relevant &= ~coded["subtheme_id"].isin(run.subtheme_edits.not_relevant)
    issues = rank_issues(coded[relevant], themes, run.respondents, subthemes)
    themes = with_subtheme_list(with_frames(themes, coded, run.definitions.frames), subthemes)
    labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    coded["theme_label"] = [labels.get(theme_id, "") for theme_id in coded["theme_id"]]
    sub_labels = dict(zip(subthemes["subtheme_id"], subthemes["label"], strict=True))
    coded["subtheme_label"] = [sub_labels.get(s, "") for s in coded["subtheme_id"]]
    segments = run.segments
    coded_ids = set(coded["segment_id"])
    others = segments[~segments["segment_id"].isin(coded_ids)]
    everything = reading_order(pd.concat([coded, others], ignore_index=True), run.files_read,
                               dict(zip(segments["segment_id"], range(len(segments)), strict=True)))
    return replace(run, issues=issues, themes=themes, coded=coded, all_segments=everything)


def redact_step(run: StudyRun) -> StudyRun:
    """Personal data out of everything exported, both levels' labels and keywords in one pass of the redactor;
    the originals stay in the study folder."""
    run.progress("Redacting personal data", 0, 1)
    themes, subthemes = run.themes, run.subthemes
    rows = subthemes.drop(columns="theme_id").rename(columns={"subtheme_id": "theme_id"})
    both = pd.concat([themes, rows], ignore_index=True)
    privacy = run.config.privacy
    segments, both, issues = redact_study(run.all_segments, both, run.issues, privacy.names, privacy.keep,
                                          cache=run.cache)
    n = len(themes)
    for column in ("label", "keywords"):
        themes = themes.assign(**{column: both[column].iloc[:n].to_numpy()})
        subthemes = subthemes.assign(**{column: both[column].iloc[n:].to_numpy()})
    labels = dict(zip(subthemes["subtheme_id"], subthemes["label"], strict=True))
    segments["subtheme_label"] = [labels.get(s, "") for s in segments["subtheme_id"].fillna("")]
    run.progress("Redacting personal data", 1, 1)
    return replace(run, all_segments=segments, themes=themes, subthemes=subthemes, issues=issues)


def wave_state_step(run: StudyRun) -> StudyRun:
    """What the next wave matches its themes with: the fitted themes' centroids and ids, and the exported labels
    (redacted when redaction is on: wave_state.json sits in the report folder)."""
    vectors, themes, match = run.statement_vectors, run.themes, run.match
    exported = dict(zip(themes["theme_id"], themes["label"], strict=True)) if run.config.privacy.redact else {}
    ids, centroids = theme_centroids(vectors, list(run.fitted_theme_ids))
    state = WaveState(
        wave=run.config.study.wave, respondents=run.respondents, theme_ids=ids, embedder=run.embedder.name,
        labels=[exported.get(t, run.fitted_labels.get(t, t)) for t in ids],
        centroids=centroids, mean=unit_mean(vectors), used_ids=match.used_ids if match is not None else list(ids),
        theme_respondents={t: int(r) for t, r in zip(themes["theme_id"], themes["respondents"], strict=True)},
        members={t: sorted(run.coded["segment_id"].to_numpy()[np.asarray(run.fitted_theme_ids) == t].tolist())
                 for t in ids},
        subtheme_members=subtheme_members(run.coded["segment_id"].tolist(), list(run.matched_subthemes)),
        unplaced=unplaced_members(run, ids),
        issues=[{"issue_id": i.issue_id, "theme_id": i.theme_id, "stage": i.stage, "polarity": i.polarity,
                 "theme_label": i.theme_label, "respondents": int(i.respondents)}
                for i in run.issues.itertuples(index=False)],
    )
    return replace(run, state=state)


def unplaced_members(run: StudyRun, fitted_ids: list[str]) -> dict[str, list[str]]:
    """The statements of each edited theme the fit did not give: its statements in this run when the codebook
    step kept it as a theme (pipeline/edited_themes.py), else those it held when last seen."""
    edited = theme_edit_ids(run.codebook)
    carried = carried_members(edited, fitted_ids, run.last_run)
    final = run.coded["theme_id"].to_numpy()
    segments = run.coded["segment_id"].to_numpy()
    now = {t: sorted(segments[final == t].tolist()) for t in sorted(set(edited) - set(fitted_ids))
           if (final == t).any()}
    return {**carried, **now}


def subtheme_members(segment_ids: list[str], subtheme_ids: list[str]) -> dict[str, list[str]]:
    """Each sub-theme's statements (segment ids, sorted), what a re-run's sub-themes are matched with."""
    members: dict[str, list[str]] = {}
    for segment, sub in zip(segment_ids, subtheme_ids, strict=True):
        if sub:
            members.setdefault(sub, []).append(segment)
    return {sub: sorted(ids) for sub, ids in sorted(members.items())}
