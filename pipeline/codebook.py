"""The researcher's codebook: theme edits kept in a spreadsheet-friendly CSV in the study folder.

teema writes `codebook.csv` after the first run, one row per theme. A researcher fills in, per row:
`rename_to` (a new label), `merge_into` (another theme's id), `split_examples` (statements separated by
' | '; two or more rows with the same theme_id split that theme, each row one part), `stage` / `polarity`
(pin them for the whole theme; an id or a Finnish or English name), `not_relevant` (x, yes, kyllä, 1).
Every run applies the edits; edits that no longer match a theme are reported, never silently dropped.
Finnish headers (teema_id, uusi_nimi, yhdistä, jaa_esimerkein, vaihe, suunta, ei_olennainen) work too.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.corpus.decode import decode_text
from pipeline.corpus.feedback import csv_records
from pipeline.corpus.problems import ReadError
from pipeline.notices import Notice, notice
from pipeline.tagging import LabelSet

CODEBOOK_FILE = "codebook.csv"
COLUMNS = ["theme_id", "label", "respondents", "mentions", "example", "rename_to", "merge_into", "split_examples",
           "stage", "polarity", "not_relevant", "note"]
EDIT_COLUMNS = ("rename_to", "merge_into", "split_examples", "stage", "polarity", "not_relevant")
ALIASES = {
    "theme_id": ("teema_id", "teema", "theme"),
    "rename_to": ("uusi_nimi", "nimea", "rename"),
    "merge_into": ("yhdista", "yhdista_teemaan", "merge"),
    "split_examples": ("jaa_esimerkein", "jaa", "split"),
    "stage": ("vaihe",),
    "polarity": ("suunta", "onnistuminen"),
    "not_relevant": ("ei_olennainen", "ei_relevantti", "ei_kiinnosta"),
}
YES = {"x", "1", "yes", "y", "true", "kyllä", "kylla", "k", "joo"}
SPLIT_SEPARATOR = "|"

EmbedFn = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Edit:
    """One codebook row with something filled in; `line` is its line in the file, for messages."""

    line: int
    theme_id: str
    rename_to: str = ""
    merge_into: str = ""
    split_examples: tuple[str, ...] = ()
    stage: str = ""
    polarity: str = ""
    not_relevant: bool = False


@dataclass
class Codebook:
    path: Path
    edits: list[Edit]
    theme_ids: set[str]  # every theme id the file has a row for, edited or not
    examples: dict[str, str] = field(default_factory=dict)  # theme id -> the example statement its row shows


@dataclass
class CodebookResult:
    """Themes after the edits, and what to tell the researcher."""

    theme_of: dict[str, str]  # segment_id -> final theme id, for segments whose theme changed
    labels: dict[str, str]  # final theme id -> label a researcher gave
    stage_pins: dict[str, str] = field(default_factory=dict)
    polarity_pins: dict[str, str] = field(default_factory=dict)
    not_relevant: set[str] = field(default_factory=set)
    notes: dict[str, list[str]] = field(default_factory=dict)  # final theme id -> edits applied to it
    stale: list[Notice] = field(default_factory=list)  # edits that match nothing, with file:line
    merged: dict[str, str] = field(default_factory=dict)  # theme id -> the theme it was merged into (chains followed)
    split: dict[str, list[str]] = field(default_factory=dict)  # theme id -> the ids of its parts


def _normalise(header: str) -> str:
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a", " ": "_", "-": "_"})
    return header.strip().casefold().translate(table)


def _column_names(headers: list[str]) -> dict[str, str]:
    """Our column name for each header the file has (English or Finnish)."""
    found = {}
    for header in headers:
        key = _normalise(header)
        for column in COLUMNS:
            if key == column or key in ALIASES.get(column, ()):
                found.setdefault(column, header)
    return found


_THEME_ID = re.compile(r"^[Tt](\d+)([A-Za-z]?)(\.\d+)?$")


def theme_key(value: str) -> str:
    """A theme id as teema writes it, however it was typed: "t03" is T03, a split part keeps its small
    letter ("T03A" is T03a), a sub-theme its number ("t03.2" is T03.2)."""
    match = _THEME_ID.match(value.strip())
    return f"T{match.group(1)}{match.group(2).lower()}{match.group(3) or ''}" if match else value.strip()


def read_codebook(path: Path) -> Codebook | None:
    """The edits in a codebook file, or None when the study has none yet. ReadError names what is wrong."""
    if not path.is_file():
        return None
    text = decode_text(path.read_bytes())
    headers, records = csv_records(text)
    names = _column_names(headers)
    if "theme_id" not in names:
        raise ReadError("has no theme_id column; keep the header row teema wrote (theme_id, label, rename_to, ...)")
    edits, theme_ids, example_of = [], set(), {}
    for line, row in records:
        cell = {column: " ".join(row.get(header, "").split()) for column, header in names.items()}
        theme_id = theme_key(cell["theme_id"])
        if not theme_id:
            continue
        theme_ids.add(theme_id)
        if cell.get("example"):
            example_of.setdefault(theme_id, cell["example"])
        if not any(cell.get(column) for column in EDIT_COLUMNS):
            continue
        raw_split = row.get(names.get("split_examples", ""), "")
        examples = tuple(part.strip() for part in raw_split.replace("\n", SPLIT_SEPARATOR).split(SPLIT_SEPARATOR)
                         if part.strip())
        edits.append(Edit(line, theme_id, cell.get("rename_to", ""), theme_key(cell.get("merge_into", "")), examples,
                          cell.get("stage", ""), cell.get("polarity", ""),
                          cell.get("not_relevant", "").casefold() in YES))
    return Codebook(path, edits, theme_ids, example_of)


def edited_ids(codebook: Codebook) -> list[str]:
    """The ids the codebook's edits name: the edited rows' and their merge targets', sorted."""
    return sorted({e.theme_id for e in codebook.edits} | {e.merge_into for e in codebook.edits if e.merge_into})


