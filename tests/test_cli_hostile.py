"""Every command, given bad input, exits 1 or 2 with a one-line `teema:` (or usage) message: never a traceback.

Each case runs the real `python -m pipeline` in a fresh process, as a researcher's shell would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # about 25 fresh processes: a minute or more on two cores

REPO = Path(__file__).resolve().parent.parent
GOOD = "Haastattelija: Miten meni?\nVastaaja: Lasku oli väärin kolme kertaa.\n"


def _study(root: Path, toml: bytes | None = None) -> Path:
    study = root / "tutkimus"
    study.mkdir(exist_ok=True)
    (study / "h01.txt").write_text(GOOD, encoding="utf-8")
    if toml is not None:
        (study / "teema.toml").write_bytes(toml)
    return study


def _cases(root: Path) -> dict[str, tuple[list[str], int]]:
    """name -> (arguments, expected exit code)."""
    (root / "file.txt").write_text("x", encoding="utf-8")
    empty = root / "tyhja"
    empty.mkdir()
    (root / "binary.csv").write_bytes(b"\x00\xff\xfe\x00PK\x03\x04" * 100)
    bad_toml = [("non-UTF-8 teema.toml", b'[study]\nname = "kev\xe4t"\n'),
                ("broken TOML", b"[themes\nmin_size = 3\n"),
                ("negative number", b"[themes]\nmin_size = -5\n"),
                ("zero batch size", b"[embed]\nbatch_size = 0\n"),
                ("huge number", b"[themes]\ndimensions = 100000000000\n"),
                ("wrong type", b'[tag]\nstage_threshold = "korkea"\n'),
                ("unknown key", b"[themes]\nminsize = 3\n"),
                ("path in the study name", b'[study]\nname = "../../etc"\n')]
    cases: dict[str, tuple[list[str], int]] = {}
    for number, (name, toml) in enumerate(bad_toml):
        folder = root / f"toml{number}"
        folder.mkdir()
        cases[f"themes, {name}"] = (["themes", str(_study(folder, toml))], 2)
    study = _study(root)
    cases.update({
        "no command": ([], 2),
        "unknown command": (["teemat"], 2),
        "themes, no such folder": (["themes", str(root / "ei-ole")], 2),
        "themes, a file for a folder": (["themes", str(root / "file.txt")], 2),
        "themes, nothing usable": (["themes", str(empty), "--no-cache"], 1),
        "themes, unknown embedder": (["themes", str(study), "--embedder", "gpt-9"], 2),
        "themes, --wave with a path": (["themes", str(study), "--wave", "../../x"], 2),
        "themes, --out is a file": (["themes", str(study), "--out", str(root / "file.txt")], 2),
        "themes, --cache-dir is a file": (["themes", str(study), "--cache-dir", str(root / "file.txt")], 2),
        "themes, --wait not a number": (["themes", str(study), "--wait", "pian"], 2),
        "themes, unknown option": (["themes", str(study), "--colour"], 2),
        "agree, no such file": (["agree", str(root / "coded.csv")], 2),
        "agree, binary file": (["agree", str(root / "binary.csv"), "--study", str(study)], 2),
        "agree, --folds 0": (["agree", str(root / "binary.csv"), "--folds", "0"], 2),
        "forget, --cache-dir is a file": (["forget", str(study), "--cache-dir", str(root / "file.txt")], 2),
        "models, extra argument": (["models", "kaikki"], 2),
    })
    return cases


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TEEMA_CACHE_DIR": str(root / "cache"), "PYTHONPATH": str(REPO)}
    found = {}
    for name, (args, expected) in _cases(root).items():
        done = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=root, env=env, capture_output=True,
                              text=True, errors="replace", timeout=300, check=False)
        found[name] = (expected, done.returncode, done.stdout + done.stderr)
    return found


def test_bad_input_never_shows_a_traceback_and_exits_1_or_2(outcomes):
    wrong = {name: (expected, code, output[-300:]) for name, (expected, code, output) in outcomes.items()
             if code != expected or "Traceback" in output or not output.strip()}
    assert not wrong, wrong


def test_config_errors_name_the_file_the_key_and_what_is_allowed(outcomes):
    for name in ("negative number", "zero batch size", "huge number"):
        output = outcomes[f"themes, {name}"][2]
        assert "teema.toml" in output and "must" in output and "between" in output, output
    assert "[themes] min_size" in outcomes["themes, negative number"][2]
    assert "line 2" in outcomes["themes, non-UTF-8 teema.toml"][2]
    assert "[tag] stage_threshold" in outcomes["themes, wrong type"][2]
