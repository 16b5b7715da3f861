"""Pure rules of the contact form (R_CON_03, R_CON_04): the week, the purge days, the honeypot.

No I/O and no hidden clock: callers pass `now`.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime, timedelta

from chalicelib.accounts.rules import canonical_address
from chalicelib.platform import deadlines
from chalicelib.platform.ratelimit_rules import CONTACT_WEEK

RETENTION = CONTACT_WEEK  # every copy is gone from every read path after this, and physically deleted by then
CATCH_UP_DAYS = 14  # a purge run also handles the purge days of this many missed days
CHECK_DAYS = 60  # the retention self-check looks this far back for copies the purge missed


def purge_day(submitted_at: datetime) -> str:
    """The UTC day on which the purge deletes a message and its copies: within 7 days of submission."""
    return deadlines.purge_day(submitted_at, RETENTION)


def expires_at(submitted_at: datetime) -> datetime:
    return submitted_at + RETENTION


def visible(created_at: datetime, now: datetime) -> bool:
    """Every read path shows a message only during its week, whether or not the purge has run yet."""
    return now < created_at + RETENTION


def sender_hash(email: str) -> str:
    """The key the messages of one mailbox are found by (R_ACC_09): a keyed hash of the canonical address, so
    `ada+x@` and `Ada@` are one sender, as for the per-address limit (R_CON_04)."""
    return hashlib.sha256(f"leer-rijk-contact-sender:{canonical_address(email)}".encode()).hexdigest()


def is_honeypot(value: str | None) -> bool:
    """The hidden field is empty for people; a bot that fills it gets the normal answer and nothing happens."""
    return bool(value and value.strip())


def overdue(purge_day_iso: str, now: datetime) -> bool:
    """A copy whose purge day has passed should have been deleted during that day (R_PRV_02)."""
    return purge_day_iso < deadlines.utc_day(now).isoformat()


def purge_days(now: datetime) -> list[str]:
    return deadlines.days_due(now, CATCH_UP_DAYS)


def check_days(now: datetime) -> list[str]:
    """Every purge day a copy can carry now: the past `CHECK_DAYS` through the last day of the week ahead."""
    today = deadlines.utc_day(now)
    last = today + timedelta(days=RETENTION.days - 1)
    span = (last - today).days + CHECK_DAYS
    return [(last - timedelta(days=back)).isoformat() for back in range(span, -1, -1)]


_KEEP = frozenset("\n\t")


def clean_text(value: str) -> str:
    """The question as typed, without control characters (C0, DEL and C1) other than line breaks and tabs."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) != "Cc").strip()
