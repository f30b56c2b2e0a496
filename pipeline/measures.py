"""What each wave measured, kept beside its report as wave_measures.json, so a later wave can show the change:
the respondents, NPS / CSAT / CES, each theme's and issue's respondents and each touchpoint's counts.

An earlier wave is a sibling folder of the report folder (reports/<study>/<wave>/, as `teema themes` lays them
out) whose file names an earlier wave; a folder never rewritten, only read.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from pipeline.metrics import nps, respondent_scores, scale_metric
from pipeline.touchpoint_table import touchpoint_counts

MEASURES_FILE = "wave_measures.json"


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 4)


def score_measures(segments: pd.DataFrame) -> dict[str, float | None]:
    """NPS (-100..100), CSAT and CES (means on their scales) of the respondents who gave one; None when none did."""
    scores = respondent_scores(segments)
    out: dict[str, float | None] = {"nps": None, "csat": None, "ces": None}
    if "nps" in scores and (result := nps(scores["nps"])):
        out["nps"] = _finite(result.score)
    for name in ("csat", "ces"):
        if name in scores and (result := scale_metric(name, scores[name])):
            out[name] = _finite(result.mean)
    return out


def wave_measures(study: str, wave: str, segments: pd.DataFrame, themes: pd.DataFrame, issues: pd.DataFrame,
                  respondents: int) -> dict:
    """This wave's measures as plain values (the JSON written beside the report)."""
    return {
        "study": study, "wave": wave, "respondents": int(respondents), "scores": score_measures(segments),
        "themes": {str(t): {"label": str(label), "respondents": int(r)} for t, label, r in
                   zip(themes["theme_id"], themes["label"], themes["respondents"], strict=True)},
        "issues": {str(i): {"theme_id": str(t), "stage": str(s), "polarity": str(p), "respondents": int(r)}
                   for i, t, s, p, r in zip(issues["issue_id"], issues["theme_id"], issues["stage"],
                                            issues["polarity"], issues["respondents"], strict=True)},
        "touchpoints": touchpoint_counts(segments),
    }


def write_measures(out_dir: Path, measures: dict) -> Path:
    path = out_dir / MEASURES_FILE
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(measures, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
    return path


def earlier_measures(out_dir: Path, study: str, wave: str) -> list[dict]:
    """The earlier waves' measures, oldest first: sibling report folders whose wave_measures.json names this study
    and a wave before `wave`. A file that cannot be read is skipped (an older teema wrote none)."""
    found = []
    parent = out_dir.resolve().parent
    if not parent.is_dir():
        return []
    for folder in sorted(parent.iterdir()):
        path = folder / MEASURES_FILE
        if folder.resolve() == out_dir.resolve() or not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("study") == study and data.get("wave") and str(data["wave"]) < wave:
            found.append(data)
    return sorted(found, key=lambda d: str(d["wave"]))
