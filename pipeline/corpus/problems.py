"""Problems with input files: collected, reported, never raised past the reader."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """The text with line breaks and other control characters written as escapes (\\n, \\x1b): a file named
    "a\\nteema: report: ..." cannot forge a line of the console or the log."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class ReadError(Exception):
    """A file cannot be used; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    read: bool = False  # True: the file was read, and this is a warning about part of it

    def __str__(self) -> str:
        return f"{printable(self.file)}: {printable(self.message)}"
