from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from pipeline.config import DEFAULT_MODELS_DIR
from pipeline.embed import embed_texts
from pipeline.tagging import (
    DefinitionError,
    LabelSet,
    decide,
    fit_label_classifier,
    label_probabilities,
    load_label_set,
    with_context,
    with_theme_prior,
)


@pytest.fixture(scope="module")
def stage_tagger(embedder):
    stages = load_label_set(DEFAULT_MODELS_DIR / "stages.toml", "stage")
    return stages, fit_label_classifier(stages, lambda texts: embed_texts(list(texts), embedder))


@pytest.fixture(scope="module")
def polarity_tagger(embedder):
    polarity = load_label_set(DEFAULT_MODELS_DIR / "polarity.toml", "polarity")
    return polarity, fit_label_classifier(polarity, lambda texts: embed_texts(list(texts), embedder))


def _predict(tagger, embedder, texts):
    labels, model = tagger
    probs = label_probabilities(model, labels, embed_texts(texts, embedder))
    return [labels.ids[i] for i in probs.argmax(axis=1)]


def test_default_definitions_have_five_stages_in_two_languages():
    stages = load_label_set(DEFAULT_MODELS_DIR / "stages.toml", "stage")
    assert stages.ids == ["awareness", "consideration", "contract", "customership", "engagement"]
    assert stages.get("contract").name_fi == "Sopimus"
    assert all(len(s.examples) >= 40 for s in stages.labels)


def test_clear_stage_statements_in_finnish_and_english(stage_tagger, embedder):
    texts = ["Kuulin teistä ensimmäistä kertaa alan messuilla.", "I first heard of them from a friend's recommendation.",
             "Lasku oli taas väärin tässä kuussa.", "The support line took a week to answer our ticket.",
             "Allekirjoitimme sopimuksen maaliskuussa pitkien neuvottelujen jälkeen."]
    expected = ["awareness", "awareness", "customership", "customership", "contract"]
    predicted = _predict(stage_tagger, embedder, texts)
    # Untrained stage tagging is approximate (5-fold accuracy on the definitions' examples: 0.68).
    assert sum(p == e for p, e in zip(predicted, expected, strict=True)) >= 3, predicted


def test_stage_definitions_generalise_to_held_out_examples(embedder):
    stages = load_label_set(DEFAULT_MODELS_DIR / "stages.toml", "stage")
    held_out = {label.id: label.examples[::5] for label in stages.labels}
    training = LabelSet(tuple(replace(label, examples=tuple(t for t in label.examples if t not in held_out[label.id]))
                              for label in stages.labels))
    model = fit_label_classifier(training, lambda texts: embed_texts(list(texts), embedder))
    texts = [t for label_id in stages.ids for t in held_out[label_id]]
    truth = [label_id for label_id in stages.ids for _ in held_out[label_id]]
    probs = label_probabilities(model, stages, embed_texts(texts, embedder))
    accuracy = np.mean([stages.ids[i] == t for i, t in zip(probs.argmax(axis=1), truth, strict=True)])
    assert accuracy >= 0.6  # chance is 0.2


def test_clear_polarity_in_finnish_and_english(polarity_tagger, embedder):
    texts = ["Koulutus oli erinomainen ja kouluttaja osasi asiansa.", "The onboarding was excellent.",
             "Tuki ei vastaa viikkoihin, tosi turhauttavaa.", "The invoices have been wrong three times.",
             "Meillä on noin kaksikymmentä asentajaa."]
    assert _predict(polarity_tagger, embedder, texts) == ["success", "success", "failure", "failure", "neutral"]


def test_context_and_theme_prior_and_threshold():
    probs = np.array([[0.6, 0.4], [0.2, 0.8], [0.5, 0.5]])
    context = np.array([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    mixed = with_context(probs, context, np.array([True, False, False]), weight=0.5)
    np.testing.assert_allclose(mixed[0], [0.3, 0.7])
    np.testing.assert_allclose(mixed[1:], probs[1:])
    smoothed = with_theme_prior(probs, ["T1", "T1", ""], weight=1.0)
    np.testing.assert_allclose(smoothed[0], smoothed[1])
    np.testing.assert_allclose(smoothed[2], probs[2])
    labels, confidence = decide(probs, ["a", "b"], threshold=0.55, fallback="unplaced")
    assert labels == ["a", "b", "unplaced"] and confidence[2] == 0.5


def test_bad_definition_files_name_the_file(tmp_path: Path):
    with pytest.raises(DefinitionError, match="not found"):
        load_label_set(tmp_path / "missing.toml", "stage")
    bad = tmp_path / "stages.toml"
    bad.write_text('[[stage]]\nid = "x"\n')
    with pytest.raises(DefinitionError, match=r"stages.toml: \[\[stage\]\] number 1 lacks name_en, name_fi"):
        load_label_set(bad, "stage")
