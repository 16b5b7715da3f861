"""0011: every execution carries the waiting list's numbers (R_WAIT_01-03): `waiting_seq`, `waiting_count`
and `offered_count` at 0, and `waiting_close_day`, the first day nobody moves up (from its status, start and
application deadline). Executions written before the waiting list lack them. The code reads a missing
number as 0 and writes the close day whenever a list starts, so nothing misbehaves before this runs; it
makes the stored items say what the code assumes, so a later version can drop those fallbacks."""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.enrolment import waiting_rules
from chalicelib.migrations.step import CannotMigrateError, Migration
from chalicelib.models import Execution
from chalicelib.platform import clock

COUNTERS = (Execution.waiting_seq, Execution.waiting_count, Execution.offered_count)


def _pending(execution: Execution) -> bool:
    return execution.waiting_close_day is None or any(getattr(execution, str(c.attr_name)) is None for c in COUNTERS)


def _close_day(execution: Execution) -> str:
    try:
        start = date.fromisoformat(execution.start_day)
        deadline = date.fromisoformat(execution.application_deadline) if execution.application_deadline else None
    except (TypeError, ValueError) as err:
        raise CannotMigrateError("no start day") from err
    return waiting_rules.close_day(execution.status, start, deadline, clock.today()).isoformat()


def _migrate(execution: Execution) -> None:
    """One conditional update: only the attributes still missing, only while the item exists and holds the
    status and dates the close day derives from, as read."""
    actions: list[Any] = []
    condition = Execution.course_id.exists() & (Execution.status == execution.status) & (
        Execution.start_day == execution.start_day)
    condition &= Execution.application_deadline.does_not_exist() if execution.application_deadline is None else (
        Execution.application_deadline == execution.application_deadline)
    for counter in COUNTERS:
        if getattr(execution, str(counter.attr_name)) is None:
            actions.append(counter.set(0))
            condition &= counter.does_not_exist()
    if execution.waiting_close_day is None:
        actions.append(Execution.waiting_close_day.set(_close_day(execution)))
        condition &= Execution.waiting_close_day.does_not_exist()
    execution.update(actions=actions, condition=condition)


MIGRATION = Migration("0011-execution-waiting-list", Execution,
                      "uitvoeringen krijgen de getallen van de wachtlijst (0) en de dag waarop doorschuiven stopt "
                      "(R_WAIT_01-03)", _pending, _migrate)
