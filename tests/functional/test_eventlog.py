"""R_LOG_01-03: the event log is a ring of the last 1,000 messages, none older than 14 days."""

from __future__ import annotations

import io
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


def test_R_LOG_02_an_older_writer_cannot_overwrite_a_newer_entry_in_its_slot(aws):
    """Deterministic interleaving: seq 5 is taken, seq 1005 commits to slot 5, then seq 5 writes."""
    first = eventlog.record(EventKind.SEARCH, term="one")
    from chalicelib.models import Counter

    Counter(eventlog.COUNTER_NAME).update(actions=[Counter.value.set(first + 999)])
    newer = eventlog.record(EventKind.SEARCH, term="newer")
    assert newer % 1000 == first % 1000
    late = EventLogEntry(ring=eventlog.RING, slot=first % 1000, seq=first, at=clock.now(), level="info",
                         kind="search", detail={"term": "late"}, expires_at=clock.now())
    from pynamodb.exceptions import PutError

    try:
        late.save(condition=EventLogEntry.seq.does_not_exist() | (EventLogEntry.seq < first))
        raise AssertionError("an older entry overwrote a newer one")
    except PutError:
        pass
    assert EventLogEntry.get(eventlog.RING, first % 1000).detail["term"] == "newer"


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
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    eventlog.platform_log.addHandler(handler)
    eventlog.platform_log.setLevel(logging.INFO)
    try:
        eventlog.record(EventKind.SEARCH, term='x"}\r\n{"kind": "system_error", "seq": 1}\n')
    finally:
        eventlog.platform_log.removeHandler(handler)
    stored = _stored()
    assert len(stored) == 1
    assert stored[0].kind == "search"
    assert "\n" not in stored[0].detail["term"] and "\r" not in stored[0].detail["term"]
    assert len(stream.getvalue().strip().splitlines()) == 1


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
