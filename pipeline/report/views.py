"""What the HTML report shows, as plain values: journey cells, issues, themes, metrics, filters, method.

Built from a StudyResult by pure functions; the template only lays these out, and the page script
only recounts them for the respondents a filter keeps (from the compact `data` block).
"""

from __future__ import annotations

import math

import pandas as pd

from pipeline import metrics
from pipeline.rank import pick_quotes
from pipeline.report import svg
from pipeline.report.i18n import number, percent, t
from pipeline.report.tables import SEGMENT_EXPORT_COLUMNS
from pipeline.tagging import UNPLACED, LabelSet

POLARITIES = ("failure", "success", "neutral")
QUOTE_CANDIDATES = 8  # per issue: the page shows the first 3 from the respondents a filter keeps
MAX_FILTER_VALUES = 40
CORE_COLUMNS = set(SEGMENT_EXPORT_COLUMNS) | {"turn", "line", "position", "metadata_columns"}
BUILTIN_FILTERS = ("source", "lang")
NONE_VALUE = "–"
META_PREFIX = "meta_"  # metadata columns from a manifest or a feedback file (pipeline/corpus)


def stage_columns(stages: LabelSet, issues: pd.DataFrame, lang: str) -> list[dict]:
    """The journey's stages in order, plus 'not placed' when some issue has no stage."""
    columns = [{"id": s.id, "name": s.name(lang), "other": s.name("en" if lang == "fi" else "fi"),
                "description": (s.description_fi if lang == "fi" else s.description_en)} for s in stages.labels]
    known = {c["id"] for c in columns}
    if set(issues["stage"]) - known:
        columns.append({"id": UNPLACED, "name": t("unplaced", lang), "other": "", "description": ""})
    return columns


def themed_statements(segments: pd.DataFrame) -> pd.DataFrame:
    """Respondent statements that belong to a theme: what every count in the report is made of."""
    mask = (segments["role"] == "respondent") & (segments["theme_id"] != "")
    return segments[mask]


def respondent_index(segments: pd.DataFrame) -> list[str]:
    """Every respondent id, in the order they first speak."""
    return list(pd.unique(segments.loc[segments["role"] == "respondent", "respondent_id"]))


QUESTION_CHARS = 240  # the interviewer's question shown with a quote, cut to its last words beyond this


def asked(row) -> str:
    """The interviewer's question a quote answers (interviews only; a survey's one question would repeat on every
    quote), its end kept when long: an interviewer's turn often leads up to the question."""
    question = str(getattr(row, "question", "") or "")
    if getattr(row, "source", "") != "interview" or not question or question == "nan":
        return ""
    return question if len(question) <= QUESTION_CHARS else "…" + question[-QUESTION_CHARS:].split(" ", 1)[-1]


def _quote(row, r_index: dict[str, int]) -> dict:
    return {"text": row.text, "location": row.location, "respondent": row.respondent_id,
            "r": r_index.get(row.respondent_id, -1), "id": row.segment_id, "question": asked(row)}


def issue_views(issues: pd.DataFrame, segments: pd.DataFrame, stage_names: dict[str, str],
                r_index: dict[str, int], total: int, lang: str, subtheme_labels: dict[str, str] | None = None
                ) -> list[dict]:
    """Every ranked issue (failures, then successes) with quote candidates in pick order, and the sub-themes
    its respondents are counted from (each with its own counts and a quote)."""
    by_id = segments.set_index("segment_id", drop=False)
    subtheme_labels = subtheme_labels or {}
    views = []
    for issue in issues.itertuples(index=False):
        group = by_id.loc[list(issue.segment_ids)].reset_index(drop=True)
        candidates = list(issue.quote_ids) + [
            q for q in pick_quotes(group, QUOTE_CANDIDATES) if q not in set(issue.quote_ids)
        ]
        quotes = [_quote(by_id.loc[q], r_index) for q in candidates[:QUOTE_CANDIDATES] if q in by_id.index]
        views.append({
            "rank": int(issue.rank), "key": issue.issue_id, "label": issue.theme_label, "theme_id": issue.theme_id,
            "stage": issue.stage, "stage_name": stage_names.get(issue.stage, issue.stage),
            "polarity": issue.polarity, "polarity_name": t(issue.polarity, lang),
            "respondents": int(issue.respondents), "mentions": int(issue.mentions),
            "share": percent(issue.respondents / max(total, 1), lang), "quotes": quotes,
            "every_stage": int(getattr(issue, "respondents_every_stage", issue.respondents)),
            "interviewees": int(getattr(issue, "interviewees", 0)),
            "interviewees_one": int(getattr(issue, "interviewees_one_statement", 0)),
            "subthemes": [{"id": part["subtheme_id"], "label": subtheme_labels.get(part["subtheme_id"], part["label"]),
                           "respondents": part["respondents"], "mentions": part["mentions"],
                           "quotes": [_quote(by_id.loc[q], r_index) for q in part["quote_ids"] if q in by_id.index]}
                          for part in (getattr(issue, "subthemes", None) or [])],
        })
    return views


