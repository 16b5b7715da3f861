"""Sign-up and login by e-mailed one-time link (R_ACC_01, R_ACC_02, R_ACC_03)."""

from __future__ import annotations

import base64
import json
import threading
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

from chalicelib.accounts import use_cases as accounts
from chalicelib.models import Account, LoginToken, Session
from chalicelib.platform import eventlog, mail
from chalicelib.platform.ratelimit_rules import Policy
from tests.functional.conftest import sent_mail
from tests.functional.test_acc_support import (
    DOMAIN_A,
    DOMAIN_B,
    ORG_A,
    ORG_B,
    T0,
    all_items,
    call,
    event_kinds,
    freeze,
    last_mail_to,
    login,
    seed_account,
    seed_orgs,
    session_token,
    signup_body,
    token_in,
)

NEW = f"bo.dewit@{DOMAIN_A}"
KNOWN = f"anna.jansen@{DOMAIN_A}"


@pytest.fixture
def orgs(aws):
    seed_orgs()


def _account_by_email(email: str) -> list[Account]:
    return list(Account.email_index.query(email))


def test_R_ACC_01_signup_creates_the_account_only_when_the_link_is_verified(client, orgs, frozen_clock):
    freeze(T0)
    response = call(client, "POST", "/auth/signup", body=signup_body(NEW, department_id="dep-a2"))
    assert response.status_code == 202
    assert _account_by_email(NEW) == []
    message = last_mail_to(NEW)
    assert message.subject == "Bevestig uw aanmelding bij Leer-Rijk"
    freeze(T0 + timedelta(minutes=3))
    verified = call(client, "POST", "/auth/verify", body={"token": token_in(message)})
    assert verified.status_code == 200
    assert verified.json_body["purpose"] == "signup"
    assert verified.json_body["second_factor"] == "not_needed"
    [account] = _account_by_email(NEW)
    account = Account.get(account.account_id)
    assert (account.first_name, account.last_name, account.org_id, account.department_id) == (
        "Bo", "de Wit", ORG_A, "dep-a2")
    assert account.consent_at == T0 and account.consent_version == signup_body(NEW)["statement_version"]
    assert account.created_at == T0 + timedelta(minutes=3)
    me = call(client, "GET", "/me", session_token(verified))
    assert me.status_code == 200 and me.json_body["email"] == NEW
    assert "signup" in event_kinds()


@pytest.mark.parametrize(("change", "field"), [
    ({"consent": False}, "consent"),
    ({"first_name": ""}, "first_name"),
    ({"last_name": "\r\n"}, "last_name"),
    ({"statement_version": None}, "statement_version"),
    ({"email": "geen-adres"}, "email"),
    ({"roles": [{"role": "cfb"}]}, "roles"),
])
def test_R_ACC_01_signup_requires_every_field_and_explicit_consent(client, orgs, change, field):
    body = {k: v for k, v in {**signup_body(NEW), **change}.items() if v is not None}
    response = call(client, "POST", "/auth/signup", body=body)
    assert response.status_code == 400
    assert field in response.json_body["error"]["fields"]
    assert sent_mail() == []


def test_R_ACC_01_signup_refuses_an_outdated_statement_version(client, orgs):
    response = call(client, "POST", "/auth/signup", body=signup_body(NEW, statement_version="2001-01"))
    assert response.status_code == 422
    assert response.json_body["error"]["code"] == "statement_changed"


@pytest.mark.parametrize(("email", "org_id", "status"), [
    (f"a@{DOMAIN_A}", ORG_B, 422),  # a real domain, but of another organisation than chosen
    (f"a@{DOMAIN_A}.evil.com", ORG_A, 422),
    (f"a@x{DOMAIN_A}", ORG_A, 422),
    (f"a@sub.{DOMAIN_A}", ORG_A, 422),
    (f"a@{DOMAIN_A}@evil.com", ORG_A, 400),
    (f"a@{DOMAIN_A}\r\nBcc: x@evil.com", ORG_A, 400),
    (f'"a@{DOMAIN_A}"@evil.com', ORG_A, 400),
    (f"a@{DOMAIN_A}", "org-unknown", 422),
])
def test_R_ACC_02_signup_refuses_other_domains_and_look_alikes_clearly(client, orgs, email, org_id, status):
    response = call(client, "POST", "/auth/signup", body=signup_body(email, org_id=org_id))
    assert response.status_code == status
    assert response.json_body["error"]["fields"]
    assert sent_mail() == []


