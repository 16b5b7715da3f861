"""R_SUP_01-02, R_ENR_07, R_PRV_01: the supplier's signed XML feed."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import xmlschema
from defusedxml import ElementTree

from chalicelib.access import Access
from chalicelib.enrolment.rules import FORM_FIELDS
from chalicelib.models import Disclosure, Enrolment, EventLogEntry
from chalicelib.platform import clock, eventlog
from chalicelib.platform.config import settings
from chalicelib.suppliers import feeds
from tests.functional import enrolment_fixtures as fx
from tests.functional.helpers import acting_as, bearer, make_supplier

XSD = Path(__file__).resolve().parents[2] / "chalicelib" / "data" / "enrolment-feed-1.0.xsd"
NS = {"lr": feeds.NAMESPACE}
HOSTILE = '<b>&"\']]></b>'


@pytest.fixture
def feed_world(client):
    fx.organisation()
    fx.account()
    world = fx.publish(client, delivery="feed", seats=None)
    token = make_supplier("sup-other", name="Ander")
    return world, token


def _supplier_token(client) -> str:
    from chalicelib.suppliers import apikeys

    return apikeys.create_key("supplier", "sup-a").token


def _feed_url(client, token: str) -> str:
    response = client.http.get("/supplier/feed-url", headers=bearer(token))
    assert response.status_code == 200, response.body
    return response.json_body["url"]


def _get(client, url: str, **extra):
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    params.update(extra)
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.http.get(parts.path.removeprefix("/api") + "?" + query)


def _enrol(client, world, key, **overrides):
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        response = fx.post_json(client, "/enrolments", fx.form(world, **overrides), key=key)
    assert response.status_code == 201, response.body
    return response.json_body["enrolment_id"]


def test_R_SUP_01_feed_lists_enrolments_and_cancellations_after_since(client, feed_world):
    world, _ = feed_world
    first = _enrol(client, world, "a", initials="S.", job_function="Adviseur", department_name="DDO")
    url = _feed_url(client, _supplier_token(client))
    body = _get(client, url)
    assert body.status_code == 200 and body.headers["Content-Type"].startswith("application/xml")
    xmlschema.XMLSchema(str(XSD)).validate(body.body)
    root = ElementTree.fromstring(body.body)
    entries = root.findall("lr:entry", NS)
    assert [(e.get("seq"), e.get("event")) for e in entries] == [("1", "enrolment")]
    assert entries[0].find("lr:programId", NS).text == "P-1"
    assert entries[0].find("lr:participant/lr:firstName", NS).text == "Sem"
    assert root.get("next") == "1"
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        assert fx.post_json(client, f"/enrolments/{first}/cancel", {}, key=None).status_code == 200
    later = ElementTree.fromstring(_get(client, url, since="1").body)
    assert [(e.get("seq"), e.get("event")) for e in later.findall("lr:entry", NS)] == [("2", "cancellation")]
    assert ElementTree.fromstring(_get(client, url, since="2").body).findall("lr:entry", NS) == []


def test_R_SUP_02_hostile_values_in_every_field_stay_well_formed_and_valid(client, feed_world):
    world, _ = feed_world
    _enrol(client, world, "h", first_name=HOSTILE[:100], last_name=HOSTILE, initials=HOSTILE,
           title_before=HOSTILE, title_after=HOSTILE, job_function=HOSTILE, department_name=HOSTILE)
    stored = next(iter(Enrolment.scan()))
    Enrolment(stored.enrolment_id).update(actions=[Enrolment.organisation_name.set(HOSTILE)])
    body = _get(client, _feed_url(client, _supplier_token(client))).body
    xmlschema.XMLSchema(str(XSD)).validate(body)
    participant = ElementTree.fromstring(body).find("lr:entry/lr:participant", NS)
    values = {child.tag.split("}")[1]: child.text for child in participant}
    for element in ("firstName", "lastName", "initials", "titleBefore", "titleAfter", "jobFunction",
                    "department", "organisation"):
        assert values[element] == HOSTILE, element
    assert b"<b>" not in body


def test_R_SUP_02_the_xsd_declares_every_form_field_with_a_type():
    schema = xmlschema.XMLSchema(str(XSD))
    participant = schema.types["Participant"]
    declared = {element.local_name: element for element in participant.content.iter_elements()}
    for field in FORM_FIELDS:
        element = declared[feeds.XML_ELEMENTS[field]]
        assert element.type is not None and element.type.name is not None, field
    assert schema.types["Gender"].enumeration == ["man", "vrouw", "anders", "zeg ik liever niet"]
    assert schema.target_namespace == feeds.NAMESPACE and schema.version == "1.0"


def test_R_PRV_01_first_feed_delivery_writes_one_ledger_row(client, feed_world):
    world, _ = feed_world
    enrolment_id = _enrol(client, world, "l")
    url = _feed_url(client, _supplier_token(client))
    _get(client, url)
    _get(client, url)
    rows = list(Disclosure.query(enrolment_id))
    assert [(r.recipient_kind, r.recipient_id, r.channel) for r in rows] == [("supplier", "sup-a", "feed")]
    assert set(rows[0].fields) == {"first_name", "last_name", "email", "organisation_name", "phone", "gender",
                                   "salary_scale"}


def _enrol_many(client, world, count: int) -> list[str]:
    ids = []
    for i in range(count):
        account_id = f"acct-many-{i}"
        fx.account(account_id=account_id, email=f"persoon{i}@minbzk.nl")
        with acting_as(Access.EMPLOYEE, org_id="org-bzk", subject_id=account_id):
            response = fx.post_json(client, "/enrolments", fx.form(world, email=f"persoon{i}@minbzk.nl"), key=f"m{i}")
        assert response.status_code == 201, response.body
        ids.append(response.json_body["enrolment_id"])
    return ids


class CountedTransactions:
    """Counts TransactWriteItems calls; `refuse` answers each with a cancellation for that reason instead."""

    def __init__(self, monkeypatch, refuse: str | None = None) -> None:
        import botocore.client
        from botocore.exceptions import ClientError

        self.calls = 0
        inner = botocore.client.BaseClient._make_api_call

        def answer(client, operation, params):
            if operation != "TransactWriteItems":
                return inner(client, operation, params)
            self.calls += 1
            if refuse is None:
                return inner(client, operation, params)
            reasons = [{"Code": refuse, "Message": refuse} for _ in params["TransactItems"]]
            raise ClientError({"Error": {"Code": "TransactionCanceledException", "Message": refuse},
                               "CancellationReasons": reasons}, operation)

        monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", answer)
        self.stop = lambda: monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", inner)


def test_R_PRV_01_a_page_of_many_rows_stores_each_once_and_a_repeat_keeps_the_first_rows(
        client, feed_world, monkeypatch):
    """The feed writes its ledger rows in transactions of at most TRANSACTION_LIMIT actions (100 in DynamoDB; 7
    here, so 12 rows take four), each row on condition that it does not exist, with the delivery's log entry.
    Read again with new enrolments among the old, the rows that exist are refused by name and the transaction
    goes again without them: every row stored once, the first delivery's rows kept (R_PRV_01)."""
    from chalicelib.platform import outbox

    monkeypatch.setattr(outbox, "TRANSACTION_LIMIT", 4)
    world, _ = feed_world
    ids = _enrol_many(client, world, 12)
    url = _feed_url(client, _supplier_token(client))
    read = clock.now()
    first = CountedTransactions(monkeypatch)
    page = _get(client, url)
    assert page.status_code == 200, page.body
    assert len(ElementTree.fromstring(page.body).findall("lr:entry", NS)) == 12
    assert first.calls == 6  # 12 rows, 2 of a transaction's 4 actions kept for the log entry and the log's counter
    rows = {r.enrolment_id: r for enrolment_id in ids for r in Disclosure.query(enrolment_id)}
    assert sorted(rows) == sorted(ids)
    assert {(r.recipient_kind, r.recipient_id, r.channel) for r in rows.values()} == {("supplier", "sup-a", "feed")}
    later = _enrol(client, world, "later")
    clock.freeze(read + timedelta(minutes=5))
    again = CountedTransactions(monkeypatch)
    assert _get(client, url).status_code == 200
    # Each refused for the rows that exist, the log entry held back to go with the first new row, in the last.
    assert again.calls == 7
    assert {enrolment_id: r.at for enrolment_id in ids for r in Disclosure.query(enrolment_id)} == {
        enrolment_id: row.at for enrolment_id, row in rows.items()}
    assert [r.at for r in Disclosure.query(later)] == [read + timedelta(minutes=5)]
    deliveries = [e["detail"] for e in eventlog.recent() if e["kind"] == str(eventlog.EventKind.DELIVERY)]
    assert [(d["channel"], d["count"]) for d in deliveries] == [("feed", 13), ("feed", 12)]  # the log has both


