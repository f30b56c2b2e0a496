"""Waves: rounds of material in one study, and the themes of one wave matched to the last one's.

A study with waves holds one sub-folder per wave whose name is a period (`2026-05`, `2026-11-15`,
`2026Q2`, `2026H1`, `2026`). Waves sort by name (the period), the newest is analysed by default.
`teema.toml` at the study root applies to every wave; each wave folder may hold its own manifest.
Material files outside the wave folders belong to no wave: they are not read, and the run says so.
A study without wave folders whose feedback dates span more than one period ([study] wave_period,
default half-year) is split by date instead: waves `2026H1`, `2026H2`, ... (see DateWaves).
A study without either is read as one wave, exactly as before.

Theme matching is by content: each theme's centroid (mean of its members' normalised embeddings)
against the previous wave's centroids, both centred on the mean of the two waves' statements, paired
by the Hungarian method above a similarity threshold. A matched theme keeps its old id and label;
a new one gets an id never used before in the study; an old one left unmatched has vanished.
A re-run of the same wave (one more interview, another embedder) is matched with that wave's last run
by the statements the two runs share instead (`rerun_similarity`), so the researcher's edits keyed by
theme id stay on the content they were typed for, whatever model embedded it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from pipeline.config import ConfigError, StudyConfig
from pipeline.corpus.date_waves import (  # noqa: F401  (re-exported: callers name them from here)
    PERIODS,
    WAVE_RE,
    DateWaves,
    active_period,
    date_waves,
    path_date,
    period_of,
    select_date_wave,
    wave_start,
)
from pipeline.corpus.read import study_files

STATE_FILE = "wave_state.json"
MATCH_THRESHOLD = 0.6  # centred cosine between centroids; tuned by bench/tune_wave_match.py, see docs/waves.md
RERUN_THRESHOLD = 0.25  # Jaccard share of shared statements; bench/rerun_edits.py, see docs/waves.md


class WaveError(ConfigError):
    """A wave that does not exist, or a wave folder that cannot be used; the message names the waves there are."""


def detect_waves(study_dir: Path) -> list[str]:
    """Names of the study's wave sub-folders, oldest first ([] when the study has none)."""
    names = [p.name for p in study_dir.iterdir() if p.is_dir() and wave_start(p.name) is not None]
    return sorted(names, key=lambda n: (wave_start(n), n))


def pick_wave(waves: list[str], requested: str | None, how: str = "one sub-folder per wave") -> str:
    """The newest wave, or the requested one; WaveError naming the available waves when it is not there."""
    if requested is None:
        return waves[-1]
    if requested not in waves:
        raise WaveError(f"no wave '{requested}' in this study; the waves are: {', '.join(waves)} ({how})")
    return requested


def outside_waves(study_dir: Path, waves: list[str], config: StudyConfig) -> list[str]:
    """Material files that are in no wave folder (relative paths); they are not read."""
    manifest = {config.study.manifest} if config.study.manifest else {"manifest.csv", "manifest.xlsx"}
    stray = []
    for path in study_files(study_dir, config):
        relative = path.relative_to(study_dir)
        if relative.parts[0] not in waves and relative.as_posix() not in manifest:
            stray.append(relative.as_posix())
    return stray


