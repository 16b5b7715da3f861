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

from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from chalicelib.accounts.link_rules import LINK_LIFETIME
from chalicelib.accounts.session_rules import expiry
from chalicelib.calendar import approvals as calendar_approvals
from chalicelib.calendar import reminders as calendar_reminders
from chalicelib.calendar import rules as calendar_rules
from chalicelib.contact import rules as contact_rules
from chalicelib.migrations import runner as migration_runner
from chalicelib.models import (
    ContactMessage,
    Enrolment,
    EventLogEntry,
    Execution,
    LoginToken,
    OutboxItem,
    RateCounter,
    Session,
)
from chalicelib.platform import clock, eventlog
from chalicelib.privacy import clock_rules

LOG_GRACE = timedelta(hours=1)  # the purge job runs hourly (jobs.py); TTL and reads do the rest
TTL_LAG = timedelta(days=2)  # DynamoDB deletes an expired item "typically within a few days"; reads refuse it at once
DAY_LOOKBACK_DAYS = 30  # short-lived items (sessions, links, mails) are read by their created day this far back
REMINDER_LOOKBACK_DAYS = 7  # runs that started this far back still show a reminder that never went
DUE = "due"  # the sparse marks of the runs a supplier changed or cancelled


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    holds: bool
    checked: int
    oldest_age_days: int | None
    breach: str | None  # an id of the item that breaks the rule; never personal data


# Every copy of a contact message carries its purge day (R_CON_03): the message, its outbox item (also one
# that failed) and the rate-limit counters keyed by its address. Each named by an id, never by the address.
CONTACT_COPIES: tuple[tuple[type[Model], Callable[[Any], str]], ...] = (
    (ContactMessage, lambda key: str(key.message_id)),
    (OutboxItem, lambda key: str(key.item_id)),
    (RateCounter, lambda key: f"teller {key.window}"),
)


def contact_messages(today: date) -> Finding:
    """No contact message or copy of it older than 7 days: each day's copies are keyed by their purge day,
    by the contact package's own rules (the UTC day within the week of receipt); a copy still stored after
    its purge day is a breach, whatever its state (a failed mail too, not only once its TTL lapsed)."""
    now = clock.now()
    checked, oldest, breach = 0, None, None
    for day in contact_rules.check_days(now):
        received = date.fromisoformat(day) - timedelta(days=contact_rules.RETENTION.days - 1)
        late = contact_rules.overdue(day, now)
        for model, item_id in CONTACT_COPIES:
            for key in model.purge_index.query(day):  # type: ignore[attr-defined]
                checked += 1
                age = clock_rules.age_days(received, today)
                oldest = age if oldest is None else max(oldest, age)
                if late and breach is None:
                    breach = item_id(key)
    return Finding("contact", "Geen contactbericht of kopie ervan ouder dan 7 dagen", breach is None, checked, oldest,
                   breach)


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


def _by_created_day(model: type[Model], today: date) -> list[Any]:
    """The items of each of the last days through the date-keyed `created-day-index` (keys, then GetItem)."""
    found = []
    for back in range(DAY_LOOKBACK_DAYS, -1, -1):
        for key in model.created_day_index.query((today - timedelta(days=back)).isoformat()):  # type: ignore[attr-defined]
            try:
                found.append(model.get(getattr(key, str(model._hash_keyname)), consistent_read=True))
            except DoesNotExist:
                continue
    return found


def _oldest(items: list[Any], today: date) -> int | None:
    return max((clock_rules.age_days(i.created_at, today) for i in items), default=None)


def sessions(today: date) -> Finding:
    """No session outlives its timeouts: its end (TTL) is never past 30 minutes idle or 12 hours, and an
    ended one is gone within DynamoDB's TTL lag."""
    now = clock.now()
    items = _by_created_day(Session, today)
    breach = next((s.token_hash[:12] for s in items
                   if s.expires_at > expiry(s.created_at, s.last_seen_at) or now > s.expires_at + TTL_LAG), None)
    return Finding("sessions", "Geen sessie na 30 minuten inactiviteit of 12 uur", breach is None, len(items),
                   _oldest(items, today), breach)


def outbox(today: date) -> Finding:
    """No sent outbox item holds personal data (a sent item is deleted), and a failed one is gone after its week."""
    now = clock.now()
    items = _by_created_day(OutboxItem, today)
    breach = next((i.item_id for i in items
                   if ((i.status == "sent" or i.sent_at is not None) and i.recipient)
                   or (i.expires_at is not None and now > i.expires_at + TTL_LAG)), None)
    return Finding("outbox", "Geen verstuurde e-mail met persoonsgegevens in de outbox", breach is None, len(items),
                   _oldest(items, today), breach)


def links(today: date) -> Finding:
    """No e-mailed link lives past its 10 minutes (plus the TTL lag), nor is stored to live longer."""
    now = clock.now()
    items = _by_created_day(LoginToken, today)
    breach = next((t.token_hash[:12] for t in items
                   if t.expires_at > t.created_at + LINK_LIFETIME or now > t.expires_at + TTL_LAG), None)
    return Finding("links", "Geen e-maillink na zijn vervaltijd", breach is None, len(items), _oldest(items, today),
                   breach)


