"""Waves from the library (pipeline.study_waves): a tiny two-wave study, Finnish and English, analysed without
the CLI (which runs the same loop, tests/test_waves.py) gives both waves, the later one matched with the earlier
and compared with it, and writes nothing itself."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.study_waves import analyse_waves
from pipeline.waves import STATE_FILE

INVOICE = ["The invoice was wrong again.", "Lasku oli väärin taas.", "We were billed twice for the same month.",
           "Laskussa oli väärä hinta.", "Invoices have the wrong prices.", "Laskutus on täysin sekaisin."]
SUPPORT = ["Support never answers the phone.", "Tukeen ei saa yhteyttä.", "Support tickets take a week to answer.",
           "Asiakastuki vastaa todella hitaasti.", "Nobody in support replies to our tickets.",
           "Asiakaspalvelu ei vastaa sähköposteihin."]
TRAINING = ["The training was excellent.", "Koulutus oli erinomainen.", "Onboarding training was really useful.",
            "Koulutuspäivä oli hyödyllinen.", "The trainer explained everything clearly.",
            "Kouluttaja selitti kaiken selkeästi."]
DELIVERY = ["The delivery was two weeks late.", "Toimitus myöhästyi kaksi viikkoa.", "Parts arrived late again.",
            "Varaosat tulivat myöhässä.", "Shipments are always delayed.", "Toimitukset ovat aina myöhässä."]
# Invoices and support in both waves, twelve statements or more each: a theme found again keeps its id whatever
# the last bits of UMAP (the fixture passes with numba compiled for the host and for its generic target).
WAVES = {"2026-05": (INVOICE * 2 + SUPPORT * 2 + TRAINING * 2), "2026-11": (INVOICE * 2 + SUPPORT * 3 + DELIVERY * 2)}


def _study(folder: Path) -> Path:
    for wave, texts in WAVES.items():
        (folder / wave).mkdir(parents=True)
        with (folder / wave / "palaute.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["vastaajan tunnus", "avoin palaute"])
            writer.writerows([f"{wave}-{n:03d}", text] for n, text in enumerate(texts))
    return folder


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.mark.slow
def test_a_library_caller_runs_both_waves_and_gets_what_the_cli_writes(tmp_path, monkeypatch):
    study = _study(tmp_path / "asiakkaat")
    monkeypatch.chdir(tmp_path)
    before = _files(tmp_path)
    lines: list[str] = []
    results = analyse_waves(study, load_config(study), notify=lines.append)
    assert _files(tmp_path) == before  # nothing written: no report, no action table, no codebook
    assert list(results) == ["2026-05", "2026-11"]
    assert lines == ["wave 2026-05 has no report yet; analysing it first"]
    first, second = results["2026-05"], results["2026-11"]
    assert first.trends is None and second.trends is not None and {"issues", "themes"} <= set(second.trends)
    kept = set(first.state.theme_ids) & set(second.state.theme_ids)
    assert kept, (first.state.labels, second.state.labels)  # themes found again keep their ids
    labels = dict(zip(first.state.theme_ids, first.state.labels, strict=True))
    assert all(dict(zip(second.state.theme_ids, second.state.labels, strict=True))[t] == labels[t] for t in kept)
    assert set(second.segments["text"]) >= {"Toimitus myöhästyi kaksi viikkoa.", "Parts arrived late again."}

    # With a reports folder, an earlier wave's saved state is read, not analysed again (the CLI's way).
    reports = tmp_path / "reports"
    (reports / "2026-05").mkdir(parents=True)
    (reports / "2026-05" / STATE_FILE).write_text(first.state.to_json(), encoding="utf-8")
    again = analyse_waves(study, load_config(study), "2026-11", reports=reports)
    assert list(again) == ["2026-11"] and again["2026-11"].state.theme_ids == second.state.theme_ids
    assert again["2026-11"].trends["themes"].equals(second.trends["themes"])


def test_a_study_without_waves_is_refused_with_what_to_do(tmp_path):
    from pipeline.steps import NothingToCode

    (tmp_path / "palaute.csv").write_text("id,text\n1,Lasku oli väärin.\n2,Support is slow.\n", encoding="utf-8")
    with pytest.raises(NothingToCode, match="analyse_study"):
        analyse_waves(tmp_path, load_config(tmp_path))