def journey_cells(themed: pd.DataFrame, columns: list[dict], issues: list[dict], total: int,
                  lang: str) -> list[dict]:
    """Two rows (failures, successes) by stage: distinct respondents, shade and top issues per cell."""
    counts = {}
    for polarity in ("failure", "success"):
        for column in columns:
            cell = themed[(themed["polarity"] == polarity) & (themed["stage"] == column["id"])]
            counts[(polarity, column["id"])] = int(cell["respondent_id"].nunique())
    top = max(counts.values(), default=0) or 1
    rows = []
    for polarity in ("failure", "success"):
        cells = []
        for column in columns:
            n = counts[(polarity, column["id"])]
            cell_issues = [i for i in issues if i["polarity"] == polarity and i["stage"] == column["id"]]
            cells.append({
                "stage": column["id"], "stage_name": column["name"], "polarity": polarity, "respondents": n,
                "share": percent(n / max(total, 1), lang), "shade": round(n / top, 3),
                "issues": cell_issues[:3], "more": max(len(cell_issues) - 3, 0),
            })
        rows.append({"polarity": polarity, "name": t("failures" if polarity == "failure" else "successes", lang),
                     "cells": cells})
    return rows


def _mix_parts(values: pd.Series, order: list[tuple[str, str, str]]) -> list[tuple[float, str, str]]:
    counts = values.value_counts()
    return [(float(counts.get(key, 0)), css, f"{name}: {int(counts.get(key, 0))}") for key, css, name in order]


def theme_views(themes: pd.DataFrame, themed: pd.DataFrame, columns: list[dict], r_index: dict[str, int],
                lang: str, frames: list[LabelSet] = ()) -> list[dict]:
    """Every theme with keywords, size, stage and polarity mix (as SVG bars) and all its statements."""
    stage_order = [(c["id"], f"st{i}", c["name"]) for i, c in enumerate(columns)]
    polarity_order = [(p, p, t(p, lang)) for p in POLARITIES]
    views = []
    for theme in themes.itertuples(index=False):
        members = themed[themed["theme_id"] == theme.theme_id]
        pinned = [q for q in theme.quote_ids if q in set(members["segment_id"])]
        rest = members[~members["segment_id"].isin(pinned)].sort_values(
            ["theme_similarity", "segment_id"], ascending=[False, True])
        ordered = pd.concat([members.set_index("segment_id", drop=False).loc[pinned], rest])
        quotes = [{**_quote(row, r_index), "stage": row.stage, "polarity": row.polarity}
                  for row in ordered.itertuples(index=False)]
        stage_parts = _mix_parts(members["stage"].replace("", UNPLACED), stage_order)
        polarity_parts = _mix_parts(members["polarity"].replace("", "neutral"), polarity_order)
        views.append({
            "id": theme.theme_id, "label": theme.label, "keywords": theme.keywords,
            "respondents": int(theme.respondents), "mentions": int(theme.mentions), "quotes": quotes,
            "stage_bar": svg.stacked_bar(stage_parts, t("stage_mix", lang)),
            "polarity_bar": svg.stacked_bar(polarity_parts, t("polarity_mix", lang)),
            "stage_text": ", ".join(p[2] for p in stage_parts if p[0]),
            "polarity_text": ", ".join(p[2] for p in polarity_parts if p[0]),
            "codebook": getattr(theme, "codebook", ""), "relevant": bool(getattr(theme, "relevant", True)),
            "frames": [(frame.name(lang), label.name(lang)) for frame in frames
                       if (label := frame.get(getattr(theme, f"frame_{frame.id}", "")))],
        })
    return views