def test_R_ACC_02_uppercase_addresses_are_normalised(client, orgs):
    assert call(client, "POST", "/auth/signup", body=signup_body("Bo.DeWit@MINBZK.NL")).status_code == 202
    assert last_mail_to(NEW)


def test_R_ACC_02_R_UI_02_the_domain_error_names_the_domain_given_and_the_ones_that_fit(client, orgs):
    """Issue 28: "hoort niet bij" alone leaves a person guessing; the error names both domains."""
    refused = call(client, "POST", "/auth/signup", body=signup_body(f"a@{DOMAIN_A}", org_id=ORG_B))
    error = refused.json_body["error"]
    assert refused.status_code == 422 and error["code"] == "domain_not_allowed"
    assert f"@{DOMAIN_A}" in error["message"] and "Dienst B" in error["message"]
    assert error["fields"]["email"].endswith(f"@{DOMAIN_B}.")
    login = call(client, "POST", "/auth/login", body={"email": "a@gmail.com"}).json_body["error"]
    assert "@gmail.com" in login["fields"]["email"]


def test_R_ACC_02_login_refuses_an_address_of_no_participating_organisation(client, orgs):
    response = call(client, "POST", "/auth/login", body={"email": "a@gmail.com"})
    assert response.status_code == 422
    assert response.json_body["error"]["code"] == "domain_not_allowed"
    assert sent_mail() == []


def test_R_ACC_03_signup_answers_byte_identically_with_or_without_an_account(client, orgs):
    seed_account("acc-known", KNOWN)
    new = call(client, "POST", "/auth/signup", body=signup_body(NEW))
    known = call(client, "POST", "/auth/signup", body=signup_body(KNOWN))
    assert (new.status_code, new.body, new.headers) == (known.status_code, known.body, known.headers)
    assert "Set-Cookie" not in known.headers
    existing_mail = last_mail_to(KNOWN)
    assert existing_mail.subject == "U heeft al een account bij Leer-Rijk"
    assert len(_account_by_email(KNOWN)) == 1
    login = call(client, "POST", "/auth/verify", body={"token": token_in(existing_mail)})
    assert login.status_code == 200 and login.json_body["purpose"] == "login"
    assert login.json_body["profile"]["account_id"] == "acc-known"


def test_R_ACC_03_login_answers_byte_identically_with_or_without_an_account(client, orgs):
    seed_account("acc-known", KNOWN)
    unknown = call(client, "POST", "/auth/login", body={"email": NEW})
    known = call(client, "POST", "/auth/login", body={"email": KNOWN})
    assert (unknown.status_code, unknown.body, unknown.headers) == (known.status_code, known.body, known.headers)
    assert unknown.status_code == 202
    neutral = last_mail_to(NEW)
    assert "geen account" in neutral.body and "#token=" not in neutral.body
    assert token_in(last_mail_to(KNOWN))
    assert len(sent_mail()) == 2  # the same work: one mail each


def test_R_ACC_03_link_token_is_256_bits_stored_only_as_its_hash(client, orgs):
    seed_account("acc-known", KNOWN)
    call(client, "POST", "/auth/login", body={"email": KNOWN})
    token = token_in(last_mail_to(KNOWN))
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) >= 32
    assert token not in json.dumps(all_items())
    verified = call(client, "POST", "/auth/verify", body={"token": token})
    session = session_token(verified)
    assert session and session not in json.dumps(all_items())


