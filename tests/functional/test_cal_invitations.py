"""R_CAL_01 invitations and R_CAL_02 supplier changes: every invitation a test sees is parsed back with
icalendar and held to iTIP (tests/functional/calendar_checks.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from chalicelib.access import Access
from chalicelib.models import Enrolment, Execution, MigrationRun, OrderLine, plain
from chalicelib.platform import clock
from chalicelib.platform.config import settings
from chalicelib.privacy import register
from tests.functional import calendar_fixtures as cal
from tests.functional import enrolment_fixtures as fx
from tests.functional.calendar_checks import invitation_of, itip
from tests.functional.helpers import acting_as
from tests.functional.privacy_fixtures import run_job
from tools import migrate

TODAY = date(2027, 2, 1)
START, MOVED = date(2027, 3, 10), date(2027, 3, 17)
AMSTERDAM = clock.AMSTERDAM
CHANGED = "Uw opleiding is gewijzigd"


def _holder_and_eva(client):
    """A run on START with two confirmed enrolments: the holder's and Eva's (acct-2)."""
    cal.at(TODAY)
    world = cal.world(client, cal.run(START))
    first = cal.enrol(client)
    fx.account(account_id="acct-2", email="eva@minbzk.nl")
    second = cal.enrol(client, key="k2", account_id="acct-2", email="eva@minbzk.nl")
    return world, first, second

def _last(address: str, subject: str | None = None):
    found = cal.mails_to(address, subject)
    assert found, f"no mail to {address} ({subject})"
    return found[-1]


def test_R_CAL_01_R_CAL_02_enrol_moved_cancelled_one_uid_sequence_0_1_2_request_request_cancel(client):
    cal.at(TODAY)
    world = cal.world(client, cal.run(START))
    enrolment_id = cal.enrol(client)
    first = invitation_of(_last(cal.HOLDER, "Uw inschrijving bij Leer-Rijk"), "REQUEST")
    assert first.start == datetime(2027, 3, 10, 9, 0, tzinfo=AMSTERDAM)
    assert first.end == datetime(2027, 3, 11, 17, 0, tzinfo=AMSTERDAM)
    assert first.location == "Opleidingslocatie Utrecht, Utrecht" and first.summary == "Projectmatig werken"
    assert first.url == f"{settings.portal_origin}/opleiding/?id={world.course_id}"
    assert first.attendees == [f"mailto:{cal.HOLDER}"]

    cal.at(TODAY, 14)  # the supplier moves the run a week and to another city
    cal.publish(client, world.supplier_token, cal.run(MOVED, city="Amersfoort"))
    assert Execution.get(world.course_id, "r1").due_change == "due"
    assert run_job(client, "notify_run_changes")["changed"] == 1
    notice = _last(cal.HOLDER, CHANGED)
    second = invitation_of(notice, "REQUEST")
    assert second.start == datetime(2027, 3, 17, 9, 0, tzinfo=AMSTERDAM) and "Amersfoort" in second.location
    for old_and_new in ("woensdag 10 maart 2027", "woensdag 17 maart 2027", "Utrecht", "Amersfoort"):
        assert old_and_new in notice.body
    assert Enrolment.get(enrolment_id).start_day == MOVED.isoformat()  # the enrolment follows its run
    assert Execution.get(world.course_id, "r1").due_change is None

    cal.at(TODAY, 15)  # the supplier cancels the run
    cal.publish(client, world.supplier_token, cal.run(MOVED, city="Amersfoort", status="canceled"))
    assert run_job(client, "notify_run_changes")["cancelled"] == 1
    third = invitation_of(_last(cal.HOLDER, "Uw opleiding gaat niet door"), "CANCEL")

    assert [i.method for i in (first, second, third)] == ["REQUEST", "REQUEST", "CANCEL"]
    assert [i.sequence for i in (first, second, third)] == [0, 1, 2]
    assert first.uid == second.uid == third.uid == f"{enrolment_id}@leer-rijk.example"
    assert run_job(client, "notify_run_changes")["count"] == 0  # told once

    cal.at(MOVED + timedelta(days=3))  # after the start: no (penalty) order for a cancelled run
    run_job(client, "build_order_lists")
    assert list(OrderLine.scan()) == []
    assert Enrolment.get(enrolment_id).penalty_cents == 0


def test_R_CAL_01_approval_invites_only_once_approved_and_the_manager_never_gets_an_invitation(client):
    cal.at(TODAY)
    cal.world(client, cal.run(START), approval=True)
    cal.enrol(client, manager_email=cal.MANAGER)
    assert getattr(_last(cal.HOLDER), "calendar", None) is None  # pending: no invitation yet
    request = _last(cal.MANAGER)
    token = request.body.split("/akkoord/?keuze=akkoord#", 1)[1].split('"', 1)[0]
    decided = client.http.post(f"/approvals/{token}", body='{"decision": "approve"}', headers={
        "Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": settings.portal_origin})
    assert decided.status_code == 200
    invited = invitation_of(_last(cal.HOLDER, "Besluit over uw inschrijving"), "REQUEST")
    assert invited.sequence == 0
    assert all(getattr(m, "calendar", None) is None for m in cal.mails_to(cal.MANAGER))


def test_R_CAL_01_cancelling_a_confirmed_enrolment_cancels_the_entry_and_a_pending_one_sends_none(client):
    cal.at(TODAY)
    cal.world(client, cal.run(START))
    enrolment_id = cal.enrol(client)
    uid = invitation_of(_last(cal.HOLDER), "REQUEST").uid
    assert cal.cancel(client, enrolment_id).status_code == 200
    cancelled = invitation_of(_last(cal.HOLDER, "Uw inschrijving is geannuleerd"), "CANCEL")
    assert (cancelled.uid, cancelled.sequence) == (uid, 1)
    assert Enrolment.get(enrolment_id).calendar_sequence == 1


def test_R_CAL_01_pending_request_cancelled_sends_no_calendar_cancel(client):
    cal.at(TODAY)
    cal.world(client, cal.run(START), approval=True)
    enrolment_id = cal.enrol(client, manager_email=cal.MANAGER)
    assert cal.cancel(client, enrolment_id).status_code == 200
    assert all(m.calendar is None for m in cal.mails_to(cal.HOLDER) if hasattr(m, "calendar"))
    assert all(not hasattr(m, "calendar") for m in cal.mails_to(cal.HOLDER))  # no raw mail at all


def test_R_CAL_01_lms_enrolment_invites_the_form_address_and_its_cancellation_cancels(client):
    cal.at(TODAY)
    world = cal.world(client, cal.run(START))
    enrolment_id = cal.lms_enrol(client, world.lms_token)
    invited = invitation_of(_last("piet@prive.example"), "REQUEST")
    assert invited.attendees == ["mailto:piet@prive.example"]
    response = client.http.post(f"/lms/enrolments/{enrolment_id}/cancel", body="{}",
                                headers={"Authorization": f"Bearer {world.lms_token}",
                                         "Content-Type": "application/json"})
    assert response.status_code == 200
    cancelled = invitation_of(_last("piet@prive.example", "Uw inschrijving is geannuleerd"), "CANCEL")
    assert (cancelled.uid, cancelled.sequence) == (invited.uid, 1)


def test_R_CAL_01_a_run_without_times_is_an_all_day_entry(client):
    cal.at(TODAY)
    cal.world(client, cal.run(START, hours=None))
    cal.enrol(client)
    invited = invitation_of(_last(cal.HOLDER), "REQUEST")
    assert (invited.start, invited.end) == (date(2027, 3, 10), date(2027, 3, 12))  # DTEND is exclusive


def test_R_CAL_01_R_PRV_03_the_invitation_holds_no_personal_datum_but_those_the_register_declares_for_it(client):
    cal.at(TODAY)
    cal.world(client, cal.run(START), approval=True)
    enrolment_id = cal.enrol(client, email="sem.prive@example.org", phone="+31 6 1234 5678", initials="S.",
                             job_function="Adviseur", manager_email=cal.MANAGER, salary_scale=None, gender="vrouw")
    token = _last(cal.MANAGER).body.split("/akkoord/?keuze=akkoord#", 1)[1].split('"', 1)[0]
    client.http.post(f"/approvals/{token}", body='{"decision": "approve"}', headers={
        "Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": settings.portal_origin})
    text = invitation_of(_last("sem.prive@example.org"), "REQUEST").text.replace("\r\n ", "")  # unfolded
    declared = next(d for d in register.SENT_DOCUMENTS if d.name == "Agenda-uitnodiging")
    stored = Enrolment.get(enrolment_id)
    for name in register.personal_fields("Enrolment"):
        value = getattr(stored, name)
        if isinstance(value, str) and f"Enrolment.{name}" not in declared.fields:
            assert value not in text, name
    assert declared.fields == ("Enrolment.email",) and "mailto:sem.prive@example.org" in text


def test_R_CAL_01_the_holder_downloads_the_same_invitation_and_nobody_else_can(client):
    cal.at(TODAY)
    world = cal.world(client, cal.run(START))
    enrolment_id = cal.enrol(client)
    mailed = invitation_of(_last(cal.HOLDER), "REQUEST")
    path = f"/me/enrolments/{enrolment_id}/agenda.ics"
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        response = client.http.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in response.headers["Content-Disposition"]
    downloaded = itip(response.body.decode(), "REQUEST")
    assert (downloaded.uid, downloaded.sequence, downloaded.start) == (mailed.uid, mailed.sequence, mailed.start)

    assert client.http.get(path).status_code == 401  # deny by default: a visitor
    fx.account(account_id="acct-other", email="eva@minbzk.nl")
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", subject_id="acct-other"):
        assert client.http.get(path).status_code == 404  # another's enrolment does not exist for them
    lms_id = cal.lms_enrol(client, world.lms_token)
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        assert client.http.get(f"/me/enrolments/{lms_id}/agenda.ics").status_code == 404  # LMS: CFB only (R_ENR_09)
        assert client.http.get("/me/enrolments/e-unknown/agenda.ics").status_code == 404
    assert cal.cancel(client, enrolment_id).status_code == 200
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        refused = client.http.get(path)
    assert refused.status_code == 409 and refused.json_body["error"]["code"] == "not_confirmed"


def test_R_CAL_02_a_waiting_request_tells_holder_and_manager_and_a_change_undone_tells_nobody(client):
    cal.at(TODAY)
    world = cal.world(client, cal.run(START), approval=True)
    enrolment_id = cal.enrol(client, manager_email=cal.MANAGER)
    cal.publish(client, world.supplier_token, cal.run(START, hours=("13:00", "17:00")))
    assert run_job(client, "notify_run_changes")["changed"] == 1
    holder = _last(cal.HOLDER, CHANGED)
    assert getattr(holder, "calendar", None) is None  # not confirmed yet: no invitation
    assert "09:00" in holder.body and "13:00" in holder.body
    manager = _last(cal.MANAGER, "Gewijzigd: de opleiding waarvoor u om akkoord is gevraagd")
    assert "13:00" in manager.body and "/akkoord/?keuze=akkoord#" in manager.body
    assert getattr(manager, "calendar", None) is None
    assert Enrolment.get(enrolment_id).calendar_sequence == 0  # no invitation was sent, none to update

    before = len(cal.mails_to(cal.HOLDER))
    cal.publish(client, world.supplier_token, cal.run(START, hours=("10:00", "17:00")))
    cal.publish(client, world.supplier_token, cal.run(START, hours=("13:00", "17:00")))  # and back again
    assert run_job(client, "notify_run_changes")["changed"] == 0
    assert len(cal.mails_to(cal.HOLDER)) == before
    assert Execution.get(world.course_id, "r1").due_change is None


def test_R_CAL_02_an_enrolment_cancelled_after_the_notice_job_read_it_is_not_told_and_the_run_goes_on(
        client, monkeypatch):
    """The notice's mark is read by its label, not by where PynamoDB sends the update among the mails: an
    enrolment cancelled between the job's read and its write is 'cancelled meanwhile'; the others are told
    in that run and the run's mark goes (before, the refused mark was taken for an error that ended the run)."""
    from chalicelib.calendar import changes

    world, first, _ = _holder_and_eva(client)
    cal.publish(client, world.supplier_token, cal.run(MOVED))
    follow = changes._follow_the_run

    def cancelled_meanwhile(enrolment, execution, seq):
        if enrolment.enrolment_id == first:
            assert cal.cancel(client, first).status_code == 200
        return follow(enrolment, execution, seq)

    monkeypatch.setattr(changes, "_follow_the_run", cancelled_meanwhile)
    told = run_job(client, "notify_run_changes")
    assert "error" not in told and told["changed"] == 1
    assert cal.mails_to(cal.HOLDER, CHANGED) == [] and len(cal.mails_to("eva@minbzk.nl", CHANGED)) == 1
    assert Execution.get(world.course_id, "r1").due_change is None


