"""R_CAT_06: a supplier publishes courses, shows them and receives enrolment data only after it accepted the
general Leer-Rijk terms. Through the routes: the supplier's PUT, search, the course page, the LMS catalogue,
an enrolment, and CFB recording the terms."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from chalicelib.access import Access
from chalicelib.catalogue import use_cases as catalogue
from chalicelib.models import Course, Execution, Supplier
from chalicelib.platform import clock
from chalicelib.platform.config import settings
from chalicelib.suppliers import apikeys
from chalicelib.suppliers import use_cases as suppliers
from devstack.edudex_builder import Run, program
from tests.functional import enrolment_fixtures as fx
from tests.functional.helpers import acting_as, bearer, make_supplier

CFB_WRITE = {"Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": settings.portal_origin}
NAME = "Onderhandelen voor beleidsmakers"


def _document(supplier_id: str = "sup-a") -> dict:
    start = date.today() + timedelta(days=40)
    return program(supplier_id, "P-1", NAME, "Kort", "Lang", runs=[Run("r1", start, start, "Utrecht", seats=5)])


def _put(client, token: str, supplier_id: str = "sup-a"):
    return client.http.put("/supplier/programs/P-1", headers=bearer(token), body=json.dumps(_document(supplier_id)))


def _terms(client, version: str | None, day: str | None):
    with acting_as(Access.CFB, org_id=None):
        return client.http.patch("/admin/suppliers/sup-a", headers=CFB_WRITE,
                                 body=json.dumps({"terms_version": version, "terms_accepted_on": day}))


def _shown(client, course_id: str) -> tuple[bool, int]:
    """Whether search finds the course, and the course page's status."""
    found = client.http.get("/courses?q=onderhandelen").json_body["items"]
    return course_id in {item["course_id"] for item in found}, client.http.get(f"/courses/{course_id}").status_code


def test_R_CAT_06_a_supplier_that_has_not_accepted_the_terms_cannot_publish(client):
    Supplier("sup-new", name="Nieuw", kind="extern", contact_email="in@nieuw.example", delivery="email",
             created_at=clock.now()).save()
    token = apikeys.create_key("supplier", "sup-new").token
    refused = _put(client, token, "sup-new")
    assert refused.status_code == 403, refused.body
    assert refused.json_body["error"]["code"] == "terms_not_accepted"
    assert "voorwaarden" in refused.json_body["error"]["message"]
    assert Course.count() == 0 and Execution.count() == 0
    assert client.http.get("/courses?q=onderhandelen").json_body["items"] == []


def test_R_CAT_06_courses_of_a_supplier_without_accepted_terms_never_show_until_it_accepts(client):
    """CFB records that the terms no longer hold: the supplier's course leaves search, its page and the LMS
    catalogue, and nobody can enrol; once CFB records the acceptance, it is back."""
    fx.organisation()
    fx.account()
    token = make_supplier("sup-a")
    assert _put(client, token).status_code == 200
    course_id = catalogue.course_id_for("sup-a", "P-1")
    assert _shown(client, course_id) == (True, 200)

    assert _terms(client, None, None).status_code == 200
    assert Supplier.get("sup-a").terms_version is None
    assert _shown(client, course_id) == (False, 404)
    suppliers.forget_cache()
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", level=1):
        enrol = fx.post_json(client, "/enrolments", fx.form(fx.World(course_id, "r1", "sup-a")), key="k1")
    assert enrol.status_code == 409 and enrol.json_body["error"]["code"] == "supplier_terms_not_accepted"
    assert _put(client, token).status_code == 403  # nor can it publish again

    assert _terms(client, "2027-01", date.today().isoformat()).status_code == 200
    assert _shown(client, course_id) == (True, 200)
    suppliers.forget_cache()
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", level=1):
        enrol = fx.post_json(client, "/enrolments", fx.form(fx.World(course_id, "r1", "sup-a")), key="k2")
    assert enrol.status_code == 201, enrol.body


def test_R_CAT_06_a_rebuilt_index_holds_the_courses_of_a_supplier_without_accepted_terms(client):
    token = make_supplier("sup-a")
    assert _put(client, token).status_code == 200
    course_id = catalogue.course_id_for("sup-a", "P-1")
    Supplier("sup-a").update(actions=[Supplier.terms_version.remove(), Supplier.terms_accepted_at.remove()])
    assert catalogue.rebuild_index() == {"courses": 0, "suppliers": 1}
    assert _shown(client, course_id) == (False, 404)


@pytest.mark.parametrize("version", ["", None])
def test_R_CAT_06_the_rule_needs_both_version_and_date(version):
    assert not suppliers.has_accepted_terms(Supplier("s", terms_version=version, terms_accepted_at=None))
    assert not suppliers.has_accepted_terms(Supplier("s", terms_version="2026-01", terms_accepted_at=None))
