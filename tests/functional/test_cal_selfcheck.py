"""R_CAL_05: a reminder, change notice or expiry past its window and not done shows on CFB's retention
report (the route) and as a system error in the log (the daily job); done in time, the rule holds."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.access import Access
from chalicelib.models import EventLogEntry
from chalicelib.platform import eventlog
from tests.functional import calendar_fixtures as cal
from tests.functional.helpers import acting_as
from tests.functional.privacy_fixtures import run_job

START = date(2027, 6, 15)


def _rules(client) -> dict:
    with acting_as(Access.CFB, org_id=None):
        response = client.http.get("/admin/retention")
    assert response.status_code == 200, response.body
    return {r["rule"]: r for r in response.json_body["rules"]}


def _logged_breaches() -> set[str]:
    return {e.detail.as_dict()["reason"] for e in EventLogEntry.query(eventlog.RING) if e.kind == "system_error"}


def test_R_CAL_05_reminders_not_sent_in_their_window_show_and_sent_ones_hold(client):
    cal.at(date(2027, 3, 1))
    world = cal.world(client, cal.run(START))
    enrolment_id = cal.enrol(client)
    cal.at(START + timedelta(days=1))  # every reminder job of the last week failed
    missed = _rules(client)["course_reminders"]
    assert (missed["holds"], missed["breach"]) == (False, f"{enrolment_id}: week")
    run_job(client, "retention_selfcheck")
    assert "course_reminders" in _logged_breaches()

    cal.publish(client, world.supplier_token, cal.run(date(2027, 9, 14)))  # a second life: the run moved on
    run_job(client, "notify_run_changes")
    for day in (date(2027, 9, 7), date(2027, 9, 13)):
        cal.at(day, 8)
        run_job(client, "send_reminders")
    cal.at(date(2027, 9, 15))
    assert _rules(client)["course_reminders"]["holds"] is True


def test_R_CAL_05_a_change_not_told_within_the_hour_shows_until_the_job_tells_it(client):
    cal.at(date(2027, 3, 1))
    world = cal.world(client, cal.run(START))
    cal.enrol(client)
    cal.publish(client, world.supplier_token, cal.run(START, city="Zwolle"))
    cal.at(date(2027, 3, 1), 10, 50)
    assert _rules(client)["change_notices"]["holds"] is True  # within the hour
    cal.at(date(2027, 3, 1), 11, 30)
    late = _rules(client)["change_notices"]
    assert (late["holds"], late["breach"]) == (False, f"{world.course_id}#r1")
    run_job(client, "notify_run_changes")
    assert _rules(client)["change_notices"]["holds"] is True


def test_R_CAL_05_a_forgotten_manager_reminder_and_expiry_show_until_their_jobs_ran(client):
    cal.at(date(2027, 4, 23))
    cal.world(client, cal.run(START), approval=True)
    enrolment_id = cal.enrol(client, manager_email=cal.MANAGER)
    cal.at(date(2027, 4, 30))  # reminder day Thursday 29 April passed without the job
    rules = _rules(client)
    assert (rules["approval_reminders"]["holds"], rules["approval_reminders"]["breach"]) == (False, enrolment_id)
    run_job(client, "remind_approvals")
    assert _rules(client)["approval_reminders"]["holds"] is True

    cal.at(START - timedelta(days=1))  # decide-by day 29 May passed two days ago, the expiry job never ran
    rules = _rules(client)
    assert (rules["approval_expiry"]["holds"], rules["approval_expiry"]["breach"]) == (False, enrolment_id)
    assert rules["approval_expiry"]["oldest_age_days"] == 2
    run_job(client, "expire_approvals")
    assert _rules(client)["approval_expiry"]["holds"] is True
