"""`make chaos`: kill teema mid-run, run two at once, lock the action table, feed it hostile files, and look for
the planted personal data in everything it wrote outside the study folder. Writes bench/results/chaos.md.

Everything runs the real `teema themes` command in fresh processes on a tiny generated study (two waves of six
short Finnish and English interviews with planted names, e-mails, phone numbers, henkilötunnus, IBANs and
addresses) with the packaged `static` embedder, so it finishes in a few minutes on two cores.

    .venv/bin/python -m bench.chaos [--delays 0.5 1 2 ...] [--keep DIR]

1. SIGKILL loop: after a first run, a researcher's values are typed into actions.xlsx and codebook.csv; then a run
   is killed with SIGKILL after each delay. After every kill: actions.xlsx opens and holds every typed value,
   codebook.csv holds its earlier bytes unchanged (teema only appends), the older wave's report folder is byte for
   byte what it was, and the next run (after the loop) succeeds.
2. Two runs at once: the second refuses (exit 2, a message naming the other run) and writes nothing; with
   `--wait` it waits and then runs.
3. actions.xlsx read-only, and open in a spreadsheet (its `~$` lock file): a message, the file unchanged, the
   report still written.
4. Hostile files, each in a study beside two good interviews, each run under /usr/bin/time -v: a zip bomb named
   .docx and one named .xlsx, XML entity expansion in a .docx, a 50 MB single line, a CSV with 100,000 columns,
   NUL bytes, links out of the study folder, `../` paths in manifest.csv. Each must be named in a one-line
   message, the good files read, no traceback, peak memory under 2 GB.
5. Privacy: every planted item is searched for (exact bytes, also case-folded) in the reports, the .qdpx, the
   log, the caches and the study's codebook.csv and actions.xlsx; then `teema forget` empties the caches of the
   study's entries.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "chaos.md"
TIME = Path("/usr/bin/time")
MEMORY_LIMIT_KB = 2 * 1024 * 1024
DELAYS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0)

# Planted personal data: (kind, text). Identity codes and IBANs have valid checksums.
PLANTED = [
    ("NAME fi", "Mikko Virtanen"), ("NAME fi", "Virtaselle"), ("NAME fi", "Anneli Korhoselta"),
    ("NAME en", "Olivia Bennett"), ("NAME en", "Bennett's"),
    ("EMAIL", "mikko.virtanen@example.fi"), ("EMAIL", "olivia.bennett@example.com"),
    ("PHONE", "040 123 4567"), ("PHONE", "+358 50 765 4321"), ("PHONE", "(09) 1234 567"),
    ("HETU", "131052-308T"), ("IBAN", "FI21 1234 5600 0007 85"),
    ("ADDRESS", "Hämeenkatu 12 B 5"), ("ADDRESS", "33100 Tampere"), ("ADDRESS", "221 Baker Street"),
]
FI = ["Lasku oli väärin kolme kertaa peräkkäin.", "Asiakastuki vastasi nopeasti ja ystävällisesti.",
      "Sopimuksen teko kesti aivan liian kauan.", "Sovellus kaatuu usein kirjautuessa.",
      "Koulutus oli hyödyllinen ja selkeä.", "Hinnoittelu on epäselvä ja kallis.",
      "Toimitus myöhästyi viikolla.", "Myyjä lupasi ominaisuuden, jota ei ole."]
EN = ["The invoice was wrong again.", "Support answered quickly and kindly.",
      "Signing the contract took far too long.", "The app crashes when I log in.",
      "Training was useful and clear.", "Pricing is unclear and expensive.",
      "Delivery was a week late.", "The sales rep promised a feature that does not exist."]
PII_LINES = {
    "fi": ["Soitin Mikko Virtanen -nimiselle myyjälle numeroon 040 123 4567, mutta kukaan ei vastannut.",
           "Lähetin Virtaselle viestin osoitteeseen mikko.virtanen@example.fi ja sain vastauksen vasta viikon päästä.",
           "Sain Anneli Korhoselta laskun, jossa henkilötunnukseni 131052-308T näkyi väärin.",
           "Maksu meni tilille FI21 1234 5600 0007 85, ja lasku tuli osoitteeseen Hämeenkatu 12 B 5, 33100 Tampere.",
           "Tukinumero +358 50 765 4321 ei vastaa, ja vaihteen numero (09) 1234 567 on aina varattu."],
    "en": ["I called Olivia Bennett about the invoice and she never called back.",
           "Bennett's team sent the contract to olivia.bennett@example.com instead of to me.",
           "The letter went to 221 Baker Street, which is our old office."],
}


def study_files(root: Path) -> None:
    """Two waves of six interviews (three Finnish, three English), every planted item in both waves."""
    import random

    rng = random.Random(16)
    root.mkdir(parents=True, exist_ok=True)
    (root / "teema.toml").write_text('[study]\nname = "chaos"\n\n[tag]\nenglish_model = ""\n', encoding="utf-8")
    for wave in ("2026-05", "2026-11"):
        (root / wave).mkdir(parents=True)
        for number in range(6):
            lang = "fi" if number % 2 == 0 else "en"
            ask, answer = ("Haastattelija", "Vastaaja") if lang == "fi" else ("Interviewer", "Respondent")
            question = "Miten yhteistyö on sujunut?" if lang == "fi" else "How has it gone?"
            pool, planted = (FI if lang == "fi" else EN), PII_LINES[lang]
            lines = [f"{ask}: {question}\n{answer}: {planted[number // 2 % len(planted)]}"]
            lines += [f"{ask}: {question}\n{answer}: {rng.choice(pool)} {rng.choice(pool)}" for _ in range(6)]
            lines += [f"{ask}: {question}\n{answer}: {line}" for line in planted if number < 2]
            (root / wave / f"h{number + 1:02d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass
class Run:
    code: int
    seconds: float
    stderr: str
    peak_kb: int = 0
    last_step: str = ""


@dataclass
class Lab:
    """A working folder with the study, its reports (cwd/reports/chaos/<wave>) and its cache."""

    root: Path
    rows: dict[str, list] = field(default_factory=dict)

    @property
    def study(self) -> Path:
        return self.root / "study"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def reports(self) -> Path:
        return self.root / "reports" / "chaos"

    def command(self, study: Path, *extra: str) -> list[str]:
        return [sys.executable, "-m", "pipeline", "themes", str(study), "--embedder", "static", *extra]

    def env(self) -> dict[str, str]:
        return {**os.environ, "TEEMA_CACHE_DIR": str(self.cache), "HF_HUB_OFFLINE": "1",
                "PYTHONPATH": str(REPO), "LC_ALL": "C.UTF-8"}

    def run(self, study: Path | None = None, *extra: str, timed: bool = False) -> Run:
        """One `teema themes` in a fresh process; with `timed`, under /usr/bin/time -v (peak memory)."""
        command = self.command(study or self.study, *extra)
        if timed and TIME.exists():
            command = [str(TIME), "-v", *command]
        started = time.monotonic()
        done = subprocess.run(command, cwd=self.root, env=self.env(), capture_output=True, text=True,
                              errors="replace", check=False)
        run = Run(done.returncode, time.monotonic() - started, done.stdout + done.stderr)
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        if peak:
            run.peak_kb = int(peak.group(1))
            run.stderr = run.stderr[:run.stderr.rfind("\tCommand being timed")]
        return run

    def start(self, *extra: str) -> subprocess.Popen:
        return subprocess.Popen(self.command(self.study, *extra), cwd=self.root, env=self.env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace",
                                start_new_session=True)


def folder_digest(folder: Path) -> str:
    """sha256 over every file's relative path and bytes: equal when the folder is unchanged."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def type_into_actions(path: Path) -> set[str]:
    """Type a distinct value into every human column of every row, as a workshop would; returns the values."""
    from openpyxl import load_workbook

    from pipeline.report.actions import HEADERS, HUMAN

    workbook = load_workbook(path)
    sheet = workbook.active
    headers = {str(cell.value): cell.column for cell in sheet[1]}
    columns = {key: next(headers[h[lang]] for lang in ("fi", "en") if h[lang] in headers)
               for key, h in HEADERS.items() if key in HUMAN}
    typed = set()
    for row in range(2, sheet.max_row + 1):
        for key, column in columns.items():
            value = {"status": "Käynnissä"}.get(key, f"{key} r{row}: Tiimi Pohjoinen hoitaa")
            sheet.cell(row=row, column=column, value=value)
            typed.add(value)
    workbook.save(path)
    return typed