def test_R_ACC_03_link_expires_after_ten_minutes(client, orgs, frozen_clock):
    seed_account("acc-known", KNOWN)
    freeze(T0)
    call(client, "POST", "/auth/login", body={"email": KNOWN})
    first = token_in(last_mail_to(KNOWN))
    freeze(T0 + timedelta(minutes=10, seconds=1))
    refused = call(client, "POST", "/auth/verify", body={"token": first})
    assert refused.status_code == 400
    assert refused.json_body["error"]["code"] == "link_invalid"
    assert "Set-Cookie" not in refused.headers
    assert "link_expired" in event_kinds()
    call(client, "POST", "/auth/login", body={"email": KNOWN})
    second = token_in(last_mail_to(KNOWN))
    freeze(T0 + timedelta(minutes=20))  # 9 min 59 s after the second link
    assert call(client, "POST", "/auth/verify", body={"token": second}).status_code == 200


def test_R_ACC_03_link_works_once(client, orgs):
    seed_account("acc-known", KNOWN)
    call(client, "POST", "/auth/login", body={"email": KNOWN})
    token = token_in(last_mail_to(KNOWN))
    assert call(client, "POST", "/auth/verify", body={"token": token}).status_code == 200
    again = call(client, "POST", "/auth/verify", body={"token": token})
    assert again.status_code == 400 and again.json_body["error"]["code"] == "link_invalid"
    assert "link_refused" in event_kinds()


def test_R_ACC_03_concurrent_use_of_one_link_starts_exactly_one_session(client, orgs, dynamodb_lock):
    seed_account("acc-known", KNOWN)
    call(client, "POST", "/auth/login", body={"email": KNOWN})
    token = token_in(last_mail_to(KNOWN))
    statuses: list[int] = []

    def use() -> None:
        statuses.append(call(client, "POST", "/auth/verify", body={"token": token}).status_code)

    threads = [threading.Thread(target=use) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 400, 400, 400, 400, 400]


def test_R_ACC_03_a_new_link_replaces_the_older_one(client, orgs):
    seed_account("acc-known", KNOWN)
    call(client, "POST", "/auth/login", body={"email": KNOWN})
    older = token_in(last_mail_to(KNOWN))
    call(client, "POST", "/auth/login", body={"email": KNOWN})
    newer = token_in(last_mail_to(KNOWN))
    assert call(client, "POST", "/auth/verify", body={"token": older}).status_code == 400
    assert call(client, "POST", "/auth/verify", body={"token": newer}).status_code == 200


@pytest.mark.parametrize("purpose", ["feed", "approval", "unsubscribe"])
def test_R_ACC_03_a_token_of_another_purpose_never_logs_in(client, orgs, purpose):
    from chalicelib.accounts import links as tokens

    seed_account("acc-known", KNOWN)
    token = tokens.issue(purpose, KNOWN)
    response = call(client, "POST", "/auth/verify", body={"token": token})
    assert response.status_code == 400 and "Set-Cookie" not in response.headers


def test_R_ACC_03_a_link_reaches_only_the_account_that_holds_its_address_now(client, orgs, monkeypatch):
    """Issue 22 item 12 (the old test held by construction). Anna moves from KNOWN to a new address. Just
    after, DynamoDB's email index may still show her at KNOWN (an index is eventually consistent), and a login
    link for KNOWN is then mailed to KNOWN, a mailbox that is no longer hers. That link is bound to KNOWN:
    it must not log anyone into Anna's account, now at another address."""
    seed_account("acc-anna", KNOWN, first_name="Anna")
    stale = Account.get("acc-anna")  # as the index still shows her for a moment after the change
    anna = login(client, KNOWN)
    assert call(client, "PATCH", "/me", anna, {"email": f"anna.smit@{DOMAIN_A}"}).status_code == 200
    confirmed = call(client, "POST", "/auth/verify", body={"token": token_in(last_mail_to(f"anna.smit@{DOMAIN_A}"))})
    assert confirmed.status_code == 200 and Account.get("acc-anna").email == f"anna.smit@{DOMAIN_A}"

    index_query = Account.email_index.query

    def lagging(email, *args, **kwargs):
        return iter([stale]) if email == KNOWN else index_query(email, *args, **kwargs)

    monkeypatch.setattr(Account.email_index, "query", lagging)
    assert call(client, "POST", "/auth/login", body={"email": KNOWN}).status_code == 202
    response = call(client, "POST", "/auth/verify", body={"token": token_in(last_mail_to(KNOWN))})
    assert response.status_code == 400 and response.json_body["error"]["code"] == "link_invalid"
    assert session_token(response) is None
    assert [s.account_id for s in Session.scan()] == ["acc-anna"]  # only her own login, at the start


