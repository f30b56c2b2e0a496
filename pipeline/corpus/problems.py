"""Problems with input files: collected, reported, never raised past the reader."""

from __future__ import annotations

from dataclasses import dataclass


class ReadError(Exception):
    """A file cannot be used; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    read: bool = False  # True: the file was read, and this is a warning about part of it

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"
