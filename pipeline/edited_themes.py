"""Themes the researcher edited stay themes when a re-run of the same wave regroups them (issue 17).

A re-run with one more file clusters again, and may fold a theme the researcher renamed (or pinned, or set aside)
into another theme, or spread its statements over several. The edits then had nowhere to go: teema said so and
applied nothing, and the theme was gone from the report and the action table. An edit is a researcher's decision
about those statements, so here the statements an edited theme held in the last run are put back together under
its id, and a statement the last run did not theme that this run put in a theme which gave statements back joins
the edited theme when it is closer to it than to the theme it was in. Statements set aside in this run stay set
aside. The other themes are this run's own.

Left to `pipeline.codebook.follow_statements`: a theme whose statements went mostly to one theme of this run that
has no edit row of its own and of which they are at least half (that theme is the edited one under a new id, and
the edits follow it there), and one whose statements are all gone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.codebook import FOLLOW_SHARE, most_first, statements_fate


@dataclass(frozen=True)
class KeptTheme:
    """An edited theme put back: how many of its last-run statements came back, from where, and how many
    statements new to it joined."""

    theme_id: str
    returned: int
    joined: int
    taken_from: tuple[str, ...]  # the themes of this run its statements had gone to, most first


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def keep_edited_themes(segment_ids: Sequence[str], theme_ids: Sequence[str], vectors: np.ndarray,
                       edited: Iterable[str], last_members: dict[str, list[str]],
                       share: float = FOLLOW_SHARE, min_size: int = 0, first: Iterable[str] = ()
                       ) -> tuple[list[str], list[KeptTheme]]:
    """Theme ids (row for row) with every edited theme this run did not find again put back together.

    `edited`: the theme ids the codebook's rows name; `last_members`: the last run's statements per theme id
    (`pipeline.waves.known_members`). A theme id this run already has is found again and left alone. A theme of
    this run without an edit row that gave statements back and keeps fewer than `min_size` (the study's smallest
    theme) is a remnant, not a theme: its statements join the nearest of the edited themes it gave to. `first`: the
    themes the last run kept this way (its `unplaced`); they take their statements before the fitted themes that
    also list them (the last run's fit had them there, but the researcher saw them in the kept theme)."""
    themes = list(theme_ids)
    row_of = {segment: row for row, segment in enumerate(segment_ids)}
    present = frozenset(themes) - {""}
    kept_before = frozenset(first)
    edited = sorted(set(edited), key=lambda t: (t not in kept_before, t))
    own_rows = frozenset(edited) & present
    size = Counter(t for t in themes if t)
    claimed: set[str] = set()
    kept: list[KeptTheme] = []
    donors: dict[str, set[str]] = {}
    for old in edited:
        if old in present:
            continue
        rows = [row_of[s] for s in last_members.get(old, []) if s in row_of and themes[row_of[s]] and s not in claimed]
        went = most_first(Counter(themes[row] for row in rows))
        if not rows or statements_fate(went, size, own_rows, old, share) in ("moved", "stayed"):
            continue  # one theme of this run under another id: its edits follow it there (codebook.follow_statements)
        for row in rows:
            themes[row] = old
        claimed.update(segment_ids[row] for row in rows)
        taken_from = tuple(t for t, _ in went)
        for donor in taken_from:
            donors.setdefault(donor, set()).add(old)
        kept.append(KeptTheme(old, len(rows), 0, taken_from))
    if not kept:
        return themes, []
    unit = _unit(np.asarray(vectors, dtype=np.float64))
    known = {s for members in last_members.values() for s in members}
    new_rows = [row for row, segment in enumerate(segment_ids) if segment not in known]
    joined = _join_nearest(themes, unit, donors, new_rows, stay=True)
    remnants = Counter(t for t in themes if t in donors and t not in own_rows)
    small = {t: donors[t] for t, n in remnants.items() if n < min_size}
    if small:
        joined += _join_nearest(themes, unit, small, rows_of=None)
    return themes, [KeptTheme(k.theme_id, k.returned, joined.get(k.theme_id, 0), k.taken_from) for k in kept]


def _join_nearest(themes: list[str], unit: np.ndarray, donors: dict[str, set[str]], rows_of: list[int] | None,
                  stay: bool = False) -> Counter:
    """Move each row (`rows_of`, or every row) in a donor theme to the nearest of the edited themes it gave to,
    or, with `stay`, of those and the donor itself (a tie keeps it where it is), by the cosine to each theme's mean
    unit vector. Changes `themes` in place; returns how many joined each edited theme."""
    labels = np.asarray(themes, dtype=object)
    involved = sorted(set(donors) | {k for kept in donors.values() for k in kept})
    centroid = {t: _unit(unit[labels == t].mean(axis=0, keepdims=True))[0] for t in involved if (labels == t).any()}
    joined: Counter = Counter()
    for row in range(len(themes)) if rows_of is None else rows_of:
        theme = labels[row]
        targets = sorted(k for k in donors.get(theme, ()) if k in centroid)
        if not targets:
            continue
        candidates = ([theme] if stay and theme in centroid else []) + targets
        best = candidates[int(np.argmax([float(unit[row] @ centroid[t]) for t in candidates]))]
        if best != theme:
            themes[row] = best
            joined[best] += 1
    return joined


def join_sliver_subthemes(subtheme_ids: Sequence[str], theme_ids: Sequence[str], vectors: np.ndarray,
                          themes: Iterable[str], sliver: int) -> list[str]:
    """Sub-theme ids (row for row) with each sub-theme of `themes` smaller than `sliver` joined to the nearest
    larger sub-theme of the same theme (cosine of mean unit vectors), as the fit nests its sub-themes.

    A theme put back together holds statements from several of this run's fine clusters, so without this its
    drill-down would list many sub-themes of a statement or two."""
    subs = list(subtheme_ids)
    unit = _unit(np.asarray(vectors, dtype=np.float64))
    wanted = set(themes)
    labels = np.asarray(subs, dtype=object)
    for theme in sorted(wanted):
        rows = [row for row, t in enumerate(theme_ids) if t == theme and subs[row]]
        size = Counter(subs[row] for row in rows)
        large = sorted(s for s, n in size.items() if n >= sliver)
        if not large:
            continue
        centroid = {s: _unit(unit[labels == s].mean(axis=0, keepdims=True))[0] for s in size}
        for small in sorted(s for s, n in size.items() if n < sliver):
            nearest = max(large, key=lambda s: (float(centroid[s] @ centroid[small]), s))
            for row in rows:
                if subs[row] == small:
                    subs[row] = nearest
    return subs
