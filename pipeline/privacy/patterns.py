"""Pattern detectors for personal data with a fixed shape: e-mail addresses, phone numbers (Finnish
and international), Finnish personal identity codes (henkilötunnus, checksum verified), IBANs
(checksum verified, any case) and postal addresses (Finnish and English street addresses, a Finnish
postcode with its city, a UK postcode). Each returns character spans of the text it was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.fi import hetu as stdnum_hetu

KINDS = ("HETU", "IBAN", "EMAIL", "PHONE", "ADDRESS", "NAME")  # also the order in which overlapping finds win


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    kind: str


EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?!\w)")
HETU = re.compile(r"(?<![\w+-])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\w])", re.IGNORECASE)
IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[ ]?[A-Za-z0-9])")
IBAN_BODY = re.compile(r"[A-Za-z0-9 ]{8,40}")
# "+358 40 123 4567", "+1 (555) 123-4567": a plus sign and 8 to 15 digits is a phone number.
INTERNATIONAL = re.compile(r"(?<![\w+])\+\d[\d\s().-]{6,20}\d(?!\d)")
# A number after a phone word: "puh. 040-1234 567", "tel: 555 0199", "call me at 555-0199".
CUED = re.compile(
    r"(?i:\b(?:puh(?:elin(?:numero)?)?|gsm|matkapuhelin|kännykkä|numero(?:ni|on)?|soita(?:kaa)?|tel(?:ephone)?|"
    r"phone|mobile|cell|call(?:\s+me)?(?:\s+(?:at|on))?)\b\.?:?\s*)(?P<number>\(?\+?\d[\d\s().-]{5,18}\d)(?!\d)"
)
PHONE_REGIONS = {"fi": ("FI",), "en": ("FI", "GB", "US")}


# Street addresses. Finnish: a capitalised street name ending in a street word, a house number, and an optional
# staircase letter and flat number ("Hämeenkatu 12 B 5", "Mannerheimintie 3", "Kauppakuja 4 as. 7").
_FI_STREET_WORDS = ("katu", "tie", "kuja", "polku", "väylä", "raitti", "kaari", "rinne", "tori", "ranta", "puisto",
                    "aukio", "bulevardi", "kaarre", "mäki", "penger", "piha", "kulma", "kallio", "niemi", "portti",
                    "puistikko", "kadulla", "kadulle", "kadulta", "kadun", "tiellä", "tielle", "tieltä",
                    "tien", "kujalla", "kujalle", "kujan", "polulla", "polun", "väylällä", "väylän")
FI_STREET = re.compile(
    rf"(?<![\w-])(?!(?:Valta|Kanta|Seutu|Maan)tie\b)[A-ZÅÄÖ][a-zåäöé]+(?:-[A-Za-zÅÄÖåäö][a-zåäö]+)?(?:{'|'.join(_FI_STREET_WORDS)})"
    r"\s+\d{1,4}(?:\s?[A-Za-z](?![\w]))?(?:\s?(?:as\.?|asunto)?\s?\d{1,4}(?![\d,.]\d))?(?![\w])")
# English: a house number, one to three capitalised words and a street word ("12 Baker Street", "4 Elm Rd").
_EN_STREET_WORDS = ("Street", "St", "Road", "Rd", "Avenue", "Ave", "Lane", "Ln", "Drive", "Close", "Court",
                    "Way", "Place", "Square", "Terrace", "Boulevard", "Blvd", "Crescent", "Gardens", "Grove", "Row",
                    "Mews", "Parade", "Walk")
EN_STREET = re.compile(rf"(?<![\w.,])\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){{1,3}}(?:{'|'.join(_EN_STREET_WORDS)})"
                       r"\b\.?")
# A Finnish postcode and its town ("33100 Tampere", "00100 HELSINKI", "02100 Espoo"), a UK postcode ("SW1A 1AA").
FI_POSTCODE = re.compile(r"(?<![\w,.])\d{5}\s+(?:[A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?|[A-ZÅÄÖ]{3,})(?![\w-])")
UK_POSTCODE = re.compile(r"(?<![\w])[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}(?![\w])")


# A number after these words is an order, ticket or invoice number or a year, not a postcode or a house number.
_NUMBER_WORDS = frozenset("numero nro no nr tilaus tilausnumero lasku laskunumero asiakasnumero tiketti tukipyyntö "
                          "tapaus viite versio vuonna vuoden vuodesta order ticket invoice case ref reference version "
                          "in since by until from year id".split())
_COMPANY_AFTER = re.compile(r"\s+(?:Oy|Oyj|Ab|Ky|Ay|Ltd|Inc|LLC|plc|GmbH)\b")


def _number_word_before(text: str, start: int) -> bool:
    words = re.findall(r"[^\W\d_]+|#", text[max(0, start - 30):start])
    return bool(words) and words[-1].lower() in _NUMBER_WORDS


def find_addresses(text: str) -> list[Span]:
    """Street addresses (Finnish and English), Finnish postcodes with their town and UK postcodes; a street and its
    postcode side by side ("Hämeenkatu 12 B 5, 33100 Tampere") become one span. A number after an order, ticket or
    year word ("tilaus 12345 Lumivaara", "in 2024 Main Street ...") or before a company form ("Oy") is not one."""
    spans = [Span(m.start(), m.end(), "ADDRESS")
             for pattern in (FI_STREET, UK_POSTCODE) for m in pattern.finditer(text)]
    spans += [Span(m.start(), m.end(), "ADDRESS")
              for pattern in (EN_STREET, FI_POSTCODE) for m in pattern.finditer(text)
              if not _number_word_before(text, m.start()) and not _COMPANY_AFTER.match(text, m.end())]
    merged: list[Span] = []
    for span in resolve(spans):
        if merged and re.fullmatch(r"[\s,]*", text[merged[-1].end:span.start]):
            merged[-1] = Span(merged[-1].start, span.end, "ADDRESS")
        else:
            merged.append(span)
    return merged


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
            if stdnum_iban.is_valid(piece.replace(" ", "").upper()):
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
    found.extend(find_addresses(mask(text, found)))
    return resolve(found)


def resolve(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans: earlier kinds in KINDS win, then longer spans, then earlier ones."""
    ordered = sorted(spans, key=lambda s: (KINDS.index(s.kind), -(s.end - s.start), s.start))
    kept: list[Span] = []
    for span in ordered:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept)
