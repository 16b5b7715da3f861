"""The event log (R_LOG_01-03): a ring of 1,000 slots.

A writer takes the next sequence number with one atomic counter update and puts its entry in
slot `seq % 1000` on condition that the slot holds nothing newer. So at every instant at most the
last 1,000 messages exist, with no clean-up job; entries older than 14 days are filtered on read
and expire by TTL. Details are a closed set of keys with scrubbed values: never a token, secret,
raw IP, e-mail address or anything from a question or contact form.

Refusals (rate limits, bad credentials, bad links) are counted, not appended (R_LOG_04): per kind,
key detail and 10-minute window one atomic counter; only the first refusal of a window takes a
slot of the ring, and reading the log shows the counter's value as the entry's `count`. So no
caller can push other entries out by being refused, and every refusal is still counted once.

Entries are not copied to the platform log (R_LOG_02): a copy there would outlive the ring. Only a
system error leaves a line in the platform log, with its type and where it happened (and, from
`frames_of`, the code frames), so IT operations see failures even when the table is unreachable.
The event-log table has no point-in-time recovery (the register says so, R_PRV_04).
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from pynamodb.exceptions import PutError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.models import Counter, EventLogEntry, RateCounter, plain
from chalicelib.platform import batch, clock
from chalicelib.platform.scrub import scrub_text
from chalicelib.platform.transactions import Transaction

RING_SIZE = 1000
MAX_AGE = timedelta(days=14)
RING = "ring"
COUNTER_NAME = "event-log"
COUNTER_LABEL = "eventlog-counter"  # the counter's advance in a transaction (`put_numbered_in`)
ENTRY_ACTIONS = 2  # what `put_numbered_in` adds to a transaction: the entry and the counter's advance
REPEAT_WINDOW = timedelta(minutes=10)
REPEAT_PREFIX = "eventlog-repeat"

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
    WAITING = "waiting"  # a waiting place joined, left, moved up, was offered a seat or skipped (R_WAIT)
    DELIVERY = "delivery"
    DELIVERY_REPEATED = "delivery_repeated"  # a feed page delivered before, read again: counted (R_LOG_04)
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
    DIRECTORY_SYNC = "directory_sync"  # a sync of an EDU-DEX catalog asked, done or failed (R_DEX_01, R_DEX_02)
    CONTACT_SENT = "contact_sent"  # that a contact form was sent; never its content or sender (R_LOG_01)
    ORDER_LINE_CHANGED = "order_line_changed"  # marked as ordered, or that undone (R_ORD_02)
    SEARCH_LISTS_CHANGED = "search_lists_changed"  # CFB saved the synonyms or translations (R_CAT_07)


# Only these keys may appear in a detail; values are ids, counts, codes or scrubbed search terms.
ALLOWED_DETAIL = frozenset({
    "account_ref", "course_id", "execution_id", "enrolment_id", "supplier_id", "program_id",
    "org_id", "review_id", "job", "count", "status", "outcome", "reason", "route", "where",
    "error_type", "term", "results", "role", "channel", "key_id",
    "actor_ref", "purpose", "assurance", "changed", "policy", "department_id", "caller", "window", "origin",
    "connection_id",
})
# Events that an incident is read from carry where the request came from: the viewer's address, masked
# (R_VIS_02: IPv4 /16, IPv6 /48, shared by whole ministries). Never a review or search event: those
# must point to no one (R_REV_03, R_CAT_04).
ORIGIN_KINDS = frozenset({
    EventKind.LOGIN, EventKind.LINK_REQUESTED, EventKind.LINK_USED, EventKind.LINK_REFUSED, EventKind.SIGNUP,
    EventKind.TOTP_FAILED, EventKind.ACCESS_DENIED, EventKind.RATE_LIMITED,
})
_origin: contextvars.ContextVar[str | None] = contextvars.ContextVar("origin", default=None)


def set_origin(masked_address: str | None) -> contextvars.Token[str | None]:
    """The current request's viewer address, already masked (`platform.ipmask.viewer_ip`)."""
    return _origin.set(masked_address)


def reset_origin(token: contextvars.Token[str | None]) -> None:
    _origin.reset(token)


