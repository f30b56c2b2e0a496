"""index.html in a real headless browser (Debian's chromium; `make test` installs it when missing).

The page must load without console messages (errors or otherwise), show the expected issue rows,
and recount correctly when filtered through the address (#issues?stage=..&polarity=..&f:col=value),
which is also what a click on a journey cell does. A screenshot is kept in reports/test-artifacts/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from pipeline import metrics
from pipeline.report import write_report
from tests.report.conftest import build_result

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]


def run_chromium(url: str, *args: str) -> tuple[str, list[str]]:
    """(stdout, console lines) of one headless chromium run on `url`."""
    if CHROMIUM is None:
        pytest.fail("chromium is not installed; `make test` installs it (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, url],
                              capture_output=True, text=True, timeout=60, check=False)
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


def visible_rows(dom: str) -> list[tuple[str, int, int, str]]:
    """(issue key, respondents, mentions, rank) of the issue rows the page shows, top to bottom."""
    rows = []
    for attrs, body in re.findall(r'<tr ([^>]*class="issue-row"[^>]*)>(.*?)</tr>', dom, re.S):
        if re.search(r'\bhidden\b', attrs):
            continue
        key = re.search(r'data-key="([^"]+)"', attrs).group(1)
        n = int(re.search(r'<span class="n">(\d+)</span>', body).group(1))
        mentions = int(re.search(r'class="num mentions">(\d+)<', body).group(1))
        rank = re.search(r'class="num rank">(\d+)<', body).group(1)
        rows.append((key, n, mentions, rank))
    return rows


def issue_lines(dom: str, name: str) -> dict[str, str]:
    """Issue key -> the line of class `name` under its respondents ("by-source", "every-stage"), for the shown rows
    that show one."""
    lines = {}
    for attrs, body in re.findall(r'<tr ([^>]*class="issue-row"[^>]*)>(.*?)</tr>', dom, re.S):
        if re.search(r'\bhidden\b', attrs):
            continue
        shown = re.search(rf'<span class="sub {name}"( hidden(="")?)?>([^<]*)<', body)
        if shown and not shown.group(1):
            lines[re.search(r'data-key="([^"]+)"', attrs).group(1)] = shown.group(3)
    return lines


def text_of(dom: str, element_id: str) -> str:
    return re.search(rf'id="{element_id}"[^>]*>([^<]*)<', dom).group(1)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser")
    write_report(build_result(), out, lang="en")
    return out / "index.html"


def test_detection_sees_console_errors(tmp_path):
    """The console check is not vacuous: a broken page is caught."""
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><script>missingFunction();</script>", encoding="utf-8")
    _, console = run_chromium(broken.as_uri(), "--dump-dom")
    assert any("missingFunction" in line for line in console)


def test_page_loads_clean_and_shows_the_issue_table(page, artifacts_dir):
    dom, console = run_chromium(page.as_uri(), "--dump-dom")
    assert console == []
    assert "teema-data" in dom and 'class="js"' in dom  # the page script ran
    assert visible_rows(dom) == [
        ("T01-customership-failure", 6, 6, "1"), ("T02-customership-failure", 4, 4, "2"),
        ("T01-contract-failure", 1, 1, "3"), ("T03-customership-success", 3, 3, "1"),
        ("T03-engagement-success", 2, 2, "2"),
    ]
    screenshot = artifacts_dir / "report.png"
    screenshot.unlink(missing_ok=True)
    _, console = run_chromium(page.as_uri(), f"--screenshot={screenshot}", "--window-size=1280,2400")
    assert console == []
    assert screenshot.read_bytes().startswith(b"\x89PNG") and screenshot.stat().st_size > 20_000


def test_an_issue_row_says_how_many_interviewees_it_rests_on_one_statement_of(page):
    dom, console = run_chromium(page.as_uri(), "--dump-dom")
    assert console == []
    # each interviewee says one thing per issue (haastattelu_01: invoices, support, training at Engagement;
    # interview_02: invoices at Contract, training at Customership); the other issues are survey answers only
    once = "1 of them interviewed, 1 in one statement"
    keys = ("T01-customership-failure", "T02-customership-failure", "T01-contract-failure", "T03-engagement-success",
            "T03-customership-success")
    assert issue_lines(dom, "by-source") == {key: once for key in keys}


def test_an_issue_row_gives_its_themes_count_at_every_stage_when_the_theme_is_split(page):
    dom, console = run_chromium(page.as_uri(), "--dump-dom")
    assert console == []
    # invoices: 6 respondents at Customership, interview_02 at Contract; training: 3 at Customership, 2 at
    # Engagement; support sits at one stage, so its row shows no such line
    assert issue_lines(dom, "every-stage") == {
        "T01-customership-failure": "7 at every stage", "T01-contract-failure": "7 at every stage",
        "T03-customership-success": "5 at every stage", "T03-engagement-success": "5 at every stage"}
    filtered, _ = run_chromium(page.as_uri() + "#issues?f:segment=Pk-yritys", "--dump-dom")
    # Pk-yritys keeps V-01 V-02 (invoices, Customership only) and V-06 (training, Engagement only): the page
    # recounts, and the line the server wrote under the invoices row (7 against 6) is hidden (2 against 2)
    assert visible_rows(filtered)[0][:2] == ("T02-customership-failure", 3)
    assert issue_lines(filtered, "every-stage") == {}


def test_filter_and_journey_link_recount_like_python(page):
    url = page.as_uri() + "#issues?stage=customership&polarity=failure&f:segment=Pk-yritys"
    dom, console = run_chromium(url, "--dump-dom")
    assert console == []
    assert issue_lines(dom, "by-source") == {}  # the filter keeps survey answers only: no interviewee line
    # Pk-yritys: V-01 V-02 V-04 V-06 V-09. Invoices: V-01 V-02; support: V-01 V-04 V-09 -> support ranks first.
    assert visible_rows(dom) == [("T02-customership-failure", 3, 3, "1"), ("T01-customership-failure", 2, 2, "2")]
    assert text_of(dom, "filter-note") == "Showing 5 of 12 respondents"
    coded = build_result().segments.query("role == 'respondent'")
    kept = coded[coded["respondent_id"].isin({"V-01", "V-02", "V-04", "V-06", "V-09"})]
    assert text_of(dom, "stat-statements") == str(len(kept)) and text_of(dom, "stat-respondents") == "5"
    assert text_of(dom, "stat-themes") == str(kept.loc[kept["theme_id"] != "", "theme_id"].nunique())
    assert int(text_of(dom, "stat-failures")) == len({row[0] for row in visible_rows(dom)})  # both are failures
    expected = metrics.nps([2, 5, 7, 9, 0])  # the NPS of those five, as pipeline/metrics.py computes it
    assert text_of(dom, "nps-score") == f"{expected.score:.0f}".replace("-", "−")
    assert text_of(dom, "nps-n") == "5"
    low, high = (f"{v:+.0f}".replace("-", "−") for v in (expected.ci_low, expected.ci_high))
    assert text_of(dom, "nps-ci") == f"{low} … {high}"
    cell = re.search(r'<td class="cell failure[^"]*selected"[^>]*data-stage="customership".*?<span class="n">(\d+)',
                     dom, re.S)
    assert cell and cell.group(1) == "4"  # V-01 V-02 V-04 V-09 have a failure at this stage


def test_a_metadata_column_filters_by_its_own_name_in_the_address(tmp_path):
    result = build_result()
    result.segments = result.segments.rename(columns={"segment": "meta_segment"})  # as a feedback file's column
    write_report(result, tmp_path, lang="en")
    for key in ("meta_segment", "segment"):
        dom, console = run_chromium((tmp_path / "index.html").as_uri() + f"#issues?f:{key}=Pk-yritys", "--dump-dom")
        assert console == [] and text_of(dom, "filter-note") == "Showing 5 of 12 respondents", key


def test_finnish_page_loads_clean(tmp_path):
    write_report(build_result(), tmp_path, lang="fi")
    dom, console = run_chromium((tmp_path / "index.html").as_uri() + "#?f:source=interview", "--dump-dom")
    assert console == []
    assert '<html lang="fi"' in dom and "Havainnot järjestyksessä" in dom
    assert text_of(dom, "filter-note") == "Näytetään 2/12 vastaajaa"
    assert [(key, n) for key, n, _, _ in visible_rows(dom)] == [
        ("T01-contract-failure", 1), ("T01-customership-failure", 1), ("T02-customership-failure", 1),
        ("T03-customership-success", 1), ("T03-engagement-success", 1),
    ]
    assert "(50&nbsp;%)" in dom  # each of the two is 50 % of the interviewees, Finnish number format
