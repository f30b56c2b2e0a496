"""A study coded to the team's own code frame: each statement goes to the team code it is most similar to, when that
similarity reaches `[themes] code_threshold`; what fits no code keeps the theme teema found for it, and those
themes are marked new. Tables in, tables out; the caller embeds.

A code is its name with its description, and its example statements: its vector is the mean of their unit
vectors, so a code with examples from the team's own coding (a .qdpx) is placed where the team's statements are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import ConfigError
from pipeline.qda.frame import CodeFrame, read_code_frame
from pipeline.qda.read import QdaError

TEAM_ORIGIN, NEW_ORIGIN = "team code", "new"
NEIGHBOURS = 10  # statements a statement's code scores are averaged with (1 = its own alone)
DEFAULT_THRESHOLD = 0.15  # [themes] code_threshold: bench/results/code_frame.md
MIN_NEW_THEME = 2  # a found theme left with fewer statements than this after the team's codes took theirs is dropped


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def code_texts(frame: CodeFrame) -> list[list[str]]:
    """What each code is embedded from: 'name: description' (or the name), then its examples."""
    return [[f"{c.name}: {c.description}" if c.description else c.name, *c.examples] for c in frame.codes]


def code_vectors(frame: CodeFrame, embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """One unit vector per code (rows in frame order): the mean of its texts' unit vectors."""
    texts = code_texts(frame)
    flat = [t for group in texts for t in group]
    vectors = _unit(np.asarray(embed(flat), dtype=float))
    rows, start = [], 0
    for group in texts:
        rows.append(vectors[start:start + len(group)].mean(axis=0))
        start += len(group)
    return _unit(np.vstack(rows))


def _neighbour_mean(points: np.ndarray, scores: np.ndarray, k: int, block: int = 1024) -> np.ndarray:
    """Each statement's code scores averaged over its k nearest statements (itself included), a block at a time
    so a large study never holds the full statement-by-statement matrix."""
    k = min(k, len(points))
    out = np.empty_like(scores)
    for start in range(0, len(points), block):
        near = points[start:start + block] @ points.T
        top = np.argpartition(-near, k - 1, axis=1)[:, :k]
        out[start:start + block] = scores[top].mean(axis=1)
    return out


def nearest_codes(vectors: np.ndarray, codes: np.ndarray, neighbours: int = NEIGHBOURS
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(index of the best-fitting code, its score) for every statement.

    The score is the cosine similarity after both sides are centred on the statements' mean (sentence embeddings
    share one large common direction, so raw cosines all sit near 0.8), half the statement's own and half its
    nearest statements' (a statement is read with the ones like it, as a coder reads a passage in context).
    bench/results/code_frame.md measures both choices.
    """
    points = _unit(np.asarray(vectors, dtype=float))
    mean = points.mean(axis=0)
    points = _unit(points - mean)
    scores = points @ _unit(codes - mean).T
    if neighbours > 1 and len(points) > 1:
        scores = 0.5 * scores + 0.5 * _neighbour_mean(points, scores, neighbours)
    best = scores.argmax(axis=1)
    return best, scores[np.arange(len(best)), best]


def theme_ids(frame: CodeFrame) -> dict[str, str]:
    """The team's themes' ids, C01, C02, ... in the frame's order: stable from run to run and wave to wave."""
    return {theme: f"C{n:02d}" for n, theme in enumerate(frame.themes, start=1)}


def assign_to_frame(assignments: pd.DataFrame, frame: CodeFrame, best: np.ndarray, similarity: np.ndarray,
                    threshold: float) -> pd.DataFrame:
    """`assignments` (segment_id, theme_id, theme_similarity, unassigned_reason, subtheme_number; rows as the
    vectors) with the statements that fit a team code moved to it, and team_code / nearest_code /
    code_similarity columns; found themes left with fewer than MIN_NEW_THEME statements are dissolved."""
    ids = theme_ids(frame)
    leaves: dict[str, list[str]] = {}
    for code in frame.codes:
        leaves.setdefault(code.theme, []).append(code.name)
    table = assignments.copy()
    fits = similarity >= threshold
    names = [frame.codes[i].name for i in best]
    table["nearest_code"] = names
    table["code_similarity"] = np.round(similarity, 4)
    table["team_code"] = [n if f else "" for n, f in zip(names, fits, strict=True)]
    numbers = table["subtheme_number"].to_numpy().copy()
    themes = table["theme_id"].to_numpy(dtype=object).copy()
    for row in np.flatnonzero(fits):
        code = frame.codes[best[row]]
        themes[row] = ids[code.theme]
        own = leaves[code.theme]
        numbers[row] = own.index(code.name) if code.parent else -1
    table["theme_id"], table["subtheme_number"] = themes, numbers
    table.loc[fits, "theme_similarity"] = np.round(similarity[fits], 4)
    table.loc[fits, "unassigned_reason"] = ""
    found = table.loc[~fits & (table["theme_id"] != ""), "theme_id"]
    small = set(found.value_counts()[lambda n: n < MIN_NEW_THEME].index)
    dissolved = table["theme_id"].isin(small).to_numpy() & ~fits
    table.loc[dissolved, ["theme_id", "unassigned_reason"]] = ["", "no close theme"]
    table.loc[dissolved, "subtheme_number"] = -1
    return table


