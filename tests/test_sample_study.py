"""The bundled sample study end to end: the planted top issues must rank near the top.

The planted answer is corpora/sample/ANSWER.md; its table gives, per planted issue, a regular
expression of word stems. A ranked issue 'is' a planted issue when most statements of its theme
match that issue's pattern.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from tests.golden import changed_files, platform_signature, read_golden, sample_report, write_golden

SAMPLE = Path(__file__).resolve().parent.parent / "corpora" / "sample"
GOLDEN = Path(__file__).resolve().parent / "data" / "golden_sample.json"
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
    return sample_report(tmp_path_factory.mktemp("sample-run"))


def issue_match(issue: dict, texts: dict[str, str]) -> str:
    """The planted issue most of an issue's statements are about ('' if none holds half of them). Issues, not
    whole themes: a broad theme (invoices) also holds its neutral talk and its successes."""
    planted = planted_issues()
    said = [texts[s] for s in issue["segment_ids"].split()]
    best = max(planted, key=lambda k: sum(bool(planted[k]["pattern"].search(t)) for t in said))
    hits = sum(bool(planted[best]["pattern"].search(t)) for t in said)
    return best if said and hits >= len(said) / 2 else ""


def ranked(report: Path, polarity: str) -> list[str]:
    """The planted issue behind each ranked issue of one polarity, in rank order."""
    texts = {row["segment_id"]: row["text"] for row in read_csv(report / "segments.csv")}
    return [issue_match(r, texts) for r in read_csv(report / "issues.csv") if r["polarity"] == polarity]


@pytest.mark.slow
def test_planted_top_failures_rank_near_the_top(report):
    planted = planted_issues()
    top_failures = sorted((k for k, v in planted.items() if v["polarity"] == "failure"),
                          key=lambda k: -planted[k]["respondents"])[:3]
    top = ranked(report, "failure")[:TOP_N]
    for issue in top_failures:
        assert issue in top, f"planted {issue} not among the top {TOP_N} failures: {top}"


@pytest.mark.slow
def test_planted_top_success_is_listed(report):
    assert "S1" in ranked(report, "success")[:5]


@pytest.mark.slow
def test_subthemes_nest_in_their_themes(report):
    subthemes = {r["subtheme_id"]: r["theme_id"] for r in read_csv(report / "subthemes.csv")}
    assert subthemes and all(sub.startswith(theme + ".") for sub, theme in subthemes.items())
    themes = read_csv(report / "themes.csv")
    assert 8 <= len(themes) <= 30  # broad themes, at the level a coder groups (the sample's fine level had 75)


@pytest.mark.slow
def test_the_top_planted_failures_are_the_top_themes_counted_within_a_fifth(report):
    """One theme per planted failure, not fragments (fragments counted 13-25 of 53): the four largest failure
    themes, by their respondents at every stage (issues.csv respondents_every_stage, what the report shows beside
    an issue the tagger split over stages), are F1, F2, F3 and F6 in the planted order, and F1-F3 are counted
    within 20% of ANSWER.md's respondents, issue 13's targets. F6's count is not (29 against 21 on seed 0: stray
    interview statements, docs/themes.md), and an issue (theme x stage) need not be: the stage model puts part of
    F1's broken promises at Engagement, so its Contract issue counts 29 and ranks fourth on seed 0."""
    planted = planted_issues()
    texts = {row["segment_id"]: row["text"] for row in read_csv(report / "segments.csv")}
    themes: dict[str, dict] = {}
    for issue in read_csv(report / "issues.csv"):
        if issue["polarity"] == "failure":
            theme = themes.setdefault(issue["theme_id"], {"respondents": int(issue["respondents_every_stage"]),
                                                          "segment_ids": []})
            theme["segment_ids"] += issue["segment_ids"].split()
    top = sorted(themes.values(), key=lambda t: -t["respondents"])[:4]
    found = [issue_match({"segment_ids": " ".join(t["segment_ids"])}, texts) for t in top]
    assert found == ["F1", "F2", "F3", "F6"], [(f, t["respondents"]) for f, t in zip(found, top, strict=True)]
    for key, theme in zip(found[:3], top, strict=False):
        assert abs(theme["respondents"] - planted[key]["respondents"]) <= 0.2 * planted[key]["respondents"], \
            (key, theme["respondents"])


@pytest.mark.slow
def test_every_output_is_byte_for_byte_the_golden_one(report):
    """Every file the sample writes, byte for byte, as recorded in tests/data/golden_sample.json (issue 14): a
    change that is not meant to change behaviour must not move a count, a label or a quote. After a change that
    is meant to, rewrite the record with `make golden` and say in the commit what moved and why."""
    if os.environ.get("TEEMA_UPDATE_GOLDEN"):
        write_golden(GOLDEN, report)
    recorded_on, digests = read_golden(GOLDEN)
    changed = changed_files(digests, report)
    if changed and platform_signature() != recorded_on:
        pytest.skip(f"recorded on another platform ({recorded_on}, here {platform_signature()}): float kernels "
                    f"differ there; changed: {', '.join(changed)}")
    assert not changed, (f"the sample's {', '.join(changed)} changed; if that is meant, `make golden` rewrites "
                         f"{GOLDEN.name}")
