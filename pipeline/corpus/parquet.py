"""Parquet feedback tables (a year of NPS answers exported from a warehouse), read a row group at a time."""

from __future__ import annotations

from pathlib import Path

from pipeline.corpus.feedback import Record
from pipeline.corpus.problems import ReadError

BATCH_ROWS = 50_000  # rows decoded at a time: the file's columns are never all in memory as Arrow buffers at once


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def parquet_records(path: Path, batch_rows: int = BATCH_ROWS) -> tuple[list[str], list[Record]]:
    """Header and (row number, row) records, row 1 being the first data row, every cell as text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
        headers = [str(name) for name in table.schema_arrow.names]
        records: list[Record] = []
        for batch in table.iter_batches(batch_size=batch_rows):
            columns = [[_cell(v) for v in column.to_pylist()] for column in batch.columns]
            start = len(records)
            rows = zip(*columns, strict=True)
            records.extend((start + i + 1, dict(zip(headers, row, strict=True))) for i, row in enumerate(rows))
    except (pa.ArrowException, OSError, ValueError) as err:
        raise ReadError(f"not a readable Parquet file ({str(err).splitlines()[0][:120]}); export it again") from err
    return headers, records
