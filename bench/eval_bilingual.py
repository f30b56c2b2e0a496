"""Bilingual theme quality: the same labelled items all in English, then half in Finnish and half in English.

    python -m bench.eval_bilingual [--data bench/data/bilingual/parallel.csv] [--limit N] [--results-dir DIR]
        [--embedder NAME --stem STEM]

The data is any UTF-8 CSV with the columns `id,label,text_en,text_fi`: the same item in both languages and a
topic label per item (the bundled one is SIB-200's Finnish and English, see bench/data/bilingual/SOURCE.md).
Two studies are written, each a plain `id,text` feedback export with one row per item (respondent id = item id):

  english     every item in English
  bilingual   the same items, half in Finnish and half in English: within each label the items are ordered by
              the sha1 of their id and take Finnish and English in turn, so each label holds both languages and
              the split is the same on every run

Each runs through teema's command line (`python -m pipeline themes DIR --out OUT --quiet --no-redact`, defaults
otherwise). Respondent rows of OUT/segments.csv are mapped back to their item by respondent_id and scored against
the labels with V-measure and ARI, at the theme level (`theme_id`) and, when the column exists, the sub-theme
level (`subtheme_id`); unassigned statements (empty id) count as singleton clusters. Rows are scored per
statement and per item (the item's most common theme among its statements; teema splits answers into sentences).

With --embedder both studies run on that model (`--embedder NAME`; the default is teema's own choice, `auto`),
and a translation check is added: each item's English and Finnish text embedded, the share whose nearest
Finnish text is its own translation (EN->FI), the other way round (FI->EN), and, in one pool of both languages,
the share whose nearest neighbour is its translation (a model that splits the space by language scores near 0).
It compares the prompts of EmbeddingGemma (`embeddinggemma:STS`, `embeddinggemma:Clustering`).

Also reported: the share of assigned statements that sit in themes holding both languages. A theme holds both
when its minority language (by the language the item was written in) has at least 10% of its statements or at
least 2 of them; a strict variant (at least 10% and at least 2) is shown beside it. The issue's targets: the
bilingual run's V at least 0.9 x the English run's, and at least 80% of assigned statements in themes that hold
both languages.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, v_measure_score

from bench.common import REPO, RESULTS_DIR, cache_dir, go_offline, load_average, machine_line, write_results

DEFAULT_DATA = REPO / "bench" / "data" / "bilingual" / "parallel.csv"
COLUMNS = ("id", "label", "text_en", "text_fi")
LEVELS = (("theme", "theme_id"), ("subtheme", "subtheme_id"))
MIN_SHARE = 0.10  # a theme holds both languages when its minority language has >= 10% of its statements ...
MIN_COUNT = 2  # ... or at least this many
RATIO_TARGET = 0.9
BOTH_TARGET = 0.8
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SUMMARY_COLUMNS = ["run", "level", "scored per", "n", "themes", "unassigned", "V", "ARI", "both languages",
                   "both (strict)", "Finnish statements", "seconds"]


def load_parallel(path: Path) -> pd.DataFrame:
    """The parallel items: one row per id with its label and its English and Finnish text."""
    if not path.is_file():
        raise SystemExit(f"bench: {path} not found; give --data with a CSV of {','.join(COLUMNS)}")
    items = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in COLUMNS if c not in items.columns]
    if missing:
        raise SystemExit(f"bench: {path} lacks the columns {missing}; it needs {','.join(COLUMNS)}")
    items = items[list(COLUMNS)]
    items = items[(items["text_en"].str.strip() != "") & (items["text_fi"].str.strip() != "")]
    if items["id"].duplicated().any():
        raise SystemExit(f"bench: {path} repeats ids: {sorted(items.loc[items['id'].duplicated(), 'id'])[:5]}")
    return items.reset_index(drop=True)


def id_hash(item_id: str) -> str:
    """A stable, well-mixed sort key for an item id."""
    return hashlib.sha1(item_id.encode("utf-8")).hexdigest()


def split_languages(items: pd.DataFrame) -> pd.Series:
    """'fi' or 'en' per item: within each label the items, ordered by the sha1 of their id, alternate between
    Finnish and English (the first in each label is Finnish), so every label with two or more items holds both
    languages, the halves differ by at most one item per label, and the split never changes between runs."""
    order = items.assign(_key=items["id"].map(id_hash)).sort_values(["label", "_key"])
    rank = order.groupby("label", sort=False).cumcount()
    return pd.Series(np.where(rank % 2 == 0, "fi", "en"), index=order.index).reindex(items.index)


def study_rows(items: pd.DataFrame, languages: pd.Series) -> pd.DataFrame:
    """The feedback export: `id,text`, each item's text in its language."""
    text = np.where(languages == "fi", items["text_fi"], items["text_en"])
    return pd.DataFrame({"id": items["id"], "text": text})


