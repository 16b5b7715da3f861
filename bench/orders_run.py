"""Worker for bench/orders.py: what the order-list job reads (issue 11).

The same due work (runs that started yesterday, with approved, cancelled and pending enrolments)
is measured twice: alone, and beside ten times as many unrelated executions and enrolments (runs
starting later). Items read are summed by a botocore after-call hook: `ScannedCount` (else `Count`)
of Query and Scan, one per GetItem that found an item, and every item a BatchGetItem returned.
Printed as one JSON document.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import botocore.client
from moto import mock_aws

from bench.search_run import ROOT  # noqa: F401  - sets the environment before chalicelib is imported

DUE_EXECUTIONS = 10
ENROLMENTS_PER_EXECUTION = 10
UNRELATED_FACTOR = 10
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class ItemCounter:
    def __init__(self) -> None:
        self.items = 0
        self.calls = 0
        self._original = botocore.client.BaseClient._make_api_call

    def install(self) -> None:
        counter = self

        def counting(client: Any, operation: str, params: dict[str, Any]) -> Any:
            response = counter._original(client, operation, params)
            if client.meta.service_model.service_name == "dynamodb":
                counter.calls += 1
                counter.items += counter.read(operation, response)
            return response

        botocore.client.BaseClient._make_api_call = counting

    @staticmethod
    def read(operation: str, response: dict[str, Any]) -> int:
        if operation in ("Query", "Scan"):
            return int(response.get("ScannedCount", response.get("Count", 0)))
        if operation == "GetItem":
            return 1 if response.get("Item") else 0
        if operation == "BatchGetItem":
            return sum(len(items) for items in response.get("Responses", {}).values())
        return 0


def _seed(today: date, unrelated_factor: int) -> int:
    from chalicelib.models import Enrolment, Execution, Organisation, department
    from chalicelib.platform import clock

    now = clock.now()
    Organisation("org-bzk", name="BZK", domains={"minbzk.nl"}, catalogue_codes={"BZK"}, created_at=now,
                 departments=[department("d1", "DDO")], order_staff={"d1#acc-1", "-#acc-2"}).save()
    due_start = today - timedelta(days=1)
    due = 0
    executions: list[Execution] = []
    enrolments: list[Enrolment] = []

    def run(course: str, start: date, due_run: bool) -> None:
        nonlocal due
        executions.append(Execution(course, "r1", supplier_id="sup-a", start_day=start.isoformat(),
                                    end_day=start.isoformat(), price_cents=10000, course_name="Cursus"))
        for j in range(ENROLMENTS_PER_EXECUTION):
            status = ("approved", "approved", "approved", "cancelled", "pending_approval")[j % 5]
            enrolments.append(Enrolment(
                f"e-{course}-{j}", source="portal", status=status, org_id="org-bzk",
                department_id="d1" if j % 2 else None, course_id=course, execution_id="r1",
                execution_key=f"{course}#r1", supplier_id="sup-a", course_name="Cursus",
                business_email=f"p{j}@minbzk.nl",
                price_cents=10000, start_day=start.isoformat(), original_end_day=start.isoformat(),
                penalty_cents=10000 if status == "cancelled" and j % 2 else 0, created_at=now))
            due += 1 if due_run else 0

    for i in range(DUE_EXECUTIONS):
        run(f"c-due-{i}", due_start, True)
    for i in range(DUE_EXECUTIONS * unrelated_factor):
        run(f"c-later-{i}", today + timedelta(days=1 + i % 90), False)
    with Execution.batch_write() as batch:
        for execution in executions:
            batch.save(execution)
    with Enrolment.batch_write() as batch:
        for enrolment in enrolments:
            batch.save(enrolment)
    return due


def run_counted(at: datetime, seed: Callable[[], int], job: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """On a fresh moto at `at`: `seed` (returns the due work), then `job`, counting what it reads."""
    from chalicelib import models, wiring
    from chalicelib.platform import clock
    from chalicelib.platform.config import settings

    with mock_aws():
        for model in models.ALL_MODELS:
            model._connection = None
        models.create_all_tables()
        boto3.client("sesv2", region_name=settings.region).create_email_identity(
            EmailIdentity=settings.mail_from.split("@", 1)[1])
        wiring.install()
        clock.freeze(at)
        due = seed()
        counter = ItemCounter()
        counter.install()
        try:
            result = job()
        finally:
            botocore.client.BaseClient._make_api_call = counter._original
            clock.freeze(None)
    return {"items": counter.items, "calls": counter.calls, "due": due, "result": result}


def _measure(unrelated_factor: int) -> dict[str, Any]:
    from chalicelib.models import Counter
    from chalicelib.orders import use_cases as orders

    today = date(2026, 6, 10)

    def seed() -> int:
        due = _seed(today, unrelated_factor)
        # the job ran last night: only yesterday's start day is due
        Counter(orders.PROGRESS, value=0, extra={"done_through": (today - timedelta(days=2)).isoformat()}).save()
        return due

    measured = run_counted(datetime.combine(today, time(2, 0), tzinfo=AMSTERDAM), seed, orders.build_order_lists)
    return {**measured, "lines": measured.pop("result")["count"]}


def measure() -> dict[str, Any]:
    alone = _measure(0)
    crowded = _measure(UNRELATED_FACTOR)
    return {"alone": alone, "crowded": crowded, "at": datetime.now(UTC).isoformat()}


if __name__ == "__main__":
    print(json.dumps(measure()))
