"""Do a researcher's codebook edits stay on their theme when the wave is re-run with one more file, or with another
embedder? (issue 17)

The study (default: the bundled sample) is copied without one of its material files and run; every theme row of
the codebook teema wrote gets a rename ("EDIT T03"). Then the held-out file is added and the study is run again into
the same report folder, and again with `--embedder static`; once per held-out file (the last three by name). An
edit is *on its theme* when the theme that carries its rename in the later run is the one that holds most of the
statements the edited theme held in the first run. Modes: "examples only" removes the report folder's
wave_state.json before each later run, so nothing matches the runs and the edits follow their example statement
alone (teema before runs were matched); "runs matched" matches them with `[themes] keep_edited = false` (edited themes
the re-run regrouped are not put back); "runs matched, edited kept" is the default.

    .venv/bin/python -m bench.rerun_edits [STUDY_DIR] [--held-out N]   -> bench/results/rerun_edits.md and .csv
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
RESEARCHER_FILES = ("codebook", "actions", "coded")


def run_teema(study: Path, out: Path, *extra: str) -> None:
    subprocess.run([sys.executable, "-m", "pipeline", "themes", str(study), "--out", str(out), "--quiet", *extra],
                   check=True, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, stdout=subprocess.DEVNULL)


def read_table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=None, engine="python")


def material(study: Path) -> list[Path]:
    return sorted(p for p in study.iterdir() if p.is_file() and p.suffix in (".txt", ".md", ".csv", ".docx")
                  and not p.name.startswith(("README", "ANSWER", *RESEARCHER_FILES)))


def rename_every_theme(study: Path) -> dict[str, str]:
    """Fill rename_to on every theme row of the codebook teema wrote; {theme id: the new label}."""
    path = study / "codebook.csv"
    rows = read_table(path)
    themes = rows["theme_id"].str.fullmatch(r"T\d+")
    rows.loc[themes, "rename_to"] = "EDIT " + rows.loc[themes, "theme_id"]
    rows.to_csv(path, index=False, encoding="utf-8-sig")
    return dict(zip(rows.loc[themes, "theme_id"], rows.loc[themes, "rename_to"], strict=True))


def where_edits_are(first: pd.DataFrame, later: pd.DataFrame, renames: dict[str, str]) -> Counter:
    """For each edit: "on its theme" (its label sits on the theme holding most of the edited theme's first-run
    statements), "on its sub-theme" (on the sub-theme holding most of them: the re-run folded the theme into
    another), "elsewhere" (on another theme: the harmful case) or "not shown" (on no theme: the codebook
    reported it, for example when the re-run folded its theme into another edited one)."""
    theme_now = dict(zip(later["segment_id"], later["theme_id"], strict=True))
    label_now = dict(zip(later["theme_id"], later["theme_label"], strict=True))
    sub_now = dict(zip(later["segment_id"], later["subtheme_id"], strict=True))
    sub_label_now = dict(zip(later["subtheme_id"], later["subtheme_label"], strict=True))
    shown = set(label_now.values()) | set(sub_label_now.values())
    outcome = Counter()
    for theme_id, label in renames.items():
        members = first.loc[first["theme_id"] == theme_id, "segment_id"]
        where = Counter(theme_now.get(s, "") for s in members if theme_now.get(s, ""))
        within = Counter(sub_now.get(s, "") for s in members if sub_now.get(s, ""))
        if where and label_now.get(where.most_common(1)[0][0], "") == label:
            outcome["on its theme"] += 1
        elif within and sub_label_now.get(within.most_common(1)[0][0], "") == label:
            outcome["on its sub-theme"] += 1  # the re-run folded it into another theme, as one sub-theme of it
        elif label in shown:
            outcome["elsewhere"] += 1
        else:
            outcome["not shown"] += 1
    return outcome


def kept_ids(first: pd.DataFrame, later: pd.DataFrame) -> int:
    """Themes of the later run whose id the first run had."""
    return len((set(later["theme_id"]) & set(first["theme_id"])) - {""})


MODES = {"examples only": (False, True), "runs matched": (True, False), "runs matched, edited kept": (True, True)}


def sequence(study: Path, work: Path, mode: str, held_out_name: str) -> list[dict]:
    """One held-out file: the first run without it, the re-run with it, then the re-run with another embedder.
    `mode` (MODES): whether the runs are matched, and `[themes] keep_edited`."""
    match_runs, keep_edited = MODES[mode]
    copy, out = work / study.name, work / "report"
    shutil.copytree(study, copy, ignore=shutil.ignore_patterns(*(f"{name}*" for name in RESEARCHER_FILES)))
    if not keep_edited:
        with (copy / "teema.toml").open("a", encoding="utf-8") as config:
            config.write("\n[themes]\nkeep_edited = false\n")
    held_out = copy / held_out_name
    held_out.rename(work / held_out.name)
    run_teema(copy, out)
    first = read_table(out / "segments.csv")
    renames = rename_every_theme(copy)
    (work / held_out.name).rename(held_out)
    rows = []
    for step, extra in (("one more file", ()), ("another embedder (static)", ("--embedder", "static"))):
        if not match_runs:
            (out / "wave_state.json").unlink(missing_ok=True)
        run_teema(copy, out, *extra)
        later = read_table(out / "segments.csv")
        subthemes = read_table(out / "subthemes.csv")["mentions"].astype(int)
        outcome, total = where_edits_are(first, later, renames), len(renames)
        rows.append({"matching": mode, "re-run": step,
                     "themes": len(set(later["theme_id"]) - {""}), "sub-themes": len(subthemes),
                     "under 3": int((subthemes < 3).sum()), "ids kept": kept_ids(first, later),
                     "edits": total, "on their theme": outcome["on its theme"],
                     "on their sub-theme": outcome["on its sub-theme"], "elsewhere": outcome["elsewhere"],
                     "not shown": outcome["not shown"],
                     "share": round((outcome["on its theme"] + outcome["on its sub-theme"]) / total, 3)
                     if total else 0.0,
                     "held-out file": held_out.name})
    shutil.rmtree(copy)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("study", nargs="?", default="corpora/sample")
    parser.add_argument("--held-out", type=int, default=3,
                        help="how many of the study's last material files (by name) to hold out, one at a time")
    args = parser.parse_args(argv)
    study = Path(args.study).resolve()
    files = [p.name for p in material(study)][-args.held_out:][::-1]
    rows = []
    for mode in MODES:
        for held_out in files[:1] if mode == "examples only" else files:
            with tempfile.TemporaryDirectory() as temp:
                rows += sequence(study, Path(temp), mode, held_out)
    results = ROOT / "bench" / "results"
    with (results / "rerun_edits.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    lines = ["# Codebook edits after a re-run (issue 17)", "",
             f"- Study: `{study.relative_to(ROOT) if study.is_relative_to(ROOT) else study}`, held-out files "
             f"{', '.join(f'`{name}`' for name in files)} (one at a time) · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · "
             f"{platform.machine()} · {os.cpu_count()} cores",
             "- Every theme renamed in codebook.csv after the first run; then the held-out file added, then the "
             "same folder with `--embedder static`. On its theme: the renamed label sits on the theme that holds "
             "most of the statements the edited theme held in the first run; on its sub-theme: on the sub-theme that "
             "holds most of them (the re-run folded the theme into another; teema moves the edits there); "
             "elsewhere: on another theme (the "
             "harmful case); not shown: on no theme (reported on the console, e.g. the re-run folded its theme "
             "into another edited theme). Ids kept: the later run's themes with an id of the first run. "
             "Share: on its theme or sub-theme. Rerun: `python -m bench.rerun_edits`.",
             "Sub-themes: the later run's, and how many of them hold fewer than 3 statements.",
             "", "| matching | held-out file | re-run | themes | sub-themes | under 3 | ids kept | edits | "
             "on their theme | on their sub-theme | elsewhere | not shown | share |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['matching']} | {r['held-out file']} | {r['re-run']} | {r['themes']} | {r['sub-themes']} | "
              f"{r['under 3']} | {r['ids kept']} | "
              f"{r['edits']} | "
              f"{r['on their theme']} | {r['on their sub-theme']} | {r['elsewhere']} | {r['not shown']} | "
              f"{r['share']:.0%} |" for r in rows]
    (results / "rerun_edits.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
