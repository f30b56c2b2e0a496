"""A text file read a block at a time: the same text `normalise_text(decode_text(bytes))` gives, in bounded memory.

A year of survey answers exported as CSV is hundreds of MB; read whole it was the bytes, the decoded text, its
normalised copy and a list of its lines at once (several GB). Here the file is decoded with an incremental
decoder and normalised in pieces cut at line breaks where no HTML tag or script block can span the cut, so the
pieces joined are exactly the whole-file text (tests/corpus/test_text_stream.py reads with tiny blocks).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.corpus.decode import (
    _BINARY_MESSAGE,
    _CONTROL,
    _TAG_NAMES,
    _utf16_without_bom,
    normalise_text,
    sniff_signature,
)
from pipeline.corpus.problems import ReadError

BLOCK_BYTES = 4_000_000  # bytes decoded at a time
# A piece of text is only cut where no markup that normalise_text removes can cross the cut: no tag opened
# before it and not closed ("<span class=..."), and no <script>/<style> opening within this many characters
# (their content is matched up to 5,000). A '<' that starts no tag ("hinta < 100 €") does not hold a cut back.
_SCRIPT_REACH = 10_000
_SCRIPT_OPEN = re.compile(r"<(?:script|style)", re.IGNORECASE)
_TAG_START = re.compile(rf"</?(?:{_TAG_NAMES})\b", re.IGNORECASE)
MAX_PIECE_CHARS = 16_000_000  # no safe cut this far: cut at the last line break anyway (absurd markup only)


@dataclass(frozen=True)
class Utf8Scan:
    """What `decode.utf8_damage` needs to know about a file, gathered a block at a time."""

    valid: bool
    bad: int  # U+FFFD after decoding with errors="replace"
    letters: int  # other non-ASCII characters
    damaged_lines: tuple[int, ...]  # lines (1-based, as str.splitlines counts them) holding a U+FFFD


def _blocks(path: Path, block_bytes: int, skip: int = 0) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(skip)
        while block := handle.read(block_bytes):
            yield block


def scan_utf8(path: Path, block_bytes: int | None = None) -> Utf8Scan:
    """Whether the file is valid UTF-8, and where it is not, in bounded memory: one pass for a valid file, a
    second one counting the damage for the others."""
    block_bytes = block_bytes or BLOCK_BYTES
    strict = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        for block in _with_end(_blocks(path, block_bytes)):
            strict.decode(b"" if block is None else block, final=block is None)
        return Utf8Scan(True, 0, 0, ())
    except UnicodeDecodeError:
        pass
    lenient = codecs.getincrementaldecoder("utf-8")("replace")
    bad, letters, lines, line_no, carry = 0, 0, [], 0, ""
    for block in _with_end(_blocks(path, block_bytes)):
        final = block is None
        text = carry + lenient.decode(b"" if final else block, final=final)
        cut = len(text) if final else text.rfind("\n") + 1  # splitlines of pieces ending in "\n" adds up
        piece, carry = text[:cut], text[cut:]
        damaged = piece.count("\ufffd")
        bad += damaged
        letters += len(piece) - len(piece.encode("ascii", "ignore")) - damaged
        if damaged:
            lines.extend(line_no + n for n, line in enumerate(piece.splitlines(), start=1) if "\ufffd" in line)
        line_no += len(piece.splitlines())
    return Utf8Scan(False, bad, letters, tuple(lines))


def _with_end(blocks: Iterator[bytes]) -> Iterator[bytes | None]:
    yield from blocks
    yield None


def utf8_damage_file(path: Path, block_bytes: int | None = None) -> list[int]:
    """`decode.utf8_damage(path.read_bytes())` without reading the file whole."""
    scan = scan_utf8(path, block_bytes)
    if scan.valid or scan.letters < 2 * scan.bad:
        return []
    return list(scan.damaged_lines)


def _encoding(path: Path, block_bytes: int) -> tuple[str, str, int]:
    """(codec, errors, bytes to skip) as decode_text would choose them for the whole file."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    what = sniff_signature(head)
    if what:
        raise ReadError(f"this is {what}, not plain text; give it its own extension or export it as text")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "strict", 0
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8", "replace", 3
    if encoding := _utf16_without_bom(head):
        return encoding, "strict", 0
    if b"\x00" in head:
        raise ReadError(_BINARY_MESSAGE)
    scan = scan_utf8(path, block_bytes)
    if scan.valid:
        return "utf-8", "strict", 0
    # A UTF-8 file with a few broken bytes stays UTF-8; read as Windows-1252 every "ä" would become "Ã¤".
    return ("utf-8", "replace", 0) if scan.letters >= 2 * scan.bad else ("cp1252", "replace", 0)