def test_R_PRV_01_R_SEC_03_ledger_rows_dynamodb_will_not_store_mean_the_page_is_not_sent(
        client, feed_world, monkeypatch):
    """When every transaction of the ledger rows meets another writer, the feed backs off, then answers 503 with
    Retry-After and no page: no enrolment data leaves without its row (R_PRV_01). The next read, with DynamoDB
    well, delivers it."""
    world, _ = feed_world
    enrolment_id = _enrol(client, world, "u")
    url = _feed_url(client, _supplier_token(client))
    monkeypatch.setattr("chalicelib.platform.faults.backoff", lambda attempt: None)
    busy = CountedTransactions(monkeypatch, refuse="TransactionConflict")
    page = _get(client, url)
    assert page.status_code == 503 and int(page.headers["Retry-After"]) > 0, page.body
    assert b"Sem" not in page.body and enrolment_id.encode() not in page.body
    assert busy.calls > 1 and list(Disclosure.query(enrolment_id)) == []
    busy.stop()
    delivered = _get(client, url)
    assert delivered.status_code == 200 and enrolment_id.encode() in delivered.body
    assert [r.channel for r in Disclosure.query(enrolment_id)] == ["feed"]


def test_R_LOG_04_a_feed_link_read_again_and_again_cannot_push_other_entries_out_of_the_log(client, feed_world):
    """A feed link is a bearer URL: whoever holds it (a leaked one) can read the feed from the start as often
    as they like. A page delivered before discloses nothing new (its ledger rows exist, R_PRV_01), so it takes
    no ring slot of its own: its reads are counted into one entry per supplier and window, as refusals are
    (R_LOG_04). The first delivery is logged once; a new enrolment on a later page is logged again."""
    world, _ = feed_world
    first = _enrol(client, world, "once")
    url = _feed_url(client, _supplier_token(client))
    assert _get(client, url).status_code == 200
    before = {int(e.seq) for e in EventLogEntry.query(eventlog.RING)}
    for _ in range(30):
        page = _get(client, url, since="0")
        assert page.status_code == 200 and first.encode() in page.body
    added = [e for e in EventLogEntry.query(eventlog.RING) if int(e.seq) not in before]
    assert [(e.kind, e.detail["supplier_id"]) for e in added] == [("delivery_repeated", "sup-a")]
    [shown] = [e for e in eventlog.recent() if e["kind"] == "delivery_repeated"]
    assert shown["detail"]["count"] == 30
    [later] = _enrol_many(client, world, 1)
    assert later.encode() in _get(client, url, since="0").body
    deliveries = [e["detail"]["count"] for e in eventlog.recent() if e["kind"] == str(eventlog.EventKind.DELIVERY)]
    assert sorted(deliveries) == [1, 2]  # the first page, and the page that carried the new enrolment
    assert [r.channel for r in Disclosure.query(first)] == ["feed"]


