"""Reminders before the start (R_CAL_03): the hourly job.

From 07:00 Amsterdam time each day, one pass over the runs starting in the next 7 days, read through
the date-keyed `start-day-index` (never a Scan), their enrolments through `execution-index` and one
BatchGetItem. Each reminder due is claimed once, by a conditional write keyed by the enrolment and the
kind (`reminders_sent`, conditional on the enrolment still being confirmed and not yet reminded of
that kind), in the same transaction as its outbox item: a second run, a retry or a concurrent run
finds it claimed and sends nothing, and the outbox sends each claimed mail at most once. A stored
progress item remembers the last day whose pass finished, so the other runs of the day read one item;
a missed day is caught up by the next pass while the start is still ahead (`rules.due_reminder`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from pynamodb.exceptions import DeleteError, DoesNotExist, TransactWriteError

from chalicelib.calendar import rules
from chalicelib.models import Counter, Enrolment, Execution, plain
from chalicelib.platform import clock, faults, outbox
from chalicelib.platform.transactions import Transaction, failed_labels

PROGRESS = "calendar-reminders"


def send_reminders() -> dict[str, int]:
    day = rules.reminder_day(clock.now().astimezone(clock.AMSTERDAM))
    if _done_through() == day.isoformat():
        return {"count": 0, "failed": 0}
    today = clock.today()
    sent = failed = 0
    for start in (day + timedelta(days=ahead) for ahead in range(1, rules.WEEK_DAYS_BEFORE + 1)):
        if start <= today:
            continue  # only while the start is still ahead
        for enrolment in enrolments_starting(start):
            kind = _due(enrolment, start, day)
            if kind is None:
                continue
            outcome = _claim_and_send(enrolment, kind)
            sent += outcome == "sent"
            failed += outcome == "later"
    if not failed:
        Counter(PROGRESS, value=0, extra={"done_through": day.isoformat()}).save()
    return {"count": sent, "failed": failed}


def look_again() -> None:
    """A run moved into the window after today's pass (R_CAL_02): the next run passes again."""
    try:
        Counter(PROGRESS).delete()
    except DeleteError as err:
        faults.only_condition(err)


def _done_through() -> str | None:
    try:
        extra = Counter.get(PROGRESS, consistent_read=True).extra
    except DoesNotExist:
        return None
    return str(plain(extra).get("done_through")) if extra else None


def enrolments_starting(start: date) -> Iterator[Enrolment]:
    """The enrolments of the runs starting on `start`: date-keyed index, then keys, then one BatchGet a run."""
    for key in Execution.start_day_index.query(start.isoformat()):
        ids = [k.enrolment_id for k in Enrolment.execution_index.query(f"{key.course_id}#{key.execution_id}")]
        if ids:
            yield from Enrolment.batch_get(ids, consistent_read=True)


def confirmed_on(enrolment: Enrolment) -> date:
    """The day the enrolment became confirmed: the manager's approval, else when it was made."""
    return (enrolment.decided_at or enrolment.created_at).astimezone(clock.AMSTERDAM).date()


def _due(enrolment: Enrolment, start: date, day: date) -> str | None:
    if enrolment.status != "approved" or not rules.wants_reminders(enrolment.source, enrolment.reminders):
        return None
    kind = rules.due_reminder(start, confirmed_on(enrolment), day)
    return None if kind is None or kind in (enrolment.reminders_sent or set()) else kind


def _claim_and_send(enrolment: Enrolment, kind: str) -> str:
    """'sent' (claimed and handed to the outbox), 'done' (claimed before, or cancelled meanwhile) or
    'later' (a conflict: the next run tries again)."""
    item = outbox.new_item("course_reminder", enrolment.email, {"enrolment_id": enrolment.enrolment_id, "kind": kind})
    transaction = Transaction()
    try:
        with transaction:
            transaction.update(enrolment, actions=[Enrolment.reminders_sent.add({kind})], condition=(
                (Enrolment.status == "approved")
                & (Enrolment.reminders_sent.does_not_exist() | ~Enrolment.reminders_sent.contains(kind))),
                label="claim")
            transaction.save(item)
    except TransactWriteError as err:
        if "claim" in failed_labels(transaction, err):
            return "done"
        if faults.classify(err) is faults.Fault.CONFLICT:
            return "later"
        raise
    outbox.deliver_all([item], known=[enrolment])
    return "sent"
