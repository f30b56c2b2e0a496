"""Writing the report folder: CSVs that Excel opens right, and the self-contained HTML page."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """Prefix text a spreadsheet would run as a formula with an apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(table: pd.DataFrame, path: Path, delimiter: str = ",") -> None:
    """UTF-8 with BOM (so Excel shows ä and ö), every field quoted when needed, formulas disarmed."""
    safe = table.map(neutralise_formula) if len(table) else table
    text = safe.to_csv(index=False, sep=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    write_text_atomic(path, text, encoding="utf-8-sig")


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write to a temporary file beside the target and rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
