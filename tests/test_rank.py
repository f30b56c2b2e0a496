import pandas as pd

from pipeline.rank import rank_issues


def test_counts_respondents_and_mentions_and_ranks_failures_first():
    coded = pd.DataFrame([
        # theme, stage, polarity, respondent
        ("T1", "customership", "failure", "R1"), ("T1", "customership", "failure", "R1"),
        ("T1", "customership", "failure", "R2"),
        ("T2", "contract", "failure", "R1"), ("T2", "contract", "failure", "R2"), ("T2", "contract", "failure", "R3"),
        ("T3", "customership", "success", "R4"),
        ("T3", "customership", "neutral", "R5"),
        ("", "customership", "failure", "R6"),
    ], columns=["theme_id", "stage", "polarity", "respondent_id"])
    coded["segment_id"] = [f"s{i}" for i in range(len(coded))]
    coded["theme_similarity"] = 0.5
    themes = pd.DataFrame({"theme_id": ["T1", "T2", "T3"], "label": ["lasku", "lupaus", "koulutus"]})
    issues = rank_issues(coded, themes, total_respondents=6)
    assert issues["issue_id"].tolist() == ["T2-contract-failure", "T1-customership-failure", "T3-customership-success"]
    assert issues["rank"].tolist() == [1, 2, 1]
    assert issues["respondents"].tolist() == [3, 2, 1]
    assert issues["mentions"].tolist() == [3, 3, 1]
    assert issues.loc[0, "share_of_respondents"] == 0.5
    assert issues.loc[1, "segment_ids"] == ["s0", "s1", "s2"]
    # One quote per respondent before a second from the same person.
    assert issues.loc[1, "quote_ids"][:2] in (["s0", "s2"], ["s1", "s2"])


def test_an_issue_says_how_many_interviewees_it_rests_on_one_statement_of():
    coded = pd.DataFrame([
        # an interviewee who raised it three times, one who said one thing in it, two survey answers
        ("T1", "failure", "haastattelu_01", "interview"), ("T1", "failure", "haastattelu_01", "interview"),
        ("T1", "failure", "haastattelu_01", "interview"), ("T1", "failure", "interview_02", "interview"),
        ("T1", "failure", "V-1", "feedback"), ("T1", "failure", "V-2", "feedback"),
        ("T2", "failure", "V-3", "feedback"),
    ], columns=["theme_id", "polarity", "respondent_id", "source"])
    coded["stage"] = "customership"
    coded["segment_id"] = [f"s{i}" for i in range(len(coded))]
    coded["theme_similarity"] = 0.5
    themes = pd.DataFrame({"theme_id": ["T1", "T2"], "label": ["Laskut ovat vääriä", "Tuki on hidas"]})
    issues = rank_issues(coded, themes, total_respondents=5).set_index("issue_id")
    assert issues.loc["T1-customership-failure", ["respondents", "interviewees", "interviewees_one_statement"]
                      ].tolist() == [4, 2, 1]
    assert issues.loc["T2-customership-failure", ["interviewees", "interviewees_one_statement"]].tolist() == [0, 0]
    no_source = rank_issues(coded.drop(columns="source"), themes, total_respondents=5)
    assert no_source["interviewees"].tolist() == [0, 0]  # a caller's table without sources: nothing claimed


def test_an_issue_carries_its_themes_respondents_at_every_stage():
    # One theme of broken sales promises that the tagger placed at two stages: two issues, one theme count.
    coded = pd.DataFrame([
        ("T1", "contract", "failure", "R1"), ("T1", "contract", "failure", "R2"), ("T1", "engagement", "failure", "R2"),
        ("T1", "engagement", "failure", "R3"), ("T1", "engagement", "success", "R4"),
    ], columns=["theme_id", "stage", "polarity", "respondent_id"])
    coded["segment_id"] = [f"s{i}" for i in range(len(coded))]
    coded["theme_similarity"] = 0.5
    themes = pd.DataFrame({"theme_id": ["T1"], "label": ["Myynnin lupaukset eivät pitäneet"]})
    issues = rank_issues(coded, themes, total_respondents=4).set_index("issue_id")
    assert issues.loc["T1-contract-failure", ["respondents", "respondents_every_stage"]].tolist() == [2, 3]
    assert issues.loc["T1-engagement-failure", ["respondents", "respondents_every_stage"]].tolist() == [2, 3]
    assert issues.loc["T1-engagement-success", ["respondents", "respondents_every_stage"]].tolist() == [1, 1]
