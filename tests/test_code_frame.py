"""Coding a study to the team's code frame: statements that fit a code go to it, the rest keep teema's themes
(marked new); and the whole path as a user runs it, `teema themes` then `teema agree`."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd

from pipeline.cli import main
from pipeline.code_frame import assign_to_frame, frame_summary, frame_themes, nearest_codes, theme_ids
from pipeline.qda.frame import CodeFrame, FrameCode

FRAME = CodeFrame("koodit.csv", (FrameCode("Väärä summa", parent="Laskutus"), FrameCode("Hyvitys", parent="Laskutus"),
                                 FrameCode("Slow support")))


def _assignments(n: int, theme: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"segment_id": [f"s{i}" for i in range(n)], "theme_id": theme,
                         "theme_similarity": [0.5] * n, "unassigned_reason": ["" if t else "no close theme"
                                                                               for t in theme],
                         "subtheme_number": [0 if t else -1 for t in theme]})


def test_nearest_codes_picks_the_closest_code_after_centring():
    codes = np.eye(3)[:, :3]
    statements = np.array([[1, 0.1, 0], [0, 1, 0.2], [0.1, 0, 1], [0.9, 0.2, 0.1]], dtype=float)
    best, score = nearest_codes(statements, codes, neighbours=1)
    assert best.tolist() == [0, 1, 2, 0]
    assert score.shape == (4,) and (score <= 1).all()


def test_fitting_statements_go_to_team_codes_and_the_rest_stay_new():
    table = assign_to_frame(_assignments(6, ["T01", "T01", "T02", "T02", "T02", ""]), FRAME,
                            best=np.array([0, 1, 2, 2, 0, 0]), similarity=np.array([0.4, 0.3, 0.05, 0.06, 0.07, 0.3]),
                            threshold=0.15)
    ids = theme_ids(FRAME)
    assert ids == {"Laskutus": "C01", "Slow support": "C02"}
    assert table["theme_id"].tolist() == ["C01", "C01", "T02", "T02", "T02", "C01"]
    assert table["team_code"].tolist() == ["Väärä summa", "Hyvitys", "", "", "", "Väärä summa"]
    assert table["nearest_code"].tolist()[2] == "Slow support"  # shown even below the threshold
    assert table["subtheme_number"].tolist()[:2] == [0, 1]  # the team's child codes are sub-themes
    assert table["unassigned_reason"].tolist()[5] == ""  # a team code takes a statement teema left out


def test_a_found_theme_left_with_one_statement_is_dissolved():
    table = assign_to_frame(_assignments(3, ["T01", "T01", "T01"]), FRAME, best=np.array([2, 2, 2]),
                            similarity=np.array([0.9, 0.9, 0.0]), threshold=0.15)
    assert table["theme_id"].tolist() == ["C02", "C02", ""]
    assert table["unassigned_reason"].tolist()[2] == "no close theme"


def test_team_themes_come_first_named_by_the_team_and_found_ones_are_new():
    themes = pd.DataFrame({"theme_id": ["T01", "C02", "C01"], "label": ["tuki hidas", "x", "y"],
                           "mentions": [9, 3, 2]})
    table = frame_themes(themes, FRAME)
    assert table[["theme_id", "label", "origin"]].values.tolist() == [
        ["C01", "Laskutus", "team code"], ["C02", "Slow support", "team code"], ["T01", "tuki hidas", "new"]]


FEEDBACK = ["Lasku oli väärin kolme kertaa.", "Laskussa oli väärä summa.", "The invoice amount was wrong.",
            "Tukeen ei saa yhteyttä.", "Support never answers the phone.", "Tuki vastaa viikon päästä.",
            "Koulutus oli erinomainen.", "Training was great.", "Kouluttaja oli hyvä ja selkeä.",
            "Mobiilisovellus kaatuu kellarissa."]


def test_a_study_coded_to_the_teams_csv_frame_and_agree_in_that_mode(tmp_path, capsys):
    study = tmp_path / "tiimi"
    study.mkdir()
    rows = [("id", "text"), *((f"R{i:02d}", FEEDBACK[i % len(FEEDBACK)]) for i in range(40))]
    with (study / "kysely.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    (study / "koodit.csv").write_text(
        "koodi;kuvaus;esimerkit\nLaskuvirheet;Laskulla väärä summa;Lasku oli väärin | The invoice was wrong\n"
        "Hidas tuki;Asiakastukeen ei saa yhteyttä;Support is slow\n", encoding="utf-8")
    (study / "teema.toml").write_text('[themes]\ncode_frame = "koodit.csv"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["themes", str(study), "--out", str(out), "--quiet"]) == 0
    with (out / "segments.csv").open(encoding="utf-8-sig") as handle:
        segments = [r for r in csv.DictReader(handle) if r["role"] == "respondent"]
    coded = {r["text"]: r for r in segments}
    assert coded["Laskussa oli väärä summa."]["team_code"] == "Laskuvirheet"
    assert coded["Support never answers the phone."]["team_code"] == "Hidas tuki"
    assert coded["Koulutus oli erinomainen."]["team_code"] == ""  # fits neither code
    assert float(coded["Laskussa oli väärä summa."]["code_similarity"]) > 0.15
    with (out / "themes.csv").open(encoding="utf-8-sig") as handle:
        themes = list(csv.DictReader(handle))
    assert {(t["label"], t["origin"]) for t in themes if t["origin"] == "team code"} == {
        ("Laskuvirheet", "team code"), ("Hidas tuki", "team code")}
    assert any(t["origin"] == "new" for t in themes)  # training forms a theme of its own, marked new

    by_text = {r["text"]: r["segment_id"] for r in segments}
    truth = {"Lasku oli väärin kolme kertaa.": "Laskuvirheet", "Laskussa oli väärä summa.": "Laskuvirheet",
             "The invoice amount was wrong.": "Laskuvirheet", "Tukeen ei saa yhteyttä.": "Hidas tuki",
             "Support never answers the phone.": "Hidas tuki", "Tuki vastaa viikon päästä.": "Hidas tuki"}
    with (study / "coded.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["segment_id", "theme"])
        for r in segments:
            if r["text"] in truth:
                writer.writerow([by_text[r["text"]], truth[r["text"]]])
    capsys.readouterr()
    assert main(["agree", str(study / "coded.csv"), "--report", str(out), "--folds", "2"]) == 0
    printed = capsys.readouterr().out
    line = next(row for row in printed.splitlines() if "team codes" in row)
    assert float(line.split()[-3]) > 0.6  # kappa of teema's team codes against the coder's


def test_the_summary_says_what_the_team_codes_took_and_what_is_new():
    table = assign_to_frame(_assignments(4, ["T01", "T01", "T02", "T02"]), FRAME, best=np.array([0, 2, 1, 1]),
                            similarity=np.array([0.4, 0.3, 0.05, 0.05]), threshold=0.15)
    themes = frame_themes(pd.DataFrame({"theme_id": ["C01", "C02", "T02"], "label": ["x", "y", "tuki hidas"],
                                        "mentions": [1, 1, 2]}), FRAME)
    assert frame_summary(table, themes, FRAME, 0.15) == (
        "koodit.csv: 2 of 4 statements coded to 2 of the team's 3 codes (score at least 0.15); "
        "1 new themes: T02")


def test_a_broken_code_frame_stops_the_run_with_one_line(tmp_path, capsys):
    study = tmp_path / "tiimi"
    study.mkdir()
    (study / "kysely.csv").write_text("id,text\nR1,Lasku oli väärin.\n", encoding="utf-8")
    (study / "koodit.qdc").write_text("<CodeBook><Codes><Code name='x'", encoding="utf-8")
    (study / "teema.toml").write_text('[themes]\ncode_frame = "koodit.qdc"\n', encoding="utf-8")
    assert main(["themes", str(study), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("teema: [themes] code_frame: koodit.qdc: not readable XML")
    assert "export it again" in err[-1] and "Traceback" not in "\n".join(err)