def actions_values(path: Path) -> set[str] | None:
    """Every cell value of actions.xlsx, None when it does not open."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True).active
        return {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
    except Exception:  # noqa: BLE001 - any failure to open is what this counts
        return None


def type_into_codebook(path: Path) -> bytes:
    """A note on every row and a rename on the first theme, saved as a spreadsheet would (same encoding)."""
    import csv

    text = path.read_text(encoding="utf-8-sig")
    delimiter = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t").delimiter
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = rows[0]
    for number, row in enumerate(rows[1:], start=1):
        row += [""] * (len(header) - len(row))
        row[header.index("note")] = f"tarkistettu {number}"
    rows[1][header.index("rename_to")] = "Laskutusvirheet"
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path.read_bytes()


def last_step(stderr: str) -> str:
    steps = re.findall(r"^teema: ([A-Z][^.\n]*?) \.\.\.$", stderr, re.M)
    return steps[-1] if steps else "starting (imports)"


def kill_loop(lab: Lab, delays: tuple[float, ...]) -> list[dict]:
    first = lab.run()
    if first.code != 0:
        raise SystemExit(f"chaos: the first run failed:\n{first.stderr}")
    typed = type_into_actions(lab.study / "actions.xlsx")
    codebook = type_into_codebook(lab.study / "codebook.csv")
    settle = lab.run()  # the edits applied once; from here on a run appends nothing new
    if settle.code != 0:
        raise SystemExit(f"chaos: the run after typing failed:\n{settle.stderr}")
    codebook = (lab.study / "codebook.csv").read_bytes()
    older = folder_digest(lab.reports / "2026-05")
    rows = []
    for delay in delays:
        process = lab.start()
        time.sleep(delay)
        finished = process.poll() is not None
        if not finished:
            os.killpg(process.pid, signal.SIGKILL)
        _, stderr = process.communicate()
        values = actions_values(lab.study / "actions.xlsx")
        book = (lab.study / "codebook.csv").read_bytes()
        temps = [p.name for p in lab.study.glob(".*.tmp")]
        rows.append({"delay": delay, "killed in": "finished" if finished else last_step(stderr),
                     "actions.xlsx opens": values is not None,
                     "typed values kept": values is not None and typed <= values,
                     "codebook.csv kept": book.startswith(codebook),
                     "older wave unchanged": folder_digest(lab.reports / "2026-05") == older,
                     "temp files left": len(temps)})
    after = lab.run()
    values = actions_values(lab.study / "actions.xlsx")
    rows.append({"delay": "next run", "killed in": f"exit {after.code}", "actions.xlsx opens": values is not None,
                 "typed values kept": values is not None and typed <= values,
                 "codebook.csv kept": (lab.study / "codebook.csv").read_bytes().startswith(codebook),
                 "older wave unchanged": folder_digest(lab.reports / "2026-05") == older,
                 "temp files left": len(list(lab.study.glob(".*.tmp")))})
    lab.rows["typed"] = [len(typed)]
    return rows


def wait_for_lock(lab: Lab, process: subprocess.Popen, timeout: float = 60) -> None:
    """Until `process` holds the study's lock (its pid is in the lock file)."""
    lock = lab.study / ".teema.lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.exists() and f'"pid": {process.pid},' in lock.read_text(encoding="utf-8", errors="replace"):
            return
        time.sleep(0.05)
    raise SystemExit("chaos: the first run never took the lock")


