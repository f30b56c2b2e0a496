"""Issues: theme x stage x polarity, counted by mentions and distinct respondents, and ranked.

Failures are ranked by how many respondents they touch; successes are listed the same way as
what to keep. Every count keeps the segment ids behind it.
"""

from __future__ import annotations

import pandas as pd

RANKED_POLARITIES = ("failure", "success")
ISSUE_COLUMNS = ["rank", "issue_id", "polarity", "stage", "theme_id", "theme_label", "respondents", "mentions",
                 "share_of_respondents", "respondents_every_stage", "interviewees", "interviewees_one_statement",
                 "subthemes", "quote_ids", "segment_ids"]


def interviewee_counts(group: pd.DataFrame) -> dict[str, int]:
    """`interviewees` and `interviewees_one_statement` (those of them with one statement) among a group's
    respondents.

    An interview runs to a hundred statements or more, so one statement placed in a theme is thin evidence that
    the interviewee raised the issue (on the sample most such are strays: descriptions read as failures,
    sentences themed by their neighbours); a survey answer of one statement is the whole answer. The counts let a
    researcher see how much of a figure rests on single statements before signing it."""
    per = group.loc[group["source"] == "interview", "respondent_id"].value_counts() if "source" in group \
        else pd.Series(dtype=int)
    return {"interviewees": int(len(per)), "interviewees_one_statement": int((per == 1).sum())}


def pick_quotes(group: pd.DataFrame, n: int = 3) -> list[str]:
    """The statements closest to the theme, one per respondent first."""
    ordered = group.sort_values(["theme_similarity", "segment_id"], ascending=[False, True])
    first_per_respondent = ordered.drop_duplicates("respondent_id")
    rest = ordered[~ordered["segment_id"].isin(first_per_respondent["segment_id"])]
    return pd.concat([first_per_respondent, rest])["segment_id"].head(n).tolist()


def subtheme_counts(group: pd.DataFrame, labels: dict[str, str]) -> list[dict]:
    """The sub-themes behind one issue, most respondents first: id, label, respondents, mentions, quote."""
    if "subtheme_id" not in group:
        return []
    rows = []
    for subtheme_id, part in group[group["subtheme_id"].fillna("") != ""].groupby("subtheme_id", sort=True):
        rows.append({"subtheme_id": subtheme_id, "label": labels.get(subtheme_id, ""),
                     "respondents": int(part["respondent_id"].nunique()), "mentions": len(part),
                     "quote_ids": pick_quotes(part, 1)})
    return sorted(rows, key=lambda r: (-r["respondents"], -r["mentions"], r["subtheme_id"]))


def rank_issues(coded: pd.DataFrame, themes: pd.DataFrame, total_respondents: int,
                subthemes: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per issue, failures first (rank 1 = most respondents), then successes.

    `coded` holds respondent statements with theme_id, stage, polarity, theme_similarity,
    segment_id and respondent_id (and subtheme_id); statements with no theme or a neutral polarity are not
    issues. An issue's respondents are the distinct respondents of any of its statements, in any sub-theme.
    """
    labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    sub_labels = dict(zip(subthemes["subtheme_id"], subthemes["label"], strict=True)) if subthemes is not None \
        else {}
    eligible = coded[(coded["theme_id"] != "") & coded["polarity"].isin(RANKED_POLARITIES)]
    # A theme the tagger places at two stages is two issues; what a workshop acts on is often the theme's whole
    # count ("wrong invoices: 47 respondents"), so each issue also carries its theme's at every stage.
    every_stage = eligible.groupby(["theme_id", "polarity"])["respondent_id"].nunique().to_dict()
    records = []
    for (theme_id, stage, polarity), group in eligible.groupby(["theme_id", "stage", "polarity"], sort=True):
        records.append({
            "issue_id": f"{theme_id}-{stage}-{polarity}",
            "polarity": polarity,
            "stage": stage,
            "theme_id": theme_id,
            "theme_label": labels.get(theme_id, ""),
            "respondents": int(group["respondent_id"].nunique()),
            "mentions": len(group),
            "share_of_respondents": round(group["respondent_id"].nunique() / max(total_respondents, 1), 4),
            "respondents_every_stage": int(every_stage[(theme_id, polarity)]),
            **interviewee_counts(group),
            "subthemes": subtheme_counts(group, sub_labels),
            "quote_ids": pick_quotes(group),
            "segment_ids": sorted(group["segment_id"]),
        })
    issues = pd.DataFrame(records, columns=[c for c in ISSUE_COLUMNS if c != "rank"])
    issues["polarity_order"] = issues["polarity"].map({p: i for i, p in enumerate(RANKED_POLARITIES)})
    issues = issues.sort_values(["polarity_order", "respondents", "mentions", "issue_id"],
                                ascending=[True, False, False, True]).drop(columns="polarity_order")
    issues.insert(0, "rank", issues.groupby("polarity").cumcount() + 1)
    return issues.reset_index(drop=True)
