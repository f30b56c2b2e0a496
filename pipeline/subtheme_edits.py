"""The researcher's edits on sub-themes: codebook.csv rows whose id is a sub-theme's (T03.2).

A sub-theme row takes what a theme row takes (issue 13): `rename_to` (its label); `merge_into` a theme's id moves
the sub-theme into that theme (it becomes that theme's next sub-theme, T05.4), another sub-theme's id joins the
two; `stage` and `polarity` pin its statements (over its theme's pins); `not_relevant` keeps its statements out
of every issue; two or more rows with `split_examples` cut it into new sub-themes of the same theme, each taking
only the statements close to its examples (the rest stay). Rows follow their example statement like theme rows
do (`codebook.follow_examples`), so an edit stays on its content when the numbering changes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from pipeline.codebook import (
    FOLLOW_SHARE,
    Codebook,
    Edit,
    EmbedFn,
    edited_ids,
    follow_examples,
    split_by_examples,
)
from pipeline.notices import Notice, notice
from pipeline.tagging import LabelSet

_SUB_ID = re.compile(r"^T\d+[a-z]?\.\d+$")


def is_subtheme_id(value: str) -> bool:
    return bool(_SUB_ID.match(value))


def split_levels(codebook: Codebook) -> tuple[Codebook, Codebook]:
    """(the rows on themes, the rows on sub-themes) of one codebook file."""
    def only(keep) -> Codebook:
        return Codebook(codebook.path, [e for e in codebook.edits if keep(e.theme_id)],
                        {t for t in codebook.theme_ids if keep(t)},
                        {t: x for t, x in codebook.examples.items() if keep(t)})

    return only(lambda t: not is_subtheme_id(t)), only(is_subtheme_id)


def theme_edit_ids(codebook: Codebook | None) -> list[str]:
    """The theme ids (not sub-theme ids) the codebook's edits name; [] without a codebook."""
    return edited_ids(split_levels(codebook)[0]) if codebook is not None else []


@dataclass
class SubthemeEdits:
    theme_ids: list[str]  # each statement's theme after the moves
    subtheme_ids: list[str]  # and its sub-theme
    labels: dict[str, str] = field(default_factory=dict)  # sub-theme id -> the researcher's label
    notes: dict[str, list[str]] = field(default_factory=dict)  # theme id -> what the sub-theme edits did to it
    stale: list[Notice] = field(default_factory=list)  # rows not applied (pipeline.notices)
    moved: bool = False
    stage_pins: dict[str, str] = field(default_factory=dict)  # sub-theme id -> stage id its statements take
    polarity_pins: dict[str, str] = field(default_factory=dict)
    not_relevant: set[str] = field(default_factory=set)  # sub-themes whose statements no issue counts
    split: dict[str, list[str]] = field(default_factory=dict)  # sub-theme id -> the ids of its parts


def carry_folded_edits(folded: Sequence[tuple[Edit, Notice]], members: dict[str, list[str]],
                       segment_ids: Sequence[str], subtheme_ids: Sequence[str], taken: frozenset[str] = frozenset(),
                       share: float = FOLLOW_SHARE) -> tuple[list[Edit], list[Notice]]:
    """The edits of themes a re-run folded into another theme, moved onto the sub-theme that now holds their
    statements, with what to tell the researcher.

    A re-run may make a theme the researcher edited one sub-theme of a larger theme; its rename, pins and not
    relevant still fit those statements, so they apply to that sub-theme when it holds at least `share` of the
    statements the theme held (those still in a sub-theme) and they are at least `share` of it, and the sub-theme
    has no row of its own (`taken`). Otherwise the folded notice stands and nothing is applied."""
    now = dict(zip(segment_ids, subtheme_ids, strict=True))
    size = Counter(s for s in subtheme_ids if s)
    carried: list[Edit] = []
    notices: list[Notice] = []
    placed: dict[str, str] = {}
    for edit, folded_notice in folded:
        old = edit.theme_id
        if old not in placed:
            went = Counter(now[s] for s in members.get(old, []) if now.get(s))
            ranked = sorted(went.items(), key=lambda item: (-item[1], item[0]))
            target = ""
            if ranked:
                sub, n = ranked[0]
                if n >= share * sum(went.values()) and n >= share * size[sub] and sub not in taken \
                        and sub not in placed.values():
                    target = sub
                    notices.append(notice("codebook.folded_subtheme", file=folded_notice.params.get("file", ""),
                                          old=old, new=sub.rsplit(".", 1)[0], sub=sub, n=n,
                                          total=len(members.get(old, []))))
            if not target:
                notices.append(folded_notice)
            placed[old] = target
        if placed[old]:
            carried.append(replace(edit, theme_id=placed[old]))
    return carried, notices


def _number(subtheme_id: str) -> int:
    return int(subtheme_id.rsplit(".", 1)[1])


def _next_id(theme: str, subs: np.ndarray, themes: np.ndarray) -> str:
    taken = [_number(s) for s in set(subs[themes == theme].tolist()) if s]
    return f"{theme}.{max(taken, default=0) + 1}"


