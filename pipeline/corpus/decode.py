"""Bytes to text for files researchers bring: UTF-8 (with or without BOM), UTF-16, cp1252 / latin-1.

Also the clean-up every text gets before it is parsed: invisible characters out, HTML markup
pasted from web forms out, Unicode composed (NFC) so that "ä" is one character whatever wrote it.
"""

from __future__ import annotations

import html
import re
import unicodedata

from pipeline.corpus.problems import ReadError

# File signatures of formats that are sometimes saved under a text extension.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a Word (.docx) or Excel (.xlsx) file or a ZIP archive"),
    (b"\xd0\xcf\x11\xe0", "an old Word (.doc) or Excel (.xls) file"),
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
    (b"PAR1", "a Parquet table"),
)

# Zero-width and direction marks, soft hyphen, word joiner, BOMs inside text, other format characters.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Only real HTML tag names, with attributes written as name=value, count as markup: "a<b and c>d",
# "<3" and "hinta < 100 € ja > 50" survive.
_TAG_NAMES = (
    "a|abbr|b|big|blockquote|body|br|button|center|code|del|div|em|embed|font|form|h[1-6]|head|hr|html|i|"
    "iframe|img|input|ins|label|li|link|mark|meta|noscript|object|ol|p|pre|q|s|script|small|span|strike|strong|"
    "style|sub|sup|svg|table|tbody|td|textarea|tfoot|th|thead|title|tr|tt|u|ul"
)
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>[^<]{0,5000}?</\1\s*>", re.IGNORECASE)
_TAG = re.compile(rf"</?(?:{_TAG_NAMES})\b(?:\s[^<>]*=[^<>]*)?\s*/?>", re.IGNORECASE)  # attributes need '='
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_BLOCK_TAG = re.compile(r"<(?:br|/p|/div|/li|/tr|/h[1-6])\b[^<>]*>", re.IGNORECASE)


def sniff_signature(data: bytes) -> str:
    """What a file really is, judged by its first bytes; '' when it has no known signature."""
    for magic, what in SIGNATURES:
        if data.startswith(magic):
            return what
    return ""


def _utf16_without_bom(sample: bytes) -> str:
    """'utf-16-le' or 'utf-16-be' when every other byte is zero, as in BOM-less UTF-16 text."""
    if len(sample) < 4:
        return ""
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return ""


_BINARY_MESSAGE = ("does not look like text (it holds bytes no text encoding uses); if it is a document or a "
                   "spreadsheet, give it its real extension; if it is text, open it in an editor and save it as UTF-8")


def utf8_damage(data: bytes) -> list[int]:
    """Lines (1-based) holding bytes that are not valid UTF-8, in a file that is otherwise UTF-8: its other
    non-ASCII letters decode as UTF-8 (at least twice as many as the bad bytes). [] for valid UTF-8 and for
    files in another encoding, such as Windows-1252, where no multi-byte letter decodes."""
    try:
        data.decode("utf-8")
        return []
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    letters = sum(1 for char in text if ord(char) > 127 and char != "\ufffd")
    if letters < 2 * bad:
        return []
    return [number for number, line in enumerate(text.splitlines(), start=1) if "\ufffd" in line]


def decode_text(data: bytes) -> str:
    """Decode with the first encoding that fits; raise ReadError for binary content."""
    what = sniff_signature(data)
    if what:
        raise ReadError(f"this is {what}, not plain text; give it its own extension or export it as text")
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        elif data.startswith(b"\xef\xbb\xbf"):
            text = data[3:].decode("utf-8", errors="replace")
        elif encoding := _utf16_without_bom(data[:4096]):
            text = data.decode(encoding)
        else:
            if b"\x00" in data[:4096]:
                raise ReadError(_BINARY_MESSAGE)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                # A UTF-8 file with a few broken bytes stays UTF-8 (the reader warns about those lines); read as
                # Windows-1252 it would turn every "ä" into "Ã¤".
                text = data.decode("utf-8", errors="replace") if utf8_damage(data) else \
                    data.decode("cp1252", errors="replace")
    except UnicodeDecodeError as err:
        raise ReadError(f"the text encoding is broken ({err.reason}); save the file again as UTF-8") from err
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sample = text[:20000]
    odd = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    if sample and odd > max(3, 0.02 * len(sample)):
        raise ReadError(_BINARY_MESSAGE)
    return text


def strip_markup(text: str) -> str:
    """Text without HTML tags, scripts or entities ("<b>hyvä</b> &amp; nopea" -> "hyvä & nopea")."""
    if "<" not in text and "&" not in text:
        return text
    text = _SCRIPT.sub(" ", text)
    text = _BLOCK_TAG.sub(" ", text)
    text = _TAG.sub("", text)
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def normalise_text(text: str) -> str:
    """NFC, no invisible or control characters (line breaks and tabs kept), no HTML markup."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    return strip_markup(text)
