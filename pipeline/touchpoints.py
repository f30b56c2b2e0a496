"""Touchpoints: where on the journey a statement happened (sales visit, invoice, support call, renewal, ...).

The touchpoints are the study's journey definition: `[[stage.touchpoint]]` in the stages file (models/stages.toml or
the study's own), each with its stage, names, and description and example statements either inline or from
`[tag] touchpoints` (models/touchpoints.toml by default, matched by id). A classifier fitted on those texts scores
every statement; each score is weighed by how likely the touchpoint's stage is for the statement (its stage
scores, or its stage when a coder set it), and the statements of one sub-theme pull toward their common touchpoint.
Below `[tag] touchpoint_threshold` a statement is "unplaced".
Measured on the sample's planted statements: bench/results/touchpoints.md.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from pipeline.tagging import DefinitionError, with_theme_prior

UNPLACED = "unplaced"
SUBTHEME_WEIGHT = 0.5  # how far a statement moves toward its sub-theme's mean touchpoint scores


@dataclass(frozen=True)
class Touchpoint:
    id: str
    stage: str
    name_en: str
    name_fi: str
    description_en: str = ""
    description_fi: str = ""
    examples: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.name_fi if lang == "fi" else self.name_en

    @property
    def texts(self) -> list[str]:
        """What the classifier learns this touchpoint from: its names, descriptions and examples."""
        return [t for t in (self.name_en, self.name_fi, self.description_en, self.description_fi, *self.examples)
                if t]


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise DefinitionError(f"{path}: definitions file not found") from err
    except tomllib.TOMLDecodeError as err:
        raise DefinitionError(f"{path}: not valid TOML ({err})") from err


def load_touchpoints(stages_paths: Sequence[Path], examples_path: Path | None = None) -> list[Touchpoint]:
    """Every `[[stage.touchpoint]]` of the stages files in order, with the examples file's texts for its id."""
    extra = {}
    if examples_path is not None:
        extra = {e.get("id"): e for e in _read(examples_path).get("touchpoint", []) if isinstance(e, dict)}
    found: dict[str, Touchpoint] = {}
    for path in stages_paths:
        for stage in _read(path).get("stage", []):
            for number, entry in enumerate(stage.get("touchpoint", []), start=1):
                missing = [k for k in ("id", "name_en", "name_fi") if not entry.get(k)]
                if missing:
                    raise DefinitionError(f"{path}: touchpoint number {number} of stage '{stage.get('id')}' lacks "
                                          f"{', '.join(missing)}")
                more = extra.get(entry["id"], {})

                def pick(key: str, entry=entry, more=more) -> str:
                    return str(entry.get(key) or more.get(key) or "")

                examples = tuple(entry.get("examples_en", [])) + tuple(entry.get("examples_fi", [])) + \
                    tuple(more.get("examples_en", [])) + tuple(more.get("examples_fi", []))
                found[entry["id"]] = Touchpoint(entry["id"], stage["id"], entry["name_en"], entry["name_fi"],
                                                pick("description_en"), pick("description_fi"),
                                                tuple(dict.fromkeys(examples)))
    return list(found.values())


def fit_touchpoints(touchpoints: Sequence[Touchpoint], embed: Callable[[list[str]], np.ndarray],
                    C: float = 100.0) -> Pipeline:
    """Logistic regression on the centred embeddings of each touchpoint's texts, as the stage classifier but
    barely regularised: with a handful of texts for each of some 26 touchpoints, C=10 left every score near
    1/26 (bench/results/touchpoints.md)."""
    texts = [t for tp in touchpoints for t in tp.texts]
    targets = [tp.id for tp in touchpoints for _ in tp.texts]
    model = make_pipeline(StandardScaler(with_std=False), LogisticRegression(C=C, max_iter=5000))
    return model.fit(embed(texts), targets)


def stage_weights(stages: Sequence[str], scores: Sequence[str] | None = None, sources: Sequence[str] | None = None
                  ) -> list[dict[str, float]]:
    """How likely each stage is for each statement: the stage classifier's scores ('contract=0.61 ...'), or
    certainty where a coder or the codebook set the stage (or no scores were kept)."""
    weights = []
    for n, stage in enumerate(stages):
        given = scores[n] if scores is not None else ""
        decided = sources is not None and sources[n] in ("coder", "codebook")
        parsed = {}
        if isinstance(given, str) and given and not decided:
            for part in given.split():
                key, _, value = part.partition("=")
                try:
                    parsed[key] = float(value)
                except ValueError:
                    continue
        weights.append(parsed or ({stage: 1.0} if stage else {}))
    return weights


