"""The question form of logged-in employees (R_QST_01, R_QST_02): mailed, never stored or logged."""

from __future__ import annotations

import logging

import pytest
from botocore.exceptions import ClientError

from chalicelib.models import EventLogEntry, OutboxItem
from chalicelib.platform import mail
from chalicelib.platform.config import settings
from tests.functional.conftest import sent_mail
from tests.functional.test_acc_support import (
    DOMAIN_A,
    DOMAIN_B,
    ORG_A,
    ORG_B,
    all_items,
    call,
    seed_account,
    seed_orgs,
    start_session,
)

QUESTION = "Kan ik <b>mijn</b> afdeling laten wijzigen? Groet & dank"
SENDER = f"eva@{DOMAIN_A}"


@pytest.fixture
def org_with_admins(aws):
    seed_orgs()
    seed_account("acc-eva", SENDER, first_name="Eva", last_name="de Vries")
    seed_account("acc-la1", f"lotte@{DOMAIN_A}", roles=[("local_admin", ORG_A, None)])
    seed_account("acc-la2", f"lars@{DOMAIN_A}", roles=[("local_admin", ORG_A, None)])
    seed_account("acc-la-b", f"bea@{DOMAIN_B}", org_id=ORG_B, roles=[("local_admin", ORG_B, None)])
    seed_account("acc-cfb", f"carmen@{DOMAIN_A}", roles=[("cfb", None, None)])
    return start_session("acc-eva")


def _snapshot() -> dict:
    """Every stored item except the per-account rate-limit counter (checked on its own: no content)."""
    return {k: v for k, v in all_items().items() if k != "RateCounter"}


def _counters_hold_nothing_of_the_question() -> None:
    text = str(all_items()["RateCounter"])
    for secret in (QUESTION[:20], SENDER, "acc-eva", "Eva"):
        assert secret not in text


def test_R_QST_02_question_is_mailed_to_own_local_admins_and_stored_nowhere(client, org_with_admins, caplog):
    session = org_with_admins
    caplog.set_level(logging.INFO)
    before = _snapshot()
    log_before = EventLogEntry.count()
    response = call(client, "POST", "/me/questions", session, {"question": QUESTION, "name": "Eva de Vries",
                                                                "phone": "+31 6 1234 5678"})
    assert response.status_code == 202
    after = _snapshot()
    assert {k: len(v) for k, v in after.items()} == {k: len(v) for k, v in before.items()}
    assert after["EventLogEntry"] == before["EventLogEntry"] and EventLogEntry.count() == log_before
    assert OutboxItem.count() == 0
    [message] = sent_mail()
    assert sorted(message.destinations["ToAddresses"]) == [f"lars@{DOMAIN_A}", f"lotte@{DOMAIN_A}"]
    assert not message.destinations.get("CcAddresses") and not message.destinations.get("BccAddresses")
    assert "Kan ik &lt;b&gt;mijn&lt;/b&gt; afdeling" in message.body and "&amp; dank" in message.body
    assert SENDER in message.body and "Ministerie A" in message.body and "+31 6 1234 5678" in message.body
    logged = caplog.text
    for secret in (QUESTION[:20], SENDER, "Eva de Vries", "1234 5678", "lotte@"):
        assert secret not in logged
    _counters_hold_nothing_of_the_question()


def test_R_QST_01_address_and_organisation_come_from_the_session_not_the_form(client, org_with_admins):
    for extra in ({"email": f"mallory@{DOMAIN_A}"}, {"org_id": ORG_B}, {"to": f"bea@{DOMAIN_B}"}):
        response = call(client, "POST", "/me/questions", org_with_admins, {"question": "Hallo", **extra})
        assert response.status_code == 400 and list(response.json_body["error"]["fields"]) == list(extra)
    assert sent_mail() == []


@pytest.mark.parametrize(("body", "field"), [
    ({}, "question"), ({"question": "   "}, "question"), ({"question": "x" * 5001}, "question"),
    ({"question": "Hoi", "name": "Eva\r\nBcc: x@evil.com"}, "name"), ({"question": "Hoi", "phone": "bel me"}, "phone"),
])
def test_R_QST_01_question_is_required_and_optional_fields_are_checked(client, org_with_admins, body, field):
    response = call(client, "POST", "/me/questions", org_with_admins, body)
    assert response.status_code == 400 and field in response.json_body["error"]["fields"]
    assert sent_mail() == []


