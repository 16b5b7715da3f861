"""Order lists (R_ORD_01-04), penalty orders (R_ENR_08), who sees them (R_ORD_02, R_ACC_10) and the
ledger (R_PRV_01): the job through `chalicelib.jobs.run`, the lists through the routes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from chalicelib import jobs, wiring
from chalicelib.access import Access, CallerKind, Principal
from chalicelib.accounts.roles import Grant
from chalicelib.catalogue import use_cases as catalogue
from chalicelib.enrolment import use_cases as enrolments
from chalicelib.models import Counter, Department, Disclosure, Enrolment, OrderLine, Organisation
from chalicelib.orders import rules
from chalicelib.orders import use_cases as orders
from chalicelib.platform import clock
from chalicelib.platform.config import settings
from chalicelib.suppliers import apikeys
from devstack.edudex_builder import Run, program
from tests.functional import enrolment_fixtures as fx
from tests.functional.helpers import acting_as, bearer, make_supplier

ORG = "org-bzk"
PRICE = 49500


def _freeze(day: date, hour: int = 10) -> None:
    clock.freeze(datetime.combine(day, time(hour, 0), tzinfo=clock.AMSTERDAM))


def _start(world: fx.World) -> date:
    from chalicelib.models import Execution

    return date.fromisoformat(Execution.get(world.course_id, world.execution_id).start_day)


@contextmanager
def as_staff(org_id: str = ORG, department_id: str | None = None, subject: str = "acc-staff") -> Iterator[None]:
    principal = Principal(CallerKind.ACCOUNT, subject, org_id, frozenset({Access.ORDER_AUTHORISED}), 2,
                          roles=(Grant("order_authorised", org_id, department_id),))

    def authenticate(request: Any) -> Principal:
        return principal

    wiring.AUTHENTICATORS.insert(0, authenticate)
    try:
        yield
    finally:
        wiring.AUTHENTICATORS.remove(authenticate)


def _org(approval: bool = False, staff: set[str] | None = None, org_id: str = ORG,
         domains: tuple[str, ...] = ("minbzk.nl",)) -> None:
    Organisation(org_id, name="Ministerie van BZK", domains=set(domains), catalogue_codes={"BZK"},
                 departments=[Department(department_id="dep-1", name="Directie Digitale Overheid"),
                              Department(department_id="dep-2", name="Directie Woningbouw")],
                 approval_required=approval, created_at=clock.now(),
                 order_staff=staff if staff is not None else {"dep-1#acc-od1", "-#acc-oo"}).save()


def _person(n: int, org_id: str = ORG, domain: str = "minbzk.nl") -> tuple[str, str]:
    account_id, email = f"acct-{n}", f"persoon{n}@{domain}"
    fx.account(org_id=org_id, account_id=account_id, email=email)
    return account_id, email


def _enrol(client, world: fx.World, account_id: str, email: str, org_id: str = ORG, **overrides: Any):
    with acting_as(Access.EMPLOYEE, org_id=org_id, subject_id=account_id):
        response = fx.post_json(client, "/enrolments", fx.form(world, email=email, **overrides), key=account_id)
    assert response.status_code == 201, response.body
    return response.json_body["enrolment_id"]


def _cancel(client, enrolment_id: str, account_id: str, org_id: str = ORG):
    with acting_as(Access.EMPLOYEE, org_id=org_id, subject_id=account_id):
        response = fx.post_json(client, f"/enrolments/{enrolment_id}/cancel", {}, key=None)
    assert response.status_code == 200, response.body
    return response.json_body


def _job() -> dict[str, Any]:
    result = jobs.run("build_order_lists")
    assert "error" not in result, result
    return result


def _list(client, org_id: str = ORG, department_id: str | None = None, query: str = "", subject: str = "acc-staff"):
    with as_staff(org_id, department_id, subject):
        return client.http.get(f"/orders{query}")


def _lines() -> list[OrderLine]:
    return list(OrderLine.scan())


@pytest.fixture
def world(client) -> fx.World:
    _org()
    return fx.publish(client, start_in_days=30, free_days=14)


def test_R_ORD_01_the_day_after_start_approved_enrolments_reach_the_right_list(client, world):
    """Department with its own order-authorised staff → its list; a department without staff or no
    department → the organisation's list (R_ORD_01). Each list shows only its own lines (R_ORD_02)."""
    staffed = _enrol(client, world, *_person(1), department_id="dep-1")
    unstaffed = _enrol(client, world, *_person(2), department_id="dep-2")
    no_department = _enrol(client, world, *_person(3))
    start = _start(world)

    _freeze(start)  # on the start day itself nothing is due yet
    assert _job()["count"] == 0 and _lines() == []

    _freeze(start + timedelta(days=1))
    assert _job()["count"] == 3
    by_enrolment = {line.enrolment_id: line for line in _lines()}
    assert by_enrolment[staffed].list_key == f"{ORG}#dep-1"
    assert by_enrolment[unstaffed].list_key == f"{ORG}#-"
    assert by_enrolment[no_department].list_key == f"{ORG}#-"
    assert {line.order_day for line in _lines()} == {(start + timedelta(days=1)).isoformat()}

    department = _list(client, department_id="dep-1")
    assert department.status_code == 200
    assert [item["email"] for item in department.json_body["items"]] == ["persoon1@minbzk.nl"]
    organisation = _list(client)
    assert sorted(item["email"] for item in organisation.json_body["items"]) == [
        "persoon2@minbzk.nl", "persoon3@minbzk.nl"]
    item = department.json_body["items"][0]
    assert set(item) == {"line_id", "order_day", "kind", "status", "course", "execution", "amount_cents", "email",
                         "via_lms", "ordered_at", "ordered_by_you"}  # R_ORD_02: the e-mail is the only personal datum
    assert item["course"]["name"] == "Projectmatig werken" and item["amount_cents"] == PRICE
    assert item["execution"]["start"] == start.isoformat() and item["kind"] == "order" and item["status"] == "open"
    assert department.json_body["totals"]["amount_cents"] == PRICE and organisation.json_body["totals"]["count"] == 2