def concurrency(lab: Lab) -> list[dict]:
    rows = []
    before = (lab.study / "actions.xlsx").read_bytes()
    first = lab.start()
    wait_for_lock(lab, first)
    second = lab.run()
    _, first_err = first.communicate()
    message = next((line for line in second.stderr.splitlines() if "another teema" in line), "")
    rows.append({"case": "second run, no --wait", "first exit": first.returncode, "second exit": second.code,
                 "second took": f"{second.seconds:.1f} s", "message": message.replace(str(lab.root), "…"),
                 "actions.xlsx": "valid" if actions_values(lab.study / "actions.xlsx") is not None else "BROKEN"})
    first = lab.start()
    wait_for_lock(lab, first)
    second = lab.run(None, "--wait", "300")
    _, first_err = first.communicate()
    rows.append({"case": "second run, --wait 300", "first exit": first.returncode, "second exit": second.code,
                 "second took": f"{second.seconds:.1f} s", "message": "(waited, then ran)",
                 "actions.xlsx": "valid" if actions_values(lab.study / "actions.xlsx") is not None else "BROKEN"})
    del before
    return rows


def locked_actions(lab: Lab) -> list[dict]:
    rows = []
    actions = lab.study / "actions.xlsx"
    index = lab.reports / "2026-11" / "index.html"
    for case in ("read-only", "open in a spreadsheet (~$actions.xlsx)"):
        before, mode = actions.read_bytes(), actions.stat().st_mode
        owner = lab.study / "~$actions.xlsx"
        if case == "read-only":
            actions.chmod(0o444)
        else:
            owner.write_bytes(b"\x0bMikko\x00")
        stamp = index.stat().st_mtime_ns
        run = lab.run()
        message = next((line for line in run.stderr.splitlines() if "actions.xlsx" in line), "")
        rows.append({"case": case, "exit": run.code, "actions.xlsx unchanged": actions.read_bytes() == before,
                     "report written": index.stat().st_mtime_ns > stamp,
                     "message": message.replace(str(lab.root), "…")})
        actions.chmod(mode)
        owner.unlink(missing_ok=True)
    return rows


