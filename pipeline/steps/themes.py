"""themes, waves, codebook and subthemes: two levels of themes, matched and edited."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from pipeline.code_frame import with_frame_subtheme_labels
from pipeline.codebook import (
    annotate_themes,
    apply_codebook,
    edited_ids,
    follow_examples,
    follow_statements,
    themes_after_edits,
)
from pipeline.edited_themes import join_sliver_subthemes, keep_edited_themes
from pipeline.hierarchy import (
    ThemeLevels,
    auto_top_min_size,
    describe_subthemes,
    sliver_size,
    subtheme_ids,
    top_level_tables,
)
from pipeline.notices import Notice, notice
from pipeline.result_cache import themes_cached
from pipeline.scale import assign_rows
from pipeline.settings import theme_params, top_level_params
from pipeline.steps.run import StudyRun
from pipeline.subtheme_edits import apply_subtheme_edits, carry_folded_edits, split_levels
from pipeline.theme_model import ThemeModel
from pipeline.waves import (
    RERUN_THRESHOLD,
    apply_match,
    centroid_similarity,
    known_members,
    match_subthemes,
    match_themes,
    rerun_similarity,
    theme_centroids,
)

ASSIGNMENT_COLUMNS = ["segment_id", "theme_id", "theme_similarity", "unassigned_reason", "subtheme_number"]


def fit_theme_model(run: StudyRun) -> tuple[ThemeModel, ThemeLevels]:
    """The theme model fitted on the study's sample (every statement up to [themes] fit_sample), and both levels
    for every statement: the fitted rows' own, the others assigned by the model one row at a time."""
    config, coded, vectors = run.config, run.coded, run.statement_vectors
    params, top = theme_params(config.themes, run.embedder.name), top_level_params(config)
    sample, lemma_vectors = run.fit_rows, run.topic_vectors  # chosen and embedded by the embed step
    rows = coded.iloc[sample].reset_index(drop=True)

    def fit() -> ThemeModel:
        return ThemeModel(params, top, embedder=run.embedder.name).fit(rows, vectors[sample], lemma_vectors)

    # A re-run of unchanged statements skips the fit.
    model = themes_cached(run.cache, fit, rows, vectors[sample], lemma_vectors, params, top, run.embedder.name)
    if len(sample) == len(coded):
        return model, model.levels_
    theme_number, subtheme_number = np.full(len(coded), -1), np.full(len(coded), -1)
    rest = np.setdiff1d(np.arange(len(coded)), sample)
    theme_number[sample], subtheme_number[sample] = model.levels_.theme_number, model.levels_.subtheme_number
    theme_number[rest], subtheme_number[rest] = assign_rows(run.mapper, model, vectors[rest],
                                                            coded["lang"].to_numpy()[rest],
                                                            config.scale.partition_rows)
    return model, ThemeLevels(theme_number, subtheme_number, model.levels_.fine)


