import numpy as np
import pandas as pd

from pipeline.embed import embed_texts
from pipeline.themes import (
    ThemeParams,
    fit_themes,
    lexical_features,
    lexical_weight_for,
    representative,
    with_lexical,
)

TOPICS = {
    "invoice": [
        "The invoice was wrong again this month.", "We were billed twice for the same licence.",
        "Lasku oli taas väärin.", "Meitä laskutettiin kahdesti samasta lisenssistä.",
        "Invoices never match the contract.", "Laskut eivät vastaa sopimusta.",
        "The credit note took four months.", "Hyvityslasku kesti neljä kuukautta.",
        "They charged us for licences we had cancelled.", "Meiltä laskutettiin peruttuja lisenssejä.",
        "The invoice total was 2,000 euros too high.", "Laskun loppusumma oli 2000 euroa liian suuri.",
    ],
    "fair": [
        "We first heard of them at a trade fair.", "A partner company recommended them to us.",
        "Kuulimme heistä ensimmäisen kerran messuilla.", "Yhteistyökumppani suositteli heitä meille.",
        "Their stand at the property fair caught my eye.", "Heidän messuosastonsa kiinnitti huomioni.",
        "A friend in the industry told me about them.", "Alan tuttava kertoi heistä minulle.",
        "I saw their advert in a trade magazine.", "Näin heidän mainoksensa alan lehdessä.",
        "Another customer of theirs spoke highly of them at a seminar.", "Toinen asiakas kehui heitä seminaarissa.",
    ],
    "training": [
        "The onboarding training was excellent.", "Our trainer explained everything clearly.",
        "Käyttöönottokoulutus oli erinomainen.", "Kouluttaja selitti kaiken selkeästi.",
        "Staff learned the system in a week thanks to the training.", "Henkilöstö oppi järjestelmän viikossa koulutuksen ansiosta.",
        "The training sessions were well organised.", "Koulutukset oli hyvin järjestetty.",
        "The trainer answered every question patiently.", "Kouluttaja vastasi kärsivällisesti kaikkiin kysymyksiin.",
        "The onboarding videos helped new staff learn fast.", "Perehdytysvideot auttoivat uusia työntekijöitä oppimaan nopeasti.",
    ],
}


def _segments():
    rows = [{"segment_id": f"s{topic[:3]}{i:02d}", "text": text, "lang": "fi" if i % 2 else "en",
             "respondent_id": f"R{i}", "topic": topic}
            for topic, texts in TOPICS.items() for i, text in enumerate(texts)]
    return pd.DataFrame(rows)


def test_topics_become_themes_across_languages(embedder):
    segments = _segments()
    vectors = embed_texts(segments["text"].tolist(), embedder)
    assignments, themes = fit_themes(segments, vectors, ThemeParams(min_size=3))
    merged = segments.merge(assignments, on="segment_id")
    assigned = merged[merged["theme_id"] != ""]
    assert len(assigned) >= 0.6 * len(merged)
    # Each theme is dominated by one topic, and each topic has a theme holding both languages.
    purity = assigned.groupby("theme_id")["topic"].agg(lambda s: s.value_counts().iloc[0] / len(s))
    assert purity.min() >= 0.75
    for topic in TOPICS:
        main_theme = assigned[assigned["topic"] == topic]["theme_id"].mode()[0]
        assert set(assigned[(assigned["theme_id"] == main_theme) & (assigned["topic"] == topic)]["lang"]) == {"fi", "en"}
    assert (themes["quote_ids"].map(len) == 3).all()
    assert set(merged.loc[merged["theme_id"] == "", "unassigned_reason"]) <= {"no close theme"}


def _assert_same_themes_in_any_order(segments: pd.DataFrame, vectors: np.ndarray, seed: int) -> None:
    first, themes_a = fit_themes(segments, vectors, ThemeParams(min_size=3))
    order = np.random.default_rng(seed).permutation(len(segments))
    second, themes_b = fit_themes(segments.iloc[order].reset_index(drop=True), vectors[order], ThemeParams(min_size=3))
    pd.testing.assert_frame_equal(first.sort_values("segment_id").reset_index(drop=True),
                                  second.sort_values("segment_id").reset_index(drop=True))
    pd.testing.assert_frame_equal(themes_a, themes_b)


def test_same_themes_whatever_the_row_order(embedder):
    segments = _segments()
    _assert_same_themes_in_any_order(segments, embed_texts(segments["text"].tolist(), embedder), seed=7)


def test_representative_quotes_are_typical_and_different():
    points = np.array([[1.0, 0.0], [0.99, 0.14], [0.99, 0.141], [0.8, 0.6]])
    points = points / np.linalg.norm(points, axis=1, keepdims=True)
    chosen = representative(points, np.array([1.0, 0.0]), 2, diversity=0.7)
    assert chosen[0] == 0 and chosen[1] == 3


def test_small_theme_survives_next_to_a_large_one(embedder):
    big = [f"The invoice was wrong again, this time by {n} euros." for n in range(30, 330, 10)]
    small = ["There is never any parking space at your office.", "Parking at your headquarters is impossible.",
             "We could not find a parking place for the meeting."]
    other = ["The trainer was excellent and patient.", "Training sessions were very well organised.",
             "Onboarding training helped our staff a lot.", "The course for new users was great.",
             "Our technicians loved the training day."]
    texts = big + small + other
    segments = pd.DataFrame({"segment_id": [f"s{i:03d}" for i in range(len(texts))], "text": texts, "lang": "en",
                             "respondent_id": [f"R{i}" for i in range(len(texts))]})
    assignments, themes = fit_themes(segments, embed_texts(texts, embedder), ThemeParams())
    theme_of = dict(zip(assignments["segment_id"], assignments["theme_id"], strict=True))
    parking = {theme_of[f"s{i:03d}"] for i in range(len(big), len(big) + len(small))}
    invoices = {theme_of[f"s{i:03d}"] for i in range(len(big))}
    assert len(parking) == 1 and "" not in parking, "the 3-statement theme was not kept whole"
    assert parking.isdisjoint(invoices)