GOOD = {"hyva_01.txt": "Haastattelija: Miten meni?\nVastaaja: Lasku oli väärin kolme kertaa peräkkäin. "
                       "Tuki vastasi hitaasti.\nHaastattelija: Entä koulutus?\nVastaaja: Koulutus oli hyödyllinen.\n",
        "good_02.txt": "Interviewer: How was it?\nRespondent: The invoice was wrong again. Support was slow.\n"
                      "Interviewer: And training?\nRespondent: Training was useful and clear.\n"}


def _zip_bomb(path: Path, member: str, megabytes: int = 1000) -> None:
    """A valid-looking Office package whose one part expands to `megabytes` MB of zeros (about 1 MB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.'
                                                'org/package/2006/content-types"/>')
        with archive.open(member, "w", force_zip64=True) as out:
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                out.write(block)


def _entity_docx(path: Path) -> None:
    """A real .docx whose document.xml declares a billion-laughs entity chain and uses it in a paragraph."""
    import docx

    document = docx.Document()
    document.add_paragraph("Vastaaja: Lasku oli väärin.")
    buffer = io.BytesIO()
    document.save(buffer)
    laughs = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">'
                                          for n in range(1, 10)]
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                text = text.replace("?>", f"?><!DOCTYPE w:document [{''.join(laughs)}]>", 1)
                text = text.replace("Lasku oli väärin.", "Lasku oli väärin. &lol9;")
                data = text.encode("utf-8")
            out.writestr(info, data)


def hostile_cases() -> dict[str, tuple[str, object]]:
    """name -> (file written into the study, how to write it)."""
    def long_line(path: Path) -> None:
        words = ("lasku tuki hidas sopimus koulutus " * 10).encode()
        with path.open("wb") as out:
            out.write(b"Vastaaja: ")
            while out.tell() < 50_000_000 - len(words):
                out.write(words)

    def wide_csv(path: Path) -> None:
        header = ",".join(["id", "palaute", *(f"q{n}" for n in range(100_000 - 2))])
        row = ",".join(["r1", "Lasku oli väärin.", *("x" for _ in range(100_000 - 2))])
        path.write_text(header + "\n" + row + "\n", encoding="utf-8")

    def nul_bytes(path: Path) -> None:
        path.write_bytes(b"Vastaaja: Lasku\x00 oli\x00\x00 v\xc3\xa4\xc3\xa4rin.\x00\n" * 50 + b"\x00" * 5000)

    def links(path: Path) -> None:
        outside = path.parent.parent / "outside"
        outside.mkdir(exist_ok=True)
        (outside / "salainen.txt").write_text("Vastaaja: Mikko Virtanen 040 123 4567\n", encoding="utf-8")
        path.symlink_to(outside / "salainen.txt")
        (path.parent / "ulkona").symlink_to(outside, target_is_directory=True)

    def manifest(path: Path) -> None:
        path.write_text("tiedosto,vastaajan tunnus,segmentti\n../outside/salainen.txt,R1,pk\n"
                        "../../../../etc/passwd,R2,pk\nhyva_01.txt,R3,pk\n", encoding="utf-8")

    return {
        "none (baseline: the two good interviews)": ("hyva_01.txt", lambda p: None),
        "zip bomb as .docx (1 GB part)": ("pommi.docx", lambda p: _zip_bomb(p, "word/document.xml")),
        "zip bomb as .xlsx (1 GB part)": ("pommi.xlsx", lambda p: _zip_bomb(p, "xl/sharedStrings.xml")),
        "XML entity expansion in .docx": ("naurut.docx", _entity_docx),
        "50 MB single line": ("pitka_rivi.txt", long_line),
        "CSV with 100,000 columns": ("leveä.csv", wide_csv),
        "NUL bytes": ("nollat.txt", nul_bytes),
        "links out of the study folder": ("linkki.txt", links),
        "../ paths in manifest.csv": ("manifest.csv", manifest),
    }


def hostile(lab: Lab) -> list[dict]:
    rows = []
    for number, (case, (name, write)) in enumerate(hostile_cases().items()):
        study = lab.root / f"hostile{number}" / "study"
        study.mkdir(parents=True)
        (study / "teema.toml").write_text('[tag]\nenglish_model = ""\n', encoding="utf-8")  # as the main study
        for good, text in GOOD.items():
            (study / good).write_text(text, encoding="utf-8")
        write(study / name)
        run = lab.run(study, "--out", str(study.parent / "report"), timed=True)
        lines = [line for line in run.stderr.splitlines() if line.startswith("teema: ")]
        named = [line for line in lines if name in line or (name == "linkki.txt" and "ulkona" in line)]
        if number == 0:  # the baseline names nothing
            named = [summary for summary in lines if " statements from " in summary]
        summary = next((line for line in lines if " statements from " in line), "")
        files_read = re.search(r"from (\d+) files?", summary)
        rows.append({"case": case, "exit": run.code, "named": len(named) > 0,
                     "good files read": int(files_read.group(1)) if files_read else 0,
                     "traceback": "Traceback" in run.stderr, "peak MB": round(run.peak_kb / 1024),
                     "seconds": round(run.seconds, 1),
                     "message": (named[0] if named else (lines[-1] if lines else run.stderr[-200:]))
                     .replace(str(study), "…")[:220]})
        shutil.rmtree(study.parent, ignore_errors=True)
    return rows


def privacy(lab: Lab) -> tuple[list[dict], dict]:
    """Search every planted item in what teema wrote, then forget the study and count what is left."""
    log = lab.root / "run.log"
    run = lab.run(None, "--log", str(log))
    places = {"reports (csv, html, json, qdpx, qdc, npz)": sorted(p for p in lab.reports.rglob("*") if p.is_file()),
              "log (--log)": [log],
              "cache (embeddings, results)": sorted(lab.cache.glob("*")),
              "study codebook.csv": [lab.study / "codebook.csv"],
              "study actions.xlsx": [lab.study / "actions.xlsx"]}

    def readable(path: Path) -> bytes:
        data = path.read_bytes()
        if data.startswith(b"PK"):  # qdpx, xlsx, npz: the members, decompressed
            try:
                with zipfile.ZipFile(path) as archive:
                    data = b"".join(archive.read(info) for info in archive.infolist())
            except zipfile.BadZipFile:
                pass
        return data

    contents = {place: b"".join(readable(p) for p in paths if p.is_file()) for place, paths in places.items()}
    rows = []
    for kind, text in PLANTED:
        row = {"kind": kind, "planted": text}
        forms = {text, text.replace(" ", ""), text.lower()}
        for place, data in contents.items():
            folded = data.decode("utf-8", errors="replace").lower()
            row[place] = "FOUND" if any(form.lower() in folded for form in forms) else "-"
        rows.append(row)
    forget = subprocess.run([sys.executable, "-m", "pipeline", "forget", str(lab.study)], cwd=lab.root, env=lab.env(),
                            capture_output=True, text=True, check=False)
    import sqlite3

    left = {}
    for name, table in (("embeddings.sqlite", "vectors"), ("results.sqlite", "results")):
        db = sqlite3.connect(lab.cache / name)
        left[name] = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        db.close()
    return rows, {"run exit": run.code, "forget exit": forget.returncode,
                  "forget says": forget.stdout.strip().replace(str(lab.root), "…"), "entries left": left}


def table(rows: list[dict]) -> str:
    if not rows:
        return ""
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for row in rows:
        lines.append("| " + " | ".join(str(row[k]).replace("|", "\\|") for k in keys) + " |")
    return "\n".join(lines)


def verdict(kills, together, locked, bad, leaks, forgotten) -> list[str]:
    problems = []
    if not all(r["actions.xlsx opens"] and r["typed values kept"] and r["codebook.csv kept"]
               and r["older wave unchanged"] for r in kills):
        problems.append("a kill lost or damaged something")
    if kills[-1]["killed in"] != "exit 0":
        problems.append("the run after the kills failed")
    if together[0]["second exit"] != 2 or together[1]["second exit"] != 0 or any(r["first exit"] for r in together):
        problems.append("two runs at once were not kept apart")
    if not all(r["exit"] == 0 and r["actions.xlsx unchanged"] and r["report written"] for r in locked):
        problems.append("a locked action table was not handled")
    if not all(r["named"] and not r["traceback"] and r["good files read"] >= 2 and r["peak MB"] * 1024 < MEMORY_LIMIT_KB
               for r in bad):
        problems.append("a hostile file was not handled")
    outside = [k for k in leaks[0] if k not in ("kind", "planted", "study codebook.csv", "study actions.xlsx")]
    if any(r[place] != "-" for r in leaks for place in outside):
        problems.append("planted personal data found outside the study folder")
    if any(forgotten["entries left"].values()):
        problems.append("teema forget left entries")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delays", type=float, nargs="+", default=DELAYS)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="teema-chaos-"))
    work.mkdir(parents=True, exist_ok=True)
    lab = Lab(work)
    started = time.monotonic()
    try:
        study_files(lab.study)
        print("chaos: SIGKILL loop ...", file=sys.stderr)
        kills = kill_loop(lab, tuple(args.delays))
        print("chaos: two runs at once ...", file=sys.stderr)
        together = concurrency(lab)
        print("chaos: locked action table ...", file=sys.stderr)
        locked = locked_actions(lab)
        print("chaos: privacy ...", file=sys.stderr)
        leaks, forgotten = privacy(lab)
        print("chaos: hostile files ...", file=sys.stderr)
        bad = hostile(lab)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    problems = verdict(kills, together, locked, bad, leaks, forgotten)
    minutes = (time.monotonic() - started) / 60
    text = "\n\n".join([
        "# Chaos run: kills, concurrent runs, a locked action table, hostile files, privacy",
        f"`make chaos` (bench/chaos.py), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.platform()}, "
        f"{os.cpu_count()} CPUs, {minutes:.1f} min in all. Embedder `static`; a generated study of two waves of six "
        "short Finnish and English interviews with planted personal data.",
        f"**Verdict: {'all held' if not problems else 'FAILED: ' + '; '.join(problems)}.**",
        f"## 1. SIGKILL at increasing delays\n\n{lab.rows['typed'][0]} values typed into actions.xlsx, a note on "
        "every codebook.csv row and a rename. `killed in`: the step the run had reached (its last progress line). "
        "`codebook.csv kept`: the file's bytes before the loop are still its first bytes (teema only appends). "
        "`older wave unchanged`: sha256 of every file in reports/chaos/2026-05/. The last row is a normal run after "
        "the loop.\n\n" + table(kills),
        "## 2. Two runs on one study at once\n\n" + table(together),
        "## 3. actions.xlsx read-only or open in a spreadsheet\n\n" + table(locked),
        "## 4. Hostile files (each beside two good interviews, /usr/bin/time -v)\n\n"
        f"Peak memory limit: {MEMORY_LIMIT_KB // 1024} MB. `good files read`: files the run read (the two good "
        "interviews: each hostile file is refused). The baseline row is the same study without a hostile file: "
        "the memory and time of reading, embedding and writing two interviews, which the other rows add to.\n\n"
        + table(bad),
        "## 5. Planted personal data in what teema wrote\n\n`FOUND`: the item (or its lower-case or unspaced form) "
        "occurs in the place's bytes (zip members decompressed). The study's own codebook.csv and actions.xlsx are "
        "in the study folder, beside the originals; they are searched too.\n\n" + table(leaks)
        + f"\n\n`teema forget STUDY`: exit {forgotten['forget exit']}, \"{forgotten['forget says']}\"; entries left "
          f"in the cache: {forgotten['entries left']}.",
    ]) + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
