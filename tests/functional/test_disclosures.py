"""R_PRV_01: every path by which enrolment data leaves the system writes exactly its ledger row.

The paths that carry enrolment data to a third party, and the fields each carries:
- the manager's approval request (e-mail; the approval page behind its link shows the same fields),
- the manager's cancellation notice (e-mail),
- the supplier's enrolment and cancellation, by e-mail or through the XML feed.
Mails to the employee's own form address (R_ENR_11) are not a disclosure to a third party and write
no row. Order lists (R_ORD) are not built yet. Each test goes through the route that causes the
disclosure, checks the one new row (recipient kind, organisation or supplier, channel, fields, time)
and finds it in the holder's export (GET /api/me/export).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from chalicelib.access import Access
from chalicelib.enrolment.rules import MANAGER_CANCELLATION_FIELDS, MANAGER_FIELDS
from chalicelib.models import Disclosure, Enrolment
from chalicelib.platform import clock
from chalicelib.platform.config import settings
from chalicelib.suppliers import apikeys
from tests.functional import enrolment_fixtures as fx
from tests.functional.conftest import sent_mail
from tests.functional.helpers import acting_as, bearer

SUPPLIER_FIELDS = ("first_name", "last_name", "email", "organisation_name", "phone", "gender", "salary_scale")
MANAGER = "chef@minbzk.nl"


@pytest.fixture
def at(aws, frozen_clock):
    """A frozen clock the test moves forward, so each row's time can be checked exactly."""
    moments = [clock.now().replace(microsecond=0)]
    clock.freeze(moments[0])

    def advance() -> object:
        moments.append(moments[-1] + timedelta(minutes=7))
        clock.freeze(moments[-1])
        return moments[-1]

    return advance

MANAGER_PAGE = {"X-Leer-Rijk": "1", "Origin": settings.portal_origin}  # the decision page's CSRF header


def _world(client, approval: bool, delivery: str = "email") -> fx.World:
    fx.organisation(approval=approval)
    fx.account()
    return fx.publish(client, delivery=delivery)


def _enrol(client, world, **overrides) -> str:
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        response = fx.post_json(client, "/enrolments", fx.form(world, **overrides))
    assert response.status_code == 201, response.body
    return response.json_body["enrolment_id"]


def _cancel(client, enrolment_id: str) -> None:
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        response = fx.post_json(client, f"/enrolments/{enrolment_id}/cancel", {}, key=None)
    assert response.status_code == 200, response.body


def _manager_token() -> str:
    mail = next(m for m in sent_mail() if m.destinations["ToAddresses"] == [MANAGER])
    return re.search(r"/akkoord/\?keuze=akkoord#([^\"<\s]+)", mail.body).group(1)


def _approve(client) -> None:
    token = _manager_token()
    assert client.http.get(f"/approvals/{token}").status_code == 200  # the page shows, writes nothing
    decided = fx.post_json(client, f"/approvals/{token}", {"decision": "approve"}, key=None, headers=MANAGER_PAGE)
    assert decided.status_code == 200


def _rows(enrolment_id: str) -> list[tuple]:
    return [(r.recipient_kind, r.recipient_id, r.channel, tuple(r.fields), r.at, int(r.enrolment_version))
            for r in Disclosure.query(enrolment_id)]


def _exported(client, enrolment_id: str) -> list[tuple]:
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        response = client.http.get("/me/export")
    assert response.status_code == 200
    rows = [r["context"] for r in response.json_body["data"].get("Disclosure", [])]
    return [(r["recipient_kind"], r["recipient_id"], r["channel"], tuple(r["fields"]),
             datetime.strptime(r["at"], "%Y-%m-%dT%H:%M:%S.%f%z"), int(r["enrolment_version"]))
            for r in rows if r["enrolment_id"] == enrolment_id]


def _assert_exported(client, enrolment_id: str, rows: list[tuple]) -> None:
    assert sorted(_exported(client, enrolment_id)) == sorted(rows)


def _feed(client) -> bytes:
    token = apikeys.create_key("supplier", "sup-a").token
    url = client.http.get("/supplier/feed-url", headers=bearer(token)).json_body["url"]
    parts = urlsplit(url)
    query = "&".join(f"{k}={v}" for k, v in dict(parse_qsl(parts.query)).items())
    response = client.http.get(parts.path.removeprefix("/api") + "?" + query)
    assert response.status_code == 200
    return response.body


