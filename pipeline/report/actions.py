"""The workshop's action table, `actions.xlsx` in the study folder, merged run after run.

One row per ranked failure: Issue · How do we fix it? · What resources does it need? · By when? ·
Who owns it? · Status, with its rank, stage, respondents and a quote. The file is the researchers'
own: a re-run appends new issues at the bottom, refreshes only teema's own columns (Rank,
Respondents, Latest run; Issue when codebook.csv renames the theme) of the rows it knows, marks issues it no
longer finds in "Latest run" (saying when codebook.csv merged, split or set aside their theme), and never changes,
reorders or deletes anything else; a new row of a split or merged theme takes what was typed on the row it came
from. Rows are matched by the Issue key column (theme-stage-polarity), found by its header in either language;
theme ids stay on their content from run to run (pipeline.waves matches each run with the last one). The
previous file is copied to `actions.backup-<time>.xlsx` before it is replaced, and nothing is written when
nothing changed.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.report.tables import stage_name
from pipeline.report.writers import FORMULA_PREFIXES
from pipeline.tagging import LabelSet

ACTIONS_FILE = "actions.xlsx"
BACKUP_PATTERN = "actions.backup-*.xlsx"
KEEP_BACKUPS = 20  # the newest backups kept of actions.xlsx (and of codebook.csv); older ones are deleted
# Files a spreadsheet keeps beside a workbook it has open: Excel's owner file, LibreOffice's lock.
LOCK_FILES = ("~${name}", ".~lock.{name}#")
TEMP_PATTERN = ".actions.*.xlsx.tmp"  # _save's temporary file, left behind when a run is killed
FIELDS = ("rank", "issue", "stage", "respondents", "quote", "fix", "resources", "due", "owner", "status",
          "first_seen", "latest", "key")
HUMAN = ("fix", "resources", "due", "owner", "status")
REFRESHED = ("rank", "respondents", "latest", "target")  # and "issue" for a theme renamed in codebook.csv
HEADERS: dict[str, dict[str, str]] = {
    "rank": {"en": "Rank", "fi": "Sija"},
    "issue": {"en": "Issue", "fi": "Havainto"},
    "stage": {"en": "Stage", "fi": "Vaihe"},
    "respondents": {"en": "Respondents", "fi": "Vastaajia"},
    "quote": {"en": "Example quote", "fi": "Esimerkkilainaus"},
    "fix": {"en": "How do we fix it?", "fi": "Miten korjaamme sen?"},
    "resources": {"en": "What resources does it need?", "fi": "Mitä resursseja se vaatii?"},
    "due": {"en": "By when?", "fi": "Mihin mennessä?"},
    "owner": {"en": "Who owns it?", "fi": "Kuka vastaa?"},
    "status": {"en": "Status", "fi": "Tila"},
    "first_seen": {"en": "First seen", "fi": "Ensimmäisen kerran"},
    "latest": {"en": "Latest run", "fi": "Viimeisin ajo"},
    "key": {"en": "Issue key", "fi": "Havainnon tunniste"},
    "target": {"en": "Target (teema)", "fi": "Tavoite (teema)"},  # issue 15: only with [targets]; not a typed column
}
SHEET = {"en": "Actions", "fi": "Toimenpiteet"}
STATUS_CHOICES = {"en": "Open,In progress,Done", "fi": "Avoin,Käynnissä,Valmis"}
NOT_FOUND = {"en": "not found in {wave}; last seen {last}", "fi": "ei löytynyt aallosta {wave}; viimeksi {last}"}
# The issue was in an earlier run of the same wave (the codebook split or merged its theme, the material changed).
NOT_FOUND_RERUN = {"en": "not found in the latest run of {wave}", "fi": "ei löytynyt aallon {wave} uusimmasta ajosta"}
# The issue's theme was changed by the researcher's codebook.csv: said instead of "not found" (issue 17).
BY_CODEBOOK = {
    "merged": {"en": "merged into {target} by codebook.csv ({wave})", "fi": "yhdistetty teemaan {target} "
               "codebook.csv:ssä ({wave})"},
    "split": {"en": "split into {target} by codebook.csv ({wave})", "fi": "jaettu teemoiksi {target} "
              "codebook.csv:ssä ({wave})"},
    "not_relevant": {"en": "set aside as not relevant by codebook.csv ({wave})", "fi": "merkitty ei olennaiseksi "
                     "codebook.csv:ssä ({wave})"},
}
_NOT_FOUND_RE = re.compile(r"^(?:(?:not found in|ei löytynyt aallosta) .*?; (?:last seen|viimeksi) (?P<last>.*)"
                           r"|not found in the latest run of (?P<same>.*)"
                           r"|ei löytynyt aallon (?P<sama>.*) uusimmasta ajosta"
                           r"|.*codebook\.csv(?::ssä)? \((?P<edited>[^()]*)\))$")
WIDTHS = {"rank": 6, "issue": 34, "stage": 14, "respondents": 11, "quote": 50, "fix": 34, "resources": 26,
          "due": 12, "owner": 16, "status": 12, "first_seen": 12, "latest": 22, "key": 30, "target": 34}
HEADER_ROWS_SEARCHED = 10


class ActionsError(RuntimeError):
    """actions.xlsx cannot be merged (no Issue key column, locked, unreadable); the file is left as it was."""


@dataclass(frozen=True)
class Lineage:
    """What happened to the themes since the rows were written: ids this run matched by content with the last run
    (their rows never follow a quote elsewhere), and the codebook's merges, splits and themes set aside."""

    matched: frozenset[str] = frozenset()
    merged: dict[str, str] = field(default_factory=dict)  # theme id -> theme it was merged into
    split: dict[str, list[str]] = field(default_factory=dict)  # theme id -> its parts
    not_relevant: frozenset[str] = frozenset()
    renamed: frozenset[str] = frozenset()  # themes the codebook renamed: their rows take the new label

    def ancestors(self, theme_id: str) -> list[str]:
        """The themes whose rows a new row of `theme_id` takes its typed cells from: the theme it was split from,
        or the themes merged into it."""
        parents = [parent for parent, parts in sorted(self.split.items()) if theme_id in parts]
        return parents + sorted(source for source, target in self.merged.items() if target == theme_id)

    def why_gone(self, theme_id: str, wave: str, lang: str) -> str:
        """The codebook's reason a theme's rows are not found ('' when it has none)."""
        if theme_id in self.merged:
            return BY_CODEBOOK["merged"][lang].format(target=self.merged[theme_id], wave=wave)
        if theme_id in self.split:
            return BY_CODEBOOK["split"][lang].format(target=", ".join(self.split[theme_id]), wave=wave)
        if theme_id in self.not_relevant:
            return BY_CODEBOOK["not_relevant"][lang].format(wave=wave)
        return ""


