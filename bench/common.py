"""Shared pieces of the benchmarks: where things are, Banking77, cached vectors, result tables.

Nothing here is part of teema; the benchmarks only call teema's public code.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO / "bench" / "results"
BENCH_DEPS = REPO / ".bench-deps"
DEFAULT_DATA_DIR = REPO.parent / "shared" / "eval" / "banking77"


def cache_dir() -> Path:
    """The persistent embedding cache the benchmarks share: $TEEMA_CACHE_DIR, else .teema-cache/."""
    return Path(os.environ.get("TEEMA_CACHE_DIR") or REPO / ".teema-cache")


def go_offline() -> None:
    """Never let a model library try to reach a hub: the machines here have none."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def load_banking77(split: str, data_dir: Path = DEFAULT_DATA_DIR) -> pd.DataFrame:
    """Banking77 `text,label` rows of one split (test: 3,080, train: 10,003)."""
    path = data_dir / f"{split}.csv"
    if not path.is_file():
        raise SystemExit(f"bench: {path} not found; give --data-dir with banking77's test.csv and train.csv")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


class LazyEmbedder:
    """A teema embedder that is loaded only when a text is missing from the cache."""

    def __init__(self, name: str) -> None:
        from pipeline.embed import cache_name_for

        self.name = name
        self.cache_name = cache_name_for(name)  # the model's precision is part of its vectors' name
        self._model = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors from the real model, loading it on first use."""
        if self._model is None:
            from pipeline.embed import load_embedder

            self._model = load_embedder(self.name)
        return self._model.encode(texts)


def cached_vectors(texts: Sequence[str], model: str, directory: Path | None = None) -> np.ndarray:
    """One vector per text from teema's on-disk cache; only missing texts are embedded (and stored)."""
    from pipeline.embed import EmbeddingCache, embed_texts

    cache = EmbeddingCache(directory or cache_dir())
    return embed_texts(list(texts), LazyEmbedder(model), cache)


def cache_size(directory: Path | None = None) -> int:
    """Number of vectors in the cache (all models), to tell a warm run from a cold one."""
    import sqlite3

    path = (directory or cache_dir()) / "embeddings.sqlite"
    if not path.is_file():
        return 0
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])


def warm_up() -> None:
    """Import and JIT-compile UMAP once, so that the first timed run does not pay for it alone: both its
    exact neighbour search (under 4,096 points) and the approximate one (NNDescent) that larger inputs use."""
    import warnings

    import umap

    from pipeline.themes import reduce

    points = np.random.default_rng(0).normal(size=(300, 16))
    reduce(points[:60], dimensions=5, neighbours=15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        umap.UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=0, n_jobs=1,
                  force_approximation_algorithm=True).fit_transform(points)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on a shared machine slows every timing."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def machine_line(load_at_start: str) -> str:
    """Where and when the numbers were taken: they depend on the cores and on what else ran."""
    return (f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} · {platform.machine()} · {os.cpu_count()} cores · "
            f"load average (1, 5, 15 min) at start {load_at_start}, at end {load_average()} · "
            f"Python {sys.version.split()[0]} · {code_version()}")


def code_version() -> str:
    """The teema code measured: the commit, and whether pipeline/ (with its models/) had uncommitted changes."""
    import subprocess

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    dirty = git("status", "--porcelain", "--", "pipeline")  # the definitions are in pipeline/models/
    return f"teema at {commit}" + (" with uncommitted changes in pipeline/" if dirty else "")


def markdown_table(table: pd.DataFrame) -> str:
    """A GitHub markdown table (pandas' to_markdown needs tabulate, which teema does not carry)."""
    def cell(value: object) -> str:
        if isinstance(value, float):
            return "" if np.isnan(value) else f"{value:.3f}"
        return str(value).replace("|", "\\|")

    header = "| " + " | ".join(map(str, table.columns)) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def write_results(table: pd.DataFrame, stem: str, title: str, notes: Sequence[str],
                  sections: Sequence[tuple[str, pd.DataFrame]] = (), results_dir: Path = RESULTS_DIR) -> str:
    """`<stem>.csv` (`table`, full precision) and `<stem>.md` (title, notes, then each (heading, table) of
    `sections`, or `table` when none is given). Returns the markdown text."""
    results_dir.mkdir(parents=True, exist_ok=True)
    table.to_csv(results_dir / f"{stem}.csv", index=False)
    body = [f"# {title}", "", *[f"- {note}" for note in notes], ""]
    for heading, part in sections or [("", table)]:
        body += [f"## {heading}", ""] if heading else []
        body += [markdown_table(part), ""]
    text = "\n".join(body)
    (results_dir / f"{stem}.md").write_text(text, encoding="utf-8")
    return text