def frame_views(frames: list[LabelSet], themed: pd.DataFrame, lang: str) -> list[dict]:
    """Per frame and label: respondents with a failure, with a success, and statements in all."""
    views = []
    for frame in frames:
        column = f"frame_{frame.id}"
        if column not in themed:
            continue
        rows = []
        for label in frame.labels:
            members = themed[themed[column] == label.id]
            rows.append({
                "name": label.name(lang), "description": label.description_fi if lang == "fi" else label.description_en,
                "failure": int(members.loc[members["polarity"] == "failure", "respondent_id"].nunique()),
                "success": int(members.loc[members["polarity"] == "success", "respondent_id"].nunique()),
                "statements": len(members),
            })
        views.append({"id": frame.id, "name": frame.name(lang), "rows": rows})
    return views


def _signed(value: float, lang: str, digits: int = 0) -> str:
    text = number(value, lang, digits)
    return text if text.startswith(("−", "–")) or float(value) == 0 else f"+{text}"


def metric_views(segments: pd.DataFrame, themes: pd.DataFrame, lang: str) -> dict:
    """NPS, CSAT and CES cards and the theme impact table, for whichever scores the data has."""
    scores = metrics.respondent_scores(segments)
    out: dict = {"nps": None, "csat": None, "ces": None, "impact": [], "any": False}
    if "nps" in scores and (result := metrics.nps(scores["nps"])):
        parts = [(result.promoters, "promoter", t("promoters", lang)),
                 (result.passives, "passive", t("passives", lang)),
                 (result.detractors, "detractor", t("detractors", lang))]
        classes = ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2
        out["nps"] = {
            "score": _signed(result.score, lang), "low": _signed(result.ci_low, lang),
            "high": _signed(result.ci_high, lang), "n": result.n, "mean": number(result.mean, lang, 1),
            "parts": [{"key": css, "name": name, "n": n, "share": percent(n / result.n, lang)}
                      for n, css, name in parts],
            "bar": svg.stacked_bar([(n, css, f"{name}: {n}") for n, css, name in parts], t("nps", lang), 18),
            "hist": svg.histogram(result.distribution, [str(k) for k in range(11)], classes, t("distribution", lang)),
        }
        labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
        impact = metrics.theme_impact(themed_statements(segments), scores["nps"])
        top = float(impact["impact"].max()) if len(impact) else 0.0
        out["impact"] = [{
            "theme_id": row.theme_id, "label": labels.get(row.theme_id, ""), "n_with": int(row.n_with),
            "nps_with": _signed(row.nps_with, lang), "nps_without": _signed(row.nps_without, lang),
            "mean_with": number(row.mean_with, lang, 1), "mean_without": number(row.mean_without, lang, 1),
            "difference": _signed(row.difference, lang) if not math.isnan(row.difference) else "–",
            "detractors": int(row.detractors), "impact": _signed(row.impact, lang, 1),
            "bar": svg.bar(row.impact, top, "detractor", t("impact_col", lang)),
        } for row in impact.itertuples(index=False)]
    for name in ("csat", "ces"):
        if name in scores and (result := metrics.scale_metric(name, scores[name])):
            low, high = result.scale
            good = ["good" if k >= result.good_from else "bad" for k in range(low, high + 1)]
            out[name] = {
                "good": percent(result.good_share, lang), "good_low": percent(result.good_low, lang),
                "good_high": percent(result.good_high, lang), "mean": number(result.mean, lang, 2),
                "mean_low": number(result.mean_low, lang, 2), "mean_high": number(result.mean_high, lang, 2),
                "n": result.n, "help": t(f"{name}_help", lang, good_from=result.good_from, top=high, bottom=low),
                "scale": [low, high], "good_from": result.good_from,
                "hist": svg.histogram(result.distribution, [str(k) for k in range(low, high + 1)], good,
                                      t("distribution", lang)),
            }
    out["any"] = any(out[k] for k in ("nps", "csat", "ces"))
    return out


# What teema added while coding (who decided a tag, the frames' labels): not respondent metadata to filter by.
CODING_COLUMNS = ("role", "stage_source", "polarity_source")


