"""The theme model: fitted once on a sample of statements, then applied to any rows.

Clustering (UMAP + HDBSCAN) needs every fitted statement at once and is superlinear, so a study of a year's
feedback is fitted on a seeded sample and the rest of its rows are *assigned*: each row on its own, to the
sub-theme of its nearest prototype. Assignment looks at one row at a time, so any batch size, any partition of
a Dask cluster and any later run give the same answer for the same vector. The model is saved with the wave
(`theme_model.npz` beside `wave_state.json`), so new rows can be assigned without refitting.

Prototypes are the centres of small k-means groups inside each sub-theme (at most `prototypes` per sub-theme):
enough to follow a sub-theme's shape, and averages rather than any one respondent's statement vector.
"""

from __future__ import annotations

import copy
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import normalize

from pipeline.hierarchy import ThemeLevels, TopLevelParams, fit_levels
from pipeline.themes import ThemeParams, content_order

MODEL_FILE = "theme_model.npz"
FORMAT = 1
DECIMALS = 9  # similarities are rounded before comparing, so BLAS kernels chosen by batch shape cannot differ


@dataclass(frozen=True)
class ThemeAssignment:
    """Per row: the theme number (-1: none), the sub-theme number (-1: none) and the cosine to the nearest
    prototype."""

    theme_number: np.ndarray
    subtheme_number: np.ndarray
    similarity: np.ndarray


def fit_sample(segments: pd.DataFrame, size: int, random_state: int = 0) -> np.ndarray:
    """Row positions the model is fitted on: all rows when there are at most `size` (0: no limit), else a
    seeded sample drawn in content order, so the same statements give the same sample whatever the files'
    names or order."""
    if size <= 0 or len(segments) <= size:
        return np.arange(len(segments))
    order = content_order(segments)
    picked = np.random.default_rng(random_state).choice(len(order), size=size, replace=False)
    return np.sort(order[picked])