def _safe_cut(text: str) -> int:
    """The end of the longest prefix of `text` that ends in a line break no removable markup crosses; 0 if none."""
    end = len(text)
    while (at := text.rfind("\n", 0, end)) >= 0:
        cut = at + 1
        opened = _last_tag_start(text, cut)
        closed = opened < 0 or text.find(">", opened, cut) >= 0
        if closed and not _SCRIPT_OPEN.search(text, max(0, cut - _SCRIPT_REACH), cut):
            return cut
        end = opened if not closed else at
    return 0


def _last_tag_start(text: str, end: int) -> int:
    """Where the last '<' before `end` that starts a tag name is; -1 when none does."""
    at = end
    while (at := text.rfind("<", 0, at)) >= 0:
        if _TAG_START.match(text, at):
            return at
    return -1


def text_pieces(path: Path, block_bytes: int | None = None, max_line: int = 0) -> Iterator[str]:
    """The file's normalised text in pieces; "".join(pieces) == normalise_text(decode_text(path.read_bytes())).

    ReadError naming the line when one line is longer than `max_line` characters (0: no limit), before it is
    ever held whole (a 300 MB file without a line break is refused after `max_line` characters)."""
    block_bytes = block_bytes or BLOCK_BYTES
    codec, errors, skip = _encoding(path, block_bytes)
    decoder = codecs.getincrementaldecoder(codec)(errors)
    pending, checked, lines_done = "", False, 0
    blocks = _with_end(_blocks(path, block_bytes, skip))
    for block in blocks:
        final = block is None
        try:
            text = pending + decoder.decode(b"" if final else block, final=final)
        except UnicodeDecodeError as err:
            raise ReadError(f"the text encoding is broken ({err.reason}); save the file again as UTF-8") from err
        if not final and text.endswith("\r"):  # "\r\n" may be cut in two
            text, held = text[:-1], "\r"
        else:
            held = ""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not checked:
            if len(text) < 20000 and not final:
                pending = text + held
                continue
            sample = text[:20000]
            odd = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
            if sample and odd > max(3, 0.02 * len(sample)):
                raise ReadError(_BINARY_MESSAGE)
            checked = True
        if final:
            if text:
                yield normalise_text(text)
            return
        last = text.rfind("\n") + 1
        if max_line and len(text) - last > max_line:
            raise _long_line(lines_done + text.count("\n") + 1, len(text) - last, max_line)
        cut = _safe_cut(text)
        if cut == 0 and len(text) > MAX_PIECE_CHARS:
            cut = last
        if cut:
            lines_done += text.count("\n", 0, cut)
            yield normalise_text(text[:cut])
        pending = text[cut:] + held


def text_lines(path: Path, block_bytes: int | None = None, max_line: int = 0) -> Iterator[str]:
    """The lines of the normalised text, as `text.split("\\n")` gives them (see text_pieces for `max_line`)."""
    partial = ""
    for piece in text_pieces(path, block_bytes, max_line):
        lines = (partial + piece).split("\n")
        partial = lines.pop()
        yield from lines
    yield partial


def _long_line(number: int, length: int, limit: int) -> ReadError:
    return ReadError(f"line {number}: one line of over {limit:,} characters ({length:,} read); it is not read: "
                     "export the table again with one row per line, or split the long answer")