def with_assignments(coded: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """The statements with these theme columns (replacing any they had)."""
    return coded.drop(columns=[c for c in ASSIGNMENT_COLUMNS[1:] if c in coded]).merge(assignments, on="segment_id",
                                                                                      how="left")


def themes_step(run: StudyRun) -> StudyRun:
    """Two levels of themes for every statement, and the broad themes' table."""
    run.progress("Finding themes", 0, 1)
    model, levels = fit_theme_model(run)
    assignments, themes = top_level_tables(run.coded, run.statement_vectors, levels,
                                           theme_params(run.config.themes).quotes)
    return replace(run, model=model, themes=themes, coded=with_assignments(run.coded, assignments),
                   theme_numbers=levels.theme_number)


def waves_step(run: StudyRun) -> StudyRun:
    """Themes found again keep the previous run's ids and labels, matched by content: by the statements both runs
    share when the previous run is this wave's last one (any embedder), else by centred centroids."""
    vectors, coded, themes, previous = run.statement_vectors, run.coded, run.themes, run.previous
    fitted_ids, centroids = theme_centroids(vectors, coded["theme_id"].tolist())
    order = [fitted_ids.index(t) for t in themes["theme_id"]]  # largest first, as fitted
    members = [coded["segment_id"].to_numpy()[(coded["theme_id"] == t).to_numpy()] for t in themes["theme_id"]]
    shared = rerun_similarity(members, previous) if run.last_run is not None else None
    mean = unit_mean(vectors)
    if shared is not None:
        match = match_themes(list(themes["theme_id"]), centroids[order], mean, previous, RERUN_THRESHOLD, shared)
        if previous.embedder and previous.embedder != run.embedder.name:
            run = replace(run, notices=run.say(notice(
                "waves.rerun_other_model", embedder=run.embedder.name, wave=previous.wave, previous=previous.embedder,
                kept=len(match.labels), total=len(themes))))
    else:
        by_centroid = centroid_similarity(centroids[order], mean, previous, run.embedder.name) if previous else None
        if previous is not None and by_centroid is None:
            run = replace(run, notices=run.say(notice(
                "waves.not_matched" if previous.embedder else "waves.not_matched_unnamed", wave=previous.wave,
                embedder=run.embedder.name, **({"previous": previous.embedder} if previous.embedder else {}))))
        match = match_themes(list(themes["theme_id"]), centroids[order], mean, previous,
                             similarity_matrix=by_centroid, embedder=run.embedder.name)
    assignments, themes = apply_match(coded[ASSIGNMENT_COLUMNS], themes, match)
    return replace(run, match=match, themes=themes, coded=with_assignments(coded, assignments))


def fitted_step(run: StudyRun) -> StudyRun:
    """The themes before the researcher's edits: the next wave is matched against these."""
    ids = tuple(run.coded["theme_id"])
    names = {int(n): t for n, t in zip(run.theme_numbers, ids, strict=True) if t}
    return replace(run, fitted_theme_ids=ids, model=run.model.named(names, {}),
                   fitted_labels=dict(zip(run.themes["theme_id"], run.themes["label"], strict=True)))


def other_model(run: StudyRun) -> tuple[str, str]:
    """(the last run's embedder, this run's) when a re-run embedded with another model, so edits may not follow
    their example statement; () when not a re-run or the same model."""
    last = run.last_run
    if last is None or not last.embedder or last.embedder == run.embedder.name:
        return ()
    return last.embedder, run.embedder.name


def codebook_step(run: StudyRun) -> StudyRun:
    """The researcher's theme-level edits (rename, merge, split, pins, not relevant), each following its example
    statement to the theme that holds it now."""
    if run.codebook is None:  # the file was there but could not be read (a problem says why)
        return run
    theme_book, _ = split_levels(run.codebook)
    folded_edits: tuple = ()
    coded, vectors, quotes = run.coded.copy(), run.statement_vectors, theme_params(run.config.themes).quotes
    langs = coded["lang"].tolist()
    matched = frozenset(run.match.labels) if run.match is not None else frozenset()
    last_run = run.last_run
    followed: list[Notice] = []
    kept_labels: dict[str, str] = {}
    kept_ids: list[str] = []
    tidy: tuple[str, ...] = ()
    if last_run is not None and run.config.themes.keep_edited:  # edited themes this run regrouped are put back
        themed = int((coded["theme_id"] != "").sum())
        ids, kept = keep_edited_themes(coded["segment_id"].tolist(), coded["theme_id"].tolist(), vectors,
                                       edited_ids(theme_book), known_members(last_run),
                                       min_size=top_level_params(run.config).min_size or auto_top_min_size(themed),
                                       first=last_run.unplaced)
        if kept:
            coded["theme_id"], kept_ids = ids, [k.theme_id for k in kept]
            tidy = tuple(sorted({k.theme_id for k in kept} | {t for k in kept for t in k.taken_from}))
            last_labels = dict(zip(last_run.theme_ids, last_run.labels, strict=True))
            kept_labels = {k.theme_id: last_labels[k.theme_id] for k in kept if k.theme_id in last_labels}
            matched |= {k.theme_id for k in kept}
            followed = [notice("codebook.kept", file=theme_book.path.name, old=k.theme_id, n=k.returned,
                               spread=", ".join(k.taken_from[:3]), joined=k.joined) for k in kept]
    if last_run is not None:  # a re-run: unmatched themes' edits follow their statements
        edits_before = theme_book.edits
        theme_book, following, handled = follow_statements(theme_book, known_members(last_run),
                                                           coded["segment_id"].tolist(), coded["theme_id"].tolist(),
                                                           matched)
        followed = [*followed, *following]
        matched |= handled
        # A theme folded into another may be one sub-theme of it now: the subthemes step places its edits there.
        folded = {n.params["old"]: n for n in followed if n.code == "codebook.folded"}
        folded_edits = tuple((e, folded[e.theme_id]) for e in edits_before if e.theme_id in folded)
        followed = [n for n in followed if n.code != "codebook.folded"]
    theme_book, moved = follow_examples(theme_book, coded["theme_id"].tolist(), vectors, langs, run.vectors, matched,
                                        other_model(run))
    moved = [*followed, *moved]
    definitions = run.definitions
    edits = apply_codebook(coded["segment_id"], coded["theme_id"], vectors, theme_book, definitions.stages,
                           definitions.polarity, run.vectors, langs=langs)
    for theme_id in kept_ids:  # themes.csv's codebook column says the theme is there because of the edits
        edits.notes.setdefault(theme_id, []).insert(0, "kept together (the re-run had regrouped it)")
    themes = run.themes
    if edits.theme_of or kept_ids:
        # a split, a merge or a theme put back moved statements: the themes' counts, quotes and keywords follow
        coded["theme_id"] = [edits.theme_of.get(s, t) for s, t in zip(coded["segment_id"], coded["theme_id"],
                                                                      strict=True)]
        labelled = pd.concat([themes[["theme_id", "label"]],
                              pd.DataFrame({"theme_id": list(kept_labels), "label": list(kept_labels.values())})])
        themes, coded["theme_similarity"] = themes_after_edits(coded, vectors, labelled, edits, quotes)
    return replace(run, coded=coded, themes=themes, edits=edits, folded_edits=folded_edits, kept_themes=tidy,
                   notices=run.say(*moved, *edits.stale))


def subthemes_step(run: StudyRun) -> StudyRun:
    """Sub-theme ids under their final themes (T03.1, ...), the codebook's sub-theme edits, the sub-themes table."""
    coded, vectors = run.coded.copy(), run.statement_vectors
    quotes = theme_params(run.config.themes).quotes
    numbers = coded.pop("subtheme_number").to_numpy()
    natural = subtheme_ids(coded["theme_id"].tolist(), numbers)
    if run.kept_themes:  # themes the codebook put back together (and those they came from) nest their slivers
        sliver = sliver_size(theme_params(run.config.themes, run.embedder.name).min_size, len(coded))
        natural = join_sliver_subthemes(natural, coded["theme_id"].tolist(), vectors, run.kept_themes, sliver)
    last_run = run.last_run
    sub_ids = match_subthemes(coded["theme_id"].tolist(), natural, coded["segment_id"].tolist(), last_run)
    kept = dict(zip(natural, sub_ids, strict=True))  # a re-run's sub-themes keep their ids where the statements agree
    coded["subtheme_id"] = sub_ids
    fitted_subs = [kept.get(s, s) for s in subtheme_ids(list(run.fitted_theme_ids), numbers)]  # the model's ids
    model = run.model.named(getattr(run.model, "theme_ids_", {}),
                            {int(n): s for n, s in zip(numbers, fitted_subs, strict=True) if s}) \
        if run.model is not None else None
    themes, notices, sub_edits = run.themes, (), None
    subtheme_book = split_levels(run.codebook)[1] if run.codebook is not None else None
    if subtheme_book is not None and (subtheme_book.edits or run.folded_edits):
        kept_ids = frozenset(sub_ids) & frozenset(last_run.subtheme_members if last_run is not None else ())
        followed: list[Notice] = []
        if last_run is not None:  # a re-run: unmatched sub-themes' edits follow their statements
            subtheme_book, followed, handled = follow_statements(subtheme_book, last_run.subtheme_members,
                                                                 coded["segment_id"].tolist(), sub_ids, kept_ids)
            kept_ids |= handled
        if run.folded_edits and last_run is not None:
            carried, placed = carry_folded_edits(run.folded_edits, known_members(last_run),
                                                 coded["segment_id"].tolist(), sub_ids,
                                                 frozenset(e.theme_id for e in subtheme_book.edits))
            subtheme_book = replace(subtheme_book, edits=[*subtheme_book.edits, *carried],
                                    theme_ids=subtheme_book.theme_ids | {e.theme_id for e in carried})
            kept_ids |= {e.theme_id for e in carried}
            followed = [*followed, *placed]
        sub_edits = apply_subtheme_edits(subtheme_book, coded["theme_id"].tolist(), coded["subtheme_id"].tolist(),
                                         vectors, coded["lang"].tolist(), run.vectors, kept_ids, other_model(run),
                                         stages=run.definitions.stages, polarity=run.definitions.polarity)
        coded["theme_id"], coded["subtheme_id"] = sub_edits.theme_ids, sub_edits.subtheme_ids
        notices = (*followed, *sub_edits.stale)
        if sub_edits.moved:
            themes, coded["theme_similarity"] = themes_after_edits(coded, vectors, themes, run.edits, quotes)
    themes = annotate_themes(themes, run.edits, sub_edits.notes if sub_edits else None)
    subthemes = with_frame_subtheme_labels(describe_subthemes(coded, vectors, themes, quotes), coded)
    if sub_edits is not None and sub_edits.labels:
        subthemes["label"] = [sub_edits.labels.get(t, label) for t, label in zip(subthemes["subtheme_id"],
                                                                                  subthemes["label"], strict=True)]
    run.progress("Finding themes", 1, 1)
    return replace(run, coded=coded, themes=themes, subthemes=subthemes, subtheme_edits=sub_edits, model=model,
                   notices=run.say(*notices), matched_subthemes=tuple(sub_ids))


def unit_mean(vectors: np.ndarray) -> np.ndarray:
    """Mean of the normalised vectors: the reference that centres theme centroids when waves are compared."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return unit.mean(axis=0)
