"""Scheduled jobs: the one table of what runs when. Each job is idempotent and catches up what a
missed run left. The Lambda handlers are written out in `api/jobs.py`; the local stack runs the same
handlers on demand and on this cadence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.models import EventLogEntry
from chalicelib.platform import clock, eventlog

JobResult = dict[str, Any]


@dataclass(frozen=True)
class Job:
    name: str
    every_minutes: int
    run: Callable[[], JobResult]

    @property
    def every_seconds(self) -> int:
        return self.every_minutes * 60


def purge_event_log() -> JobResult:
    """Physically delete ring entries older than 14 days (TTL deletes lag; reads filter anyway)."""
    cutoff = clock.now() - eventlog.MAX_AGE
    stale = [e for e in EventLogEntry.query(eventlog.RING) if e.at <= cutoff]
    with EventLogEntry.batch_write() as batch:
        for entry in stale:
            batch.delete(entry)
    return {"count": len(stale)}


def outbox_retry() -> JobResult:
    """Send what could not be sent at once (SES throttling, an outage): nothing is lost (R_SEC_03)."""
    from chalicelib.platform import outbox

    return outbox.retry_due()


def expire_approvals() -> JobResult:
    """Approval requests undecided past their day release the seat and tell the employee and the manager
    (R_ENR_06, R_CAL_04)."""
    from chalicelib.enrolment import flow

    return flow.expire_due_approvals()


def notify_run_changes() -> JobResult:
    """Runs a supplier cancelled: every enrolled employee is told, without costs, with the calendar's
    cancellation (R_ENR_08, R_CAL_02), and the waiting list is told and deleted (R_WAIT_05); then runs a
    supplier changed: everyone concerned, waiting people included, is told what changed, with the updated
    invitation (R_CAL_02). Every 10 minutes: told within the hour."""
    from chalicelib.calendar import changes
    from chalicelib.enrolment import flow

    cancelled = flow.notify_supplier_cancellations()
    changed = changes.notify_changes()
    waiting = cancelled["waiting"] + changed["waiting"]
    return {"count": cancelled["count"] + changed["count"] + waiting, "cancelled": cancelled["count"],
            "changed": changed["count"], "waiting": waiting}


def send_reminders() -> JobResult:
    """Reminders 7 days and 1 day before the start, each once, from 07:00 Amsterdam time (R_CAL_03)."""
    from chalicelib.calendar import reminders

    return reminders.send_reminders()


def remind_approvals() -> JobResult:
    """One reminder to a manager who has not decided after 3 working days (R_CAL_04)."""
    from chalicelib.calendar import approvals

    return approvals.remind_approvals()


def pass_on_offers() -> JobResult:
    """A seat offered from the waiting list and not taken within its 24 hours passes on to the next
    waiting person (R_WAIT_03); every 15 minutes, so at most an hour late."""
    from chalicelib.enrolment import waiting

    return waiting.pass_on_offers()


def close_waiting_lists() -> JobResult:
    """Waiting lists whose execution started, passed its application deadline or was cancelled: those still
    waiting are told and their places deleted (R_WAIT_03, R_WAIT_05)."""
    from chalicelib.enrolment import waiting

    return waiting.close_lists()


def build_order_lists() -> JobResult:
    """The day after a run starts, its approved enrolments go on the order lists; late cancellations
    become penalty orders (R_ORD_01, R_ORD_04, R_ENR_08). Hourly: a day is done once, a missed day
    caught up, and a change made on or after the start day is picked up within the hour."""
    from chalicelib.orders import use_cases as orders

    return orders.build_order_lists()


def invite_reviews() -> JobResult:
    """Executions that ended: each participant gets one invitation to review the course (R_REV_01)."""
    from chalicelib.reviews import use_cases as reviews

    return reviews.invite_reviews()


def purge_contact() -> JobResult:
    """Every copy of a contact message is deleted within 7 days of submission (R_CON_03): TTL alone lags."""
    from chalicelib.contact import use_cases as contact

    return contact.purge_due()


def anonymise_enrolments() -> JobResult:
    """Enrolments 12 months past their original end date, with every copy (R_ENR_10)."""
    from chalicelib.privacy import anonymise

    return anonymise.run()


def retention_selfcheck() -> JobResult:
    """Every retention rule proven on live data; a breach is logged as a system error (R_PRV_02)."""
    from chalicelib.privacy import selfcheck

    return selfcheck.run_and_log()


def sync_directory() -> JobResult:
    """Every connected EDU-DEX catalog: its changes since the cursor, through the import path (R_DEX_01)."""
    from chalicelib.directory import sync

    return sync.sync_all()


def sync_directory_requested() -> JobResult:
    """Catalogs a webhook asked for (R_DEX_02) or a run left unfinished, and held programs of suppliers CFB
    admitted that a request could not publish in its budget (R_DEX_03). Usually two Queries and nothing else."""
    from chalicelib.directory import sync

    return sync.sync_requested()


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("purge_event_log", 60, purge_event_log),
        Job("outbox_retry", 5, outbox_retry),
        Job("expire_approvals", 60, expire_approvals),
        Job("notify_run_changes", 10, notify_run_changes),
        Job("send_reminders", 60, send_reminders),
        Job("remind_approvals", 60, remind_approvals),
        Job("pass_on_offers", 15, pass_on_offers),
        Job("close_waiting_lists", 60, close_waiting_lists),
        Job("build_order_lists", 60, build_order_lists),
        Job("invite_reviews", 60, invite_reviews),
        Job("purge_contact", 60, purge_contact),
        Job("anonymise_enrolments", 1440, anonymise_enrolments),
        Job("retention_selfcheck", 1440, retention_selfcheck),
        Job("sync_directory", 60, sync_directory),
        Job("sync_directory_requested", 1, sync_directory_requested),
    )
}


def run(name: str) -> JobResult:
    """Run one job as its scheduled function does: any failure is logged (type only) and left to the
    next run, which catches up."""
    job = JOBS[name]
    try:
        result = job.run()
    except Exception as exc:
        eventlog.system_error(where=f"job {name}", error_type=type(exc).__name__, frames=eventlog.frames_of(exc))
        return {"error": type(exc).__name__}
    eventlog.record(eventlog.EventKind.JOB, job=name, count=int(result.get("count", 0)))
    return result
