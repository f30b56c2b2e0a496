"""Bytes to text for files researchers bring: UTF-8 (with or without BOM), UTF-16, cp1252."""

from __future__ import annotations

from pipeline.corpus.problems import ReadError


def decode_text(data: bytes) -> str:
    """Decode with the first encoding that fits; raise ReadError for binary content."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        if b"\x00" in data[:4096]:
            raise ReadError("looks like a binary file, not text; export it as .txt, .md or .csv")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")
