"""Writing the report folder: CSVs that Excel opens right, and the self-contained HTML page.

Excel opens a double-clicked CSV with the list separator of the user's regional settings:
a comma in English locales, a semicolon in Finnish (and other decimal-comma) ones, where it also
reads "1.5" as a date. So the delimiter is configurable, `auto` follows the locale teema runs in,
and a semicolon file writes decimals with a comma.
"""

from __future__ import annotations

import csv
import locale
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = {",": ",", ";": ";", "comma": ",", "semicolon": ";", "tab": "\t", "\t": "\t"}
# Languages whose locales write decimals with a comma, so Excel there separates list items with ';'.
DECIMAL_COMMA_LANGS = frozenset(
    "fi sv da nb nn no de fr nl es it pt pl cs sk sl hr et lv lt ru uk tr hu ro bg el is id".split()
)


class DelimiterError(ValueError):
    """A delimiter that is not one of auto, ',', ';' or tab."""


def locale_language(environ: Mapping[str, str] | None = None) -> str:
    """The two-letter language of the user's locale (LC_ALL, LC_NUMERIC, LANG), '' when unknown."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_NUMERIC", "LANG"):
        value = environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith(("C.", "POSIX.")):
            return value.split("_")[0].split(".")[0].lower()[:3]
    if environ is os.environ:  # Windows has no LANG: ask the C library
        name = (locale.getlocale()[0] or "").lower()
        return "fi" if name.startswith(("fi", "finnish")) else name.split("_")[0][:2]
    return ""


def resolve_delimiter(value: str = "auto", environ: Mapping[str, str] | None = None) -> str:
    """',', ';' or a tab; `auto` is ';' in a decimal-comma locale (Finnish) and ',' elsewhere."""
    if value in ("", "auto"):
        return ";" if locale_language(environ) in DECIMAL_COMMA_LANGS else ","
    if value not in DELIMITERS:
        raise DelimiterError(f"delimiter must be auto, ',', ';' or tab, got {value!r}")
    return DELIMITERS[value]


def decimal_mark(delimiter: str) -> str:
    """',' beside a semicolon delimiter (as Finnish Excel expects), else '.'."""
    return "," if delimiter == ";" else "."


def neutralise_formula(value: object) -> object:
    """Prefix text a spreadsheet would run as a formula with an apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(table: pd.DataFrame, path: Path, delimiter: str = ",") -> None:
    """UTF-8 with BOM (so Excel shows ä and ö), every field quoted when needed, formulas disarmed."""
    safe = table.map(neutralise_formula) if len(table) else table
    text = safe.to_csv(index=False, sep=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n",
                       decimal=decimal_mark(delimiter))
    write_text_atomic(path, text, encoding="utf-8-sig")


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write to a temporary file beside the target and rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())  # on disk before the rename: a power cut leaves the old file or the new one
        _usual_permissions(Path(temp))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _usual_permissions(path: Path) -> None:
    """mkstemp makes files only the owner can read; give them the mode a plain open() would (0666 - umask)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)
