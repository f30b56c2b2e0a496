"""Word transcripts (.docx) to the plain transcript text the transcript parser reads.

Speakers can be a typed prefix ("Haastattelija: ..."), a bold name at the start of the paragraph
("**Mikko Virtanen** Joo, ..."), a bold name alone on its own paragraph with the speech below,
a Teams-style "Name 0:03" line, or a two- or three-column table (time | speaker | text). Headings
are kept out of the speech. Each line remembers its paragraph number, which becomes the location.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

from pipeline.corpus.archive import check_package
from pipeline.corpus.problems import ReadError
from pipeline.corpus.transcripts import is_name_then_time

_TIME_CELL = re.compile(r"^\[?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\]?$")
MAX_LABEL_CHARS = 40
MAX_PARAGRAPHS = 100_000  # paragraphs and table rows; a two-hour interview has a few thousand
_HEADER_CELLS = frozenset({"aika", "time", "aikaleima", "timestamp", "puhuja", "speaker", "nimi", "name", "teksti",
                           "text", "puhe", "speech", "sisältö", "content", "kommentti", "comment"})


def _is_bold(run) -> bool:
    if run.bold:
        return True
    if run.bold is None and run.style is not None and run.style.font.bold:
        return True
    return False


def _bold_prefix(paragraph) -> tuple[str, str]:
    """(leading bold text, the rest) of a paragraph; ('', text) when it does not start in bold."""
    bold, rest, in_prefix = [], [], True
    for run in paragraph.runs:
        if in_prefix and (_is_bold(run) or not run.text.strip() and bold):
            bold.append(run.text)
        else:
            in_prefix = False
            rest.append(run.text)
    return "".join(bold).strip(), "".join(rest).strip()


def _heading(paragraph) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return name.lower().startswith(("heading", "title", "otsikko", "subtitle"))


def docx_lines(path: Path) -> list[tuple[str, int]]:
    """(line, paragraph number) for every line of speech-bearing text, in document order."""
    import docx
    from docx.table import Table

    check_package(path)
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise ReadError("not a readable Word file (damaged, password-protected or an old .doc); "
                        "open it in Word and save it again as .docx") from err
    except Exception as err:  # python-docx and lxml raise many kinds on a damaged package
        raise ReadError(f"not a readable Word file ({type(err).__name__}); open it in Word and save it again "
                        "as .docx") from err
    blocks: list[tuple[str, str, str, int]] = []  # (kind, bold prefix or label, text, paragraph number)
    number = 0
    for block in document.iter_inner_content():
        if number > MAX_PARAGRAPHS:
            raise ReadError(f"the document has over {MAX_PARAGRAPHS} paragraphs, far more than an interview; it is "
                            "not read: split it into one file per interview")
        if isinstance(block, Table):
            for index, row in enumerate(block.rows):
                number += 1
                cells = [c.text.strip() for c in row.cells]
                cells = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
                if index == 0 and cells and all(c.lower().rstrip(":") in _HEADER_CELLS for c in cells):
                    continue
                if len(cells) >= 3 and _TIME_CELL.match(cells[0]):
                    blocks.append(("line", "", f"[{cells[0].strip('[]')}] {cells[1]}: {' '.join(cells[2:])}", number))
                elif len(cells) >= 2 and len(cells[0]) <= MAX_LABEL_CHARS:
                    blocks.append(("line", "", f"{cells[0]}: {' '.join(cells[1:])}", number))
                elif cells:
                    blocks.append(("line", "", " ".join(cells), number))
            continue
        number += 1
        text = block.text.strip()
        if not text:
            continue
        if _heading(block):
            blocks.append(("line", "", f"# {text}", number))
            continue
        bold, rest = _bold_prefix(block)
        if is_name_then_time(text):
            blocks.append(("line", "", text, number))
        elif bold and len(bold) <= MAX_LABEL_CHARS and bold != text:
            blocks.append(("bold", bold, rest, number))
        elif bold and bold == text and len(bold) <= MAX_LABEL_CHARS:
            blocks.append(("bold-alone", bold, "", number))
        else:
            blocks.append(("line", "", text, number))
    # Leading bold is a speaker when it ends in a colon or the same name recurs (emphasis and headings don't).
    recurring = Counter(b[1].rstrip(":").strip() for b in blocks if b[0] in ("bold", "bold-alone"))
    lines: list[tuple[str, int]] = []
    for kind, label, text, paragraph in blocks:
        name = label.rstrip(":").strip()
        speaker = kind in ("bold", "bold-alone") and (label.endswith(":") or text.startswith(":")
                                                      or recurring[name] > 1)
        if speaker:
            rest = text.lstrip(":").strip()
            first, *more = rest.split("\n") if rest else [""]
            lines.append((f"{name}: {first}".rstrip(), paragraph))
            lines.extend((extra, paragraph) for extra in more)
        elif kind == "bold-alone":
            lines.append((f"# {label}", paragraph))
        elif kind == "bold":
            lines.append((f"{label} {text}", paragraph))
        else:
            lines.extend((part, paragraph) for part in text.split("\n"))
    return lines
