"""A small world for the calendar tests (R_CAL): a supplier whose run the tests publish, move and cancel
through the supplier route, an organisation, an account and an LMS key; a clock set in Amsterdam time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from chalicelib.access import Access
from chalicelib.catalogue import use_cases as catalogue
from chalicelib.models import Supplier
from chalicelib.platform import clock
from chalicelib.suppliers import apikeys
from devstack.edudex_builder import Run, program
from tests.functional import enrolment_fixtures as fx
from tests.functional.conftest import sent_mail
from tests.functional.helpers import acting_as, bearer, make_supplier

HOLDER = "sem.jansen@minbzk.nl"
MANAGER = "chef@minbzk.nl"
COURSE_ID = catalogue.course_id_for("sup-a", "P-1")


@dataclass
class CalendarWorld:
    supplier_token: str
    lms_token: str
    course_id: str = COURSE_ID
    execution_id: str = "r1"


TARGET = CalendarWorld(supplier_token="", lms_token="")  # what the enrolment forms point at: course P-1, run r1


def at(day: date, hour: int = 10, minute: int = 0) -> None:
    """Move the clock to `day` at this Amsterdam wall-clock time."""
    clock.freeze(datetime.combine(day, time(hour, minute), tzinfo=clock.AMSTERDAM))


def run(start: date, days: int = 2, city: str | None = "Utrecht", hours: tuple[str, str] | None = ("09:00", "17:00"),
        status: str = "application opened", seats: int = 5, online: bool = False) -> Run:
    return Run("r1", start, start + timedelta(days=days - 1), city, online=online, seats=seats, status=status,
               price_eur="495.00", hours=hours)


def world(client: Any, first: Run, approval: bool = False, free_days: int = 14) -> CalendarWorld:
    fx.organisation(approval=approval)
    fx.account()
    token = make_supplier("sup-a")
    Supplier("sup-a").update(actions=[Supplier.cancellation_free_days.set(free_days)])
    publish(client, token, first)
    return CalendarWorld(token, apikeys.create_key("lms", "org-bzk").token)


def publish(client: Any, token: str, *runs: Run) -> None:
    """The supplier's import (R_CAT_05), as a supplier sends it: the whole program with its runs."""
    doc = program("sup-a", "P-1", "Projectmatig werken", "Kort", "Lang", runs=list(runs))
    response = client.http.put("/supplier/programs/P-1", headers=bearer(token), body=json.dumps(doc))
    assert response.status_code == 200, response.body


def enrol(client: Any, key: str = "k1", account_id: str = fx.ACCOUNT_ID, **overrides: Any) -> str:
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", subject_id=account_id):
        response = fx.post_json(client, "/enrolments", fx.form(TARGET, **overrides), key=key)
    assert response.status_code == 201, response.body
    return str(response.json_body["enrolment_id"])


def lms_enrol(client: Any, token: str, key: str = "l1", **overrides: Any) -> str:
    body = fx.form(TARGET, **{"email": "piet@prive.example", "first_name": "Piet", "consent": None,
                              "consent_at": "2026-11-20T10:00:00Z", "consent_version": "2026-11", **overrides})
    response = client.http.post("/lms/enrolments", body=json.dumps(body),
                                headers={**bearer(token), "Idempotency-Key": key})
    assert response.status_code == 201, response.body
    return str(response.json_body["enrolment_id"])


def cancel(client: Any, enrolment_id: str, account_id: str = fx.ACCOUNT_ID) -> Any:
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", subject_id=account_id):
        return fx.post_json(client, f"/enrolments/{enrolment_id}/cancel", {}, key=None)


def mails_to(address: str, subject: str | None = None) -> list[Any]:
    return [m for m in sent_mail() if m.destinations["ToAddresses"] == [address]
            and (subject is None or m.subject == subject)]
