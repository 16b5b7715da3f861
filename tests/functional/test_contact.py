"""The contact form of visitors (R_CON_01-04, R_LOG_01, R_SEC_03): to CFB by the outbox, gone within a week."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from app import app
from chalicelib.access import Access
from chalicelib.contact import use_cases as contact
from chalicelib.models import ContactMessage, Disclosure, EventLogEntry, OutboxItem, RateCounter
from chalicelib.platform import clock, mail, ratelimit
from chalicelib.platform.config import settings
from devstack.scheduler import JobRunner
from tests.functional.conftest import sent_mail
from tests.functional.helpers import acting_as
from tests.functional.test_acc_support import all_items, call

SENDER = "Vera.Bezoeker@Example.org"
ADDRESS = SENDER.lower()
QUESTION = "Hoe vind ik <b>opleidingen</b> in Zwolle? Groet & dank"
FULL = {"email": SENDER, "question": QUESTION, "first_name": "Vera", "last_name": "Bezoeker",
        "organisation": "Gemeente Voorbeeld"}
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def at_t0(client: Any) -> Iterator[Any]:
    clock.freeze(T0)
    yield client


@pytest.fixture
def replies() -> Iterator[list[dict[str, Any]]]:
    """The SendEmail parameters as sent (moto's SES does not record Reply-To)."""
    seen: list[dict[str, Any]] = []

    def record(params: dict[str, Any], **kwargs: Any) -> None:
        seen.append(params)

    events = mail._client().meta.events
    events.register("provide-client-params.sesv2.SendEmail", record, unique_id="contact-replies")
    yield seen
    events.unregister("provide-client-params.sesv2.SendEmail", unique_id="contact-replies")


@pytest.fixture
def ses_down() -> Iterator[None]:
    """SES throttles every SendEmail (injected at the botocore layer; DynamoDB stays on moto)."""

    def throttled(**kwargs: Any) -> Any:
        return (SimpleNamespace(status_code=429, headers={}),
                {"Error": {"Code": "TooManyRequestsException", "Message": "Maximum sending rate exceeded."},
                 "ResponseMetadata": {"HTTPStatusCode": 429}})

    events = mail._client().meta.events
    events.register("before-call.sesv2.SendEmail", throttled, unique_id="contact-ses-down")
    yield
    events.unregister("before-call.sesv2.SendEmail", unique_id="contact-ses-down")


def send(client: Any, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return call(client, "POST", "/contact", body=body, headers=headers)


def run_job(name: str) -> dict[str, Any]:
    """Through the scheduled Lambda handler, with a complete EventBridge event."""
    from chalicelib.jobs import JOBS

    return JobRunner(JOBS, app.handler_map, settings.region).run(name)


def retention_finding(client: Any) -> tuple[bool, int, str | None]:
    """CFB's retention self-check (GET /api/admin/retention, R_PRV_02), its contact rule: holds, copies checked,
    the id of the first copy past its week."""
    with acting_as(Access.CFB, org_id=None):
        response = client.http.get("/admin/retention")
    assert response.status_code == 200, response.body
    [finding] = [rule for rule in response.json_body["rules"] if rule["rule"] == "contact"]
    return finding["holds"], finding["checked"], finding["breach"]


def mails_to_cfb() -> list[Any]:
    return [m for m in sent_mail() if settings.cfb_contact in m.destinations.get("ToAddresses", [])]


def copies(text: str) -> dict[str, int]:
    """How many items of each table hold `text` anywhere (tests may Scan)."""
    found: dict[str, int] = {}
    for table, items in all_items().items():
        hits = sum(1 for item in items if text.lower() in json.dumps(item, default=str).lower())
        if hits:
            found[table] = hits
    return found


def contact_copies() -> dict[str, int]:
    """The message items, their outbox items and the contact rate counters (by their hashed subject)."""
    subject = ratelimit.subject_of(ADDRESS)
    return {
        "messages": sum(1 for _ in ContactMessage.scan()),
        # a sent item keeps no recipient or content (R_PRV_04) and only waits for its purge day
        "outbox": sum(1 for i in OutboxItem.scan()
                      if i.template == contact.TEMPLATE and (i.status != "sent" or i.recipient)),
        "counters": sum(1 for c in RateCounter.scan() if c.subject in (subject, ratelimit.GLOBAL_SUBJECT)),
    }


# --- R_CON_01, R_CON_02: the form and the mail to CFB ------------------------------------------------------


def test_R_CON_01_R_CON_02_the_message_is_mailed_to_cfb_with_reply_to_the_sender(at_t0, replies, caplog):
    caplog.set_level(logging.INFO)
    response = send(at_t0, FULL)
    assert response.status_code == 202, response.body
    assert "Centraal Functioneel Beheer" in response.json_body["message"]
    [message] = mails_to_cfb()
    assert message.destinations["ToAddresses"] == [settings.cfb_contact]
    assert not message.destinations.get("CcAddresses") and not message.destinations.get("BccAddresses")
    assert "Hoe vind ik &lt;b&gt;opleidingen&lt;/b&gt; in Zwolle? Groet &amp; dank" in message.body
    assert ADDRESS in message.body and "Vera Bezoeker" in message.body and "Gemeente Voorbeeld" in message.body
    assert settings.privacy_statement_version in message.body
    [params] = [p for p in replies if p["Destination"]["ToAddresses"] == [settings.cfb_contact]]
    assert params["ReplyToAddresses"] == [ADDRESS]
    assert ADDRESS not in params["Content"]["Simple"]["Subject"]["Data"]
    # sent: the outbox item has lost its recipient; the message waits for its purge day
    assert contact_copies() == {"messages": 1, "outbox": 0, "counters": 2}
    # no ledger row (R_PRV_01), and the event log holds only "contact form sent" (R_LOG_01)
    assert list(Disclosure.scan()) == []
    assert [(e.kind, e.detail.as_dict()) for e in EventLogEntry.scan()] == [("contact_sent", {})]
    assert ADDRESS not in caplog.text.lower() and "Zwolle" not in caplog.text


def test_R_CON_01_only_address_and_question_are_required(at_t0, replies):
    response = send(at_t0, {"email": SENDER, "question": "Waar vind ik de privacyverklaring?",
                            "first_name": "", "last_name": " ", "organisation": ""})
    assert response.status_code == 202, response.body
    [message] = mails_to_cfb()
    assert "Waar vind ik de privacyverklaring?" in message.body and "Organisatie" not in message.body
    stored = next(iter(ContactMessage.scan()))
    assert (stored.first_name, stored.last_name, stored.organisation) == (None, None, None)


@pytest.mark.parametrize(("body", "field"), [
    ({"question": "Vraag"}, "email"),
    ({"email": SENDER}, "question"),
    ({"email": "geen-adres", "question": "Vraag"}, "email"),
    ({"email": "a@b.nl\r\nBcc: x@y.nl", "question": "Vraag"}, "email"),
    ({"email": SENDER, "question": "   \n "}, "question"),
    ({"email": SENDER, "question": "x" * 5001}, "question"),
    ({"email": SENDER, "question": "Vraag", "first_name": "Vera\r\nBcc: x@y.nl"}, "first_name"),
    ({"email": SENDER, "question": "Vraag", "role": "cfb"}, "role"),
])
def test_R_CON_01_R_SEC_02_bad_input_names_the_field_and_changes_nothing(at_t0, body, field):
    before = all_items()
    response = send(at_t0, body)
    assert response.status_code == 400, response.body
    assert field in response.json_body["error"]["fields"]
    assert all_items() == before and sent_mail() == []


def test_R_CON_02_a_cross_site_post_is_refused(at_t0):
    for headers in ({"X-Leer-Rijk": ""}, {"Origin": "https://evil.example"}):
        response = send(at_t0, FULL, headers)
        assert response.status_code == 403 and response.json_body["error"]["code"] == "csrf_failed"
    assert contact_copies() == {"messages": 0, "outbox": 0, "counters": 0} and sent_mail() == []


def test_R_SEC_03_R_CON_02_a_failed_send_is_retried_by_the_outbox(at_t0, ses_down, replies):
    response = send(at_t0, FULL)
    assert response.status_code == 202  # the visitor is done; the outbox keeps the mail
    assert mails_to_cfb() == [] and contact_copies()["outbox"] == 1
    item = next(iter(OutboxItem.scan()))
    assert ADDRESS not in json.dumps(item.to_simple_dict(force=True), default=str).lower()  # ids and CFB only
    events = mail._client().meta.events
    events.unregister("before-call.sesv2.SendEmail", unique_id="contact-ses-down")
    clock.freeze(T0 + timedelta(minutes=2))
    assert run_job("outbox_retry")["count"] == 1
    [message] = mails_to_cfb()
    assert "Zwolle" in message.body
    assert [p["ReplyToAddresses"] for p in replies if "ReplyToAddresses" in p][-1] == [ADDRESS]
    assert contact_copies()["outbox"] == 0


# --- R_CON_03: a hard week ---------------------------------------------------------------------------------


def test_R_CON_03_day_6_present_day_7_gone_from_every_read_and_the_purge_deletes_it(at_t0, ses_down):
    assert send(at_t0, FULL).status_code == 202
    message_id = next(iter(ContactMessage.scan())).message_id
    assert contact_copies() == {"messages": 1, "outbox": 1, "counters": 2}

    clock.freeze(T0 + timedelta(days=6) - timedelta(minutes=1))  # day 6: still there, still readable
    assert contact.visible_message(message_id) is not None
    assert retention_finding(at_t0) == (True, 4, None)  # the message, its outbox item, two counters (R_PRV_02)

    clock.freeze(T0 + timedelta(days=7))  # day 7, before any purge: no read path shows it
    assert contact.visible_message(message_id) is None
    assert retention_finding(at_t0) == (False, 4, message_id)
    mail._client().meta.events.unregister("before-call.sesv2.SendEmail", unique_id="contact-ses-down")
    run_job("outbox_retry")  # the outbox reads it through the same check: nothing goes to CFB after the week
    assert mails_to_cfb() == []

    result = run_job("purge_contact")
    assert result["count"] == 1 and result["counters"] == 2
    assert contact_copies() == {"messages": 0, "outbox": 0, "counters": 0}
    assert copies(ADDRESS) == {} and copies(message_id) == {} and copies("Zwolle") == {}
    assert retention_finding(at_t0) == (True, 0, None)


@pytest.mark.parametrize("submitted", [
    datetime(2026, 3, 2, 0, 0, 1, tzinfo=UTC),
    datetime(2026, 3, 2, 23, 59, 59, tzinfo=UTC),
    datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # the night the Netherlands leave summer time follows
])
def test_R_CON_03_the_scheduled_purge_deletes_every_copy_before_7_days_have_passed(client, ses_down, submitted):
    clock.freeze(submitted)
    assert send(client, FULL).status_code == 202
    deadline = submitted + timedelta(days=7)
    day_before_purge_day = datetime.combine((submitted + timedelta(days=5)).date(), datetime.max.time(), UTC)
    clock.freeze(day_before_purge_day)
    assert run_job("purge_contact")["count"] == 0 and contact_copies()["messages"] == 1
    # the last hourly run on the purge day is before the deadline, whenever in the day it was sent
    last_run = datetime.combine((submitted + timedelta(days=6)).date(), datetime.min.time(), UTC) + timedelta(
        hours=23, minutes=59)
    assert last_run < deadline
    first_run = last_run - timedelta(hours=23, minutes=58)
    clock.freeze(first_run)
    assert run_job("purge_contact")["count"] == 1
    assert contact_copies() == {"messages": 0, "outbox": 0, "counters": 0}


def test_R_CON_03_a_missed_purge_run_is_caught_up_by_the_next(at_t0, ses_down):
    assert send(at_t0, FULL).status_code == 202
    clock.freeze(T0 + timedelta(days=10))
    assert run_job("purge_contact")["count"] == 1
    assert contact_copies() == {"messages": 0, "outbox": 0, "counters": 0}


def test_R_CON_03_contact_copies_carry_their_purge_day_and_ttl(at_t0, ses_down):
    assert send(at_t0, FULL).status_code == 202
    message = next(iter(ContactMessage.scan()))
    item = next(iter(OutboxItem.scan()))
    counters = [c for c in RateCounter.scan() if c.window.startswith("contact")]
    assert message.purge_day == item.purge_day == "2026-03-08"
    assert message.expires_at == item.expires_at == T0 + timedelta(days=7)
    assert {c.purge_day for c in counters} == {"2026-03-08"} and len(counters) == 2


# --- R_CON_04: abuse --------------------------------------------------------------------------------------


def test_R_CON_04_a_filled_honeypot_is_answered_as_accepted_and_leaves_nothing(at_t0):
    before = all_items()
    response = send(at_t0, {**FULL, "website": "https://spam.example"})
    assert response.status_code == 202 and response.json_body == contact.SENT
    assert all_items() == before and sent_mail() == []


def test_R_CON_04_per_address_limit_with_a_clear_dutch_refusal_whatever_the_ip(at_t0):
    for n in range(3):
        forwarded = {"X-Forwarded-For": f"198.51.{n}.7", "CloudFront-Viewer-Address": f"203.0.{n}.9:443"}
        assert send(at_t0, {**FULL, "question": f"Vraag {n}"}, forwarded).status_code == 202
    refused = send(at_t0, {**FULL, "question": "Vraag 4"}, {"CloudFront-Viewer-Address": "192.0.2.1:1"})
    assert refused.status_code == 429
    error = refused.json_body["error"]
    assert error["code"] == "rate_limited" and "e-mailadres" in error["message"] and "over een uur" in error["message"]
    assert int(refused.headers.get("Retry-After") or refused.headers.get("retry-after")) > 0
    assert len(mails_to_cfb()) == 3
    assert send(at_t0, {**FULL, "email": "ander@example.org"}).status_code == 202  # another address still can
    # the counters are keyed by a hash of the address and "global", never by an IP (R_CON_04)
    # (the event log's own count of repeated refusals, R_LOG_04, is keyed by kind and policy only)
    subjects = {c.subject for c in RateCounter.scan() if not c.subject.startswith("eventlog-repeat:")}
    assert subjects == {ratelimit.subject_of(ADDRESS), ratelimit.subject_of("ander@example.org"), "global"}
    clock.freeze(T0 + timedelta(hours=1))
    assert send(at_t0, FULL).status_code == 202  # the next window


def test_R_CON_04_the_per_address_limit_counts_the_mailbox_not_the_typed_address(at_t0):
    """Issue 22 item 3: `x+1@` ... `x+4@` each passed. Case and `+tag` fold as for login links."""
    for n in range(1, 4):
        assert send(at_t0, {**FULL, "email": f"vera.bezoeker+{n}@example.org"}).status_code == 202
    for typed in ("vera.bezoeker+4@example.org", "VERA.Bezoeker@example.org", ADDRESS):
        refused = send(at_t0, {**FULL, "email": typed})
        assert refused.status_code == 429 and refused.json_body["error"]["code"] == "rate_limited", typed
    assert len(mails_to_cfb()) == 3 and sum(1 for _ in ContactMessage.scan()) == 3
    assert send(at_t0, {**FULL, "email": "vera.bezoeker2@example.org"}).status_code == 202  # another mailbox


def test_R_CON_04_the_overall_count_warns_operators_and_never_shuts_the_form(at_t0):
    """Issue 22 item 3: 63 messages from 21 addresses shut the form for every visitor for an hour. The
    service-wide count only warns IT operations (once per window); a 22nd visitor is still heard."""
    for sender in range(21):
        for n in range(3):
            response = send(at_t0, {**FULL, "email": f"bezoeker{sender}@example.org", "question": f"Vraag {n}"})
            assert response.status_code == 202, (sender, n, response.body)
    visitor = send(at_t0, {**FULL, "email": "nog.een.bezoeker@example.org"})
    assert visitor.status_code == 202 and visitor.json_body == contact.SENT
    assert len(mails_to_cfb()) == 64
    warnings = [e for e in EventLogEntry.scan() if e.kind == "rate_limited"]
    assert [(e.level, e.detail["policy"], e.detail["outcome"]) for e in warnings] == [
        ("warning", "contact-global", "alarm")]


def test_R_LOG_01_nothing_of_a_contact_message_reaches_the_event_log(at_t0, caplog):
    caplog.set_level(logging.INFO)
    for n in range(4):  # the fourth is refused: the refusal is logged by policy name only
        send(at_t0, {**FULL, "question": f"Geheime vraag {n}"})
    entries = [e.to_simple_dict(force=True) for e in EventLogEntry.scan()]
    kinds = sorted(e["kind"] for e in entries)
    assert kinds == ["contact_sent"] * 3 + ["rate_limited"]
    text = json.dumps(entries, default=str).lower()
    for secret in (ADDRESS, "geheime vraag", "vera", "bezoeker", "gemeente voorbeeld"):
        assert secret not in text and secret not in caplog.text.lower()


def test_R_CON_03_R_SEC_03_an_undeliverable_message_is_never_kept_past_its_week(at_t0, ses_down):
    """The outbox gives up after about two days and keeps a failed item for IT operations, but never
    beyond the contact message's own week; the purge deletes it on its day regardless."""
    from chalicelib.platform import outbox as outbox_module

    assert send(at_t0, FULL).status_code == 202
    for _ in range(outbox_module.MAX_ATTEMPTS):
        item = next(iter(OutboxItem.scan()))
        if item.status == "failed":
            break
        clock.freeze(item.next_attempt_at)
        run_job("outbox_retry")
    item = next(iter(OutboxItem.scan()))
    assert item.status == "failed" and item.due_send is None
    assert item.expires_at <= T0 + timedelta(days=7)
    assert mails_to_cfb() == []
    clock.freeze(T0 + timedelta(days=6))
    run_job("purge_contact")
    assert contact_copies() == {"messages": 0, "outbox": 0, "counters": 0}


# --- edges of the address and text rules (issue 22 item 16: the mutation run found them untested) ---------


@pytest.mark.parametrize("email", ["vera@example.org\n", "vera@example.org\r", "vera\u0000@example.org",
                                   "\u212aees@example.org", "vera@example", "l" * 65 + "@example.org"])
def test_R_CON_01_an_address_with_a_line_break_a_kelvin_sign_no_dot_or_a_long_local_part_is_refused(at_t0, email):
    before = all_items()
    response = send(at_t0, {"email": email, "question": "Vraag"})
    assert response.status_code == 400, response.body
    assert "email" in response.json_body["error"]["fields"]
    assert all_items() == before and sent_mail() == []


def test_R_CON_01_a_64_character_local_part_is_an_address(at_t0, replies):
    address = "l" * 64 + "@example.org"
    assert send(at_t0, {"email": address, "question": "Vraag"}).status_code == 202
    [params] = [p for p in replies if p["Destination"]["ToAddresses"] == [settings.cfb_contact]]
    assert params["ReplyToAddresses"] == [address]


def test_R_CON_01_the_question_loses_del_and_c1_controls_and_a_lone_cr_becomes_a_line_break(at_t0):
    """DEL and the C1 controls (U+0080-U+009F: NEL, CSI) passed the input layer and the text rule alike."""
    response = send(at_t0, {"email": SENDER, "question": "Regel 1\rRegel 2\x7f!\r\nRegel\x85 3\x9b\t."})
    assert response.status_code == 202, response.body
    stored = next(iter(ContactMessage.scan()))
    assert stored.question == "Regel 1\nRegel 2!\nRegel 3\t."
    [message] = mails_to_cfb()
    assert not any(ch in message.body for ch in "\x7f\x85\x9b")