def waiting_places(today: date) -> Finding:
    """No waiting place outlives its list (R_WAIT_05): a list closes on the day its execution starts, passes
    its application deadline or is cancelled, and the hourly job deletes its places then; every execution
    with places carries the sparse, date-keyed `waiting-close-index` entry until they are gone (written in
    the joining transaction, removed only once the list is empty). One still listed after its close day is
    a breach."""
    checked, oldest, breach = 0, None, None
    for key in Execution.waiting_close_index.query("open"):
        checked += 1
        close_day = date.fromisoformat(key.waiting_close_day)
        if close_day < today:
            age = clock_rules.age_days(close_day, today)
            oldest = age if oldest is None else max(oldest, age)
            breach = breach or f"{key.course_id}#{key.execution_id}"
    return Finding("waiting", "Geen wachtplaats na de start, het sluiten of het vervallen van de uitvoering",
                   breach is None, checked, oldest, breach)


def migrations(today: date) -> Finding:
    """Every data migration has finished and reached every item of its table (R_OPS_04): an item it did not
    reach may lack the key another rule reads it by. Read from what the runs recorded at their final pass
    (one BatchGet by the migrations' ids), never a Scan."""
    checked, oldest, breach = 0, None, None
    for migration, run in migration_runner.runs():
        if run is None or run.state != migration_runner.DONE:
            breach = breach or f"{migration.migration_id}: nog niet klaar"
            if run is not None:
                age = clock_rules.age_days(run.started_at, today)
                oldest = age if oldest is None else max(oldest, age)
            continue
        checked += int(run.verified or 0)
        if run.unreached:
            breach = breach or f"{migration.migration_id}: {int(run.unreached)} niet bereikt ({run.unreached_example})"
    return Finding("migrations", "Elke gegevensmigratie heeft al haar items bereikt", breach is None, checked,
                   oldest, breach)


# --- the calendar's promises (R_CAL_05): each reminder, change notice or expiry past its window is done ---


def course_reminders(today: date) -> Finding:
    """Every confirmed participant who wants reminders got the 7-day one by 2 days before the start and the
    day-before one by the start (R_CAL_03): runs that started in the last week or start tomorrow, read
    through the date-keyed `start-day-index`. A run whose dates changed may have skipped the 7-day
    window; its people were told by the change notice instead."""
    checked, oldest, breach = 0, None, None
    for back in range(REMINDER_LOOKBACK_DAYS, -2, -1):
        start = today - timedelta(days=back)
        for enrolment in calendar_reminders.enrolments_starting(start):
            if enrolment.status != "approved" or not calendar_rules.wants_reminders(enrolment.source,
                                                                                     enrolment.reminders):
                continue
            checked += 1
            overdue = calendar_rules.overdue_reminders(start, calendar_reminders.confirmed_on(enrolment), today)
            missing = [kind for kind in overdue if kind not in (enrolment.reminders_sent or set())
                       and not (kind == calendar_rules.WEEK and enrolment.change_seen)]
            if missing:
                age = max(0, back)
                oldest = age if oldest is None else max(oldest, age)
                breach = breach or f"{enrolment.enrolment_id}: {missing[0]}"
    return Finding("course_reminders", "Elke herinnering voor de start is op tijd verstuurd", breach is None,
                   checked, oldest, breach)


def change_notices(today: date) -> Finding:
    """Every change or cancellation of a run by its supplier was told within the hour (R_CAL_02): the runs
    still marked, through the sparse `due-change-index` and `due-notify-index`."""
    late = clock.now() - calendar_rules.CHANGE_NOTICE_WITHIN
    marked = [(f"{key.course_id}#{key.execution_id}", key.change_at) for key in Execution.change_index.query(DUE)]
    for key in Execution.notify_index.query(DUE):
        try:
            marked.append((f"{key.course_id}#{key.execution_id}",
                           Execution.get(key.course_id, key.execution_id, consistent_read=True).change_at))
        except DoesNotExist:
            continue
    overdue = sorted((at, run) for run, at in marked if at is not None and at < late)
    return Finding("change_notices", "Elke wijziging of annulering door de aanbieder is binnen het uur gemeld",
                   not overdue, len(marked), clock_rules.age_days(overdue[0][0], today) if overdue else None,
                   overdue[0][1] if overdue else None)


def approval_reminders(today: date) -> Finding:
    """Every request undecided after 3 working days had its reminder by the end of that day (R_CAL_04): the
    sparse `approval-reminder-index` holds only requests not yet reminded."""
    due_by = calendar_rules.last_asked_day_due(today - timedelta(days=1)).isoformat()
    keys = list(Enrolment.approval_reminder_index.query(calendar_approvals.PENDING,
                                                        Enrolment.approval_asked_day <= due_by))
    return Finding("approval_reminders", "Elke leidinggevende die 3 werkdagen niet besliste, kreeg een herinnering",
                   not keys, len(keys), None, keys[0].enrolment_id if keys else None)


def approval_expiry(today: date) -> Finding:
    """Every request undecided on its decide-by day expired the day after, seat freed and both told
    (R_CAL_04): the pending requests whose day is longer past, through the sparse `due-approval-index`."""
    expired_by = (today - timedelta(days=1)).isoformat()
    keys = list(Enrolment.approval_index.query(calendar_approvals.PENDING, Enrolment.approval_expires_day < expired_by))
    oldest = min((date.fromisoformat(k.approval_expires_day) for k in keys), default=None)
    return Finding("approval_expiry", "Elke onbesliste aanvraag is vervallen na haar beslisdatum", not keys, len(keys),
                   clock_rules.age_days(oldest, today) if oldest else None, keys[0].enrolment_id if keys else None)


RULES: tuple[Callable[[date], Finding], ...] = (
    contact_messages, enrolments, event_log, sessions, outbox, links, waiting_places, migrations,
    course_reminders, change_notices, approval_reminders, approval_expiry,
)


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