def follow_examples(codebook: Codebook, theme_ids: Sequence[str], vectors: np.ndarray, langs: Sequence[str],
                    embed: EmbedFn, matched: frozenset[str] = frozenset(), refuse: tuple[str, str] = ()
                    ) -> tuple[Codebook, list[Notice]]:
    """The codebook with each row's theme id moved to the theme that now holds its example statement.

    Theme ids are numbers by size: a run with no earlier run to match (a codebook from an older teema, a report
    folder deleted) can give a theme's id to another theme. A row's example says what the researcher saw
    when they typed the edit, so its edits follow the theme nearest the example (by the same centred cosine
    as a split), and each move is said. A row without an example, and a row whose id this run `matched` by
    content with the last run (pipeline.waves), keeps its id.

    `refuse` (the last run's embedder and this run's, when they differ) applies none of the edits that would
    follow their example: one sentence is too weak a sign when another model grouped the statements anew (issue
    17: with the static embedder an example put a rename on a theme of other talk), so each such row is said, not
    moved."""
    ids = np.asarray(theme_ids, dtype=object)
    current = sorted(set(ids.tolist()) - {""})
    edited = edited_ids(codebook)
    asked = [t for t in edited if codebook.examples.get(t) and t not in matched]
    if not current or not asked:
        return codebook, []
    if refuse:
        where = codebook.path.name
        notices = [notice("codebook.other_embedder", file=where, old=old, last=refuse[0], now=refuse[1])
                   for old in asked]
        edits = []
        for e in (e for e in codebook.edits if e.theme_id not in asked):
            if e.merge_into in asked:  # the row's own edits stand; only the merge has nowhere to go
                notices.append(notice("codebook.merge_refused", file=where, line=e.line, theme=e.theme_id,
                                      target=e.merge_into, last=refuse[0], now=refuse[1]))
                e = dataclasses.replace(e, merge_into="")
            edits.append(e)
        return dataclasses.replace(codebook, edits=edits), notices
    languages = np.asarray(langs, dtype=object)
    from pipeline.corpus.language import detect_language

    means = {lang: vectors[languages == lang].mean(axis=0) for lang in np.unique(languages)}
    overall = vectors.mean(axis=0)
    points = _unit(vectors.astype(np.float64) - np.stack([means[lang] for lang in languages]))
    centroids = _unit(np.stack([points[ids == t].mean(axis=0) for t in current]))
    examples = [codebook.examples[t] for t in asked]
    example_vectors = embed(examples).astype(np.float64)
    example_vectors -= np.stack([means.get(detect_language(text), overall) for text in examples])
    nearest = (_unit(example_vectors) @ centroids.T).argmax(axis=1)
    moved = {old: current[k] for old, k in zip(asked, nearest, strict=True) if current[k] != old}
    if not moved:
        return codebook, []
    where = codebook.path.name
    notices = [notice("codebook.follows_example", file=where, old=old, new=new) for old, new in sorted(moved.items())]
    edits = [dataclasses.replace(e, theme_id=moved.get(e.theme_id, e.theme_id),
                                 merge_into=moved.get(e.merge_into, e.merge_into)) for e in codebook.edits]
    return dataclasses.replace(codebook, edits=edits), notices


