"""R_VIS_02: no full IP address is stored or logged anywhere.

The main journeys (contact, sign-up and login, enrolment, search, an error) run through the app with
a client address in every place one can arrive: `X-Forwarded-For`, `CloudFront-Viewer-Address`
(IPv4, IPv6 and IPv4-mapped IPv6) and API Gateway's `requestContext.identity.sourceIp`. Afterwards
every item of every DynamoDB table and everything the platform log captured is searched for them.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from chalice.local import LambdaEventConverter

from chalicelib.platform import eventlog
from tests.functional import enrolment_fixtures as fx
from tests.functional.test_acc_support import all_items, call, last_mail_to, session_token, signup_body, token_in

VIEWER_V4 = "203.0.113.45"
VIEWER_V6 = "2001:db8:85a3:8d3:1319:8a2e:370:7348"
MAPPED = "::ffff:198.51.100.23"
SOURCE_IP = "192.0.2.201"
FULL_ADDRESSES = (VIEWER_V4, VIEWER_V6, MAPPED, "198.51.100.23", SOURCE_IP)
HEADER_SETS = (
    {"X-Forwarded-For": f"{VIEWER_V4}, 10.1.2.3", "CloudFront-Viewer-Address": f"{VIEWER_V4}:51234"},
    {"X-Forwarded-For": VIEWER_V6, "CloudFront-Viewer-Address": f"{VIEWER_V6}:443"},
    {"X-Forwarded-For": MAPPED, "CloudFront-Viewer-Address": f"{MAPPED}:8080", "X-Real-IP": MAPPED},
)
EMAIL = "ip.proef@minbzk.nl"


@pytest.fixture
def platform_log(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> Any:
    caplog.set_level(logging.INFO)  # every logger at INFO: what Lambda would ship to CloudWatch
    caplog.set_level(logging.INFO, logger=eventlog.platform_log.name)  # restored after the test

    def captured() -> str:
        out, err = capsys.readouterr()
        return caplog.text + out + err

    return captured


def _journeys(client: Any, headers: dict[str, str], round_no: int) -> None:
    # contact (R_CON_01)
    response = call(client, "POST", "/contact", body={"email": "bezoeker@example.org", "question": "Een vraag"},
                    headers=headers)
    assert response.status_code == 202, response.body
    # search (R_VIS_01) and a bad request
    assert call(client, "GET", "/courses?q=projectmatig", headers=headers).status_code == 200
    assert call(client, "GET", "/courses?limit=nee", headers=headers).status_code == 400
    # sign-up, verify, login (R_ACC_01-03)
    response = call(client, "POST", "/auth/signup", body=signup_body(EMAIL, org_id="org-bzk"), headers=headers)
    assert response.status_code == 202, response.body  # later rounds: "you already have an account" + login link
    verified = call(client, "POST", "/auth/verify", body={"token": token_in(last_mail_to(EMAIL))}, headers=headers)
    assert verified.status_code == 200, verified.body
    token = session_token(verified)
    assert token
    # enrol with that session (R_ENR_01), then a refused call without it
    enrol_headers = {**headers, "Idempotency-Key": f"k-{round_no}"}
    world = _world(client)
    response = call(client, "POST", "/enrolments", token,
                    fx.form(world, email=EMAIL, first_name="Bo", last_name="de Wit"), enrol_headers)
    assert response.status_code in (201, 409), response.body  # the second round finds the first enrolment
    assert call(client, "GET", "/me/enrolments", None, headers=headers).status_code == 401


_published: dict[str, fx.World] = {}


def _world(client: Any) -> fx.World:
    if "world" not in _published:
        _published["world"] = fx.publish(client)
    return _published["world"]


def test_R_VIS_02_no_full_ip_in_any_table_or_the_platform_log(client, platform_log, monkeypatch):
    monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", SOURCE_IP)
    _published.clear()
    fx.organisation()
    for round_no, headers in enumerate(HEADER_SETS):
        _journeys(client, headers, round_no)
    # an unhandled error while the addresses are about: the platform log gets the type and frames only
    from chalicelib.contact import use_cases as contact

    def fail(body: Any) -> None:
        raise RuntimeError(f"failed for {VIEWER_V4} and {VIEWER_V6}")

    monkeypatch.setattr(contact, "submit", fail)
    response = call(client, "POST", "/contact", body={"email": "b@example.org", "question": "x"},
                    headers=HEADER_SETS[0])
    assert response.status_code == 500
    tables = json.dumps(all_items(), default=str)
    assert '"contact_sent"' in tables and EMAIL in tables  # the journeys did store things
    log = platform_log()
    assert "RuntimeError" in log  # the platform log did get the forced error (and no copy of any entry, R_LOG_02)
    for address in FULL_ADDRESSES:
        assert address not in tables, address
        assert address not in log, address


@pytest.mark.parametrize(("viewer", "masked"), [
    (f"{VIEWER_V4}:51234", "203.0.0.0"), (f"{VIEWER_V6}:443", "2001:db8:85a3::"), (f"{MAPPED}:8080", "198.51.0.0"),
])
def test_R_VIS_02_the_viewer_address_of_a_login_is_kept_masked_in_the_event_log(client, monkeypatch, viewer, masked):
    """Where the app keeps a client address: the event log's security entries (link requests, logins,
    refusals) carry CloudFront's viewer address, masked at once; never API Gateway's source address
    (CloudFront's own, behind the distribution), and never on a review or search entry."""
    monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", SOURCE_IP)
    fx.organisation()
    headers = {"CloudFront-Viewer-Address": viewer}
    assert call(client, "POST", "/auth/login", body={"email": "iemand@minbzk.nl"}, headers=headers).status_code == 202
    assert call(client, "GET", "/me/enrolments", headers=headers).status_code == 401
    assert call(client, "GET", "/courses?q=projectmatig&log=true", headers=headers).status_code == 200
    entries = {entry["kind"]: entry["detail"] for entry in eventlog.recent()}
    assert entries["link_requested"]["origin"] == masked
    assert entries["access_denied"]["origin"] == masked
    assert "origin" not in entries["search"]
    stored = json.dumps(eventlog.recent())
    for address in FULL_ADDRESSES:
        assert address not in stored, address
