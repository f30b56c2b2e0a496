"""bench/eval_polarity's scoring rules and data, without models: a wrong rule would misreport issue 4's target."""

from __future__ import annotations

import numpy as np
import pytest

from bench.eval_polarity import CX_DEV_PATH, CX_PATH, XED_DIR, load_cx, load_xed, score

IDS = ["success", "failure", "neutral"]


def test_neutral_on_a_polar_statement_counts_wrong() -> None:
    truth = ["success", "success", "failure", "failure"]
    predicted = ["success", "neutral", "failure", "success"]
    probs = np.array([[0.8, 0.1, 0.1], [0.4, 0.2, 0.4], [0.1, 0.8, 0.1], [0.6, 0.3, 0.1]])
    result = score(truth, predicted, probs, IDS)
    assert result["accuracy"] == 0.5
    assert result["neutral share"] == 0.25
    assert result["accuracy non-neutral"] == pytest.approx(2 / 3)
    assert result["accuracy forced"] == 0.75  # the neutral row leans success, which is right
    assert result["success recall"] == 0.5 and result["failure recall"] == 0.5


@pytest.mark.parametrize("path, per_label", [(CX_PATH, 50), (CX_DEV_PATH, 20)])
def test_cx_sets_are_balanced_per_language(path, per_label: int) -> None:
    frame = load_cx(path)
    counts = frame.groupby(["lang", "label"]).size()
    assert set(counts.index) == {(lang, label) for lang in ("fi", "en") for label in ("success", "failure")}
    assert (counts == per_label).all()
    assert not frame["text"].duplicated().any()


def test_xed_sample_is_fixed_and_stratified() -> None:
    if not (XED_DIR / "fi_polarity.csv").is_file():
        pytest.skip("shared/eval/xed is not beside this checkout")
    first, again = load_xed("fi", 500, seed=0), load_xed("fi", 500, seed=0)
    assert first.equals(again) and len(first) == 500
    assert set(first["label"]) == {"success", "failure"}
    assert 0.30 < (first["label"] == "success").mean() < 0.38  # XED fi is about a third positive
