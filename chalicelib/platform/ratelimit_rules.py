"""Pure fixed-window rate-limit arithmetic. Subjects are hashes of an address or account, never an IP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class Policy:
    name: str
    limit: int
    window: timedelta
    # A hard deadline for the counters (R_CON_03): they carry a purge day and a job deletes them.
    purge_within: timedelta | None = None


# R_ACC_03 / security B8: link requests per address, and for the whole service (SES quota).
LINK_PER_ADDRESS = Policy("link", 5, timedelta(minutes=15))
LINK_GLOBAL = Policy("link-global", 500, timedelta(minutes=15))
# R_QST_02: questions per account (each may go to several local admins).
QUESTION_PER_ACCOUNT = Policy("question", 5, timedelta(hours=1))
# R_ACC_10: TOTP attempts per account.
TOTP_PER_ACCOUNT = Policy("totp", 5, timedelta(minutes=15))
# R_CON_04: contact messages per sender address and for the whole service; their counters are
# copies of the sender's address (hashed) and share the contact message's week (R_CON_03).
CONTACT_WEEK = timedelta(days=7)
CONTACT_PER_ADDRESS = Policy("contact", 3, timedelta(hours=1), purge_within=CONTACT_WEEK)
CONTACT_GLOBAL = Policy("contact-global", 60, timedelta(hours=1), purge_within=CONTACT_WEEK)


def window_start(now: datetime, window: timedelta) -> datetime:
    seconds = int(window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def window_key(policy: Policy, now: datetime) -> str:
    return f"{policy.name}#{window_start(now, policy.window).strftime('%Y-%m-%dT%H:%M:%SZ')}"


def window_end(policy: Policy, now: datetime) -> datetime:
    return window_start(now, policy.window) + policy.window


def retry_after_seconds(policy: Policy, now: datetime) -> int:
    return max(1, int((window_end(policy, now) - now).total_seconds()))
