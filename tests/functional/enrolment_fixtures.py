"""A small world for enrolment tests: organisations, an account, suppliers and a published course."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from chalicelib.catalogue import use_cases as catalogue
from chalicelib.models import Account, Department, Organisation, Supplier
from chalicelib.platform import clock
from chalicelib.platform.config import settings
from devstack.edudex_builder import Run, program
from tests.functional.helpers import bearer, make_supplier

ACCOUNT_ID = "acct-test"


@dataclass
class World:
    course_id: str
    execution_id: str
    supplier_id: str
    account_id: str = ACCOUNT_ID


def organisation(org_id: str = "org-bzk", approval: bool = False, domains: tuple[str, ...] = ("minbzk.nl",),
                 codes: tuple[str, ...] = ("BZK",)) -> None:
    Organisation(org_id, name="Ministerie van BZK", domains=set(domains), catalogue_codes=set(codes),
                 departments=[Department(department_id="dep-1", name="Directie Digitale Overheid")],
                 approval_required=approval, created_at=clock.now()).save()


def account(org_id: str = "org-bzk", account_id: str = ACCOUNT_ID, email: str = "sem.jansen@minbzk.nl") -> None:
    Account(account_id, email=email, first_name="Sem", last_name="Jansen", sort_name="jansen sem", org_id=org_id,
            created_at=clock.now(), consent_at=clock.now(), consent_version="2026-11").save()


def publish(client, *, delivery: str = "email", seats: int | None = 3, start_in_days: int = 60,
            free_days: int | None = 14, open_for: list[str] | None = None, scales: list[int] | None = None,
            supplier_id: str = "sup-a", program_id: str = "P-1", deadline_in_days: int | None = None,
            price_eur: str = "495.00") -> World:
    token = make_supplier(supplier_id)
    terms = Supplier.cancellation_free_days.remove() if free_days is None else \
        Supplier.cancellation_free_days.set(free_days)  # None: the supplier states no terms of its own
    Supplier(supplier_id).update(actions=[Supplier.delivery.set(delivery), terms])
    start = date.today() + timedelta(days=start_in_days)
    deadline = date.today() + timedelta(days=deadline_in_days) if deadline_in_days is not None else None
    doc = program(supplier_id, program_id, "Projectmatig werken", "Kort", "Lang", open_for=open_for,
                  salary_scales=scales, runs=[Run("r1", start, start + timedelta(days=1), "Utrecht", seats=seats,
                                                   price_eur=price_eur, deadline=deadline)])
    response = client.http.put(f"/supplier/programs/{program_id}", headers=bearer(token), body=json.dumps(doc))
    assert response.status_code == 200, response.body
    return World(catalogue.course_id_for(supplier_id, program_id), "r1", supplier_id)


def form(world: World, **overrides) -> dict:
    body = {
        "course_id": world.course_id, "execution_id": world.execution_id, "first_name": "Sem",
        "last_name": "Jansen", "email": "sem.jansen@minbzk.nl", "phone": "+31 70 123 4567", "gender": "man",
        "salary_scale": "10", "consent": True,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def post_json(client, path: str, body: dict, key: str | None = "k1", headers: dict | None = None):
    # the portal's CSRF header and Origin, as every state change from a page sends them (the manager's
    # decision page too); API-key callers ignore them
    all_headers = {"Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": settings.portal_origin,
                   **(headers or {})}
    if key:
        all_headers["Idempotency-Key"] = key
    return client.http.post(path, headers=all_headers, body=json.dumps(body))