@dataclass
class WaveState:
    """What a later wave needs from an earlier one, kept in its report folder as wave_state.json."""

    wave: str
    respondents: int
    theme_ids: list[str]
    labels: list[str]
    centroids: np.ndarray  # one row per theme, raw (not centred) normalised means
    mean: np.ndarray  # mean of the wave's coded statement vectors
    used_ids: list[str]  # every theme id the study has used up to this wave
    theme_respondents: dict[str, int] = field(default_factory=dict)
    issues: list[dict] = field(default_factory=list)  # issue_id, theme_id, stage, polarity, theme_label, respondents
    embedder: str = ""  # the model the wave was embedded with ('' in states an older teema wrote)
    members: dict[str, list[str]] = field(default_factory=dict)  # theme id -> its statements' segment ids
    subtheme_members: dict[str, list[str]] = field(default_factory=dict)  # sub-theme id (before edits) -> ids
    # theme ids the codebook edits that this run has no theme for -> the statements they held when last seen
    unplaced: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({
            "wave": self.wave, "respondents": self.respondents, "used_ids": self.used_ids, "embedder": self.embedder,
            "mean": [round(float(v), 6) for v in self.mean],
            "themes": [{"theme_id": t, "label": lab, "respondents": self.theme_respondents.get(t, 0),
                        "centroid": [round(float(v), 6) for v in c], "members": self.members.get(t, [])}
                       for t, lab, c in zip(self.theme_ids, self.labels, self.centroids, strict=True)],
            "issues": self.issues,
            "subthemes": [{"subtheme_id": t, "members": m} for t, m in sorted(self.subtheme_members.items())],
            "unplaced": [{"theme_id": t, "members": m} for t, m in sorted(self.unplaced.items())],
        }, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> WaveState:
        data = json.loads(text)
        themes = data["themes"]
        width = len(data["mean"])
        return cls(
            wave=data["wave"], respondents=int(data["respondents"]), used_ids=list(data["used_ids"]),
            theme_ids=[t["theme_id"] for t in themes], labels=[t["label"] for t in themes],
            centroids=np.array([t["centroid"] for t in themes], dtype=np.float64).reshape(len(themes), width),
            mean=np.array(data["mean"], dtype=np.float64),
            theme_respondents={t["theme_id"]: int(t["respondents"]) for t in themes}, issues=list(data["issues"]),
            embedder=str(data.get("embedder", "")),
            members={t["theme_id"]: [str(m) for m in t.get("members", [])] for t in themes if t.get("members")},
            subtheme_members={s["subtheme_id"]: [str(m) for m in s["members"]] for s in data.get("subthemes", [])},
            unplaced={u["theme_id"]: [str(m) for m in u["members"]] for u in data.get("unplaced", [])},
        )


def known_members(state: WaveState) -> dict[str, list[str]]:
    """The statements of every theme id the last run can speak for: its own themes' and the edited ones it carried
    (`unplaced`), so a theme a re-run lost is still judged by the statements the researcher saw in it."""
    return {**state.unplaced, **state.members}


def carried_members(edited: Iterable[str], theme_ids: Iterable[str], last_run: WaveState | None
                    ) -> dict[str, list[str]]:
    """The statements each edited theme id held when last seen, for the ids this run has no theme for.

    An edit whose theme a re-run folded away or spread is not applied; without its statements the next re-run
    (say with another embedder) would know the id only by its row's example statement and could put the edit on
    a theme it was not meant for. Carried in wave_state.json, the next re-run judges it by the same statements."""
    if last_run is None:
        return {}
    known, present = known_members(last_run), set(theme_ids)
    return {t: known[t] for t in sorted(set(edited) - present) if known.get(t)}


def read_state(report_dir: Path) -> WaveState | None:
    """An earlier wave's state from its report folder; None when it has none or it cannot be read."""
    path = report_dir / STATE_FILE
    try:
        return WaveState.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def theme_centroids(vectors: np.ndarray, theme_ids: list[str]) -> tuple[list[str], np.ndarray]:
    """Theme ids (sorted) and the normalised mean of each theme's normalised member vectors."""
    unit = _unit(np.asarray(vectors, dtype=np.float64))
    ids = np.asarray(theme_ids)
    names = sorted(set(theme_ids) - {""})
    if not names:
        return [], np.zeros((0, unit.shape[1]))
    return names, _unit(np.stack([unit[ids == t].mean(axis=0) for t in names]))


@dataclass
class ThemeMatch:
    """How this wave's themes relate to the previous wave's."""

    rename: dict[str, str]  # fitted id -> study id
    labels: dict[str, str]  # study id -> kept label (matched themes only)
    similarity: dict[str, float]  # study id -> centroid similarity (matched themes only)
    new: list[str]  # study ids first seen in this wave
    vanished: list[str]  # previous wave's ids not found in this one
    used_ids: list[str]  # every id used so far


def _number(theme_id: str) -> int:
    digits = re.sub(r"\D", "", theme_id)
    return int(digits) if digits else 0


def centroid_similarity(centroids: np.ndarray, mean: np.ndarray, previous: WaveState, embedder: str = ""
                        ) -> np.ndarray | None:
    """This run's themes (rows) against the previous state's (columns), centred on the two runs' mean; None when
    the vectors cannot be compared (another width, or another embedder)."""
    other_model = bool(embedder and previous.embedder and embedder != previous.embedder)
    if other_model or previous.centroids.shape[1] != centroids.shape[1]:
        return None
    reference = (mean + previous.mean) / 2
    return _unit(centroids - reference) @ _unit(previous.centroids - reference).T


def rerun_similarity(members: list[np.ndarray], previous: WaveState) -> np.ndarray | None:
    """This run's themes (rows, each its statements' segment ids) against the last run's, by the statements both
    runs have: the Jaccard share of the statements either theme holds among them, 0 where another theme of this
    run holds more of the old theme's statements. None when the last run kept no
    members (an older teema) or the runs share no statement."""
    if not previous.members:
        return None
    old_of = {segment: k for k, theme in enumerate(previous.theme_ids) for segment in previous.members.get(theme, [])}
    now_of = {segment: r for r, ids in enumerate(members) for segment in ids}
    shared = sorted(set(old_of) & set(now_of))
    if not shared:
        return None
    both = np.zeros((len(members), len(previous.theme_ids)))
    rows = np.array([now_of[s] for s in shared])
    cols = np.array([old_of[s] for s in shared])
    np.add.at(both, (rows, cols), 1)
    size_now, size_old = both.sum(axis=1, keepdims=True), both.sum(axis=0, keepdims=True)
    union = size_now + size_old - both
    shares = np.divide(both, union, out=np.zeros_like(both), where=union > 0)
    # An old theme's id (and its edits) may go only to a theme holding the most of its statements now: a large new
    # theme can reach the Jaccard threshold with a third of an old one while another holds more of it.
    return np.where(both >= both.max(axis=0, keepdims=True), shares, 0.0)


def match_themes(fitted_ids: list[str], centroids: np.ndarray, mean: np.ndarray, previous: WaveState | None,
                 threshold: float = MATCH_THRESHOLD, similarity_matrix: np.ndarray | None = None, embedder: str = ""
                 ) -> ThemeMatch:
    """Pair this wave's themes (in `fitted_ids` order, the fitted order) with the previous wave's by content:
    `similarity_matrix` when given (a re-run's shared statements), else the centred centroids (none when the
    previous wave was embedded with another model than `embedder`)."""
    if previous is None:
        return ThemeMatch({t: t for t in fitted_ids}, {}, {}, [], [], list(fitted_ids))
    rename: dict[str, str] = {}
    labels: dict[str, str] = {}
    similarity: dict[str, float] = {}
    sims = similarity_matrix if similarity_matrix is not None else centroid_similarity(centroids, mean, previous,
                                                                                       embedder)
    if len(fitted_ids) and len(previous.theme_ids) and sims is not None:
        rows, cols = linear_sum_assignment(-sims)
        for r, c in zip(rows, cols, strict=True):
            if sims[r, c] >= threshold:
                old = previous.theme_ids[c]
                rename[fitted_ids[r]] = old
                labels[old] = previous.labels[c]
                similarity[old] = round(float(sims[r, c]), 3)
    used = list(dict.fromkeys(previous.used_ids + previous.theme_ids))
    width = max([2] + [len(t) - 1 for t in used])
    following = max([0] + [_number(t) for t in used]) + 1
    new = []
    for fitted in fitted_ids:  # fitted order is largest first, so fresh ids follow size
        if fitted not in rename:
            rename[fitted] = f"T{following:0{width}d}"
            new.append(rename[fitted])
            following += 1
    vanished = [t for t in previous.theme_ids if t not in labels]
    return ThemeMatch(rename, labels, similarity, new, vanished, used + new)


def apply_match(assignments: pd.DataFrame, themes: pd.DataFrame, match: ThemeMatch
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Theme ids (and kept labels) of the study in the assignments and the themes table."""
    assignments = assignments.assign(theme_id=[match.rename.get(t, t) for t in assignments["theme_id"]])
    themes = themes.assign(theme_id=[match.rename.get(t, t) for t in themes["theme_id"]])
    themes["label"] = [match.labels.get(t, label) for t, label in zip(themes["theme_id"], themes["label"],
                                                                        strict=True)]
    themes = themes.sort_values(["mentions", "theme_id"], ascending=[False, True], kind="stable")
    return assignments, themes.reset_index(drop=True)


def match_subthemes(theme_ids: list[str], subtheme_ids: list[str], segment_ids: list[str],
                    previous: WaveState | None, threshold: float = RERUN_THRESHOLD) -> list[str]:
    """Sub-theme ids (row for row) that keep the last run's where a sub-theme of the same theme holds mostly the
    same statements (`rerun_similarity`'s Jaccard share, Hungarian pairing); the others get the theme's next
    unused numbers, largest first. Without a last run's sub-themes, the ids as given."""
    if previous is None or not previous.subtheme_members:
        return list(subtheme_ids)
    frame = pd.DataFrame({"theme": theme_ids, "sub": subtheme_ids, "segment": segment_ids})
    rename: dict[str, str] = {}
    for theme, rows in frame[frame["sub"] != ""].groupby("theme", sort=True):
        current = sorted(set(rows["sub"]), key=lambda s: int(s.rsplit(".", 1)[1]))  # largest first
        old = sorted((s for s in previous.subtheme_members if s.rsplit(".", 1)[0] == theme),
                     key=lambda s: int(s.rsplit(".", 1)[1]))
        matched: dict[str, str] = {}
        if old:
            state = WaveState(previous.wave, 0, old, old, np.zeros((len(old), 0)), np.zeros(0), [],
                              members={s: previous.subtheme_members[s] for s in old})
            sims = rerun_similarity([rows.loc[rows["sub"] == s, "segment"].to_numpy() for s in current], state)
            if sims is not None:
                for r, c in zip(*linear_sum_assignment(-sims), strict=True):
                    if sims[r, c] >= threshold:
                        matched[current[r]] = old[c]
        following = max([0] + [int(s.rsplit(".", 1)[1]) for s in old]) + 1
        for sub in current:
            if sub not in matched:
                matched[sub] = f"{theme}.{following}"
                following += 1
        rename.update(matched)
    return [rename.get(s, s) for s in subtheme_ids]