def frame_themes(themes: pd.DataFrame, frame: CodeFrame) -> pd.DataFrame:
    """The themes table after `assign_to_frame`: team themes named by the team, in the frame's order first, then
    teema's new themes; `origin` says which ('team code' or 'new')."""
    ids = theme_ids(frame)
    names = {v: k for k, v in ids.items()}
    descriptions = {c.theme: c.description for c in frame.codes if not c.parent or c.name == c.theme}
    themes = themes.copy()
    themes["origin"] = [TEAM_ORIGIN if t in names else NEW_ORIGIN for t in themes["theme_id"]]
    themes["label"] = [names.get(t, label) for t, label in zip(themes["theme_id"], themes["label"], strict=True)]
    themes["code_description"] = [descriptions.get(names.get(t, ""), "") for t in themes["theme_id"]]
    order = {t: n for n, t in enumerate(ids.values())}
    themes["_order"] = [order.get(t, len(order)) for t in themes["theme_id"]]
    themes = themes.sort_values(["_order", "mentions", "theme_id"], ascending=[True, False, True], kind="stable")
    return themes.drop(columns="_order").reset_index(drop=True)


def frame_subtheme_labels(coded: pd.DataFrame) -> dict[str, str]:
    """Sub-theme id -> the team's child code it holds (statements coded to a team code, `coded` after the
    sub-theme ids are given)."""
    if "team_code" not in coded:
        return {}
    rows = coded[(coded["team_code"] != "") & (coded["subtheme_id"] != "")]
    return dict(zip(rows["subtheme_id"], rows["team_code"], strict=True))


def fit_code_frame(coded: pd.DataFrame, vectors: np.ndarray, assignments: pd.DataFrame, themes: pd.DataFrame,
                   frame: CodeFrame, embed: Callable[[list[str]], np.ndarray], threshold: float, n_quotes: int = 3
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The step `analyse_study` runs after finding themes when the study has a code frame: (assignments,
    themes) with the team's codes in, counts, keywords and quotes recomputed for every theme."""
    from pipeline.codebook import themes_after_edits

    best, similarity = nearest_codes(vectors, code_vectors(frame, embed))
    table = assign_to_frame(assignments, frame, best, similarity, threshold)
    rows = coded[["segment_id", "text", "lang", "respondent_id"]].merge(table[["segment_id", "theme_id"]],
                                                                         on="segment_id", how="left")
    rows["theme_id"] = rows["theme_id"].fillna("")
    recomputed, theme_similarity = themes_after_edits(rows, vectors, themes, None, n_quotes)
    found = table["team_code"] == ""
    table.loc[found, "theme_similarity"] = theme_similarity[found.to_numpy()]
    return table, frame_themes(recomputed, frame)


def load_code_frame(study_dir: Path, name: str) -> CodeFrame:
    """[themes] code_frame read from the study folder; a ConfigError that names the file and the fix otherwise."""
    try:
        return read_code_frame(study_dir / name)
    except QdaError as err:
        raise ConfigError(f"[themes] code_frame: {err}") from None


def with_frame_subtheme_labels(subthemes: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """Sub-themes that hold a team's child code are named by it."""
    labels = frame_subtheme_labels(coded)
    if not labels:
        return subthemes
    return subthemes.assign(label=[labels.get(s, label) for s, label in zip(subthemes["subtheme_id"],
                                                                             subthemes["label"], strict=True)])


def frame_summary(assignments: pd.DataFrame, themes: pd.DataFrame, frame: CodeFrame, threshold: float) -> str:
    """One line for the report's method: how much the team's codes took, and which themes are new."""
    coded = int((assignments["team_code"] != "").sum())
    used = assignments.loc[assignments["team_code"] != "", "team_code"].nunique()
    # ids only: labels are phrases from the material, redacted later, and this line is shown as it is
    new = [t for t, origin in zip(themes["theme_id"], themes["origin"], strict=True) if origin == NEW_ORIGIN]
    return (f"{frame.source}: {coded} of {len(assignments)} statements coded to {used} of the team's "
            f"{len(frame.codes)} codes (score at least {threshold:g}); "
            + (f"{len(new)} new themes: {', '.join(new)}" if new else "no new themes"))