FOLLOW_SHARE = 0.5  # a theme the last run's statements of an edited theme mostly went to takes its edits


def statements_went(members: Sequence[str], now: dict[str, str]) -> list[tuple[str, int]]:
    """The themes of this run that hold an old theme's statements (`members`; `now`: theme per statement, '' for
    none), with how many each holds: most first, ties by theme id."""
    return most_first(Counter(now[s] for s in members if now.get(s)))


def most_first(counts: Counter) -> list[tuple[str, int]]:
    """(theme, count) pairs, the largest count first, ties by theme id: the same order on every run."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def statements_fate(went: list[tuple[str, int]], size: dict[str, int] | Counter, own_rows: frozenset[str] | set[str],
                    old: str, share: float = FOLLOW_SHARE) -> str:
    """What became of an edited theme the run did not match, from where its statements went (`statements_went`):
    "gone" (none is in a theme), "spread" (no theme holds `share` of them), "folded" (into a theme with its own
    row, or of which they are less than `share`), "moved" (they are one theme of this run under another id) or
    "stayed" (under its own id). The codebook's rows follow a "moved" theme; `pipeline.edited_themes` keeps the
    others' statements together."""
    if not went:
        return "gone"
    top, n = went[0]
    if n < share * sum(count for _, count in went):
        return "spread"
    if top != old and (top in own_rows or n < share * size[top]):
        return "folded"
    return "moved" if top != old else "stayed"


def follow_statements(codebook: Codebook, members: dict[str, list[str]], segment_ids: Sequence[str],
                      theme_ids: Sequence[str], matched: frozenset[str] = frozenset()
                      ) -> tuple[Codebook, list[Notice], frozenset[str]]:
    """The codebook with the rows of themes this run did not match moved to where their statements went.

    `members` are the last run's themes' statements (segment ids). An edited theme that was not matched (the
    re-run folded it into another theme, or another embedder grouped the statements otherwise) takes the theme
    that now holds at least half of its statements still in a theme, if they are at least half of that theme and
    it has no row of its own; when they are spread wider, folded into a larger or an edited theme, or none is in a
    theme, its edits are not applied and the notice says so, so an edit never lands on a theme it was not meant
    for. `members` also holds the edited themes an earlier re-run lost (`waves.known_members`), so their edits
    stay off other themes in every later re-run instead of following their example statement.
    Returns (codebook, notices, the ids handled here: the rest may still follow their example)."""
    now = dict(zip(segment_ids, theme_ids, strict=True))
    size = Counter(theme_ids)
    edited = edited_ids(codebook)
    own_rows = {e.theme_id for e in codebook.edits if e.theme_id in matched}  # current themes with their own row
    where = codebook.path.name
    moved: dict[str, str] = {}
    dropped: dict[str, Notice] = {}
    stayed: set[str] = set()
    for old in (t for t in edited if t not in matched and members.get(t)):
        went = statements_went(members[old], now)
        fate = statements_fate(went, size, own_rows, old)
        if fate == "gone":  # its statements are gone or set aside: no theme holds what the edit was typed for
            dropped[old] = notice("codebook.statements_gone", file=where, old=old, n=len(members[old]))
        elif fate == "spread":
            spread = ", ".join(f"{theme} ({n})" for theme, n in went[:3])
            dropped[old] = notice("codebook.spread_more" if len(went) > 3 else "codebook.spread", file=where,
                                  old=old, spread=spread)
        elif fate == "folded":
            # folded into a theme that has its own row, or of which it is a small part: its edits would rename
            # (or set aside) much more than the researcher saw, so they are not applied
            new, n = went[0]
            dropped[old] = notice("codebook.folded", file=where, old=old, new=new, n=n, total=size[new])
        elif fate == "moved":
            moved[old] = went[0][0]
        else:
            stayed.add(old)
    notices = [notice("codebook.follows_statements", file=where, old=old, new=new)
               for old, new in sorted(moved.items())] + [dropped[old] for old in sorted(dropped)]
    edits = [dataclasses.replace(e, theme_id=moved.get(e.theme_id, e.theme_id),
                                 merge_into=moved.get(e.merge_into, e.merge_into))
             for e in codebook.edits if e.theme_id not in dropped]
    handled = frozenset(moved) | frozenset(moved.values()) | frozenset(dropped) | frozenset(stayed)
    return dataclasses.replace(codebook, edits=edits), notices, handled


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


