"""R_LOG_04: nobody can flush the event log by being refused; every refusal is still counted once.

The attacks go through the real routes (rate-limited login requests, anonymous calls to protected
routes, forged links); IT operations read the counts in `GET /api/ops/log`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from chalicelib.access import Access
from chalicelib.models import EventLogEntry
from chalicelib.platform import clock, eventlog
from chalicelib.platform.eventlog import EventKind
from tests.functional.conftest import sent_mail
from tests.functional.helpers import acting_as
from tests.functional.test_acc_support import call, seed_orgs

T0 = datetime(2026, 3, 2, 9, 1, tzinfo=UTC)
ADDRESS = "piet@minbzk.nl"


def _fill_ring() -> None:
    """A full ring of 1,000 older entries (seq 1-1000), written in batches as record() would leave them."""
    from chalicelib.models import Counter

    now = clock.now()
    with EventLogEntry.batch_write() as batch:
        for seq in range(1, eventlog.RING_SIZE + 1):
            batch.save(EventLogEntry(ring=eventlog.RING, slot=seq % eventlog.RING_SIZE, seq=seq, at=now, level="info",
                                     kind="search", detail={"term": f"marker {seq}"},
                                     expires_at=now + eventlog.MAX_AGE))
    Counter(eventlog.COUNTER_NAME).update(actions=[Counter.value.set(eventlog.RING_SIZE)])


def _markers_left() -> int:
    return sum(1 for e in EventLogEntry.query(eventlog.RING) if str(e.detail.as_dict().get("term", "")).startswith(
        "marker"))


def _ops_log(client) -> list[dict]:
    with acting_as(Access.OPS):
        response = client.http.get("/ops/log")
    assert response.status_code == 200
    return response.json_body["entries"]


def _of_kind(entries: list[dict], kind: str) -> list[dict]:
    return [e for e in entries if e["kind"] == kind]


def test_R_LOG_04_300_login_requests_for_one_address_push_out_a_constant_number(client, frozen_clock):
    seed_orgs()
    frozen_clock.freeze(T0)
    _fill_ring()
    statuses = [call(client, "POST", "/auth/login", body={"email": ADDRESS}).status_code for _ in range(300)]
    assert statuses == [202] * 5 + [429] * 295
    assert len(sent_mail()) == 5  # nothing else happened
    pushed_out = eventlog.RING_SIZE - _markers_left()
    assert pushed_out <= 6  # five link requests and one counted refusal entry, not 300
    entries = _ops_log(client)
    assert len(entries) == eventlog.RING_SIZE
    limited = _of_kind(entries, "rate_limited")
    assert len(limited) == 1
    assert limited[0]["detail"] == {"policy": "link", "window": "2026-03-02T09:00:00Z", "count": 295}


def test_R_LOG_04_anonymous_refusals_share_one_entry_per_reason_and_window(client, frozen_clock):
    frozen_clock.freeze(T0)
    for _ in range(120):
        assert client.http.get("/me").status_code == 401
    for _ in range(30):
        assert client.http.get("/ops/log").status_code == 401
    denied = _of_kind(_ops_log(client), "access_denied")
    assert [e["detail"] for e in denied] == [
        {"reason": "authentication_required", "caller": "anonymous", "window": "2026-03-02T09:00:00Z", "count": 150}
    ]
    frozen_clock.freeze(T0 + timedelta(minutes=10))  # the next window starts a new entry
    assert client.http.get("/me").status_code == 401
    denied = _of_kind(_ops_log(client), "access_denied")
    assert [(e["detail"]["window"], e["detail"]["count"]) for e in denied] == [
        ("2026-03-02T09:10:00Z", 1), ("2026-03-02T09:00:00Z", 150)]


def test_R_LOG_04_forged_links_are_counted_not_appended(client, frozen_clock):
    seed_orgs()
    frozen_clock.freeze(T0)
    before = len(list(EventLogEntry.query(eventlog.RING)))
    for i in range(40):
        response = call(client, "POST", "/auth/verify", body={"token": f"forged{i:02d}" + "x" * 30})
        assert response.status_code in (400, 410), response.body
    refused = [e for e in _ops_log(client) if e["kind"] in ("link_refused", "link_expired")]
    assert len(list(EventLogEntry.query(eventlog.RING))) - before == len(refused) == 1
    assert refused[0]["detail"]["count"] == 40


def test_R_LOG_04_different_reasons_and_callers_stay_apart(client, frozen_clock):
    frozen_clock.freeze(T0)
    assert client.http.get("/me").status_code == 401
    with acting_as(Access.EMPLOYEE):
        assert client.http.get("/ops/log").status_code == 403
        assert client.http.get("/ops/log").status_code == 403
    denied = {(e["detail"]["reason"], e["detail"]["caller"]): e["detail"]["count"]
              for e in _of_kind(_ops_log(client), "access_denied")}
    assert denied == {("authentication_required", "anonymous"): 1, ("forbidden", "account"): 2}


def test_R_LOG_04_concurrent_refusals_are_each_counted_once(aws, dynamodb_lock):
    """64 refusals at once: one ring entry, and the count IT operations read is exactly 64."""
    clock.freeze(T0)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda _: eventlog.record_repeated(EventKind.RATE_LIMITED, policy="link"), range(64)))
        shown = [e for e in eventlog.recent() if e["kind"] == "rate_limited"]
    finally:
        clock.freeze(None)
    assert [e["detail"]["count"] for e in shown] == [64]
    assert len([e for e in EventLogEntry.query(eventlog.RING) if e.kind == "rate_limited"]) == 1


def test_R_LOG_02_counted_entries_keep_the_ring_exact(aws):
    """The ring still holds exactly the last 1,000 entries when counted entries are among them."""
    clock.freeze(T0)
    try:
        _fill_ring()
        for _ in range(11):
            eventlog.record_repeated(EventKind.ACCESS_DENIED, reason="forbidden", caller="anonymous")
        shown = eventlog.recent()
    finally:
        clock.freeze(None)
    stored = list(EventLogEntry.query(eventlog.RING))
    assert len(stored) == eventlog.RING_SIZE and sorted(int(e.seq) for e in stored) == list(range(2, 1002))
    assert _markers_left() == eventlog.RING_SIZE - 1
    assert [e["detail"]["count"] for e in shown if e["kind"] == "access_denied"] == [11]
