"""R_PRV_02: the retention self-check. One function per retention rule, each proving its rule on live
data through a key or a date-keyed index (never a Scan), each answering: does it hold, how many items
were checked, how old the oldest is, and which item breaks it (an id, never personal data).

CFB sees the report at `GET /api/admin/retention` (recomputed on every request); the daily job
`retention_selfcheck` logs each breach as a system error (EventKind.RETENTION_BREACH in the detail).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from chalicelib.models import ContactMessage, Enrolment, EventLogEntry
from chalicelib.platform import clock, eventlog
from chalicelib.privacy import clock_rules

CONTACT_DAYS = 7
CONTACT_LOOKBACK_DAYS = 120  # purge days read back from today; older ones are asked for by month of the job
LOG_GRACE = timedelta(hours=1)  # the purge job runs hourly (jobs.py); TTL and reads do the rest


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    holds: bool
    checked: int
    oldest_age_days: int | None
    breach: str | None  # an id of the item that breaks the rule; never personal data


def contact_messages(today: date) -> Finding:
    """No contact message older than 7 days: each day's messages are keyed by their purge day
    (received + 7); a message whose purge day has passed still exists is a breach."""
    checked, oldest, breach = 0, None, None
    for back in range(CONTACT_LOOKBACK_DAYS, -CONTACT_DAYS - 1, -1):
        day = today - timedelta(days=back)
        for key in ContactMessage.purge_index.query(day.isoformat()):
            checked += 1
            age = clock_rules.age_days(day - timedelta(days=CONTACT_DAYS), today)
            oldest = age if oldest is None else max(oldest, age)
            if day < today and breach is None:
                breach = key.message_id
    return Finding("contact", "Geen contactbericht ouder dan 7 dagen", breach is None, checked, oldest, breach)


def enrolments(today: date) -> Finding:
    """No enrolment (and so no copy: copies are anonymised before the enrolment leaves the sparse index)
    holds personal data past its original end date + 12 months."""
    checked, oldest, breach = 0, None, None
    for month in clock_rules.months_through(clock_rules.FIRST_MONTH, today):
        for key in Enrolment.anonymise_index.query(month, Enrolment.anonymise_day <= today.isoformat()):
            checked += 1
            if clock_rules.is_overdue(key.anonymise_day, today):
                age = clock_rules.age_days(date.fromisoformat(key.anonymise_day), today)
                oldest = age if oldest is None else max(oldest, age)
                breach = breach or key.enrolment_id
    return Finding("enrolments", "Geen inschrijving of kopie met persoonsgegevens na einddatum + 12 maanden",
                   breach is None, checked, oldest, breach)


def event_log(today: date) -> Finding:
    """At most 1,000 log entries, none older than 14 days (the ring's one partition: a Query)."""
    now = clock.now()
    entries = list(EventLogEntry.query(eventlog.RING))
    stale = sorted((e for e in entries if e.at < now - eventlog.MAX_AGE - LOG_GRACE), key=lambda e: e.at)
    oldest = min((e.at for e in entries), default=None)
    breach = f"seq {int(stale[0].seq)}" if stale else ("count" if len(entries) > eventlog.RING_SIZE else None)
    return Finding("event_log", "Hoogstens 1.000 logberichten, geen ouder dan 14 dagen", breach is None,
                   len(entries), clock_rules.age_days(oldest, today) if oldest else None, breach)


RULES: tuple[Callable[[date], Finding], ...] = (contact_messages, enrolments, event_log)


def report() -> dict[str, Any]:
    today = clock.today()
    findings = [rule(today) for rule in RULES]
    return {"checked_at": clock.now().isoformat(), "holds": all(f.holds for f in findings),
            "rules": [asdict(f) for f in findings]}


def run_and_log() -> dict[str, Any]:
    """The daily job: each breach is one system-error entry naming the rule and the item's id."""
    result = report()
    breaches = [r for r in result["rules"] if not r["holds"]]
    for finding in breaches:
        eventlog.system_error(where="retention_selfcheck", error_type=str(eventlog.EventKind.RETENTION_BREACH),
                              reason=finding["rule"], outcome=str(finding["breach"]), count=finding["checked"])
    return {"count": len(breaches), "holds": result["holds"]}