class ThemeModel:
    """Two levels of themes learned from statements and their vectors; `assign` places new rows.

    Parameters follow scikit-learn: set in the constructor, learned attributes end in `_` after `fit`.
    """

    def __init__(self, params: ThemeParams | None = None, top: TopLevelParams | None = None,
                 prototypes: int = 8, embedder: str = "") -> None:
        self.params = params or ThemeParams()
        self.top = top or TopLevelParams()
        self.prototypes = prototypes
        self.embedder = embedder

    def fit(self, segments: pd.DataFrame, vectors: np.ndarray, lemma_vectors: np.ndarray | None = None
            ) -> ThemeModel:
        """Fit both levels on `segments` (segment_id, text, lang, respondent_id) with their vectors, row for
        row. `levels_` holds the fitted rows' own themes (what a study of these rows reports)."""
        self.levels_: ThemeLevels = fit_levels(segments, vectors, lemma_vectors, self.params, self.top)
        langs = segments["lang"].to_numpy()
        self.languages_ = sorted(set(langs.tolist()))
        means = {lang: vectors[langs == lang].astype(np.float64).mean(axis=0) for lang in self.languages_}
        self.language_means_ = np.stack([means[lang] for lang in self.languages_]) if means else \
            np.zeros((0, vectors.shape[1]))
        self.overall_mean_ = vectors.astype(np.float64).mean(axis=0) if len(vectors) else np.zeros(vectors.shape[1])
        points = self._centre(vectors, langs)
        order = content_order(segments)  # k-means sees the rows in an order that does not depend on the files
        self.prototypes_, self.prototype_theme_, self.prototype_subtheme_ = _prototypes(
            points[order], self.levels_.theme_number[order], self.levels_.subtheme_number[order], self.prototypes,
            self.params.random_state)
        self.every_row_themed_ = bool(len(self.levels_.theme_number)) and bool((self.levels_.theme_number != -1).all())
        self.threshold_ = _threshold(points, self.levels_.subtheme_number, self.prototypes_,
                                     self.prototype_subtheme_)
        return self

    def assign(self, vectors: np.ndarray, langs: np.ndarray | list[str]) -> ThemeAssignment:
        """Theme and sub-theme numbers for any rows, each row on its own. A row whose nearest prototype is
        less similar than almost every fitted statement was to its own (`threshold_`) gets no sub-theme, and
        no theme when the fitted study left some statements without one."""
        n = len(vectors)
        if n == 0 or len(self.prototypes_) == 0:
            return ThemeAssignment(np.full(n, -1), np.full(n, -1), np.zeros(n))
        points = self._centre(vectors, np.asarray(langs))
        sims = np.round(points @ self.prototypes_.astype(np.float64).T, DECIMALS)
        nearest = np.argmax(sims, axis=1)
        best = sims[np.arange(n), nearest]
        theme = self.prototype_theme_[nearest].copy()
        sub = self.prototype_subtheme_[nearest].copy()
        far = best < self.threshold_
        sub[far] = -1
        if not self.every_row_themed_:
            theme[far] = -1
        return ThemeAssignment(theme, sub, best)

    def named(self, theme_ids: dict[int, str], subtheme_ids: dict[int, str]) -> ThemeModel:
        """A copy that knows the ids the study gave the fitted numbers (after waves are matched), so `assign_ids`
        answers in them."""
        model = copy.copy(self)
        model.theme_ids_ = {int(k): v for k, v in theme_ids.items()}
        model.subtheme_ids_ = {int(k): v for k, v in subtheme_ids.items()}
        return model

    def assign_ids(self, vectors: np.ndarray, langs: np.ndarray | list[str]) -> pd.DataFrame:
        """theme_id, subtheme_id and similarity for any rows, in the ids of the study the model was fitted on."""
        assigned = self.assign(vectors, langs)
        themes, subs = getattr(self, "theme_ids_", {}), getattr(self, "subtheme_ids_", {})
        return pd.DataFrame({"theme_id": [themes.get(int(t), "") for t in assigned.theme_number],
                             "subtheme_id": [subs.get(int(s), "") for s in assigned.subtheme_number],
                             "similarity": np.round(assigned.similarity, 4)})

    def _centre(self, vectors: np.ndarray, langs: np.ndarray) -> np.ndarray:
        """As `centre_by_language`, with the fitted languages' means (a language the fit never saw: the mean of
        all fitted rows)."""
        centred = vectors.astype(np.float64).copy()
        for lang in np.unique(langs):
            mask = langs == lang
            mean = self.language_means_[self.languages_.index(lang)] if lang in self.languages_ \
                else self.overall_mean_
            centred[mask] -= mean
        return normalize(centred)

    def save(self, path: Path) -> None:
        """Write the fitted model (arrays and settings, no statement text) to an .npz file, atomically."""
        meta = {"format": FORMAT, "embedder": self.embedder, "languages": self.languages_,
                "every_row_themed": self.every_row_themed_, "threshold": self.threshold_,
                "prototypes": self.prototypes,
                "theme_ids": {str(k): v for k, v in sorted(getattr(self, "theme_ids_", {}).items())},
                "subtheme_ids": {str(k): v for k, v in sorted(getattr(self, "subtheme_ids_", {}).items())}}
        buffer = io.BytesIO()
        np.savez_compressed(buffer, meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8),
                            language_means=self.language_means_, overall_mean=self.overall_mean_,
                            prototypes=self.prototypes_, prototype_theme=self.prototype_theme_,
                            prototype_subtheme=self.prototype_subtheme_)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.tmp")
        temp.write_bytes(buffer.getvalue())
        temp.replace(path)

    @classmethod
    def load(cls, path: Path) -> ThemeModel:
        """A model written by `save`; ValueError naming the file when it is not one."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode())
                arrays = {name: data[name] for name in ("language_means", "overall_mean", "prototypes",
                                                         "prototype_theme", "prototype_subtheme")}
        except (OSError, KeyError, ValueError) as err:
            raise ValueError(f"{path}: not a teema theme model ({err}); run `teema themes` again to write one") \
                from err
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: theme model format {meta.get('format')}, this teema reads {FORMAT}")
        model = cls(prototypes=int(meta["prototypes"]), embedder=str(meta["embedder"]))
        model.languages_ = list(meta["languages"])
        model.every_row_themed_ = bool(meta["every_row_themed"])
        model.threshold_ = float(meta["threshold"])
        model.language_means_ = arrays["language_means"]
        model.overall_mean_ = arrays["overall_mean"]
        model.prototypes_ = arrays["prototypes"]
        model.prototype_theme_ = arrays["prototype_theme"]
        model.prototype_subtheme_ = arrays["prototype_subtheme"]
        return model.named({int(k): v for k, v in meta.get("theme_ids", {}).items()},
                           {int(k): v for k, v in meta.get("subtheme_ids", {}).items()})


def _prototypes(points: np.ndarray, themes: np.ndarray, subthemes: np.ndarray, per_group: int, random_state: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Up to `per_group` k-means centres for every (theme, sub-theme) group, including a theme's statements in
    no sub-theme; groups in (theme, sub-theme) order."""
    vectors, theme_of, sub_of = [], [], []
    groups = sorted({(int(t), int(s)) for t, s in zip(themes, subthemes, strict=True) if t != -1 or s != -1})
    for theme, sub in groups:
        members = points[(themes == theme) & (subthemes == sub)]
        distinct = len(np.unique(np.round(members, 9), axis=0))  # copies of one answer are one point to k-means
        k = int(min(per_group, max(1, len(members) // 4), distinct))
        if k == 1:
            centres = members.mean(axis=0, keepdims=True)
        else:
            centres = KMeans(n_clusters=k, n_init=1, random_state=random_state).fit(members).cluster_centers_
        vectors.append(normalize(centres))
        theme_of += [theme] * len(centres)
        sub_of += [sub] * len(centres)
    if not vectors:
        return np.zeros((0, points.shape[1]), dtype=np.float32), np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    return np.vstack(vectors).astype(np.float32), np.asarray(theme_of), np.asarray(sub_of)


def _threshold(points: np.ndarray, subthemes: np.ndarray, prototypes: np.ndarray, prototype_subtheme: np.ndarray,
               quantile: float = 0.02) -> float:
    """The similarity below which a row is in no sub-theme: what the least typical 2% of the fitted statements
    in a sub-theme had to their sub-theme's nearest prototype."""
    inside = np.flatnonzero(subthemes != -1)
    if len(inside) == 0 or len(prototypes) == 0:
        return -1.0
    sims = points[inside] @ prototypes.astype(np.float64).T
    own = np.where(prototype_subtheme[None, :] == subthemes[inside, None], sims, -np.inf).max(axis=1)
    return float(np.round(np.quantile(own, quantile), DECIMALS))
