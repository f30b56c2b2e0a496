"""Privacy: personal data (names, e-mails, phone numbers, henkilötunnus, IBANs) out of exports."""

from pipeline.privacy.names import NameModelMissing
from pipeline.privacy.patterns import Span, find_patterns
from pipeline.privacy.redact import PLACEHOLDERS, Redactor, apply_spans, redact_study, redact_texts

__all__ = ["PLACEHOLDERS", "NameModelMissing", "Redactor", "Span", "apply_spans", "find_patterns", "redact_study",
           "redact_texts"]
