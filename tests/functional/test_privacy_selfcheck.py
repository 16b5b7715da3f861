"""R_PRV_02: the retention self-check. A seeded breach of each rule shows on CFB's report (through the
route) and in the event log as a system error (through the daily job's handler)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from chalicelib.access import Access
from chalicelib.contact import rules as contact_rules
from chalicelib.models import (
    ContactMessage,
    Counter,
    Enrolment,
    EventLogEntry,
    LoginToken,
    MigrationRun,
    OutboxItem,
    RateCounter,
    Session,
)
from chalicelib.platform import clock, eventlog, ratelimit
from chalicelib.platform.ratelimit_rules import CONTACT_PER_ADDRESS, window_end, window_key
from tests.functional.helpers import acting_as
from tests.functional.privacy_fixtures import noon, run_job
from tools import migrate

TODAY = date(2027, 6, 15)
SPEND_MIGRATION = "0001-enrolment-spend-month"


def _enrolment(enrolment_id: str, anonymise_day: date) -> None:
    Enrolment(enrolment_id, source="lms", status="approved", org_id="org-bzk", course_id="c1", execution_id="r1",
              supplier_id="sup-a", first_name="Sem", email="sem@prive.example", start_day="2026-05-01",
              original_end_day="2026-05-02", created_at=clock.now(), anonymise_month=anonymise_day.isoformat()[:7],
              anonymise_day=anonymise_day.isoformat()).save()


def _contact(message_id: str, received: date) -> None:
    """As the contact form stores it: keyed by the contact package's purge day (R_CON_03)."""
    at = noon(received)
    ContactMessage(message_id, email="x@example.org", question="Vraag", created_at=at,
                   purge_day=contact_rules.purge_day(at), expires_at=contact_rules.expires_at(at)).save()


def _log_entry(seq: int, age: timedelta) -> None:
    at = clock.now() - age
    EventLogEntry(eventlog.RING, seq % eventlog.RING_SIZE, seq=seq, at=at, level="info", kind="job", detail={},
                  expires_at=at + eventlog.MAX_AGE).save()


def _session(token_hash: str, created: timedelta, idle: timedelta, expires_at=None) -> None:
    created_at = clock.now() - created
    last_seen = clock.now() - idle
    Session(token_hash, account_id="acct-x", created_at=created_at, last_seen_at=last_seen,
            expires_at=expires_at or min(created_at + timedelta(hours=12), last_seen + timedelta(minutes=30)),
            created_day=created_at.date().isoformat()).save()


def _link(token_hash: str, age: timedelta, lifetime: timedelta = timedelta(minutes=10)) -> None:
    at = clock.now() - age
    LoginToken(token_hash, purpose="login", email="sem@minbzk.nl", created_at=at, expires_at=at + lifetime,
               created_day=at.date().isoformat()).save()


def _outbox(item_id: str, age: timedelta, status: str = "pending", sent: bool = False) -> None:
    at = clock.now() - age
    OutboxItem(item_id, template="enrolment_received", recipient="sem@prive.example", status=status,
               next_attempt_at=at, created_at=at, sent_at=at if sent else None,
               created_day=at.date().isoformat()).save()


def _report(client) -> dict:
    with acting_as(Access.CFB, org_id=None):
        response = client.http.get("/admin/retention")
    assert response.status_code == 200, response.body
    return {r["rule"]: r for r in response.json_body["rules"]}


def _seed_holding() -> None:
    _enrolment("e-future", TODAY + timedelta(days=30))
    _enrolment("e-today", TODAY)  # due today: the daily job has until tomorrow
    _contact("m-fresh", TODAY - timedelta(days=6))
    _log_entry(1, timedelta(days=13))
    Counter(eventlog.COUNTER_NAME, value=10).save()  # new entries come after the seeded ones
    _session("s-live", timedelta(hours=2), timedelta(minutes=5))
    _session("s-ended-recently", timedelta(hours=13), timedelta(hours=12, minutes=50))  # TTL may lag: no breach
    _link("l-fresh", timedelta(minutes=3))
    _outbox("o-pending", timedelta(minutes=2))
    assert migrate.main(["run", "--grace-seconds", "0"]) == 0  # as after a deploy: every migration done (R_OPS_04)


def _unfinished_migration() -> None:
    """A deploy's migration that stopped two days ago and was not run again."""
    MigrationRun(SPEND_MIGRATION).update(actions=[MigrationRun.state.set("running"),
                                                  MigrationRun.started_at.set(clock.now() - timedelta(days=2))])


BREACHES = {
    "enrolments": (lambda: _enrolment("e-late", TODAY - timedelta(days=3)), "e-late", 3),
    "contact": (lambda: _contact("m-old", TODAY - timedelta(days=9)), "m-old", 9),
    "event_log": (lambda: _log_entry(2, timedelta(days=15)), "seq 2", 15),
    "sessions": (lambda: _session("s-forever-0000", timedelta(hours=1), timedelta(minutes=1),
                                  expires_at=clock.now() + timedelta(days=30)), "s-forever-00", 1),
    "links": (lambda: _link("l-stale-000000", timedelta(days=5)), "l-stale-0000", 5),
    "outbox": (lambda: _outbox("o-sent", timedelta(days=1), status="sent", sent=True), "o-sent", 1),
    "migrations": (_unfinished_migration, f"{SPEND_MIGRATION}: nog niet klaar", 2),
}


