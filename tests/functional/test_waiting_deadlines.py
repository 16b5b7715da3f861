"""The waiting list's deadlines through the routes and jobs (R_WAIT_03, R_WAIT_05): moving up is automatic until
the free-cancellation deadline; then the seat is offered for 24 hours by a signed link (opening it decides
nothing) or in the account, and passes on when not taken; after the application deadline or the start nobody
moves up, the list is told and deleted, and the self-check watches it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from chalicelib.access import Access
from chalicelib.models import Enrolment, Execution, WaitingPlace
from chalicelib.platform import clock
from tests.functional import enrolment_fixtures as fx
from tests.functional import waiting_fixtures as wf
from tests.functional.helpers import acting_as, bearer, make_supplier
from tests.functional.privacy_fixtures import run_job

OFFER = "Er is een plaats voor u: reageer binnen 24 uur"
START_IN = 20  # free cancellation through day 6 (14 free days); no application deadline: the list closes at the start


@pytest.fixture(autouse=True)
def _noon(frozen_clock):
    """Noon in Amsterdam on the day the runs are published from (fx.publish counts from date.today()), so
    the days below are the same in every time zone at every hour of a test run."""
    frozen_clock.freeze(datetime.combine(date.today(), time(12), tzinfo=clock.AMSTERDAM))


@pytest.fixture
def late(client, frozen_clock):
    """One seat, taken by person 0; persons 1-3 wait; the clock is on day 8, after the free-cancellation day."""
    world = wf.filled_run(client, people=5, seats=1, start_in_days=START_IN)
    for i in (1, 2, 3):
        assert wf.join(client, world, i).status_code == 201
    frozen_clock.freeze(clock.now() + timedelta(days=8))
    return world


def test_R_WAIT_03_after_the_free_cancellation_day_the_seat_is_offered_and_opening_the_link_decides_nothing(
        client, late):
    cancelled = wf.cancel(client, wf.enrolment_of(0).enrolment_id, 0)
    assert cancelled.status_code == 200 and cancelled.json_body["penalty_cents"] == 49500  # a late cancellation
    offered, *rest = wf.places(late)
    assert offered.account_id == "acct-1" and offered.status == "offered" and [p.status for p in rest] == [
        "waiting", "waiting"]
    assert int(wf.execution(late).seats_taken) == 1  # the offer holds the seat: nobody else can take it
    assert wf.enrol(client, late, 4).json_body["error"]["code"] == "full"
    mail = wf.mail_to("p1@minbzk.nl", OFFER)
    assert "€ 495,00" in mail.body and "kosteloos te annuleren is voorbij" in mail.body
    token = wf.offer_token("p1@minbzk.nl")
    for _ in range(2):  # mail scanners open links: GET never decides
        shown = client.http.get(f"/offers/{token}")
        assert shown.status_code == 200, shown.body
    assert shown.json_body["late_terms"]["penalty_cents"] == 49500 and shown.json_body["status"] == "offered"
    assert wf.places(late)[0].status == "offered" and len(wf.active(late)) == 0
    assert wf.my_places(client, 1)[0]["status"] == "offered" and wf.my_places(client, 2)[0]["position"] == 1
    wf.invariants(late)


def test_R_WAIT_03_accepting_by_link_enrols_under_the_late_terms_once(client, late):
    wf.cancel(client, wf.enrolment_of(0).enrolment_id, 0)
    token = wf.offer_token("p1@minbzk.nl")
    cross_site = client.http.post(f"/offers/{token}", body='{"decision": "accept"}',
                                  headers={"Content-Type": "application/json"})
    assert cross_site.status_code == 403  # decided on the portal's page only
    accepted = fx.post_json(client, f"/offers/{token}", {"decision": "accept"}, key=None)
    assert accepted.status_code == 200, accepted.body
    assert accepted.json_body["outcome"] == "enrolled" and accepted.json_body["status"] == "approved"
    assert accepted.json_body["cancellation"] == {"free": False, "last_free_day": accepted.json_body[
        "cancellation"]["last_free_day"], "penalty_cents": 49500}
    assert "Er is een plaats voor u vrijgekomen" in wf.subjects_to("p1@minbzk.nl")
    assert "Nieuwe inschrijving via Leer-Rijk" in wf.subjects_to("inschrijvingen@sup-a.example")
    again = fx.post_json(client, f"/offers/{token}", {"decision": "decline"}, key=None)
    assert again.status_code == 410 and again.json_body["error"]["code"] == "offer_gone"
    assert client.http.get(f"/offers/{token}").status_code == 410
    assert [p.account_id for p in wf.places(late)] == ["acct-2", "acct-3"]
    wf.invariants(late)


def test_R_WAIT_03_declining_passes_the_seat_on_and_a_tampered_link_is_refused(client, late):
    wf.cancel(client, wf.enrolment_of(0).enrolment_id, 0)
    token = wf.offer_token("p1@minbzk.nl")
    assert client.http.get(f"/offers/{token[:-2]}xx").status_code == 403
    declined = fx.post_json(client, f"/offers/{token}", {"decision": "decline"}, key=None)
    assert declined.status_code == 200 and declined.json_body["outcome"] == "declined"
    offered, waiting = wf.places(late)
    assert (offered.account_id, offered.status, waiting.account_id) == ("acct-2", "offered", "acct-3")
    assert OFFER in wf.subjects_to("p2@minbzk.nl")
    wf.invariants(late)


def test_R_WAIT_03_an_offer_not_taken_passes_on_by_the_job_and_the_logged_in_holder_can_accept(client, late,
                                                                                              frozen_clock):
    wf.cancel(client, wf.enrolment_of(0).enrolment_id, 0)
    frozen_clock.freeze(clock.now() + timedelta(hours=23))
    assert run_job(client, "pass_on_offers")["count"] == 0  # still inside its 24 hours
    frozen_clock.freeze(clock.now() + timedelta(hours=1, minutes=5))
    assert run_job(client, "pass_on_offers")["count"] == 1
    expired = wf.mail_to("p1@minbzk.nl", "Het aanbod voor een plaats is verlopen")
    assert "Persoon1" not in expired.body  # rendered from the course alone: the place is gone
    assert client.http.get(f"/offers/{wf.offer_token('p1@minbzk.nl')}").status_code == 410
    [offered] = [p for p in wf.my_places(client, 2)]
    assert offered["status"] == "offered" and offered["offer_expires_at"]
    with wf.as_person(3):
        not_theirs = fx.post_json(client, f"/waiting/{offered['place_id']}/offer", {"decision": "accept"}, key=None)
    assert not_theirs.status_code == 404
    with wf.as_person(2):
        accepted = fx.post_json(client, f"/waiting/{offered['place_id']}/offer", {"decision": "accept"}, key=None)
    assert accepted.status_code == 200 and accepted.json_body["status"] == "approved"
    assert wf.enrolment_of(2).status == "approved" and [p.account_id for p in wf.places(late)] == ["acct-3"]
    wf.invariants(late)


def test_R_WAIT_03_an_offer_never_outlasts_the_list_and_leaving_with_an_offer_passes_it_on(client, late,
                                                                                          frozen_clock):
    frozen_clock.freeze(datetime.combine(date.today() + timedelta(days=START_IN - 1), time(20, 0),
                                         tzinfo=clock.AMSTERDAM))  # the evening before the start
    wf.cancel(client, wf.enrolment_of(0).enrolment_id, 0)
    offered = wf.places(late)[0]
    assert offered.offer_expires_at == datetime.combine(date.today() + timedelta(days=START_IN), time(0),
                                                        tzinfo=clock.AMSTERDAM)
    left = wf.leave(client, offered.place_id, 1)
    assert left.status_code == 200 and left.json_body["status"] == "left"
    assert [(p.account_id, p.status) for p in wf.places(late)] == [("acct-2", "offered"), ("acct-3", "waiting")]
    wf.invariants(late)


def test_R_WAIT_03_until_the_free_cancellation_day_moving_up_is_automatic(client, frozen_clock):
    world = wf.filled_run(client, people=3, seats=1, start_in_days=START_IN)
    wf.join(client, world, 1)
    frozen_clock.freeze(datetime.combine(date.today() + timedelta(days=START_IN - 14), time(23, 0),
                                         tzinfo=clock.AMSTERDAM))  # the last free day, late in the evening
    assert wf.cancel(client, wf.enrolment_of(0).enrolment_id, 0).json_body["penalty_cents"] == 0
    assert wf.enrolment_of(1).status == "approved" and wf.places(world) == []


def test_R_WAIT_03_R_WAIT_05_after_the_application_deadline_nobody_moves_up_and_the_list_is_told_and_deleted(
        client, frozen_clock):
    world = wf.filled_run(client, people=4, seats=1, start_in_days=60, deadline_in_days=10)
    wf.join(client, world, 1)
    wf.join(client, world, 2)
    frozen_clock.freeze(clock.now() + timedelta(days=11))  # the day after the application deadline
    assert wf.cancel(client, wf.enrolment_of(0).enrolment_id, 0).status_code == 200
    assert len(wf.active(world)) == 0 and [p.status for p in wf.places(world)] == ["waiting", "waiting"]
    with acting_as(Access.CFB, org_id=None):
        before = client.http.get("/admin/retention").json_body
    [rule] = [r for r in before["rules"] if r["rule"] == "waiting"]
    assert rule["holds"] is True  # closing today: the hourly job has until the end of the day
    frozen_clock.freeze(clock.now() + timedelta(days=1))
    with acting_as(Access.CFB, org_id=None):
        missed = client.http.get("/admin/retention").json_body
    [rule] = [r for r in missed["rules"] if r["rule"] == "waiting"]
    assert rule["holds"] is False and rule["breach"] == f"{world.course_id}#r1"  # the job did not run: a breach
    assert run_job(client, "close_waiting_lists")["count"] == 2
    for i in (1, 2):
        closed = wf.mail_to(f"p{i}@minbzk.nl", "De wachtlijst is gesloten")
        assert "is gesloten" in closed.body and f"Persoon{i}" not in closed.body
    assert wf.places(world) == [] and list(WaitingPlace.scan()) == []
    stored = wf.execution(world)
    assert stored.waiting_list is None and stored.waiting_supplier is None and int(stored.waiting_count) == 0
    with acting_as(Access.CFB, org_id=None):
        after = client.http.get("/admin/retention").json_body
    assert [r["holds"] for r in after["rules"] if r["rule"] == "waiting"] == [True]
    assert run_job(client, "close_waiting_lists")["count"] == 0  # twice adds nothing


def test_R_WAIT_05_a_run_its_supplier_cancels_closes_its_list_within_the_hour(client):
    world = wf.filled_run(client, people=3, seats=1)
    wf.join(client, world, 1)
    token = make_supplier("sup-a")
    assert client.http.delete("/supplier/programs/P-1", headers=bearer(token)).status_code == 200
    assert run_job(client, "close_waiting_lists")["count"] == 1
    assert "gaat niet door" in wf.mail_to("p1@minbzk.nl", "De wachtlijst is gesloten").body
    assert list(WaitingPlace.scan()) == [] and Execution.get(world.course_id, "r1").status == "cancelled"
    run_job(client, "notify_run_changes")
    assert _cancelled(0).cancelled_by == "supplier"


def _cancelled(i: int) -> Enrolment:
    [found] = [e for e in Enrolment.scan() if e.account_id == f"acct-{i}"]
    return found


def test_R_WAIT_05_places_go_at_the_start_too(client, frozen_clock):
    world = wf.filled_run(client, people=2, seats=1, start_in_days=5)
    wf.join(client, world, 1)
    frozen_clock.freeze(clock.now() + timedelta(days=5))
    assert run_job(client, "close_waiting_lists")["count"] == 1
    assert list(WaitingPlace.scan()) == []