def apply_subtheme_edits(codebook: Codebook, theme_ids: Sequence[str], subtheme_ids: Sequence[str],
                         vectors: np.ndarray, langs: Sequence[str], embed: EmbedFn,
                         matched: frozenset[str] = frozenset(), refuse: tuple[str, str] = (),
                         stages: LabelSet | None = None, polarity: LabelSet | None = None) -> SubthemeEdits:
    """The sub-theme rows of the codebook on one run's statements (theme and sub-theme ids row for row): split,
    then move or merge, rename, pin (`stages`, `polarity`: the label sets a pin names) and set aside, as for a
    theme's rows. Rows of sub-themes this run `matched` with the last run stay on their id, the others follow
    their example (unless `refuse` says why not: `codebook.follow_examples`)."""
    themes = np.asarray(theme_ids, dtype=object).copy()
    subs = np.asarray(subtheme_ids, dtype=object).copy()
    result = SubthemeEdits(list(themes), list(subs))
    if not codebook.edits:
        return result
    codebook, moves = follow_examples(codebook, list(subs), vectors, langs, embed, matched, refuse)
    result.stale += moves
    where = codebook.path.name

    def stale(edit: Edit, code: str, **values: object) -> None:
        result.stale.append(notice(code if "." in code else f"subtheme.{code}", file=where, line=edit.line,
                                   theme=edit.theme_id, **values))

    def note(theme: str, text: str) -> None:
        result.notes.setdefault(theme, []).append(text)

    by_sub: dict[str, list[Edit]] = {}
    for edit in sorted(codebook.edits, key=lambda e: e.line):
        if not (subs == edit.theme_id).any():
            stale(edit, "no_subtheme")
            continue
        by_sub.setdefault(edit.theme_id, []).append(edit)
    languages = np.asarray(langs, dtype=object)
    row_of: dict[str, Edit] = {}  # sub-theme id -> the row whose move, rename, pins and not_relevant apply to it
    for sub_id in sorted(by_sub, key=lambda s: (s.rsplit(".", 1)[0], _number(s))):
        edits = by_sub[sub_id]
        parts = [e for e in edits if e.split_examples]
        rest = [e for e in edits if not e.split_examples]
        if len(parts) == 1:
            stale(parts[0], "codebook.split_one_row")
        if len(parts) < 2:
            row_of[sub_id] = edits[-1]
            for earlier in edits[:-1]:
                stale(earlier, "codebook.same_theme", other_line=edits[-1].line)
            continue
        members = np.flatnonzero(subs == sub_id)
        theme = themes[members][0]
        chosen = np.array(split_by_examples(parts, members, vectors, languages, embed))
        for k, part in enumerate(parts):
            part_id = _next_id(theme, subs, themes)
            subs[members[chosen == k]] = part_id
            row_of[part_id] = part
            result.split.setdefault(sub_id, []).append(part_id)
        note(theme, f"sub-theme {sub_id} split into {', '.join(result.split[sub_id])}")
        stayed = int((chosen == -1).sum())
        if stayed:  # the rest keeps the sub-theme's id; a row of its own without examples edits it
            note(theme, f"sub-theme {sub_id}: {stayed} statements close to no part's examples stay")
            if rest:
                row_of[sub_id] = rest[-1]
        for other in rest[:-1] if stayed else rest:
            stale(other, "codebook.split_rest_rows" if stayed else "codebook.split_none_stayed")
        result.moved = True

    known_themes = set(themes.tolist()) - {""}
    for sub_id, edit in row_of.items():
        members = subs == sub_id
        label_id = sub_id
        if edit.merge_into and edit.merge_into != themes[members][0]:
            target = edit.merge_into
            if is_subtheme_id(target) and (subs == target).any():
                parent, new_id = themes[subs == target][0], target
            elif target in known_themes:
                parent, new_id = target, _next_id(target, subs, themes)
            else:
                stale(edit, "merge_missing", target=target)
                parent = ""
            if parent:
                old_theme = themes[members][0]
                themes[members], subs[members] = parent, new_id
                note(parent, f"sub-theme {sub_id} moved in from {old_theme}")
                note(old_theme, f"sub-theme {sub_id} moved to {parent}")
                result.moved = True
                label_id = new_id
                if new_id == target:  # joined another sub-theme: that one's row edits the whole
                    if edit.rename_to or edit.stage or edit.polarity or edit.not_relevant:
                        stale(edit, "codebook.merged_edits")
                    continue
        theme = themes[subs == label_id][0]
        if edit.rename_to:
            result.labels[label_id] = edit.rename_to
        for value, label_set, pins, column in ((edit.stage, stages, result.stage_pins, "stage"),
                                               (edit.polarity, polarity, result.polarity_pins, "polarity")):
            if not value:
                continue
            label = label_set.find(value) if label_set is not None else None
            if label is None:
                allowed = ", ".join(label_set.ids) if label_set is not None else "-"
                stale(edit, "codebook.not_pinned", column=column, value=value, allowed=allowed)
                continue
            pins[label_id] = label
            note(theme, f"sub-theme {label_id}: {column} pinned")
        if edit.not_relevant:
            result.not_relevant.add(label_id)
            note(theme, f"sub-theme {label_id} not relevant")
    result.theme_ids, result.subtheme_ids = list(themes), list(subs)
    return result
