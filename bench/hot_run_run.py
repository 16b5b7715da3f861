"""Worker for bench/hot_run.py: a popular course opens. 1,000 LMS enrolments arrive within a minute for one
run of 20 seats, through the app (chalice's test client, 64 threads) on moto with the local stack's
serialising lock. Prints one JSON document.

moto under one lock never has two transactions in flight, so DynamoDB's transaction conflicts cannot
happen by themselves; `conflicting_transactions` emulates them: a transaction keeps its items for
`HOLD_SECONDS` after it ran (an assumed DynamoDB transaction latency), and another transaction that
touches one of them meanwhile is cancelled with `TransactionConflict`, as DynamoDB cancels it. The app's
answer to a conflict (jittered retries, then 409 `busy`) is what is measured.
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from bench.search_run import ROOT  # sets the environment before chalicelib is imported

ATTEMPTS, SEATS, WINDOW_SECONDS, THREADS = 1000, 20, 60.0, 64
HOLD_SECONDS = 0.025  # assumed: how long DynamoDB keeps a transaction's items (a transaction's latency)
SEED = 23


class Conflicts:
    def __init__(self) -> None:
        self.cancelled = 0
        self.on: Counter[str] = Counter()  # the held item's table, then its key (ids only)
        self.held: dict[tuple[str, str], float] = {}


@contextmanager
def conflicting_transactions() -> Iterator[Conflicts]:
    """Emulate DynamoDB's transaction conflicts on moto (see the module's docstring)."""
    from moto.dynamodb.exceptions import TransactionCanceledException
    from moto.dynamodb.models import DynamoDBBackend

    original = DynamoDBBackend.transact_write_items
    state = Conflicts()

    def keys(backend: Any, items: list[dict[str, Any]]) -> list[tuple[str, str]]:
        found = []
        for action in items:
            body = next(iter(action.values()))
            table = backend.get_table(body["TableName"])
            key = body.get("Key") or {a: body["Item"][a] for a in table.table_key_attrs}
            found.append((body["TableName"], json.dumps(key, sort_keys=True)))
        return found

    def transact_write_items(backend: Any, transact_items: list[dict[str, Any]]) -> None:
        now = time.monotonic()
        touched = keys(backend, transact_items)
        reasons = [("TransactionConflict", "Transaction is ongoing for the item", None)
                   if state.held.get(key, 0.0) > now else (None, None, None) for key in touched]
        if any(code for code, _, _ in reasons):
            state.cancelled += 1
            state.on.update(f"{table.removeprefix('leerrijk-bench-')} {key}" for (table, key), (code, _, _)
                            in zip(touched, reasons, strict=True) if code)
            raise TransactionCanceledException(reasons)
        try:
            original(backend, transact_items)
        finally:
            for key in touched:
                state.held[key] = now + HOLD_SECONDS

    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign,assignment]
    try:
        yield state
    finally:
        DynamoDBBackend.transact_write_items = original  # type: ignore[method-assign]


def _world() -> tuple[str, str]:
    from chalicelib.catalogue import use_cases as catalogue
    from chalicelib.models import Organisation, Supplier
    from chalicelib.platform import clock
    from chalicelib.suppliers import apikeys
    from devstack.edudex_builder import Run, program

    now = clock.now()
    Organisation("org-bd", name="Belastingdienst", domains={"belastingdienst.nl"}, catalogue_codes={"FIN"},
                 created_at=now).save()
    Supplier("sup-hot", name="Populair", kind="intern", contact_email="in@populair.example", delivery="email",
             terms_version="2026-01", terms_accepted_at=now, created_at=now).save()
    start = (now + timedelta(days=30)).date()
    catalogue.import_program("sup-hot", "HOT-1", program("sup-hot", "HOT-1", "Populaire cursus", "Kort", "Lang",
                                                         runs=[Run("r1", start, start, "Utrecht", seats=SEATS)]))
    return catalogue.course_id_for("sup-hot", "HOT-1"), apikeys.create_key("lms", "org-bd").token


def _attempt(client: Any, course_id: str, key: str, number: int, at: float, started: float) -> tuple[int, str, float]:
    time.sleep(max(0.0, started + at - time.monotonic()))
    body = json.dumps({"course_id": course_id, "execution_id": "r1", "first_name": "Belasting",
                       "last_name": f"Test{number}", "email": f"p{number}@belastingdienst.nl",
                       "phone": "+31 70 1234567", "gender": "man", "consent_at": "2026-11-20T10:00:00Z",
                       "consent_version": "2026-11"})
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json",
               "Idempotency-Key": uuid.uuid4().hex}
    sent = time.monotonic()
    response = client.http.post("/lms/enrolments", body=body, headers=headers)
    code = response.json_body.get("error", {}).get("code", "") if response.status_code >= 400 else ""
    return response.status_code, code, time.monotonic() - sent


def _counting_backoff() -> tuple[Counter[str], Callable[[], None]]:
    """Count `faults.backoff` (one per conflict retry) by the module that retries."""
    import sys

    from chalicelib.platform import faults

    original = faults.backoff
    by_caller: Counter[str] = Counter()
    lock = threading.Lock()

    def counted(attempt: int) -> None:
        caller = sys._getframe(1).f_code.co_filename.rsplit("chalicelib/", 1)[-1]
        with lock:
            by_caller[caller] += 1
        original(attempt)

    faults.backoff = counted

    def undo() -> None:
        faults.backoff = original

    return by_caller, undo


def _threaded_like_chalice_local(app: Any) -> None:
    """chalice.local keeps `current_request` per thread (chalice.local.create_local_server); the test client
    does not, so its threads would read each other's requests. Done here as chalice local does it."""
    from chalice.local import CustomLocalChalice, LocalChalice

    CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
    app.__class__ = CustomLocalChalice