SPLIT_OUTSIDE_QUANTILE = 0.95  # a part takes a statement closer to its examples than this share of other themes'


def split_by_examples(parts: list[Edit], members: np.ndarray, vectors: np.ndarray, langs: np.ndarray, embed: EmbedFn
           ) -> list[int]:
    """For each member statement, the part whose example statements are most like it, or -1 when it is not close
    to any part's examples: it stays in the theme.

    Close means more like the part's nearest example than 95% of the statements outside the theme are, so a part
    takes the statements its examples speak of and the rest of the theme stays as it was. Statements and examples
    are centred by language first, as for clustering: raw multilingual cosines favour the same language over the
    same meaning."""
    from pipeline.corpus.language import detect_language

    examples = [text for part in parts for text in part.split_examples]
    owner = np.array([k for k, part in enumerate(parts) for _ in part.split_examples])
    means = {lang: vectors[langs == lang].mean(axis=0) for lang in np.unique(langs)}
    overall = vectors.mean(axis=0)
    example_vectors = _unit(embed(examples).astype(np.float64)
                            - np.stack([means.get(detect_language(text), overall) for text in examples]))
    points = _unit(vectors.astype(np.float64) - np.stack([means[lang] for lang in langs]))
    outside = np.setdiff1d(np.arange(len(vectors)), members)
    similarity = points[members] @ example_vectors.T
    nearest = similarity.argmax(axis=1)
    if len(outside):
        bar = np.quantile(points[outside] @ example_vectors.T, SPLIT_OUTSIDE_QUANTILE, axis=0)
    else:  # the theme is the whole study: nothing to compare with but a cosine of zero
        bar = np.zeros(len(examples))
    close = similarity[np.arange(len(members)), nearest] >= np.maximum(bar[nearest], 0.0)
    return [int(owner[k]) if ok else -1 for k, ok in zip(nearest, close, strict=True)]


