"""Worker for bench/anonymise.py: DynamoDB items the anonymisation job (R_ENR_10) reads, with the
same due work once among few and once among 10x as many unrelated enrolments (and their copies).

Items read are summed from the responses: Count (or ScannedCount) of a Query or Scan, one per
GetItem that found an item, and the items of a BatchGetItem. Printed as one JSON document.
"""

from __future__ import annotations

import json
from collections import Counter as Tally
from datetime import UTC, date, datetime, timedelta
from typing import Any

import botocore.client
from moto import mock_aws

from bench.search_run import ROOT  # noqa: F401  (sets the environment before chalicelib is imported)

DUE = 20
UNRELATED = 20
TODAY = date(2028, 3, 15)


class ItemsRead:
    def __init__(self) -> None:
        self.tally: Tally[str] = Tally()
        self._original = botocore.client.BaseClient._make_api_call

    def install(self) -> None:
        counter = self

        def counting(client: Any, operation: str, params: dict[str, Any]) -> Any:
            response = counter._original(client, operation, params)
            if operation in ("Query", "Scan"):
                counter.tally["items"] += int(response.get("ScannedCount", response.get("Count", 0)))
            elif operation == "GetItem":
                counter.tally["items"] += int("Item" in response)
            elif operation == "BatchGetItem":
                counter.tally["items"] += sum(len(v) for v in response.get("Responses", {}).values())
            counter.tally[operation] += 1
            return response

        botocore.client.BaseClient._make_api_call = counting


def _enrolment(enrolment_id: str, end: date, seq: int) -> None:
    from chalicelib.enrolment.rules import anonymise_on
    from chalicelib.models import (
        Disclosure,
        Enrolment,
        EnrolmentGuard,
        FeedEntry,
        IdempotencyRecord,
        OrderLine,
        OutboxItem,
    )
    from chalicelib.orders.rules import line_id_for

    now = datetime.now(UTC)
    due = anonymise_on(end).isoformat()
    guard = f"c1#r1#{enrolment_id}"
    Enrolment(enrolment_id, source="portal", status="approved", account_id="acct-1", org_id="org-bzk",
              course_id="c1", execution_id="r1", supplier_id="sup-a", guard_id=guard, first_name="P",
              last_name="Jansen", email="p@minbzk.nl", holder_email="p@minbzk.nl", price_cents=49500,
              start_day=end.isoformat(), original_end_day=end.isoformat(), created_at=now,
              anonymise_month=due[:7], anonymise_day=due, spend_month=end.isoformat()[:7]).save()
    EnrolmentGuard(guard, enrolment_id=enrolment_id).save()
    line_id = line_id_for(enrolment_id)
    OrderLine(line_id, list_key="org-bzk#-", list_sort=f"{end.isoformat()}#{line_id}", enrolment_id=enrolment_id,
              org_id="org-bzk", course_id="c1", execution_id="r1", start_day=end.isoformat(),
              end_day=end.isoformat(), supplier_id="sup-a", source="portal", business_email="p@minbzk.nl",
              price_cents=49500, order_day=end.isoformat(), created_at=now).save()
    Disclosure(enrolment_id, "0001#supplier#sup-a", account_id="acct-1", enrolment_version=1,
               recipient_kind="supplier", recipient_id="sup-a", channel="email", fields=["email"], at=now).save()
    FeedEntry("sup-a", seq, enrolment_id=enrolment_id, event="enrolment", at=now).save()
    OutboxItem(f"o-{enrolment_id}", template="enrolment_received", recipient="p@minbzk.nl",
               enrolment_id=enrolment_id, next_attempt_at=now, created_at=now).save()
    IdempotencyRecord(f"enrol#{enrolment_id}", enrolment_id=enrolment_id, request_sha256="x", created_at=now,
                      expires_at=now + timedelta(days=1)).save()


def _run(unrelated: int) -> dict[str, int]:
    from chalicelib import models
    from chalicelib.platform import clock
    from chalicelib.privacy import anonymise

    with mock_aws():
        for model in models.ALL_MODELS:
            model._connection = None
        models.create_all_tables()
        seq = 0
        for i in range(DUE):  # ended 12 months and a few days ago: due
            seq += 1
            _enrolment(f"due-{i}", TODAY - timedelta(days=366 + i % 40), seq)
        for i in range(unrelated):  # still running or ended recently: not due
            seq += 1
            _enrolment(f"other-{i}", TODAY + timedelta(days=10 + i % 300) - timedelta(days=200), seq)
        clock.freeze(datetime(TODAY.year, TODAY.month, TODAY.day, 11, tzinfo=UTC))
        counter = ItemsRead()
        counter.install()
        result = anonymise.run()
        botocore.client.BaseClient._make_api_call = counter._original
        clock.freeze(None)
        assert result == {"count": DUE, "more": False}, result
        return dict(counter.tally)


def measure() -> dict[str, Any]:
    base = _run(UNRELATED)
    tenfold = _run(UNRELATED * 10)
    return {"base": base, "tenfold": tenfold, "ratio": tenfold["items"] / max(base["items"], 1)}


if __name__ == "__main__":
    print(json.dumps(measure()))