@dataclass
class MergeResult:
    """What a merge did to actions.xlsx."""

    path: Path
    created: bool = False
    written: bool = False
    added: list[str] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)
    backup: Path | None = None
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old key, new key): rows that followed their quote
    inherited: list[tuple[str, str]] = field(default_factory=list)  # (new key, key it took typed cells from)


_QUOTE = re.compile(r"^“(?P<text>.*)” \((?P<location>[^,]*), (?P<respondent>.*)\)$", re.DOTALL)


def quote_themes(segments: pd.DataFrame) -> Callable[[str], str]:
    """The theme that now holds the statement an action row quotes ('' when it is not found): a row's quote
    says which statements the workshop saw, whatever number its theme had then."""
    rows = segments[segments["theme_id"].fillna("") != ""]
    where = {(str(text), str(location)): str(theme)
             for text, location, theme in zip(rows["text"], rows["location"], rows["theme_id"], strict=True)}

    def theme_of(quote: str) -> str:
        match = _QUOTE.match(quote.strip())
        return where.get((match["text"], match["location"]), "") if match else ""

    return theme_of


def follow_quotes(ws: Worksheet, columns: dict[str, int], known: dict[str, int], current: set[str],
                  theme_of: Callable[[str], str], matched: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Give a row the key of this run's issue that holds its quote, when that is another theme's issue and no
    other row has that key: without a last run to match (an older teema's table, a deleted report folder) a
    theme's number can go to another theme. Rows of a theme this run `matched` by content stay. The row's typed
    cells stay as they are."""
    if "quote" not in columns:
        return []
    moved = []
    for key, row in sorted(known.items(), key=lambda item: item[1]):
        theme, _, rest = key.partition("-")
        if theme in matched:
            continue
        new_theme = theme_of(str(ws.cell(row=row, column=columns["quote"]).value or ""))
        new_key = f"{new_theme}-{rest}"
        if not new_theme or new_theme == theme or new_key not in current or new_key in known:
            continue
        ws.cell(row=row, column=columns["key"]).value = new_key
        known[new_key] = known.pop(key)
        moved.append((key, new_key))
    return moved


def action_rows(issues: pd.DataFrame, segments: pd.DataFrame, stages: LabelSet, lang: str = "en") -> list[dict]:
    """One row per ranked failure, in rank order, with teema's columns filled and the human ones absent."""
    by_id = segments.set_index("segment_id")
    rows = []
    for issue in issues[issues["polarity"] == "failure"].itertuples(index=False):
        quote = ""
        if len(issue.quote_ids) and issue.quote_ids[0] in by_id.index:
            q = by_id.loc[issue.quote_ids[0]]
            quote = f"“{q['text']}” ({q['location']}, {q['respondent_id']})"
        rows.append({"key": issue.issue_id, "rank": int(issue.rank), "issue": issue.theme_label,
                     "stage": stage_name(issue.stage, stages, lang), "respondents": int(issue.respondents),
                     "quote": quote})
    return rows


SNAPSHOT_FIELDS = ("rank", "issue", "stage", "respondents", "quote", "fix", "resources", "due", "owner", "status",
                   "key")


def actions_table(issues: pd.DataFrame, segments: pd.DataFrame, stages: LabelSet, lang: str = "en") -> pd.DataFrame:
    """actions.csv: this run's action rows (the same rows actions.xlsx gets), the human columns blank."""
    rows = action_rows(issues, segments, stages, lang)
    return pd.DataFrame([[row.get(f, "") for f in SNAPSHOT_FIELDS] for row in rows],
                        columns=[HEADERS[f][lang] for f in SNAPSHOT_FIELDS])


def _clean(value: object) -> object:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _set(ws: Worksheet, row: int, column: int, value: object) -> bool:
    """Write a value as data (text starting with '=' stays text); True when the cell changed."""
    cell = ws.cell(row=row, column=column)
    value = _clean(value)
    if cell.value == value:
        return False
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):  # text, and stays text when edited in Excel
        cell.data_type = "s"
        cell.quotePrefix = True
    return True


def _normal(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


_BY_HEADER = {_normal(name): key for key, names in HEADERS.items() for name in names.values()}


def _find_table(workbook) -> tuple[Worksheet, int, dict[str, int]]:
    """The sheet, header row and column per field of the action table; ActionsError when there is none."""
    for ws in workbook.worksheets:
        for row in range(1, min(ws.max_row, HEADER_ROWS_SEARCHED) + 1):
            columns: dict[str, int] = {}
            for cell in ws[row]:
                key = _BY_HEADER.get(_normal(cell.value))
                if key and key not in columns:
                    columns[key] = cell.column
            if "key" in columns:
                return ws, row, columns
    raise ActionsError(f"no '{HEADERS['key']['en']}' column found (it matches rows to issues); "
                       "put the column back, or move the file away to start a new table")


def _last_used_row(ws: Worksheet, header_row: int) -> int:
    last = header_row
    for row in ws.iter_rows(min_row=header_row + 1):
        if any(cell.value not in (None, "") for cell in row):
            last = row[0].row
    return last


def _style_new(ws: Worksheet, lang: str, columns: dict[str, int]) -> None:
    header_fill, human_fill = PatternFill("solid", fgColor="E8EAED"), PatternFill("solid", fgColor="FFF4C2")
    for key, column in columns.items():
        cell = ws.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.fill = human_fill if key in HUMAN else header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(column)].width = WIDTHS[key]
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(ws.max_row, 2)}"
    status = DataValidation(type="list", formula1=f'"{STATUS_CHOICES[lang]}"', allow_blank=True,
                            showErrorMessage=False)
    status.add(f"{get_column_letter(columns['status'])}2:{get_column_letter(columns['status'])}5000")
    ws.add_data_validation(status)


