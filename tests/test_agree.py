"""Learning from hand-coded statements and `teema agree`: real embeddings, real cross-validation."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.agree import Coded, agreement, attach_texts, read_coded, strength
from pipeline.cli import main
from pipeline.config import DEFAULT_MODELS_DIR, StudyConfig
from pipeline.embed import EmbeddingCache, default_cache_dir, embed_texts
from pipeline.tagger import build_tagger
from pipeline.tagging import load_label_set

STAGES = load_label_set(DEFAULT_MODELS_DIR / "stages.toml", "stage")
POLARITY = load_label_set(DEFAULT_MODELS_DIR / "polarity.toml", "polarity")

# (text, stage, polarity, theme) as a coder would write them, in both languages.
CODED = [
    *[(t, "customership", "failure", "invoices") for t in (
        "The invoice was wrong again.", "Lasku oli taas väärin.", "We were billed twice for March.",
        "Laskussa oli väärä summa.", "The credit note never arrived.", "Hyvityslaskua odotettiin kuukausia.",
        "Invoices keep charging the old price.", "Laskutus on ollut sekaisin koko vuoden.")],
    *[(t, "customership", "failure", "support") for t in (
        "Support never answers the phone.", "Tukeen ei saa yhteyttä.", "Our ticket waited a week for an answer.",
        "Asiakastuki vastaa todella hitaasti.", "Nobody at the helpdesk knew the product.",
        "Tukipyyntöihin vastataan viikon päästä.", "The support chat closes before anyone replies.",
        "Vikailmoitukseen ei reagoitu ollenkaan.")],
    *[(t, "customership", "success", "onboarding") for t in (
        "The onboarding training was excellent.", "Käyttöönottokoulutus oli erinomainen.",
        "The trainer explained everything clearly.", "Kouluttaja osasi asiansa todella hyvin.",
        "Implementation went smoothly and on time.", "Käyttöönotto sujui aikataulussa.",
        "Our staff learned the system in a day.", "Henkilöstö oppi järjestelmän nopeasti.")],
    *[(t, "contract", "failure", "sales promises") for t in (
        "The salesperson promised features that do not exist.", "Myyjä lupasi ominaisuuksia joita ei ole.",
        "The contract terms were not what we agreed.", "Sopimuksen ehdot eivät vastanneet sovittua.",
        "Hidden costs appeared after we signed.", "Allekirjoituksen jälkeen tuli piilokuluja.",
        "The offer left out the installation fee.", "Tarjouksesta puuttui asennusmaksu.")],
]


def test_read_coded_accepts_names_in_both_languages_and_names_bad_cells(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text("teksti;vaihe;suunta;teema\n"
                    "Lasku oli väärin.;Asiakkuus;Epäonnistuminen;laskut\n"
                    "Great demo.;Consideration;success;demo\n"
                    "Something.;Later;neutral;\n", encoding="utf-8")
    coded = read_coded(path, STAGES, POLARITY)
    assert coded.rows[["stage", "polarity", "theme"]].values.tolist() == [
        ["customership", "failure", "laskut"], ["consideration", "success", "demo"], ["", "neutral", ""]]
    assert list(map(str, coded.problems)) == ["coded.csv:4: stage 'Later' is not one of awareness, consideration, contract, "
                              "customership, engagement; that cell is not used"]
    (tmp_path / "bad.csv").write_text("teksti;muuta\nfoo;bar\n", encoding="utf-8")
    with pytest.raises(Exception, match="at least one coded column"):
        read_coded(tmp_path / "bad.csv", STAGES, POLARITY)


def test_attach_texts_by_segment_id_and_by_text():
    rows = pd.DataFrame([{"line": 2, "segment_id": "s1", "text": "", "stage": "contract", "polarity": "", "theme": ""},
                         {"line": 3, "segment_id": "zz", "text": "", "stage": "contract", "polarity": "", "theme": ""},
                         {"line": 4, "segment_id": "", "text": "Two", "stage": "", "polarity": "success", "theme": ""}])
    segments = pd.DataFrame({"segment_id": ["s1", "s2"], "text": ["One", "Two"]})
    attached = attach_texts(Coded(rows, []), segments, "coded.csv")
    assert attached.rows[["segment_id", "text"]].values.tolist() == [["s1", "One"], ["s2", "Two"]]
    assert list(map(str, attached.problems)) == ["coded.csv:3: segment_id zz is not a statement of this study (segment ids change "
                                 "when a file's text changes); the row is not used"]


def test_agreement_is_measured_on_held_out_rows(embedder):
    rows = pd.DataFrame([{"line": i + 2, "segment_id": f"s{i}", "text": t, "stage": s, "polarity": p, "theme": th}
                         for i, (t, s, p, th) in enumerate(CODED)])
    teema = {f"s{i}": f"T0{i // 8}" for i in range(len(CODED))}  # a perfect clustering under other names
    cache = EmbeddingCache(default_cache_dir())  # the session's: the definitions' examples are embedded once
    tagger = build_tagger(StudyConfig(), (STAGES, POLARITY), lambda texts: embed_texts(list(texts), embedder, cache))
    scores = agreement(rows, tagger, teema, folds=4)
    table = scores.set_index(["field", "method"])
    assert set(table.index) == {("stage", "definitions only"), ("stage", "definitions + coded rows"),
                                ("polarity", "definitions only"), ("polarity", "definitions + coded rows"),
                                ("theme", "learned from coded themes"), ("theme", "teema's themes (latest report)")}
    assert (table["rows"] == 32).all()
    assert table.loc[("theme", "teema's themes (latest report)"), "kappa"] == 1.0
    assert table.loc[("polarity", "definitions + coded rows"), "kappa"] >= 0.6
    assert table.loc[("theme", "learned from coded themes"), "kappa"] >= 0.6
    assert strength(0.65) == "substantial" and strength(0.1) == "slight"
    unknown = agreement(rows.assign(segment_id=""), tagger, teema, folds=4)
    assert "teema's themes (latest report)" not in set(unknown["method"])  # no ids: nothing to compare with


def test_teema_agree_and_themes_learn_from_the_study_coded_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    study = tmp_path / "koodattu"
    study.mkdir()
    with (study / "palaute.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        for i, (text, *_) in enumerate(CODED):
            writer.writerow([f"R{i:02d}", text])
    assert main(["themes", str(study), "--quiet"]) == 0
    report = Path("reports") / "koodattu" / "current"
    segments = pd.read_csv(report / "segments.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    by_text = dict(zip(segments["text"], segments["segment_id"], strict=True))
    with (study / "coded.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["segment_id", "stage", "polarity", "theme"])
        for text, stage, polarity, theme in CODED:
            writer.writerow([by_text[text], stage, polarity, theme])
        writer.writerow(["not-an-id", "contract", "failure", "x"])
    capsys.readouterr()
    assert main(["agree", str(study / "coded.csv"), "--folds", "4"]) == 0
    captured = capsys.readouterr()
    assert "coded.csv:34: segment_id not-an-id is not a statement of this study" in captured.err
    assert "teema's themes (latest report)" in captured.out and "definitions + coded rows" in captured.out
    table = pd.read_csv(report / "agreement.csv", encoding="utf-8-sig", sep=None, engine="python")
    assert set(table["field"]) == {"stage", "polarity", "theme"} and table["kappa"].between(-1, 1).all()

    elsewhere = tmp_path / "muualla"  # a report written with --out, away from reports/
    shutil.copytree(report, elsewhere)
    monkeypatch.chdir(tmp_path / "koodattu")  # no reports/ folder here
    assert main(["agree", str(study / "coded.csv"), "--folds", "4", "--out", str(tmp_path / "a.csv")]) == 0
    captured = capsys.readouterr()
    assert "no report of koodattu under reports/koodattu/" in captured.err and "--report DIR" in captured.err
    assert "teema's themes" not in captured.out
    assert main(["agree", str(study / "coded.csv"), "--folds", "4", "--report", str(elsewhere)]) == 0
    captured = capsys.readouterr()
    assert f"themes compared with {elsewhere / 'segments.csv'}" in captured.out
    assert "teema's themes (latest report)" in captured.out
    assert main(["agree", str(study / "coded.csv"), "--report", str(tmp_path / "ei_ole")]) == 2
    monkeypatch.chdir(tmp_path)

    assert main(["themes", str(study), "--quiet"]) == 0  # coded.csv is never read as material; its codes win
    segments = pd.read_csv(report / "segments.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(segments) == len(CODED)
    assert set(segments["stage_source"]) == {"coder"} and set(segments["polarity_source"]) == {"coder"}
    truth = {text: (stage, polarity) for text, stage, polarity, _ in CODED}
    assert all(truth[t] == (s, p) for t, s, p in zip(segments["text"], segments["stage"], segments["polarity"],
                                                    strict=True))
    assert main(["agree", str(tmp_path / "missing.csv")]) == 2
