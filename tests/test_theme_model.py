"""The theme model: fitted once, applied to any rows in any batch with the same answer, saved and loaded."""

import numpy as np
import pandas as pd
import pytest

from pipeline.hierarchy import TopLevelParams
from pipeline.theme_model import ThemeModel, fit_sample
from pipeline.themes import ThemeParams

TOPICS = {
    "fi": ["lasku oli väärä", "asiakaspalvelu vastasi hitaasti", "sovellus kaatuu usein"],
    "en": ["the invoice was wrong", "support answered slowly", "the app crashes often"],
}


def _study(n_per_topic: int = 30, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Three topics in two languages; a topic's statements lie near one direction, the same in both languages."""
    fixed = np.random.default_rng(0)  # the same topics and languages in every sample; `seed` draws the noise
    directions = fixed.normal(size=(3, 24))
    offset = {"fi": fixed.normal(size=24) * 0.5, "en": fixed.normal(size=24) * 0.5}  # what separates the languages
    rng = np.random.default_rng(seed + 100)
    rows, vectors, topics = [], [], []
    for topic in range(3):
        for i in range(n_per_topic):
            lang = "fi" if i % 2 else "en"
            rows.append({"segment_id": f"s{topic}-{i:03d}", "text": f"{TOPICS[lang][topic]} ({i})", "lang": lang,
                         "respondent_id": f"r{i}"})
            vectors.append(directions[topic] * 3 + offset[lang] + rng.normal(size=24) * 0.6)
            topics.append(topic)
    vectors = np.asarray(vectors, dtype=np.float32)
    return pd.DataFrame(rows), vectors / np.linalg.norm(vectors, axis=1, keepdims=True), np.asarray(topics)


def _fitted(segments, vectors) -> ThemeModel:
    return ThemeModel(ThemeParams(min_size=5), TopLevelParams(min_size=8)).fit(segments, vectors)


def test_fit_finds_the_topics_in_both_languages():
    segments, vectors, topics = _study()
    model = _fitted(segments, vectors)
    themes = model.levels_.theme_number
    # every topic is one theme, whichever language it was said in
    for topic in range(3):
        assert len(set(themes[topics == topic].tolist())) == 1
    assert len(set(themes.tolist())) == 3


def test_assign_is_the_same_in_any_batch_and_agrees_with_the_fit_on_new_rows():
    segments, vectors, topics = _study()
    model = _fitted(segments, vectors)
    new, new_vectors, new_topics = _study(n_per_topic=12, seed=1)  # other statements, same topics
    whole = model.assign(new_vectors, new["lang"].to_numpy())
    for size in (1, 7, 16):
        parts = [model.assign(new_vectors[i:i + size], new["lang"].to_numpy()[i:i + size])
                 for i in range(0, len(new), size)]
        assert np.array_equal(np.concatenate([p.theme_number for p in parts]), whole.theme_number)
        assert np.array_equal(np.concatenate([p.subtheme_number for p in parts]), whole.subtheme_number)
    reversed_rows = model.assign(new_vectors[::-1], new["lang"].to_numpy()[::-1])
    assert np.array_equal(reversed_rows.theme_number[::-1], whole.theme_number)
    # a new statement lands in the theme its topic's fitted statements are in
    fitted_theme_of_topic = {t: model.levels_.theme_number[topics == t][0] for t in range(3)}
    expected = np.array([fitted_theme_of_topic[t] for t in new_topics])
    assert (whole.theme_number == expected).mean() >= 0.95


def test_a_row_far_from_every_theme_gets_no_subtheme():
    segments, vectors, _ = _study()
    model = _fitted(segments, vectors)
    far = -vectors[:1]  # the opposite direction of a fitted statement
    assert model.assign(far, np.array(["fi"])).subtheme_number[0] == -1


def test_saved_model_assigns_as_the_fitted_one(tmp_path):
    segments, vectors, _ = _study()
    model = _fitted(segments, vectors).named({0: "T01", 1: "T02", 2: "T03"}, {})
    path = tmp_path / "theme_model.npz"
    model.save(path)
    loaded = ThemeModel.load(path)
    langs = np.array(["fi", "en", "sv"] * 30)  # a language the fit never saw is centred by the overall mean
    a, b = model.assign(vectors, langs), loaded.assign(vectors, langs)
    assert np.array_equal(a.theme_number, b.theme_number) and np.array_equal(a.subtheme_number, b.subtheme_number)
    assert set(loaded.assign_ids(vectors, langs)["theme_id"]) <= {"T01", "T02", "T03", ""}
    assert b"lasku" not in path.read_bytes()  # vectors and numbers only, no statement text


def test_load_names_a_file_that_is_not_a_model(tmp_path):
    path = tmp_path / "theme_model.npz"
    path.write_text("not a model", encoding="utf-8")
    with pytest.raises(ValueError, match="theme_model.npz"):
        ThemeModel.load(path)


def test_fit_sample_is_all_rows_up_to_the_size_and_the_same_statements_in_any_order():
    segments, _, _ = _study()
    assert np.array_equal(fit_sample(segments, 0), np.arange(len(segments)))
    assert np.array_equal(fit_sample(segments, 500), np.arange(len(segments)))
    picked = set(segments["segment_id"].iloc[fit_sample(segments, 40)])
    shuffled = segments.sample(frac=1, random_state=3).reset_index(drop=True)
    assert set(shuffled["segment_id"].iloc[fit_sample(shuffled, 40)]) == picked
    assert len(picked) == 40
    assert set(segments["segment_id"].iloc[fit_sample(segments, 40, random_state=1)]) != picked
