"""R_ENR_06 approval, R_ENR_08 cancellation, R_PRV_01 ledger, R_SEC_03 outbox under SES failure."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from chalicelib.access import Access
from chalicelib.enrolment import use_cases as enrolments
from chalicelib.jobs import expire_approvals, notify_run_changes, outbox_retry
from chalicelib.models import Disclosure, Enrolment, EnrolmentGuard, Execution, OutboxItem
from chalicelib.platform import clock, eventlog
from chalicelib.suppliers import apikeys
from tests.functional import enrolment_fixtures as fx
from tests.functional.conftest import sent_mail
from tests.functional.helpers import acting_as, bearer, outbox_left
from tests.functional.test_acc_support import PORTAL


def _enrol(client, world, key="k1", **overrides):
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        return fx.post_json(client, "/enrolments", fx.form(world, **overrides), key=key)


def _cancel(client, enrolment_id):
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        return fx.post_json(client, f"/enrolments/{enrolment_id}/cancel", {}, key=None)


def _decide(client, token, body, headers=PORTAL):
    """Exactly these headers (no portal defaults): the cross-site tests leave some out on purpose."""
    return client.http.post(f"/approvals/{token}", headers={"Content-Type": "application/json", **headers},
                            body=json.dumps(body))


def _mail_to(address):
    return [m for m in sent_mail() if m.destinations["ToAddresses"] == [address]]


def _token_from(mail) -> str:
    return re.search(r"/akkoord/\?keuze=akkoord#([^\"<\s]+)", mail.body).group(1)


@pytest.fixture
def approval_world(client):
    fx.organisation(approval=True)
    fx.account()
    return fx.publish(client)


def test_R_ENR_06_manager_is_asked_and_the_supplier_hears_only_after_approval(client, approval_world):
    response = _enrol(client, approval_world, manager_email="chef@minbzk.nl", salary_scale="10")
    assert response.status_code == 201 and response.json_body["status"] == "pending_approval"
    assert Execution.get(approval_world.course_id, "r1").seats_taken == 1  # the seat is held
    assert _mail_to("inschrijvingen@sup-a.example") == []
    manager_mail = _mail_to("chef@minbzk.nl")[0]
    for absent in ("+31 70 123 4567", "man", "Salarisschaal", ">10<"):
        assert absent not in manager_mail.body  # R_ENR_06: no phone, gender or salary scale
    assert "Sem Jansen" in manager_mail.body and "sem.jansen@minbzk.nl" in manager_mail.body
    token = _token_from(manager_mail)

    shown = client.http.get(f"/approvals/{token}")
    assert shown.status_code == 200
    assert shown.json_body["employee"] == {"first_name": "Sem", "last_name": "Jansen", "email": "sem.jansen@minbzk.nl"}
    assert Enrolment.get(response.json_body["enrolment_id"]).status == "pending_approval"  # GET never decides

    decided = _decide(client, token, {"decision": "approve"})
    assert decided.status_code == 200 and decided.json_body == {"status": "approved"}
    supplier_mails = _mail_to("inschrijvingen@sup-a.example")
    assert len(supplier_mails) == 1
    assert "chef@minbzk.nl" not in supplier_mails[0].body  # the manager's address never reaches the supplier
    again = _decide(client, token, {"decision": "reject"})
    assert again.status_code == 409
    ledger = {row.recipient_kind for row in Disclosure.query(response.json_body["enrolment_id"])}
    assert ledger == {"manager", "supplier"}  # R_PRV_01


def test_R_ENR_06_the_mail_has_an_approve_and_a_reject_link_and_opening_either_decides_nothing(
        client, approval_world):
    """Each link opens the decision page with its choice selected; mail scanners open links, so opening one
    (the page's GET, whatever its choice) changes nothing: no status, no version, no mail, no log entry."""
    enrolment_id = _enrol(client, approval_world, manager_email="chef@minbzk.nl").json_body["enrolment_id"]
    body = _mail_to("chef@minbzk.nl")[0].body
    links = set(re.findall(r'href="([^"]*/akkoord/[^"]*)"', body))
    approve = {link for link in links if "?keuze=akkoord#" in link}
    reject = {link for link in links if "?keuze=afwijzen#" in link}
    assert len(links) == 2 and len(approve) == len(reject) == 1, links
    (approve_link,), (reject_link,) = approve, reject
    token = approve_link.split("#", 1)[1]
    assert reject_link.split("#", 1)[1] == token and approve_link != reject_link
    assert re.search(r">\s*Akkoord geven\s*</a>", body) and re.search(r">\s*Afwijzen\s*</a>", body)
    before = Enrolment.get(enrolment_id)
    mails_before, entries_before = len(sent_mail()), len(eventlog.recent())

    for choice in ("akkoord", "afwijzen", "reject", "approve"):
        opened = client.http.get(f"/approvals/{token}?keuze={choice}&decision={choice}")
        assert opened.status_code == 200 and opened.json_body["status"] == "pending_approval"
    after = Enrolment.get(enrolment_id)
    assert (after.status, int(after.version)) == ("pending_approval", int(before.version))
    assert len(sent_mail()) == mails_before and len(eventlog.recent()) == entries_before
    assert Execution.get(approval_world.course_id, "r1").seats_taken == 1


def test_R_ENR_06_the_manager_sees_where_the_run_is(client, approval_world):
    """The place (city, or online) in the manager's mail and on the decision page (issue 28)."""
    _enrol(client, approval_world, manager_email="chef@minbzk.nl")
    mail = _mail_to("chef@minbzk.nl")[0]
    assert re.search(r">Plaats</th><td>Utrecht<", mail.body)
    shown = client.http.get(f"/approvals/{_token_from(mail)}").json_body
    assert shown["course"]["place"] == "Utrecht"


def test_R_ENR_06_rejection_releases_the_seat_and_tells_the_employee(client, approval_world):
    enrolment_id = _enrol(client, approval_world, manager_email="chef@minbzk.nl").json_body["enrolment_id"]
    token = _token_from(_mail_to("chef@minbzk.nl")[0])
    assert _decide(client, token, {"decision": "reject"}).status_code == 200
    assert Enrolment.get(enrolment_id).status == "rejected"
    assert Execution.get(approval_world.course_id, "r1").seats_taken == 0
    assert list(EnrolmentGuard.scan()) == []
    assert any("geen akkoord" in m.body for m in _mail_to("sem.jansen@minbzk.nl"))
    assert _mail_to("inschrijvingen@sup-a.example") == []


@pytest.mark.parametrize(("manager", "message"), [
    (None, "akkoord van uw leidinggevende"),
    ("sem.jansen@minbzk.nl", "niet uw eigen adres"),
    ("chef@gmail.example", "moet bij uw organisatie horen"),
])
def test_R_ENR_06_manager_address_rules(client, approval_world, manager, message):
    response = _enrol(client, approval_world, manager_email=manager)
    assert response.status_code == 400
    assert message in response.json_body["error"]["fields"]["manager_email"]


def test_R_ENR_06_tampered_or_expired_approval_links_are_refused(client, approval_world):
    _enrol(client, approval_world, manager_email="chef@minbzk.nl")
    token = _token_from(_mail_to("chef@minbzk.nl")[0])
    enrolment_id, expires, signature = token.split(".")
    forged = f"{enrolment_id}.2099-01-01.{signature}"
    assert client.http.get(f"/approvals/{forged}").status_code == 403
    assert _decide(client, forged, {"decision": "approve"}).status_code == 403
    clock.freeze(datetime.combine(date.fromisoformat(expires) + timedelta(days=1), datetime.min.time(), UTC))
    assert client.http.get(f"/approvals/{token}").status_code == 410


def test_R_ENR_06_undecided_request_expires_through_the_job(client, approval_world):
    enrolment_id = _enrol(client, approval_world, manager_email="chef@minbzk.nl").json_body["enrolment_id"]
    expires = date.fromisoformat(Enrolment.get(enrolment_id).approval_expires_day)
    clock.freeze(datetime.combine(expires, datetime.min.time(), UTC) + timedelta(hours=12))
    assert expire_approvals() == {"count": 0}  # still decidable on its last day
    clock.freeze(datetime.combine(expires + timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=12))
    assert expire_approvals() == {"count": 1}
    assert Enrolment.get(enrolment_id).status == "expired"
    assert Execution.get(approval_world.course_id, "r1").seats_taken == 0
    assert any("vervallen" in m.body for m in _mail_to("sem.jansen@minbzk.nl"))
    assert expire_approvals() == {"count": 0}


@pytest.fixture
def world(client):
    fx.organisation()
    fx.account()
    return fx.publish(client, start_in_days=60, free_days=14)


def _at(day: date) -> None:
    clock.freeze(datetime(day.year, day.month, day.day, 10, tzinfo=UTC))


def test_R_ENR_08_boundary_day_is_free_and_the_next_day_costs_the_price(client, world):
    start = date.fromisoformat(Execution.get(world.course_id, "r1").start_day)
    boundary = start - timedelta(days=14)
    first = _enrol(client, world, key="a").json_body["enrolment_id"]
    _at(boundary)
    free = _cancel(client, first)
    assert free.status_code == 200 and free.json_body["penalty_cents"] == 0
    second = _enrol(client, world, key="b").json_body["enrolment_id"]
    _at(boundary + timedelta(days=1))
    late = _cancel(client, second)
    assert late.json_body["penalty_cents"] == 49500
    # the confirmation mails, not the enrolment mails (which show the price anyway)
    told = [m.body for m in _mail_to("sem.jansen@minbzk.nl") if m.subject == "Uw inschrijving is geannuleerd"]
    assert len(told) == 2
    assert "geen kosten" in told[0] and "in rekening" not in told[0]
    assert "brengt de aanbieder € 495,00 in rekening" in told[1]


def test_R_ENR_08_a_free_course_costs_nothing_to_cancel_late_and_its_terms_say_so(client):
    fx.organisation()
    fx.account()
    world = fx.publish(client, start_in_days=60, free_days=14, price_eur="0.00")
    shown = client.http.get(f"/courses/{world.course_id}").json_body["executions"][0]
    assert (shown["price_cents"], shown["cancellation_penalty_cents"]) == (0, 0)
    enrolment_id = _enrol(client, world).json_body["enrolment_id"]
    _at(date.fromisoformat(shown["start"]) - timedelta(days=2))  # after the last free day
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        notice = client.http.get("/me/enrolments").json_body["items"][0]["cancellation"]
    assert notice == {"free": True, "last_free_day": shown["last_free_cancellation_day"], "penalty_cents": 0}
    late = _cancel(client, enrolment_id)
    assert late.status_code == 200 and late.json_body["penalty_cents"] == 0
    told = [m.body for m in _mail_to("sem.jansen@minbzk.nl") if m.subject == "Uw inschrijving is geannuleerd"]
    assert len(told) == 1 and "in rekening" not in told[0] and "geen kosten" in told[0]
    received = [m.body for m in _mail_to("sem.jansen@minbzk.nl") if "annuleren" in m.body.lower()]
    assert all("kost annuleren € 0,00" not in body for body in received)


def test_R_ENR_08_the_course_page_states_the_penalty_the_terms_apply(client, world):
    shown = client.http.get(f"/courses/{world.course_id}").json_body["executions"][0]
    assert shown["cancellation_penalty_cents"] == shown["price_cents"] == 49500


def test_R_ENR_08_cancellation_reaches_the_supplier_the_same_way_and_releases_seat_and_guard(client, world):
    enrolment_id = _enrol(client, world).json_body["enrolment_id"]
    assert _cancel(client, enrolment_id).status_code == 200
    supplier_mails = _mail_to("inschrijvingen@sup-a.example")
    assert len(supplier_mails) == 2
    assert "annulering" in supplier_mails[1].body and "annulering" not in supplier_mails[0].body
    assert Execution.get(world.course_id, "r1").seats_taken == 0
    assert list(EnrolmentGuard.scan()) == []
    assert _cancel(client, enrolment_id).status_code == 409
    assert _enrol(client, world, key="again").status_code == 201  # the guard is free again


def test_R_ENR_08_supplier_cancelling_a_run_notifies_everyone_without_penalty(client, world):
    ids = []
    for i in range(3):
        fx.account(account_id=f"acct-{i}", email=f"p{i}@minbzk.nl")
        with acting_as(Access.EMPLOYEE, org_id="org-bzk", subject_id=f"acct-{i}"):
            ids.append(fx.post_json(client, "/enrolments", fx.form(world, email=f"p{i}@minbzk.nl"),
                                    key=f"k{i}").json_body["enrolment_id"])
    token = apikeys.create_key("supplier", "sup-a").token
    assert client.http.delete("/supplier/programs/P-1", headers=bearer(token)).status_code == 200
    assert notify_run_changes()["cancelled"] == 3
    for i, enrolment_id in enumerate(ids):
        stored = Enrolment.get(enrolment_id)
        assert (stored.status, stored.cancelled_by, stored.penalty_cents) == ("cancelled", "supplier", 0)
        assert any("gaat niet door" in m.subject or "niet door" in m.body for m in _mail_to(f"p{i}@minbzk.nl"))
    assert notify_run_changes()["count"] == 0
    assert Execution.get(world.course_id, "r1").due_notify is None


def _throttle_ses(ses_client):
    """Inject SES throttling at the botocore layer: SendEmail answers 429 before reaching moto."""

    def throttled(**kwargs):
        return (SimpleNamespace(status_code=429, headers={}),
                {"Error": {"Code": "TooManyRequestsException", "Message": "Maximum sending rate exceeded."},
                 "ResponseMetadata": {"HTTPStatusCode": 429}})

    ses_client.meta.events.register("before-call.sesv2.SendEmail", throttled, unique_id="throttle-ses")
    return lambda: ses_client.meta.events.unregister("before-call.sesv2.SendEmail", unique_id="throttle-ses")


def test_R_SEC_03_ses_throttling_loses_no_mail(client, world):
    from chalicelib.platform import mail

    stop_throttling = _throttle_ses(mail._client())
    try:
        response = _enrol(client, world)
        assert response.status_code == 201  # the enrolment stands; DynamoDB stayed on moto
        pending = list(OutboxItem.scan())
        assert {i.template for i in pending} == {"enrolment_received", "supplier_enrolment"}
        assert sent_mail() == []
        clock.freeze(clock.now() + timedelta(minutes=2))
        assert outbox_retry() == {"count": 0, "failed": 2}  # still throttled: both wait for the next try
    finally:
        stop_throttling()
    assert outbox_retry() == {"count": 0, "failed": 0}  # not due yet: backoff
    clock.freeze(clock.now() + timedelta(minutes=3))
    assert outbox_retry() == {"count": 2, "failed": 0}
    assert outbox_left() == []
    assert len(sent_mail()) == 2
    assert outbox_retry() == {"count": 0, "failed": 0}


def test_R_SEC_03_a_claimed_item_is_sent_once(client, world, monkeypatch):
    from chalicelib.platform import outbox

    monkeypatch.setattr(outbox, "deliver_all", lambda items, **options: None)  # leave the items unsent
    _enrol(client, world)
    item_id = next(iter(OutboxItem.scan())).item_id
    claimed = outbox._claim(item_id)
    assert claimed is not None
    assert outbox.deliver(item_id) is False  # a second sender finds the lease taken
    assert sent_mail() == []


@pytest.mark.parametrize("headers", [
    {},
    {"X-Leer-Rijk": "1"},
    {"Origin": "https://evil.example", "X-Leer-Rijk": "1"},
    {"Origin": PORTAL["Origin"]},
])
def test_R_ENR_06_R_ACC_04_a_cross_site_decision_is_refused_and_changes_nothing(client, approval_world, headers):
    """Issue 9 item 11: the manager's POST needs the CSRF header and the portal's Origin like every state change."""
    enrolment_id = _enrol(client, approval_world, manager_email="chef@minbzk.nl").json_body["enrolment_id"]
    token = _token_from(_mail_to("chef@minbzk.nl")[0])
    mails_before = len(sent_mail())
    refused = _decide(client, token, {"decision": "approve"}, headers=headers)
    assert refused.status_code == 403 and refused.json_body["error"]["code"] == "csrf_failed"
    assert Enrolment.get(enrolment_id).status == "pending_approval"
    assert len(sent_mail()) == mails_before and _mail_to("inschrijvingen@sup-a.example") == []
    assert [d.recipient_kind for d in Disclosure.query(enrolment_id)] in ([], ["manager"])
    assert _decide(client, token, {"decision": "approve"}).status_code == 200  # the link still works from the portal


def test_approval_token_is_bound_to_its_enrolment(client, approval_world):
    first = _enrol(client, approval_world, manager_email="chef@minbzk.nl").json_body["enrolment_id"]
    token = enrolments.approval_token(Enrolment.get(first))
    other = token.replace(first, "e" + "0" * 20)
    assert client.http.get(f"/approvals/{other}").status_code == 403


def test_R_SEC_01_signed_link_routes_refuse_a_missing_or_bad_signature(client):
    for method in ("GET", "POST"):
        response = client.http.request(method, "/approvals/x", headers=PORTAL, body=b'{"decision": "approve"}')
        assert response.status_code == 403
        assert response.json_body["error"]["code"] == "invalid_link"


def test_R_ENR_08_cancellation_after_approval_tells_supplier_and_the_manager_who_approved(client, approval_world):
    enrolment_id = _enrol(client, approval_world, manager_email="chef@minbzk.nl").json_body["enrolment_id"]
    token = _token_from(_mail_to("chef@minbzk.nl")[0])
    assert _decide(client, token, {"decision": "approve"}).status_code == 200
    assert _cancel(client, enrolment_id).status_code == 200
    manager_mails = _mail_to("chef@minbzk.nl")
    assert len(manager_mails) == 2 and "geannuleerd" in manager_mails[1].body
    for absent in ("+31 70 123 4567", ">man<"):
        assert absent not in manager_mails[1].body
    supplier_mails = _mail_to("inschrijvingen@sup-a.example")
    assert len(supplier_mails) == 2 and "annulering" in supplier_mails[1].body


def test_R_ENR_08_cancelling_a_pending_request_costs_nothing_and_the_supplier_never_hears(client, approval_world):
    enrolment_id = _enrol(client, approval_world, manager_email="chef@minbzk.nl").json_body["enrolment_id"]
    start = date.fromisoformat(Enrolment.get(enrolment_id).start_day)
    clock.freeze(datetime.combine(start - timedelta(days=5), datetime.min.time(), UTC))
    response = _cancel(client, enrolment_id)
    assert response.status_code == 200 and response.json_body["penalty_cents"] == 0
    assert _mail_to("inschrijvingen@sup-a.example") == []
    assert len(_mail_to("chef@minbzk.nl")) == 1  # only the request; the manager never approved


def test_R_SEC_03_an_item_that_keeps_failing_is_given_up_logged_and_expires(client, world):
    from chalicelib.platform import eventlog, mail, outbox

    stop_throttling = _throttle_ses(mail._client())
    try:
        _enrol(client, world)
        for _ in range(outbox.MAX_ATTEMPTS + 1):
            clock.freeze(clock.now() + timedelta(days=1))
            outbox_retry()
    finally:
        stop_throttling()
    items = list(OutboxItem.scan())
    assert {i.status for i in items} == {"failed"}
    assert all(i.due_send is None and i.expires_at is not None for i in items)
    assert any(e["kind"] == "system_error" and e["detail"].get("where") == "outbox" for e in eventlog.recent())
    assert outbox_retry() == {"count": 0, "failed": 0}
