"""The bundled sample study end to end: the planted top issues must rank near the top.

The planted answer is corpora/sample/ANSWER.md; its table gives, per planted issue, a regular
expression of word stems. A ranked issue 'is' a planted issue when most statements of its theme
match that issue's pattern.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "corpora" / "sample"
TOP_N = 10


def planted_issues() -> dict[str, dict]:
    rows = {}
    for line in (SAMPLE / "ANSWER.md").read_text(encoding="utf-8").splitlines():
        if not re.match(r"\| [FS]\d+ \|", line):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows[cells[0]] = {"polarity": cells[3], "respondents": int(cells[6]),
                          "pattern": re.compile(cells[7].replace("\\|", "|"), re.IGNORECASE)}
    return rows


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """The sample run on a copy, so the test never writes into the repository's study folder."""
    study = tmp_path_factory.mktemp("study") / "sample"
    shutil.copytree(SAMPLE, study, ignore=shutil.ignore_patterns("actions*.xlsx"))
    out = tmp_path_factory.mktemp("sample-report")
    assert main(["themes", str(study), "--out", str(out), "--quiet", "--delimiter", ","]) == 0
    return out


def theme_matches(report: Path) -> dict[str, str]:
    """theme_id -> the planted issue most of its statements are about ('' if none)."""
    planted = planted_issues()
    members: dict[str, list[str]] = {}
    for row in read_csv(report / "segments.csv"):
        if row["theme_id"]:
            members.setdefault(row["theme_id"], []).append(row["text"])
    matches = {}
    for theme_id, texts in members.items():
        best = max(planted, key=lambda k: sum(bool(planted[k]["pattern"].search(t)) for t in texts))
        hits = sum(bool(planted[best]["pattern"].search(t)) for t in texts)
        matches[theme_id] = best if hits >= len(texts) / 2 else ""
    return matches


@pytest.mark.slow
def test_planted_top_failures_rank_near_the_top(report):
    planted = planted_issues()
    top_failures = sorted((k for k, v in planted.items() if v["polarity"] == "failure"),
                          key=lambda k: -planted[k]["respondents"])[:3]
    matches = theme_matches(report)
    issues = [r for r in read_csv(report / "issues.csv") if r["polarity"] == "failure"]
    top = [matches.get(r["theme_id"], "") for r in issues[:TOP_N]]
    for issue in top_failures:
        assert issue in top, f"planted {issue} not among the top {TOP_N} failures: {top}"


@pytest.mark.slow
def test_planted_top_success_is_listed(report):
    matches = theme_matches(report)
    successes = [r for r in read_csv(report / "issues.csv") if r["polarity"] == "success"]
    assert "S1" in [matches.get(r["theme_id"], "") for r in successes[:5]]


@pytest.mark.slow
def test_report_files_and_columns(report):
    for name in ("index.html", "issues.csv", "themes.csv", "segments.csv", "actions.csv"):
        assert (report / name).stat().st_size > 0
    assert (report / "segments.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    segments = read_csv(report / "segments.csv")
    required = {"segment_id", "respondent_id", "source", "location", "text", "theme_id", "theme_label", "stage",
                "polarity"}
    assert required <= set(segments[0])
    assert any("ä" in row["text"] for row in segments)
    # Interviewer turns are kept but never coded or counted.
    interviewer = [r for r in segments if r["role"] == "interviewer"]
    assert interviewer and all(r["theme_id"] == "" and r["unassigned_reason"] == "interviewer" for r in interviewer)
    # Every statement is in a theme or says why not.
    respondent = [r for r in segments if r["role"] == "respondent"]
    assert all(r["theme_id"] or r["unassigned_reason"] for r in respondent)
    # Every count traces back to segments.
    ids = {r["segment_id"] for r in segments}
    for issue in read_csv(report / "issues.csv"):
        behind = issue["segment_ids"].split()
        assert len(behind) == int(issue["mentions"]) and set(behind) <= ids
    # The answer key and the config are not read as material.
    assert {r["doc_id"] for r in segments}.isdisjoint({"ANSWER.md", "teema.toml"})
    html = (report / "index.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "<script src" not in html
