"""The contact form in Chromium against the local stack (R_CON_01-04, R_VIS_02).

Send from the page reached by the footer link → the mail to CFB is in the mailbox → the app's clock is
moved (`/_dev/clock`) and the purge job run (`/_dev/jobs/purge_contact`) → no DynamoDB table of the
stack holds the message, its sender or a forwarded client address any more. The tables are read with
plain DynamoDB calls to the stack's emulated AWS (moto's server), whose address the stack prints.
"""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import Stack, Tab, http
from tests.browser.test_account_journeys import assert_accessible, open_page, unexpected_errors, wait_for_text

DAY = 86_400
FORWARDED = "203.0.113.77"


def dynamodb(stack: Stack, target: str, body: dict[str, Any]) -> Any:
    """One DynamoDB JSON call to the stack's moto server (it does not check signatures)."""
    found = re.search(r"moto\s+(http://[0-9.]+:[0-9]+)/moto-api/", stack.log.read_text())
    assert found, "the stack prints moto's address"
    request = urllib.request.Request(found.group(1) + "/", method="POST", data=json.dumps(body).encode(), headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"DynamoDB_20120810.{target}",
        "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-1/dynamodb/aws4_request, "
                         "SignedHeaders=host, Signature=0",
    })
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def every_item(stack: Stack) -> dict[str, str]:
    """Every table of the stack as one JSON text each (a test may Scan)."""
    tables = dynamodb(stack, "ListTables", {})["TableNames"]
    return {name: json.dumps(dynamodb(stack, "Scan", {"TableName": name})["Items"]) for name in tables}


def holding(stack: Stack, *needles: str) -> dict[str, list[str]]:
    return {table: [n for n in needles if n.lower() in text.lower()]
            for table, text in every_item(stack).items() if any(n.lower() in text.lower() for n in needles)}


def move_clock(stack: Stack, change: dict[str, Any]) -> dict[str, Any]:
    answer = http("POST", f"{stack.base_url}/_dev/clock", {"Content-Type": "application/json"},
                  json.dumps(change).encode())
    assert answer.status == 200, answer.body
    return answer.json()


def run_job(stack: Stack, name: str) -> dict[str, Any]:
    answer = http("POST", f"{stack.base_url}/_dev/jobs/{name}")
    assert answer.status == 200, answer.body
    return answer.json()


@pytest.fixture
def clock_restored(stack: Stack) -> Iterator[None]:
    yield
    move_clock(stack, {"at": None})  # the stack is shared with the other browser tests


def test_R_CON_01_R_CON_02_R_CON_03_R_VIS_02_contact_message_reaches_cfb_and_is_gone_after_a_week(
        tab: Tab, stack: Stack, clock_restored: None) -> None:
    page = tab.page
    sender = f"bezoeker.{uuid.uuid4().hex[:8]}@example.org"
    question = f"Waar vind ik opleidingen over archiveren? ({uuid.uuid4().hex[:6]})"
    page.context.set_extra_http_headers({"X-Forwarded-For": FORWARDED})
    cfb = re.search(r'href="mailto:([^"]+)"', http("GET", f"{stack.base_url}/").body.decode())
    assert cfb
    cfb_address = cfb.group(1)

    # reachable from the footer of every page
    open_page(tab, stack, "/")
    page.locator("footer a[href='/contact/']").click()
    page.wait_for_url("**/contact/")
    consent = page.locator("#toestemming")
    assert consent.locator("a[href='/privacy/']").count() == 1
    assert re.search(r"versie \S+\)", consent.inner_text())
    assert page.locator("#contact-website").is_hidden() or page.locator(".lr-honeypot").bounding_box()["x"] < 0

    # required fields: a clear error summary, nothing sent
    page.locator("#contact-formulier [type=submit]").click()
    summary = wait_for_text(tab, "#fouten")
    assert "e-mailadres" in summary and "vraag" in summary
    assert_accessible(tab, "contact form with errors")

    page.fill("#contact-email", sender)
    page.fill("#contact-vraag", question)
    page.fill("#contact-voornaam", "Vera")
    page.fill("#contact-organisatie", "Gemeente Voorbeeld")
    page.locator("#contact-formulier [type=submit]").click()
    sent = wait_for_text(tab, "#verstuurd")
    assert "Uw bericht is verstuurd" in sent and "7 dagen" in sent
    assert page.locator("#contact").is_hidden()
    assert_accessible(tab, "contact message sent")

    # the mail to CFB (Reply-To the sender is checked in tests/functional/test_contact.py)
    mails = [m for m in http("GET", f"{stack.base_url}/_dev/mail.json").json()
             if cfb_address in m["destinations"] and question in m["body"]]
    assert len(mails) == 1 and sender in mails[0]["body"] and "Gemeente Voorbeeld" in mails[0]["body"]

    stored = holding(stack, sender, question, FORWARDED)
    assert any(t.endswith("contact-messages") for t in stored)
    assert not [t for t, found in stored.items() if FORWARDED in found]  # R_VIS_02: no address kept
    assert FORWARDED not in stack.log.read_text()

    # day 5: the purge leaves it; after the week it is gone from every table
    move_clock(stack, {"advance_seconds": 5 * DAY})
    assert run_job(stack, "purge_contact")["count"] == 0
    assert any(t.endswith("contact-messages") for t in holding(stack, sender))
    move_clock(stack, {"advance_seconds": 2 * DAY})
    result = run_job(stack, "purge_contact")
    assert result["count"] >= 1
    assert holding(stack, sender, question) == {}
    assert unexpected_errors(tab, 400) == []