def test_R_CAL_01_R_CAL_02_an_approval_invites_with_the_run_as_its_holder_last_heard_of_it(client):
    """One SEQUENCE states one version of the run: the invitation comes from the enrolment's own copy
    (`calendar_run`), which the change notice rewrites when it raises SEQUENCE; so an approval given before the
    notice went invites with the times the holder knows, and the notice then updates that entry (SEQUENCE 1),
    old and new. Neither the approval nor the cancellation reads the run to send its invitation."""
    cal.at(TODAY)
    world = cal.world(client, cal.run(START), approval=True)
    enrolment_id = cal.enrol(client, manager_email=cal.MANAGER)
    cal.publish(client, world.supplier_token, cal.run(START, hours=("13:00", "17:00")))  # not told yet
    token = _last(cal.MANAGER).body.split("/akkoord/?keuze=akkoord#", 1)[1].split('"', 1)[0]
    decided = client.http.post(f"/approvals/{token}", body='{"decision": "approve"}', headers={
        "Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": settings.portal_origin})
    assert decided.status_code == 200
    approved = invitation_of(_last(cal.HOLDER, "Besluit over uw inschrijving"), "REQUEST")
    assert (approved.sequence, approved.start) == (0, datetime(2027, 3, 10, 9, 0, tzinfo=AMSTERDAM))

    assert run_job(client, "notify_run_changes")["changed"] == 1
    notice = _last(cal.HOLDER, CHANGED)
    updated = invitation_of(notice, "REQUEST")
    assert (updated.uid, updated.sequence) == (approved.uid, 1)
    assert updated.start == datetime(2027, 3, 10, 13, 0, tzinfo=AMSTERDAM)
    assert "09:00" in notice.body and "13:00" in notice.body
    assert Enrolment.get(enrolment_id).calendar_run["start_time"] == "13:00"


