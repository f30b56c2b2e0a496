"""Row-wise work on partitions: the same rows as one pass, and a Dask cluster gives the study a local run gives."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from pipeline.config import load_config
from pipeline.corpus.segment import segment_turns
from pipeline.scale import LocalMap, assign_rows, chunks, predict_proba_rows, segment_rows
from pipeline.study import analyse_study

FI = ["Lasku oli taas väärin ja jouduin soittamaan asiakaspalveluun.", "Asiakaspalvelu vastasi nopeasti ja ystävällisesti.",
      "Sovellus kaatuu aina kun yritän maksaa laskun.", "Myyjä lupasi alennuksen, jota ei koskaan tullut."]
EN = ["The invoice was wrong again and I had to call support.", "Support answered quickly and kindly.",
      "The app crashes every time I try to pay the bill.", "The salesperson promised a discount that never came."]


def _turns(n: int = 9) -> pd.DataFrame:
    rows = []
    for i in range(n):
        lang_texts = FI if i % 3 else EN
        rows.append({"doc_id": "palaute.csv" if i < 6 else "feedback.csv", "respondent_id": f"r{i}", "source": "feedback",
                     "speaker": "", "role": "respondent", "location": f"palaute.csv:{i + 2}", "line": i + 2,
                     "date": "", "nps": float(i % 11), "question": "", "text": " ".join(lang_texts[: 1 + i % 4]),
                     "csat": None, "ces": None})
    return pd.DataFrame(rows)


def test_chunks_cut_at_whole_batches():
    assert [(s.start, s.stop) for s in chunks(10, 4)] == [(0, 4), (4, 8), (8, 10)]
    assert [(s.start, s.stop) for s in chunks(200, 100, align=64)] == [(0, 64), (64, 128), (128, 192), (192, 200)]
    assert chunks(0, 10) == []


def test_segmenting_in_partitions_gives_the_rows_of_one_pass():
    turns = _turns()
    whole = segment_turns(turns, "2026-11", "auto")
    parts = segment_rows(LocalMap(), turns, "2026-11", "auto", True, partition_rows=2)
    pd.testing.assert_frame_equal(parts, whole)
    assert set(whole["lang"]) == {"fi", "en"}


class _Nearest:
    """A stand-in with ThemeModel's assign contract (row-wise), to check the partitioning alone."""

    def assign(self, vectors, langs):
        from pipeline.theme_model import ThemeAssignment

        return ThemeAssignment(np.argmax(vectors, axis=1), np.argmin(vectors, axis=1), vectors.max(axis=1))


def test_assigning_and_scoring_in_partitions_equal_one_pass():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 6))
    langs = np.array(["fi", "en"] * 25)
    themes, subs = assign_rows(LocalMap(), _Nearest(), vectors, langs, partition_rows=7)
    assert np.array_equal(themes, np.argmax(vectors, axis=1)) and np.array_equal(subs, np.argmin(vectors, axis=1))
    model = LogisticRegression().fit(vectors, vectors[:, 0] > 0)
    assert np.allclose(predict_proba_rows(LocalMap(), model, vectors, 7), model.predict_proba(vectors))


def _feedback_study(folder):
    """240 feedback answers in Finnish and English, more than the theme model's fit sample (100)."""
    rng = np.random.default_rng(1)
    rows = []
    for i in range(240):
        texts = FI if i % 2 else EN
        pick = texts[int(rng.integers(len(texts)))]
        rows.append({"id": f"r{i:03d}", "nps": int(rng.integers(0, 11)), "answer": f"{pick} ({i})" if i % 5 == 0 else pick})
    pd.DataFrame(rows).to_csv(folder / "palaute.csv", index=False)
    (folder / "teema.toml").write_text(
        '[embed]\nmodel = "static"\n[themes]\nfit_sample = 100\n[scale]\npartition_rows = 100\n'
        '[tag]\nenglish_model = ""\nframes = []\n[privacy]\nredact = false\n', encoding="utf-8")
    return folder


COMPARED = ["segment_id", "theme_id", "subtheme_id", "stage", "polarity", "lang", "text"]


@pytest.mark.slow
def test_a_dask_cluster_gives_the_themes_of_a_local_run(tmp_path):
    distributed = pytest.importorskip("distributed")
    from pipeline.scale import DaskMap

    study = _feedback_study(tmp_path)
    config = load_config(study)
    local = analyse_study(study, config, cache=None)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        mapper = DaskMap(client)
        assert mapper.workers == 2
        remote = analyse_study(study, config, cache=None, mapper=mapper)
    pd.testing.assert_frame_equal(remote.segments[COMPARED], local.segments[COMPARED])
    pd.testing.assert_frame_equal(remote.themes, local.themes)
    pd.testing.assert_frame_equal(remote.issues, local.issues)
    assert local.themes["respondents"].sum() > 0 and len(local.segments) >= 240


def test_an_unreachable_scheduler_is_a_clear_usage_error(tmp_path):
    study = _feedback_study(tmp_path)
    done = subprocess.run([sys.executable, "-m", "pipeline", "themes", str(study), "--scheduler", "tcp://127.0.0.1:9",
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr
