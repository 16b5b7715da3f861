"""The event log (R_LOG_01-03): a ring of 1,000 slots.

A writer takes the next sequence number with one atomic counter update and puts its entry in
slot `seq % 1000` on condition that the slot holds nothing newer. So at every instant at most the
last 1,000 messages exist, with no clean-up job; entries older than 14 days are filtered on read
and expire by TTL. Details are a closed set of keys with scrubbed values: never a token, secret,
raw IP, e-mail address or anything from a question or contact form.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import timedelta
from enum import StrEnum
from typing import Any

from pynamodb.exceptions import PutError

from chalicelib.models import Counter, EventLogEntry
from chalicelib.platform import clock
from chalicelib.platform.scrub import scrub_text

RING_SIZE = 1000
MAX_AGE = timedelta(days=14)
RING = "ring"
COUNTER_NAME = "event-log"

platform_log = logging.getLogger("leerrijk.events")


class EventKind(StrEnum):
    SYSTEM_ERROR = "system_error"
    SEARCH = "search"
    SUPPLIER_UPDATE = "supplier_update"
    SIGNUP = "signup"
    LINK_REQUESTED = "link_requested"
    LINK_USED = "link_used"
    LINK_REFUSED = "link_refused"
    LOGIN = "login"
    LOGOUT = "logout"
    TOTP_FAILED = "totp_failed"
    ACCESS_DENIED = "access_denied"
    ROLE_CHANGED = "role_changed"
    ACCOUNT_DELETED = "account_deleted"
    ENROLMENT = "enrolment"
    APPROVAL = "approval"
    CANCELLATION = "cancellation"
    DELIVERY = "delivery"
    REVIEW = "review"
    JOB = "job"
    RETENTION_BREACH = "retention_breach"
    LINK_EXPIRED = "link_expired"
    RATE_LIMITED = "rate_limited"
    TOTP_ENROLLED = "totp_enrolled"
    TOTP_RESET = "totp_reset"
    ACCOUNT_CHANGED = "account_changed"
    ACCOUNT_DISABLED = "account_disabled"
    SESSIONS_ENDED = "sessions_ended"
    DATA_EXPORTED = "data_exported"
    ORGANISATION_CHANGED = "organisation_changed"
    SUPPLIER_CHANGED = "supplier_changed"
    CONTACT_SENT = "contact_sent"  # that a contact form was sent; never its content or sender (R_LOG_01)


# Only these keys may appear in a detail; values are ids, counts, codes or scrubbed search terms.
ALLOWED_DETAIL = frozenset({
    "account_ref", "course_id", "execution_id", "enrolment_id", "supplier_id", "program_id",
    "org_id", "review_id", "job", "count", "status", "outcome", "reason", "route", "where",
    "error_type", "term", "results", "role", "channel", "key_id",
    "actor_ref", "purpose", "assurance", "changed", "policy", "department_id", "caller",
})


def record(kind: EventKind, level: str = "info", **detail: Any) -> int:
    """Append one entry to the ring and to the platform log; returns its sequence number."""
    safe = clean_detail(detail)
    now = clock.now()
    seq = _next_seq()
    entry = EventLogEntry(
        ring=RING, slot=seq % RING_SIZE, seq=seq, at=now, level=level, kind=str(kind), detail=safe,
        expires_at=now + MAX_AGE,
    )
    try:
        entry.save(condition=EventLogEntry.seq.does_not_exist() | (EventLogEntry.seq < seq))
    except PutError as err:
        if not _condition_failed(err):
            raise
        # a newer entry already owns the slot: ours is older than the last 1,000 and is gone
    platform_log.info(json.dumps({"seq": seq, "kind": str(kind), "level": level, **safe}, ensure_ascii=True))
    return seq


def refusal(reason: str, route: str, caller: str) -> None:
    """A refused request (bad or missing credentials, CSRF, a role the caller lacks): one entry each."""
    record(EventKind.ACCESS_DENIED, level="warning", reason=reason, route=route, caller=caller)


def system_error(**detail: Any) -> None:
    """Never let logging an error raise a second one."""
    try:
        record(EventKind.SYSTEM_ERROR, level="error", **detail)
    except Exception:
        print("eventlog unavailable", file=sys.stderr)


def recent(limit: int = RING_SIZE) -> list[dict[str, Any]]:
    """Newest first; nothing older than 14 days even if TTL has not removed it yet."""
    cutoff = clock.now() - MAX_AGE
    entries = [e for e in EventLogEntry.query(RING) if e.at > cutoff]
    entries.sort(key=lambda e: e.seq, reverse=True)
    return [to_dict(e) for e in entries[:limit]]


def to_dict(entry: EventLogEntry) -> dict[str, Any]:
    return {
        "seq": int(entry.seq), "at": entry.at.isoformat(), "level": entry.level, "kind": entry.kind,
        "detail": entry.detail.as_dict(),
    }


def clean_detail(detail: dict[str, Any]) -> dict[str, Any]:
    safe: dict[str, Any] = {}
    dropped = 0
    for key, value in detail.items():
        if key not in ALLOWED_DETAIL:
            dropped += 1
            continue
        if isinstance(value, bool) or value is None or isinstance(value, int | float):
            safe[key] = value
        else:
            safe[key] = scrub_text(str(value))
    if dropped:
        safe["dropped_fields"] = dropped
    return safe


def _next_seq() -> int:
    counter = Counter(COUNTER_NAME)
    counter.update(actions=[Counter.value.add(1)])
    return int(counter.value)


def _condition_failed(err: PutError) -> bool:
    return getattr(err, "cause_response_code", None) == "ConditionalCheckFailedException"
