"""Zip packages (.docx, .xlsx, .xlsm) checked before a library opens them: a small file can expand to gigabytes.

A 1 MB .docx whose document.xml is 300 MB, or a 730 KB .xlsx whose shared string is 300 MB, ran for minutes at
gigabytes of memory. The members' expanded sizes are checked from the zip's own directory first (nothing is
decompressed), then each member is decompressed once, a chunk at a time and thrown away, counting bytes, so a
directory that lies about a size is caught too (Python's zipfile also stops at the declared size and then fails
the CRC check, so the libraries that read the package after this never get more than was declared).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.corpus.problems import ReadError

MAX_EXPANDED_BYTES = 200_000_000  # all members together, expanded
MAX_MEMBERS = 10_000
# A member this much larger than its compressed bytes, and at least MIN_BOMB_BYTES, is a zip bomb: Office XML
# compresses 5 to 30 times, repeated text up to about 100.
MAX_RATIO = 200
MIN_BOMB_BYTES = 5_000_000
_CHUNK = 1 << 20


def _too_big(total: int) -> str:
    return (f"it expands to over {MAX_EXPANDED_BYTES / 1_000_000:g} MB when unpacked (a .docx or .xlsx is a zip "
            "archive); split it into smaller files, or export it as CSV / .txt")


def check_package(path: Path) -> None:
    """ReadError when the zip package at `path` expands too far; silent for a package that is not a zip (the
    library that reads it says what is wrong)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ReadError(f"the package holds {len(members)} parts, over the {MAX_MEMBERS} a document has; "
                            "open it and save it again")
        declared = sum(info.file_size for info in members)
        if declared > MAX_EXPANDED_BYTES:
            raise ReadError(_too_big(declared))
        for info in members:
            if info.file_size >= MIN_BOMB_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ReadError(f"part {info.filename} expands {info.file_size // max(info.compress_size, 1)} times "
                                f"(to {info.file_size / 1_000_000:.0f} MB), as no real document does: it is not read; "
                                "open it and save it again, or export it as CSV / .txt")
        total = 0
        for info in members:  # a capped read: the directory's sizes can lie
            try:
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > MAX_EXPANDED_BYTES:
                            raise ReadError(_too_big(total))
            except ReadError:
                raise
            except Exception:  # noqa: BLE001 - a damaged member: the reader's own message says so
                return
