"""0012: every enrolment that can still send an invitation (waiting for its manager, or confirmed) carries
`calendar_run`, the run's dates, times and place as its invitation states them (R_CAL_01, issue 24): a
cancellation or an approval sends its invitation from that copy and reads no run. Enrolments made before
have none; the code then reads the run, so nothing misbehaves before this runs. The copy is the run as its
people last heard of it: as stored now, with a change nobody told this enrolment of yet (its `change_seen`
behind the run's `change_seq`) still at the values it replaces (the run's `change_before`), so the change
notice that follows states both. A run the import dropped leaves the enrolment's own dates and place.
Cancelled, rejected and expired enrolments send no invitation any more and are left alone."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.enrolment import rules
from chalicelib.enrolment.use_cases import run_facts
from chalicelib.migrations.step import Migration
from chalicelib.models import Enrolment, Execution, plain


def _pending(enrolment: Enrolment) -> bool:
    return enrolment.status in rules.ACTIVE and enrolment.calendar_run is None


def _as_told(enrolment: Enrolment) -> dict[str, Any]:
    try:
        execution = Execution.get(enrolment.course_id, enrolment.execution_id, consistent_read=True)
    except DoesNotExist:
        online = enrolment.place == "online"
        return {"start_day": enrolment.start_day, "end_day": enrolment.original_end_day, "start_time": None,
                "end_time": None, "city": None if online else enrolment.place, "location": None, "online": online}
    told = run_facts(execution)
    if execution.change_before and int(enrolment.change_seen or 0) < int(execution.change_seq or 0):
        told.update({name: value for name, value in plain(execution.change_before).items() if name in told})
    return told


def _migrate(enrolment: Enrolment) -> None:
    """One conditional write: only while the enrolment still lacks the copy, holds the status it was read
    with and has not been told of a change since (a change notice writes the copy itself)."""
    seen = enrolment.change_seen
    condition = Enrolment.enrolment_id.exists() & Enrolment.calendar_run.does_not_exist() & (
        Enrolment.status == enrolment.status)
    condition &= Enrolment.change_seen.does_not_exist() if seen is None else (Enrolment.change_seen == seen)
    enrolment.update(actions=[Enrolment.calendar_run.set(_as_told(enrolment))], condition=condition)


MIGRATION = Migration("0012-enrolment-calendar-run", Enrolment,
                      "lopende inschrijvingen krijgen de data, tijden en plaats van hun agenda-uitnodiging "
                      "(R_CAL_01)", _pending, _migrate)
