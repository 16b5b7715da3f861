"""Make free text safe for the event log: no control characters, no addresses, bounded length."""

from __future__ import annotations

import re
import unicodedata

from chalicelib.platform.ipmask import mask_ip

_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"\b(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}\b")
MAX_LEN = 200
SEARCH_TERM_MAX = 100
# A run of 6+ digits, also written with spaces, dots, dashes, slashes or brackets between them
# (06-1234 5678, +31 (0)70 123 4567, 123.456.789): phone numbers, BSNs, account and birth dates.
_DIGIT_RUN = re.compile(r"\+?\(?\d(?:[\s./()\-]{0,2}\d){5,}\)?")
_EMAIL_LIKE = re.compile(r"\S*@\S*")


def scrub_text(value: str, max_len: int = MAX_LEN) -> str:
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in value)
    cleaned = _EMAIL.sub("[e-mail]", cleaned)
    cleaned = _IPV4.sub(lambda m: mask_ip(m.group()) or "[ip]", cleaned)
    cleaned = _IPV6.sub(lambda m: mask_ip(m.group()) or m.group(), cleaned)
    cleaned = " ".join(cleaned.split())
    return cleaned[:max_len]


def scrub_search_term(term: str) -> str:
    """A search term as the event log keeps it (R_CAT_04, R_LOG_01): no number that could identify a
    person (6+ digits), nothing e-mail-like, at most SEARCH_TERM_MAX characters."""
    masked = _EMAIL_LIKE.sub("[e-mail]", " ".join(term.split()))
    masked = _DIGIT_RUN.sub("[nummer]", masked)
    return scrub_text(masked, SEARCH_TERM_MAX)
