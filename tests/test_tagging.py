from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from pipeline.config import DEFAULT_MODELS_DIR
from pipeline.embed import embed_texts
from pipeline.tagging import (
    DefinitionError,
    LabelSet,
    LanguageModel,
    TagParams,
    decide,
    definitions_path,
    extend_label_set,
    fit_label_classifier,
    group_means,
    label_probabilities,
    load_label_set,
    nps_group,
    probabilities_by_language,
    tag_frame,
    tag_statements,
    with_context,
    with_nps,
    with_theme_consensus,
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


def test_nps_leans_polarity_toward_the_score_group():
    probs = np.array([[0.4, 0.4, 0.2], [0.4, 0.4, 0.2], [0.4, 0.4, 0.2]])
    ids = ["success", "failure", "neutral"]
    mixed = with_nps(probs, [2.0, 10.0, np.nan], ids, weight=0.5)
    assert mixed[0, 1] > mixed[0, 0]  # detractor: failure wins
    assert mixed[1, 0] > mixed[1, 1]  # promoter: success wins
    np.testing.assert_allclose(mixed[2], probs[2])  # no score, no change
    np.testing.assert_allclose(mixed.sum(axis=1), 1.0)
    assert [nps_group(s) for s in (0, 6, 7, 8, 9, 10)] == ["detractor"] * 2 + ["passive"] * 2 + ["promoter"] * 2
    # a study's own polarity labels are left alone
    np.testing.assert_allclose(with_nps(probs, [2.0] * 3, ["good", "bad", "meh"], 0.3), probs)


def test_nps_in_tagging_turns_an_ambiguous_comment(embedder):
    stages = load_label_set(DEFAULT_MODELS_DIR / "stages.toml", "stage")
    polarity = load_label_set(DEFAULT_MODELS_DIR / "polarity.toml", "polarity")
    embed = lambda texts: embed_texts(list(texts), embedder)  # noqa: E731
    models = (stages, fit_label_classifier(stages, embed)), (polarity, fit_label_classifier(polarity, embed))
    vectors = embed(["Laskutus.", "Laskutus."])
    args = (vectors, np.zeros((0, vectors.shape[1])), np.array([False, False]), ["", ""], *models,
            TagParams(nps_weight=0.5))
    plain = tag_statements(*args)
    leaned = tag_statements(*args, nps=np.array([0.0, 10.0]))
    failure = polarity.ids.index("failure")
    scores = [[float(part.split("=")[1]) for part in row.split()] for row in leaned["polarity_scores"]]
    base = [float(part.split("=")[1]) for part in plain["polarity_scores"][0].split()]
    assert scores[0][failure] > base[failure] > scores[1][failure]


def test_six_pillars_frame_tags_clear_statements(embedder):
    frame = load_label_set(DEFAULT_MODELS_DIR / "frames" / "six_pillars.toml", "label")
    assert frame.id == "six_pillars" and len(frame.labels) == 6
    assert frame.name("fi") == "Kuusi pilaria"
    model = fit_label_classifier(frame, lambda texts: embed_texts(list(texts), embedder))
    texts = ["Jonotin puhelimessa tunnin ennen kuin kukaan vastasi.", "The salesman lied about the price.",
             "They fixed the broken meter the next morning and apologised.",
             "Asiakaspalvelija oli tosi empaattinen ja kuunteli huoleni."]
    tags = tag_frame(embed_texts(texts, embedder), (frame, model), threshold=0.0)
    assert list(tags.columns) == ["frame_six_pillars", "frame_six_pillars_confidence", "frame_six_pillars_scores"]
    expected = ["time_and_effort", "integrity", "resolution", "empathy"]
    assert sum(p == e for p, e in zip(tags["frame_six_pillars"], expected, strict=True)) >= 3, list(tags.iloc[:, 0])
    assert tag_frame(embed_texts(texts, embedder), (frame, model), threshold=1.0)["frame_six_pillars"].eq("").all()


def test_a_study_extends_or_replaces_the_definitions(tmp_path):
    stages = load_label_set(DEFAULT_MODELS_DIR / "stages.toml", "stage")
    (tmp_path / "more.toml").write_text(
        '[[stage]]\nid = "renewal"\nname_en = "Renewal"\nname_fi = "Uusiminen"\n'
        'examples_en = ["We renewed for three years."]\nexamples_fi = ["Jatkoimme sopimusta."]\n'
        '[[stage]]\nid = "contract"\nname_en = "Contract"\nname_fi = "Sopimus"\n'
        'examples_en = ["The contract had a typo."]\nexamples_fi = ["Sopimuksessa oli kirjoitusvirhe."]\n',
        encoding="utf-8")
    assert definitions_path("more.toml", tmp_path, DEFAULT_MODELS_DIR) == tmp_path / "more.toml"
    assert definitions_path("stages.toml", tmp_path, DEFAULT_MODELS_DIR) == DEFAULT_MODELS_DIR / "stages.toml"
    extended = extend_label_set(stages, load_label_set(tmp_path / "more.toml", "stage"))
    assert extended.ids == stages.ids + ["renewal"]
    assert len(extended.get("contract").examples) == len(stages.get("contract").examples) + 2
    assert extended.find("uusiminen") == "renewal" and extended.find("CONTRACT") == "contract"
    assert extended.find("Sopimus") == "contract" and extended.find("later") is None


def test_coded_statements_join_the_examples(embedder):
    polarity = load_label_set(DEFAULT_MODELS_DIR / "polarity.toml", "polarity")
    embed = lambda texts: embed_texts(list(texts), embedder)  # noqa: E731
    text = ["Kahvinkeitin on aulassa."]  # neutral by nature; a coder calls this a failure ten times over
    plain = label_probabilities(fit_label_classifier(polarity, embed), polarity, embed(text))
    coded = fit_label_classifier(polarity, embed, coded=(text * 10, ["failure"] * 10))
    learned = label_probabilities(coded, polarity, embed(text))
    assert learned[0, polarity.ids.index("failure")] > plain[0, polarity.ids.index("failure")]


def test_theme_consensus_keeps_an_issue_together_unless_a_statement_clearly_differs():
    own = np.array([[0.45, 0.55], [0.55, 0.45], [0.5, 0.5], [0.9, 0.1], [0.2, 0.8]])
    theme_ids = ["T01", "T01", "T01", "T02", "T02"]
    smoothed = with_theme_prior(own, theme_ids, 0.75)
    decided = with_theme_consensus(smoothed, own, theme_ids, override=0.6)
    assert len({int(row.argmax()) for row in decided[:3]}) == 1  # a near tie no longer splits T01
    assert decided[3].argmax() == 0 and decided[4].argmax() == 1  # T02's statements are sure and differ
    np.testing.assert_allclose(with_theme_consensus(smoothed, own, ["", "", "", "", ""], 0.6), smoothed)
    np.testing.assert_allclose(with_theme_consensus(smoothed, own, theme_ids, 0.0), smoothed)  # 0: off


@pytest.fixture(scope="module")
def embed_english():
    """The packaged English model teema tags English statements with ([tag] english_model)."""
    from pipeline.embed import load_embedder

    mpnet = load_embedder("mpnet")
    return lambda texts: embed_texts(list(texts), mpnet)


def test_english_polarity_on_another_embedder(polarity_tagger, embedder, embed_english):
    labels, base = polarity_tagger
    english = LanguageModel("en", embed_english, fit_label_classifier(labels, embed_english))
    texts = ["Their support solved my problem in minutes, brilliant.", "Tuki ei vastaa viikkoihin.",
             "Nobody has answered my complaint in three weeks."]
    langs = ["en", "fi", "en"]
    vectors = embed_texts(texts, embedder)
    mixed = probabilities_by_language(base, labels, vectors, texts, langs, english)
    own = label_probabilities(base, labels, vectors)
    np.testing.assert_allclose(mixed[1], own[1])  # Finnish stays with the study's embedder
    np.testing.assert_allclose(mixed[[0, 2]], label_probabilities(english.model, labels, embed_english(texts[::2])))
    assert [labels.ids[i] for i in mixed.argmax(axis=1)] == ["success", "failure", "failure"]
    tagged = tag_statements(vectors, np.zeros((0, 0)), np.zeros(3, dtype=bool), ["", "", ""],
                            (labels, base), (labels, base), TagParams(), texts=texts, langs=langs,
                            polarity_other=english)
    assert tagged["polarity"].tolist() == ["success", "failure", "failure"]


def test_english_stage_on_another_embedder(stage_tagger, embedder, embed_english):
    from pipeline.tagging import fit_english_classifier

    stages, base = stage_tagger
    english = LanguageModel("en", embed_english, fit_english_classifier(stages, embed_english))
    texts = ["We signed the three-year agreement after the lawyers checked the terms.",
             "Sopimus allekirjoitettiin, kun juristit olivat tarkistaneet ehdot.",
             "A colleague recommended them to us at a trade fair."]
    langs = ["en", "fi", "en"]
    vectors = embed_texts(texts, embedder)
    tagged = tag_statements(vectors, np.zeros((0, 0)), np.zeros(3, dtype=bool), ["", "", ""],
                            stage_tagger, stage_tagger, TagParams(), texts=texts, langs=langs, stage_other=english)
    assert tagged["stage"].tolist() == ["contract", "contract", "awareness"]
    own = label_probabilities(base, stages, vectors)
    assert tagged["stage_scores"][1] == tag_statements(
        vectors, np.zeros((0, 0)), np.zeros(3, dtype=bool), ["", "", ""], stage_tagger, stage_tagger,
        TagParams())["stage_scores"][1]  # the Finnish statement stays with the study's embedder
    assert not np.allclose(own[[0, 2]], probabilities_by_language(base, stages, vectors, texts, langs, english)[[0, 2]])


def test_only_unsure_english_statements_reach_the_english_model(polarity_tagger, embedder, embed_english):
    labels, base = polarity_tagger
    asked: list[str] = []

    def embed(texts):
        asked.extend(texts)
        return embed_english(texts)

    english = LanguageModel("en", embed, fit_label_classifier(labels, embed_english))
    texts = ["Their support solved my problem in minutes, brilliant.", "Tuki ei vastaa viikkoihin.",
             "The invoice came on a Tuesday."]
    langs = ["en", "fi", "en"]
    vectors = embed_texts(texts, embedder)
    own = label_probabilities(base, labels, vectors)
    top = own.max(axis=1)
    cut = (top[0] + top[2]) / 2  # one English statement sure on the study's embedder, one not
    unsure = 0 if top[0] < top[2] else 2
    mixed = probabilities_by_language(base, labels, vectors, texts, langs, english, unsure_below=cut)
    assert asked == [texts[unsure]]
    np.testing.assert_allclose(mixed[2 - unsure], own[2 - unsure])
    np.testing.assert_allclose(mixed[1], own[1])
    np.testing.assert_allclose(mixed[unsure], label_probabilities(english.model, labels, embed_english([texts[unsure]]))[0])
    np.testing.assert_allclose(probabilities_by_language(base, labels, vectors, texts, langs, english, 0.0), own)
    every = probabilities_by_language(base, labels, vectors, texts, langs, english)  # 1: every English statement
    np.testing.assert_allclose(every[[0, 2]], label_probabilities(english.model, labels, embed_english(texts[::2])))


def test_group_means_blend_the_theme_with_the_sub_theme():
    probs = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.5, 0.5]])
    themes, subs = ["T01", "T01", "T01", "T01", ""], ["T01.1", "T01.1", "T01.2", "", ""]
    np.testing.assert_allclose(group_means(probs, themes)[:4], [[0.5, 0.5]] * 4)
    blended = group_means(probs, themes, subs, 0.5)
    np.testing.assert_allclose(blended[0], [0.75, 0.25])  # half its sub-theme's [1, 0], half the theme's
    np.testing.assert_allclose(blended[2], [0.25, 0.75])
    np.testing.assert_allclose(blended[3], [0.5, 0.5])  # in the theme, in no sub-theme: the theme's alone
    np.testing.assert_allclose(blended[4], probs[4])  # in no theme: its own
    np.testing.assert_allclose(group_means(probs, themes, subs, 1.0)[:3], probs[:3])


def test_a_broad_theme_places_each_sub_theme_on_its_own_stage():
    # Sales promises (stage 0) and automatic renewal (stage 1) in one broad theme: with the whole theme's
    # consensus the larger part takes the smaller's statements; with the sub-theme's share each keeps its own.
    own = np.array([[0.58, 0.42]] * 3 + [[0.42, 0.58]] * 2)
    themes, subs = ["T01"] * 5, ["T01.1"] * 3 + ["T01.2"] * 2
    whole = with_theme_consensus(with_theme_prior(own, themes, 0.75), own, themes, 0.6)
    assert {int(row.argmax()) for row in whole} == {0}
    nested = (subs, 0.5)
    smoothed = with_theme_prior(own, themes, 0.75, *nested)
    decided = with_theme_consensus(smoothed, own, themes, 0.6, *nested)
    assert [int(row.argmax()) for row in decided] == [0, 0, 0, 1, 1]
