import re

import pandas as pd

from bench.eval_sample_themes import planted_counts, planted_theme_counts


def test_a_theme_split_over_two_stages_is_counted_once_over_both():
    """F1's statements are one theme (T02) that the tagger put at two stages: the issue count takes the larger
    stage; the theme count takes every respondent with a failure statement there, ranked among themes."""
    segments = pd.DataFrame({
        "segment_id": ["a", "b", "c", "d", "e", "f", "g"],
        "respondent_id": ["R1", "R2", "R3", "R3", "R4", "R5", "R6"],
        "text": ["Myyjä lupasi integraation.", "Sales promised a feature.", "Luvattu päivä siirtyi.",
                 "The promised date slipped.", "Lasku oli väärin.", "Invoice wrong.", "Laskussa virhe."],
    })
    ranked = pd.DataFrame({
        "rank": [1, 2, 3], "theme_id": ["T01", "T02", "T02"], "theme_label": ["Laskut", "Lupaukset", "Lupaukset"],
        "stage": ["customership", "contract", "engagement"], "polarity": ["failure"] * 3,
        "respondents": [3, 2, 1], "segment_ids": [["e", "f", "g"], ["a", "b"], ["c", "d"]],
    })
    issues = {key: {"pattern": re.compile(p, re.I), "polarity": "failure"} for key, p in
              {"F1": "lupa|luvat|promis", "F2": "lasku|invoice", "F3": "tuki", "F6": "sync", "S1": "koulut"}.items()}
    assert planted_counts(segments, ranked, issues)["F1"] == ("Lupaukset", 2, 2, "contract")
    theme = planted_theme_counts(segments, ranked, issues)
    assert theme["F1"] == (3, 2) and theme["F2"] == (3, 1)  # a tie: the smaller theme id first
    assert theme["F3"] == (0, 0)
