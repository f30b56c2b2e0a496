"""[targets]: checked with messages that name the key; evaluated against this wave's and earlier waves' measures."""

from __future__ import annotations

import pytest

from pipeline.config import ConfigError, parse_config
from pipeline.targets import AT_LEAST, AT_MOST, Target, evaluate_targets, issue_target

TARGETS = {"by": "2027-06", "nps": 30, "ces": {"value": 5.5, "by": "2027-12"},
           "themes": {"Laskut väärin": "10%"}, "issues": {"T02-engagement-success": 0.2,
                                                           "T01-customership-failure": {"share": 0.05}}}


def test_targets_parse_with_defaults_for_date_and_direction():
    targets = parse_config({"targets": TARGETS}).targets.targets
    assert targets[0] == Target("nps", "", 30.0, "2027-06", AT_LEAST)
    assert targets[1] == Target("ces", "", 5.5, "2027-12", AT_LEAST)
    assert targets[2] == Target("theme", "Laskut väärin", 0.1, "2027-06", AT_MOST)
    assert targets[3].direction == AT_LEAST and targets[4].direction == AT_MOST  # a success grows, a failure shrinks


@pytest.mark.parametrize(("table", "says"), [
    ({"npss": 30}, "unknown key 'npss'"),
    ({"nps": "high"}, "[targets] nps: expected a number"),
    ({"themes": {"T03": 1.5}}, "themes.T03: a share of respondents is between 0 and 1"),
    ({"nps": {"value": 30, "by": "ensi vuonna"}}, "nps by: 'by' is a date"),
    ({"csat": {"value": 4, "direction": "up"}}, "direction must be at_least or at_most"),
    ({"issues": ["T01"]}, "[targets] issues: a table"),
])
def test_a_bad_target_names_the_file_and_key(table, says):
    with pytest.raises(ConfigError) as error:
        parse_config({"targets": table}, "corpora/x/teema.toml")
    assert str(error.value).startswith("corpora/x/teema.toml: [targets]") and says in str(error.value)


MEASURES = [
    {"wave": "2026-05", "respondents": 100, "scores": {"nps": 10.0, "csat": None, "ces": 5.0},
     "themes": {"T01": {"label": "Laskut väärin", "respondents": 30}}, "issues": {}},
    {"wave": "2026-11", "respondents": 50, "scores": {"nps": 32.0, "csat": None, "ces": 5.2},
     "themes": {"T01": {"label": "Laskut väärin", "respondents": 10}},
     "issues": {"T01-customership-failure": {"theme_id": "T01", "respondents": 4}}},
]


def test_current_against_target_with_the_trend_over_waves():
    targets = parse_config({"targets": TARGETS}).targets.targets
    table = evaluate_targets(targets, MEASURES[1], MEASURES[:1]).set_index("target")
    assert table.loc["NPS", "met"] and table.loc["NPS", "trend"] == [("2026-05", 10.0), ("2026-11", 32.0)]
    assert not table.loc["CES", "met"] and table.loc["CES", "gap"] == pytest.approx(0.3)
    theme = table.loc["theme Laskut väärin"]
    assert theme["label"] == "T01 Laskut väärin" and theme["current"] == 0.2 and not theme["met"]
    assert theme["trend"] == [("2026-05", 0.3), ("2026-11", 0.2)]  # a theme named by its label is found
    assert table.loc["issue T02-engagement-success", "current"] == 0.0  # not found now: nobody said it


def test_an_issue_works_toward_its_own_target_else_its_themes():
    targets = parse_config({"targets": TARGETS}).targets.targets
    themes = MEASURES[1]["themes"]
    assert issue_target("T01-customership-failure", "T01", targets, themes).kind == "issue"
    assert issue_target("T01-contract-failure", "T01", targets, themes).key == "Laskut väärin"
    assert issue_target("T05-contract-failure", "T05", targets, themes) is None
