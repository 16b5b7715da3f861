"""Worker for `make cost` (R_OPS_05): what one request of each route, one idle run of each job and the jobs'
work per enrolment use of AWS, measured on moto. Prints one JSON document (bench/cost.py reads it).

Per request: DynamoDB read and write units from item sizes (bench/capacity.py), SES mails, the response's
bytes, the number of AWS calls, and the thread time of our own code (the request's thread time minus the
time spent inside AWS calls, which is moto's work here). The routes and their order are bench/route_calls.py's
(the same warm requests the functional budget test holds), plus the login link (request and verify).
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta
from datetime import time as clock_time
from typing import Any

from bench.search_run import ROOT  # sets the environment before chalicelib is imported

TOKEN_IN_LINK = re.compile(r"/inloggen/bevestigen/#token=([A-Za-z0-9_-]+)")


def _figures(use: Any, own_seconds: float, response_bytes: int) -> dict[str, Any]:
    return {"read_units": round(use.read_units, 2), "write_units": round(use.write_units, 2),
            "dynamodb_calls": use.dynamodb_calls, "ses_mails": use.ses_calls, "other_calls": use.other_calls,
            "own_ms": round(max(0.0, own_seconds) * 1000, 2), "response_bytes": response_bytes}


def _body_size(response: Any) -> int:
    body = response.body
    return len(body if isinstance(body, bytes) else str(body).encode("utf-8"))


class Segments:
    """Attributes the meter's use to one named stretch of work at a time."""

    def __init__(self, meter: Any) -> None:
        self.meter = meter
        self.found: list[dict[str, Any]] = []

    def measure(self, run: Any) -> tuple[Any, dict[str, Any]]:
        from bench.capacity import Use

        self.meter.use = Use()
        started = time.thread_time()
        result = run()
        spent = time.thread_time() - started
        figures = _figures(self.meter.use, spent - self.meter.use.aws_seconds,
                           _body_size(result) if hasattr(result, "body") else 0)
        self.found.append(figures)
        return result, figures


def _routes(client: Any, segments: Segments) -> dict[str, dict[str, Any]]:
    """bench.route_calls.measure, each recorded request also measured by the meter (same order)."""
    from bench import route_calls

    original = route_calls.Calls.measure

    def measured(calls: Any, request: Any) -> tuple[int, int, list[str], Any]:
        outcome: dict[str, Any] = {}

        def inner() -> Any:
            outcome["result"] = original(calls, request)
            return outcome["result"][3]

        segments.measure(inner)
        return outcome["result"]  # type: ignore[no-any-return]

    route_calls.Calls.measure = measured  # type: ignore[method-assign,assignment]
    try:
        names = list(route_calls.measure(client))
    finally:
        route_calls.Calls.measure = original  # type: ignore[method-assign]
    return dict(zip(names, segments.found[-len(names):], strict=True))


def _login(client: Any, segments: Segments) -> dict[str, dict[str, Any]]:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from chalicelib.platform.config import settings

    headers = {"Content-Type": "application/json", "Origin": settings.portal_origin, "X-Leer-Rijk": "1"}
    address = "p6@fin.nl"  # an account of bench/route_calls.py's world
    client.http.post("/auth/login", body=json.dumps({"email": "p5@fin.nl"}), headers=headers)  # warm
    response, request = segments.measure(
        lambda: client.http.post("/auth/login", body=json.dumps({"email": address}), headers=headers))
    assert response.status_code == 202, response.body
    mails = ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].sent_messages
    body = next(m.body for m in reversed(mails) if address in m.destinations.get("ToAddresses", []))
    match = TOKEN_IN_LINK.search(body)
    assert match, "no login link in the mail"
    response, verify = segments.measure(
        lambda: client.http.post("/auth/verify", body=json.dumps({"token": match.group(1)}), headers=headers))
    assert response.status_code == 200, response.body
    return {"login_request": request, "login_verify": verify}


def _jobs_idle(segments: Segments) -> dict[str, dict[str, Any]]:
    from chalicelib import jobs

    found = {}
    for name in jobs.JOBS:
        jobs.run(name)  # a first run may catch up a watermark; the measured one is a steady idle run
        _, figures = segments.measure(lambda name=name: jobs.run(name))
        found[name] = figures
    return found


def _jobs_per_enrolment(segments: Segments) -> dict[str, Any]:
    """The jobs' work for the enrolments the routes made, divided by their number: the order list the day
    after the start, the review invitation after the end, the anonymisation after 12 months."""
    from chalicelib import jobs
    from chalicelib.models import Enrolment
    from chalicelib.platform import clock

    enrolments = list(Enrolment.scan())  # bench only: a Scan outside a route
    start = min(datetime.fromisoformat(e.start_day) for e in enrolments).date()
    anonymise = min(datetime.fromisoformat(e.anonymise_day) for e in enrolments).date()
    found: dict[str, Any] = {"enrolments": len(enrolments)}
    for name, day in (("build_order_lists", start + timedelta(days=1)), ("invite_reviews", start + timedelta(days=1)),
                      ("anonymise_enrolments", anonymise + timedelta(days=1))):
        clock.freeze(datetime.combine(day, clock_time(9), tzinfo=clock.AMSTERDAM))
        _, figures = segments.measure(lambda name=name: jobs.run(name))
        found[name] = figures
    clock.freeze(None)
    return found


def _stored_bytes() -> dict[str, int]:
    """Bytes stored per table as DynamoDB bills storage: each item and each of its index entries, plus 100
    bytes of overhead each (DynamoDB's storage rule)."""
    from bench.capacity import _backend, _entry

    found = {}
    for name, table in _backend().tables.items():
        total = 0
        for item in table.all_items():
            total += int(item.size()) + 100
            for index in table.global_indexes or []:
                entry = _entry(index, item)
                total += int(entry.size()) + 100 if entry is not None else 0
        found[name.removeprefix("leerrijk-bench-")] = total
    return found


def _migrate() -> None:
    """As after a deploy: every data migration done (the self-check's idle run reads their records)."""
    from chalicelib.migrations import runner

    runner.run_pending(budget=timedelta(minutes=5), grace=timedelta(0))


def main() -> None:
    from chalice.test import Client

    from app import app
    from bench.capacity import Meter
    from bench.moto_aws import fresh_aws

    with fresh_aws():
        meter = Meter()
        segments = Segments(meter)
        with meter.installed(), Client(app, project_dir=str(ROOT), stage_name="local") as client:
            routes = _routes(client, segments)
            routes.update(_login(client, segments))
            _migrate()
            idle = _jobs_idle(segments)
            per_enrolment = _jobs_per_enrolment(segments)
            stored = _stored_bytes()  # the long-term state: the enrolments are anonymised by now
    print(json.dumps({"measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                      "routes": routes, "jobs_idle": idle, "jobs_per_enrolment": per_enrolment,
                      "stored_bytes": stored}))


if __name__ == "__main__":
    main()
