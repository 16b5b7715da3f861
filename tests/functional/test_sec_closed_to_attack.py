"""Issue 9 ("Closed to attack"), items 5-9: each test performs the attack through the real entry point
and asserts the refusal and that nothing changed (stored state, mails, ledger)."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from chalicelib.access import Access
from chalicelib.models import Account, Disclosure, OutboxItem, Supplier
from chalicelib.platform import eventlog, outbox
from tests.functional import enrolment_fixtures as fx
from tests.functional.conftest import sent_mail
from tests.functional.helpers import acting_as, aws_calls, bearer
from tests.functional.test_acc_support import call, seed_account, seed_orgs, signup_body, start_session
from tools import supplier as supplier_command


@pytest.fixture
def cfb(client):
    seed_orgs()
    seed_account("acc-cfb", "carmen@minbzk.nl", roles=[("cfb", None, None)], first_name="Carmen")
    return start_session("acc-cfb", level=2)


def _supplier_state(supplier_id: str) -> dict:
    return Supplier.get(supplier_id).to_simple_dict(force=True)


# --- item 6: e-mail delivery needs an address; a missing recipient is never "delivered" -------------


def test_R_SEC_03_R_PRV_01_cfb_cannot_set_email_delivery_without_a_contact_address(client, cfb):
    created = call(client, "POST", "/admin/suppliers", cfb, {
        "supplier_id": "sup-f", "name": "Feed BV", "kind": "extern", "contact_email": "in@feed.example",
        "delivery": "feed"})
    assert created.status_code == 201
    cleared = call(client, "PATCH", "/admin/suppliers/sup-f", cfb, {"contact_email": None})
    assert cleared.status_code == 200 and cleared.json_body["contact_email"] is None  # a feed needs no address
    before = _supplier_state("sup-f")
    for body in ({"delivery": "email"}, {"delivery": "email", "contact_email": None}):
        refused = call(client, "PATCH", "/admin/suppliers/sup-f", cfb, body)
        assert refused.status_code == 422, refused.body
        assert refused.json_body["error"]["code"] == "contact_email_required"
        assert "contact_email" in refused.json_body["error"]["fields"]
    assert _supplier_state("sup-f") == before
    # an e-mail supplier cannot lose its address either
    call(client, "PATCH", "/admin/suppliers/sup-f", cfb, {"delivery": "email", "contact_email": "in@feed.example"})
    before = _supplier_state("sup-f")
    refused = call(client, "PATCH", "/admin/suppliers/sup-f", cfb, {"contact_email": None})
    assert refused.status_code == 422 and "contact_email" in refused.json_body["error"]["fields"]
    assert _supplier_state("sup-f") == before
    # and on creation the address is required
    missing = call(client, "POST", "/admin/suppliers", cfb, {
        "supplier_id": "sup-g", "name": "G", "kind": "extern", "delivery": "email"})
    assert missing.status_code == 400 and "contact_email" in missing.json_body["error"]["fields"]
    assert Supplier.count("sup-g") == 0


def test_R_SEC_03_R_PRV_01_an_outbox_item_without_recipient_is_kept_and_writes_no_ledger_row(client):
    """A supplier stored without an address (older data, or written around the admin route): the
    enrolment is accepted, but its supplier mail is neither marked sent nor disclosed; a system error
    is logged and the item stays pending for a retry."""
    fx.organisation()
    fx.account()
    world = fx.publish(client)
    Supplier(world.supplier_id).update(actions=[Supplier.contact_email.remove()])
    from chalicelib.suppliers import use_cases as suppliers

    suppliers.forget_cache()
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        response = fx.post_json(client, "/enrolments", fx.form(world), key="k-missing")
    assert response.status_code == 201, response.body
    enrolment_id = response.json_body["enrolment_id"]
    kept = [i for i in OutboxItem.scan() if i.template == "supplier_enrolment"]
    assert len(kept) == 1 and kept[0].status == "pending" and kept[0].due_send == outbox.DUE
    assert [d.recipient_kind for d in Disclosure.query(enrolment_id)] == []
    assert all(m.destinations["ToAddresses"] == ["sem.jansen@minbzk.nl"] for m in sent_mail())
    errors = [e for e in eventlog.recent() if e["kind"] == "system_error"]
    assert errors and errors[0]["detail"]["error_type"] == "MissingRecipient"
    assert "sem.jansen" not in json.dumps(errors)
    assert outbox.deliver(kept[0].item_id) is False  # a retry does the same, never "done"
    assert OutboxItem.get(kept[0].item_id).status == "pending"
    assert [d.recipient_kind for d in Disclosure.query(enrolment_id)] == []


# --- item 7: feed links revoked early, by CFB and by the supplier command ----------------------------


def _feed_url(client, token: str) -> str:
    response = client.http.get("/supplier/feed-url", headers=bearer(token))
    assert response.status_code == 200, response.body
    return response.json_body["url"]


def _get(client, url: str):
    parts = urlsplit(url)
    query = "&".join(f"{k}={v}" for k, v in parse_qsl(parts.query))
    return client.http.get(parts.path.removeprefix("/api") + "?" + query)


@pytest.fixture
def feed_supplier(client, cfb):
    from chalicelib.suppliers import apikeys

    fx.publish(client, delivery="feed", seats=None)
    return apikeys.create_key("supplier", "sup-a").token


def test_R_SUP_01_cfb_revokes_feed_links_early_and_a_renewed_url_works(client, cfb, feed_supplier):
    old = _feed_url(client, feed_supplier)
    assert _get(client, old).status_code == 200
    revoked = call(client, "DELETE", "/admin/suppliers/sup-a/feed-links", cfb)
    assert revoked.status_code == 200 and revoked.json_body["revoked"] is True
    refused = _get(client, old)
    assert refused.status_code == 403 and refused.json_body["error"]["code"] == "feed_link_revoked"
    renewed = _feed_url(client, feed_supplier)
    assert renewed != old and _get(client, renewed).status_code == 200
    assert call(client, "DELETE", "/admin/suppliers/sup-none/feed-links", cfb).status_code == 404
    entries = [e for e in eventlog.recent() if e["detail"].get("outcome") == "feed_links_revoked"]
    assert len(entries) == 1 and entries[0]["detail"]["actor_ref"] == "acc-cfb"


def test_R_SUP_01_the_supplier_command_revokes_feed_links(client, cfb, feed_supplier, capsys):
    old = _feed_url(client, feed_supplier)
    assert supplier_command.main(["revoke-feed", "--id", "sup-a"]) == 0
    assert "ingetrokken" in capsys.readouterr().out
    assert _get(client, old).json_body["error"]["code"] == "feed_link_revoked"
    assert _get(client, _feed_url(client, feed_supplier)).status_code == 200


# --- items 8 and 9: login and sign-up do the same AWS work for known and unknown addresses ---------


KNOWN = "anna.jansen@minbzk.nl"


@pytest.fixture
def login_world(client):
    seed_orgs()
    seed_account("acc-known", KNOWN)
    seed_account("acc-off", "uit@minbzk.nl").update(actions=[Account.status.set("disabled")])


@pytest.fixture
def ses_refuses():
    """SES throttles every SendEmail (at the botocore layer; DynamoDB stays on moto)."""
    from botocore.exceptions import ClientError

    from chalicelib.platform import mail

    def refuse(**kwargs):
        raise ClientError({"Error": {"Code": "Throttling", "Message": "rate exceeded"}}, "SendEmail")

    events = mail._client().meta.events
    events.register("before-call.sesv2.SendEmail", refuse, unique_id="link-ses-down")
    yield
    events.unregister("before-call.sesv2.SendEmail", unique_id="link-ses-down")


@pytest.mark.parametrize("ses", ["up", "down"])
@pytest.mark.parametrize("route", ["/auth/login", "/auth/signup"])
def test_R_ACC_03_known_and_unknown_addresses_make_the_same_aws_calls(client, login_world, monkeypatch, route,
                                                                       ses, request):
    """Issue 9 item 8, issue 22 item 15: the branches cannot be told apart by timing because they do the same
    DynamoDB and SES work, call for call (a decoy read and a decoy link where there is no account). When the
    mail fails (R_SEC_03) every branch withdraws its link alike and answers the same 503."""
    def asking(address):
        body = signup_body(address) if route == "/auth/signup" else {"email": address}
        return lambda: responses.append(call(client, "POST", route, body=body))

    responses: list = []
    call(client, "POST", route, body={"email": "warm@minbzk.nl"} if route == "/auth/login"
         else signup_body("warm@minbzk.nl"))  # caches (organisations) warmed alike for both
    if ses == "down":
        request.getfixturevalue("ses_refuses")
    known = aws_calls(monkeypatch, asking(KNOWN))
    unknown = aws_calls(monkeypatch, asking("nobody.here@minbzk.nl"))
    disabled = aws_calls(monkeypatch, asking("uit@minbzk.nl"))
    assert [r.status_code for r in responses] == [202, 202, 202] if ses == "up" else [503, 503, 503]
    assert len({r.body for r in responses}) == 1
    assert ("sesv2", "SendEmail") in {c[:2] for c in known}
    assert len(known) >= 8 and known == unknown == disabled, (known, unknown, disabled)


def test_R_ACC_03_a_decoy_link_is_never_usable_and_stores_no_address(client, login_world):
    from chalicelib.models import LoginToken

    assert call(client, "POST", "/auth/login", body={"email": "nobody.here@minbzk.nl"}).status_code == 202
    stored = list(LoginToken.scan())
    assert len(stored) == 1 and "nobody" not in stored[0].email and stored[0].purpose == "decoy"
    assert "inloggen/bevestigen" not in sent_mail()[-1].body


def test_R_ACC_03_plus_addressing_does_not_multiply_the_per_address_limit(client, login_world):
    """Issue 9 item 9: `anna+1@`, `Anna+2@` ... are one mailbox and share its five link requests."""
    for i in range(5):
        assert call(client, "POST", "/auth/login", body={"email": f"anna.jansen+{i}@minbzk.nl"}).status_code == 202
    mails = len(sent_mail())
    for address in ("anna.jansen+9@minbzk.nl", "Anna.Jansen@minbzk.nl", KNOWN):
        refused = call(client, "POST", "/auth/login", body={"email": address})
        assert refused.status_code == 429 and refused.json_body["error"]["code"] == "rate_limited"
    refused = call(client, "POST", "/auth/signup", body=signup_body("anna.jansen+x@minbzk.nl"))
    assert refused.status_code == 429
    assert len(sent_mail()) == mails  # nothing more was sent
    assert call(client, "POST", "/auth/login", body={"email": "bo@minbzk.nl"}).status_code == 202  # another mailbox