def test_R_ORD_01_pending_and_rejected_enrolments_never_reach_a_list(client):
    _org(approval=True)
    world = fx.publish(client, start_in_days=30)
    pending = _enrol(client, world, *_person(1), manager_email="chef@minbzk.nl")
    rejected_id = _enrol(client, world, *_person(2), manager_email="chef@minbzk.nl")
    approved_id = _enrol(client, world, *_person(3), manager_email="chef@minbzk.nl")
    for enrolment_id, decision in ((rejected_id, "reject"), (approved_id, "approve")):
        token = enrolments.approval_token(Enrolment.get(enrolment_id))
        assert fx.post_json(client, f"/approvals/{token}", {"decision": decision}, key=None).status_code == 200
    assert Enrolment.get(pending).status == "pending_approval"

    _freeze(_start(world) + timedelta(days=1))
    _job()
    assert [line.enrolment_id for line in _lines()] == [approved_id]


def test_R_ORD_04_running_the_job_twice_adds_nothing_twice(client, world):
    _enrol(client, world, *_person(1))
    _enrol(client, world, *_person(2))
    _freeze(_start(world) + timedelta(days=1))
    assert _job()["count"] == 2
    assert _job()["count"] == 0
    Counter(orders.PROGRESS).delete()  # even a run that forgot its progress and reads the day again
    assert _job()["count"] == 0
    assert len(_lines()) == 2


def test_R_ORD_04_a_missed_day_is_caught_up(client, world):
    later = fx.publish(client, start_in_days=33, program_id="P-2")
    first = _enrol(client, world, *_person(1))
    second = _enrol(client, later, *_person(2))
    start = _start(world)
    _freeze(start + timedelta(days=1))
    _job()
    assert [line.enrolment_id for line in _lines()] == [first]

    _freeze(start + timedelta(days=7))  # the runs of five nights were missed
    assert _job()["days"] == 6
    assert {line.enrolment_id for line in _lines()} == {first, second}
    assert Counter.get(orders.PROGRESS).extra["done_through"] == (start + timedelta(days=6)).isoformat()


def test_R_ORD_01_R_ORD_04_a_run_its_supplier_moves_to_a_day_already_processed_still_reaches_the_list(client):
    """Nothing lost: the job passed that day before the run started on it, so the import marks the run
    (sparse `moved-index`) and the next run of the job adds its enrolments, once."""
    _org()
    later = fx.publish(client, start_in_days=60)
    enrolment_id = _enrol(client, later, *_person(1))
    _freeze(date.today() + timedelta(days=41))
    _job()
    assert _lines() == []
    moved = fx.publish(client, start_in_days=35)  # the supplier corrects the start: it began six days ago
    assert moved.execution_id == later.execution_id and _start(moved) == date.today() + timedelta(days=35)
    assert _job()["count"] == 1
    line = OrderLine.get(rules.line_id_for(enrolment_id))
    assert (line.kind, line.status) == ("order", "open")
    assert _job()["count"] == 0 and len(_lines()) == 1
    from chalicelib.models import Execution

    assert Execution.get(moved.course_id, moved.execution_id).moved is None  # looked at once, then unmarked