def write_study(rows: pd.DataFrame, folder: Path) -> None:
    """A study folder holding only feedback.csv (teema's defaults for everything else)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows.to_csv(folder / "feedback.csv", index=False, encoding="utf-8")


def run_teema(study: Path, out: Path, embedder: str = "") -> float:
    """`python -m pipeline themes STUDY --out OUT --quiet --no-redact [--embedder NAME]`; the wall seconds."""
    command = [sys.executable, "-m", "pipeline", "themes", str(study), "--out", str(out), "--quiet", "--no-redact",
               *(["--embedder", embedder] if embedder else [])]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=os.environ.copy(), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bench: teema themes exited with {done.returncode} on {study}:\n{done.stdout}\n{done.stderr}")
    return seconds


def sniff_delimiter(path: Path) -> str:
    """segments.csv is written with ';' (Finnish locale) or ',' (elsewhere): whichever the header has more of."""
    with open(path, encoding="utf-8-sig") as handle:
        header = handle.readline()
    return ";" if header.count(";") > header.count(",") else ","


def unneutralise(value: str) -> str:
    """Undo the apostrophe teema's CSV writer puts before text a spreadsheet would run as a formula (the prefixes
    of pipeline.report.writers.FORMULA_PREFIXES, copied so that reading a report never imports teema itself)."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES) else value