def _with_origin(kind: EventKind, detail: dict[str, Any]) -> dict[str, Any]:
    origin = _origin.get()
    return {**detail, "origin": origin} if origin and kind in ORIGIN_KINDS else detail


def record(kind: EventKind, level: str = "info", **detail: Any) -> int:
    """Append one entry to the ring; returns its sequence number. Nothing goes to the platform log."""
    return _append(kind, level, clean_detail(_with_origin(kind, detail)))


def _append(kind: EventKind, level: str, safe: dict[str, Any]) -> int:
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
    return seq


def record_repeated(kind: EventKind, level: str = "warning", **key: Any) -> int:
    """Count one refusal (R_LOG_04); only the first of its kind, `key` and window takes a ring slot.

    `key` (a few codes: reason, policy, caller kind) decides which refusals share an entry, so it
    must have few values. Returns the count so far.
    """
    safe = clean_detail(key)
    now = clock.now()
    window = repeat_window(now)
    count = _count(_repeat_subject(kind, safe), window, now)
    if count == 1:
        _append(kind, level, clean_detail(_with_origin(kind, {**safe, "window": window, "count": 1})))
    return count


def prepare(kind: EventKind, level: str = "info", **detail: Any) -> EventLogEntry:
    """An entry with its sequence number taken, to be written inside a transaction (`put_in`):
    e.g. together with the outbox claim of an enrolment, so the entry exists exactly when the
    follow-up of the request is marked done."""
    return _numbered(_next_seq(), kind, level, detail)


def _numbered(seq: int, kind: EventKind, level: str, detail: dict[str, Any]) -> EventLogEntry:
    now = clock.now()
    return EventLogEntry(ring=RING, slot=seq % RING_SIZE, seq=seq, at=now, level=level, kind=str(kind),
                         detail=clean_detail(_with_origin(kind, detail)), expires_at=now + MAX_AGE)


@dataclass(frozen=True)
class Numbered:
    """An entry numbered from the counter as the request read it (`read`), in a batch read the request makes
    anyway: the entry's transaction advances the counter on condition that it still holds `read`, so taking
    the number costs no call of its own (the feed page, issue 23). `read` is None once the number was taken
    by the counter's own update (`renumbered`)."""

    entry: EventLogEntry
    read: int | None


def counter_key() -> batch.Key:
    """The counter's key, to read it in the request's own BatchGetItem (`prepare_after`)."""
    return batch.Key(Counter, COUNTER_NAME)


def prepare_after(found: Iterable[Model], kind: EventKind, level: str = "info", **detail: Any) -> Numbered:
    """An entry numbered one past the counter among `found` (the answer of a read that asked `counter_key`
    consistently; no counter yet is 0), to be written with `put_numbered_in`."""
    read = next((int(item.value) for item in found if isinstance(item, Counter) and item.name == COUNTER_NAME), 0)
    return Numbered(_numbered(read + 1, kind, level, detail), read)


def put_numbered_in(transaction: Transaction, numbered: Numbered) -> None:
    """The entry, and the counter's advance past it when its number was read, not taken: on condition that no
    other entry took the number in between. A refusal labelled COUNTER_LABEL means one did: write again with
    `renumbered`."""
    put_in(transaction, numbered.entry)
    if numbered.read is not None:
        unchanged = (Counter.value == numbered.read) if numbered.read else Counter.value.does_not_exist()
        transaction.update(Counter(COUNTER_NAME), actions=[Counter.value.set(numbered.read + 1)],
                           condition=unchanged, label=COUNTER_LABEL)


def renumbered(numbered: Numbered) -> Numbered:
    """The same entry with the next number taken by the counter's own update: another entry took the one read."""
    entry = numbered.entry
    seq = _next_seq()
    return Numbered(EventLogEntry(ring=RING, slot=seq % RING_SIZE, seq=seq, at=entry.at, level=entry.level,
                                  kind=entry.kind, detail=entry.detail, expires_at=entry.expires_at), None)