def test_no_cluster_holds_more_than_its_share_of_a_small_study():
    from pipeline.themes import cluster

    # Three overlapping groups and a far one: HDBSCAN's excess of mass keeps the three as one cluster of 60 of 80,
    # as it did with a real 86-statement study (invoicing, support and sales promises in one theme).
    rng = np.random.default_rng(0)
    points = np.vstack([rng.normal(centre, 0.25, size=(20, 2)) for centre in [(0, 0), (1.2, 0), (0.6, 1.0), (12, 12)]])
    uncapped = cluster(points, 3, 2, max_share=0)
    assert np.bincount(uncapped[uncapped >= 0]).max() == 60
    capped = cluster(points, 3, 2, max_share=0.5)
    sizes = np.bincount(capped[capped >= 0])
    assert sizes.max() <= 40 and len(sizes) >= 4
    far = set(capped[60:]) - {-1}
    assert len(far) == 1 and far.isdisjoint(capped[:60])


def test_feedback_survey_of_100_rows_gives_a_handful_of_themes(embedder):
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "corpora" / "sample" / "avoin_palaute.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle)][:100]
    texts = [r["Avoin palaute"] for r in rows if len(r["Avoin palaute"]) > 12]
    segments = pd.DataFrame({"segment_id": [f"s{i:03d}" for i in range(len(texts))], "text": texts,
                             "lang": ["en" if " the " in f" {t.lower()} " else "fi" for t in texts],
                             "respondent_id": [f"R{i}" for i in range(len(texts))]})
    assignments, themes = fit_themes(segments, embed_texts(texts, embedder), ThemeParams())
    assert 3 <= len(themes) <= 20
    assert themes["mentions"].max() <= 0.5 * len(texts)
    assert (assignments["theme_id"] == "").mean() <= 0.5


def test_lexical_features_group_wording_in_each_language():
    texts = ["The invoice was wrong.", "Another wrong invoice arrived.", "The invoice total was wrong.",
             "The trainer was excellent.", "An excellent trainer again.", "Our trainer was excellent.",
             "Lasku oli väärin.", "Taas väärä lasku.", "Laskun summa oli väärin.",
             "Kouluttaja oli erinomainen.", "Erinomainen kouluttaja taas.", "Kouluttajamme oli erinomainen."]
    langs = np.array(["en"] * 6 + ["fi"] * 6)
    lexical = lexical_features(texts, langs)
    assert lexical is not None and np.allclose(np.linalg.norm(lexical, axis=1), 1)
    sims = lexical @ lexical.T
    # Same wording (lemmas: lasku/laskun, kouluttaja/kouluttajamme) is close within each language.
    assert sims[0, 1] > sims[0, 3] and sims[6, 7] > sims[6, 9]
    # Centred per language, a language on its own is no reason to be close.
    assert abs(sims[:6, 6:].mean()) < 0.1


def test_no_lexical_signal_leaves_the_embeddings_alone():
    points = np.eye(3)
    assert lexical_features(["Alpha.", "Beta.", "Gamma."], None) is None
    assert with_lexical(points, None, 0.1) is points
    assert with_lexical(points, np.eye(3), 0) is points


def test_lexical_part_only_in_a_monolingual_study():
    assert lexical_weight_for(np.array(["en"] * 95 + ["fi"] * 5), 0.1) == 0.1
    assert lexical_weight_for(np.array(["en"] * 60 + ["fi"] * 40), 0.1) == 0.0


def test_same_monolingual_themes_whatever_the_row_order(embedder):
    segments = _segments()
    segments = segments[segments["lang"] == "en"].reset_index(drop=True)
    _assert_same_themes_in_any_order(segments, embed_texts(segments["text"].tolist(), embedder), seed=3)


def test_a_finnish_and_an_english_cluster_join_once():
    from pipeline.themes import merge_across_languages

    def at(degrees):
        return [np.cos(np.radians(degrees)), np.sin(np.radians(degrees))]

    # Finnish A (0-2 degrees), English A (10), English B (40): A's halves join; B, though near, stays its own.
    points = np.array([at(0), at(1), at(2), at(10), at(11), at(40), at(41)])
    labels = np.array([0, 0, 0, 1, 1, 2, 2])
    langs = np.array(["fi", "fi", "fi", "en", "en", "en", "en"])
    assert merge_across_languages(points, labels, langs, 0.45).tolist() == [0, 0, 0, 0, 0, 2, 2]


def test_reduce_gives_copies_one_place_and_the_same_result_every_time():
    """Many respondents give the same answer; with copies in its graph UMAP's spectral start varied run to run."""
    from pipeline.themes import reduce

    rng = np.random.default_rng(0)
    distinct = rng.normal(size=(40, 16))
    points = np.vstack([distinct, distinct[:10], distinct[:10], distinct[:5]])  # 25 copies
    first, second = reduce(points, 5, 15, 0), reduce(points, 5, 15, 0)
    assert np.array_equal(first, second)
    assert np.array_equal(first[40:50], first[:10]) and np.array_equal(first[60:65], first[:5])
