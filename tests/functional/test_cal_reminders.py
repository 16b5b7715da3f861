"""R_CAL_03 reminders, with the clock moved hour by hour: 7 days and 1 day before the start, each once,
from 07:00 Amsterdam time (also across a daylight-saving change), a missed day caught up only while the
start is ahead, nothing after a cancellation, nothing twice; an LMS enrolment only when the LMS asked.
Every job run goes through the scheduled function's handler."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from chalicelib.calendar import reminders
from chalicelib.models import Enrolment
from chalicelib.platform import clock, mail
from tests.functional import calendar_fixtures as cal
from tests.functional import enrolment_fixtures as fx
from tests.functional.conftest import sent_mail
from tests.functional.helpers import bearer
from tests.functional.privacy_fixtures import run_job
from tests.functional.test_enrolment_lifecycle import _throttle_ses

WEEK, DAY = "Over een week begint uw opleiding", "Morgen begint uw opleiding"


def _reminders(address: str = cal.HOLDER) -> list[str]:
    return [m.subject for m in cal.mails_to(address) if m.subject in (WEEK, DAY)]


def _hourly(client, first: datetime, last: datetime) -> list[tuple[datetime, list[str]]]:
    """Run the job every hour from `first` to `last` (UTC); what each run sent."""
    sent: list[tuple[datetime, list[str]]] = []
    moment = first
    while moment <= last:
        clock.freeze(moment)
        before = len(sent_mail())
        result = run_job(client, "send_reminders")
        assert "error" not in result, result
        new = [m.subject for m in sent_mail()[before:]]
        if new:
            sent.append((moment, new))
        moment += timedelta(hours=1)
    return sent


def test_R_CAL_03_each_reminder_once_from_7_oclock_amsterdam_across_the_daylight_saving_change(client):
    """Summer time starts on 28 March 2027: the 7-day reminder (26 March) goes at 06:00 UTC, the
    day-before one (1 April) at 05:00 UTC, both at 07:00 in Amsterdam, and never again."""
    start = date(2027, 4, 2)
    cal.at(date(2027, 3, 1))
    cal.world(client, cal.run(start), free_days=3)
    enrolment_id = cal.enrol(client)
    sent = _hourly(client, datetime(2027, 3, 24, 0, 30, tzinfo=UTC), datetime(2027, 4, 2, 12, 30, tzinfo=UTC))
    assert sent == [(datetime(2027, 3, 26, 6, 30, tzinfo=UTC), [WEEK]),  # 07:30 CET
                    (datetime(2027, 4, 1, 5, 30, tzinfo=UTC), [DAY])]  # 07:30 CEST
    week = cal.mails_to(cal.HOLDER, WEEK)[0]
    assert "dinsdag 30 maart 2027" in week.body  # the last free-cancellation day, still ahead
    assert f"/mijn-inschrijvingen/#inschrijving-{enrolment_id}" in week.body  # the cancel page
    assert "vrijdag 2 april 2027, 09:00" in week.body and "Utrecht" in week.body
    day = cal.mails_to(cal.HOLDER, DAY)[0]
    assert "kosteloos" not in day.body.lower()
    assert Enrolment.get(enrolment_id).reminders_sent == {"week", "day"}


def test_R_CAL_03_the_7_day_reminder_says_when_free_cancellation_has_passed(client):
    cal.at(date(2027, 3, 1))
    cal.world(client, cal.run(date(2027, 6, 15)), free_days=14)
    cal.enrol(client)
    cal.at(date(2027, 6, 8), 8)
    assert run_job(client, "send_reminders")["count"] == 1
    body = cal.mails_to(cal.HOLDER, WEEK)[0].body
    assert "kosteloos annuleren kan niet meer" in body and "1 juni" not in body


def test_R_CAL_03_a_missed_day_is_caught_up_while_the_start_is_ahead(client):
    cal.at(date(2027, 3, 1))
    cal.world(client, cal.run(date(2027, 6, 15)))
    cal.enrol(client)
    cal.at(date(2027, 6, 10), 8)  # the job did not run on 8 and 9 June
    assert run_job(client, "send_reminders")["count"] == 1 and _reminders() == [WEEK]
    cal.at(date(2027, 6, 14), 8)
    assert run_job(client, "send_reminders")["count"] == 1 and _reminders() == [WEEK, DAY]


def test_R_CAL_03_a_closed_window_is_not_caught_up_and_nothing_goes_on_or_after_the_start(client):
    cal.at(date(2027, 3, 1))
    cal.world(client, cal.run(date(2027, 6, 15)))
    cal.enrol(client)
    fx.account(account_id="acct-2", email="eva@minbzk.nl")
    cal.enrol(client, key="k2", account_id="acct-2", email="eva@minbzk.nl")
    cal.at(date(2027, 6, 14), 8)  # down all week: only the day-before reminder is still due
    assert run_job(client, "send_reminders")["count"] == 2
    assert _reminders() == [DAY] and _reminders("eva@minbzk.nl") == [DAY]
    cal.at(date(2027, 6, 15), 8)
    assert run_job(client, "send_reminders")["count"] == 0


def test_R_CAL_03_nothing_after_a_cancellation_not_even_a_reminder_claimed_before_it(client):
    cal.at(date(2027, 3, 1))
    cal.world(client, cal.run(date(2027, 6, 15)))
    cancelled_early = cal.enrol(client)
    assert cal.cancel(client, cancelled_early).status_code == 200
    fx.account(account_id="acct-2", email="eva@minbzk.nl")
    cancelled_late = cal.enrol(client, key="k2", account_id="acct-2", email="eva@minbzk.nl")
    cal.at(date(2027, 6, 8), 8)
    restore = _throttle_ses(mail._client())
    try:
        assert run_job(client, "send_reminders")["count"] == 1  # claimed, but SES did not take it
    finally:
        restore()
    assert cal.cancel(client, cancelled_late, account_id="acct-2").status_code == 200
    cal.at(date(2027, 6, 8), 10)
    run_job(client, "outbox_retry")  # the retry finds the enrolment cancelled: nothing goes
    for day in (date(2027, 6, 9), date(2027, 6, 14)):
        cal.at(day, 8)
        run_job(client, "send_reminders")
    assert _reminders() == [] and _reminders("eva@minbzk.nl") == []


def test_R_CAL_03_an_enrolment_cancelled_after_the_job_read_it_gets_nothing_and_the_run_goes_on(client, monkeypatch):
    """The claim's condition is read by its label (platform/transactions.py), not by where PynamoDB happens
    to send the update among the transaction's items: a cancellation between the job's read and its claim
    is 'cancelled meanwhile', and the others of the pass are still reminded in that run (before, the failed
    claim was taken for an error and ended the run, leaving the rest an hour late)."""
    cal.at(date(2027, 3, 1))
    cal.world(client, cal.run(date(2027, 6, 15)))
    first = cal.enrol(client)
    fx.account(account_id="acct-2", email="eva@minbzk.nl")
    cal.enrol(client, key="k2", account_id="acct-2", email="eva@minbzk.nl")
    claim = reminders._claim_and_send

    def cancelled_meanwhile(enrolment, kind):
        if enrolment.enrolment_id == first:
            assert cal.cancel(client, first).status_code == 200
        return claim(enrolment, kind)

    monkeypatch.setattr(reminders, "_claim_and_send", cancelled_meanwhile)
    cal.at(date(2027, 6, 8), 8)
    assert run_job(client, "send_reminders") == {"count": 1, "failed": 0}
    assert _reminders() == [] and _reminders("eva@minbzk.nl") == [WEEK]
    assert Enrolment.get(first).reminders_sent is None


def test_R_CAL_03_running_the_job_twice_sends_nothing_twice(client):
    cal.at(date(2027, 3, 1))
    cal.world(client, cal.run(date(2027, 6, 15)))
    enrolment_id = cal.enrol(client)
    cal.at(date(2027, 6, 8), 8)
    assert run_job(client, "send_reminders")["count"] == 1
    assert run_job(client, "send_reminders")["count"] == 0  # the day's pass is done: one read
    reminders.look_again()  # the progress lost: the pass runs again and finds the reminder claimed
    assert run_job(client, "send_reminders") == {"count": 0, "failed": 0}
    assert _reminders() == [WEEK] and Enrolment.get(enrolment_id).reminders_sent == {"week"}


def test_R_CAL_03_an_lms_enrolment_is_reminded_only_when_the_lms_asked(client):
    cal.at(date(2027, 3, 1))
    world = cal.world(client, cal.run(date(2027, 6, 15)))
    cal.lms_enrol(client, world.lms_token)
    asked = cal.lms_enrol(client, world.lms_token, key="l2", email="anna@prive.example", reminders=True)
    assert Enrolment.get(asked).reminders is True
    cal.at(date(2027, 6, 8), 8)
    assert run_job(client, "send_reminders")["count"] == 1
    assert _reminders("piet@prive.example") == [] and _reminders("anna@prive.example") == [WEEK]
    body = cal.mails_to("anna@prive.example", WEEK)[0].body
    assert "mijn-inschrijvingen" not in body and "leersysteem van uw organisatie" in body


def test_R_CAL_03_the_lms_form_takes_an_optional_reminders_flag_and_names_it_when_it_is_not_a_boolean(client):
    cal.at(date(2027, 3, 1))
    world = cal.world(client, cal.run(date(2027, 6, 15)))
    assert Enrolment.get(cal.lms_enrol(client, world.lms_token, reminders=True)).reminders is True
    not_asked = cal.lms_enrol(client, world.lms_token, key="l2", email="anna@prive.example")
    assert Enrolment.get(not_asked).reminders is False  # off by default
    body = fx.form(cal.TARGET, email="piet@prive.example", consent=None, consent_at="2026-11-20T10:00:00Z",
                   consent_version="2026-11", reminders="graag")
    response = client.http.post("/lms/enrolments", body=json.dumps(body),
                                headers={**bearer(world.lms_token), "Idempotency-Key": "bad"})
    assert response.status_code == 400 and "reminders" in response.json_body["error"]["fields"]
    assert len(list(Enrolment.scan())) == 2  # the refused one stored nothing