def test_R_CAL_02_a_change_without_anyone_on_the_run_marks_nothing(client):
    cal.at(TODAY)
    world = cal.world(client, cal.run(START))
    cal.publish(client, world.supplier_token, cal.run(MOVED))
    assert Execution.get(world.course_id, "r1").due_change is None


def test_R_CAL_02_a_pending_request_on_a_cancelled_run_tells_its_manager(client):
    cal.at(TODAY)
    world = cal.world(client, cal.run(START), approval=True)
    cal.enrol(client, manager_email=cal.MANAGER)
    cal.publish(client, world.supplier_token, cal.run(START, status="canceled"))
    assert run_job(client, "notify_run_changes")["cancelled"] == 1
    told = _last(cal.MANAGER, "Een inschrijving is geannuleerd")
    assert "De aanbieder heeft de uitvoering geannuleerd" in told.body
    assert getattr(_last(cal.HOLDER, "Uw opleiding gaat niet door"), "calendar", None) is None  # never confirmed


def test_R_CAL_01_R_OPS_04_enrolments_made_before_the_counter_read_it_as_0_and_the_migration_writes_it(client):
    _, first, second = _holder_and_eva(client)
    for enrolment_id in (first, second):  # as the code before the calendar wrote them
        Enrolment(enrolment_id).update(actions=[Enrolment.calendar_sequence.remove()])
    assert cal.cancel(client, first).status_code == 200
    assert invitation_of(_last(cal.HOLDER, "Uw inschrijving is geannuleerd"), "CANCEL").sequence == 1

    assert migrate.main(["run", "--grace-seconds", "0"]) == 0
    assert Enrolment.get(second).calendar_sequence == 0 and Enrolment.get(first).calendar_sequence == 1
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", subject_id="acct-2"):
        response = client.http.get(f"/me/enrolments/{second}/agenda.ics")
    assert itip(response.body.decode(), "REQUEST").sequence == 0


