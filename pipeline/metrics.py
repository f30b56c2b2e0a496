"""Customer metrics beside the text: NPS, CSAT and CES, and each theme's pull on NPS.

Pure functions on tables. Scores are per respondent: a respondent's first non-empty score among
their statements (in segment order). Respondents without a score are left out of that metric.

- NPS (0-10 "how likely to recommend"): promoters 9-10, passives 7-8, detractors 0-6;
  NPS = %promoters - %detractors, from -100 to 100. Its 95% confidence interval uses the
  variance of a difference of two multinomial shares: (p + d - (p - d)^2) / n.
- CSAT: share satisfied = the top two boxes of the scale (4-5 on 1-5, 6-7 on 1-7, 9-10 on 0-10),
  with a Wilson interval; and the mean.
- CES (CES 2.0, "the company made it easy", higher is easier): mean with a normal interval, and
  the share who found it easy (5-7 on 1-7, 4-5 on 1-5, 8-10 on 0-10).
- Theme impact: for each theme, NPS and mean score of respondents who mention it against those
  who do not, and how many NPS points the whole study would gain if the theme's detractors
  became passives (detractors mentioning it / respondents with NPS x 100).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

Z95 = 1.959964
SCORE_COLUMNS = ("nps", "csat", "ces")
IMPACT_COLUMNS = ["theme_id", "n_with", "n_without", "mean_with", "mean_without", "nps_with", "nps_without",
                  "difference", "detractors", "impact"]


@dataclass(frozen=True)
class NpsResult:
    """Net Promoter Score of a group: counts, score (-100..100) and its 95% interval."""

    n: int
    promoters: int
    passives: int
    detractors: int
    score: float
    ci_low: float
    ci_high: float
    mean: float
    distribution: tuple[int, ...]  # respondents per score 0..10


@dataclass(frozen=True)
class ScaleResult:
    """A CSAT or CES summary: mean, the share at the good end of the scale, and 95% intervals."""

    name: str
    n: int
    scale: tuple[int, int]
    mean: float
    mean_low: float
    mean_high: float
    good_share: float
    good_low: float
    good_high: float
    good_from: int
    distribution: tuple[int, ...]  # respondents per score scale[0]..scale[1]


def to_scores(values: pd.Series | list) -> pd.Series:
    """Numbers from a column that may hold text ('4,5', '', 'n/a'); anything else becomes NaN."""
    series = pd.Series(values, dtype="object") if not isinstance(values, pd.Series) else values
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        series = series.astype("string").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(series, errors="coerce").astype("float64")


def respondent_scores(segments: pd.DataFrame, columns: tuple[str, ...] = SCORE_COLUMNS) -> pd.DataFrame:
    """One row per respondent (index respondent_id) with its first non-empty score per column present."""
    respondents = segments[segments["role"] == "respondent"] if "role" in segments else segments
    present = [c for c in columns if c in respondents]
    table = pd.DataFrame(index=pd.Index(pd.unique(respondents["respondent_id"]), name="respondent_id"))
    for column in present:
        scores = to_scores(respondents[column].reset_index(drop=True))
        firsts = scores.groupby(respondents["respondent_id"].reset_index(drop=True), sort=False).first()
        table[column] = firsts.reindex(table.index)
    return table


def nps(scores: pd.Series | list) -> NpsResult | None:
    """NPS of the given 0-10 scores (NaN ignored); None when there are none."""
    values = to_scores(pd.Series(scores)).dropna()
    values = values[(values >= 0) & (values <= 10)]
    n = len(values)
    if n == 0:
        return None
    promoters = int((values >= 9).sum())
    detractors = int((values <= 6).sum())
    passives = n - promoters - detractors
    p, d = promoters / n, detractors / n
    score = 100 * (p - d)
    half = 100 * Z95 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    distribution = tuple(int(((values >= k) & (values < k + 1)).sum()) for k in range(11))
    return NpsResult(n, promoters, passives, detractors, score, max(score - half, -100.0), min(score + half, 100.0),
                     float(values.mean()), distribution)


def infer_scale(values: pd.Series) -> tuple[int, int]:
    """1-5, 1-7 or 0-10, from the largest and smallest score seen."""
    top, bottom = float(values.max()), float(values.min())
    if top <= 5 and bottom >= 1:
        return (1, 5)
    if top <= 7 and bottom >= 1:
        return (1, 7)
    return (0, 10)


def wilson(successes: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval of a share."""
    if n == 0:
        return (0.0, 0.0)
    p = successes / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return (max(centre - half, 0.0), min(centre + half, 1.0))