def test_R_ORD_04_an_enrolment_approved_after_its_start_is_added_by_the_next_run(client):
    """A late approval (here an approval window that reaches past the start) is marked in the same
    transaction, and the next run adds it although its start day was processed already."""
    _org(approval=True)
    world = fx.publish(client, start_in_days=30)
    enrolment_id = _enrol(client, world, *_person(1), manager_email="chef@minbzk.nl")
    start = _start(world)
    _freeze(start + timedelta(days=1))
    _job()
    assert _lines() == []  # still pending when its day was processed

    window = (start + timedelta(days=9)).isoformat()
    Enrolment(enrolment_id).update(actions=[Enrolment.approval_expires_day.set(window)])
    token = enrolments.approval_token(Enrolment.get(enrolment_id))
    _freeze(start + timedelta(days=2))
    assert fx.post_json(client, f"/approvals/{token}", {"decision": "approve"}, key=None).status_code == 200
    assert Enrolment.get(enrolment_id).due_order == "due"

    _freeze(start + timedelta(days=3))
    assert _job()["count"] == 1
    line = OrderLine.get(rules.line_id_for(enrolment_id))
    assert (line.kind, line.price_cents, line.order_day) == ("order", PRICE, (start + timedelta(days=3)).isoformat())
    assert Enrolment.get(enrolment_id).due_order is None  # the mark is gone: the next run reads nothing for it
    assert _job()["count"] == 0 and len(_lines()) == 1


def test_R_ENR_08_cancellations_on_each_side_of_the_free_term_before_the_job_ran(client, world):
    """Free through start minus 14 days: cancelled that day → never on a list; one day later → a penalty order."""
    free_id = _enrol(client, world, *_person(1))
    late_id = _enrol(client, world, *_person(2))
    start = _start(world)
    last_free = start - timedelta(days=14)
    _freeze(last_free)
    assert _cancel(client, free_id, "acct-1")["penalty_cents"] == 0
    _freeze(last_free + timedelta(days=1))
    assert _cancel(client, late_id, "acct-2")["penalty_cents"] == PRICE

    _freeze(start + timedelta(days=1))
    assert _job()["count"] == 1
    (line,) = _lines()
    assert (line.enrolment_id, line.kind, line.price_cents) == (late_id, "penalty", PRICE)
    shown = _list(client).json_body["items"]
    assert [(i["kind"], i["amount_cents"]) for i in shown] == [("penalty", PRICE)]


def test_R_ENR_08_a_late_cancellation_after_the_job_ran_turns_the_line_into_the_penalty_order(client, world):
    enrolment_id = _enrol(client, world, *_person(1))
    start = _start(world)
    _freeze(start + timedelta(days=1))
    _job()
    line_id = rules.line_id_for(enrolment_id)
    assert OrderLine.get(line_id).kind == "order"

    _freeze(start + timedelta(days=1, hours=3))
    assert _cancel(client, enrolment_id, "acct-1")["penalty_cents"] == PRICE
    _freeze(start + timedelta(days=2))
    result = _job()
    assert (result["count"], result["changed"]) == (0, 1)
    (line,) = _lines()  # no second line
    assert (line.line_id, line.kind, line.price_cents, line.status) == (line_id, "penalty", PRICE, "open")


def test_R_ENR_08_a_free_cancellation_before_the_job_ran_removes_nothing_and_adds_nothing(client, world):
    enrolment_id = _enrol(client, world, *_person(1))
    start = _start(world)
    _freeze(start - timedelta(days=20))
    _cancel(client, enrolment_id, "acct-1")
    assert Enrolment.get(enrolment_id).due_order is None  # before the start: nothing to look at again
    _freeze(start + timedelta(days=1))
    assert _job()["count"] == 0 and _lines() == []


def test_R_ENR_08_a_run_cancelled_by_its_supplier_after_the_job_withdraws_the_line(client, world):
    """The supplier's cancellation is free: the line that was already on the list is withdrawn, not charged."""
    enrolment_id = _enrol(client, world, *_person(1))
    start = _start(world)
    _freeze(start + timedelta(days=1))
    _job()
    from chalicelib.enrolment import flow

    flow._cancel(Enrolment.get(enrolment_id), by="supplier")
    _freeze(start + timedelta(days=2))
    assert _job()["changed"] == 1
    line = OrderLine.get(rules.line_id_for(enrolment_id))
    assert (line.kind, line.status) == ("order", "withdrawn")
    assert _list(client, query="?status=open").json_body["items"] == []


