"""One teema at a time per study: a lock file in the study folder, held for the whole run.

Two runs on one study at once (a cron job and a researcher, two terminals) would both merge actions.xlsx and
codebook.csv and write the same report folder: the later write would drop what the earlier one added. The lock is
an OS file lock (flock on POSIX, msvcrt on Windows) on `STUDY/.teema.lock`, so the kernel releases it when the
holder exits in any way, also killed with SIGKILL: a lock is never stale. The file itself stays (hidden, never
read as material) and says who holds it, for the message the second run prints.
"""

from __future__ import annotations

import json
import os
import socket
import time
from datetime import datetime
from pathlib import Path
from typing import IO

LOCK_FILE = ".teema.lock"


class StudyBusy(RuntimeError):
    """Another teema process holds the study's lock; the message names it and says what to do."""


def _try_lock(handle: IO[str]) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder(path: Path) -> str:
    """'pid 123 on host, since 19:40:02' from the lock file, or '' when it says nothing readable."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return f"pid {int(info['pid'])} on {info['host']}, since {info['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


class StudyLock:
    """`with StudyLock(study_dir, wait=0):` holds the study's lock, or raises StudyBusy after `wait` seconds."""

    def __init__(self, study_dir: Path, wait: float = 0.0) -> None:
        self.path = study_dir / LOCK_FILE
        self.wait = wait
        self._handle: IO[str] | None = None

    def __enter__(self) -> StudyLock:
        try:
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open until __exit__
        except OSError:  # a read-only study folder (a shared drive): teema writes nothing there to protect
            return self
        deadline = time.monotonic() + max(self.wait, 0.0)
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                handle.close()
                who = _holder(self.path)
                raise StudyBusy(f"{self.path.parent}: another teema is analysing this study"
                                f"{f' ({who})' if who else ''}; nothing was written. Wait for it to finish and "
                                "re-run (teema themes --wait SECONDS waits for it)")
            time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                 "started": datetime.now().isoformat(timespec="seconds")}))
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()  # closing releases the lock; the file stays for the next run
            self._handle = None