def test_R_QST_02_without_a_local_admin_the_form_says_cfb_before_sending_and_cfb_receives_it(client, aws):
    seed_orgs()
    seed_account("acc-bert", f"bert@{DOMAIN_B}", org_id=ORG_B)
    seed_account("acc-la-a", f"lotte@{DOMAIN_A}", roles=[("local_admin", ORG_A, None)])
    session = start_session("acc-bert")
    told = call(client, "GET", "/me/questions/recipient", session)
    assert told.status_code == 200 and told.json_body["recipient"] == "cfb"
    assert "Centraal Functioneel Beheer" in told.json_body["message"]
    before = _snapshot()
    response = call(client, "POST", "/me/questions", session, {"question": "Hallo"})
    assert response.status_code == 202 and "Centraal Functioneel Beheer" in response.json_body["message"]
    [message] = sent_mail()
    assert message.destinations["ToAddresses"] == [settings.cfb_contact]
    assert "geen lokaal beheerder" in message.body and f"bert@{DOMAIN_B}" in message.body
    assert {k: len(v) for k, v in _snapshot().items()} == {k: len(v) for k, v in before.items()}


def test_R_QST_02_the_form_is_told_local_admins_when_there_are(client, org_with_admins):
    told = call(client, "GET", "/me/questions/recipient", org_with_admins)
    assert told.json_body["recipient"] == "local_admins"
    assert sent_mail() == []


def test_R_QST_02_a_disabled_or_demoted_local_admin_receives_nothing(client, org_with_admins):
    from chalicelib.models import Account

    Account("acc-la1").update(actions=[Account.status.set("disabled")])
    Account("acc-la2").update(actions=[Account.roles.set([])])
    assert call(client, "GET", "/me/questions/recipient", org_with_admins).json_body["recipient"] == "cfb"
    response = call(client, "POST", "/me/questions", org_with_admins, {"question": "Hallo"})
    assert response.status_code == 202
    [message] = sent_mail()
    assert message.destinations["ToAddresses"] == [settings.cfb_contact]


def test_R_QST_02_questions_are_rate_limited_per_account_with_a_clear_refusal(client, org_with_admins, caplog):
    """Issue 9 item 5: 30 questions in a row sent 90 e-mails. Now five an hour per account; the sixth is
    a Dutch 429 with Retry-After, sends nothing, stores nothing and logs nothing of the question."""
    caplog.set_level(logging.INFO)
    for _ in range(5):
        assert call(client, "POST", "/me/questions", org_with_admins, {"question": QUESTION}).status_code == 202
    assert len(sent_mail()) == 5
    before = _snapshot()
    refused = call(client, "POST", "/me/questions", org_with_admins, {"question": QUESTION})
    assert refused.status_code == 429 and refused.json_body["error"]["code"] == "rate_limited"
    assert "vijf vragen" in refused.json_body["error"]["message"] and int(refused.headers["Retry-After"]) > 0
    assert len(sent_mail()) == 5
    after = _snapshot()
    log_tables = ("EventLogEntry", "Counter")  # the refusal is counted in the log, by policy only
    assert {k: v for k, v in after.items() if k not in log_tables} == \
        {k: v for k, v in before.items() if k not in log_tables}
    [entry] = [e for e in EventLogEntry.scan() if e.kind == "rate_limited"]
    assert {k: v for k, v in entry.detail.as_dict().items() if k != "window"} == {"policy": "question", "count": 1}
    assert QUESTION[:20] not in caplog.text
    assert SENDER not in caplog.text
    _counters_hold_nothing_of_the_question()
    # another account of the same organisation is not affected
    other = start_session("acc-la-b")
    assert call(client, "POST", "/me/questions", other, {"question": "Hallo"}).status_code == 202


def test_R_QST_02_a_mail_failure_says_try_again_and_leaves_no_trace(client, org_with_admins, caplog):
    caplog.set_level(logging.INFO)

    def refuse(**kwargs):
        raise ClientError({"Error": {"Code": "Throttling", "Message": f"throttled {SENDER}"}}, "SendEmail")

    before = _snapshot()
    events = mail._client().meta.events
    events.register("before-call.sesv2.SendEmail", refuse)
    try:
        response = call(client, "POST", "/me/questions", org_with_admins, {"question": QUESTION})
    finally:
        events.unregister("before-call.sesv2.SendEmail", refuse)
    assert response.status_code == 503
    assert "Probeer het" in response.json_body["error"]["message"]
    assert _snapshot()["EventLogEntry"] == before["EventLogEntry"]
    assert {k: len(v) for k, v in _snapshot().items()} == {k: len(v) for k, v in before.items()}
    assert QUESTION[:20] not in caplog.text and SENDER not in caplog.text