def test_R_ORD_02_lms_lines_carry_no_email_only_via_lms(client, world):
    token = apikeys.create_key("lms", ORG).token
    body = fx.form(world, email="piet@minbzk.nl", first_name="Piet", consent=None,
                   consent_at="2026-11-20T10:00:00Z", consent_version="2026-11", lms_reference="LMS-1")
    headers = {**bearer(token), "Idempotency-Key": "lms-1"}
    assert client.http.post("/lms/enrolments", headers=headers, body=json.dumps(body)).status_code == 201
    _freeze(_start(world) + timedelta(days=1))
    _job()
    (line,) = _lines()
    assert line.business_email is None and line.source == "lms"
    (item,) = _list(client).json_body["items"]
    assert item["email"] is None and item["via_lms"] is True
    assert "piet" not in json.dumps(item).lower()


def test_R_ORD_02_R_ACC_10_lists_are_isolated_between_departments_and_organisations(client, world):
    _org(org_id="org-duo", domains=("duo.nl",), staff={"-#acc-duo"})
    enrolment_id = _enrol(client, world, *_person(1), department_id="dep-1")
    _freeze(_start(world) + timedelta(days=1))
    _job()
    line_id = rules.line_id_for(enrolment_id)
    assert _list(client, department_id="dep-1").json_body["items"][0]["line_id"] == line_id
    assert _list(client).json_body["items"] == []  # the organisation's list does not hold department lines
    assert _list(client, department_id="dep-2").json_body["items"] == []
    assert _list(client, org_id="org-duo").json_body["items"] == []
    # asking for a list one does not hold is a 404, also with a line id of another list
    assert _list(client, query="?department=dep-1").status_code == 404
    assert _list(client, org_id="org-duo", query="?org=org-bzk&department=dep-1").status_code == 404
    for org_id, department_id in ((ORG, None), ("org-duo", None), (ORG, "dep-2")):
        with as_staff(org_id, department_id):
            assert fx.post_json(client, f"/orders/{line_id}/ordered", {}, key=None).status_code == 404
        with as_staff(org_id, department_id):
            assert line_id not in client.http.get("/orders/export?format=csv").body.decode()
    assert OrderLine.get(line_id).status == "open"


def test_R_ORD_02_marking_a_line_ordered_records_who_and_when_once(client, world):
    enrolment_id = _enrol(client, world, *_person(1), department_id="dep-1")
    start = _start(world)
    _freeze(start + timedelta(days=1))
    _job()
    line_id = rules.line_id_for(enrolment_id)
    with as_staff(department_id="dep-1", subject="acc-od1"):
        first = fx.post_json(client, f"/orders/{line_id}/ordered", {}, key=None)
    assert first.status_code == 200
    assert first.json_body["status"] == "ordered" and first.json_body["ordered_by_you"] is True
    _freeze(start + timedelta(days=2))
    with as_staff(department_id="dep-1", subject="acc-od2"):
        again = fx.post_json(client, f"/orders/{line_id}/ordered", {}, key=None)
    assert again.status_code == 200 and again.json_body["ordered_by_you"] is False
    stored = OrderLine.get(line_id)
    assert stored.ordered_by == "acc-od1" and stored.ordered_at.date() == start + timedelta(days=1)
    ordered = _list(client, department_id="dep-1", query="?status=ordered").json_body["items"]
    assert [i["line_id"] for i in ordered] == [line_id]
    assert _list(client, department_id="dep-1", query="?status=open").json_body["items"] == []


def _reopen(client, line_id: str):
    headers = {"X-Leer-Rijk": "1", "Origin": settings.portal_origin}
    return client.http.delete(f"/orders/{line_id}/ordered", headers=headers)


def test_R_ORD_02_marking_as_ordered_can_be_undone_by_the_same_list_only_and_is_logged(client, world):
    """Issue 28: a mis-click on "Markeer als besteld" is undone through the route: the line is open again,
    for anyone with the same list; another list gets the same 404 as a line that does not exist."""
    from chalicelib.platform import eventlog

    enrolment_id = _enrol(client, world, *_person(1), department_id="dep-1")
    _freeze(_start(world) + timedelta(days=1))
    _job()
    line_id = rules.line_id_for(enrolment_id)
    with as_staff(department_id="dep-1", subject="acc-od1"):
        assert fx.post_json(client, f"/orders/{line_id}/ordered", {}, key=None).status_code == 200
    for org_id, department_id in ((ORG, None), ("org-duo", None), (ORG, "dep-2")):
        with as_staff(org_id, department_id):
            assert _reopen(client, line_id).status_code == 404
    assert OrderLine.get(line_id).status == "ordered"
    with as_staff(department_id="dep-1", subject="acc-od2"):
        undone = _reopen(client, line_id)
        again = _reopen(client, line_id)
    assert undone.status_code == 200 and undone.json_body["status"] == "open"
    assert undone.json_body["ordered_at"] is None and again.status_code == 200
    stored = OrderLine.get(line_id)
    assert (stored.status, stored.ordered_at, stored.ordered_by) == ("open", None, None)
    changes = [e["detail"] for e in eventlog.recent() if e["kind"] == "order_line_changed"]
    assert [c["outcome"] for c in changes] == ["reopened", "ordered"]  # newest first; the repeat logs nothing
    assert changes[0]["actor_ref"] == "acc-od2" and changes[0]["course_id"] == world.course_id
    assert [i["line_id"] for i in _list(client, department_id="dep-1", query="?status=open").json_body["items"]] \
        == [line_id]