def test_R_PRV_02_every_rule_holds_on_compliant_data(client):
    clock.freeze(noon(TODAY))
    _seed_holding()
    rules = _report(client)
    assert set(rules) == set(BREACHES)
    assert all(r["holds"] and r["breach"] is None for r in rules.values()), rules
    assert rules["enrolments"]["checked"] == 1 and rules["contact"]["checked"] == 1
    assert rules["sessions"]["checked"] == 2 and rules["links"]["checked"] == 1 and rules["outbox"]["checked"] == 1
    assert rules["event_log"]["checked"] == 1 and rules["event_log"]["oldest_age_days"] == 13
    assert rules["migrations"]["checked"] == 6  # the items of the migrated tables, each verified
    assert run_job(client, "retention_selfcheck") == {"count": 0, "holds": True}
    assert [e for e in EventLogEntry.query(eventlog.RING) if e.kind == "system_error"] == []


@pytest.mark.parametrize("rule", sorted(BREACHES))
def test_R_PRV_02_a_seeded_breach_shows_on_the_report_and_in_the_log(client, rule):
    clock.freeze(noon(TODAY))
    _seed_holding()
    seed, item, age = BREACHES[rule]
    seed()
    rules = _report(client)
    assert rules[rule]["holds"] is False and rules[rule]["breach"] == item
    assert rules[rule]["oldest_age_days"] == age
    assert all(r["holds"] for name, r in rules.items() if name != rule)
    assert "sem" not in repr(rules).lower() and "x@example.org" not in repr(rules)

    assert run_job(client, "retention_selfcheck") == {"count": 1, "holds": False}
    errors = [e for e in EventLogEntry.query(eventlog.RING) if e.kind == "system_error"]
    assert len(errors) == 1
    detail = errors[0].detail.as_dict()
    assert detail["error_type"] == "retention_breach" and detail["reason"] == rule and detail["outcome"] == item


def _contact_outbox_failed(item_id: str, received: date) -> None:
    """The outbox item of a contact message whose mail SES refused: kept for CFB, with the message's deadline."""
    at = noon(received)
    OutboxItem(item_id, template="contact_message", refs={"message_id": "m-x"}, status="failed",
               undeliverable="failed", failed_at=at, error_code="MessageRejected", next_attempt_at=at, created_at=at,
               created_day=at.date().isoformat(), purge_day=contact_rules.purge_day(at),
               expires_at=contact_rules.expires_at(at)).save()


def _contact_counter(received: date) -> str:
    """The per-address rate-limit counter a message left: a copy keyed by (a hash of) its address (R_CON_03)."""
    at = noon(received)
    counter = RateCounter(ratelimit.subject_of("x@example.org"), window_key(CONTACT_PER_ADDRESS, at), count=1,
                          expires_at=window_end(CONTACT_PER_ADDRESS, at), purge_day=contact_rules.purge_day(at))
    counter.save()
    return f"teller {counter.window}"


@pytest.mark.parametrize("copy", ["failed_outbox_item", "rate_counter"])
def test_R_PRV_02_R_CON_03_a_contact_copy_past_its_week_is_a_breach_at_once(client, copy):
    """Issue 22 item 11: the self-check ignored the contact rate-limit counters, and flagged a failed contact
    outbox item only when its TTL had lagged two days (day 9). Both are copies of the message: day 7 is a breach."""
    clock.freeze(noon(TODAY))
    _seed_holding()
    received = TODAY - timedelta(days=7)
    item = "o-contact-failed" if copy == "failed_outbox_item" else _contact_counter(received)
    if copy == "failed_outbox_item":
        _contact_outbox_failed(item, received)
    rules = _report(client)
    assert rules["contact"]["holds"] is False and rules["contact"]["breach"] == item
    assert rules["contact"]["oldest_age_days"] == 7 and rules["contact"]["checked"] == 2
    assert all(r["holds"] for name, r in rules.items() if name != "contact")
    assert "x@example.org" not in repr(rules) and ratelimit.subject_of("x@example.org") not in repr(rules)
    assert run_job(client, "retention_selfcheck") == {"count": 1, "holds": False}
    [error] = [e for e in EventLogEntry.query(eventlog.RING) if e.kind == "system_error"]
    assert (error.detail["reason"], error.detail["outcome"]) == ("contact", item)


def test_R_PRV_02_contact_copies_within_their_week_hold(client):
    clock.freeze(noon(TODAY))
    _seed_holding()
    _contact_outbox_failed("o-contact-young", TODAY - timedelta(days=5))
    _contact_counter(TODAY - timedelta(days=6))
    contact = _report(client)["contact"]
    assert contact["holds"] is True and contact["checked"] == 3


def test_R_PRV_02_R_CON_03_the_contact_rule_reads_the_purge_day_as_the_contact_purge_does(client):
    """Just after midnight in Amsterdam it is still the previous UTC day, during which the hourly purge
    may still delete a message due that day: no breach yet. After that UTC day it is one."""
    received = TODAY - timedelta(days=6)
    _contact("m-due-today", received)
    assert contact_rules.purge_day(noon(received)) == TODAY.isoformat()
    clock.freeze(datetime.combine(TODAY, time(23, 30), tzinfo=UTC))  # 01:30 the next day in Amsterdam
    contact = _report(client)["contact"]
    assert contact["holds"] is True and contact["checked"] == 1 and contact["oldest_age_days"] == 7
    clock.freeze(datetime.combine(TODAY + timedelta(days=1), time(0, 30), tzinfo=UTC))
    contact = _report(client)["contact"]
    assert contact["holds"] is False and contact["breach"] == "m-due-today"