_GOOD_FROM = {"csat": {(1, 5): 4, (1, 7): 6, (0, 10): 9}, "ces": {(1, 5): 4, (1, 7): 5, (0, 10): 8}}


def scale_metric(name: str, scores: pd.Series | list, scale: tuple[int, int] | None = None) -> ScaleResult | None:
    """CSAT or CES (`name`) of the given scores; None when there are none."""
    values = to_scores(pd.Series(scores)).dropna()
    if values.empty:
        return None
    scale = scale or infer_scale(values)
    values = values[(values >= scale[0]) & (values <= scale[1])]
    n = len(values)
    if n == 0:
        return None
    mean = float(values.mean())
    sd = float(values.std(ddof=1)) if n > 1 else 0.0
    half = Z95 * sd / math.sqrt(n)
    good_from = _GOOD_FROM[name].get(scale, math.ceil(scale[1] - (scale[1] - scale[0]) / 4))
    good = int((values >= good_from).sum())
    low, high = wilson(good, n)
    distribution = tuple(int(((values >= k) & (values < k + 1)).sum()) for k in range(scale[0], scale[1] + 1))
    return ScaleResult(name, n, scale, mean, mean - half, mean + half, good / n, low, high, good_from, distribution)


def csat(scores: pd.Series | list, scale: tuple[int, int] | None = None) -> ScaleResult | None:
    """Customer satisfaction: share in the top two boxes, and the mean."""
    return scale_metric("csat", scores, scale)


def ces(scores: pd.Series | list, scale: tuple[int, int] | None = None) -> ScaleResult | None:
    """Customer effort (higher = easier): the mean, and the share who found it easy."""
    return scale_metric("ces", scores, scale)


def _nps_of(values: np.ndarray) -> float:
    if len(values) == 0:
        return float("nan")
    return float(100 * ((values >= 9).mean() - (values <= 6).mean()))


def theme_impact(segments: pd.DataFrame, scores: pd.Series) -> pd.DataFrame:
    """Per theme: NPS and mean score with and without it, and the NPS points its detractors cost.

    `segments` holds respondent statements with theme_id and respondent_id; `scores` is the 0-10
    score per respondent_id (NaN = none). Rows are ranked by impact, then by theme_id.
    """
    scored = to_scores(scores).dropna()
    scored = scored[(scored >= 0) & (scored <= 10)]
    total = len(scored)
    rows = []
    if total:
        themed = segments[(segments["theme_id"] != "") & segments["respondent_id"].isin(scored.index)]
        for theme_id, group in themed.groupby("theme_id", sort=True):
            mentioning = pd.unique(group["respondent_id"])
            with_ = scored.loc[mentioning].to_numpy()
            without = scored.drop(index=mentioning).to_numpy()
            detractors = int((with_ <= 6).sum())
            nps_with, nps_without = _nps_of(with_), _nps_of(without)
            rows.append({
                "theme_id": theme_id, "n_with": len(with_), "n_without": len(without),
                "mean_with": float(with_.mean()), "mean_without": float(without.mean()) if len(without) else np.nan,
                "nps_with": nps_with, "nps_without": nps_without, "difference": nps_with - nps_without,
                "detractors": detractors, "impact": 100 * detractors / total,
            })
    table = pd.DataFrame(rows, columns=IMPACT_COLUMNS)
    return table.sort_values(["impact", "theme_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