def test_R_ORD_02_a_withdrawn_line_cannot_be_reopened(client, world):
    enrolment_id = _enrol(client, world, *_person(1), department_id="dep-1")
    _freeze(_start(world) + timedelta(days=1))
    _job()
    line_id = rules.line_id_for(enrolment_id)
    OrderLine(line_id).update(actions=[OrderLine.status.set(rules.WITHDRAWN)])
    with as_staff(department_id="dep-1"):
        refused = _reopen(client, line_id)
    assert refused.status_code == 409 and refused.json_body["error"]["code"] == "withdrawn"


def test_R_PRV_01_each_line_shown_writes_one_ledger_row(client, world):
    enrolment_id = _enrol(client, world, *_person(1), department_id="dep-1")
    _freeze(_start(world) + timedelta(days=1))
    _job()
    assert [r for r in Disclosure.query(enrolment_id) if r.recipient_kind == "order_authorised"] == []
    for _ in range(3):
        assert _list(client, department_id="dep-1").status_code == 200
    rows = [r for r in Disclosure.query(enrolment_id) if r.recipient_kind == "order_authorised"]
    assert len(rows) == 1
    assert (rows[0].recipient_id, rows[0].channel) == (f"{ORG}#dep-1", "order_list")
    assert "business_email" in rows[0].fields
    assert rows[0].account_id == "acct-1"  # the holder's export finds it by the account (issue 23, R_ACC_09)
    with acting_as(Access.EMPLOYEE, org_id=ORG, subject_id="acct-1"):
        exported = client.http.get("/me/export").json_body["data"]["Disclosure"]
    assert [r["context"]["recipient_id"] for r in exported if r["context"]["channel"] == "order_list"] == [
        f"{ORG}#dep-1"]
    with as_staff(department_id="dep-1"):
        assert client.http.get("/orders/export?format=json").status_code == 200
    assert len([r for r in Disclosure.query(enrolment_id) if r.recipient_kind == "order_authorised"]) == 1


HOSTILE = "Cursus,=cmd|' /C calc'!A0,x"
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _hostile_course(client, name: str = "=HYPERLINK(\"http://x.example\";\"klik\")",
                    city: str = "@Utrecht") -> fx.World:
    token = make_supplier("sup-x", name="-Opleider;=X")
    start = date.today() + timedelta(days=30)
    doc = program("sup-x", "P-X", name, "Kort", "Lang",
                  runs=[Run("r1", start, start + timedelta(days=1), city, seats=5, price_eur="100.00")])
    response = client.http.put("/supplier/programs/P-X", headers=bearer(token), body=json.dumps(doc))
    assert response.status_code == 200, response.body
    return fx.World(catalogue.course_id_for("sup-x", "P-X"), "r1", "sup-x")


