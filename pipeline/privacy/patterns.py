"""Pattern detectors for personal data with a fixed shape: e-mail addresses, phone numbers (Finnish
and international), Finnish personal identity codes (henkilötunnus, checksum verified) and IBANs
(checksum verified). Each returns character spans of the text it was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.fi import hetu as stdnum_hetu

KINDS = ("HETU", "IBAN", "EMAIL", "PHONE", "NAME")  # also the order in which overlapping finds win


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    kind: str


EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?!\w)")
HETU = re.compile(r"(?<![\w+-])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\w])", re.IGNORECASE)
IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?=[ ]?[A-Z0-9])")
IBAN_BODY = re.compile(r"[A-Z0-9 ]{8,40}")
# "+358 40 123 4567", "+1 (555) 123-4567": a plus sign and 8 to 15 digits is a phone number.
INTERNATIONAL = re.compile(r"(?<![\w+])\+\d[\d\s().-]{6,20}\d(?!\d)")
# A number after a phone word: "puh. 040-1234 567", "tel: 555 0199", "call me at 555-0199".
CUED = re.compile(
    r"(?i:\b(?:puh(?:elin(?:numero)?)?|gsm|matkapuhelin|kännykkä|numero(?:ni|on)?|soita(?:kaa)?|tel(?:ephone)?|"
    r"phone|mobile|cell|call(?:\s+me)?(?:\s+(?:at|on))?)\b\.?:?\s*)(?P<number>\(?\+?\d[\d\s().-]{5,18}\d)(?!\d)"
)
PHONE_REGIONS = {"fi": ("FI",), "en": ("FI", "GB", "US")}


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def find_emails(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), "EMAIL") for m in EMAIL.finditer(text)]


def find_hetus(text: str) -> list[Span]:
    """Finnish personal identity codes whose date and check character are valid."""
    return [Span(m.start(), m.end(), "HETU") for m in HETU.finditer(text)
            if stdnum_hetu.is_valid(m.group(0).upper(), allow_temporary=True)]


def find_ibans(text: str) -> list[Span]:
    """IBANs, with or without spaces in groups, whose mod-97 check passes."""
    spans = []
    for start in IBAN_START.finditer(text):
        body = IBAN_BODY.match(text, start.end())
        if body is None:
            continue
        candidate = text[start.start():body.end()]
        for end in range(len(candidate), 13, -1):
            piece = candidate[:end]
            if piece.endswith(" ") or (end < len(candidate) and candidate[end].isalnum() and piece[-1].isalnum()):
                continue
            if stdnum_iban.is_valid(piece.replace(" ", "")):
                spans.append(Span(start.start(), start.start() + end, "IBAN"))
                break
    return spans


def find_phones(text: str, lang: str = "fi") -> list[Span]:
    """Phone numbers valid for Finland (and for the UK and US in English text), +international
    numbers, and numbers right after a phone word."""
    spans: list[Span] = []
    for region in PHONE_REGIONS.get(lang, ("FI",)):
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            spans.append(Span(match.start, match.end, "PHONE"))
    for match in INTERNATIONAL.finditer(text):
        if 8 <= _digits(match.group(0)) <= 15:
            spans.append(Span(match.start(), match.end(), "PHONE"))
    for match in CUED.finditer(text):
        if 6 <= _digits(match.group("number")) <= 15:
            spans.append(Span(match.start("number"), match.end("number"), "PHONE"))
    return resolve(spans)


def mask(text: str, spans: list[Span]) -> str:
    """The text with spans overwritten by 'x', offsets kept, so later detectors skip them."""
    chars = list(text)
    for span in spans:
        chars[span.start:span.end] = "x" * (span.end - span.start)
    return "".join(chars)


def find_patterns(text: str, lang: str = "fi") -> list[Span]:
    """Every fixed-shape find, without overlaps (identity codes and IBANs win over phone numbers)."""
    found: list[Span] = []
    for finder in (find_hetus, find_ibans, find_emails):
        found.extend(finder(mask(text, found)))
    found.extend(find_phones(mask(text, found), lang))
    return resolve(found)


def resolve(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans: earlier kinds in KINDS win, then longer spans, then earlier ones."""
    ordered = sorted(spans, key=lambda s: (KINDS.index(s.kind), -(s.end - s.start), s.start))
    kept: list[Span] = []
    for span in ordered:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept)
