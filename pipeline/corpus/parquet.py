"""Parquet feedback tables (a year of NPS answers exported from a warehouse), read a row group at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.corpus.feedback import Record
from pipeline.corpus.problems import ReadError

BATCH_ROWS = 50_000  # rows decoded at a time: the file's columns are never all in memory as Arrow buffers at once
# Text a table may expand to: Parquet is compressed, so a small file can hold gigabytes (a "Parquet bomb"). Refused
# from the footer's uncompressed sizes before reading, then by counting the characters of the cells read.
MAX_EXPANDED_CHARS = 1_000_000_000


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _too_big(size: float, limit: int) -> ReadError:
    return ReadError(f"it expands to over {limit / 1_000_000:,.0f} MB when unpacked ({size / 1_000_000:,.0f} MB); "
                     "it is not read: export the answers in several files, or only the columns with the answers, "
                     "the respondent id and the scores")


def parquet_record_stream(path: Path, batch_rows: int = BATCH_ROWS, max_chars: int | None = None
                          ) -> tuple[list[str], Iterator[Record]]:
    """Header now and (row number, row) records as they are decoded, row 1 being the first data row, every cell
    as text; ReadError for a file that is no Parquet or expands past `max_chars`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    max_chars = max_chars or MAX_EXPANDED_CHARS

    def unreadable(err: Exception) -> ReadError:
        return ReadError(f"not a readable Parquet file ({str(err).splitlines()[0][:120]}); export it again")

    try:
        table = pq.ParquetFile(path)
        headers = [str(name) for name in table.schema_arrow.names]
        meta = table.metadata
        expanded = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    except (pa.ArrowException, OSError, ValueError) as err:
        raise unreadable(err) from err
    if expanded > max_chars:
        raise _too_big(expanded, max_chars)

    def records() -> Iterator[Record]:
        count, chars = 0, 0
        try:
            for batch in table.iter_batches(batch_size=batch_rows):
                columns = [[_cell(v) for v in column.to_pylist()] for column in batch.columns]
                chars += sum(len(cell) for column in columns for cell in column)
                if chars > max_chars:
                    raise _too_big(chars, max_chars)
                for row in zip(*columns, strict=True):
                    count += 1
                    yield count, dict(zip(headers, row, strict=True))
        except (pa.ArrowException, OSError, ValueError) as err:
            raise unreadable(err) from err

    return headers, records()


def parquet_records(path: Path, batch_rows: int = BATCH_ROWS) -> tuple[list[str], list[Record]]:
    """Header and every (row number, row) record (parquet_record_stream, gathered)."""
    headers, records = parquet_record_stream(path, batch_rows)
    return headers, list(records)
