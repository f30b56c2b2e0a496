"""Waves: two real waves of a tiny study, embedded and clustered for real. Some themes persist, one grows,
one shrinks, one vanishes and one is new; theme ids stay stable, older reports are never rewritten."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.waves import STATE_FILE, WaveError, detect_waves, pick_wave, read_state, wave_start

INVOICE = ["The invoice was wrong again.", "Lasku oli väärin taas.", "We were billed twice for the same month.",
           "Laskussa oli väärä hinta.", "Invoices have the wrong prices.", "Laskutus on täysin sekaisin.",
           "Our invoice had errors again this month.", "Saimme kaksi laskua samasta kuukaudesta."]
SUPPORT = ["Support never answers the phone.", "Tukeen ei saa yhteyttä.", "Support tickets take a week to answer.",
           "Asiakastuki vastaa todella hitaasti.", "Waiting for support is painfully slow.",
           "Tukipyyntöihin vastataan viikon päästä.", "Nobody in support replies to our tickets.",
           "Asiakaspalvelu ei vastaa sähköposteihin."]
TRAINING = ["The training was excellent.", "Koulutus oli erinomainen.", "Onboarding training was really useful.",
            "Koulutuspäivä oli hyödyllinen.", "The trainer explained everything clearly.",
            "Käyttöönottokoulutus oli todella hyvä.", "Great training sessions for our team.",
            "Kouluttaja selitti kaiken selkeästi."]
CRASH = ["The mobile app crashes all the time.", "Sovellus kaatuu jatkuvasti.", "The app freezes when I log in.",
         "Mobiilisovellus jumittuu kirjautuessa.", "The app crashed and lost my data.",
         "Sovellus kaatui ja tiedot katosivat."]
DELIVERY = ["The delivery was two weeks late.", "Toimitus myöhästyi kaksi viikkoa.",
            "Parts arrived late again.", "Varaosat tulivat myöhässä.", "Shipments are always delayed.",
            "Toimitukset ovat aina myöhässä.", "The spare parts delivery took a month.",
            "Tilaus saapui viikkoja myöhässä."]


def _rows(counts: dict[str, int]) -> list[str]:
    pools = {"invoice": INVOICE, "support": SUPPORT, "training": TRAINING, "crash": CRASH, "delivery": DELIVERY}
    return [pools[name][i % len(pools[name])] for name, n in counts.items() for i in range(n)]


WAVE_1 = {"invoice": 16, "support": 8, "training": 10, "crash": 10}
WAVE_2 = {"invoice": 4, "support": 22, "training": 10, "delivery": 10}


def _write_wave(folder: Path, counts: dict[str, int], prefix: str) -> None:
    folder.mkdir(parents=True)
    with (folder / "palaute.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        for i, text in enumerate(_rows(counts)):
            writer.writerow([f"{prefix}{i:03d}", text])


@pytest.fixture
def study(tmp_path: Path) -> Path:
    folder = tmp_path / "asiakkaat"
    _write_wave(folder / "2026-05", WAVE_1, "A")
    _write_wave(folder / "2026-11", WAVE_2, "B")
    return folder


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_wave_names_sort_by_period(tmp_path):
    for name in ("2026-11", "2026Q2", "2025", "notes", "2026-05"):
        (tmp_path / name).mkdir()
    assert detect_waves(tmp_path) == ["2025", "2026Q2", "2026-05", "2026-11"]
    assert wave_start("2026H2") == date(2026, 7, 1) and wave_start("2026-13") is None
    assert pick_wave(["2026-05", "2026-11"], None) == "2026-11"
    with pytest.raises(WaveError, match="2026-05, 2026-11"):
        pick_wave(["2026-05", "2026-11"], "2027-01")


def test_unknown_wave_is_a_usage_error(study, tmp_path, capsys):
    assert main(["themes", str(study), "--wave", "2030-01", "--out", str(tmp_path / "r" / "x"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "2030-01" in err and "2026-05, 2026-11" in err and "Traceback" not in err


def test_an_older_wave_is_refused_before_any_work_when_a_newer_one_has_a_report(study, tmp_path, capsys,
                                                                               monkeypatch):
    monkeypatch.chdir(tmp_path)
    newer = tmp_path / "reports" / "asiakkaat" / "2026-11"
    newer.mkdir(parents=True)
    (newer / "index.html").write_text("<p>marraskuun raportti</p>", encoding="utf-8")
    assert main(["themes", str(study), "--wave", "2026-05"]) == 2
    err = capsys.readouterr().err
    assert "never rewritten" in err and str(Path("reports") / "asiakkaat" / "2026-05") in err
    assert not (tmp_path / "reports" / "asiakkaat" / "2026-05").exists() and not (study / "actions.xlsx").exists()
    assert [p.name for p in newer.iterdir()] == ["index.html"]


def _themes_by_word(rows: list[dict], word: str) -> set[str]:
    return {r["theme_id"] for r in rows if word in r["keywords"].lower() or word in r["label"].lower()}


def test_two_waves_keep_ids_and_show_the_changes(study, tmp_path, capsys):
    reports = tmp_path / "reports" / "asiakkaat"
    log = tmp_path / "teema.log"
    assert main(["themes", str(study), "--out", str(reports / "2026-11"), "--quiet", "--log", str(log)]) == 0
    first, second = reports / "2026-05", reports / "2026-11"
    assert (first / STATE_FILE).exists() and (second / STATE_FILE).exists()
    old, new = read_state(first), read_state(second)
    assert old is not None and new is not None
    by_label = dict(zip(old.theme_ids, old.labels, strict=True))

    themes = _csv(second / "themes.csv")
    trend = {r["theme_id"]: r for r in themes}
    kept = [t for t in new.theme_ids if t in old.theme_ids]
    assert len(kept) >= 2, (old.labels, new.labels)
    for theme_id in kept:  # a theme found again keeps its id and label
        assert trend[theme_id]["label"] == by_label[theme_id]
    fresh = [t for t in new.theme_ids if t not in old.theme_ids]
    assert fresh and all(t not in old.used_ids for t in fresh)  # new themes never reuse an id
    assert any("toimitu" in trend[t]["keywords"] or "deliver" in trend[t]["keywords"] for t in fresh)

    trends = _csv(second / "trends.csv")  # every issue of either wave, with its counts and test
    assert trends and {"respondents_now", "respondents_previous", "p_value", "trend"} <= set(trends[0])
    assert "p_value" in _csv(second / "issues.csv")[0] and "share_2026-05" in themes[0]
    assert {r["trend"] for r in themes} <= {"new", "grown", "shrunk", "no clear change"}
    assert all(trend[t]["trend"] == "new" for t in fresh)
    html = (second / "index.html").read_text(encoding="utf-8")
    assert 'id="changes"' in html and "2026-05" in html
    vanished = [t for t in old.theme_ids if t not in new.theme_ids]
    crash = [t for t in old.theme_ids if "crash" in by_label[t].lower() or "kaatu" in by_label[t].lower()]
    assert crash and set(crash) <= set(vanished)  # the app-crash theme is gone in the second wave
    assert all(by_label[t] in html for t in vanished)  # and listed as vanished

    text = log.read_text(encoding="utf-8")
    assert "exit 0" in text and "report:" in text

    # A second run of the newest wave never rewrites the older wave's folder.
    before = {p.name: p.stat().st_mtime_ns for p in first.iterdir()}
    assert main(["themes", str(study), "--out", str(second), "--quiet"]) == 0
    assert {p.name: p.stat().st_mtime_ns for p in first.iterdir()} == before
    assert read_state(second).theme_ids == new.theme_ids

    # Re-analysing the older wave once a newer one has a report is refused: its folder and the action table's
    # "Latest run" stay as they are.
    actions = (study / "actions.xlsx").read_bytes()
    capsys.readouterr()
    assert main(["themes", str(study), "--wave", "2026-05", "--out", str(first), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "wave 2026-05 is older than 2026-11, which already has a report" in err and "Traceback" not in err
    assert {p.name: p.stat().st_mtime_ns for p in first.iterdir()} == before
    assert (study / "actions.xlsx").read_bytes() == actions


# --- Waves cut from a date column (no wave folders) ---------------------------------------------------------------

def test_wave_period_is_checked(tmp_path):
    from pipeline.config import ConfigError, load_config

    (tmp_path / "teema.toml").write_text('[study]\nwave_period = "weekly"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="wave_period.*half-year"):
        load_config(tmp_path)
    (tmp_path / "teema.toml").write_text('[study]\nwave_period = "none"\n', encoding="utf-8")
    assert load_config(tmp_path).study.wave_period == "none"
    assert load_config(tmp_path / "..").study.wave_period == "half-year"


DATED_1 = [f"2026-{m:02d}-{d:02d}" for m in (3, 4, 5) for d in (3, 12, 24)]
DATED_2 = [f"{d:02d}.{m}.2026" for m in (9, 10, 11) for d in (2, 14, 27)]  # Finnish dates in the same column


@pytest.fixture
def dated_study(tmp_path: Path) -> Path:
    """One feedback export whose rows span two half-years, plus an interview without a date."""
    folder = tmp_path / "palautteet"
    folder.mkdir()
    rows = [(text, DATED_1[i % len(DATED_1)]) for i, text in enumerate(_rows(WAVE_1))]
    rows += [(text, DATED_2[i % len(DATED_2)]) for i, text in enumerate(_rows(WAVE_2))]
    rows = rows[1::2] + rows[::2]  # the file is in no date order
    with (folder / "palaute.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Vastaajan tunnus", "Päivämäärä", "Avoin palaute"])
        for i, (text, day) in enumerate(rows):
            writer.writerow([f"V-{i:03d}", day, text])
    (folder / "haastattelu_01.txt").write_text(
        "Haastattelija: Miten tuki on toiminut?\n\nVastaaja: Tukeen ei saa yhteyttä, asiakastuki vastaa todella "
        "hitaasti.\n", encoding="utf-8")
    return folder


def test_unknown_date_wave_is_a_usage_error(dated_study, tmp_path, capsys):
    assert main(["themes", str(dated_study), "--wave", "2030H1", "--out", str(tmp_path / "r" / "x"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "2030H1" in err and "2026H1, 2026H2" in err and "wave_period" in err and "Traceback" not in err


def test_date_column_splits_waves_end_to_end(dated_study, tmp_path, capsys):
    reports = tmp_path / "reports" / "palautteet"
    assert main(["themes", str(dated_study), "--out", str(reports / "2026H2"), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "waves 2026H1, 2026H2" in err and "haastattelu_01.txt" in err and "newest wave, 2026H2" in err
    first, second = reports / "2026H1", reports / "2026H2"
    old, new = read_state(first), read_state(second)
    assert old is not None and new is not None and (old.wave, new.wave) == ("2026H1", "2026H2")
    assert old.respondents == sum(WAVE_1.values())  # the earlier half-year: its rows only, no interview
    assert new.respondents == sum(WAVE_2.values()) + 1  # the newest: its rows and the undated interview

    segments = _csv(first / "segments.csv")
    assert {r["wave"] for r in segments} == {"2026H1"} and {r["date"][:7] for r in segments} <= \
        {"2026-03", "2026-04", "2026-05"}
    assert {r["doc_id"] for r in _csv(second / "segments.csv")} == {"palaute.csv", "haastattelu_01.txt"}

    by_label = dict(zip(old.theme_ids, old.labels, strict=True))
    themes = {r["theme_id"]: r for r in _csv(second / "themes.csv")}
    kept = [t for t in new.theme_ids if t in old.theme_ids]
    assert len(kept) >= 2 and all(themes[t]["label"] == by_label[t] for t in kept)
    crash = [t for t in old.theme_ids if "crash" in by_label[t].lower() or "kaatu" in by_label[t].lower()]
    assert crash and not set(crash) & set(new.theme_ids)  # the app-crash theme vanished
    delivery = [t for t in new.theme_ids if "deliver" in themes[t]["keywords"] or "toimitu" in themes[t]["keywords"]]
    assert delivery and all(t not in old.used_ids and themes[t]["trend"] == "new" for t in delivery)

    def support(state, rows: dict[str, dict]) -> int:  # the support complaints grew from 8 to 22 statements
        return sum(state.theme_respondents[t] for t in state.theme_ids
                   if {"support", "tuki", "asiakastuki"} & set(rows[t]["keywords"].split(", ")))

    assert support(new, themes) > 1.5 * support(old, {r["theme_id"]: r for r in _csv(first / "themes.csv")})
    assert "share_2026H1" in themes[kept[0]] and _csv(second / "trends.csv")
    assert '2026H1' in (second / "index.html").read_text(encoding="utf-8")

    # --wave 2026H1 once 2026H2 has a report: refused (exit 2), neither folder is rewritten (issue #18 item 8)
    before = {folder: {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} for folder in (first, second)}
    capsys.readouterr()
    assert main(["themes", str(dated_study), "--wave", "2026H1", "--out", str(first), "--quiet"]) == 2
    assert "wave 2026H1 is older than 2026H2" in capsys.readouterr().err
    assert read_state(first).respondents == old.respondents
    assert {folder: {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} for folder in (first, second)} == before


def test_read_study_keeps_the_rows_of_its_date_wave(dated_study):
    import dataclasses

    from pipeline.config import load_config
    from pipeline.corpus import read_study

    config = load_config(dated_study)

    def read(wave: str, period: str = "half-year"):
        study = dataclasses.replace(config.study, wave=wave, wave_period=period)
        return read_study(dated_study, dataclasses.replace(config, study=study))[0]

    first, second, everything = read("2026H1"), read("2026H2"), read("current")
    assert len(first) == sum(WAVE_1.values()) and set(first["doc_id"]) == {"palaute.csv"}
    assert set(first["date"].str[:7]) == {"2026-03", "2026-04", "2026-05"}
    assert "haastattelu_01.txt" in set(second["doc_id"]) and len(everything) == len(first) + len(second)
    assert len(read("2026H1", "none")) == len(everything)  # date waves off: the study is one wave


def _state(members: dict[str, list[str]], subs: dict[str, list[str]] | None = None, wave: str = "2026-11"):
    import numpy as np

    from pipeline.waves import WaveState

    ids = sorted(members)
    return WaveState(wave, 10, ids, ids, np.zeros((len(ids), 2)), np.zeros(2), ids, members=members,
                     subtheme_members=subs or {})


def test_a_rerun_is_matched_by_the_statements_both_runs_share():
    """issue 17: theme ids of a re-run follow the statements, not the size order: the old T01 (invoices) is now
    the second largest theme and keeps T01; a new theme gets an id never used; statements only one run has do
    not count."""
    import numpy as np

    from pipeline.waves import RERUN_THRESHOLD, match_themes, rerun_similarity

    previous = _state({"T01": ["a", "b", "c", "d"], "T02": ["e", "f", "g"]})
    members = [np.array(["x1", "x2", "x3", "x4", "x5"]), np.array(["a", "b", "c", "new"]), np.array(["e", "f", "d"])]
    sims = rerun_similarity(members, previous)
    assert sims.shape == (3, 2) and sims[1, 0] == 0.75 and sims[2, 1] == pytest.approx(2 / 3)
    match = match_themes(["T01", "T02", "T03"], np.zeros((3, 2)), np.zeros(2), previous, RERUN_THRESHOLD, sims)
    assert match.rename == {"T02": "T01", "T03": "T02", "T01": "T03"}
    assert match.new == ["T03"] and match.vanished == []
    assert rerun_similarity(members, _state({"T01": []})) is None  # a state an older teema wrote: no members
    # A theme holding a third of old T01 (and T02) reaches the Jaccard threshold (2/7), but another holds most
    # of T01: only that one may take T01's id and edits.
    previous = _state({"T01": ["a", "b", "c", "d", "e", "f"], "T02": ["g"]})
    members = [np.array(["a", "b", "g"]), np.array(["c", "d", "e", "f", "x1", "x2", "x3", "x4", "x5", "x6"])]
    sims = rerun_similarity(members, previous)
    assert sims[0, 0] == 0 and sims[1, 0] == pytest.approx(4 / 6) and sims[0, 1] == pytest.approx(1 / 3)


def test_a_state_round_trips_its_members(tmp_path):
    from pipeline.waves import WaveState

    state = _state({"T01": ["a", "b"]}, {"T01.1": ["a"], "T01.2": ["b"]})
    again = WaveState.from_json(state.to_json())
    assert again.members == state.members and again.subtheme_members == state.subtheme_members


def test_edited_themes_a_rerun_lost_keep_their_statements_for_the_next_rerun():
    """issue 17: T12 was edited and vanished two runs ago (carried), T05 vanished in the last run, T01 is still
    there; the next state carries T12's and T05's statements, the ones the researcher saw, and round-trips them."""
    from pipeline.waves import WaveState, carried_members, known_members

    last = _state({"T01": ["a", "b"], "T05": ["c", "d"]})
    last.unplaced = {"T12": ["e", "f"]}
    assert known_members(last) == {"T01": ["a", "b"], "T05": ["c", "d"], "T12": ["e", "f"]}
    carried = carried_members(["T01", "T05", "T12", "T42"], ["T01", "T14"], last)
    assert carried == {"T05": ["c", "d"], "T12": ["e", "f"]}  # T42: never a theme, nothing to carry
    assert carried_members(["T05"], [], None) == {}
    last.unplaced = carried
    assert WaveState.from_json(last.to_json()).unplaced == carried
    assert WaveState.from_json(_state({"T01": ["a"]}).to_json()).unplaced == {}


def test_subthemes_of_a_rerun_keep_their_ids_where_the_statements_agree():
    from pipeline.waves import match_subthemes

    previous = _state({"T01": list("abcdef")}, {"T01.1": list("abc"), "T01.2": list("de"), "T01.3": list("f")})
    theme_ids = ["T01"] * 7 + ["T02"]
    # The re-run found the "de" sub-theme largest (T01.1 by size), "abc" second, and a new one ("g").
    natural = ["T01.2", "T01.2", "T01.2", "T01.1", "T01.1", "T01.1", "T01.3", "T02.1"]
    segments = ["a", "b", "c", "d", "e", "x", "g", "y"]
    assert match_subthemes(theme_ids, natural, segments, previous) == [
        "T01.1", "T01.1", "T01.1", "T01.2", "T01.2", "T01.2", "T01.4", "T02.1"]
    assert match_subthemes(theme_ids, natural, segments, None) == natural
