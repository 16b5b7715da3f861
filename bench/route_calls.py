"""The whole cost of one warm request, per route: every DynamoDB call it makes (business, session,
event log, outbox, ledger), counted at the botocore layer (issue 10 item 8).

Shared by `make bench` (bench/routes_run.py, on its own moto) and the functional budget test
(tests/functional/test_request_budget.py), so the figures in the README are the ones a test holds.
Needs empty tables on moto and SES with the sender verified. No environment side effects on import.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import botocore.client
import botocore.session

# The aims: enrol all-in at most 8, search at most 3 (issue 10 item 8); the others as measured.
# Each budget is the measured figure, so a regression fails tests/functional/test_request_budget.py.
# export: the register's lookups (privacy/register.py FOUND_FOR_HOLDER): one Query per index and value, one
# BatchGetItem for every read by key; 15 before (a GetItem per item behind a keys-only index), 12 before the
# waiting places (R_WAIT_05) added their Query. The ledger is one Query of its `account-index` for all the holder's
# enrolments (one per enrolment before issue 23: the same here, where the holder has one).
# feed_page, a first delivery of two entries: the entries, the supplier with the enrolments and the log's counter
# (one BatchGetItem), the waiting counts of the header (R_WAIT_04, one Query), the rows (each on condition that it
# does not exist) with the log entry and the counter's advance (on condition that it holds what was read) in one
# TransactWriteItems; 8 before (a conditional PutItem per row), 7 with a BatchGetItem of the rows that exist and a
# BatchWriteItem of the others, 5 while the log entry took its number with an UpdateItem of its own.
# cancel and approval_post read no run: the calendar invitation (R_CAL_01) comes from the enrolment's own copy
# of the run (`calendar_run`), so 6 and 4 (7 and 5 while they read the run). cancel_with_waiting: as cancel, with
# its optimistic transaction refused (someone waits), then the execution, the list and the move in one transaction.
# Every request with a session cookie reads the session and its account in one BatchGetItem (the token names its
# account), one call fewer than the two GetItems before: enrol 6, cancel 5, export 12, cancel_with_waiting 8.
BUDGET = {
    "search": 3, "search_logged_in": 4, "course_page": 4, "enrol": 6, "cancel": 5, "approval_get": 1,
    "approval_post": 4, "export": 12, "feed_page": 4, "admin_account_search": 4, "cancel_with_waiting": 8,
}


class Calls:
    """Counts AWS calls by service while installed; `dynamodb` and `sesv2` are the ones reported. Counts the
    botocore clients made too: a warm request makes none (a client loads its service model: tens of ms)."""

    def __init__(self) -> None:
        self.tally: Counter[str] = Counter()
        self.operations: list[str] = []
        self.clients = 0

    @contextmanager
    def counting(self) -> Iterator[Calls]:
        original = botocore.client.BaseClient._make_api_call
        calls = self

        def counted(boto_client: Any, operation: str, params: dict[str, Any]) -> Any:
            service = boto_client.meta.service_model.service_name
            calls.tally[service] += 1
            if service == "dynamodb":
                calls.operations.append(f"{operation} {str(params.get('TableName', '')).rsplit('-', 1)[-1]}")
            return original(boto_client, operation, params)

        original_create = botocore.session.Session.create_client

        def created(session: Any, *args: Any, **kwargs: Any) -> Any:
            calls.clients += 1
            return original_create(session, *args, **kwargs)

        botocore.client.BaseClient._make_api_call = counted
        botocore.session.Session.create_client = created
        try:
            yield self
        finally:
            botocore.client.BaseClient._make_api_call = original
            botocore.session.Session.create_client = original_create

    def measure(self, request: Callable[[], Any]) -> tuple[int, int, list[str], Any]:
        self.tally.clear()
        self.operations = []
        self.clients = 0
        with self.counting():
            response = request()
        return self.tally["dynamodb"], self.tally["sesv2"], list(self.operations), response


def _world() -> dict[str, Any]:
    from chalicelib.accounts import search, sessions
    from chalicelib.catalogue import use_cases as catalogue
    from chalicelib.models import Account, Organisation, Supplier, department, role_grant
    from chalicelib.platform import clock
    from chalicelib.suppliers import apikeys
    from devstack.edudex_builder import Run, program

    now = clock.now()
    today = clock.today().isoformat()
    for org_id, approval in (("org-bzk", False), ("org-fin", True)):
        Organisation(org_id, name=org_id.upper(), domains={f"{org_id[4:]}.nl"}, catalogue_codes={"BZK"},
                     created_at=now, approval_required=approval,
                     departments=[department("d1", "DDO")]).save()
    for supplier_id, delivery in (("sup-a", "email"), ("sup-f", "feed")):
        Supplier(supplier_id, name=supplier_id, kind="intern", contact_email=f"in@{supplier_id}.example",
                 delivery=delivery, terms_version="2026-01", terms_accepted_at=now, created_at=now).save()
    start = (now + timedelta(days=60)).date()
    courses = {}
    for supplier_id in ("sup-a", "sup-f"):
        catalogue.import_program(supplier_id, "P-1", program(supplier_id, "P-1", "Projectmatig werken", "Kort",
                                                             "Lang", runs=[Run("r1", start, start, "Utrecht",
                                                                               seats=500)]))
        courses[supplier_id] = catalogue.course_id_for(supplier_id, "P-1")
    catalogue.import_program("sup-a", "P-2", program("sup-a", "P-2", "Vol programma", "Kort", "Lang", runs=[
        Run("r1", start, start, "Utrecht", seats=1)]))
    cookies = {}
    for i, org_id in enumerate(["org-bzk"] * 4 + ["org-fin"] * 3):
        account_id = f"acct-{i}"
        # as after a login: the account was marked used today (R_ACC_05) and the session is fresh
        search.create(Account(account_id, email=f"p{i}@{org_id[4:]}.nl", first_name="P", last_name=f"Jansen{i}",
                              sort_name=f"jansen{i}", org_id=org_id, created_at=now, consent_at=now,
                              consent_version="2026-11", last_used_on=today))
        cookies[account_id] = sessions.save_new(sessions.start(account_id)).token
    # a local admin of org-bzk after the second factor, for the account search (R_ACC_06)
    search.create(Account("acct-admin", email="admin@bzk.nl", first_name="Lotte", last_name="Beheer",
                          sort_name="beheer lotte", org_id="org-bzk", roles=[role_grant("local_admin", "org-bzk")],
                          created_at=now, consent_at=now, consent_version="2026-11", last_used_on=today))
    Organisation("org-bzk").update(actions=[Organisation.local_admin_ids.add({"acct-admin"})])
    cookies["acct-admin"] = sessions.save_new(sessions.start("acct-admin", 2)).token
    feed_key = apikeys.create_key("supplier", "sup-f").token
    return {"cookies": cookies, "courses": courses, "feed_key": feed_key,
            "full_course": catalogue.course_id_for("sup-a", "P-2")}


def measure(client: Any) -> dict[str, dict[str, Any]]:
    """Every route's warm request; returns {scenario: {"db": n, "ses": n, "operations": [...], "route": "GET /x"}}.
    The app's clock stands still meanwhile and the per-container caches keep their entries, so a slow machine
    changes no count (a session is touched every five minutes of activity, R_ACC_04; an organisation is cached
    for 30 seconds)."""
    from chalicelib.platform import cache, clock

    with cache.held():  # a warm request finds the caches warm however slowly the machine runs
        if clock.is_frozen():
            return _measure(client)
        clock.freeze(clock.now())
        try:
            return _measure(client)
        finally:
            clock.freeze(None)


def _measure(client: Any) -> dict[str, dict[str, Any]]:
    from app import app
    from bench import route_walk
    from chalicelib.enrolment import use_cases as enrolments
    from chalicelib.models import Enrolment
    from chalicelib.platform.config import settings

    world = _world()
    calls = Calls()
    results: dict[str, dict[str, Any]] = {}

    def headers(account_id: str | None = None, write: bool = False, key: str | None = None) -> dict[str, str]:
        found = {"Content-Type": "application/json"}
        if account_id:
            found["Cookie"] = f"lr_session={world['cookies'][account_id]}"
        if write:
            found.update({"Origin": settings.portal_origin, "X-Leer-Rijk": "1"})
        if key:
            found["Idempotency-Key"] = key
        return found

    def record(name: str, request: Callable[[], Any], expect: int = 200) -> Any:
        app.current_request = None
        db, ses, operations, response = calls.measure(request)
        assert response.status_code == expect, (name, response.status_code, response.body)
        results[name] = {"db": db, "ses": ses, "operations": operations, "clients": calls.clients,
                         "route": route_walk.reached(app)}
        return response

    def form(supplier_id: str, i: int, **extra: str) -> str:
        return json.dumps({"course_id": world["courses"][supplier_id], "execution_id": "r1", "first_name": "P",
                           "last_name": "Jansen", "email": f"p{i}@example.nl", "phone": "0701234567",
                           "gender": "vrouw", "consent": True} | extra)

    def enrol(account_id: str, supplier_id: str, i: int, **extra: str) -> Any:
        return client.http.post("/enrolments", body=form(supplier_id, i, **extra),
                                headers=headers(account_id, write=True, key=f"bench-{i}"))

    course = world["courses"]["sup-a"]
    client.http.get("/courses?q=project&log=true")  # the container loads the index once
    record("search", lambda: client.http.get("/courses?q=project&log=true"))
    client.http.get("/courses?q=project", headers=headers("acct-0"))  # the organisation's facts are cached
    record("search_logged_in", lambda: client.http.get("/courses?q=project&log=true", headers=headers("acct-0")))
    client.http.get(f"/courses/{course}")
    record("course_page", lambda: client.http.get(f"/courses/{course}"))
    assert enrol("acct-0", "sup-a", 0).status_code == 201  # warms the organisation and supplier caches
    enrolled = record("enrol", lambda: enrol("acct-1", "sup-a", 1), expect=201)
    enrolment_id = enrolled.json_body["enrolment_id"]
    record("cancel", lambda: client.http.post(f"/enrolments/{enrolment_id}/cancel", body="{}",
                                              headers=headers("acct-1", write=True)))
    assert enrol("acct-4", "sup-a", 4, manager_email="chef@fin.nl").status_code == 201
    pending = enrol("acct-5", "sup-a", 5, manager_email="chef@fin.nl").json_body["enrolment_id"]
    token = enrolments.approval_token(Enrolment.get(pending))
    record("approval_get", lambda: client.http.get(f"/approvals/{token}"))
    record("approval_post", lambda: client.http.post(f"/approvals/{token}", body=json.dumps({"decision": "approve"}),
                                                     headers={"Content-Type": "application/json", "X-Leer-Rijk": "1",
                                                              "Origin": settings.portal_origin}))
    record("export", lambda: client.http.get("/me/export", headers=headers("acct-1")))
    client.http.get("/admin/accounts?q=jans", headers=headers("acct-admin"))
    found = record("admin_account_search",
                   lambda: client.http.get("/admin/accounts?q=jans%20p", headers=headers("acct-admin")))
    assert len(found.json_body["accounts"]) == 4, found.body  # the four of org-bzk, not the three of org-fin
    # a full run with someone waiting: the cancellation moves them up in its own transaction (R_WAIT_02)
    full = world["full_course"]
    taken = client.http.post("/enrolments", body=form("sup-a", 2, course_id=full),
                             headers=headers("acct-2", write=True, key="full-2"))
    assert taken.status_code == 201, taken.body
    joined = client.http.post("/waiting", body=form("sup-a", 3, course_id=full),
                              headers=headers("acct-3", write=True, key="wait-3"))
    assert joined.status_code == 201 and joined.json_body["outcome"] == "waiting", joined.body
    record("cancel_with_waiting", lambda: client.http.post(f"/enrolments/{taken.json_body['enrolment_id']}/cancel",
                                                           body="{}", headers=headers("acct-2", write=True)))
    moved = [e for e in Enrolment.account_index.query("acct-3") if e.course_id == full]
    assert [e.status for e in moved] == ["approved"], moved
    assert enrol("acct-2", "sup-f", 2).status_code == 201
    assert enrol("acct-3", "sup-f", 3).status_code == 201
    url = client.http.get("/supplier/feed-url", headers={"Authorization": f"Bearer {world['feed_key']}"}).json_body
    parts = urlsplit(url["url"])
    path = parts.path.removeprefix("/api") + "?" + parts.query
    first = client.http.get(path)  # the container's caches; the measured page delivers two new entries
    since = re.search(r'next="(\d+)"', str(first.body)).group(1)  # type: ignore[union-attr]
    assert enrol("acct-0", "sup-f", 10).status_code == 201
    assert enrol("acct-1", "sup-f", 11).status_code == 201
    record("feed_page", lambda: client.http.get(f"{path}&since={since}"))
    route_walk.measure_the_rest(route_walk.Walk(client, world, record, headers))
    return results
