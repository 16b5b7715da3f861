"""R_ENR_01-05, R_ENR_07, R_ENR_11: enrolling from the portal."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest

from chalicelib.access import Access
from chalicelib.models import Enrolment, EnrolmentGuard, Execution, OutboxItem
from chalicelib.platform import clock
from tests.functional import enrolment_fixtures as fx
from tests.functional.conftest import sent_mail
from tests.functional.helpers import acting_as, outbox_left


@pytest.fixture
def world(client):
    fx.organisation()
    fx.account()
    return fx.publish(client)


def _enrol(client, world, key="k1", **overrides):
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", level=1):
        return fx.post_json(client, "/enrolments", fx.form(world, **overrides), key=key)


def test_R_ENR_02_enrolment_stores_the_form_and_notifies_employee_and_supplier(client, world):
    response = _enrol(client, world, email="sem@prive.example", initials="S.", job_function="Adviseur")
    assert response.status_code == 201, response.body
    stored = Enrolment.get(response.json_body["enrolment_id"])
    assert (stored.status, stored.email, stored.business_email, stored.org_id) == (
        "approved", "sem@prive.example", "sem.jansen@minbzk.nl", "org-bzk")
    assert stored.organisation_name == "Ministerie van BZK" and stored.initials == "S."
    assert stored.price_cents == 49500 and stored.cancellation_free_days == 14
    assert stored.anonymise_day > stored.original_end_day
    assert Execution.get(world.course_id, "r1").seats_taken == 1
    mails = {m.destinations["ToAddresses"][0]: m for m in sent_mail()}
    assert set(mails) == {"sem@prive.example", "inschrijvingen@sup-a.example"}  # R_ENR_11: the form address
    supplier_mail = mails["inschrijvingen@sup-a.example"].body
    for value in ("Sem", "Jansen", "sem@prive.example", "+31 70 123 4567", "man", "S.", "Adviseur", "P-1", "r1"):
        assert value in supplier_mail
    assert "sem.jansen@minbzk.nl" not in supplier_mail  # R_ENR_07: what was entered, nothing else personal
    assert outbox_left() == []  # sent items hold no personal data and wait only for their TTL (R_PRV_04)


def test_R_ENR_03_without_consent_nothing_is_stored(client, world):
    response = _enrol(client, world, consent=False)
    assert response.status_code == 400
    assert "consent" in response.json_body["error"]["fields"]
    assert list(Enrolment.scan()) == [] and Execution.get(world.course_id, "r1").seats_taken == 0


@pytest.mark.parametrize(("field", "value"), [
    ("first_name", "Sem\r\nBcc: x@y.z"), ("phone", "070\n123"), ("email", "geen-adres"),
    ("gender", "onbekend"), ("first_name", ""), ("salary_scale", "99"),
])
def test_R_ENR_02_bad_fields_are_400_and_change_nothing(client, world, field, value):
    response = _enrol(client, world, **{field: value})
    assert response.status_code == 400
    assert field in response.json_body["error"]["fields"]
    assert list(Enrolment.scan()) == []


def test_R_ENR_04_empty_optional_field_never_blocks(client, client_world_with_scales):
    world = client_world_with_scales
    response = _enrol(client, world, salary_scale=None)
    assert response.status_code == 201


def test_R_ENR_04_salary_scale_outside_the_range_is_refused_naming_the_requirement(client, client_world_with_scales):
    response = _enrol(client, client_world_with_scales, salary_scale="6")
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "requirement_not_met"
    assert response.json_body["error"]["fields"]["salary_scale"] == (
        "Deze opleiding is voor salarisschaal 8 tot en met 10.")


@pytest.fixture
def client_world_with_scales(client):
    fx.organisation()
    fx.account()
    return fx.publish(client, scales=[8, 9, 10])


def test_R_ENR_05_one_active_enrolment_per_person_per_execution(client, world):
    assert _enrol(client, world, key="a").status_code == 201
    again = _enrol(client, world, key="b")
    assert again.status_code == 409
    assert again.json_body["error"]["code"] == "already_enrolled"
    assert Execution.get(world.course_id, "r1").seats_taken == 1


def test_R_ENR_05_full_execution_refuses(client):
    fx.organisation()
    world = fx.publish(client, seats=1)
    for i in range(2):
        fx.account(account_id=f"acct-{i}", email=f"p{i}@minbzk.nl")
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", subject_id="acct-0"):
        assert fx.post_json(client, "/enrolments", fx.form(world), key="x").status_code == 201
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", subject_id="acct-1"):
        full = fx.post_json(client, "/enrolments", fx.form(world), key="y")
    assert full.status_code == 409 and full.json_body["error"]["code"] == "full"


def test_idempotency_key_replays_the_same_answer_and_refuses_another_body(client, world):
    first = _enrol(client, world, key="same")
    second = _enrol(client, world, key="same")
    assert second.status_code == 201 and second.json_body == first.json_body
    assert len(list(Enrolment.scan())) == 1
    other = _enrol(client, world, key="same", phone="+31 6 1234 5678")
    assert other.status_code == 422
    missing = _enrol(client, world, key=None)
    assert missing.status_code == 400 and "Idempotency-Key" in missing.json_body["error"]["fields"]


def test_R_CAT_02_restricted_execution_is_404_for_other_organisations(client):
    fx.organisation(org_id="org-duo", domains=("duo.nl",), codes=("OCW",))
    fx.account(org_id="org-duo", email="a@duo.nl")
    world = fx.publish(client, open_for=["BZK"])
    with acting_as(Access.EMPLOYEE, org_id="org-duo"):
        response = fx.post_json(client, "/enrolments", fx.form(world, email="a@duo.nl"))
    assert response.status_code == 404
    assert list(EnrolmentGuard.scan()) == []


def test_R_ENR_09_my_enrolments_and_hide_after_cancel(client, world):
    enrolment_id = _enrol(client, world).json_body["enrolment_id"]
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        listed = client.http.get("/me/enrolments").json_body["items"]
        assert [e["enrolment_id"] for e in listed] == [enrolment_id]
        assert listed[0]["cancellation"]["free"] is True
        early_hide = fx.post_json(client, f"/enrolments/{enrolment_id}/hide", {}, key=None)
        assert early_hide.status_code == 409
        cancelled = fx.post_json(client, f"/enrolments/{enrolment_id}/cancel", {}, key=None)
        assert cancelled.status_code == 200 and cancelled.json_body["status"] == "cancelled"
        assert fx.post_json(client, f"/enrolments/{enrolment_id}/hide", {}, key=None).status_code == 200
        assert client.http.get("/me/enrolments").json_body["items"] == []
    assert Enrolment.get(enrolment_id).hidden is True  # still stored


def test_R_ENR_09_an_enrolment_shows_to_its_holder_until_the_end_date_has_passed(client, world):
    """Through GET /api/me/enrolments with the clock moved: listed on the run's last day, gone the day after
    (it stays stored, for CFB and the order list)."""
    enrolment_id = _enrol(client, world).json_body["enrolment_id"]
    end = date.fromisoformat(Execution.get(world.course_id, "r1").end_day)

    def listed_on(day: date) -> list[str]:
        clock.freeze(datetime.combine(day, time(12), tzinfo=clock.AMSTERDAM))
        with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
            response = client.http.get("/me/enrolments")
        assert response.status_code == 200, response.body
        return [e["enrolment_id"] for e in response.json_body["items"]]

    try:
        assert listed_on(end) == [enrolment_id]  # the last day itself
        assert listed_on(end + timedelta(days=1)) == []
        assert listed_on(end + timedelta(days=30)) == []
    finally:
        clock.freeze(None)
    assert Enrolment.get(enrolment_id).status == "approved"  # only out of the holder's list


def test_R_ENR_09_another_persons_enrolment_is_404(client, world):
    enrolment_id = _enrol(client, world).json_body["enrolment_id"]
    fx.account(account_id="acct-other", email="other@minbzk.nl")
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", subject_id="acct-other"):
        response = fx.post_json(client, f"/enrolments/{enrolment_id}/cancel", {}, key=None)
    assert response.status_code == 404
    assert Enrolment.get(enrolment_id).status == "approved"


def test_R_SEC_03_outbox_items_hold_ids_and_a_template_not_a_body(client, world, frozen_clock):
    """An item queued by an enrolment holds ids, a template and its recipient; the body is rendered
    from the current data when it is sent (here after SES refused the first attempt)."""
    from datetime import timedelta

    from chalicelib.jobs import outbox_retry
    from chalicelib.platform import mail
    from tests.functional.test_enrolment_lifecycle import _throttle_ses

    stop_throttling = _throttle_ses(mail._client())
    try:
        enrolment_id = _enrol(client, world, job_function="Beleidsadviseur").json_body["enrolment_id"]
    finally:
        stop_throttling()
    items = {i.template: i for i in OutboxItem.scan()}
    assert set(items) == {"enrolment_received", "supplier_enrolment"}
    for item in items.values():
        stored = item.to_simple_dict()
        assert stored["refs"] == {"enrolment_id": enrolment_id}
        assert set(stored) <= {"item_id", "template", "refs", "recipient", "status", "attempts", "due_send",
                               "next_attempt_at", "lease_until", "created_at", "error_code", "enrolment_id",
                               "created_day"}
        assert stored.get("error_code") in (None, "TooManyRequestsException")  # SES's code, never text
        assert stored["enrolment_id"] == enrolment_id  # the anonymisation job finds it by its index (R_ENR_10)
        for value in ("Sem", "Jansen", "+31 70 123 4567", "Beleidsadviseur", "Projectmatig"):
            assert value not in json.dumps(stored), (item.template, value)
    Enrolment(enrolment_id).update(actions=[Enrolment.first_name.set("Semmy")])  # changed before the retry
    clock.freeze(clock.now() + timedelta(minutes=2))
    assert outbox_retry() == {"count": 2, "failed": 0}
    bodies = {m.destinations["ToAddresses"][0]: m.body for m in sent_mail()}
    supplier_body = bodies["inschrijvingen@sup-a.example"]
    assert "Semmy" in supplier_body and "Beleidsadviseur" in supplier_body
    assert "Semmy" in bodies["sem.jansen@minbzk.nl"]


def test_R_ENR_09_views_carry_place_and_a_pending_request_is_free_to_cancel(client):
    fx.organisation(approval=True)
    fx.account()
    world = fx.publish(client)
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        body = fx.post_json(client, "/enrolments", fx.form(world, manager_email="chef@minbzk.nl")).json_body
    assert body["place"] == "Utrecht"
    assert body["cancellation"] == {"free": True, "last_free_day": None, "penalty_cents": 0}
    course = client.http.get(f"/courses/{world.course_id}").json_body
    assert course["executions"][0]["cancellation_free_days"] == 14
    assert course["executions"][0]["last_free_cancellation_day"] < course["executions"][0]["start"]


@pytest.mark.parametrize(("supplier_days", "on_execution", "expected"), [
    (0, True, 0),  # 0 is a term: free through the start day
    (5, True, 5),
    (None, True, 14),  # the supplier states no terms: the system default
    (9, False, 14),  # an execution stored without terms: the default, on the page and on the enrolment alike
])
def test_R_ENR_08_the_course_page_shows_the_cancellation_terms_the_enrolment_applies(
        client, supplier_days, on_execution, expected):
    from datetime import date, timedelta

    fx.organisation()
    fx.account()
    world = fx.publish(client, free_days=supplier_days)
    if not on_execution:
        Execution(world.course_id, "r1").update(actions=[Execution.cancellation_free_days.remove()])
    shown = client.http.get(f"/courses/{world.course_id}").json_body["executions"][0]
    start = date.fromisoformat(shown["start"])
    assert shown["cancellation_free_days"] == expected
    assert shown["last_free_cancellation_day"] == (start - timedelta(days=expected)).isoformat()
    response = _enrol(client, world)
    assert response.status_code == 201, response.body
    assert Enrolment.get(response.json_body["enrolment_id"]).cancellation_free_days == expected
    assert response.json_body["cancellation"]["last_free_day"] == shown["last_free_cancellation_day"]
