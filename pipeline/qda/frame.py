"""A team's own code frame, read from a REFI-QDA codebook (`.qdc`), a project's codes (`.qdpx`, with the statements
the team coded to each as examples), or a CSV of code names, descriptions and example statements in Finnish or
English. `[themes] code_frame` in teema.toml names the file; see docs/qda.md.

A code's parent is its theme: a team's top-level codes become themes, their child codes sub-themes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.corpus.decode import decode_text
from pipeline.corpus.problems import ReadError
from pipeline.qda.guids import guid
from pipeline.qda.read import QdaError, read_codes

# CSV headers, Finnish or English, compared without case
NAME_HEADERS = ("code", "name", "code name", "koodi", "nimi", "koodin nimi", "teema", "theme")
DESCRIPTION_HEADERS = ("description", "definition", "kuvaus", "määritelmä", "selite")
EXAMPLE_HEADERS = ("examples", "example", "example statements", "esimerkit", "esimerkki", "esimerkkilausumat")
PARENT_HEADERS = ("parent", "parent code", "group", "yläkoodi", "ryhmä", "yläteema")
EXAMPLE_SEPARATOR = " | "
# teema's own groups in a .qdc or .qdpx it wrote: stages and success / failure are tagged, not themes
_TEEMA_GROUPS = {guid("code", f"group:{key}") for key in ("stage", "polarity", "touchpoint")}
MAX_EXAMPLES = 50  # per code: a .qdpx may hold hundreds of coded passages for one code


@dataclass(frozen=True)
class FrameCode:
    name: str
    description: str = ""
    examples: tuple[str, ...] = ()
    parent: str = ""  # the team's top-level code this one sits under ('' when it is top-level itself)

    @property
    def theme(self) -> str:
        return self.parent or self.name


@dataclass(frozen=True)
class CodeFrame:
    source: str  # the file's name, for messages and the report
    codes: tuple[FrameCode, ...]  # what statements are coded to: the team's codable codes, in file order

    @property
    def themes(self) -> list[str]:
        """The team's themes (top-level codes), in file order."""
        return list(dict.fromkeys(code.theme for code in self.codes))


def read_code_frame(path: Path) -> CodeFrame:
    """The code frame in `path` (.qdc, .qdpx or .csv); QdaError with one line naming the file otherwise."""
    if not path.is_file():
        raise QdaError(f"{path.name}: no such file in the study folder; check [themes] code_frame in teema.toml")
    suffix = path.suffix.lower()
    if suffix in (".qdc", ".qdpx"):
        codes = _from_qda(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        codes = _from_csv(path)
    else:
        raise QdaError(f"{path.name}: a code frame is a .qdc codebook, a .qdpx project or a .csv of code names; "
                       "export it as one of those")
    if not codes:
        raise QdaError(f"{path.name}: no codes to code statements to; give at least one code with a name")
    return CodeFrame(path.name, tuple(codes))


def _from_qda(path: Path) -> list[FrameCode]:
    found = read_codes(path)
    by_guid = {code.guid: code for code in found}
    children = {code.parent for code in found if code.codable}

    def top(code) -> tuple[str, bool]:
        """(top-level code's name below any uncodable grouping, whether the code sits in one of teema's tags)."""
        chain = [code]
        while chain[-1].parent in by_guid:
            chain.append(by_guid[chain[-1].parent])
        if any(c.guid in _TEEMA_GROUPS for c in chain):
            return "", True
        codable = [c for c in chain if c.codable]
        return codable[-1].name, False

    codes = []
    for code in found:
        if not code.codable or code.guid in children:
            continue  # a group, or a parent whose children carry the coding
        theme, tag = top(code)
        if tag:
            continue
        codes.append(FrameCode(code.name, code.description, tuple(dict.fromkeys(code.examples))[:MAX_EXAMPLES],
                               "" if theme == code.name else theme))
    return codes


def _find(headers: list[str], names: tuple[str, ...]) -> str | None:
    wanted = {n.casefold() for n in names}
    return next((h for h in headers if h.strip().casefold() in wanted), None)


def _from_csv(path: Path) -> list[FrameCode]:
    try:
        text = decode_text(path.read_bytes())
    except (OSError, UnicodeDecodeError, ReadError) as err:
        raise QdaError(f"{path.name}: cannot be read ({err}); save it as a UTF-8 CSV") from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    headers = list(rows[0].keys()) if rows else []
    name = _find([h for h in headers if h], NAME_HEADERS)
    if name is None:
        raise QdaError(f"{path.name}: no code name column (headers: {', '.join(h for h in headers if h) or 'none'}); "
                       "name one 'code' or 'koodi', with optional 'description' / 'kuvaus' and 'examples' / "
                       "'esimerkit' (examples separated by ' | ')")
    description = _find(headers, DESCRIPTION_HEADERS)
    examples = _find(headers, EXAMPLE_HEADERS)
    parent = _find(headers, PARENT_HEADERS)
    codes: dict[str, FrameCode] = {}
    for row in rows:
        code_name = " ".join((row.get(name) or "").split())
        if not code_name:
            continue
        given = [e.strip() for e in (row.get(examples) or "").replace("\n", EXAMPLE_SEPARATOR).split("|")
                 if e.strip()] if examples else []
        known = codes.get(code_name)
        codes[code_name] = FrameCode(
            code_name,
            (known.description if known else "") or " ".join((row.get(description) or "").split()) if description
            else "",
            tuple(dict.fromkeys([*(known.examples if known else ()), *given]))[:MAX_EXAMPLES],
            " ".join((row.get(parent) or "").split()) if parent else "",
        )
    return list(codes.values())