def _append(ws: Worksheet, row: int, columns: dict[str, int], item: dict, wave: str) -> None:
    values = {**item, "first_seen": wave, "latest": wave}
    for key, column in columns.items():
        if key in values:
            _set(ws, row, column, values[key])
            ws.cell(row=row, column=column).alignment = Alignment(wrap_text=key in ("issue", "quote"), vertical="top")


def _extend_filter(ws: Worksheet, last_row: int) -> None:
    """Let the sheet's filter range cover appended rows."""
    ref = ws.auto_filter.ref
    match = re.fullmatch(r"([A-Z]+\d+):([A-Z]+)(\d+)", ref or "")
    if match and int(match.group(3)) < last_row:
        ws.auto_filter.ref = f"{match.group(1)}:{match.group(2)}{last_row}"


def _save(workbook, path: Path) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".xlsx.tmp")
    os.close(handle)
    try:
        workbook.save(temp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except PermissionError as err:
        Path(temp).unlink(missing_ok=True)
        raise ActionsError(f"cannot write {path.name} ({err.strerror}); close it in the spreadsheet, re-run"
                           ) from err
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def prune_backups(folder: Path, pattern: str, keep: int = KEEP_BACKUPS, newest: Path | None = None) -> list[Path]:
    """Delete all but the `keep` newest backups matching `pattern` (by time written, then name); `newest`, the one
    just made, is never deleted. Returns the deleted ones."""
    def age(path: Path) -> tuple[int, str]:
        try:
            return path.stat().st_mtime_ns, path.name
        except OSError:
            return 0, path.name

    backups = sorted((p for p in folder.glob(pattern) if p.is_file() and not p.is_symlink()), key=age)
    others = [p for p in backups if p != newest]
    room = max(keep, 1) - (len(others) < len(backups))  # the newest takes one place when it is there
    deleted = []
    for old in others[:max(len(others) - room, 0)]:
        try:
            old.unlink()
            deleted.append(old)
        except OSError:  # a backup that cannot be deleted stays; nothing else depends on it
            pass
    return deleted


def clean_stale_temp(folder: Path) -> list[Path]:
    """Remove the temporary files an interrupted (killed) run left beside actions.xlsx."""
    removed = []
    for temp in folder.glob(TEMP_PATTERN):
        if temp.is_file() and not temp.is_symlink():
            try:
                temp.unlink()
                removed.append(temp)
            except OSError:
                pass
    return removed


def open_elsewhere(path: Path) -> str:
    """Why `path` must not be replaced now ('' when it can be): open in a spreadsheet (its lock file is beside
    it), or read-only."""
    locks = [path.with_name(lock.format(name=path.name)) for lock in LOCK_FILES]
    lock = next((p for p in locks if p.exists()), None)
    if lock is not None:
        return (f"it is open in a spreadsheet ({lock.name} is beside it); close it there and re-run, or delete "
                f"{lock.name} if no spreadsheet has it open")
    if path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & stat.S_IWUSR):
        return "it is read-only; make it writable (or move it away to start a new table) and re-run"
    return ""


