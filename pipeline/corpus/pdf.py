"""PDF transcripts with a text layer to plain transcript lines, each with its page number.

Scanned PDFs (images only) have no text to read; they are reported, with what to do.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pipeline.corpus.problems import ReadError

MIN_LETTERS = 20


def pdf_lines(path: Path) -> list[tuple[str, int]]:
    """(line, page number) for every line of the PDF's text layer."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("the PDF is password-protected; save an unprotected copy or export the text")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except PdfReadError as err:
        raise ReadError(f"not a readable PDF ({err}); open it and save or print it again as PDF") from err
    except Exception as err:  # pypdf raises many kinds on damaged files
        raise ReadError(f"not a readable PDF ({type(err).__name__}); open it and save or print it again "
                        "as PDF") from err
    lines = [(line, number) for number, text in enumerate(pages, start=1) for line in text.split("\n")]
    if sum(ch.isalpha() for line, _ in lines for ch in line) < MIN_LETTERS:
        raise ReadError("the PDF has no text layer (a scan or an image); run OCR on it or export the "
                        "transcript as .docx or .txt")
    return lines
