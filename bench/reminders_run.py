"""Worker for bench/reminders.py: what the reminders job reads (R_CAL_03).

The same due work (runs starting in 7 days and tomorrow, with confirmed, cancelled and waiting
enrolments; only the confirmed ones get a reminder) is measured twice: alone, and beside ten times as
many unrelated executions and enrolments (runs starting on other days). Items read are counted as the
order-list bench counts them (bench/orders_run.py). Printed as one JSON document.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bench.orders_run import AMSTERDAM, run_counted
from bench.search_run import ROOT  # noqa: F401  - sets the environment before chalicelib is imported

DUE_EXECUTIONS = 10  # half start in 7 days, half tomorrow
ENROLMENTS_PER_EXECUTION = 10
UNRELATED_FACTOR = 10
STATUSES = ("approved", "approved", "approved", "cancelled", "pending_approval")


def _seed(today: date, unrelated_factor: int) -> int:
    from chalicelib.models import Enrolment, Execution
    from chalicelib.platform import clock

    long_ago = clock.now() - timedelta(days=60)
    executions: list[Execution] = []
    enrolments: list[Enrolment] = []
    due = 0

    def run(course: str, start: date, due_run: bool) -> None:
        nonlocal due
        executions.append(Execution(course, "r1", supplier_id="sup-a", start_day=start.isoformat(),
                                    end_day=start.isoformat(), price_cents=10000, course_name="Cursus",
                                    city="Utrecht", start_time="09:00", end_time="17:00"))
        for j in range(ENROLMENTS_PER_EXECUTION):
            status = STATUSES[j % len(STATUSES)]
            enrolments.append(Enrolment(
                f"e-{course}-{j}", source="portal", status=status, org_id="org-bzk", course_id=course,
                execution_id="r1", execution_key=f"{course}#r1", supplier_id="sup-a", course_name="Cursus",
                first_name="Deelnemer", email=f"p{j}@minbzk.nl", price_cents=10000, cancellation_free_days=14,
                start_day=start.isoformat(), original_end_day=start.isoformat(), created_at=long_ago))
            due += 1 if due_run and status == "approved" else 0

    for i in range(DUE_EXECUTIONS):
        run(f"c-due-{i}", today + timedelta(days=7 if i % 2 else 1), True)
    for i in range(DUE_EXECUTIONS * unrelated_factor):
        run(f"c-other-{i}", today + timedelta(days=8 + i % 90), False)
    with Execution.batch_write() as batch:
        for execution in executions:
            batch.save(execution)
    with Enrolment.batch_write() as batch:
        for enrolment in enrolments:
            batch.save(enrolment)
    return due


def _measure(unrelated_factor: int) -> dict[str, Any]:
    from chalicelib.calendar import reminders

    today = date(2026, 6, 10)
    measured = run_counted(datetime.combine(today, time(8, 0), tzinfo=AMSTERDAM),
                           lambda: _seed(today, unrelated_factor), reminders.send_reminders)
    return {**measured, "sent": measured.pop("result")["count"]}


def measure() -> dict[str, Any]:
    alone = _measure(0)
    crowded = _measure(UNRELATED_FACTOR)
    return {"alone": alone, "crowded": crowded, "at": datetime.now(UTC).isoformat()}


if __name__ == "__main__":
    print(json.dumps(measure()))