def metadata_columns(segments: pd.DataFrame, declared: list[str] | tuple[str, ...] | None = None) -> list[str]:
    """Columns to filter respondents by: the declared metadata columns (else any extra column), then source, lang."""
    if declared:
        extra = [c for c in declared if c in segments]
    else:
        extra = [c for c in segments.columns if c not in CORE_COLUMNS and not str(c).startswith(("_", "frame_"))
                 and c not in metrics.SCORE_COLUMNS and c not in CODING_COLUMNS]
        extra.sort(key=lambda c: not str(c).startswith(META_PREFIX))  # manifest / feedback metadata first
    return extra + [c for c in BUILTIN_FILTERS if c not in extra]


def _value_name(column: str, value: str, lang: str) -> str:
    if value == NONE_VALUE:
        return NONE_VALUE
    if column == "source" and value in ("interview", "feedback"):
        return t(value, lang)
    if column == "lang" and value in ("fi", "en"):
        return t(f"lang_{value}", lang)
    return value


def _column_name(column: str, lang: str) -> str:
    if column == "source":
        return t("source", lang)
    if column == "lang":
        return t("lang", lang)
    name = str(column).removeprefix(META_PREFIX)
    return name.replace("_", " ").strip().capitalize()


def filter_views(segments: pd.DataFrame, respondents: list[str], declared: list[str] | None, lang: str) -> list[dict]:
    """Categorical metadata per respondent (first non-empty value), as filters with 2..40 values."""
    rows = segments[segments["role"] == "respondent"]
    filters = []
    for column in metadata_columns(segments, declared):
        values = rows[column].astype("string").fillna("").str.strip()
        firsts = values.where(values != "").groupby(rows["respondent_id"], sort=False).first()
        per_respondent = firsts.reindex(respondents).fillna(NONE_VALUE).astype(str)
        counts = per_respondent.value_counts()
        if not 2 <= len(counts) <= MAX_FILTER_VALUES:
            continue
        order = sorted(counts.index, key=lambda v: (v == NONE_VALUE, -counts[v], v))
        position = {v: i for i, v in enumerate(order)}
        filters.append({
            "key": str(column), "name": _column_name(column, lang),
            "values": [{"value": v, "name": _value_name(column, v, lang), "n": int(counts[v])} for v in order],
            "codes": [position[v] for v in per_respondent],
        })
    return filters


TREND_ORDER = {"grown": 0, "new": 1, "shrunk": 2, "vanished": 3, "no clear change": 4}


def change_views(trends: dict | None, stage_names: dict[str, str], lang: str) -> dict | None:
    """The 'What changed' section: issues by trend (counts shown), new and vanished themes, deadlines."""
    if not trends:
        return None
    issues = trends["issues"]
    waves = [c[len("share_"):] for c in issues.columns if c.startswith("share_")]
    rows = []
    for row in issues.to_dict("records"):
        rows.append({
            "key": row["issue_id"], "label": row["theme_label"], "theme_id": row["theme_id"],
            "stage": stage_names.get(row["stage"], row["stage"]), "polarity": row["polarity"],
            "shares": [f"{row[f'share_{w}']:.0%}" for w in waves],
            "change": f"{row['change'] * 100:+.0f} pp", "p": f"{row['p_value']:.3f}",
            "counts": f"{row['respondents_now']}/{row['respondents_total']} · "
                      f"{row['respondents_previous']}/{row['respondents_previous_total']}",
            "trend": row["trend"], "trend_name": t(f"trend_{row['trend']}", lang), "order": TREND_ORDER[row["trend"]],
        })
    rows.sort(key=lambda r: (r["order"], r["polarity"] != "failure", r["key"]))
    themes = trends["themes"]
    return {
        "previous": str(issues["previous_wave"].iloc[0]) if len(issues) else "",
        "waves": waves, "issues": rows,
        "new_themes": [f"{r.theme_id} {r.label}" for r in themes.itertuples() if r.trend == "new"],
        "vanished_themes": [f"{r.theme_id} {r.label}" for r in themes.itertuples() if r.trend == "vanished"],
        "deadlines": trends["deadlines"].fillna("").to_dict("records"),
    }
