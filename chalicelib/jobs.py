"""Scheduled jobs. Each is idempotent and catches up what a missed run left."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalice import Blueprint, Rate

from chalicelib import clock, eventlog
from chalicelib.models import EventLogEntry

bp = Blueprint(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    run: Callable[[], dict[str, Any]]


JOBS: dict[str, Job] = {}


def job(name: str, minutes: int) -> Callable[[Callable[[], dict[str, Any]]], Callable[[], dict[str, Any]]]:
    """Register `run` as a scheduled function and as a job the local stack can run on demand."""

    def decorate(run: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
        JOBS[name] = Job(name, minutes * 60, run)

        def handler(event: Any) -> dict[str, Any]:
            try:
                result = run()
            except Exception as exc:  # any failure: the next run catches up; log without the message
                eventlog.system_error(where=f"job {name}", error_type=type(exc).__name__)
                return {"error": type(exc).__name__}
            eventlog.record(eventlog.EventKind.JOB, job=name, count=int(result.get("count", 0)))
            return result

        # The packaged Lambda handler is `chalicelib.jobs.<name>_handler`: it must be the
        # (event, context) wrapper, not the zero-argument `run` that keeps the job's own name.
        handler.__name__ = f"{name}_handler"
        globals()[handler.__name__] = bp.schedule(Rate(minutes, unit=Rate.MINUTES), name=name)(handler)
        return run

    return decorate


@job("purge_event_log", minutes=60)
def purge_event_log() -> dict[str, Any]:
    """Physically delete ring entries older than 14 days (TTL deletes lag; reads filter anyway)."""
    cutoff = clock.now() - eventlog.MAX_AGE
    stale = [e for e in EventLogEntry.query(eventlog.RING) if e.at <= cutoff]
    with EventLogEntry.batch_write() as batch:
        for entry in stale:
            batch.delete(entry)
    return {"count": len(stale)}


@job("outbox_retry", minutes=5)
def outbox_retry() -> dict[str, Any]:
    """Send what could not be sent at once (SES throttling, an outage): nothing is lost (R_SEC_03)."""
    from chalicelib import enrolment_mail, outbox  # noqa: F401 - enrolment_mail registers its renderers

    return outbox.retry_due()


@job("expire_approvals", minutes=60)
def expire_approvals() -> dict[str, Any]:
    """Approval requests undecided past their day release the seat and tell the employee (R_ENR_06)."""
    from chalicelib import enrolment_flow, enrolment_mail  # noqa: F401

    return enrolment_flow.expire_due_approvals()


@job("notify_cancelled_runs", minutes=10)
def notify_cancelled_runs() -> dict[str, Any]:
    """Runs a supplier cancelled: every enrolled employee is told, without costs (R_ENR_08)."""
    from chalicelib import enrolment_flow, enrolment_mail  # noqa: F401

    return enrolment_flow.notify_supplier_cancellations()