def main() -> None:
    from chalice.test import Client

    from app import app
    from bench.moto_aws import fresh_aws
    from chalicelib.models import Enrolment, Execution
    from devstack.serialise import serialise_dynamodb

    _threaded_like_chalice_local(app)
    undo_lock = serialise_dynamodb()
    with fresh_aws(), conflicting_transactions() as conflicts:
        course_id, key = _world()
        retries, undo_count = _counting_backoff()
        arrivals = sorted(random.Random(SEED).uniform(0, WINDOW_SECONDS) for _ in range(ATTEMPTS))
        with Client(app, project_dir=str(ROOT), stage_name="local") as client, \
                ThreadPoolExecutor(max_workers=THREADS) as pool:
            started = time.monotonic()
            outcomes = list(pool.map(lambda n: _attempt(client, course_id, key, n, arrivals[n], started),
                                     range(ATTEMPTS)))
            elapsed = time.monotonic() - started
        undo_count()
        execution = Execution.get(course_id, "r1")
        approved = sum(1 for e in Enrolment.scan() if e.status == "approved")  # bench only: a Scan
    undo_lock()
    statuses = Counter(status for status, _, _ in outcomes)
    codes = Counter(f"{status} {code}".strip() for status, code, _ in outcomes if status >= 400)
    print(json.dumps({
        "attempts": ATTEMPTS, "seats": SEATS, "window_seconds": WINDOW_SECONDS, "elapsed_seconds": round(elapsed, 1),
        "created": statuses[201], "seats_taken": int(execution.seats_taken), "approved_enrolments": approved,
        "refusals": dict(codes), "server_errors": sum(n for s, n in statuses.items() if s >= 500),
        "conflict_retries": sum(retries.values()), "retries_by": dict(retries),
        "emulated_conflicts": conflicts.cancelled, "hold_seconds": HOLD_SECONDS,
        "conflicts_on": dict(conflicts.on.most_common(5)),
        "p50_ms": round(sorted(t for _, _, t in outcomes)[ATTEMPTS // 2] * 1000, 1),
    }))


if __name__ == "__main__":
    main()
