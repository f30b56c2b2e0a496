"""Reading REFI-QDA files back: a `.qdpx` project (codes, sources, coded selections) and the codes of a `.qdc`
codebook or a `.qdpx`, so a team's code frame from NVivo, ATLAS.ti, MAXQDA or QualCoder can start a study.

Bad input (not a zip, not QDA-XML, a zip bomb, a selection outside its source) is a QdaError with one line that
names the file and what to do; never a traceback.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.corpus.archive import check_package
from pipeline.corpus.problems import ReadError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class QdaError(ValueError):
    """A REFI-QDA file teema cannot use; the message names it and says what to do."""


@dataclass
class QdaCode:
    guid: str
    name: str
    description: str = ""
    parent: str = ""  # the parent code's guid; "" at the top
    codable: bool = True
    examples: list[str] = field(default_factory=list)  # texts coded to it (a .qdpx only)


@dataclass
class QdaSelection:
    guid: str
    source: str  # the source's guid
    start: int
    end: int
    codes: list[str]  # code guids
    name: str = ""
    description: str = ""


@dataclass
class QdaProject:
    name: str
    codes: dict[str, QdaCode]
    sources: dict[str, tuple[str, str]]  # guid -> (name, plain text)
    selections: list[QdaSelection]
    cases: dict[str, dict[str, str]]  # case name -> variable name -> value

    def text_of(self, selection: QdaSelection) -> str:
        return self.sources[selection.source][1][selection.start:selection.end]


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse(data: bytes, path: Path) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as err:
        raise QdaError(f"{path.name}: not readable XML ({err.msg}); export it again from the QDA tool "
                       "(REFI-QDA codebook .qdc or project .qdpx)") from None


def _codes(element: etree._Element, parent: str, found: dict[str, QdaCode], path: Path) -> None:
    for child in element:
        if _local(child.tag) != "Code":
            continue
        code_guid, name = child.get("guid", ""), (child.get("name") or "").strip()
        if not code_guid or not name:
            raise QdaError(f"{path.name}: a code without a guid or a name; export the codebook again")
        description = next((d.text or "" for d in child if _local(d.tag) == "Description"), "")
        found[code_guid] = QdaCode(code_guid, name, description.strip(), parent,
                                   child.get("isCodable", "true").lower() != "false")
        _codes(child, code_guid, found, path)


def _code_tree(root: etree._Element, path: Path) -> dict[str, QdaCode]:
    found: dict[str, QdaCode] = {}
    for codebook in root.iter():
        if _local(codebook.tag) == "CodeBook":
            for codes in codebook:
                if _local(codes.tag) == "Codes":
                    _codes(codes, "", found, path)
            break
    return found


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        check_package(path)
        return zipfile.ZipFile(path)
    except ReadError as err:
        raise QdaError(f"{path.name}: {err}") from None
    except (zipfile.BadZipFile, OSError) as err:
        raise QdaError(f"{path.name}: not a REFI-QDA project (a .qdpx is a zip with project.qde; {err}); "
                       "export the project again") from None


def read_project(path: Path) -> QdaProject:
    """A `.qdpx`: its codes, its text sources' plain text, its text selections with their codes, its cases."""
    with _open_zip(path) as archive:
        names = {n.lower(): n for n in archive.namelist()}
        qde = next((names[n] for n in names if n.endswith(".qde") and "/" not in n), None)
        if qde is None:
            raise QdaError(f"{path.name}: no project.qde inside; export the project again as REFI-QDA (.qdpx)")
        root = _parse(archive.read(qde), path)
        if root.tag != f"{{{PROJECT_NS}}}Project":
            raise QdaError(f"{path.name}: project.qde is not a QDA-XML project; export it again as REFI-QDA")
        sources: dict[str, tuple[str, str]] = {}
        selections: list[QdaSelection] = []
        for source in root.iter(f"{{{PROJECT_NS}}}TextSource"):
            text = _source_text(source, archive, names, path)
            sources[source.get("guid", "")] = (source.get("name", ""), text)
            for sel in source.iter(f"{{{PROJECT_NS}}}PlainTextSelection"):
                selections.append(_selection(sel, source.get("guid", ""), len(text), path))
    codes = _code_tree(root, path)
    for selection in selections:
        text = sources[selection.source][1][selection.start:selection.end].strip()
        for code_guid in selection.codes:
            if code_guid in codes and text:
                codes[code_guid].examples.append(text)
    return QdaProject(root.get("name", ""), codes, sources, selections, _cases(root))


def _source_text(source: etree._Element, archive: zipfile.ZipFile, names: dict[str, str], path: Path) -> str:
    inline = next((c.text or "" for c in source if _local(c.tag) == "PlainTextContent"), None)
    if inline is not None:
        return inline
    target = source.get("plainTextPath", "")
    if not target.startswith("internal://"):
        return ""  # an external file the project only points at
    member = names.get(f"sources/{target[len('internal://'):]}".lower())
    if member is None:
        raise QdaError(f"{path.name}: source {source.get('name', '')!r} points at {target}, which is not in the "
                       "file; export the project again with its sources")
    return archive.read(member).decode("utf-8-sig", errors="replace")


def _selection(sel: etree._Element, source: str, length: int, path: Path) -> QdaSelection:
    try:
        start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
    except ValueError:
        raise QdaError(f"{path.name}: selection {sel.get('guid')} has no number for its position; "
                       "export the project again") from None
    if not 0 <= start <= end <= length:
        raise QdaError(f"{path.name}: selection {sel.get('guid')} ({start}-{end}) lies outside its source of "
                       f"{length} characters; export the project again")
    codes = [ref.get("targetGUID", "") for coding in sel if _local(coding.tag) == "Coding"
             for ref in coding if _local(ref.tag) == "CodeRef"]
    description = next((d.text or "" for d in sel if _local(d.tag) == "Description"), "")
    return QdaSelection(sel.get("guid", ""), source, start, end, codes, sel.get("name", ""), description)


def _cases(root: etree._Element) -> dict[str, dict[str, str]]:
    variables = {v.get("guid"): v.get("name", "") for v in root.iter(f"{{{PROJECT_NS}}}Variable")}
    cases: dict[str, dict[str, str]] = {}
    for case in root.iter(f"{{{PROJECT_NS}}}Case"):
        values = {}
        for value in case:
            if _local(value.tag) != "VariableValue":
                continue
            ref = next((c.get("targetGUID") for c in value if _local(c.tag) == "VariableRef"), None)
            given = next((c.text or "" for c in value if _local(c.tag) != "VariableRef"), "")
            values[variables.get(ref, ref or "")] = given
        cases[case.get("name", case.get("guid", ""))] = values
    return cases


def read_codes(path: Path) -> list[QdaCode]:
    """The codes of a `.qdc` codebook or a `.qdpx` project (with the texts coded to them), in file order."""
    if path.suffix.lower() == ".qdpx":
        codes = read_project(path).codes
    else:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise QdaError(f"{path.name}: cannot be read ({err.strerror}); check the path in teema.toml") from None
        root = _parse(data, path)
        if _local(root.tag) != "CodeBook":
            raise QdaError(f"{path.name}: not a REFI-QDA codebook (no CodeBook element); export the codebook "
                           "again as .qdc")
        codes = _code_tree(root, path)
    if not codes:
        raise QdaError(f"{path.name}: has no codes; export the codebook with its codes")
    return list(codes.values())
