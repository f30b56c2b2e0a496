"""The researcher's edits on sub-themes: codebook.csv rows whose id is a sub-theme's (T03.2).

A sub-theme row takes `rename_to` (its label) and `merge_into`: a theme's id moves the sub-theme into that
theme (it becomes that theme's next sub-theme, T05.4), another sub-theme's id joins the two. Pins, splits and
`not_relevant` belong to a theme's row; on a sub-theme row they are reported and not applied. Rows follow their
example statement like theme rows do (`codebook.follow_examples`), so an edit stays on its content when the
numbering changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from pipeline.codebook import Codebook, Edit, EmbedFn, edited_ids, follow_examples
from pipeline.notices import Notice, notice

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


def _number(subtheme_id: str) -> int:
    return int(subtheme_id.rsplit(".", 1)[1])


def apply_subtheme_edits(codebook: Codebook, theme_ids: Sequence[str], subtheme_ids: Sequence[str],
                         vectors: np.ndarray, langs: Sequence[str], embed: EmbedFn,
                         matched: frozenset[str] = frozenset(), refuse: tuple[str, str] = ()) -> SubthemeEdits:
    """The sub-theme rows of the codebook on one run's statements (theme and sub-theme ids row for row); rows of
    sub-themes this run `matched` with the last run stay on their id, the others follow their example (unless
    `refuse` says why not: `codebook.follow_examples`)."""
    themes = np.asarray(theme_ids, dtype=object).copy()
    subs = np.asarray(subtheme_ids, dtype=object).copy()
    result = SubthemeEdits(list(themes), list(subs))
    if not codebook.edits:
        return result
    codebook, moves = follow_examples(codebook, list(subs), vectors, langs, embed, matched, refuse)
    result.stale += moves
    where = codebook.path.name

    def stale(edit: Edit, code: str, **values: object) -> None:
        result.stale.append(notice(f"subtheme.{code}", file=where, line=edit.line, theme=edit.theme_id, **values))

    known_themes = set(themes.tolist()) - {""}
    for edit in sorted(codebook.edits, key=lambda e: e.line):
        members = subs == edit.theme_id
        if not members.any():
            stale(edit, "no_subtheme")
            continue
        if edit.split_examples or edit.stage or edit.polarity or edit.not_relevant:
            stale(edit, "theme_fields")
        label_id = edit.theme_id
        if edit.merge_into and edit.merge_into != themes[members][0]:
            target = edit.merge_into
            if is_subtheme_id(target) and (subs == target).any():
                parent, new_id = themes[subs == target][0], target
            elif target in known_themes:
                taken = [_number(s) for s in set(subs[themes == target].tolist()) if s]
                parent, new_id = target, f"{target}.{max(taken, default=0) + 1}"
            else:
                stale(edit, "merge_missing", target=target)
                parent = ""
            if parent:
                old_theme = themes[members][0]
                themes[members], subs[members] = parent, new_id
                result.notes.setdefault(parent, []).append(f"sub-theme {edit.theme_id} moved in from {old_theme}")
                result.notes.setdefault(old_theme, []).append(f"sub-theme {edit.theme_id} moved to {parent}")
                result.moved = True
                label_id = new_id
        if edit.rename_to:
            result.labels[label_id] = edit.rename_to
    result.theme_ids, result.subtheme_ids = list(themes), list(subs)
    return result
