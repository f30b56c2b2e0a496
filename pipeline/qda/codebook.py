"""teema's codebook as a REFI-QDA `.qdc` (Codebook.xsd, QDA-XML 1.0): the same code tree and GUIDs as the project,
for a team that keeps its code frame in NVivo, ATLAS.ti or MAXQDA and brings it back next round."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pipeline.qda.codes import Code
from pipeline.qda.guids import xml_text

NS = "urn:QDA-XML:codebook:1.0"
CODEBOOK_QDC = "codebook.qdc"
SCHEMA = Path(__file__).with_name("Codebook.xsd")


def _code(parent, code: Code) -> None:
    element = etree.SubElement(parent, f"{{{NS}}}Code")
    element.set("guid", code.guid)
    element.set("name", xml_text(code.name) or code.key)
    element.set("isCodable", "true" if code.codable else "false")
    if code.colour:
        element.set("color", code.colour)
    if code.description:
        etree.SubElement(element, f"{{{NS}}}Description").text = xml_text(code.description)
    for child in code.children:
        _code(element, child)


def codebook_xml(codes: list[Code]) -> bytes:
    """The `.qdc` document for these code groups."""
    root = etree.Element(f"{{{NS}}}CodeBook", nsmap={None: NS})
    root.set("origin", "teema")
    codes_el = etree.SubElement(root, f"{{{NS}}}Codes")
    for group in codes:
        _code(codes_el, group)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, standalone=True)


def write_codebook(path: Path, codes: list[Code]) -> Path:
    """Write `path` (a .qdc) atomically."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(codebook_xml(codes))
    tmp.replace(path)
    return path
