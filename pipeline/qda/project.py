"""The study as a REFI-QDA project (`<study>.qdpx`: `project.qde` + `Sources/`), for a researcher who goes on
coding in NVivo, ATLAS.ti, MAXQDA or QualCoder: sources, teema's codes, every coded statement as a selection with
its codings, respondents as cases with their metadata, and teema's decisions as notes.

Deterministic: GUIDs come from content, the zip's timestamps are fixed, so one study gives one file byte for byte.
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import pandas as pd
from lxml import etree

from pipeline.notices import notice_texts
from pipeline.qda.codes import Code, statement_code_keys, study_codes
from pipeline.qda.guids import guid, xml_text
from pipeline.qda.sources import SourceText, source_texts

NS = "urn:QDA-XML:project:1.0"
PROJECT_FILE = "project.qde"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
USER = guid("user", "teema")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CASE_COLUMNS = (("source", "Text"), ("wave", "Text"), ("date", "Date"), ("lang", "Text"), ("nps", "Float"),
                 ("csat", "Float"), ("ces", "Float"))


def project_file_name(study: str) -> str:
    """`<study>.qdpx`: the file a QDA tool opens (Import project)."""
    return f"{study or 'study'}.qdpx"


def _el(parent, tag: str, **attrs) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}")
    for key, value in attrs.items():
        element.set(key, value)
    return element


def _inert(value: object) -> str:
    """XML-safe text that a spreadsheet would not run as a formula (a QDA tool exports notes and codes to Excel)."""
    from pipeline.report.writers import neutralise_formula

    return str(neutralise_formula(xml_text(value)))


def _text_el(parent, tag: str, text: str) -> None:
    if text:
        _el(parent, tag).text = _inert(text)


def _code_el(parent, code: Code) -> None:
    attrs = {"guid": code.guid, "name": _inert(code.name) or code.key, "isCodable": "true" if code.codable
             else "false"}
    if code.colour:
        attrs["color"] = code.colour
    element = _el(parent, "Code", **attrs)
    _text_el(element, "Description", code.description)
    if code.note:
        _el(element, "NoteRef", targetGUID=guid("note", code.key))
    for child in code.children:
        _code_el(element, child)


def _number(value: object) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    if not math.isfinite(number):
        return ""
    return f"{number:.6f}".rstrip("0").rstrip(".")


def _variables(segments: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(column, variable name, type) for the respondent columns that have a value somewhere."""
    meta = sorted(c for c in segments.columns if str(c).startswith("meta_"))
    found = []
    for column, kind in (*_CASE_COLUMNS, *((m, "Text") for m in meta)):
        if column in segments and segments[column].map(lambda v: bool(xml_text(v).strip())).any():
            name = column[len("meta_"):] if column.startswith("meta_") else column
            found.append((column, name, kind))
    return found


def _variable_value(parent, column: str, kind: str, value: object) -> None:
    text = xml_text(value).strip()
    if kind == "Float":
        text = _number(value)
    if not text:
        return
    element = _el(parent, "VariableValue")
    _el(element, "VariableRef", targetGUID=guid("variable", column))
    if kind == "Date" and _DATE.match(text):
        _el(element, "DateValue").text = text
    elif kind == "Float":
        _el(element, "FloatValue").text = text
    else:
        _el(element, "TextValue").text = text


def _decision(row) -> str:
    """Why a statement is coded as it is: the scores and who decided (model, codebook, coder)."""
    parts = [f"segment {row.segment_id}", f"location {xml_text(row.location)}"]
    if xml_text(getattr(row, "theme_id", "")):
        parts.append(f"theme {row.theme_id} (similarity {_number(getattr(row, 'theme_similarity', ''))})")
    for column in ("stage", "polarity"):
        value = xml_text(getattr(row, column, ""))
        if value:
            source = xml_text(getattr(row, f"{column}_source", "")) or "model"
            parts.append(f"{column} {value} ({source}, confidence {_number(getattr(row, f'{column}_confidence', ''))})")
    touchpoint = xml_text(getattr(row, "touchpoint", ""))
    if touchpoint:
        parts.append(f"touchpoint {touchpoint} (confidence {_number(getattr(row, 'touchpoint_confidence', ''))})")
    if xml_text(getattr(row, "code_similarity", "")):
        parts.append(f"team code similarity {_number(row.code_similarity)}")
    return "; ".join(parts)


