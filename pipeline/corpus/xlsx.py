"""Excel workbooks (.xlsx, .xlsm) of survey feedback to a header and its rows.

The first sheet is read, or the one named in teema.toml ([feedback] sheet). The header is the first
row with at least two filled cells (a title row above it is skipped); row numbers are Excel's own,
so a statement's location "kysely.xlsx:12" is row 12 of the sheet.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

from pipeline.corpus.archive import check_package
from pipeline.corpus.feedback import Record
from pipeline.corpus.problems import ReadError

MAX_ROWS = 1_000_000


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def xlsx_records(path: Path, sheet: str = "") -> tuple[list[str], list[Record]]:
    """Header and (row number, row) records of one sheet of a workbook."""
    from openpyxl import load_workbook

    check_package(path)
    try:
        workbook = load_workbook(str(path), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as err:
        raise ReadError("not a readable Excel file (damaged, password-protected or an old .xls); "
                        "open it in Excel and save it again as .xlsx, or export it as CSV") from err
    except Exception as err:  # openpyxl raises many kinds on a damaged workbook
        raise ReadError(f"not a readable Excel file ({type(err).__name__}); open it in Excel and save it again "
                        "as .xlsx, or export it as CSV") from err
    try:
        names = workbook.sheetnames
        if sheet:
            if sheet not in names:
                raise ReadError(f"no sheet named '{sheet}' (sheets: {', '.join(names)}); fix [feedback] sheet "
                                "in teema.toml")
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        headers: list[str] = []
        header_cells: list[str] = []
        records: list[Record] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                break
            cells = [_cell_text(v) for v in values]
            if not headers:
                if sum(bool(c) for c in cells) >= 2 or (len(cells) == 1 and cells[0]):
                    header_cells = cells
                    headers = [c for c in cells if c]
                continue
            if any(cells):
                records.append((number, {h: (cells[i] if i < len(cells) else "")
                                         for i, h in enumerate(header_cells) if h}))
    except ReadError:
        raise
    except Exception as err:  # a sheet that is damaged inside an intact zip
        raise ReadError(f"a sheet could not be read ({type(err).__name__}); open the file in Excel and save it "
                        "again, or export it as CSV") from err
    finally:
        workbook.close()
    if not headers:
        raise ReadError(f"sheet '{worksheet.title}' is empty; put the feedback on the first sheet or name the sheet "
                        "in teema.toml ([feedback] sheet = \"...\")")
    return headers, records