def test_R_PRV_01_the_managers_approval_request_writes_the_manager_row(client, at):
    world = _world(client, approval=True)
    sent = at()
    enrolment_id = _enrol(client, world, manager_email=MANAGER)
    assert _rows(enrolment_id) == [("manager", "org-bzk", "email", MANAGER_FIELDS, sent, 1)]
    at()
    shown = client.http.get(f"/approvals/{_manager_token()}").json_body["employee"]
    assert set(shown) == {"first_name", "last_name", "email"}  # the page shows what the row names
    assert shown["email"] == Enrolment.get(enrolment_id).business_email
    assert len(_rows(enrolment_id)) == 1
    _assert_exported(client, enrolment_id, _rows(enrolment_id))


def test_R_PRV_01_the_managers_cancellation_notice_writes_its_own_row(client, at):
    world = _world(client, approval=True)
    enrolment_id = _enrol(client, world, manager_email=MANAGER)
    at()
    _approve(client)
    before = _rows(enrolment_id)
    cancelled = at()
    _cancel(client, enrolment_id)
    notices = [m for m in sent_mail() if m.destinations["ToAddresses"] == [MANAGER]]
    assert len(notices) == 2 and "geannuleerd" in notices[-1].body
    new = [row for row in _rows(enrolment_id) if row not in before]
    supplier_row = ("supplier", "sup-a", "email", SUPPLIER_FIELDS, cancelled, 3)
    assert sorted(new) == sorted([("manager", "org-bzk", "email", MANAGER_CANCELLATION_FIELDS, cancelled, 3),
                                  supplier_row])
    _assert_exported(client, enrolment_id, _rows(enrolment_id))


def test_R_PRV_01_the_suppliers_enrolment_mail_writes_the_supplier_row(client, at):
    world = _world(client, approval=False)
    sent = at()
    enrolment_id = _enrol(client, world)
    assert _rows(enrolment_id) == [("supplier", "sup-a", "email", SUPPLIER_FIELDS, sent, 1)]
    _assert_exported(client, enrolment_id, _rows(enrolment_id))


def test_R_PRV_01_the_suppliers_cancellation_mail_writes_a_row_for_the_cancelled_version(client, at):
    world = _world(client, approval=False)
    enrolment_id = _enrol(client, world, job_function="Adviseur")
    cancelled = at()
    _cancel(client, enrolment_id)
    fields = (*SUPPLIER_FIELDS[:6], "job_function", "salary_scale")
    assert [row for row in _rows(enrolment_id) if row[5] == 2] == [
        ("supplier", "sup-a", "email", fields, cancelled, 2)]
    assert len(_rows(enrolment_id)) == 2
    _assert_exported(client, enrolment_id, _rows(enrolment_id))


def test_R_PRV_01_the_feed_writes_the_supplier_row_when_it_first_delivers(client, at):
    world = _world(client, approval=False, delivery="feed")
    enrolment_id = _enrol(client, world)
    assert _rows(enrolment_id) == []  # nothing has left yet: the supplier has not read its feed
    read = at()
    assert enrolment_id.encode() in _feed(client)
    at()
    _feed(client)  # read again: no second row
    assert _rows(enrolment_id) == [("supplier", "sup-a", "feed", SUPPLIER_FIELDS, read, 1)]
    _assert_exported(client, enrolment_id, _rows(enrolment_id))


def test_R_PRV_01_a_cancellation_read_from_the_feed_writes_a_row_for_the_cancelled_version(client, at):
    world = _world(client, approval=False, delivery="feed")
    enrolment_id = _enrol(client, world)
    at()
    _feed(client)
    _cancel(client, enrolment_id)
    read = at()
    assert b'event="cancellation"' in _feed(client)
    assert [row for row in _rows(enrolment_id) if row[5] == 2] == [
        ("supplier", "sup-a", "feed", SUPPLIER_FIELDS, read, 2)]
    _assert_exported(client, enrolment_id, _rows(enrolment_id))


def test_R_PRV_01_mails_to_the_employees_own_form_address_are_no_disclosure(client, at):
    """Received, decided, cancelled: all to the form address (R_ENR_11); only the manager's row exists."""
    world = _world(client, approval=True)
    enrolment_id = _enrol(client, world, manager_email=MANAGER, email="sem@prive.example")
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        assert fx.post_json(client, f"/enrolments/{enrolment_id}/cancel", {}, key=None).status_code == 200
    to_employee = [m for m in sent_mail() if m.destinations["ToAddresses"] == ["sem@prive.example"]]
    assert len(to_employee) == 2  # received, cancelled
    assert [row[0] for row in _rows(enrolment_id)] == ["manager"]