def _backup(path: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.stem}.backup-{stamp}.xlsx")
    number = 2
    while backup.exists():
        backup = path.with_name(f"{path.stem}.backup-{stamp}-{number}.xlsx")
        number += 1
    shutil.copy2(path, backup)
    return backup


def _create(path: Path, rows: Iterable[dict], wave: str, lang: str) -> MergeResult:
    workbook = Workbook()
    ws = workbook.active
    ws.title = SHEET[lang]
    rows = list(rows)
    fields = FIELDS + (("target",) if any(item.get("target") for item in rows) else ())  # issue 15
    columns = {key: i for i, key in enumerate(fields, start=1)}
    for key, column in columns.items():
        ws.cell(row=1, column=column, value=HEADERS[key][lang])
    result = MergeResult(path, created=True, written=True)
    for offset, item in enumerate(rows, start=2):
        _append(ws, offset, columns, item, wave)
        result.added.append(item["key"])
    _style_new(ws, lang, columns)
    path.parent.mkdir(parents=True, exist_ok=True)
    _save(workbook, path)
    return result


def inherit_typed(ws: Worksheet, row: int, columns: dict[str, int], key: str, known: dict[str, int],
                  lineage: Lineage) -> str:
    """Fill a new row's empty typed cells (fix, resources, due, owner, status) from the row of the theme it was
    split from or merged from, same stage and polarity; the key it took them from, or ''."""
    theme, _, rest = key.partition("-")
    for ancestor in lineage.ancestors(theme):
        source = known.get(f"{ancestor}-{rest}")
        if source is None:
            continue
        typed = {field_: ws.cell(row=source, column=columns[field_]).value for field_ in HUMAN if field_ in columns}
        if not any(value not in (None, "") for value in typed.values()):
            continue
        for field_, value in typed.items():
            if value not in (None, "") and ws.cell(row=row, column=columns[field_]).value in (None, ""):
                _set(ws, row, columns[field_], value)
        return f"{ancestor}-{rest}"
    return ""


