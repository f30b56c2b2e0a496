"""Redaction: fixed-shape personal data, names with the real spaCy pipelines, the study tables, the exports."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.privacy import Redactor, find_patterns, redact_study, redact_texts
from pipeline.privacy.evaluate import DEFAULT_SET, evaluate, format_table, parse_cases
from pipeline.privacy.patterns import find_hetus, find_ibans, find_phones


def _found(text: str, lang: str = "fi") -> list[tuple[str, str]]:
    return [(s.kind, text[s.start:s.end]) for s in find_patterns(text, lang)]


# --- fixed shapes --------------------------------------------------------------------------------------------

def test_henkilotunnus_needs_a_valid_checksum_and_date():
    text = "Tunnukset 131052-308T, 010594Y9032, 150202A345X; väärät 131052-308U ja 310252-308Y."
    assert [text[s.start:s.end] for s in find_hetus(text)] == ["131052-308T", "010594Y9032", "150202A345X"]


def test_iban_spaced_or_not_with_checksum():
    text = "Tilille FI21 1234 5600 0007 85 tai DE89370400440532013000, ei FI21 1234 5600 0007 86."
    assert [text[s.start:s.end] for s in find_ibans(text)] == ["FI21 1234 5600 0007 85", "DE89370400440532013000"]


@pytest.mark.parametrize("number", ["040 123 4567", "+358 40 123 4567", "+358401234567", "050-1234567", "(09) 123 4567",
                                    "09 4257 7000", "0800 123 456", "+44 20 7946 0958", "+46 8 123 456 78"])
def test_finnish_and_international_phone_numbers(number):
    text = f"Soita numeroon {number}, kiitos."
    assert [text[s.start:s.end] for s in find_phones(text, "fi")] == [number]


def test_numbers_that_are_not_personal_stay():
    text = ("Lasku 14.10.2026 oli 1 250 € (49,90 €/kk), tilaus 2024-00871, Y-tunnus 1234567-8, viite 1232 4561 0009, "
            "versio 4.2.1, tiketti #45821, asiakasnumero 100234.")
    assert _found(text) == []


def test_emails_also_inflected_in_finnish():
    assert _found("Kirjoitin tuki@example.com-osoitteeseen ja mervi.lindholm@huolto-esimerkki.fi:lle.") == [
        ("EMAIL", "tuki@example.com"), ("EMAIL", "mervi.lindholm@huolto-esimerkki.fi")]


# --- names -----------------------------------------------------------------------------------------------------

def test_finnish_and_english_names_with_the_real_pipelines():
    texts = ["Soitin eilen Mikko Virtaselle ja hän lupasi korjata laskun.",
             "Kiitos Sannalle hyvästä koulutuksesta, Lumivaara Oy:n tuki on Tampereella.",
             "Our account manager Sarah Thompson promised an integration that never came.",
             "Michael Brown's team fixed the sync issue within a day."]
    assert redact_texts(texts, ["fi", "fi", "en", "en"]) == [
        "Soitin eilen [NAME] ja hän lupasi korjata laskun.",
        "Kiitos [NAME] hyvästä koulutuksesta, Lumivaara Oy:n tuki on Tampereella.",
        "Our account manager [NAME] promised an integration that never came.",
        "[NAME]'s team fixed the sync issue within a day."]


def test_known_names_are_found_in_every_inflection_and_keep_wins():
    texts = ["Mikolle tuli lasku kahdesti.", "Virtasen mukaan tuki on hidas.", "Tikettiä hoiti Mikko.",
             "Lumivaara lupasi korjauksen."]
    redacted = redact_texts(texts, ["fi"] * 4, known_names=["Mikko Virtanen"], keep=["Lumivaara"])
    assert redacted == ["[NAME] tuli lasku kahdesti.", "[NAME] mukaan tuki on hidas.", "Tikettiä hoiti [NAME].",
                        "Lumivaara lupasi korjauksen."]


def test_a_word_mostly_used_as_a_company_is_not_a_name():
    """One odd PERSON tag does not redact a company the study mentions all the time."""
    texts = ["Lumivaara lupasi integraation."] + [f"Lumivaaran tuki vastasi {n} päivän päästä." for n in range(2, 9)] + [
        "Lumivaarasta ei saa ketään kiinni.", "Lumivaaran myyjä kävi luonamme."]
    assert all("Lumivaara" in t for t in redact_texts(texts, ["fi"] * len(texts)))


def test_names_from_first_last_email_addresses():
    texts = ["Yhteyshenkilö on Aleksi Mattila, aleksi.mattila@example.fi.", "Aleksi vastaa nopeasti."]
    assert redact_texts(texts, ["fi", "fi"]) == ["Yhteyshenkilö on [NAME], [EMAIL].", "[NAME] vastaa nopeasti."]


# --- measured on the planted set -----------------------------------------------------------------------------

def test_planted_set_recall_and_precision():
    cases = parse_cases(DEFAULT_SET.read_text(encoding="utf-8"))
    assert sum(len(c.planted) for c in cases) >= 100
    assert {c.lang for c in cases if c.planted} == {"fi", "en"}
    counts = evaluate(cases)
    print(format_table(counts))
    for (kind, lang), row in counts.items():
        if kind != "NAME":
            assert row.get("found", 0) == row.get("planted", 0), (kind, lang, row)
            assert row.get("correct", 0) == row.get("redacted", 0), (kind, lang, row)
    names = [row for (kind, _), row in counts.items() if kind == "NAME"]
    for row in names:
        assert row["found"] / row["planted"] >= 0.85 and row["correct"] / row["redacted"] >= 0.85, row
    planted, found = sum(r.get("planted", 0) for r in counts.values()), sum(r.get("found", 0) for r in counts.values())
    assert found / planted >= 0.9


# --- the study tables --------------------------------------------------------------------------------------------

def test_redact_study_replaces_speakers_ids_texts_labels_and_metadata():
    segments = pd.DataFrame([
        {"segment_id": "a", "doc_id": "ryhmä.txt", "respondent_id": "", "source": "interview", "role": "interviewer",
         "speaker": "Anna Korhonen", "lang": "fi", "text": "Mitä mieltä olette, Mikko?", "question": "",
         "theme_id": "", "theme_label": "", "meta_yhteyshenkilö": ""},
        {"segment_id": "b", "doc_id": "ryhmä.txt", "respondent_id": "ryhmä:Mikko Virtanen", "source": "interview",
         "role": "respondent", "speaker": "Mikko Virtanen", "lang": "fi", "text": "Jari Mäkinen lupasi hyvityksen.",
         "question": "Mitä mieltä olette, Mikko?", "theme_id": "T01", "theme_label": "jari · hyvitys",
         "meta_yhteyshenkilö": "jari.makinen@example.fi"},
        {"segment_id": "c", "doc_id": "ryhmä.txt", "respondent_id": "ryhmä:Liisa Laine", "source": "interview",
         "role": "respondent", "speaker": "Liisa Laine", "lang": "fi", "text": "Soittakaa numeroon 040 123 4567.",
         "question": "", "theme_id": "", "theme_label": "", "meta_yhteyshenkilö": ""},
        {"segment_id": "d", "doc_id": "kysely.csv", "respondent_id": "V-1", "source": "feedback", "role": "respondent",
         "speaker": "V-1", "lang": "en", "text": "Support was slow.", "question": "", "theme_id": "", "theme_label": "",
         "meta_yhteyshenkilö": ""},
    ])
    themes = pd.DataFrame([{"theme_id": "T01", "label": "jari · hyvitys", "keywords": "jari, hyvitys, mäkinen",
                            "lang": "fi"}])
    issues = pd.DataFrame([{"issue_id": "T01-x-failure", "theme_id": "T01", "theme_label": "jari · hyvitys"}])
    segments, themes, issues = redact_study(segments, themes, issues)
    assert segments["speaker"].tolist() == ["Interviewer", "Respondent 1", "Respondent 2", "V-1"]
    assert segments["respondent_id"].tolist() == ["", "ryhmä:Respondent 1", "ryhmä:Respondent 2", "V-1"]
    assert segments["text"].tolist() == ["Mitä mieltä olette, [NAME]?", "[NAME] lupasi hyvityksen.",
                                         "Soittakaa numeroon [PHONE].", "Support was slow."]
    assert segments["question"].tolist()[1] == "Mitä mieltä olette, [NAME]?"
    assert segments["meta_yhteyshenkilö"].tolist()[1] == "[EMAIL]"
    # a name says nothing about a theme: it leaves the label and keywords rather than showing as "[NAME]"
    assert themes["label"].tolist() == ["hyvitys"] and themes["keywords"].tolist() == ["hyvitys"]
    assert issues["theme_label"].tolist() == ["hyvitys"]
    assert segments.loc[segments["segment_id"] == "b", "theme_label"].tolist() == ["hyvitys"]


def test_a_name_found_only_inflected_leaves_labels_and_keywords_as_its_lemma():
    """"Anna Korhoselle" was redacted in the statement, but the theme's label and keywords are lemmas
    ("korhonen"), and those stayed."""
    rows = [("Soitin Anna Korhoselle kolme kertaa laskusta.", "T01"),
            ("Lähetin Anna Korhoselle viestin hyvityksestä.", "T01"),
            ("Lasku oli taas väärin.", "T01")]
    segments = pd.DataFrame([{"segment_id": f"s{i}", "doc_id": "kysely.csv", "respondent_id": f"V{i}",
                              "source": "feedback", "role": "respondent", "speaker": f"V{i}", "lang": "fi",
                              "text": text, "question": "", "theme_id": tid, "theme_label": "korhonen · lasku"}
                             for i, (text, tid) in enumerate(rows)])
    themes = pd.DataFrame([{"theme_id": "T01", "label": "korhonen · lasku", "keywords": "lasku, korhonen, anna, soittaa",
                            "lang": "fi"}])
    issues = pd.DataFrame([{"issue_id": "T01-x-failure", "theme_id": "T01", "theme_label": "korhonen · lasku"}])
    segments, themes, issues = redact_study(segments, themes, issues)
    assert "Korhose" not in " ".join(segments["text"]) and "[NAME]" in segments["text"].iloc[0]
    assert themes["label"].tolist() == ["lasku"] and issues["theme_label"].tolist() == ["lasku"]
    assert "korhonen" not in themes["keywords"].iloc[0] and "lasku" in themes["keywords"].iloc[0]


# --- the exports, end to end ------------------------------------------------------------------------------------

INTERVIEW = """Haastattelu 5

