"""Make free text safe for the event log: no control characters, no addresses, bounded length."""

from __future__ import annotations

import re
import unicodedata

from chalicelib.platform.ipmask import mask_ip

_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"\b(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}\b")
MAX_LEN = 200


def scrub_text(value: str, max_len: int = MAX_LEN) -> str:
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in value)
    cleaned = _EMAIL.sub("[e-mail]", cleaned)
    cleaned = _IPV4.sub(lambda m: mask_ip(m.group()) or "[ip]", cleaned)
    cleaned = _IPV6.sub(lambda m: mask_ip(m.group()) or m.group(), cleaned)
    cleaned = " ".join(cleaned.split())
    return cleaned[:max_len]