def merge_actions(path: Path, rows: list[dict], wave: str, lang: str = "en", now: datetime | None = None,
                  theme_of: Callable[[str], str] | None = None, lineage: Lineage | None = None) -> MergeResult:
    """Create `path`, or merge `rows` (from `action_rows`) into it without losing anything people typed.
    `theme_of` (see quote_themes) lets rows follow their quote to the theme that holds it now; `lineage` says
    which themes were matched by content, and what the codebook merged, split or set aside."""
    lineage = lineage or Lineage()
    clean_stale_temp(path.parent)
    busy = open_elsewhere(path)
    if busy:
        raise ActionsError(f"{path.name} was not changed: {busy}")
    if not path.exists():
        return _create(path, rows, wave, lang)
    try:
        workbook = load_workbook(path)
    except PermissionError as err:
        raise ActionsError(f"cannot open {path.name} ({err.strerror}); close it in the spreadsheet and re-run") from err
    except Exception as err:  # a damaged or non-xlsx file: leave it as it is
        raise ActionsError(f"cannot read {path.name} as an Excel workbook ({err}); it was left as it is") from err
    ws, header, columns = _find_table(workbook)
    changed = False
    if "latest" not in columns:
        columns["latest"] = ws.max_column + 1
        changed |= _set(ws, header, columns["latest"], HEADERS["latest"][lang])
    if "target" not in columns and any(item.get("target") for item in rows):  # issue 15: targets set this run
        columns["target"] = ws.max_column + 1
        changed |= _set(ws, header, columns["target"], HEADERS["target"][lang])
    known: dict[str, int] = {}
    for row in range(header + 1, ws.max_row + 1):
        key = str(ws.cell(row=row, column=columns["key"]).value or "").strip()
        if key and key not in known:
            known[key] = row
    result = MergeResult(path)
    current = {item["key"] for item in rows}
    if theme_of is not None:
        result.moved = follow_quotes(ws, columns, known, current, theme_of, lineage.matched)
        changed |= bool(result.moved)
    next_row = _last_used_row(ws, header) + 1
    for item in rows:
        row = known.get(item["key"])
        if row is None:
            _append(ws, next_row, columns, item, wave)
            source = inherit_typed(ws, next_row, columns, item["key"], known, lineage)
            if source:
                result.inherited.append((item["key"], source))
            result.added.append(item["key"])
            next_row += 1
            changed = True
            continue
        renamed = ("issue",) if item["key"].partition("-")[0] in lineage.renamed else ()
        for key in REFRESHED + renamed:
            if key in columns:
                changed |= _set(ws, row, columns[key], wave if key == "latest" else item.get(key, ""))
    for key, row in known.items():
        if key in current:
            continue
        cell = ws.cell(row=row, column=columns["latest"])
        previous = str(cell.value or "")
        match = _NOT_FOUND_RE.match(previous)
        last = (match.group("last") or match.group("same") or match.group("sama") or match.group("edited")) \
            if match else (previous or "?")
        message = lineage.why_gone(key.partition("-")[0], wave, lang) or (
            NOT_FOUND_RERUN[lang].format(wave=wave) if last == wave else NOT_FOUND[lang].format(wave=wave, last=last))
        changed |= _set(ws, row, columns["latest"], message)
        cell.font = Font(italic=True, color="80868B")
        result.vanished.append(key)
    if changed:
        _extend_filter(ws, next_row - 1)
        result.backup = _backup(path, now or datetime.now())
        _save(workbook, path)
        prune_backups(path.parent, BACKUP_PATTERN, newest=result.backup)
        result.written = True
    return result


def read_decisions(path: Path) -> pd.DataFrame:
    """Issue key, owner, deadline ('By when?', as typed) and status of each row of actions.xlsx (empty if none)."""
    columns = ["key", "owner", "due", "status"]
    if not path.exists():
        return pd.DataFrame(columns=columns)
    try:
        workbook = load_workbook(path, data_only=True)
        ws, header, found = _find_table(workbook)
        rows = []
        for values in ws.iter_rows(min_row=header + 1, values_only=True):
            def cell(name: str, values: tuple = values) -> object:
                column = found.get(name)
                return values[column - 1] if column and column - 1 < len(values) else None
            if str(cell("key") or "").strip():
                rows.append({"key": str(cell("key")).strip(), "owner": cell("owner"), "due": cell("due"),
                             "status": cell("status")})
        workbook.close()
    except (ActionsError, OSError, ValueError, KeyError) as err:
        raise ActionsError(f"cannot read {path.name} ({err})") from err
    return pd.DataFrame(rows, columns=columns)
