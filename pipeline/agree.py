"""Learning from statements a researcher coded by hand, and how well teema agrees with its coders.

A coded file (CSV, in the study folder as `coded.csv` by default) has a `segment_id` (from segments.csv)
or a `text` column, and any of `stage`, `polarity`, `theme`. `teema themes` adds its rows to the
definitions' examples when it fits the stage and polarity classifiers; `teema agree` measures, with
k-fold cross-validation so every coded row is held out once, Cohen's kappa between the coders and the very
tagger `teema themes` runs (pipeline.tagger) with (a) the definitions alone, (b) the definitions plus the
coded rows of the other folds, and for themes (c) a classifier learned on the coded themes and (d) teema's
own themes from the latest report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, cohen_kappa_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from pipeline.corpus.decode import decode_text
from pipeline.corpus.feedback import csv_records
from pipeline.corpus.language import detect_language
from pipeline.corpus.problems import ReadError
from pipeline.notices import Notice, notice
from pipeline.tagger import Tagger
from pipeline.tagging import LabelSet

FIELDS = ("stage", "polarity", "theme")
ALIASES = {
    "segment_id": ("segment_id", "segmentti", "segment", "id"),
    "text": ("text", "teksti", "lausuma", "statement", "kommentti"),
    "stage": ("stage", "vaihe"),
    "polarity": ("polarity", "suunta", "onnistuminen"),
    "theme": ("theme", "teema", "theme_id", "teema_id"),
}


@dataclass
class Coded:
    """The coded rows (segment_id, text, stage, polarity, theme as label ids, '' where not coded)
    and one message per cell that could not be used, naming file and line."""

    rows: pd.DataFrame
    problems: list[Notice]  # pipeline.notices: shown as the run's notices


def _find(headers: list[str], names: tuple[str, ...]) -> str | None:
    folded = {" ".join(h.split()).casefold().replace(" ", "_"): h for h in headers}
    return next((folded[name] for name in names if name in folded), None)


def read_coded(path: Path, stages: LabelSet, polarity: LabelSet) -> Coded:
    """Read a coded-statements file; stage and polarity may be ids or Finnish or English names."""
    headers, records = csv_records(decode_text(path.read_bytes()))
    columns = {field: _find(headers, names) for field, names in ALIASES.items()}
    if not columns["segment_id"] and not columns["text"]:
        raise ReadError("needs a segment_id column (from segments.csv) or a text column")
    if not any(columns[field] for field in FIELDS):
        raise ReadError("needs at least one coded column: stage, polarity or theme")
    rows, problems = [], []
    for line, record in records:
        row = {field: " ".join(record.get(header, "").split()) if header else "" for field, header in columns.items()}
        for field, label_set in (("stage", stages), ("polarity", polarity)):
            if row[field]:
                label_id = label_set.find(row[field])
                if label_id is None:
                    problems.append(notice("coded.not_a_label", file=path.name, line=line, column=field,
                                           value=row[field], allowed=", ".join(label_set.ids)))
                row[field] = label_id or ""
        if (row["segment_id"] or row["text"]) and any(row[field] for field in FIELDS):
            rows.append({"line": line, **row})
    return Coded(pd.DataFrame(rows, columns=["line", "segment_id", "text", *FIELDS]), problems)


def attach_texts(coded: Coded, segments: pd.DataFrame, source: str) -> Coded:
    """Fill each row's text (and segment id) from the study's statements; rows naming no known statement go."""
    text_of = dict(zip(segments["segment_id"], segments["text"], strict=True))
    id_of = {text: sid for sid, text in zip(segments["segment_id"], segments["text"], strict=True)}
    rows, problems = coded.rows.copy(), list(coded.problems)
    keep = []
    for i, row in rows.iterrows():
        if row["segment_id"] and row["segment_id"] in text_of:
            rows.at[i, "text"] = text_of[row["segment_id"]]
        elif row["segment_id"] and not row["text"]:
            problems.append(notice("coded.unknown_segment", file=source, line=row["line"], segment=row["segment_id"]))
            continue
        else:
            rows.at[i, "segment_id"] = id_of.get(row["text"], "")
        keep.append(i)
    return Coded(rows.loc[keep].reset_index(drop=True), problems)


def _folds(labels: np.ndarray, folds: int, seed: int):
    counts = pd.Series(labels).value_counts()
    if len(counts) > 1 and counts.min() >= folds:
        return StratifiedKFold(folds, shuffle=True, random_state=seed).split(labels, labels)
    return KFold(folds, shuffle=True, random_state=seed).split(labels)


def _scores(truth: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    return {"kappa": round(float(cohen_kappa_score(truth, predicted)), 3),
            "accuracy": round(float(accuracy_score(truth, predicted)), 3)}


def _statements(rows: pd.DataFrame, context: pd.DataFrame | None) -> tuple[pd.DataFrame, np.ndarray]:
    """What the tagger tags, and where each coded row is in it: the study's statements (`context`, as `teema
    themes` tags them: with their theme, question and NPS), plus any coded row that is not one of them, alone."""
    known = {} if context is None else {sid: i for i, sid in enumerate(context["segment_id"]) if sid}
    extra = rows[~rows["segment_id"].isin(known)]
    bare = pd.DataFrame({"segment_id": extra["segment_id"].tolist(), "text": extra["text"].tolist(),
                         "lang": [detect_language(text) for text in extra["text"]]})
    statements = bare if context is None else pd.concat([context, bare], ignore_index=True)
    offset = 0 if context is None else len(context)
    position = dict(zip(extra.index, range(offset, offset + len(extra)), strict=True))
    where = [known[sid] if sid in known else position[i] for i, sid in zip(rows.index, rows["segment_id"],
                                                                           strict=True)]
    return statements.reset_index(drop=True), np.asarray(where, dtype=int)


def agreement(coded: pd.DataFrame, tagger: Tagger, teema_themes: dict[str, str] | None = None, folds: int = 5,
              seed: int = 0, context: pd.DataFrame | None = None,
              team_codes: dict[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """Cohen's kappa and accuracy per field and method, every coded row scored while held out.

    Stage and polarity are the `tagger`'s (pipeline.tagger.build_tagger: the one `teema themes` tags with), on
    the study's statements in `context` (segment_id, text, lang, and question, nps, theme_id, subtheme_id as
    the study has them) when given, so a coded row is tagged exactly as in the report; "definitions + coded
    rows" refits the classifiers on the other folds' coded rows. `teema_themes` maps segment ids to the theme
    teema gave them; each teema theme is read as the coder theme most of its training-fold statements carry (a
    many-to-one mapping learned on the other folds).
    `team_codes` (a study with a code frame): segment id -> (team code, team theme) teema coded it to;
    compared with the coder's theme as it is, no mapping learned, since both name the team's codes.
    """
    records = []
    for field in FIELDS:
        rows = coded[coded[field] != ""].reset_index(drop=True)
        if len(rows) < folds * 2 or rows[field].nunique() < 2:
            if len(rows):
                records.append({"field": field, "method": "-", "rows": len(rows), "kappa": np.nan,
                                "accuracy": np.nan, "note": f"too few coded rows or labels for {folds}-fold"})
            continue
        truth = rows[field].to_numpy(dtype=object)
        predicted = {}
        if field in ("stage", "polarity"):
            statements, where = _statements(rows, context)
            vectors = tagger.embed(statements["text"].tolist())
            predicted["definitions only"] = tagger.tag(statements, vectors)[field].to_numpy(dtype=object)[where]
            learned = np.empty(len(rows), dtype=object)
            for train, test in _folds(truth, folds, seed):
                refitted = tagger.learned(field, (rows["text"].to_numpy()[train].tolist(), truth[train].tolist()))
                learned[test] = refitted.tag(statements, vectors)[field].to_numpy(dtype=object)[where[test]]
            predicted["definitions + coded rows"] = learned
        else:
            vectors = tagger.embed(rows["text"].tolist())
            learned = np.empty(len(rows), dtype=object)
            for train, test in _folds(truth, folds, seed):
                if len(set(truth[train])) < 2:
                    learned[test] = truth[train][0]
                    continue
                model = make_pipeline(StandardScaler(with_std=False), LogisticRegression(C=10.0, max_iter=5000))
                learned[test] = model.fit(vectors[train], truth[train]).predict(vectors[test])
            predicted["learned from coded themes"] = learned
            known = sum(sid in teema_themes for sid in rows["segment_id"]) if teema_themes else 0
            if known >= len(rows) / 2:  # rows must name statements of the report (segment ids) to compare themes
                found = np.array([teema_themes.get(sid, "") for sid in rows["segment_id"]], dtype=object)
                mapped = np.empty(len(rows), dtype=object)
                for train, test in _folds(truth, folds, seed):
                    pairs = pd.DataFrame({"teema": found[train], "coder": truth[train]})
                    votes = pairs.groupby("teema")["coder"].agg(lambda s: s.value_counts().sort_index().idxmax())
                    fallback = pd.Series(truth[train]).value_counts().sort_index().idxmax()
                    mapped[test] = [votes.get(t, fallback) for t in found[test]]
                predicted["teema's themes (latest report)"] = mapped
            if team_codes and sum(sid in team_codes for sid in rows["segment_id"]) >= len(rows) / 2:
                predicted["teema's team codes (latest report)"] = team_code_guess(rows["segment_id"], truth,
                                                                                 team_codes)
        for method, guess in predicted.items():
            records.append({"field": field, "method": method, "rows": len(rows), **_scores(truth, guess), "note": ""})
    return pd.DataFrame(records, columns=["field", "method", "rows", "kappa", "accuracy", "note"])


def team_code_guess(segment_ids: pd.Series, truth: np.ndarray, team_codes: dict[str, tuple[str, str]]
                    ) -> np.ndarray:
    """teema's team code for each coded row, at the level the coder coded (a child code or its theme), in the
    coder's spelling; '(new theme)' where teema coded the statement to no team code."""
    spelling = {str(t).casefold(): t for t in truth}
    codes = [team_codes.get(sid, ("", "")) for sid in segment_ids]
    leaf_hits = sum(code.casefold() in spelling for code, _ in codes if code)
    theme_hits = sum(theme.casefold() in spelling for code, theme in codes if code)
    level = 0 if leaf_hits >= theme_hits else 1
    return np.array([spelling.get(pair[level].casefold(), pair[level]) if pair[0] else "(new theme)"
                     for pair in codes], dtype=object)


def strength(kappa: float) -> str:
    """Landis and Koch's words for a kappa, so a team can say it in a sentence."""
    if np.isnan(kappa):
        return ""
    for bound, word in ((0.0, "poor"), (0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial")):
        if kappa <= bound:
            return word
    return "almost perfect"
