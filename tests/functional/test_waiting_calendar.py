"""The waiting list and the calendar together, through the routes and jobs: a moved-up enrolment gets its
invitation and what the reminders need (R_CAL_01, R_CAL_03, R_CAL_04, R_WAIT_02, R_WAIT_03); waiting people
hear a supplier's change, and a run its supplier cancels or drops tells its waiting list and deletes it
within the notice job's run (R_CAL_02, R_WAIT_05). Every invitation is parsed back with icalendar and held to
iTIP (tests/functional/calendar_checks.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.access import Access
from chalicelib.models import Enrolment, EnrolmentGuard, Execution, WaitingPlace
from chalicelib.platform import clock
from chalicelib.platform.config import settings
from devstack.edudex_builder import Run
from tests.functional import calendar_fixtures as cal
from tests.functional import enrolment_fixtures as fx
from tests.functional.calendar_checks import invitation_of
from tests.functional.helpers import acting_as
from tests.functional.privacy_fixtures import run_job

TODAY = date(2027, 2, 1)  # a Monday; the run's last free-cancellation day is 24 February: moving up is automatic
START, MOVED = date(2027, 3, 10), date(2027, 3, 17)
WAITER, WAITER_ID = "eva.de.vries@minbzk.nl", "acct-eva"
MOVED_UP = "Er is een plaats voor u vrijgekomen"
WAITING_CHANGED = "Gewijzigd: de opleiding waarvoor u op de wachtlijst staat"
CLOSED = "De wachtlijst is gesloten"


def _full_run_with_one_waiting(client: Any, approval: bool = False) -> tuple[cal.CalendarWorld, str, str]:
    """One seat, taken by the holder; Eva waits. Returns the world, the holder's enrolment and Eva's place."""
    cal.at(TODAY)
    world = cal.world(client, cal.run(START, seats=1), approval=approval)
    manager = {"manager_email": cal.MANAGER} if approval else {}
    holder = cal.enrol(client, **manager)
    fx.account(account_id=WAITER_ID, email=WAITER)
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", subject_id=WAITER_ID):
        joined = fx.post_json(client, "/waiting", fx.form(cal.TARGET, email=WAITER, first_name="Eva", **manager),
                              key="join-eva")
    assert joined.status_code == 201 and joined.json_body["outcome"] == "waiting", joined.body
    return world, holder, str(joined.json_body["place_id"])


def _eva() -> Enrolment:
    [moved] = [e for e in Enrolment.scan() if e.account_id == WAITER_ID]
    return moved


def test_R_CAL_01_R_WAIT_03_a_moved_up_enrolment_gets_its_invitation_and_its_reminders(client):
    """The holder cancels: Eva moves up in that transaction, and the mail that says so carries the METHOD:REQUEST
    invitation of her own enrolment (its UID, SEQUENCE 0, the run's times and place); the holder's cancellation
    carries the CANCEL of theirs. Her enrolment counts as confirmed on the day she moved up, so the 7-day
    reminder reaches her (R_CAL_03)."""
    _, holder, _ = _full_run_with_one_waiting(client)
    holder_uid = invitation_of(cal.mails_to(cal.HOLDER)[-1], "REQUEST").uid
    assert cal.cancel(client, holder).status_code == 200

    moved = _eva()
    assert moved.status == "approved"
    invited = invitation_of(cal.mails_to(WAITER, MOVED_UP)[-1], "REQUEST")
    assert (invited.uid, invited.sequence) == (f"{moved.enrolment_id}@leer-rijk.example", 0)
    assert invited.start == datetime(2027, 3, 10, 9, 0, tzinfo=clock.AMSTERDAM)
    assert invited.location == "Opleidingslocatie Utrecht, Utrecht" and invited.attendees == [f"mailto:{WAITER}"]
    assert "uitnodiging voor uw agenda" in cal.mails_to(WAITER, MOVED_UP)[-1].body
    cancelled = invitation_of(cal.mails_to(cal.HOLDER, "Uw inschrijving is geannuleerd")[-1], "CANCEL")
    assert (cancelled.uid, cancelled.sequence) == (holder_uid, 1)

    cal.at(START - timedelta(days=7), 8)
    assert run_job(client, "send_reminders")["count"] == 1
    [reminder] = cal.mails_to(WAITER, "Over een week begint uw opleiding")
    assert "Projectmatig werken" in reminder.body
    assert cal.mails_to(cal.HOLDER, "Over een week begint uw opleiding") == []  # cancelled: nothing


def test_R_CAL_04_R_WAIT_02_a_moved_up_request_is_reminded_to_its_manager_and_invites_once_approved(client):
    """Where the organisation asks for approval, Eva holds the freed seat as pending approval: her mail carries
    no invitation yet, the manager is asked, and reminded on the 3rd working day after the move (R_CAL_04);
    the approval then sends her the REQUEST."""
    _, holder, _ = _full_run_with_one_waiting(client, approval=True)
    assert cal.cancel(client, holder).status_code == 200
    moved = _eva()
    assert moved.status == "pending_approval" and moved.approval_asked_day == TODAY.isoformat()
    assert getattr(cal.mails_to(WAITER, MOVED_UP)[-1], "calendar", None) is None
    requests = cal.mails_to(cal.MANAGER, "Verzoek om akkoord voor een opleiding")
    assert "Eva" in requests[-1].body

    cal.at(TODAY + timedelta(days=2), 9)  # Wednesday: the 2nd working day
    assert run_job(client, "remind_approvals")["count"] == 0
    cal.at(TODAY + timedelta(days=3), 9)  # Thursday: the 3rd
    assert run_job(client, "remind_approvals")["count"] == 1
    assert len(cal.mails_to(cal.MANAGER, "Herinnering: verzoek om akkoord voor een opleiding")) == 1

    token = requests[-1].body.split("/akkoord/?keuze=akkoord#", 1)[1].split('"', 1)[0]
    decided = client.http.post(f"/approvals/{token}", body='{"decision": "approve"}', headers={
        "Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": settings.portal_origin})
    assert decided.status_code == 200
    invited = invitation_of(cal.mails_to(WAITER, "Besluit over uw inschrijving")[-1], "REQUEST")
    assert (invited.uid, invited.sequence) == (f"{moved.enrolment_id}@leer-rijk.example", 0)


def test_R_CAL_02_R_WAIT_04_every_waiting_person_hears_a_suppliers_change_once(client):
    """The supplier moves the full run a week and to another city: the notice job tells the holder (with the
    updated invitation) and Eva on the waiting list, old and new, without an invitation (she holds no seat);
    her place follows the run's start; a second run tells nobody again."""
    world, _, place_id = _full_run_with_one_waiting(client)
    cal.at(TODAY, 14)
    cal.publish(client, world.supplier_token, cal.run(MOVED, city="Amersfoort", seats=1))
    told = run_job(client, "notify_run_changes")
    assert (told["changed"], told["waiting"]) == (1, 1)

    [notice] = cal.mails_to(WAITER, WAITING_CHANGED)
    assert getattr(notice, "calendar", None) is None
    for old_and_new in ("woensdag 10 maart 2027", "woensdag 17 maart 2027", "Utrecht", "Amersfoort"):
        assert old_and_new in notice.body
    assert "wachtlijst" in notice.body
    assert invitation_of(cal.mails_to(cal.HOLDER, "Uw opleiding is gewijzigd")[-1], "REQUEST").sequence == 1
    [place] = WaitingPlace.scan()
    assert (place.place_id, place.start_day, place.status) == (place_id, MOVED.isoformat(), "waiting")
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", subject_id=WAITER_ID):
        mine = client.http.get("/me/waiting").json_body["items"]
    assert [(p["place_id"], p["start"], p["position"]) for p in mine] == [(place_id, MOVED.isoformat(), 1)]

    assert run_job(client, "notify_run_changes")["count"] == 0
    assert len(cal.mails_to(WAITER, WAITING_CHANGED)) == 1
    assert Execution.get(world.course_id, "r1").due_change is None


def _assert_list_told_and_deleted(client: Any, world: cal.CalendarWorld, holder: str, place_id: str) -> None:
    told = run_job(client, "notify_run_changes")  # every 10 minutes, not the hourly close of the lists
    assert (told["cancelled"], told["waiting"]) == (1, 1)
    [closed] = cal.mails_to(WAITER, CLOSED)
    assert "gaat niet door" in closed.body
    assert list(WaitingPlace.scan()) == []
    assert [g for g in EnrolmentGuard.scan() if g.place_id == place_id] == []
    execution = Execution.get(world.course_id, "r1")
    assert (int(execution.waiting_count), execution.waiting_list, execution.due_notify) == (0, None, None)
    cancelled = invitation_of(cal.mails_to(cal.HOLDER, "Uw opleiding gaat niet door")[-1], "CANCEL")
    assert cancelled.uid == f"{holder}@leer-rijk.example"
    assert _eva_has_no_enrolment()
    assert run_job(client, "close_waiting_lists")["count"] == 0  # nobody is told twice
    assert run_job(client, "notify_run_changes")["count"] == 0
    assert len(cal.mails_to(WAITER, CLOSED)) == 1


def _eva_has_no_enrolment() -> bool:
    return [e for e in Enrolment.scan() if e.account_id == WAITER_ID] == []


def test_R_CAL_02_R_WAIT_05_a_run_its_supplier_cancels_tells_its_waiting_list_and_deletes_it(client):
    """Nobody moves up into a cancelled run: the freed seat frees, and the waiting list is told and deleted by
    the notice job that cancels the enrolments."""
    world, holder, place_id = _full_run_with_one_waiting(client)
    cal.at(TODAY, 14)
    cal.publish(client, world.supplier_token, cal.run(START, seats=1, status="canceled"))
    _assert_list_told_and_deleted(client, world, holder, place_id)


def test_R_CAL_02_R_WAIT_05_a_run_its_supplier_drops_tells_its_waiting_list_and_deletes_it(client):
    world, holder, place_id = _full_run_with_one_waiting(client)
    cal.at(TODAY, 14)
    cal.publish(client, world.supplier_token, Run("r2", START, START, "Utrecht", seats=5))  # r1 is gone
    _assert_list_told_and_deleted(client, world, holder, place_id)


def test_R_CAL_03_R_WAIT_01_reminders_go_to_confirmed_enrolments_never_to_a_waiting_place(client):
    """A waiting place holds no seat: a week before the start the holder is reminded, Eva on the list is not,
    and her place stays as it was (no reminder mark, no mail)."""
    _full_run_with_one_waiting(client)
    cal.at(START - timedelta(days=7), 8)
    assert run_job(client, "send_reminders")["count"] == 1
    assert len(cal.mails_to(cal.HOLDER, "Over een week begint uw opleiding")) == 1
    assert cal.mails_to(WAITER, "Over een week begint uw opleiding") == []
    [place] = WaitingPlace.scan()
    assert place.status == "waiting"


def test_R_CAL_02_R_WAIT_02_a_change_notice_racing_a_move_up_tells_eva_once_as_enrolled(client, monkeypatch):
    """The notice job reads Eva's waiting place; before it marks her told, the holder cancels and Eva moves up
    (her place is deleted, her enrolment made from the run as it is now). The job's conditional mark is refused:
    it neither brings her place back nor sends her the waiting list's notice; her moved-up mail states the new
    day and carries the invitation for it; the job ends without error and clears the run's mark."""
    from chalicelib.calendar import changes

    world, holder, _ = _full_run_with_one_waiting(client)
    cal.at(TODAY, 14)
    cal.publish(client, world.supplier_token, cal.run(MOVED, seats=1))
    tell_waiting = changes._tell_waiting

    def moved_up_meanwhile(place: WaitingPlace, execution: Execution, before: dict[str, Any]) -> str:
        assert cal.cancel(client, holder).status_code == 200
        return tell_waiting(place, execution, before)

    monkeypatch.setattr(changes, "_tell_waiting", moved_up_meanwhile)
    told = run_job(client, "notify_run_changes")
    assert "error" not in told and (told["changed"], told["waiting"]) == (1, 0)
    assert list(WaitingPlace.scan()) == []  # not brought back by the refused mark
    assert cal.mails_to(WAITER, WAITING_CHANGED) == []
    moved = _eva()
    assert moved.status == "approved" and moved.start_day == MOVED.isoformat()
    [mail] = cal.mails_to(WAITER, MOVED_UP)
    assert "17 maart 2027" in mail.body and "10 maart 2027" not in mail.body
    invited = invitation_of(mail, "REQUEST")
    assert (invited.sequence, invited.start) == (0, datetime(2027, 3, 17, 9, 0, tzinfo=clock.AMSTERDAM))
    assert Execution.get(world.course_id, "r1").due_change is None

    monkeypatch.undo()
    assert run_job(client, "notify_run_changes")["count"] == 0  # nobody is told twice
    assert len(cal.mails_to(WAITER, MOVED_UP)) == 1 and cal.mails_to(WAITER, "Uw opleiding is gewijzigd") == []


def test_R_CAL_02_R_WAIT_03_a_person_offered_a_seat_hears_a_change_and_keeps_the_offer(client):
    """After the free-cancellation day a freed seat is offered, not given (R_WAIT_03). A supplier's change then
    reaches Eva as someone with a seat waiting for her: old and new, no invitation (the seat is not hers yet),
    and her offer stands as it was."""
    world, holder, place_id = _full_run_with_one_waiting(client)
    cal.at(date(2027, 3, 1), 9)  # past 24 February: a freed seat is offered
    assert cal.cancel(client, holder).status_code == 200
    [offered] = WaitingPlace.scan()
    assert (offered.place_id, offered.status) == (place_id, "offered")
    cal.publish(client, world.supplier_token, cal.run(START, city="Amersfoort", seats=1))
    assert run_job(client, "notify_run_changes")["waiting"] == 1
    [notice] = cal.mails_to(WAITER, WAITING_CHANGED)
    assert getattr(notice, "calendar", None) is None
    assert "er staat een plaats voor u klaar" in notice.body and "Amersfoort" in notice.body
    [kept] = WaitingPlace.scan()
    assert (kept.status, kept.offer_expires_at, int(kept.change_seen)) == (
        "offered", offered.offer_expires_at, int(Execution.get(world.course_id, "r1").change_seq))
