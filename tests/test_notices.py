"""Notices are data: every code speaks each language with the same values, and each place shows its own language."""

from __future__ import annotations

import csv
import zipfile

import pytest

from pipeline.cli import main
from pipeline.notices import LANGS, TEMPLATES, Notice, notice, notice_text, notice_texts, placeholders


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_code_has_each_language_with_the_same_placeholders(code):
    templates = TEMPLATES[code]
    assert set(templates) == set(LANGS)
    names = placeholders(templates["en"])
    for lang in LANGS:
        assert placeholders(templates[lang]) == names, lang
    values = {name: f"<{name}>" for name in names}
    texts = {lang: Notice(code, values).text(lang) for lang in LANGS}
    assert all("{" not in text and "}" not in text for text in texts.values())  # no stray brace left unfilled
    assert texts["fi"] != texts["en"]  # translated, not copied


def test_a_notice_is_english_on_the_console_and_in_the_language_asked_elsewhere():
    item = notice("codebook.no_theme", file="codebook.csv", line=7, theme="T09")
    assert str(item) == f"{item}" == item.text("en") == (
        "codebook.csv:7: T09: no theme has this id in this run; the edit is not applied (the theme may have vanished)")
    assert item.text("fi").startswith("codebook.csv:7: T09: tällä ajolla ei ole teemaa")
    assert item.text("sv") == item.text("en")  # a language without templates falls back to English
    assert notice_texts([item, "a saved result's plain text"], "fi") == [item.text("fi"),
                                                                        "a saved result's plain text"]
    assert notice_text(item) == str(item)
    assert item == notice("codebook.no_theme", file="codebook.csv", line=7, theme="T09")


def test_an_unknown_code_is_refused():
    with pytest.raises(KeyError, match="no notice template"):
        notice("codebook.nothing_like_this")


INTERVIEW = """Haastattelu 1

Haastattelija: Miten laskutus on toiminut?

Vastaaja: Lasku oli väärin kolme kertaa peräkkäin, ja hyvityslasku tuli vasta kuukausien päästä.

Haastattelija: Entä tuki?

Vastaaja: Tukeen ei saa yhteyttä, tiketteihin vastataan viikon päästä. Koulutus oli kyllä erinomainen.
"""


def test_a_finnish_study_shows_its_notices_in_finnish_and_the_console_in_english(tmp_path, capsys):
    study = tmp_path / "pieni"
    study.mkdir()
    (study / "haastattelu_1.txt").write_text(INTERVIEW, encoding="utf-8")
    texts = ["Lasku oli taas väärin.", "Laskussa oli virhe jälleen.", "Tuki vastaa todella hitaasti.",
             "Asiakastukeen ei saa yhteyttä.", "Koulutus oli hyvä ja selkeä.", "Kouluttaja oli erinomainen."]
    with (study / "kysely.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("id", "text"), *((f"R{i}", texts[i % len(texts)]) for i in range(36))])
    (study / "codebook.csv").write_text("theme_id,rename_to,stage\nT99,Kadonnut,\n", encoding="utf-8")
    out = tmp_path / "r"
    assert main(["themes", str(study), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    english = "codebook.csv:2: T99: no theme has this id in this run; the edit is not applied"
    finnish = "codebook.csv:2: T99: tällä ajolla ei ole teemaa tällä tunnuksella, joten muutosta ei tehty"
    assert f"teema: {english}" in err and finnish not in err  # the console stays English
    html = (out / "index.html").read_text(encoding="utf-8")
    assert finnish in html and english not in html
    with zipfile.ZipFile(out / "pieni.qdpx") as archive:
        project = archive.read("project.qde").decode("utf-8")
    assert finnish in project  # the QDA project's note, in the report's language


def test_an_english_study_keeps_the_english_notice_in_its_report(tmp_path, capsys):
    study = tmp_path / "small"
    study.mkdir()
    texts = ["The invoice was wrong again.", "Invoices keep having errors.", "Support never answers the phone.",
             "Nobody at the helpdesk replies.", "Training was great and clear.", "The trainer was excellent."]
    with (study / "survey.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("id", "text"), *((f"R{i}", texts[i % len(texts)]) for i in range(36))])
    (study / "codebook.csv").write_text("theme_id,rename_to\nT99,Gone\n", encoding="utf-8")
    out = tmp_path / "r"
    assert main(["themes", str(study), "--out", str(out)]) == 0
    english = "codebook.csv:2: T99: no theme has this id in this run; the edit is not applied"
    assert english in capsys.readouterr().err
    assert english in (out / "index.html").read_text(encoding="utf-8")