def prepare_all(entries: list[tuple[EventKind, dict[str, Any]]], level: str = "info") -> list[EventLogEntry]:
    """Several entries with their sequence numbers taken by one counter update (a request that logs a
    cancellation and the moves up it made, R_WAIT_02), each to be written with `put_in`."""
    if not entries:
        return []
    now = clock.now()
    counter = Counter(COUNTER_NAME)
    counter.update(actions=[Counter.value.add(len(entries))])
    first = int(counter.value) - len(entries) + 1
    return [EventLogEntry(ring=RING, slot=(first + i) % RING_SIZE, seq=first + i, at=now, level=level,
                          kind=str(kind), detail=clean_detail(detail), expires_at=now + MAX_AGE)
            for i, (kind, detail) in enumerate(entries)]


def put_in(transaction: TransactWrite, entry: EventLogEntry) -> None:
    """Nothing goes to the platform log (R_LOG_02)."""
    transaction.save(entry, condition=EventLogEntry.seq.does_not_exist() | (EventLogEntry.seq < int(entry.seq)))


def refusal(reason: str, route: str, caller: str) -> None:
    """A refused request (bad or missing credentials, CSRF, a role the caller lacks): counted per reason
    and kind of caller. Neither the route nor the caller's id is a key: a flood over every route or
    with ever new credentials must not add entries (R_LOG_04)."""
    caller_kind = caller.split(":", 1)[0]
    record_repeated(EventKind.ACCESS_DENIED, reason=reason, caller=caller_kind)


def repeat_window(now: datetime) -> str:
    seconds = int(REPEAT_WINDOW.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _repeat_subject(kind: str, key: dict[str, Any]) -> str:
    canonical = json.dumps([str(kind), sorted((k, str(v)) for k, v in key.items())], ensure_ascii=True)
    return f"{REPEAT_PREFIX}:" + hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _count(subject: str, window: str, now: datetime) -> int:
    counter = RateCounter(subject, window)
    counter.update(actions=[RateCounter.count.add(1), RateCounter.expires_at.set(now + MAX_AGE + REPEAT_WINDOW)])
    return int(counter.count)


def system_error(where: str, error_type: str, frames: str = "", **detail: Any) -> None:
    """A system error: one entry in the ring, and one platform-log line holding only where it happened,
    the exception type and the code frames (never a message or other detail: they may carry personal
    data). Never lets logging an error raise a second one."""
    platform_log.error("system error %s in %s%s", scrub_text(error_type), scrub_text(where),
                       f": {frames}" if frames else "")
    try:
        record(EventKind.SYSTEM_ERROR, level="error", where=where, error_type=error_type, **detail)
    except Exception:
        platform_log.error("event log unavailable")


def frames_of(exc: BaseException) -> str:
    """File, line and function of each frame, innermost first: no message, no local values."""
    return " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                      for f in reversed(traceback.extract_tb(exc.__traceback__)))


def recent(limit: int = RING_SIZE) -> list[dict[str, Any]]:
    """Newest first; nothing older than 14 days even if TTL has not removed it yet.

    A counted entry (R_LOG_04) shows how many refusals its window has had so far.
    """
    cutoff = clock.now() - MAX_AGE
    entries = [e for e in EventLogEntry.query(RING) if e.at > cutoff]
    entries.sort(key=lambda e: e.seq, reverse=True)
    shown = [to_dict(e) for e in entries[:limit]]
    _fill_counts(shown)
    return shown


def _fill_counts(shown: list[dict[str, Any]]) -> None:
    counted: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in shown:
        detail = item["detail"]
        if "window" in detail and "count" in detail:
            key = {k: v for k, v in detail.items() if k not in ("window", "count")}
            counted.setdefault((_repeat_subject(item["kind"], key), str(detail["window"])), []).append(detail)
    if not counted:
        return
    for counter in RateCounter.batch_get(list(counted)):
        for detail in counted.get((counter.subject, counter.window), []):
            detail["count"] = int(counter.count)


def to_dict(entry: EventLogEntry) -> dict[str, Any]:
    return {
        "seq": int(entry.seq), "at": entry.at.isoformat(), "level": entry.level, "kind": entry.kind,
        "detail": plain(entry.detail),
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