def apply_codebook(
    segment_ids: Sequence[str], theme_ids: Sequence[str], vectors: np.ndarray, codebook: Codebook,
    stages: LabelSet, polarity: LabelSet, embed: EmbedFn, langs: Sequence[str] | None = None,
) -> CodebookResult:
    """The codebook's edits on one run's themes: split, then merge, rename, pin and set aside.

    `segment_ids`, `theme_ids`, `vectors` and `langs` are the coded statements row for row. Split parts get the
    theme's id with a letter (T03a, T03b); a merged theme's statements take the target's id.
    """
    where = codebook.path.name
    theme_ids = np.asarray(theme_ids, dtype=object)
    existing = set(theme_ids) - {""}
    result = CodebookResult({}, {})
    final = theme_ids.copy()

    def note(theme_id: str, text: str) -> None:
        result.notes.setdefault(theme_id, []).append(text)

    def stale(edit: Edit, code: str, **values: object) -> None:
        result.stale.append(notice(f"codebook.{code}", file=where, line=edit.line, theme=edit.theme_id, **values))

    by_theme: dict[str, list[Edit]] = {}
    split_rows: dict[str, int] = {}  # theme id -> line of its first split row
    for edit in codebook.edits:
        if edit.split_examples:
            split_rows.setdefault(edit.theme_id, edit.line)
    for edit in codebook.edits:
        if edit.theme_id not in existing:
            base = edit.theme_id[:-1]
            if edit.theme_id[-1:].islower() and base in split_rows:
                stale(edit, "split_part", base=base, first_line=split_rows[base])
            else:
                stale(edit, "no_theme")
            continue
        by_theme.setdefault(edit.theme_id, []).append(edit)

    row_of: dict[str, Edit] = {}  # final theme id -> the row whose rename/pins/not_relevant apply to it
    for theme_id in sorted(by_theme):
        edits = by_theme[theme_id]
        parts = [e for e in edits if e.split_examples]
        if len(parts) == 1:
            stale(parts[0], "split_one_row")
        if len(parts) >= 2:
            members = np.flatnonzero(theme_ids == theme_id)
            languages = np.asarray(langs if langs is not None else ["fi"] * len(theme_ids), dtype=object)
            chosen = np.array(split_by_examples(parts, members, vectors, languages, embed))
            for k, part in enumerate(parts):
                part_id = f"{theme_id}{chr(ord('a') + k)}"
                final[members[chosen == k]] = part_id
                row_of[part_id] = part
                note(part_id, f"split from {theme_id}")
                result.split.setdefault(theme_id, []).append(part_id)
            stayed = int((chosen == -1).sum())
            rest = [e for e in edits if not e.split_examples]
            if stayed:  # the rest of the theme keeps its id; a row of its own without examples edits it
                note(theme_id, f"split: {stayed} statements close to no part's examples stay")
                if rest:
                    row_of[theme_id] = rest[-1]
            for other in rest[:-1] if stayed else rest:
                stale(other, "split_rest_rows" if stayed else "split_none_stayed")
        else:
            row_of[theme_id] = edits[-1]
            for earlier in edits[:-1]:
                stale(earlier, "same_theme", other_line=edits[-1].line)

    known = set(final) - {""}
    target_of = {}
    for theme_id, edit in row_of.items():
        if not edit.merge_into:
            continue
        if edit.merge_into == theme_id:
            continue
        if edit.merge_into not in known:
            stale(edit, "merge_missing", target=edit.merge_into)
            continue
        target_of[theme_id] = edit.merge_into
    for theme_id in sorted(target_of):
        target, seen = target_of[theme_id], {theme_id}
        while target in target_of and target not in seen:  # follow chains: A into B, B into C
            seen.add(target)
            target = target_of[target]
        if target in seen:
            stale(row_of[theme_id], "merge_circle", target=target_of[theme_id])
            continue
        final[final == theme_id] = target
        note(target, f"merged {theme_id}")
        result.merged[theme_id] = target

    for theme_id, edit in sorted(row_of.items()):
        if theme_id in target_of and target_of[theme_id] in set(final):
            if edit.rename_to or edit.stage or edit.polarity or edit.not_relevant:
                stale(edit, "merged_edits")
            continue
        if edit.rename_to:
            result.labels[theme_id] = edit.rename_to
            note(theme_id, "renamed")
        for value, label_set, pins, column in ((edit.stage, stages, result.stage_pins, "stage"),
                                               (edit.polarity, polarity, result.polarity_pins, "polarity")):
            if not value:
                continue
            label_id = label_set.find(value)
            if label_id is None:
                stale(edit, "not_pinned", column=column, value=value, allowed=", ".join(label_set.ids))
                continue
            pins[theme_id] = label_id
            note(theme_id, f"{column} pinned")
        if edit.not_relevant:
            result.not_relevant.add(theme_id)
            note(theme_id, "not relevant")

    result.theme_of = {sid: new for sid, old, new in zip(segment_ids, theme_ids, final, strict=True) if new != old}
    return result


def codebook_rows(themes: pd.DataFrame, example_of: dict[str, str]) -> list[dict[str, str]]:
    """A starting row per theme: what teema found, and empty cells for the researcher.

    Parts of a split have no row of their own: the split rows that made them already edit them."""
    notes = themes["codebook"] if "codebook" in themes else pd.Series([""] * len(themes), index=themes.index)
    return [{"theme_id": t.theme_id, "label": t.label, "respondents": str(t.respondents),
             "mentions": str(t.mentions), "example": example_of.get(t.theme_id, "")}
            for t, note in zip(themes.itertuples(index=False), notes, strict=True) if "split from" not in note]