Tiina Salo: Miten laskutus on toiminut teillä?

Pekka Ahonen: Laskut tulivat väärin kolme kertaa, ja Jari Mäkinen myynnistä lupasi hyvityksen mutta sitä ei kuulunut.

Tiina Salo: Entä tuki?

Pekka Ahonen: Tukeen ei saa yhteyttä, soitin numeroon 040 123 4567 monta kertaa. Sähköpostiini pekka.ahonen@example.fi ei vastattu.

Tiina Salo: Mitä muuta?

Pekka Ahonen: Henkilötunnukseni 131052-308T näkyi laskulla, ja hyvitys piti maksaa tilille FI21 1234 5600 0007 85.
"""
PLANTED = ["Tiina", "Salo:", "Pekka", "Ahonen", "Jari", "Mäkinen", "040 123 4567", "pekka.ahonen@example.fi",
           "131052-308T", "FI21 1234 5600 0007 85", "Sarah Thompson", "+44 20 7946 0958"]


def _study(tmp_path: Path) -> Path:
    study = tmp_path / "yksityisyys"
    study.mkdir()
    (study / "haastattelu_5.txt").write_text(INTERVIEW, encoding="utf-8")
    texts = ["The invoice was wrong again and Sarah Thompson never called back.", "Laskussa oli virhe taas.",
             "Support never answers, I called +44 20 7946 0958 twice.", "Tuki vastaa hitaasti.",
             "Training was great.", "Koulutus oli hyvä ja selkeä."]
    with (study / "kysely.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("id", "text"), *[(f"R{i}", texts[i % len(texts)]) for i in range(24)]])
    return study


def _exported_text(out: Path, study: Path) -> str:
    parts = [(out / name).read_text(encoding="utf-8-sig") for name in
             ("index.html", "issues.csv", "themes.csv", "segments.csv", "actions.csv")]
    for workbook_path in study.glob("actions*.xlsx"):
        workbook = load_workbook(workbook_path, read_only=True)
        parts += [str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                  for cell in row if cell is not None]
        workbook.close()
    return "\n".join(parts)


@pytest.fixture()
def shared_cache(tmp_path_factory) -> str:
    """One embedding cache for the CLI runs of these tests, so the label definitions are embedded once."""
    return str(tmp_path_factory.getbasetemp() / "teema-cache-shared")


def test_exports_are_redacted_by_default_and_not_with_no_redact(tmp_path, shared_cache):
    study = _study(tmp_path)
    original = (study / "haastattelu_5.txt").read_bytes()
    out = tmp_path / "r"
    assert main(["themes", str(study), "--out", str(out), "--quiet", "--cache-dir", shared_cache]) == 0
    exported = _exported_text(out, study)
    leaked = [item for item in PLANTED if item in exported]
    assert leaked == []
    for placeholder in ("[NAME]", "[PHONE]", "[EMAIL]", "[HETU]", "[IBAN]"):
        assert placeholder in exported
    with (out / "segments.csv").open(encoding="utf-8-sig") as handle:
        speakers = {row["speaker"] for row in csv.DictReader(handle) if row["source"] == "interview"}
    assert speakers == {"Interviewer", "Respondent"}
    assert (study / "haastattelu_5.txt").read_bytes() == original  # the original stays in the study folder

    plain = tmp_path / "plain"
    assert main(["themes", str(study), "--out", str(plain), "--quiet", "--no-redact", "--cache-dir", shared_cache]) == 0
    segments_csv = (plain / "segments.csv").read_text(encoding="utf-8-sig")
    assert "Jari Mäkinen" in segments_csv and "040 123 4567" in segments_csv and "Pekka Ahonen" in segments_csv


def test_redactor_is_deterministic_and_order_free():
    texts = ["Jari Mäkinen lupasi hyvityksen.", "Sarah from support was great.", "Soita 040 123 4567."]
    langs = ["fi", "en", "fi"]
    first = Redactor().redact(texts, langs)
    again = Redactor().redact(texts[::-1], langs[::-1])[::-1]
    assert first == again


def test_privacy_config_keys():
    from pipeline.config import ConfigError, parse_config

    config = parse_config({"privacy": {"redact": False, "keep": ["Lumivaara"], "names": ["Mikko Virtanen"]}})
    assert (config.privacy.redact, config.privacy.keep, config.privacy.names) == (False, ("Lumivaara",),
                                                                                  ("Mikko Virtanen",))
    with pytest.raises(ConfigError, match="unknown key 'redakt'"):
        parse_config({"privacy": {"redakt": True}})


# --- addresses and lower-case IBANs (issue #18) ---------------------------------------------------------------

def test_street_addresses_and_postcodes_become_address():
    from pipeline.privacy import apply_spans

    cases = {
        "Asun osoitteessa Hämeenkatu 12 B 5, 33100 Tampere.": "Asun osoitteessa [ADDRESS].",
        "Toimisto on Mannerheimintie 3, toinen kerros.": "Toimisto on [ADDRESS], toinen kerros.",
        "Laskut menevät osoitteeseen 00100 HELSINKI.": "Laskut menevät osoitteeseen [ADDRESS].",
        "Send it to 12 Baker Street, please.": "Send it to [ADDRESS], please.",
        "Tilinumero fi21 1234 5600 0007 85 pienillä.": "Tilinumero [IBAN] pienillä.",
        # numbers that are not addresses stay
        "Tilaus 12345 Lumivaara Oy:lle oli myöhässä.": "Tilaus 12345 Lumivaara Oy:lle oli myöhässä.",
        "Tukipyyntö 45821 on auki.": "Tukipyyntö 45821 on auki.",
        "Valtatie 3 oli ruuhkainen.": "Valtatie 3 oli ruuhkainen.",
        "In 2024 Lumivaara raised prices.": "In 2024 Lumivaara raised prices.",
        "We have 3 Support Teams.": "We have 3 Support Teams.",
    }
    for text, expected in cases.items():
        lang = "en" if text.isascii() and " on " not in text else "fi"
        assert apply_spans(text, find_patterns(text, lang)) == expected, text


def test_contact_set_recall_and_precision_per_kind():
    """The third planted set (python -m pipeline.privacy.evaluate; figures in docs/privacy.md)."""
    from pipeline.privacy.evaluate import CONTACT_SET

    counts = evaluate(parse_cases(CONTACT_SET.read_text(encoding="utf-8")))
    for (kind, lang), row in counts.items():
        if kind in ("ADDRESS", "IBAN", "HETU", "EMAIL", "PHONE"):
            assert row["found"] == row["planted"], (kind, lang, row)
            assert row["correct"] / row["redacted"] >= 0.85, (kind, lang, row)
    assert counts[("ADDRESS", "fi")]["planted"] >= 8 and counts[("ADDRESS", "en")]["planted"] >= 5
    assert counts[("NAME", "fi")]["found"] == counts[("NAME", "fi")]["planted"]  # inflected Finnish names