def csv_cells(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_R_ORD_03_csv_export_neutralises_formulas_and_carries_no_personal_data(client, world):
    hostile = _hostile_course(client)
    _enrol(client, hostile, *_person(1), first_name="=Sem")
    _enrol(client, world, *_person(2))
    start = _start(world)
    _freeze(start + timedelta(days=1))
    _job()
    with as_staff():
        response = client.http.get(f"/orders/export?format=csv&from={start}&to={start + timedelta(days=1)}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.body
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    header, *rows = csv_cells(text, ";")
    assert header[0] == "Bestelreferentie" and len(rows) == 2
    assert "'=HYPERLINK" in text and "'@Utrecht" in text
    assert not any(cell.startswith(FORMULA) for row in rows for cell in row)
    for personal in ("persoon1", "persoon2", "Sem", "Jansen", "minbzk.nl", "+31"):
        assert personal not in text  # R_ORD_03: nothing personal
    assert "495,00" in text

    with as_staff():
        as_json = client.http.get("/orders/export?format=json")
    lines = json.loads(as_json.body)["lines"]
    assert len(lines) == 2 and "minbzk.nl" not in as_json.body.decode()
    assert set(lines[0]) == set(rules.EXPORT_KEYS)  # machines keep the English keys

    with as_staff():
        outside = client.http.get(f"/orders/export?format=csv&from={start + timedelta(days=5)}")
    assert len(csv_cells(outside.body.decode("utf-8-sig"), ";")) == 1  # only the header


def test_R_ORD_03_no_cell_starts_a_formula_whichever_delimiter_the_spreadsheet_picks(client, world):
    """A course name and a city `Cursus,=cmd|' /C calc'!A0,x`: read with `,`, `;` and tab in turn (as
    spreadsheets in other locales do), no cell starts with `= + - @`, tab or CR."""
    hostile = _hostile_course(client, name=HOSTILE, city=HOSTILE)
    _enrol(client, hostile, *_person(1))
    _enrol(client, world, *_person(2))
    _freeze(_start(world) + timedelta(days=1))
    _job()
    with as_staff():
        text = client.http.get("/orders/export?format=csv").body.decode("utf-8-sig")
    for delimiter in (",", ";", "\t"):
        cells = [cell for row in csv_cells(text, delimiter) for cell in row]
        assert any("=cmd" in c for c in cells), delimiter  # the hostile name is in there, as text
        assert [c for c in cells if c.startswith(FORMULA)] == [], delimiter
    row = next(r for r in csv_cells(text, ";")[1:] if any("'=cmd" in cell for cell in r))
    assert "Cursus,'=cmd|' /C calc'!A0,x" in row  # the name, and the place, kept as text
    assert row.count("Cursus,'=cmd|' /C calc'!A0,x") == 2


def test_R_ORD_03_the_csv_reads_in_dutch_with_names_beside_ids_and_a_dated_file_name(client, world):
    """Read back with Python's csv module in the Dutch dialect (`;`): Dutch headers, the names of the
    supplier, organisation and department beside their ids, Dutch words for kind, status and source."""
    Organisation(ORG).update(actions=[Organisation.order_staff.set({"dep-1#acc-od1", "-#acc-oo", "dep-2#acc-od2"})])
    ordered = _enrol(client, world, *_person(1), department_id="dep-2")
    late = _enrol(client, world, *_person(2), department_id="dep-2")
    start = _start(world)
    _freeze(start + timedelta(days=1))
    _job()
    assert _cancel(client, late, "acct-2")["penalty_cents"] == PRICE  # after the job: the line becomes the penalty
    _job()
    line_id = rules.line_id_for(ordered)
    with as_staff(department_id="dep-2"):
        assert fx.post_json(client, f"/orders/{line_id}/ordered", {}, key=None).status_code == 200
        day = (start + timedelta(days=1)).isoformat()
        response = client.http.get(f"/orders/export?format=csv&department=dep-2&from={day}&to={day}")
        as_json = json.loads(client.http.get("/orders/export?format=json&department=dep-2").body)
    assert response.headers["Content-Disposition"] == f'attachment; filename="bestellijst-{day}-tot-{day}.csv"'
    header, *rows = csv_cells(response.body.decode("utf-8-sig"), ";")
    assert header == ["Bestelreferentie", "Besteldag", "Soort", "Status", "Organisatie-id", "Organisatie",
                      "Afdeling-id", "Afdeling", "Leverancier-id", "Leverancier", "Opleiding-id", "Opleiding",
                      "Uitvoering-id", "Startdatum", "Einddatum", "Plaats", "Bedrag (euro)", "Inschrijving via"]
    by_reference = {row[0]: dict(zip(header, row)) for row in rows}
    assert by_reference[line_id] == {
        "Bestelreferentie": line_id, "Besteldag": day, "Soort": "bestelling", "Status": "besteld",
        "Organisatie-id": ORG, "Organisatie": "Ministerie van BZK", "Afdeling-id": "dep-2",
        "Afdeling": "Directie Woningbouw", "Leverancier-id": "sup-a", "Leverancier": "Opleider A",
        "Opleiding-id": world.course_id, "Opleiding": "Projectmatig werken", "Uitvoering-id": "r1",
        "Startdatum": start.isoformat(), "Einddatum": (start + timedelta(days=1)).isoformat(), "Plaats": "Utrecht",
        "Bedrag (euro)": "495,00", "Inschrijving via": "portaal"}
    penalty = by_reference[rules.line_id_for(late)]
    assert (penalty["Soort"], penalty["Status"], penalty["Bedrag (euro)"]) == ("boete", "open", "495,00")
    # the JSON for machines keeps its English keys and codes, and now names too
    assert {(line["kind"], line["status"]) for line in as_json["lines"]} == {("order", "ordered"), ("penalty", "open")}
    assert {(line["supplier_name"], line["organisation_name"], line["department_name"])
            for line in as_json["lines"]} == {("Opleider A", "Ministerie van BZK", "Directie Woningbouw")}


def test_R_ORD_02_the_list_pages_with_a_signed_cursor_and_refuses_bad_filters(client, world):
    for n in range(3):
        _enrol(client, world, *_person(n))
    _freeze(_start(world) + timedelta(days=1))
    _job()
    first = _list(client, query="?limit=2").json_body
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = _list(client, query=f"?limit=2&cursor={first['next_cursor']}").json_body
    seen = {i["line_id"] for i in first["items"]} | {i["line_id"] for i in second["items"]}
    assert len(seen) == 3
    assert _list(client, query=f"?limit=2&status=open&cursor={first['next_cursor']}").status_code == 400
    assert _list(client, query="?cursor=forged.sig").status_code == 400
    bad = _list(client, query="?from=2026-13-01&status=lost")
    assert bad.status_code == 400 and set(bad.json_body["error"]["fields"]) == {"from", "status"}
    with as_staff():
        assert client.http.get("/orders/export?format=xls").status_code == 400


def test_R_ORD_04_a_run_that_stops_on_its_budget_resumes_where_it_stopped(client, world, monkeypatch):
    second_world = fx.publish(client, start_in_days=30, program_id="P-2")
    _enrol(client, world, *_person(1))
    _enrol(client, second_world, *_person(2))
    _freeze(_start(world) + timedelta(days=1))
    monkeypatch.setattr(orders, "MAX_EXECUTIONS_PER_RUN", 1)
    first = _job()
    assert first["complete"] is False and first["count"] == 1
    assert "resume" in Counter.get(orders.PROGRESS).extra
    second = _job()
    assert second["complete"] is True and second["count"] == 1 and second["executions"] == 1
    assert len(_lines()) == 2


def test_R_ORD_01_cfb_role_change_tells_the_job_which_departments_have_staff(client, world):
    """Granting the role for a department (by CFB) routes that department's lines to it."""
    from tests.functional.test_acc_support import call, seed_account, start_session

    seed_account("acc-cfb", "cfb@minbzk.nl", org_id=ORG, roles=[("cfb", None, None)], totp_secret="JBSWY3DPEHPK3PXP")
    seed_account("acc-new", "nieuw@minbzk.nl", org_id=ORG)
    grant = {"roles": [{"role": "order_authorised", "org_id": ORG, "department_id": "dep-2"}]}
    response = call(client, "PUT", "/admin/accounts/acc-new/roles", start_session("acc-cfb", level=2), grant)
    assert response.status_code == 200, response.body
    assert "dep-2#acc-new" in Organisation.get(ORG).order_staff

    enrolment_id = _enrol(client, world, *_person(1), department_id="dep-2")
    _freeze(_start(world) + timedelta(days=1))
    _job()
    assert OrderLine.get(rules.line_id_for(enrolment_id)).list_key == f"{ORG}#dep-2"


def test_R_ORD_01_demo_data_gives_every_demo_order_authorised_account_a_filled_list(client):
    """`make run`: runs that started in the past days, and the job already ran at seed time."""
    from devstack import seed
    from devstack.demo_orders import seed_order_lists

    for organisation in seed.organisations():
        organisation.save()
    for supplier in seed.suppliers():
        supplier.save()
    staff = []
    for account, _ in seed.accounts():
        account.save()
        staff += [(account.account_id, grant.org_id, grant.department_id)
                  for grant in account.roles if grant.role == "order_authorised"]
    assert {org for _, org, _ in staff} == {o.org_id for o in seed.organisations()}  # one per demo organisation
    summary = seed_order_lists()
    assert summary["order lines"] >= 7
    for account_id, org_id, department_id in staff:
        listed = _list(client, org_id, department_id, subject=account_id).json_body["items"]
        assert listed, (account_id, org_id, department_id)
    kinds = {line.kind for line in _lines()}
    assert kinds == {"order", "penalty"} and any(line.source == "lms" for line in _lines())


def test_R_ORD_01_R_ACC_08_a_deleted_order_authorised_account_no_longer_routes_its_department(client, world):
    """After the department's only order-authorised person deletes the account, its lines go to the organisation."""
    from tests.functional.test_acc_support import call, seed_account, start_session

    seed_account("acc-od1", "besteller@minbzk.nl", org_id=ORG, roles=[("order_authorised", ORG, "dep-1")],
                 totp_secret="JBSWY3DPEHPK3PXP")
    assert call(client, "DELETE", "/me", start_session("acc-od1")).status_code == 200
    assert Organisation.get(ORG).order_staff == {"-#acc-oo"}
    enrolment_id = _enrol(client, world, *_person(1), department_id="dep-1")
    _freeze(_start(world) + timedelta(days=1))
    _job()
    assert OrderLine.get(rules.line_id_for(enrolment_id)).list_key == f"{ORG}#-"


# --- edges the mutation run found untested (issue 22 item 16) ----------------------------------------------


def test_R_ORD_02_a_local_admin_grant_opens_no_order_list(client, world):
    """Order-authorised for one department and local admin of the whole organisation: only the
    department's list. The local-admin grant names the organisation but is no order-list scope."""
    department_line = rules.line_id_for(_enrol(client, world, *_person(1), department_id="dep-1"))
    organisation_line = rules.line_id_for(_enrol(client, world, *_person(2)))
    _freeze(_start(world) + timedelta(days=1))
    _job()
    principal = Principal(CallerKind.ACCOUNT, "acc-both", ORG, frozenset({Access.ORDER_AUTHORISED, Access.LOCAL_ADMIN}),
                          2, roles=(Grant("order_authorised", ORG, "dep-1"), Grant("local_admin", ORG, None)))
    wiring.AUTHENTICATORS.insert(0, lambda request: principal)
    try:
        mine = client.http.get("/orders").json_body
        organisation_list = client.http.get(f"/orders?org={ORG}")
        export = client.http.get("/orders/export?format=json").body.decode()
    finally:
        wiring.AUTHENTICATORS.pop(0)
    assert [item["line_id"] for item in mine["items"]] == [department_line]
    assert [(s["org_id"], s["department_id"]) for s in mine["scopes"]] == [(ORG, "dep-1")]
    assert organisation_list.status_code == 404
    assert organisation_line not in export and department_line in export


def test_R_ORD_02_R_ORD_03_a_period_holds_its_first_and_last_order_day_and_a_month_sums_its_lines(client):
    """Lines ordered on two days of one month: `to` ends the period with its own day included, `from`
    starts it; the month's total counts and sums every line, not only the last."""
    _org()
    early_in_a_month = (date.today().replace(day=1) + timedelta(days=62)).replace(day=2)
    ahead = (early_in_a_month - date.today()).days
    world = fx.publish(client, start_in_days=ahead)
    later = fx.publish(client, start_in_days=ahead + 2, program_id="P-2", price_eur="100.00")
    early = {rules.line_id_for(_enrol(client, world, *_person(n))) for n in (1, 2)}
    late = rules.line_id_for(_enrol(client, later, *_person(3)))
    first_day, last_day = early_in_a_month + timedelta(days=1), early_in_a_month + timedelta(days=3)
    _freeze(last_day)
    _job()
    assert {line.order_day for line in _lines()} == {first_day.isoformat(), last_day.isoformat()}

    def listed(query: str) -> set[str]:
        return {item["line_id"] for item in _list(client, query=query).json_body["items"]}

    assert listed(f"?to={first_day}") == early
    assert listed(f"?to={last_day - timedelta(days=1)}") == early
    assert listed(f"?from={last_day}") == {late}
    assert listed(f"?from={first_day}&to={last_day}") == early | {late}
    with as_staff():
        exported = json.loads(client.http.get(f"/orders/export?format=json&to={first_day}").body)["lines"]
    assert {line["order_reference"] for line in exported} == early

    totals = _list(client).json_body["totals"]
    assert totals["months"] == [{"month": first_day.isoformat()[:7], "count": 3, "amount_cents": 2 * PRICE + 10000}]
    assert (totals["count"], totals["amount_cents"]) == (3, 2 * PRICE + 10000)
    one_day = _list(client, query=f"?to={first_day}").json_body["totals"]
    assert (one_day["count"], one_day["amount_cents"], one_day["complete"]) == (2, 2 * PRICE, True)


def test_R_ORD_03_a_line_without_department_exports_empty_cells_not_none(client, world):
    _enrol(client, world, *_person(1))
    _freeze(_start(world) + timedelta(days=1))
    _job()
    with as_staff():
        response = client.http.get("/orders/export?format=csv")
    header, row = csv_cells(response.body.decode("utf-8-sig"), ";")
    cells = dict(zip(header, row))
    assert (cells["Afdeling-id"], cells["Afdeling"]) == ("", "")
    assert "None" not in response.body.decode()
