"""The export tables, built from a StudyResult: what goes into the CSVs and the HTML alike."""

from __future__ import annotations

import pandas as pd

from pipeline.tagging import LabelSet

SEGMENT_EXPORT_COLUMNS = [
    "segment_id", "respondent_id", "source", "location", "text", "theme_id", "theme_label", "subtheme_id",
    "subtheme_label", "stage",
    "polarity", "stage_confidence", "stage_scores", "polarity_confidence", "polarity_scores",
    "theme_similarity", "unassigned_reason", "role", "speaker", "lang", "doc_id", "wave", "date", "nps",
    "question",
]
N_QUOTES = 3


def stage_name(stage_id: str, stages: LabelSet, lang: str = "en") -> str:
    label = stages.get(stage_id)
    return label.name(lang) if label else stage_id


def _quote_columns(quote_ids: list[str], segments: pd.DataFrame) -> dict[str, str]:
    by_id = segments.set_index("segment_id")
    columns = {}
    for i in range(N_QUOTES):
        sid = quote_ids[i] if i < len(quote_ids) else None
        row = by_id.loc[sid] if sid is not None else None
        columns[f"quote_{i + 1}"] = row["text"] if row is not None else ""
        columns[f"quote_{i + 1}_source"] = (
            f"{row['location']} ({row['respondent_id']})" if row is not None else ""
        )
    return columns


def subtheme_list(parts: list[dict], labels: dict[str, str]) -> str:
    """An issue's sub-themes in one cell: "T03.1 lasku · summa (12); T03.2 invoice · wrong (7)"."""
    return "; ".join(f"{p['subtheme_id']} {labels.get(p['subtheme_id'], p['label'])} ({p['respondents']})"
                     for p in parts)


def issues_table(issues: pd.DataFrame, segments: pd.DataFrame, stages: LabelSet,
                 subthemes: pd.DataFrame | None = None) -> pd.DataFrame:
    """issues.csv: one row per issue, quotes spelled out with where they came from, and its sub-themes
    (labels from `subthemes`, the exported, redacted table)."""
    labels = dict(zip(subthemes["subtheme_id"], subthemes["label"], strict=True)) if subthemes is not None else {}
    rows = []
    for issue in issues.itertuples(index=False):
        rows.append({
            "rank": issue.rank,
            "issue_id": issue.issue_id,
            "polarity": issue.polarity,
            "stage": issue.stage,
            "stage_name": stage_name(issue.stage, stages),
            "theme_id": issue.theme_id,
            "theme_label": issue.theme_label,
            "respondents": issue.respondents,
            "mentions": issue.mentions,
            "share_of_respondents": issue.share_of_respondents,
            "respondents_every_stage": getattr(issue, "respondents_every_stage", issue.respondents),
            "interviewees": getattr(issue, "interviewees", 0),
            "interviewees_one_statement": getattr(issue, "interviewees_one_statement", 0),
            "subthemes": subtheme_list(getattr(issue, "subthemes", []) or [], labels),
            **_quote_columns(issue.quote_ids, segments),
            "segment_ids": " ".join(issue.segment_ids),
        })
    return pd.DataFrame(rows)


def _mix(values: pd.Series) -> str:
    shares = values.value_counts(normalize=True)
    shares = shares.sort_index().sort_values(ascending=False, kind="stable")
    return ", ".join(f"{k} {v:.0%}" for k, v in shares.items())


def themes_table(themes: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """themes.csv: one row per theme with its stage and polarity mix, main frame labels, codebook edits, quotes."""
    frame_columns = [c for c in themes.columns if str(c).startswith("frame_")]
    rows = []
    for theme in themes.itertuples(index=False):
        members = segments[segments["theme_id"] == theme.theme_id]
        rows.append({
            "theme_id": theme.theme_id,
            "label": theme.label,
            "keywords": theme.keywords,
            "lang": theme.lang,
            "mentions": theme.mentions,
            "respondents": theme.respondents,
            "subthemes": getattr(theme, "subthemes", ""),
            "stage_mix": _mix(members["stage"]),
            "polarity_mix": _mix(members["polarity"]),
            **{column: getattr(theme, column) for column in frame_columns},
            **({"codebook": theme.codebook, "relevant": theme.relevant} if "codebook" in themes else {}),
            **({"origin": theme.origin, "code_description": theme.code_description} if "origin" in themes
               else {}),  # issue 15: a team's code or a new theme
            **_quote_columns(theme.quote_ids, segments),
        })
    return pd.DataFrame(rows)


def subthemes_table(subthemes: pd.DataFrame, themes: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """subthemes.csv: one row per sub-theme with the theme it sits in, its stage and polarity mix and quotes."""
    theme_labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    rows = []
    for sub in subthemes.itertuples(index=False):
        members = segments[segments["subtheme_id"] == sub.subtheme_id]
        rows.append({
            "subtheme_id": sub.subtheme_id,
            "label": sub.label,
            "theme_id": sub.theme_id,
            "theme_label": theme_labels.get(sub.theme_id, ""),
            "keywords": sub.keywords,
            "lang": sub.lang,
            "mentions": sub.mentions,
            "respondents": sub.respondents,
            "stage_mix": _mix(members["stage"]),
            "polarity_mix": _mix(members["polarity"]),
            **_quote_columns(sub.quote_ids, segments),
        })
    return pd.DataFrame(rows)


def segments_table(segments: pd.DataFrame) -> pd.DataFrame:
    """segments.csv: every statement, coded or not, with the scores behind its tags, then any metadata columns."""
    extra = [c for c in segments.columns if c not in SEGMENT_EXPORT_COLUMNS and not str(c).startswith("_")]
    table = segments[SEGMENT_EXPORT_COLUMNS + extra].copy()
    for column in ("nps", "csat", "ces"):  # whole-number scales: "9", not "9.0" (or "9,0" in a Finnish Excel)
        if column in table:
            values = pd.to_numeric(table[column], errors="coerce")
            if values.notna().any() and (values.dropna() % 1 == 0).all():
                table[column] = values.astype("Int64")
    return table


def with_trends(table: pd.DataFrame, trends: pd.DataFrame, key: str) -> pd.DataFrame:
    """The table with the trend columns (share per wave, change, counts, p-value, trend) of its rows appended."""
    columns = [c for c in trends.columns if c.startswith("share_") or c in (
        "previous_wave", "respondents_previous", "respondents_previous_total", "change", "p_value", "trend")]
    if table.empty:
        return table
    return table.merge(trends[[key, *columns]], on=key, how="left")
