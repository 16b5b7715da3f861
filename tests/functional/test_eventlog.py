"""R_LOG_01-03: the event log is a ring of the last 1,000 messages, none older than 14 days."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from chalicelib.access import Access
from chalicelib.models import EventLogEntry
from chalicelib.platform import clock, eventlog
from chalicelib.platform.eventlog import EventKind
from tests.functional.helpers import acting_as


def _stored() -> list[EventLogEntry]:
    return list(EventLogEntry.query(eventlog.RING))


def test_R_LOG_02_1001_writes_leave_the_last_1000(aws):
    for i in range(1001):
        eventlog.record(EventKind.SEARCH, term=f"term {i}")
    stored = _stored()
    assert len(stored) == 1000
    assert sorted(int(e.seq) for e in stored) == list(range(2, 1002))
    assert all(e.detail["term"] != "term 0" for e in stored)


def test_R_LOG_02_concurrent_writers_leave_exactly_1000_distinct_slots(aws, dynamodb_lock):
    def write(i: int) -> int:
        return eventlog.record(EventKind.SEARCH, term=f"t{i}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        seqs = list(pool.map(write, range(1200)))
    assert sorted(seqs) == list(range(1, 1201))
    stored = _stored()
    assert len({int(e.slot) for e in stored}) == 1000
    assert sorted(int(e.seq) for e in stored) == list(range(201, 1201))


def test_R_LOG_02_an_older_writer_cannot_overwrite_a_newer_entry_in_its_slot(aws, monkeypatch):
    """Deterministic interleaving through `eventlog.record`: a writer takes seq N and stalls, the ring
    moves on and seq N + 1000 commits to the same slot, then the stalled writer stores its entry."""
    first = eventlog.record(EventKind.SEARCH, term="one")
    from chalicelib.models import Counter

    Counter(eventlog.COUNTER_NAME).update(actions=[Counter.value.set(first + 999)])
    newer = eventlog.record(EventKind.SEARCH, term="newer")
    assert newer == first + 1000
    monkeypatch.setattr(eventlog, "_next_seq", lambda: first)  # the stalled writer's sequence number
    assert eventlog.record(EventKind.SEARCH, term="late") == first  # no error: its entry is simply gone
    stored = _stored()
    assert [(int(e.seq), e.detail["term"]) for e in stored] == [(newer, "newer")]


def test_R_LOG_02_entries_older_than_14_days_are_not_returned(aws):
    start = datetime(2026, 11, 1, 12, tzinfo=UTC)
    clock.freeze(start)
    eventlog.record(EventKind.SEARCH, term="oud")
    clock.freeze(start + timedelta(days=13, hours=23))
    eventlog.record(EventKind.SEARCH, term="nieuw")
    assert [e["detail"]["term"] for e in eventlog.recent()] == ["nieuw", "oud"]
    clock.freeze(start + timedelta(days=14, minutes=1))
    assert [e["detail"]["term"] for e in eventlog.recent()] == ["nieuw"]


def test_R_LOG_02_purge_job_deletes_entries_past_14_days(aws):
    from chalicelib.jobs import purge_event_log

    start = datetime(2026, 11, 1, 12, tzinfo=UTC)
    clock.freeze(start)
    eventlog.record(EventKind.SEARCH, term="oud")
    clock.freeze(start + timedelta(days=15))
    eventlog.record(EventKind.SEARCH, term="nieuw")
    assert purge_event_log() == {"count": 1}
    assert [e.detail["term"] for e in _stored()] == ["nieuw"]
    assert purge_event_log() == {"count": 0}


def test_R_LOG_01_hostile_string_cannot_forge_a_record(aws):
    eventlog.record(EventKind.SEARCH, term='x"}\r\n{"kind": "system_error", "seq": 1}\n')
    stored = _stored()
    assert len(stored) == 1
    assert stored[0].kind == "search"
    assert "\n" not in stored[0].detail["term"] and "\r" not in stored[0].detail["term"]


def test_R_LOG_01_tokens_secrets_ips_and_addresses_never_reach_the_log(aws):
    eventlog.record(EventKind.LINK_REQUESTED, token="abc123secret", secret="s3cr3t", ip="10.1.2.3",
                    email="piet@minbzk.nl", reason="from 10.1.2.3 for piet@minbzk.nl")
    entry = _stored()[0]
    flat = repr(entry.detail.as_dict())
    for forbidden in ("abc123secret", "s3cr3t", "10.1.2.3", "piet@minbzk.nl"):
        assert forbidden not in flat
    assert entry.detail["dropped_fields"] == 4


def test_R_LOG_03_only_it_operations_read_the_log(client):
    eventlog.record(EventKind.SEARCH, term="cursus")
    assert client.http.get("/ops/log").status_code == 401
    for audience in (Access.EMPLOYEE, Access.LOCAL_ADMIN, Access.CFB, Access.ORDER_AUTHORISED,
                     Access.SUPPLIER, Access.LMS):
        with acting_as(audience):
            response = client.http.get("/ops/log")
        assert response.status_code == 403, audience
    with acting_as(Access.OPS):
        response = client.http.get("/ops/log")
    assert response.status_code == 200
    searches = [e for e in response.json_body["entries"] if e["kind"] == "search"]
    assert [e["detail"] for e in searches] == [{"term": "cursus"}]
    refusals = [e for e in response.json_body["entries"] if e["kind"] == "access_denied"]
    # the visitor and the six other audiences: each refusal counted once, one entry per reason (R_LOG_04)
    assert sorted((e["detail"]["reason"], e["detail"]["count"]) for e in refusals) == [
        ("authentication_required", 1), ("forbidden", 6)]


def test_R_LOG_01_system_errors_are_logged_without_detail_of_the_request(client):
    from chalicelib.api.routing import internal_error

    response = internal_error(ValueError("secret piet@minbzk.nl"), "some_view")
    assert response.status_code == 500
    entry = _stored()[0]
    assert entry.kind == "system_error"
    assert entry.detail.as_dict() == {"where": "some_view", "error_type": "ValueError"}


def test_R_LOG_02_platform_log_of_a_system_error_holds_no_exception_message(client, caplog):
    from chalicelib.api.routing import internal_error

    try:
        raise ValueError("piet@minbzk.nl 10.1.2.3")
    except ValueError as exc:
        with caplog.at_level(logging.ERROR):
            internal_error(exc, "some_view")
    text = caplog.text
    assert "ValueError" in text and "some_view" in text
    assert "piet@minbzk.nl" not in text and "10.1.2.3" not in text


def test_R_LOG_02_event_log_entries_are_not_copied_to_the_platform_log(client, caplog):
    """Only the ring holds entries; a copy in the platform log would outlive it (caplog on every logger)."""
    caplog.set_level(logging.INFO)
    eventlog.record(EventKind.ENROLMENT, enrolment_id="e-ring-only-1", course_id="c-ring-only", status="approved")
    assert client.http.get("/courses?q=ringalleen&log=true").status_code == 200
    assert client.http.get("/ops/log").status_code == 401  # a refusal is an event too
    with acting_as(Access.OPS):
        entries = client.http.get("/ops/log").json_body["entries"]
    assert {e["kind"] for e in entries} == {"enrolment", "search", "access_denied"}
    details = [str(v) for e in entries for v in e["detail"].values() if isinstance(v, str)]
    assert {"e-ring-only-1", "c-ring-only", "ringalleen", "authentication_required"} <= set(details)
    logged = caplog.text
    assert [d for d in details if d in logged] == []
    assert [r for r in caplog.records if r.name == eventlog.platform_log.name] == []


def test_R_LOG_02_a_system_error_leaves_only_its_type_and_place_in_the_platform_log(client, caplog):
    """A failing job: the ring gets its entry, the platform log one line without the message or detail."""
    from chalicelib import jobs

    def failing() -> dict:
        raise RuntimeError("piet@minbzk.nl e-geheim-1")

    caplog.set_level(logging.INFO)
    jobs.JOBS["failing_for_test"] = jobs.Job("failing_for_test", 5, failing)
    try:
        assert jobs.run("failing_for_test") == {"error": "RuntimeError"}
    finally:
        del jobs.JOBS["failing_for_test"]
    assert [e["detail"] for e in eventlog.recent()] == [{"where": "job failing_for_test", "error_type": "RuntimeError"}]
    lines = [r.getMessage() for r in caplog.records if r.name == eventlog.platform_log.name]
    assert len(lines) == 1 and lines[0].startswith("system error RuntimeError in job failing_for_test: ")
    assert "failing" in lines[0]  # the frames
    assert "piet@minbzk.nl" not in caplog.text and "e-geheim-1" not in caplog.text
