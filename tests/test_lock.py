"""One teema per study at a time: the lock refuses a second holder, names the first, waits when asked, and is
released by the kernel when the holder is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.lock import LOCK_FILE, StudyBusy, StudyLock

REPO = Path(__file__).resolve().parent.parent
HOLD = "import sys, time; from pathlib import Path; from pipeline.lock import StudyLock\n" \
       "with StudyLock(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(60)\n"


def test_a_second_holder_is_refused_with_the_first_ones_pid(tmp_path):
    with StudyLock(tmp_path):
        with pytest.raises(StudyBusy, match=rf"another teema is analysing this study \(pid {os.getpid()} on "):
            StudyLock(tmp_path).__enter__()
    with StudyLock(tmp_path):  # released on exit
        pass
    assert (tmp_path / LOCK_FILE).is_file()


def test_a_waiting_run_gets_the_lock_when_the_first_finishes(tmp_path):
    first = StudyLock(tmp_path).__enter__()
    threading.Timer(0.5, first.__exit__).start()
    started = time.monotonic()
    with StudyLock(tmp_path, wait=30):
        waited = time.monotonic() - started
    assert 0.3 < waited < 30


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                              cwd=REPO)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StudyBusy, match=f"pid {holder.pid}"):
            StudyLock(tmp_path).__enter__()
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
        with StudyLock(tmp_path):
            pass
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_themes_on_a_busy_study_exits_2_and_writes_nothing(tmp_path, capsys):
    study = tmp_path / "tutkimus"
    study.mkdir()
    (study / "h01.txt").write_text("Haastattelija: Miten meni?\nVastaaja: Lasku oli väärin.\n", encoding="utf-8")
    with StudyLock(study):
        before = sorted(p.name for p in study.iterdir())
        code = main(["themes", str(study), "--out", str(tmp_path / "report"), "--no-cache"])
    assert code == 2
    err = capsys.readouterr().err
    assert "another teema is analysing this study" in err and "--wait" in err and "Traceback" not in err
    assert sorted(p.name for p in study.iterdir()) == before and not (tmp_path / "report").exists()


def test_a_read_only_study_folder_runs_without_a_lock(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    tmp_path.chmod(0o555)
    try:
        with StudyLock(tmp_path):
            pass
    finally:
        tmp_path.chmod(0o755)
