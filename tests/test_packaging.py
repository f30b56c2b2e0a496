"""A built wheel carries everything teema reads (definitions, templates) and runs from any folder, not installed
editable: the wheel is installed into a fresh venv that borrows teema's dependencies from this one (nothing is
downloaded), and `teema themes` runs a tiny Finnish and English study from a folder outside the repository."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEFINITIONS = ("stages.toml", "polarity.toml", "polarity_lexicon.toml", "frames/six_pillars.toml")

INTERVIEWS = {
    "haastattelu_1.txt": "Haastattelija: Miten laskutus on toiminut?\n\n"
                         "Vastaaja: Lasku oli väärin kolme kertaa peräkkäin. Hyvityslasku tuli vasta kuukausien päästä.\n\n"
                         "Haastattelija: Entä asiakastuki?\n\n"
                         "Vastaaja: Tukeen ei saa yhteyttä. Tiketteihin vastataan viikon päästä. Koulutus oli erinomainen.\n",
    "haastattelu_2.txt": "Haastattelija: Kertoisitko sopimuksen teosta?\n\n"
                         "Vastaaja: Sopimuksen allekirjoitus oli helppoa. Lasku oli taas väärin. Tuki vastaa hitaasti.\n",
    "interview_3.txt": "Interviewer: How has invoicing worked for you?\n\n"
                       "Respondent: The invoice was wrong twice. Support never answers the phone. Training was great.\n\n"
                       "Interviewer: And the contract?\n\n"
                       "Respondent: Signing the contract was easy. The invoice had errors again.\n",
}


def _build_wheel(tmp_path: Path) -> Path:
    """Build from a clean copy of the sources, so a stale build/ folder cannot supply a missing file."""
    source = tmp_path / "source"
    shutil.copytree(REPO / "pipeline", source / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
                    "-w", str(wheels), str(source)], check=True, capture_output=True, text=True)
    return next(wheels.glob("teema-*.whl"))


def _fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    """A new venv with only the wheel installed in it; this environment's site-packages come after it on the
    path (a .pth file), so the dependencies are found but teema itself is the wheel's, never the checkout's."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    own = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"], check=True,
                         capture_output=True, text=True).stdout.strip()
    Path(own, "borrowed-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, capture_output=True, text=True)
    return env_dir


def test_the_wheel_carries_every_definition_file(tmp_path):
    names = zipfile.ZipFile(_build_wheel(tmp_path)).namelist()
    for name in DEFINITIONS:
        assert f"pipeline/models/{name}" in names
    assert "pipeline/report/templates/report.html.j2" in names
    assert not [n for n in names if n.startswith(("tests/", "corpora/", "bench/"))]


@pytest.mark.slow
def test_teema_installed_from_the_wheel_runs_a_study_outside_the_repository(tmp_path):
    env_dir = _fresh_venv(tmp_path, _build_wheel(tmp_path))
    work = tmp_path / "elsewhere"
    study = work / "tutkimus"
    study.mkdir(parents=True)
    for name, text in INTERVIEWS.items():
        (study / name).write_text(text, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["HF_HUB_OFFLINE"] = "1"
    where = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import pipeline; print(pipeline.__file__)"],
                           cwd=work, env=env, check=True, capture_output=True, text=True).stdout.strip()
    assert Path(where).is_relative_to(env_dir), where  # the wheel's copy, not the checkout's
    run = subprocess.run([str(env_dir / "bin" / "teema"), "themes", "tutkimus", "--out", "raportti", "--quiet"],
                         cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    report = work / "raportti"
    assert (report / "index.html").stat().st_size > 1000
    segments = (report / "segments.csv").read_text(encoding="utf-8-sig")
    assert "Tukeen ei saa yhteyttä." in segments and "Support never answers the phone." in segments
    assert "awareness=" in segments  # stages were read from the packaged stages.toml
