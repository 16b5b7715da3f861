"""The waiting list through the routes and jobs (R_WAIT_01-05): joining a full run with the enrolment's form
and checks, moving up in the transaction that frees a seat (every path), skipping who no longer qualifies,
approval on moving up, the supplier changing the seats, and what every role sees."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from chalicelib.access import Access
from chalicelib.models import Account, Enrolment, EnrolmentGuard, Execution, FeedEntry, WaitingPlace
from chalicelib.platform import clock
from chalicelib.suppliers import apikeys
from devstack.edudex_builder import Run, program
from tests.functional import enrolment_fixtures as fx
from tests.functional import waiting_fixtures as wf
from tests.functional.conftest import sent_mail
from tests.functional.helpers import acting_as, bearer, make_supplier
from tests.functional.privacy_fixtures import run_job

SUPPLIER = "inschrijvingen@sup-a.example"
JOINED = "U staat op de wachtlijst"
MOVED_UP = "Er is een plaats voor u vrijgekomen"


@pytest.fixture
def world(client):
    """Two seats, taken by persons 0 and 1; persons 2-5 have accounts."""
    return wf.filled_run(client, people=6, seats=2)


def test_R_WAIT_01_a_full_run_offers_the_waiting_list_with_the_position_and_takes_no_seat(client, world):
    full = wf.enrol(client, world, 2)
    assert full.status_code == 409 and full.json_body["error"]["code"] == "full"
    first = wf.join(client, world, 2)
    assert first.status_code == 201, first.body
    assert (first.json_body["outcome"], first.json_body["status"], first.json_body["position"]) == (
        "waiting", "waiting", 1)
    second = wf.join(client, world, 3)
    assert second.json_body["position"] == 2
    stored = wf.execution(world)
    assert (int(stored.seats_taken), int(stored.waiting_count), int(stored.waiting_seq)) == (2, 2, 2)
    assert [p.account_id for p in wf.places(world)] == ["acct-2", "acct-3"]  # the table's order is joining order
    # a waiting place reaches no supplier (mail or feed) and no order list: only the two enrolments did
    assert [s for s in wf.subjects_to(SUPPLIER)] == ["Nieuwe inschrijving via Leer-Rijk"] * 2
    assert list(FeedEntry.scan()) == []
    assert len(list(Enrolment.scan())) == 2
    assert wf.subjects_to("p2@minbzk.nl") == [JOINED]
    assert "op plaats 1" in wf.mail_to("p2@minbzk.nl", JOINED).body
    # the course page says the run is full and its list open
    [run] = client.http.get(f"/courses/{world.course_id}").json_body["executions"]
    assert (run["seats_left"], run["open_for_application"], run["waiting_list_open"]) == (0, False, True)
    wf.invariants(world)


def test_R_WAIT_01_the_same_key_answers_the_same_and_another_body_is_refused(client, world):
    first = wf.join(client, world, 2, key="same")
    again = wf.join(client, world, 2, key="same")
    assert again.status_code == 201 and again.json_body == first.json_body
    other = wf.join(client, world, 2, key="same", phone="0612345678")
    assert other.status_code == 422 and other.json_body["error"]["code"] == "idempotency_mismatch"
    assert len(wf.places(world)) == 1 and wf.subjects_to("p2@minbzk.nl") == [JOINED]


@pytest.mark.parametrize(("overrides", "field", "code"), [
    ({"consent": False}, "consent", None),
    ({"phone": "070\n123"}, "phone", None),
    ({"gender": "onbekend"}, "gender", None),
])
def test_R_WAIT_01_the_enrolment_forms_checks_refuse_and_store_nothing(client, world, overrides, field, code):
    response = wf.join(client, world, 2, **overrides)
    assert response.status_code == 400 and field in response.json_body["error"]["fields"]
    assert wf.places(world) == [] and int(wf.execution(world).waiting_count or 0) == 0


def test_R_WAIT_01_salary_scale_and_visibility_are_checked_as_for_an_enrolment(client):
    fx.organisation()
    fx.organisation("org-duo", domains=("duo.nl",), codes=("DUO",))
    for i in range(3):
        wf.person(i)
    fx.account(org_id="org-duo", account_id="acct-duo", email="d@duo.nl")
    world = fx.publish(client, seats=1, scales=[8, 9, 10], open_for=["BZK"])
    assert wf.enrol(client, world, 0).status_code == 201
    scale = wf.join(client, world, 1, salary_scale="6")
    assert scale.status_code == 400 and scale.json_body["error"]["code"] == "requirement_not_met"
    with acting_as(Access.EMPLOYEE, org_id="org-duo", level=1, subject_id="acct-duo"):
        hidden = fx.post_json(client, "/waiting", fx.form(world, email="d@duo.nl"), key="duo")
    assert hidden.status_code == 404
    assert wf.places(world) == []


def test_R_WAIT_01_the_approval_requirement_asks_for_the_manager_when_joining(client):
    fx.organisation(approval=True)
    for i in range(2):
        wf.person(i)
    world = fx.publish(client, seats=1)
    assert wf.enrol(client, world, 0, manager_email="chef@minbzk.nl").status_code == 201
    missing = wf.join(client, world, 1)
    assert missing.status_code == 400 and "manager_email" in missing.json_body["error"]["fields"]
    own = wf.join(client, world, 1, key="own", manager_email="p1@minbzk.nl")
    assert own.status_code == 400 and "niet uw eigen adres" in own.json_body["error"]["fields"]["manager_email"]
    assert wf.join(client, world, 1, key="ok", manager_email="chef@minbzk.nl").status_code == 201


def test_R_WAIT_01_joining_a_run_with_a_free_seat_enrols(client, world):
    wf.cancel(client, wf.enrolment_of(1).enrolment_id, 1)
    response = wf.join(client, world, 2)
    assert response.status_code == 201 and response.json_body["outcome"] == "enrolled"
    assert response.json_body["status"] == "approved" and wf.places(world) == []
    assert int(wf.execution(world).seats_taken) == 2


def test_R_WAIT_01_one_place_or_enrolment_per_person(client, world):
    assert wf.join(client, world, 2).status_code == 201
    twice = wf.join(client, world, 2, key="again")
    assert twice.status_code == 409 and twice.json_body["error"]["code"] == "already_waiting"
    enrolled = wf.join(client, world, 0, key="enrolled")
    assert enrolled.status_code == 409 and enrolled.json_body["error"]["code"] == "already_enrolled"
    assert len(wf.places(world)) == 1


# --- moving up (R_WAIT_02) ---------------------------------------------------------------------------------


def test_R_WAIT_02_a_cancellation_moves_the_first_waiting_person_up_in_the_same_transaction(client, world):
    for i in (2, 3, 4):
        wf.join(client, world, i)
    cancelled = wf.cancel(client, wf.enrolment_of(0).enrolment_id, 0)
    assert cancelled.status_code == 200 and cancelled.json_body["status"] == "cancelled"
    moved = wf.enrolment_of(2)
    assert moved.status == "approved" and moved.email == "p2@minbzk.nl" and moved.first_name == "Persoon2"
    assert moved.consent_at is not None and moved.consent_version
    assert EnrolmentGuard.get(moved.guard_id).enrolment_id == moved.enrolment_id
    assert [p.account_id for p in wf.places(world)] == ["acct-3", "acct-4"]
    assert [p["position"] for p in wf.my_places(client, 4)] == [2]
    assert int(wf.execution(world).seats_taken) == 2
    assert MOVED_UP in wf.subjects_to("p2@minbzk.nl")
    assert wf.subjects_to(SUPPLIER).count("Nieuwe inschrijving via Leer-Rijk") == 3  # the supplier hears of it
    assert "Persoon2" in [m for m in sent_mail() if m.destinations["ToAddresses"] == [SUPPLIER]][-1].body
    mine = wf.my_enrolments(client, 2)
    assert [(e["status"], e["enrolment_id"]) for e in mine] == [("approved", moved.enrolment_id)]
    wf.invariants(world)


def test_R_WAIT_02_moving_up_respects_approval_and_a_rejection_moves_the_next_up(client):
    fx.organisation(approval=True)
    for i in range(4):
        wf.person(i)
    world = fx.publish(client, seats=1)
    assert wf.enrol(client, world, 0, manager_email="chef@minbzk.nl").status_code == 201
    wf.join(client, world, 1, manager_email="baas@minbzk.nl")
    wf.join(client, world, 2, manager_email="baas@minbzk.nl")
    token = fx_token(wf.enrolment_of(0))
    rejected = fx.post_json(client, f"/approvals/{token}", {"decision": "reject"}, key=None)
    assert rejected.status_code == 200 and rejected.json_body["status"] == "rejected"
    moved = wf.enrolment_of(1)
    assert moved.status == "pending_approval" and moved.manager_email == "baas@minbzk.nl"
    request = wf.mail_to("baas@minbzk.nl", "Verzoek om akkoord voor een opleiding")
    assert "Persoon1" in request.body
    assert "Nieuwe inschrijving via Leer-Rijk" not in wf.subjects_to(SUPPLIER)  # only after approval
    assert "akkoord" in wf.mail_to("p1@minbzk.nl", MOVED_UP).body
    # the moved-up request, rejected too: the next one moves up in the same way
    assert fx.post_json(client, f"/approvals/{fx_token(moved)}", {"decision": "reject"},
                        key=None).status_code == 200
    assert wf.enrolment_of(2).status == "pending_approval"
    wf.invariants(world)


def fx_token(enrolment: Enrolment) -> str:
    from chalicelib.enrolment import use_cases

    return use_cases.approval_token(Enrolment.get(enrolment.enrolment_id))


def test_R_WAIT_02_R_WAIT_03_an_approval_that_expired_offers_the_seat_and_accepting_asks_the_manager(
        client, frozen_clock):
    """A request expires a few days before the start, after the free-cancellation deadline: the seat is
    offered (R_WAIT_03), and taking it asks the manager again (moving up never skips approval)."""
    fx.organisation(approval=True)
    for i in range(2):
        wf.person(i)
    world = fx.publish(client, seats=1, start_in_days=30)
    assert wf.enrol(client, world, 0, manager_email="chef@minbzk.nl").status_code == 201
    wf.join(client, world, 1, manager_email="baas@minbzk.nl")
    expires = date.fromisoformat(wf.enrolment_of(0).approval_expires_day)
    frozen_clock.freeze(clock.now() + timedelta(days=(expires - clock.today()).days + 1))
    assert run_job(client, "expire_approvals")["count"] == 1
    [place] = wf.places(world)
    assert place.status == "offered" and int(wf.execution(world).seats_taken) == 1  # the offer holds the seat
    token = wf.offer_token("p1@minbzk.nl")
    accepted = fx.post_json(client, f"/offers/{token}", {"decision": "accept"}, key=None)
    assert accepted.status_code == 200, accepted.body
    moved = wf.enrolment_of(1)
    assert moved.status == "pending_approval" and moved.approval_expires_day >= clock.today().isoformat()
    assert "Persoon1" in wf.mail_to("baas@minbzk.nl", "Verzoek om akkoord voor een opleiding").body
    wf.invariants(world)


def test_R_WAIT_02_lms_and_cfb_cancellations_move_up_too(client, world):
    lms = apikeys.create_key("lms", wf.ORG).token
    assert wf.lms_post(client, "/lms/waiting", lms, wf.lms_body(world, 1), key="l1").json_body["position"] == 1
    wf.join(client, world, 2)
    with acting_as(Access.CFB, org_id=None):
        by_cfb = client.http.post(f"/admin/enrolments/{wf.enrolment_of(0).enrolment_id}/cancel", body="{}",
                                  headers={"Content-Type": "application/json"})
    assert by_cfb.status_code == 200, by_cfb.body
    [lms_enrolment] = [e for e in Enrolment.scan() if e.source == "lms"]
    assert lms_enrolment.status == "approved" and lms_enrolment.email == "lms1@minbzk.nl"
    assert lms_enrolment.consent_version == "2026-11"  # what the LMS asserted when it joined
    cancelled = wf.lms_post(client, f"/lms/enrolments/{lms_enrolment.enrolment_id}/cancel", lms, {}, key=None)
    assert cancelled.status_code == 200
    assert wf.enrolment_of(2).status == "approved"
    wf.invariants(world)


@pytest.mark.parametrize("change", ["salary_scale", "visibility", "account", "approval"])
def test_R_WAIT_02_who_no_longer_qualifies_is_skipped_told_why_and_removed(client, world, change):
    wf.join(client, world, 2, salary_scale="10")
    wf.join(client, world, 3, salary_scale="10")
    if change == "salary_scale":
        Execution(world.course_id, "r1").update(actions=[Execution.salary_scales.set(["11", "12"])])
    elif change == "visibility":
        Execution(world.course_id, "r1").update(actions=[Execution.open_for.set({"DUO"})])
    elif change == "account":
        Account.get("acct-2").delete()  # gone without its places (a race with the deletion's own cleanup)
    else:
        from chalicelib.accounts import organisations
        from chalicelib.models import Organisation

        Organisation("org-bzk").update(actions=[Organisation.approval_required.set(True)])
        organisations.forget_cache()
    assert wf.cancel(client, wf.enrolment_of(0).enrolment_id, 0).status_code == 200
    skipped = wf.mail_to("p2@minbzk.nl", "U staat niet meer op de wachtlijst")
    reason = {"salary_scale": "salarisschalen", "visibility": "niet meer beschikbaar voor uw organisatie",
              "account": "account bestaat niet meer", "approval": "akkoord van een leidinggevende"}[change]
    assert reason in skipped.body and "Persoon2" not in skipped.body
    if change in ("salary_scale", "visibility", "approval"):  # these hold for person 3 too
        assert wf.places(world) == [] and int(wf.execution(world).seats_taken) == 1
    else:
        assert wf.enrolment_of(3).status == "approved"  # the next who qualifies moved up
        assert wf.places(world) == []
    assert all(p.account_id != "acct-2" for p in WaitingPlace.scan())
    wf.invariants(world)


def test_R_WAIT_02_the_supplier_raising_seats_moves_people_up_in_order_and_lowering_moves_nobody(client, world):
    for i in (2, 3, 4):
        wf.join(client, world, i)
    token = make_supplier("sup-a")

    def seats(n: int) -> None:
        start = clock.today() + timedelta(days=60)
        doc = program("sup-a", "P-1", "Projectmatig werken", "Kort", "Lang", runs=[
            Run("r1", start, start + timedelta(days=1), "Utrecht", seats=n, price_eur="495.00")])
        response = client.http.put("/supplier/programs/P-1", headers=bearer(token), body=json.dumps(doc))
        assert response.status_code == 200, response.body

    seats(4)
    assert [wf.enrolment_of(i).status for i in (2, 3)] == ["approved", "approved"]
    assert [p.account_id for p in wf.places(world)] == ["acct-4"]
    assert int(wf.execution(world).seats) == 4
    wf.invariants(world)
    seats(2)  # fewer seats than taken: nobody is moved into a seat that no longer exists
    assert wf.cancel(client, wf.enrolment_of(0).enrolment_id, 0).status_code == 200
    assert [p.account_id for p in wf.places(world)] == ["acct-4"] and int(wf.execution(world).seats_taken) == 3
    assert wf.cancel(client, wf.enrolment_of(1).enrolment_id, 1).status_code == 200
    assert int(wf.execution(world).seats_taken) == 2 and [p.account_id for p in wf.places(world)] == ["acct-4"]
    assert wf.cancel(client, wf.enrolment_of(2).enrolment_id, 2).status_code == 200
    assert wf.enrolment_of(4).status == "approved" and wf.places(world) == []  # now a seat is free again
    wf.invariants(world)
