"""R_ENR_01, R_ENR_03, R_ENR_09: an organisation's LMS enrols with its own API key."""

from __future__ import annotations

import json

import pytest

from chalicelib.access import Access
from chalicelib.models import Enrolment
from chalicelib.suppliers import apikeys
from tests.functional import enrolment_fixtures as fx
from tests.functional.conftest import sent_mail
from tests.functional.helpers import acting_as


@pytest.fixture
def lms(client):
    fx.organisation(org_id="org-bzk", approval=True)  # the LMS skips the manager step all the same
    fx.organisation(org_id="org-duo", domains=("duo.nl",), codes=("OCW",))
    world = fx.publish(client, open_for=["BZK"])
    public = fx.publish(client, program_id="P-2")
    return world, public, apikeys.create_key("lms", "org-bzk").token, apikeys.create_key("lms", "org-duo").token


def _lms_form(world, **overrides) -> dict:
    body = fx.form(world, email="piet@minbzk.nl", first_name="Piet", consent=None,
                   consent_at="2026-11-20T10:00:00Z", consent_version="2026-11", lms_reference="LMS-42")
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def _post(client, path, token, body, key="k1"):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    return client.http.post(path, headers=headers, body=json.dumps(body))


def test_R_ENR_01_lms_enrolment_holds_only_the_lms_form_and_skips_the_manager(client, lms):
    world, _, token, _ = lms
    fx.account(email="piet@minbzk.nl")  # a portal account with the same address is never matched
    response = _post(client, "/lms/enrolments", token, _lms_form(world))
    assert response.status_code == 201, response.body
    stored = Enrolment.get(response.json_body["enrolment_id"])
    assert (stored.source, stored.status, stored.account_id, stored.business_email) == ("lms", "approved", None, None)
    assert stored.consent_version == "2026-11" and stored.lms_reference == "LMS-42"
    assert stored.manager_email is None
    assert {m.destinations["ToAddresses"][0] for m in sent_mail()} == {"piet@minbzk.nl", "inschrijvingen@sup-a.example"}


@pytest.mark.parametrize("missing", ["consent_at", "consent_version"])
def test_R_ENR_03_lms_enrolment_without_consent_is_400_and_stores_nothing(client, lms, missing):
    world, _, token, _ = lms
    body = _lms_form(world)
    body.pop(missing)
    response = _post(client, "/lms/enrolments", token, body)
    assert response.status_code == 400 and missing in response.json_body["error"]["fields"]
    assert list(Enrolment.scan()) == []


def test_R_ENR_09_lms_key_of_organisation_a_never_reaches_b(client, lms):
    world, public, token_bzk, token_duo = lms
    enrolment_id = _post(client, "/lms/enrolments", token_bzk, _lms_form(world)).json_body["enrolment_id"]
    assert _post(client, f"/lms/enrolments/{enrolment_id}/cancel", token_duo, {}, key=None).status_code == 404
    assert Enrolment.get(enrolment_id).status == "approved"
    restricted = _post(client, "/lms/enrolments", token_duo, _lms_form(world, email="a@duo.nl"), key="duo")
    assert restricted.status_code == 404  # BZK-only course
    duo_courses = client.http.get("/lms/courses", headers={"Authorization": f"Bearer {token_duo}"}).json_body
    assert [c["course_id"] for c in duo_courses["items"]] == [public.course_id]
    bzk_courses = client.http.get("/lms/courses", headers={"Authorization": f"Bearer {token_bzk}"}).json_body
    assert {c["course_id"] for c in bzk_courses["items"]} == {world.course_id, public.course_id}
    cancelled = _post(client, f"/lms/enrolments/{enrolment_id}/cancel", token_bzk, {}, key=None)
    assert cancelled.status_code == 200 and cancelled.json_body["status"] == "cancelled"


def test_R_ENR_01_lms_courses_paginate_and_filter_by_since(client, lms):
    _, _, token, _ = lms
    headers = {"Authorization": f"Bearer {token}"}
    first = client.http.get("/lms/courses?limit=1", headers=headers).json_body
    second = client.http.get(f"/lms/courses?limit=1&cursor={first['next_cursor']}", headers=headers).json_body
    assert len(first["items"]) == 1 and len(second["items"]) == 1 and second["next_cursor"] is None
    assert first["items"][0]["course_id"] != second["items"][0]["course_id"]
    future = client.http.get("/lms/courses?since=2999-01-01T00:00:00Z", headers=headers).json_body
    assert future["items"] == []
    assert client.http.get("/lms/courses?cursor=forged.sig", headers=headers).status_code == 400


def test_R_ENR_09_lms_enrolments_are_listed_for_cfb_only(client, lms):
    world, _, token, _ = lms
    enrolment_id = _post(client, "/lms/enrolments", token, _lms_form(world)).json_body["enrolment_id"]
    for audience in (Access.EMPLOYEE, Access.LOCAL_ADMIN, Access.ORDER_AUTHORISED, Access.OPS):
        with acting_as(audience, org_id="org-bzk"):
            assert client.http.get("/admin/enrolments?source=lms").status_code == 403, audience
    assert client.http.get("/admin/enrolments", headers={"Authorization": f"Bearer {token}"}).status_code == 403
    with acting_as(Access.CFB):
        listed = client.http.get("/admin/enrolments?source=lms&limit=10").json_body
    assert [e["enrolment_id"] for e in listed["items"]] == [enrolment_id]
    assert listed["items"][0]["form"]["first_name"] == "Piet"


def test_R_ENR_09_lms_enrolment_is_not_in_a_portal_holders_list(client, lms):
    world, _, token, _ = lms
    fx.account(email="piet@minbzk.nl")
    _post(client, "/lms/enrolments", token, _lms_form(world))
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        assert client.http.get("/me/enrolments").json_body["items"] == []