def read_segments(path: Path) -> pd.DataFrame:
    """The respondent statements of a teema segments.csv, ids as written by the study."""
    segments = pd.read_csv(path, sep=sniff_delimiter(path), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if "role" in segments.columns:
        segments = segments[segments["role"] == "respondent"]
    segments = segments.reset_index(drop=True)
    segments["respondent_id"] = segments["respondent_id"].map(unneutralise)
    return segments


def statements(segments: pd.DataFrame, items: pd.DataFrame, languages: pd.Series) -> pd.DataFrame:
    """One row per statement: its item, label, the item's language and the ids of each level ('' = none)."""
    index = pd.Series(range(len(items)), index=items["id"].to_numpy())
    rows = segments["respondent_id"].map(index)
    if rows.isna().any():
        unknown = sorted(segments.loc[rows.isna(), "respondent_id"].unique())[:5]
        raise SystemExit(f"bench: {int(rows.isna().sum())} statements have an unknown respondent_id, e.g. {unknown}")
    rows = rows.astype(int).to_numpy()
    frame = pd.DataFrame({"item": items["id"].to_numpy()[rows], "label": items["label"].to_numpy()[rows],
                          "lang": languages.to_numpy()[rows]})
    for _, column in LEVELS:
        if column in segments.columns:
            frame[column] = segments[column].to_numpy()
    return frame


def majority(preds: Sequence[str]) -> str:
    """An item's cluster: the most common among its statements' (ties: smallest id), '' if none is assigned."""
    counts = Counter(p for p in preds if p)
    return min(counts, key=lambda p: (-counts[p], p)) if counts else ""


def by_item(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Statements folded to one row per item, its cluster the majority of its statements'."""
    grouped = frame.groupby("item", sort=True)
    return pd.DataFrame({"item": list(grouped.groups), "label": grouped["label"].first().to_numpy(),
                         "lang": grouped["lang"].first().to_numpy(),
                         column: grouped[column].agg(lambda p: majority(list(p))).to_numpy()})


def cluster_scores(labels: Sequence[str], preds: Sequence[str]) -> dict[str, float]:
    """V-measure and ARI with every unassigned row ('' ) as a cluster of its own."""
    truth, pred = np.asarray(labels, dtype=object), np.asarray(preds, dtype=object)
    assigned = pred != ""
    singletons = np.where(assigned, pred, [f"_unassigned_{i}" for i in range(len(pred))])
    return {"n": len(pred), "themes": len(set(pred[assigned])), "unassigned": float(1 - assigned.mean()) if len(pred)
            else 0.0, "V": v_measure_score(truth, singletons), "ARI": adjusted_rand_score(truth, singletons)}


def holds_both(counts: Counter, strict: bool = False) -> bool:
    """Whether a theme's statement counts per language hold both languages: the minority language has at least
    MIN_SHARE of the statements or at least MIN_COUNT of them (strict: both conditions)."""
    size = sum(counts.values())
    minority = min(counts.get("fi", 0), counts.get("en", 0))
    by_share, by_count = minority >= MIN_SHARE * size, minority >= MIN_COUNT
    return (by_share and by_count) if strict else (by_share or by_count)


def both_language_share(langs: Sequence[str], preds: Sequence[str], strict: bool = False) -> float:
    """Share of assigned rows that sit in a cluster holding both languages (nan when nothing is assigned)."""
    frame = pd.DataFrame({"lang": list(langs), "pred": list(preds)})
    frame = frame[frame["pred"] != ""]
    if frame.empty:
        return float("nan")
    both = {pred for pred, group in frame.groupby("pred") if holds_both(Counter(group["lang"]), strict)}
    return float(frame["pred"].isin(both).mean())


def score_run(frame: pd.DataFrame, run: str) -> list[dict[str, object]]:
    """Rows for one run: each level present × (per statement, per item)."""
    results = []
    for level, column in LEVELS:
        if column not in frame.columns:
            continue
        for unit, part in (("statement", frame), ("item", by_item(frame, column))):
            results.append({"run": run, "level": level, "scored per": unit,
                            **cluster_scores(part["label"], part[column]),
                            "both languages": both_language_share(part["lang"], part[column]),
                            "both (strict)": both_language_share(part["lang"], part[column], strict=True),
                            "Finnish statements": int((part["lang"] == "fi").sum())})
    return results


def ratios(table: pd.DataFrame) -> pd.DataFrame:
    """Bilingual V and ARI over the English run's, per level and unit, with the issue's two checks."""
    keys = ["level", "scored per"]
    english = table[table["run"] == "english"].set_index(keys)
    bilingual = table[table["run"] == "bilingual"].set_index(keys)
    out = pd.DataFrame({"V english": english["V"], "V bilingual": bilingual["V"],
                        "V ratio": bilingual["V"] / english["V"], "ARI ratio": bilingual["ARI"] / english["ARI"],
                        "both languages": bilingual["both languages"]}).reset_index()
    out["V ratio >= 0.9"] = np.where(out["V ratio"] >= RATIO_TARGET, "yes", "no")
    out["both >= 80%"] = np.where(out["both languages"] >= BOTH_TARGET, "yes", "no")
    return out


def translation_scores(english: np.ndarray, finnish: np.ndarray) -> dict[str, float]:
    """Row i of `english` and of `finnish` are one item's unit vectors: the share of items whose nearest text in
    the other language is their translation, each way, and in one pool of both languages (itself left out)."""
    n = len(english)
    across = english @ finnish.T
    pool = np.vstack([english, finnish])
    within = pool @ pool.T
    np.fill_diagonal(within, -np.inf)
    partner = np.concatenate([np.arange(n) + n, np.arange(n)])
    return {"items": n, "EN->FI top-1": float((across.argmax(axis=1) == np.arange(n)).mean()),
            "FI->EN top-1": float((across.argmax(axis=0) == np.arange(n)).mean()),
            "pool: neighbour is translation": float((within.argmax(axis=1) == partner).mean())}


def translation_check(items: pd.DataFrame, model: str) -> pd.DataFrame:
    """translation_scores for one embedder on the items, its vectors through teema's cache (as teema embeds)."""
    from pipeline.embed import EmbeddingCache, embed_texts, load_embedder

    embedder, cache = load_embedder(model), EmbeddingCache(cache_dir())
    scores = translation_scores(embed_texts(items["text_en"].tolist(), embedder, cache),
                                embed_texts(items["text_fi"].tolist(), embedder, cache))
    return pd.DataFrame([{"embedder": embedder.name, **{k: v if k == "items" else f"{v:.3f}"
                                                         for k, v in scores.items()}}])


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """Scores to three decimals, shares as percentages, seconds to 0.1."""
    def percent(value: float) -> str:
        return "" if pd.isna(value) else f"{value:.1%}"

    shares = {c: table[c].map(percent) for c in ("unassigned", "both languages", "both (strict)")}
    return table.assign(**shares, V=table["V"].map("{:.3f}".format), ARI=table["ARI"].map("{:.3f}".format),
                        seconds=table["seconds"].map("{:.1f}".format))[SUMMARY_COLUMNS]


def readable_ratios(table: pd.DataFrame) -> pd.DataFrame:
    """The ratio table as text."""
    return table.assign(**{c: table[c].map("{:.3f}".format) for c in ("V english", "V bilingual", "V ratio",
                                                                         "ARI ratio")},
                        **{"both languages": table["both languages"].map("{:.1%}".format)})


def notes(data: Path, items: pd.DataFrame, languages: pd.Series, load_at_start: str,
          embedder: str = "") -> list[str]:
    """What the figures mean and how they were taken."""
    embedder = f" --embedder {embedder}" if embedder else ""
    try:
        shown = data.relative_to(REPO)
    except ValueError:
        shown = data
    return [
        f"Data: `{shown}`, {len(items)} parallel items, {items['label'].nunique()} labels "
        f"({', '.join(f'{k} {v}' for k, v in items['label'].value_counts().items())}). "
        "Bundled: SIB-200 topic classification (Finnish and English FLORES-200 sentences; "
        "bench/data/bilingual/SOURCE.md).",
        f"Bilingual study: {int((languages == 'fi').sum())} items in Finnish, "
        f"{int((languages == 'en').sum())} in English; "
        "within each label the items, ordered by sha1 of their id, alternate Finnish / English.",
        "Each study is an `id,text` feedback CSV run with "
        f"`python -m pipeline themes DIR --out OUT --quiet --no-redact{embedder}`, "
        "defaults otherwise (answers split into sentences; lexical features on for the all-English study, off for the "
        "bilingual one, as teema decides).",
        "V / ARI: respondent statements of segments.csv against the item labels; unassigned statements count as "
        "singleton clusters. 'item' rows score each item by its statements' most common theme.",
        f"Both languages: share of assigned statements (items) in themes whose minority language has at least "
        f"{MIN_SHARE:.0%} of the theme or at least {MIN_COUNT} statements; 'strict' needs both. Languages are the ones "
        "the items were written in, not teema's detection.",
        f"Targets (issue): bilingual V >= {RATIO_TARGET} x English V, and >= {BOTH_TARGET:.0%} of assigned statements "
        "in themes holding both languages.",
        f"Machine: {machine_line(load_at_start)}. Embeddings cached in $TEEMA_CACHE_DIR across runs.",
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.eval_bilingual", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="CSV of id,label,text_en,text_fi")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument("--stem", default="bilingual", help="result file names: STEM.md and STEM.csv")
    parser.add_argument("--limit", type=int, default=0, help="first N items only (a quick smoke run)")
    parser.add_argument("--keep", type=Path, default=None, help="write the studies and reports here, not a temp dir")
    parser.add_argument("--embedder", default="", help="run both studies on this model (default: teema's choice) "
                        "and add the translation check")
    parser.add_argument("--translation-only", nargs="+", metavar="MODEL", default=None,
                        help="only the translation check, for each of these models (a quick prompt comparison), "
                             "written to STEM.md")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run teema on both studies, score them, write bench/results/bilingual.{md,csv}."""
    args = parse_args(argv)
    load_at_start = load_average()
    go_offline()
    os.environ["TEEMA_CACHE_DIR"] = str(cache_dir())
    items = load_parallel(args.data)
    items = items.head(args.limit).reset_index(drop=True) if args.limit else items
    if args.translation_only:
        table = pd.concat([translation_check(items, model) for model in args.translation_only], ignore_index=True)
        print(write_results(table, args.stem, "Translation check on parallel Finnish-English items",
                            [f"Data: `{args.data.name}`, {len(items)} parallel items (SIB-200, "
                             "bench/data/bilingual/SOURCE.md). Each item's English and Finnish text embedded once "
                             "(teema's cache). EN->FI: share of items whose nearest Finnish text is its translation; "
                             "FI->EN the other way; pool: in one pool of both languages, the share whose nearest "
                             "other text is its translation (a model that splits the space by language scores near "
                             "0).", f"Machine: {machine_line(load_at_start)}."],
                            [("", table)], args.results_dir))
        return 0
    bilingual = split_languages(items)
    runs = {"english": pd.Series("en", index=items.index), "bilingual": bilingual}
    results = []
    with tempfile.TemporaryDirectory(prefix="teema-bilingual-") as tmp:
        work = args.keep or Path(tmp)
        for run, languages in runs.items():
            study, out = work / f"study-{run}", work / f"out-{run}"
            write_study(study_rows(items, languages), study)
            print(f"bench: teema themes on {len(items)} items ({run})", file=sys.stderr)
            seconds = run_teema(study, out, args.embedder)
            frame = statements(read_segments(out / "segments.csv"), items, languages)
            results += [{**row, "seconds": seconds} for row in score_run(frame, run)]
    table = pd.DataFrame(results)
    ratio = ratios(table)
    sections = [("Scores", readable(table)), ("Bilingual over English", readable_ratios(ratio))]
    if args.embedder:
        sections.append(("Translation check", translation_check(items, args.embedder)))
    text = write_results(table.merge(ratio[["level", "scored per", "V ratio", "ARI ratio"]], how="left",
                                     on=["level", "scored per"]),
                         args.stem, "Themes on parallel Finnish-English items",
                         notes(args.data, items, bilingual, load_at_start, args.embedder), sections, args.results_dir)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
