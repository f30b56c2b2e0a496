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