def touchpoint_probabilities(model: Pipeline, touchpoints: Sequence[Touchpoint], vectors: np.ndarray,
                             stages: Sequence[dict[str, float]], subtheme_ids: Sequence[str] | None = None,
                             subtheme_weight: float = SUBTHEME_WEIGHT) -> np.ndarray:
    """Scores over the touchpoints (columns in `touchpoints` order): the touchpoint classifier's times how likely
    the touchpoint's stage is for the statement (`stages`, from stage_weights; an empty dict: any stage), then
    pulled toward the statement's sub-theme's mean."""
    if len(vectors) == 0:
        return np.zeros((0, len(touchpoints)))
    probs = model.predict_proba(vectors).astype(np.float64)
    probs = probs[:, [list(model.classes_).index(tp.id) for tp in touchpoints]]
    own = [tp.stage for tp in touchpoints]
    for row, weights in enumerate(stages):
        if weights and any(weights.get(stage, 0.0) > 0 for stage in own):
            probs[row] *= np.array([weights.get(stage, 0.0) for stage in own])
    probs /= np.maximum(probs.sum(axis=1, keepdims=True), 1e-12)
    if subtheme_ids is not None and subtheme_weight > 0:
        probs = with_theme_prior(probs, list(subtheme_ids), subtheme_weight)
    return probs


def place(probs: np.ndarray, touchpoints: Sequence[Touchpoint], threshold: float) -> pd.DataFrame:
    """touchpoint (or 'unplaced' below the threshold), touchpoint_confidence, touchpoint_scores per statement."""
    ids = [tp.id for tp in touchpoints]
    best = probs.argmax(axis=1) if len(probs) else np.zeros(0, dtype=int)
    confidence = probs[np.arange(len(best)), best] if len(probs) else np.zeros(0)
    return pd.DataFrame({
        "touchpoint": [ids[b] if c >= threshold else UNPLACED for b, c in zip(best, confidence, strict=True)],
        "touchpoint_confidence": np.round(confidence, 3),
        "touchpoint_scores": [_top_scores(row, ids) for row in probs],
    })


def _top_scores(row: np.ndarray, ids: Sequence[str], n: int = 3) -> str:
    """The n best touchpoints with their scores, 'support=0.71 invoicing=0.20 changes=0.05', for the CSV reader."""
    order = np.argsort(-row, kind="stable")[:n]
    return " ".join(f"{ids[i]}={row[i]:.2f}" for i in order if row[i] >= 0.005)


def tag_touchpoints(coded: pd.DataFrame, vectors: np.ndarray, touchpoints: Sequence[Touchpoint],
                    embed: Callable[[list[str]], np.ndarray], threshold: float) -> pd.DataFrame:
    """The step `analyse_study` runs after stage and polarity: the three touchpoint columns, rows as `coded`."""
    model = fit_touchpoints(touchpoints, embed)
    subthemes = coded["subtheme_id"].fillna("").tolist() if "subtheme_id" in coded else None
    stages = stage_weights(coded["stage"].fillna("").tolist(),
                           coded["stage_scores"].fillna("").tolist() if "stage_scores" in coded else None,
                           coded["stage_source"].fillna("").tolist() if "stage_source" in coded else None)
    probs = touchpoint_probabilities(model, touchpoints, vectors, stages, subthemes)
    return place(probs, touchpoints, threshold).set_index(coded.index)


def study_touchpoints(config, study_dir: Path | None) -> list[Touchpoint]:
    """The study's touchpoints: its stages files' (`[tag] stages` and `extra_stages`), with `[tag] touchpoints`'
    examples; [] when the journey defines none."""
    from pipeline.tagging import definitions_path

    tag = config.tag
    paths = [definitions_path(name, study_dir, config.models_dir) for name in (tag.stages, tag.extra_stages) if name]
    examples = definitions_path(tag.touchpoints, study_dir, config.models_dir) if tag.touchpoints else None
    return load_touchpoints(paths, examples)