def test_R_ACC_03_opening_the_link_never_consumes_it(client, orgs):
    """The link opens a portal page (a URL fragment never reaches the server); only POST consumes."""
    seed_account("acc-known", KNOWN)
    call(client, "POST", "/auth/login", body={"email": KNOWN})
    message = last_mail_to(KNOWN)
    assert "/inloggen/bevestigen/#token=" in message.body
    token = token_in(message)
    assert client.http.get("/auth/verify").status_code == 405
    assert LoginToken.get(__import__("hashlib").sha256(token.encode()).hexdigest()).used_at is None
    assert call(client, "POST", "/auth/verify", body={"token": token}).status_code == 200


def test_R_ACC_03_a_disabled_account_gets_no_login_link(client, orgs):
    account = seed_account("acc-known", KNOWN)
    account.update(actions=[Account.status.set("disabled")])
    assert call(client, "POST", "/auth/login", body={"email": KNOWN}).status_code == 202
    assert "#token=" not in last_mail_to(KNOWN).body


def test_R_ACC_03_link_requests_are_rate_limited_per_address(client, orgs, frozen_clock):
    freeze(T0)
    for _ in range(5):
        assert call(client, "POST", "/auth/login", body={"email": KNOWN}).status_code == 202
    refused = call(client, "POST", "/auth/login", body={"email": KNOWN})
    assert refused.status_code == 429
    assert refused.json_body["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) > 0
    assert call(client, "POST", "/auth/signup", body=signup_body(KNOWN)).status_code == 429
    assert call(client, "POST", "/auth/login", body={"email": NEW}).status_code == 202  # another address
    assert len(sent_mail()) == 6
    assert "rate_limited" in event_kinds()
    freeze(T0 + timedelta(minutes=15))
    assert call(client, "POST", "/auth/login", body={"email": KNOWN}).status_code == 202


def test_R_ACC_03_R_CON_04_the_service_wide_count_never_locks_everyone_out(client, orgs, monkeypatch):
    """Issue 9 item 9: an anonymous client spraying addresses cannot exhaust a limit everyone shares.
    The service-wide count only raises one alarm per window; each address keeps its own limit."""
    seed_account("acc-known", KNOWN)
    monkeypatch.setattr(accounts, "LINK_GLOBAL", Policy("link-global", 2, timedelta(minutes=15)))
    for i in range(6):  # one client, many addresses, past the service-wide threshold
        assert call(client, "POST", "/auth/login", body={"email": f"spray{i}@{DOMAIN_A}"}).status_code == 202
    response = call(client, "POST", "/auth/login", body={"email": KNOWN})
    assert response.status_code == 202  # the real user still gets their link
    assert token_in(last_mail_to(KNOWN))
    alarms = [e for e in eventlog.recent() if e["kind"] == "rate_limited"]
    assert len(alarms) == 1 and alarms[0]["detail"] == {"policy": "link-global", "outcome": "alarm"}


def test_R_ACC_03_a_mail_failure_answers_try_again_alike_for_known_and_unknown(client, orgs):
    seed_account("acc-known", KNOWN)

    def refuse(**kwargs):
        raise ClientError({"Error": {"Code": "Throttling", "Message": f"rate exceeded for {KNOWN}"}}, "SendEmail")

    events = mail._client().meta.events
    events.register("before-call.sesv2.SendEmail", refuse)
    try:
        unknown = call(client, "POST", "/auth/login", body={"email": NEW})
        known = call(client, "POST", "/auth/login", body={"email": KNOWN})
    finally:
        events.unregister("before-call.sesv2.SendEmail", refuse)
    assert (unknown.status_code, unknown.body) == (known.status_code, known.body)
    assert known.status_code == 503 and known.json_body["error"]["code"] == "mail_failed"


def test_R_SEC_03_a_link_mail_that_fails_keeps_no_link(client, orgs):
    """Issue 22 item 11: a failed login, sign-up or e-mail-change mail answers 503 with advice and leaves
    no link record behind (it used to stay until it expired); nothing else changes either."""
    seed_account("acc-known", KNOWN)
    session = login(client, KNOWN)
    assert list(LoginToken.scan()) != []  # the used link of that login stays until it expires
    for item in LoginToken.scan():
        item.delete()

    def refuse(**kwargs):
        raise ClientError({"Error": {"Code": "Throttling", "Message": "rate exceeded"}}, "SendEmail")

    events = mail._client().meta.events
    events.register("before-call.sesv2.SendEmail", refuse, unique_id="links-ses-down")
    try:
        answers = [
            call(client, "POST", "/auth/login", body={"email": KNOWN}),
            call(client, "POST", "/auth/login", body={"email": NEW}),
            call(client, "POST", "/auth/signup", body=signup_body(NEW)),
            call(client, "POST", "/auth/signup", body=signup_body(KNOWN)),
            call(client, "PATCH", "/me", session, {"email": f"anna.smit@{DOMAIN_A}"}),
        ]
    finally:
        events.unregister("before-call.sesv2.SendEmail", unique_id="links-ses-down")
    for answer in answers:
        assert answer.status_code == 503 and answer.json_body["error"]["code"] == "mail_failed", answer.body
        assert "Probeer het over enkele minuten opnieuw" in answer.json_body["error"]["message"]
    assert list(LoginToken.scan()) == []
    assert Account.get("acc-known").pending_email is None and _account_by_email(NEW) == []


def test_R_ACC_03_verify_of_a_signup_whose_domain_left_the_organisation_is_refused(client, orgs):
    from chalicelib.models import Organisation

    call(client, "POST", "/auth/signup", body=signup_body(NEW))
    Organisation(ORG_A).update(actions=[Organisation.domains.set({"elders.nl"})])
    response = call(client, "POST", "/auth/verify", body={"token": token_in(last_mail_to(NEW))})
    assert response.status_code == 422 and "Set-Cookie" not in response.headers
    assert _account_by_email(NEW) == []


def test_R_ACC_03_security_events_hold_no_address_or_token(client, orgs):
    seed_account("acc-known", KNOWN)
    call(client, "POST", "/auth/login", body={"email": KNOWN})
    token = token_in(last_mail_to(KNOWN))
    call(client, "POST", "/auth/verify", body={"token": token})
    call(client, "POST", "/auth/verify", body={"token": token})
    call(client, "POST", "/auth/login", body={"email": NEW})
    from chalicelib.platform import eventlog

    entries = json.dumps(eventlog.recent())
    assert {"link_requested", "link_used", "link_refused", "login"} <= set(event_kinds())
    for secret in (KNOWN, NEW, token, DOMAIN_A):
        assert secret not in entries


def test_organisations_directory_is_public_and_sorted(client, orgs):
    response = client.http.get("/organisations")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    names = [o["name"] for o in response.json_body["organisations"]]
    assert names == sorted(names)
    org_a = next(o for o in response.json_body["organisations"] if o["org_id"] == ORG_A)
    assert org_a["domains"] == [DOMAIN_A]
    assert org_a["departments"][0] == {"department_id": "dep-a1", "name": "Directie A1"}
    assert "local_admin_ids" not in json.dumps(response.json_body)