def test_R_CAL_01_R_OPS_04_enrolments_made_before_their_copy_of_the_run_invite_as_told_and_the_migration_writes_it(
        client):
    """Enrolments from before `calendar_run` read the run when they send an invitation; migration 0012 writes
    their copy as their people last heard of the run: a change nobody told them of yet keeps its old values,
    so the notice that follows states old and new, and its invitation the new."""
    world, first, second = _holder_and_eva(client)
    for enrolment_id in (first, second):  # as the code before the copy stored them
        Enrolment(enrolment_id).update(actions=[Enrolment.calendar_run.remove()])
    assert cal.cancel(client, first).status_code == 200
    cancelled = invitation_of(_last(cal.HOLDER, "Uw inschrijving is geannuleerd"), "CANCEL")
    assert cancelled.start == datetime(2027, 3, 10, 9, 0, tzinfo=AMSTERDAM)

    cal.publish(client, world.supplier_token, cal.run(MOVED, city="Amersfoort"))  # not told yet
    assert migrate.main(["run", "--grace-seconds", "0"]) == 0
    assert Enrolment.get(first).calendar_run is None  # cancelled: sends no invitation any more
    copy = Enrolment.get(second).calendar_run
    assert (copy["start_day"], copy["city"], copy["start_time"]) == (START.isoformat(), "Utrecht", "09:00")
    run = MigrationRun.get("0012-enrolment-calendar-run")
    assert (run.state, int(run.migrated), int(run.unreached)) == ("done", 1, 0)
    assert migrate.main(["run", "--grace-seconds", "0"]) == 0  # again: nothing more
    assert plain(Enrolment.get(second).calendar_run) == plain(copy) and Enrolment.get(first).calendar_run is None
    assert run_job(client, "notify_run_changes")["changed"] == 1
    notice = _last("eva@minbzk.nl", CHANGED)
    assert "Utrecht" in notice.body and "Amersfoort" in notice.body
    updated = invitation_of(notice, "REQUEST")
    assert updated.sequence == 1 and updated.start == datetime(2027, 3, 17, 9, 0, tzinfo=AMSTERDAM)
    assert Enrolment.get(second).calendar_run["city"] == "Amersfoort"
