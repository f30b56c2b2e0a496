"""The tagger `teema themes` runs is the one `teema agree` scores: a real small run of both on one study."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.config import StudyConfig, load_config
from pipeline.embed import EmbeddingCache, default_cache_dir, embed_texts
from pipeline.tagger import build_tagger, coded_examples, load_definitions, tag_params

INTERVIEWS = {
    "haastattelu_1.txt": [("Miten laskutus on toiminut?", "Lasku oli väärin kolme kertaa peräkkäin. Hyvityslasku "
                           "tuli vasta kuukausien päästä. Laskussa oli taas väärä summa."),
                          ("Entä asiakastuki?", "Tukeen ei saa yhteyttä. Tiketteihin vastataan viikon päästä.")],
    "haastattelu_2.txt": [("Miten sopimuksen teko sujui?", "Myyjä lupasi ominaisuuksia joita ei ole. Sopimuksen "
                           "ehdot eivät vastanneet sovittua."),
                          ("Entä käyttöönotto?", "Käyttöönottokoulutus oli erinomainen. Kouluttaja osasi asiansa.")],
    "interview_3.txt": [("How has invoicing worked?", "The invoice was wrong again. We were billed twice for "
                         "March."),
                        ("And support?", "Support never answers the phone. Our ticket waited a week.")],
}
FEEDBACK = [("Lasku oli väärin.", 2), ("The invoice had errors.", 3), ("Tuki vastaa hitaasti.", 4),
            ("Support is painfully slow.", 1), ("Koulutus oli hyvä.", 10), ("Training was great.", 9),
            ("Laskutus on sekaisin.", 5), ("Billing is a mess.", 6),
            ("Kuulimme teistä ensimmäisen kerran messuilla.", 8), ("We first heard of you at a trade fair.", 7),
            ("Vertailimme kolmea toimittajaa ennen päätöstä.", 7), ("We compared three vendors before choosing.", 8),
            ("Sopimuksen allekirjoitus oli helppoa.", 9), ("Signing the contract was easy.", 9)]


def _study(tmp_path):
    study = tmp_path / "tutkimus"
    study.mkdir()
    for name, turns in INTERVIEWS.items():
        interviewer, respondent = ("Interviewer", "Respondent") if name.startswith("interview_") else \
            ("Haastattelija", "Vastaaja")
        text = "".join(f"{interviewer}: {q}\n\n{respondent}: {a}\n\n" for q, a in turns)
        (study / name).write_text(text, encoding="utf-8")
    with (study / "kysely.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "Suositteluhalukkuus"])
        writer.writerows((f"R{i:02d}", text, nps) for i, (text, nps) in enumerate(FEEDBACK * 2))
    return study


@pytest.mark.slow
def test_agree_scores_exactly_the_tags_themes_wrote(tmp_path, monkeypatch, capsys):
    """A coder who agrees with every tag `teema themes` wrote gets accuracy 1.0 from `teema agree`'s
    'definitions only' method: the thresholds, questions, NPS, lexicon, English model and theme consensus all
    match. (The agree of before, which scored statements alone, fell short of it.)"""
    monkeypatch.chdir(tmp_path)
    study, out = _study(tmp_path), tmp_path / "raportti"
    assert main(["themes", str(study), "--out", str(out), "--quiet", "--no-redact"]) == 0
    segments = pd.read_csv(out / "segments.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    tagged = segments[(segments["stage"] != "") & (segments["stage_source"] == "model")]
    assert set(tagged["lang"]) == {"fi", "en"} and (tagged["theme_id"] != "").any()
    tagged[["segment_id", "stage", "polarity"]].to_csv(study / "koodit.csv", index=False)
    capsys.readouterr()
    assert main(["agree", str(study / "koodit.csv"), "--report", str(out), "--folds", "2",
                 "--out", str(tmp_path / "agreement.csv")]) == 0
    scores = pd.read_csv(tmp_path / "agreement.csv", encoding="utf-8-sig", sep=None, engine="python")
    shipped = scores[scores["method"] == "definitions only"].set_index("field")
    placed = int((tagged["stage"] != "unplaced").sum())  # "unplaced" is no stage a coder can give
    assert shipped.loc["stage", "rows"] == placed and shipped.loc["polarity", "rows"] == len(tagged)
    assert shipped.loc["stage", "accuracy"] == 1.0 and shipped.loc["polarity", "accuracy"] == 1.0


def test_the_tagger_takes_its_settings_and_coded_rows_from_the_study(tmp_path, embedder):
    (tmp_path / "teema.toml").write_text("[tag]\nstage_threshold = 0.9\nlexicon_weight = 0.0\n", encoding="utf-8")
    config = load_config(tmp_path)
    assert tag_params(config).stage_threshold == 0.9 and tag_params(config).lexicon_weight == 0.0
    assert tag_params(StudyConfig()).lexicon_weight == StudyConfig().tag.lexicon_weight  # the CLI's default
    stages, polarity, _ = load_definitions(config, tmp_path)
    cache = EmbeddingCache(default_cache_dir())  # the session's: the definitions' examples are embedded once
    embed = lambda texts: embed_texts(list(texts), embedder, cache)  # noqa: E731
    statements = pd.DataFrame({"text": ["Kahvinkeitin on aulassa.", "The invoice was wrong."], "lang": ["fi", "en"]})
    shipped = build_tagger(config, (stages, polarity), embed).tag(statements)
    assert list(shipped.columns[:2]) == ["stage", "stage_confidence"] and len(shipped) == 2
    assert (shipped["stage"] == "unplaced").all()  # nothing reaches 0.9
    coded = pd.DataFrame({"text": ["Kahvinkeitin on aulassa."] * 10, "stage": [""] * 10, "polarity": ["failure"] * 10})
    assert coded_examples(coded, "stage") == ([], []) and coded_examples(None, "stage") is None
    learned = build_tagger(config, (stages, polarity), embed, coded=coded).tag(statements)
    assert learned.loc[0, "polarity"] == "failure" and shipped.loc[0, "polarity"] != "failure"


def test_a_statement_leans_toward_its_subthemes_polarity(tmp_path, embedder):
    """"The salesperson promised X" says no verdict alone; among its sub-theme's complaints it is one."""
    stages, polarity, _ = load_definitions(StudyConfig(), tmp_path)
    cache = EmbeddingCache(default_cache_dir())
    embed = lambda texts: embed_texts(list(texts), embedder, cache)  # noqa: E731
    statements = pd.DataFrame({
        "text": ["Myyjä lupasi reittioptimoinnin ensi versioon.", "Myyjän lupaukset eivät pitäneet lainkaan.",
                 "Luvattu integraatio ei toimi vieläkään, olemme todella pettyneitä.",
                 "Myyjä valehteli ominaisuuksista, tämä on surkeaa."],
        "lang": ["fi"] * 4, "subtheme_id": ["T01.1"] * 4})
    leaning = build_tagger(StudyConfig(), (stages, polarity), embed).tag(statements)
    alone = build_tagger(StudyConfig(), (stages, polarity), embed).tag(statements.drop(columns="subtheme_id"))
    assert alone.loc[0, "polarity"] != "failure"
    assert leaning.loc[0, "polarity"] == "failure"
    assert (leaning.loc[1:, "polarity"] == "failure").all()