def write_codebook(path: Path, rows: list[dict[str, str]], delimiter: str = ",", now: datetime | None = None
                   ) -> tuple[int, Path | None]:
    """Write a new codebook, or add rows for themes it lacks to the researcher's file.

    An existing file keeps every cell, column and row it had; it is backed up before it is replaced.
    Returns (rows added, backup path or None).
    """
    from pipeline.report.writers import neutralise_formula, write_text_atomic

    if not path.exists():
        out = io.StringIO()
        writer = csv.DictWriter(out, COLUMNS, delimiter=delimiter, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({k: neutralise_formula(v) for k, v in row.items()} for row in rows)
        write_text_atomic(path, out.getvalue(), encoding="utf-8-sig")
        return len(rows), None
    raw = path.read_bytes()
    codebook = read_codebook(path)
    present = codebook.theme_ids if codebook else set()
    missing = [row for row in rows if row["theme_id"] not in present]
    if not missing:
        return 0, None
    text = decode_text(raw)
    headers, _ = csv_records(text)
    names = _column_names(headers)
    file_delimiter = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t").delimiter
    newline = "\r\n" if b"\r\n" in raw else "\n"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=file_delimiter, lineterminator=newline)
    for row in missing:
        writer.writerow([neutralise_formula(row.get(_column_of(header, names), "")) for header in headers])
    # Appended in the file's own encoding and line endings: the bytes the researcher saved stay as they were.
    encoding = _encoding_of(raw)
    addition = ("" if raw.endswith(b"\n") else newline) + out.getvalue()
    backup = _backup(path, now or datetime.now())
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(raw + addition.encode(encoding, errors="replace"))
    temp.replace(path)
    return len(missing), backup


def _encoding_of(raw: bytes) -> str:
    if raw.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if raw.startswith(b"\xfe\xff"):
        return "utf-16-be"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _backup(path: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    backup, number = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}"), 2
    while backup.exists():
        backup = path.with_name(f"{path.stem}.backup-{stamp}-{number}{path.suffix}")
        number += 1
    shutil.copy2(path, backup)
    return backup


def _column_of(header: str, names: dict[str, str]) -> str:
    return next((column for column, name in names.items() if name == header), "")


def themes_after_edits(coded: pd.DataFrame, vectors: np.ndarray, themes: pd.DataFrame, result: CodebookResult,
                       n_quotes: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    """The themes table and each statement's similarity to its theme, recomputed for the edited themes.

    `coded` (segment_id, text, lang, respondent_id, theme_id after the edits) and `vectors` row for row.
    Unedited themes keep their label (it may be a label kept from an earlier wave); renames come after,
    in `annotate_themes`.
    """
    from pipeline.themes import centre_by_language, content_order, describe_themes, similarity_to_theme

    order = content_order(coded)  # as fit_themes: file order and names never matter
    rows = coded.iloc[order].reset_index(drop=True)
    points = centre_by_language(vectors[order], rows["lang"].to_numpy())
    ids = sorted(set(rows["theme_id"]) - {""})
    numbers = np.array([ids.index(t) if t else -1 for t in rows["theme_id"]])
    similarity = np.empty(len(rows))
    similarity[order] = similarity_to_theme(points, numbers)
    table = describe_themes(rows, points, n_quotes)
    kept = dict(zip(themes["theme_id"], themes["label"], strict=True))
    table["label"] = [kept.get(t, label) for t, label in zip(table["theme_id"], table["label"], strict=True)]
    table = table.sort_values(["mentions", "theme_id"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True), np.round(similarity, 4)


def annotate_themes(themes: pd.DataFrame, result: CodebookResult | None,
                    subtheme_notes: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Labels the researcher gave, what the codebook did to each theme (its sub-theme rows too), and whether it
    is ranked.

    Every run gets the two columns, with or without a codebook, so the tables have one shape."""
    themes = themes.copy()
    if result is not None:
        themes["label"] = [result.labels.get(t, label) for t, label in zip(themes["theme_id"], themes["label"],
                                                                           strict=True)]
    notes = {t: [*(result.notes.get(t, []) if result else []), *((subtheme_notes or {}).get(t, []))]
             for t in themes["theme_id"]}
    themes["codebook"] = ["; ".join(notes[t]) for t in themes["theme_id"]]
    themes["relevant"] = [not result or t not in result.not_relevant for t in themes["theme_id"]]
    return themes