def test_R_LOG_02_R_PRV_01_an_entry_logged_between_the_pages_read_and_its_write_keeps_its_number(
        client, feed_world, monkeypatch):
    """The feed page numbers its delivery entry from the log's counter as its BatchGetItem read it, and advances
    the counter in the transaction of its ledger rows, on condition that the counter still holds that value
    (issue 23: the page costs no counter update of its own). Another request that logs in between takes that
    number first: the page's transaction is refused on the counter (and on the slot), the delivery is numbered
    anew and written with its rows. Both entries stay, each with its own number, and the counter stands at the
    highest (R_LOG_02: no entry overwritten, the ring stays the last 1,000)."""
    from chalicelib.models import Counter, EventLogEntry
    from chalicelib.platform import outbox

    world, _ = feed_world
    enrolment_id = _enrol(client, world, "between")
    url = _feed_url(client, _supplier_token(client))
    original = outbox.record_disclosures
    others = []

    def another_request_logs_first(*args, **kwargs):
        others.append(eventlog.record(eventlog.EventKind.SEARCH, term="tussendoor", results=1))
        return original(*args, **kwargs)

    monkeypatch.setattr(outbox, "record_disclosures", another_request_logs_first)
    written = CountedTransactions(monkeypatch)
    page = _get(client, url)
    assert page.status_code == 200 and enrolment_id.encode() in page.body, page.body
    assert written.calls == 2  # refused on the counter, then written with a number of its own
    ring = {int(e.seq): e for e in EventLogEntry.query(eventlog.RING)}
    delivery = [seq for seq, e in ring.items() if e.kind == str(eventlog.EventKind.DELIVERY)]
    assert len(delivery) == 1 and delivery[0] not in others and others[0] in ring
    assert ring[others[0]].detail["term"] == "tussendoor"
    assert int(Counter.get(eventlog.COUNTER_NAME).value) == max(ring) == delivery[0]
    assert [r.channel for r in Disclosure.query(enrolment_id)] == ["feed"]


