"""Measure redaction on a file of planted personal data: recall and precision per type and language.

    python -m pipeline.privacy.evaluate [SET.txt ...]   (default: tests/data/privacy_planted.txt,
                                                       privacy_heldout.txt, privacy_contact.txt and
                                                       privacy_safety.txt)

The file has one statement per line, "lang|text", with each planted item marked {{KIND:value}}
(see the file's header). All statements are redacted together, as one study. A planted item is
found when a redacted span of the same kind covers all of it; a redacted span is correct when it
overlaps a planted item of the same kind.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import REPO_ROOT
from pipeline.privacy.patterns import KINDS, Span
from pipeline.privacy.redact import Redactor

DEFAULT_SET = REPO_ROOT / "tests" / "data" / "privacy_planted.txt"
HELD_OUT_SET = REPO_ROOT / "tests" / "data" / "privacy_heldout.txt"
CONTACT_SET = REPO_ROOT / "tests" / "data" / "privacy_contact.txt"  # addresses, lower-case IBANs, inflected names
SAFETY_SET = REPO_ROOT / "tests" / "data" / "privacy_safety.txt"  # issue 16: held out, Finnish cases, phone formats
_ITEM = re.compile(r"\{\{([A-Z]+):(.+?)\}\}")


@dataclass(frozen=True)
class Case:
    lang: str
    text: str
    planted: tuple[Span, ...]


def parse_cases(source: str) -> list[Case]:
    """Cases from the marked-up text; ValueError for a line that is not 'lang|text' or an unknown kind."""
    cases = []
    for number, line in enumerate(source.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        lang, sep, marked = line.partition("|")
        if not sep or lang not in ("fi", "en"):
            raise ValueError(f"line {number}: expected 'fi|text' or 'en|text'")
        text, planted, last = [], [], 0
        length = 0
        for match in _ITEM.finditer(marked):
            kind, value = match.groups()
            if kind not in KINDS:
                raise ValueError(f"line {number}: unknown kind {kind}")
            text.append(marked[last:match.start()])
            length += match.start() - last
            planted.append(Span(length, length + len(value), kind))
            text.append(value)
            length += len(value)
            last = match.end()
        text.append(marked[last:])
        cases.append(Case(lang, "".join(text), tuple(planted)))
    return cases


def _covered(item: Span, spans: list[Span]) -> bool:
    chars = set(range(item.start, item.end))
    for span in spans:
        if span.kind == item.kind:
            chars -= set(range(span.start, span.end))
    return not chars


def evaluate(cases: list[Case]) -> dict[tuple[str, str], dict[str, int]]:
    """Counts per (kind, lang): planted, found, redacted, correct."""
    found_spans = Redactor().find([c.text for c in cases], [c.lang for c in cases])
    counts: dict[tuple[str, str], Counter] = {}
    for case, spans in zip(cases, found_spans, strict=True):
        for item in case.planted:
            row = counts.setdefault((item.kind, case.lang), Counter())
            row["planted"] += 1
            row["found"] += _covered(item, spans)
        for span in spans:
            row = counts.setdefault((span.kind, case.lang), Counter())
            row["redacted"] += 1
            row["correct"] += any(p.kind == span.kind and p.start < span.end and span.start < p.end
                                  for p in case.planted)
    return {key: dict(value) for key, value in sorted(counts.items(), key=lambda kv: (KINDS.index(kv[0][0]), kv[0][1]))}


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def format_table(counts: dict[tuple[str, str], dict[str, int]]) -> str:
    """A Markdown table of recall and precision per kind and language, with totals."""
    lines = ["| type | lang | planted | found | recall | redacted | correct | precision |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    totals: dict[str, Counter] = {}
    for (kind, lang), row in counts.items():
        get = row.get
        lines.append(f"| {kind} | {lang} | {get('planted', 0)} | {get('found', 0)} | "
                     f"{_ratio(get('found', 0), get('planted', 0))} | {get('redacted', 0)} | {get('correct', 0)} | "
                     f"{_ratio(get('correct', 0), get('redacted', 0))} |")
        for key in (lang, "all"):
            totals.setdefault(key, Counter()).update(row)
    for key, row in sorted(totals.items(), key=lambda kv: kv[0] == "all"):
        lines.append(f"| **all** | {key} | {row['planted']} | {row['found']} | "
                     f"{_ratio(row['found'], row['planted'])} | {row['redacted']} | {row['correct']} | "
                     f"{_ratio(row['correct'], row['redacted'])} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the table for each set named (default: the tuning set, the held-out set and the contact set)."""
    args = sys.argv[1:] if argv is None else argv
    for path in [Path(a) for a in args] or [DEFAULT_SET, HELD_OUT_SET, CONTACT_SET, SAFETY_SET]:
        cases = parse_cases(path.read_text(encoding="utf-8"))
        print(f"{path.name}: {len(cases)} statements, {sum(len(c.planted) for c in cases)} planted items")
        print(format_table(evaluate(cases)))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
