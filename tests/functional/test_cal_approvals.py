"""R_CAL_04 approvals that wait, with the clock moved day by day: one reminder to the manager on the 3rd
working day (a weekend and a Dutch public holiday do not count), none once decided; on the decide-by
day the request still stands, the day after it expires, the seat frees and employee and manager are told."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.models import Disclosure, Enrolment, Execution
from chalicelib.platform.config import settings
from tests.functional import calendar_fixtures as cal
from tests.functional.privacy_fixtures import run_job
from tools import migrate

ASKED = date(2027, 4, 23)  # a Friday; Tuesday 27 April 2027 is King's Day
START = date(2027, 6, 1)
REMINDER = "Herinnering: verzoek om akkoord voor een opleiding"


def _request(client, seats: int = 5) -> str:
    cal.at(ASKED)
    cal.world(client, cal.run(START, seats=seats), approval=True)
    return cal.enrol(client, manager_email=cal.MANAGER)


def _token(mail) -> str:
    return mail.body.split("/akkoord/?keuze=akkoord#", 1)[1].split('"', 1)[0]


def test_R_CAL_04_one_reminder_on_the_3rd_working_day_past_a_weekend_and_a_public_holiday(client):
    enrolment_id = _request(client)
    reminded_at = []
    for offset in range(10):
        day = ASKED + timedelta(days=offset)
        for hour in (6, 8, 15):
            cal.at(day, hour)
            before = len(cal.mails_to(cal.MANAGER, REMINDER))
            assert "error" not in run_job(client, "remind_approvals")
            if len(cal.mails_to(cal.MANAGER, REMINDER)) > before:
                reminded_at.append((day, hour))
    # Monday 26 (1), King's Day 27 skipped, Wednesday 28 (2), Thursday 29 (3): from 07:00, once
    assert reminded_at == [(date(2027, 4, 29), 8)]
    reminder = cal.mails_to(cal.MANAGER, REMINDER)[0]
    assert "Herinnering" in reminder.body and "Sem Jansen" in reminder.body
    assert "/akkoord/?keuze=akkoord#" in reminder.body
    assert getattr(reminder, "calendar", None) is None
    stored = Enrolment.get(enrolment_id)
    assert stored.approval_reminded_at is not None and stored.approval_asked_day is None
    assert [row.recipient_kind for row in Disclosure.query(enrolment_id)] == ["manager"]  # one row per version


def test_R_CAL_04_a_request_decided_in_time_gets_no_reminder(client):
    _request(client)
    token = _token(cal.mails_to(cal.MANAGER)[0])
    cal.at(ASKED + timedelta(days=3))
    decided = client.http.post(f"/approvals/{token}", body='{"decision": "reject"}', headers={
        "Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": settings.portal_origin})
    assert decided.status_code == 200
    cal.at(date(2027, 4, 30), 9)
    assert run_job(client, "remind_approvals")["count"] == 0
    assert cal.mails_to(cal.MANAGER, REMINDER) == []


def test_R_CAL_04_expiry_on_the_decide_by_day_frees_the_seat_and_tells_employee_and_manager(client):
    enrolment_id = _request(client, seats=1)
    decide_by = date.fromisoformat(Enrolment.get(enrolment_id).approval_expires_day)
    assert decide_by == START - timedelta(days=3)
    cal.at(decide_by, 23, 30)
    assert run_job(client, "expire_approvals")["count"] == 0  # still decidable on its day
    assert Execution.get(cal.COURSE_ID, "r1").seats_taken == 1
    cal.at(decide_by + timedelta(days=1), 0, 30)
    assert run_job(client, "expire_approvals")["count"] == 1
    assert Enrolment.get(enrolment_id).status == "expired"
    assert Execution.get(cal.COURSE_ID, "r1").seats_taken == 0  # the seat is free
    assert cal.mails_to(cal.HOLDER, "Uw aanvraag is vervallen")
    told = cal.mails_to(cal.MANAGER, "Een aanvraag om akkoord is vervallen")
    assert len(told) == 1 and "Sem Jansen" in told[0].body and "vervallen" in told[0].body
    assert run_job(client, "expire_approvals")["count"] == 0  # once
    rows = {(row.recipient_kind, row.fields[0]) for row in Disclosure.query(enrolment_id)}
    assert ("manager", "first_name") in rows


def test_R_CAL_04_R_OPS_04_a_request_made_before_the_reminders_is_reminded_after_the_migration(client):
    enrolment_id = _request(client)
    Enrolment(enrolment_id).update(actions=[Enrolment.approval_asked_day.remove()])  # as old code stored it
    cal.at(date(2027, 5, 10), 9)
    assert run_job(client, "remind_approvals")["count"] == 0  # not on the reminder index: forgotten
    assert migrate.main(["run", "--grace-seconds", "0"]) == 0
    assert Enrolment.get(enrolment_id).approval_asked_day == ASKED.isoformat()
    assert run_job(client, "remind_approvals")["count"] == 1
    assert len(cal.mails_to(cal.MANAGER, REMINDER)) == 1