@pytest.mark.parametrize("tamper", [
    lambda p: {**p, "sig": p["sig"][:-2] + ("AA" if not p["sig"].endswith("AA") else "BB")},
    lambda p: {**p, "exp": str(int(p["exp"]) + 86400)},
    lambda p: {**p, "v": str(int(p["v"]) + 1)},
    lambda p: {k: v for k, v in p.items() if k != "sig"},
])
def test_R_SUP_01_tampered_links_are_refused(client, feed_world, tamper):
    url = _feed_url(client, _supplier_token(client))
    parts = urlsplit(url)
    params = tamper(dict(parse_qsl(parts.query)))
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.http.get(parts.path.removeprefix("/api") + "?" + query)
    assert response.status_code == 403


def test_R_SUP_01_a_link_for_one_supplier_does_not_open_another(client, feed_world):
    url = _feed_url(client, _supplier_token(client))
    other = url.replace("/feeds/sup-a/", "/feeds/sup-other/")
    assert _get(client, other).status_code == 403


def test_R_SUP_01_expired_link_is_refused(client, feed_world):
    url = _feed_url(client, _supplier_token(client))
    clock.freeze(clock.now() + feeds.LINK_LIFETIME + timedelta(minutes=1))
    response = _get(client, url)
    assert response.status_code == 403 and response.json_body["error"]["code"] == "feed_link_expired"


def test_R_SUP_01_rotated_out_key_is_refused_and_a_rotated_in_key_still_works(client, feed_world, monkeypatch):
    url = _feed_url(client, _supplier_token(client))
    old_keys = settings.signing_keys
    monkeypatch.setattr(type(settings), "signing_keys", property(lambda s: ("new-key", *old_keys)), raising=False)
    assert _get(client, url).status_code == 200  # old key still in the list
    monkeypatch.setattr(type(settings), "signing_keys", property(lambda s: ("new-key",)), raising=False)
    assert _get(client, url).status_code == 403
    assert _get(client, _feed_url(client, _supplier_token(client))).status_code == 200


def test_R_SUP_01_links_signed_for_an_earlier_key_version_are_refused(client, feed_world):
    """Raising the supplier's key version (stored on the supplier) revokes every earlier link at once."""
    from chalicelib.models import Supplier

    url = _feed_url(client, _supplier_token(client))
    Supplier("sup-a").update(actions=[Supplier.feed_key_version.add(1)])
    response = _get(client, url)
    assert response.status_code == 403 and response.json_body["error"]["code"] == "feed_link_revoked"
    assert _get(client, _feed_url(client, _supplier_token(client))).status_code == 200


def test_R_SUP_01_email_suppliers_have_no_feed_and_since_is_validated(client, feed_world):
    _, token_other = feed_world
    assert client.http.get("/supplier/feed-url", headers=bearer(token_other)).status_code == 409
    url = _feed_url(client, _supplier_token(client))
    assert _get(client, url, since="-1").status_code == 400
    assert re.search(r"sig=[\w-]+", url)