def _selection_name(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


def project_tree(name: str, segments: pd.DataFrame, themes: pd.DataFrame, subthemes: pd.DataFrame | None,
                 stages, frames=(), notes: dict[str, str] | None = None, lang: str = "en", touchpoints=None
                 ) -> tuple[bytes, dict[str, str]]:
    """`project.qde` as bytes and the sources' texts by their path inside the zip (`Sources/<guid>.txt`).

    `segments` are the exported (redacted when redaction is on) statements; `notes` are project-level notes
    (title -> text), such as the method and the run's notices.
    """
    segments = segments.fillna({"text": "", "speaker": "", "location": "", "respondent_id": ""})
    sources = source_texts(segments)
    codes = study_codes(segments, themes, subthemes, stages, frames, lang, touchpoints)
    known = {code.key for group in codes for code in group.walk()}
    root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS})
    root.set("name", xml_text(name))
    root.set("origin", "teema")
    root.set("creatingUserGUID", USER)
    users = _el(root, "Users")
    _el(users, "User", guid=USER, name="teema")
    codebook = _el(_el(root, "CodeBook"), "Codes")
    for group in codes:
        _code_el(codebook, group)
    respondents = segments[(segments.get("role", "respondent") == "respondent") & (segments["respondent_id"] != "")]
    variables = _variables(respondents)
    if variables:
        element = _el(root, "Variables")
        for column, variable, kind in variables:
            _el(element, "Variable", guid=guid("variable", column), name=variable, typeOfVariable=kind)
    _cases(root, respondents, sources, variables)
    texts = _sources(root, segments, sources, known, frames)
    _notes(root, codes, notes or {})
    for title in sorted(notes or {}):
        _el(root, "NoteRef", targetGUID=guid("note", "project", title))
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, standalone=True)
    return xml, texts


def _cases(root, respondents: pd.DataFrame, sources: list[SourceText], variables) -> None:
    """One case per respondent: an interviewee's whole file, a survey respondent's answer line(s)."""
    if respondents.empty:
        return
    by_doc = {s.doc_id: s for s in sources}
    cases = _el(root, "Cases")
    for rid, rows in respondents.groupby("respondent_id", sort=True):
        case = _el(cases, "Case", guid=guid("case", str(rid)), name=xml_text(rid))
        for column, _, kind in variables:
            values = [v for v in rows[column].tolist() if xml_text(v).strip()] if column in rows else []
            if values:
                _variable_value(case, column, kind, values[0])
        docs = sorted(set(rows["doc_id"].astype(str)))
        for doc in docs:
            if by_doc[doc].kind != "feedback":
                _el(case, "SourceRef", targetGUID=guid("source", doc))
        for doc in docs:
            for n, (answer_rid, _, _) in enumerate(by_doc[doc].answers):
                if answer_rid == str(rid):
                    _el(case, "SelectionRef", targetGUID=guid("answer", doc, str(n)))


def _sources(root, segments: pd.DataFrame, sources: list[SourceText], known: set[str], frames) -> dict[str, str]:
    element = _el(root, "Sources")
    texts: dict[str, str] = {}
    rows = {str(r.segment_id): r for r in segments.itertuples(index=False)}
    for source in sources:
        source_guid = guid("source", source.doc_id)
        path = f"{source_guid}.txt"
        texts[f"Sources/{path}"] = source.text
        node = _el(element, "TextSource", guid=source_guid, name=xml_text(source.doc_id),
                   plainTextPath=f"internal://{path}", creatingUser=USER)
        for n, (rid, start, end) in enumerate(source.answers):
            _el(node, "PlainTextSelection", guid=guid("answer", source.doc_id, str(n)), name=xml_text(rid),
                startPosition=str(start), endPosition=str(end), creatingUser=USER)
        for segment_id, (start, end) in source.spans.items():
            row = rows[segment_id]
            keys = [k for k in statement_code_keys(row, frames) if k in known]
            if not keys or getattr(row, "role", "respondent") != "respondent":
                continue
            selection_guid = guid("selection", segment_id)
            selection = _el(node, "PlainTextSelection", guid=selection_guid,
                            name=_selection_name(source.text[start:end]), startPosition=str(start),
                            endPosition=str(end), creatingUser=USER)
            _text_el(selection, "Description", _decision(row))
            for key in keys:
                coding = _el(selection, "Coding", guid=guid("coding", segment_id, key), creatingUser=USER)
                _el(coding, "CodeRef", targetGUID=guid("code", key))
    return texts


def _notes(root, codes: list[Code], notes: dict[str, str]) -> None:
    entries = [(guid("note", "project", title), title, text) for title, text in sorted(notes.items())]
    entries += [(guid("note", code.key), code.name, code.note) for group in codes for code in group.walk()
                if code.note]
    if not entries:
        return
    element = _el(root, "Notes")
    for note_guid, title, text in entries:
        note = _el(element, "Note", guid=note_guid, name=_inert(title), creatingUser=USER)
        _el(note, "PlainTextContent").text = _inert(text)


def write_qdpx(path: Path, xml: bytes, texts: dict[str, str]) -> Path:
    """The zip, written beside `path` and moved into place, so a reader never sees half a project."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [(PROJECT_FILE, xml), *sorted((n, t.encode("utf-8")) for n, t in texts.items())]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    tmp.replace(path)
    return path


def write_project(result, out_dir: Path, lang: str = "en") -> Path:
    """`out_dir/<study>.qdpx` from a StudyResult (its exported, redacted-when-on tables)."""
    settings = getattr(result, "settings", {}) or {}
    notes = {"teema: method": "\n".join(f"{k}: {v}" for k, v in settings.items() if k != "date")}
    if getattr(result, "notices", None):
        notes["teema: notices"] = "\n".join(notice_texts(result.notices, lang))
    xml, texts = project_tree(f"{result.study} {result.wave}".strip(), result.segments, result.themes,
                              result.subthemes, result.stages, getattr(result, "frames", ()), notes, lang,
                              getattr(result, "touchpoints", None))
    return write_qdpx(out_dir / project_file_name(result.study), xml, texts)
