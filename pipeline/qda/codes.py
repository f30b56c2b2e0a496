"""teema's coding as a REFI-QDA code tree: themes with their sub-themes, journey stages, success / failure and any
frame, each group under one parent that cannot be coded itself. Shared by the project (.qdpx) and the codebook
(.qdc) so both carry the same codes with the same GUIDs."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.qda.guids import guid, xml_text

_POLARITY_NAMES = {"success": ("Success", "Onnistuminen"), "failure": ("Failure", "Epäonnistuminen"),
                   "neutral": ("Neutral", "Neutraali")}
_POLARITY_COLOURS = {"success": "#2E7D32", "failure": "#C62828", "neutral": "#757575"}
_PALETTE = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22",
            "#17BECF")
_GROUPS = {"themes": ("Themes", "Teemat"), "stage": ("Journey stage", "Polun vaihe"),
           "polarity": ("Success / failure", "Onnistuminen / epäonnistuminen"),
           "touchpoint": ("Touchpoint", "Kosketuspiste")}


@dataclass
class Code:
    key: str  # what selections refer to: "theme:T03", "subtheme:T03.1", "stage:contract", "polarity:failure"
    name: str
    description: str = ""
    codable: bool = True
    colour: str = ""
    children: list[Code] = field(default_factory=list)
    note: str = ""  # teema's reasoning for this code (a Note in the project)

    @property
    def guid(self) -> str:
        return guid("code", self.key)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _group(key: str, lang: str) -> Code:
    en, fi = _GROUPS.get(key, (key, key))
    return Code(f"group:{key}", fi if lang == "fi" else en, codable=False)


def _counts(row, lang: str) -> str:
    mentions, respondents = int(getattr(row, "mentions", 0) or 0), int(getattr(row, "respondents", 0) or 0)
    if lang == "fi":
        return f"{mentions} {'lausuma' if mentions == 1 else 'lausumaa'}, {respondents} " \
               f"{'vastaaja' if respondents == 1 else 'vastaajaa'}"
    return f"{mentions} statement{'s' * (mentions != 1)}, {respondents} respondent{'s' * (respondents != 1)}"


def theme_codes(themes: pd.DataFrame, subthemes: pd.DataFrame | None, lang: str = "en") -> Code:
    """Themes as codes named 'T03 label', each with its sub-themes' codes ('T03.1 label') as children."""
    root = _group("themes", lang)
    subs = subthemes if subthemes is not None else pd.DataFrame(columns=["subtheme_id", "theme_id"])
    for i, theme in enumerate(themes.itertuples(index=False)):
        keywords = xml_text(getattr(theme, "keywords", ""))
        description = "; ".join(part for part in (keywords, _counts(theme, lang)) if part)
        note = "\n".join(part for part in (
            f"{theme.theme_id}: {xml_text(theme.label)}",
            f"keywords: {keywords}" if keywords else "",
            _counts(theme, lang),
            f"codebook: {xml_text(theme.codebook)}" if xml_text(getattr(theme, "codebook", "")) else "",
            f"origin: {xml_text(theme.origin)}" if xml_text(getattr(theme, "origin", "")) else "",
        ) if part)
        origin = xml_text(getattr(theme, "origin", ""))
        team = origin == "team code"  # a team's own code keeps its name, so it reads back as the team wrote it
        name = xml_text(theme.label) if team else f"{theme.theme_id} {xml_text(theme.label)}".strip()
        if origin == "new":
            name = f"{name} [{'uusi' if lang == 'fi' else 'new'}]"
            description = "; ".join(p for p in (description, "not in the team's code frame: found by teema") if p)
        code = Code(f"theme:{theme.theme_id}", name, description, colour=_PALETTE[i % len(_PALETTE)], note=note)
        for sub in subs[subs["theme_id"] == theme.theme_id].itertuples(index=False):
            sub_keywords = xml_text(getattr(sub, "keywords", ""))
            sub_name = xml_text(sub.label) if team else f"{sub.subtheme_id} {xml_text(sub.label)}"
            code.children.append(Code(f"subtheme:{sub.subtheme_id}", sub_name,
                                      "; ".join(p for p in (sub_keywords, _counts(sub, lang)) if p),
                                      colour=code.colour))
        root.children.append(code)
    return root


def label_codes(group: str, labels: list[tuple[str, str, str]], lang: str = "en") -> Code:
    """A group of codes from (id, name, description) triples: the stages, the polarities, a frame's labels."""
    root = _group(group, lang)
    for label_id, name, description in labels:
        root.children.append(Code(f"{group}:{label_id}", xml_text(name) or label_id, xml_text(description),
                                  colour=_POLARITY_COLOURS.get(label_id, "") if group == "polarity" else ""))
    return root


def polarity_labels(values: list[str], lang: str = "en") -> list[tuple[str, str, str]]:
    """success / failure / neutral (in that order, the ones present), named in the report's language."""
    order = [p for p in _POLARITY_NAMES if p in values] + sorted(set(values) - set(_POLARITY_NAMES) - {""})
    return [(p, _POLARITY_NAMES.get(p, (p, p))[1 if lang == "fi" else 0], "") for p in order]


def study_codes(segments: pd.DataFrame, themes: pd.DataFrame, subthemes: pd.DataFrame | None, stages,
                frames=(), lang: str = "en", touchpoints=None) -> list[Code]:
    """Every code group of a study: themes, stages (`stages`: a LabelSet), polarity, touchpoints when tagged
    (named from `touchpoints`, pipeline.touchpoints.Touchpoint), and each frame (LabelSets)."""
    stage_labels = [(label.id, label.name(lang), label.description_fi if lang == "fi" else label.description_en)
                    for label in stages.labels]
    groups = [theme_codes(themes, subthemes, lang), label_codes("stage", stage_labels, lang),
              label_codes("polarity", polarity_labels(segments.get("polarity", pd.Series(dtype=str)).fillna("")
                                                      .astype(str).unique().tolist(), lang), lang)]
    if "touchpoint" in segments:
        placed = sorted(t for t in segments["touchpoint"].fillna("").astype(str).unique() if t and t != "unplaced")
        known = {tp.id: tp for tp in touchpoints or ()}
        groups.append(label_codes("touchpoint", [
            (t, known[t].name(lang) if t in known else t,
             (known[t].description_fi if lang == "fi" else known[t].description_en) if t in known else "")
            for t in placed], lang))
    for frame in frames:
        root = Code(f"group:frame_{frame.id}", frame.name(lang), codable=False)
        root.children = [Code(f"frame_{frame.id}:{label.id}", label.name(lang),
                              label.description_fi if lang == "fi" else label.description_en)
                         for label in frame.labels]
        groups.append(root)
    return groups


def statement_code_keys(row, frames=()) -> list[str]:
    """The codes one statement is coded to: its sub-theme (else its theme), stage, polarity, touchpoint, frames."""
    keys = []
    subtheme, theme = xml_text(getattr(row, "subtheme_id", "")), xml_text(getattr(row, "theme_id", ""))
    if subtheme:
        keys.append(f"subtheme:{subtheme}")
    elif theme:
        keys.append(f"theme:{theme}")
    for column in ("stage", "polarity", "touchpoint"):
        value = xml_text(getattr(row, column, ""))
        if value and value != "unplaced":
            keys.append(f"{column}:{value}")
    for frame in frames:
        value = xml_text(getattr(row, f"frame_{frame.id}", ""))
        if value:
            keys.append(f"frame_{frame.id}:{value}")
    return keys
