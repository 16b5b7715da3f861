"""The holder's rights: profile (R_ACC_05-07), access/export (R_ACC_09), erasure (R_ACC_08).

One item of every model with personal fields is seeded for holders A and B; A's export holds each
of A's items and none of B's, found through keys and indexes (a Scan in a route fails the test).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from chalicelib import models
from chalicelib.accounts import links as tokens
from chalicelib.accounts.rules import search_terms
from chalicelib.contact import rules as contact_rules
from chalicelib.enrolment import waiting_rules
from chalicelib.models import (
    Account,
    ContactMessage,
    Counter,
    Course,
    Disclosure,
    Enrolment,
    EnrolmentGuard,
    Execution,
    IdempotencyRecord,
    LoginToken,
    OrderLine,
    Organisation,
    OutboxItem,
    RateCounter,
    Review,
    ReviewGuard,
    Session,
    WaitingPlace,
)
from chalicelib.orders import rules as order_rules
from chalicelib.platform import clock, eventlog, ratelimit
from chalicelib.platform.ratelimit_rules import TOTP_PER_ACCOUNT
from chalicelib.privacy import rights
from chalicelib.privacy.register import FOUND_FOR_HOLDER, By, Of, personal_fields
from chalicelib.reviews import rules as review_rules
from tests.functional.helpers import aws_calls, busy_batches
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
    seed_account,
    seed_orgs,
    session_token,
    start_session,
    token_in,
)


@dataclass
class Holder:
    account_id: str
    email: str
    org_id: str
    marker: str  # appears in every free-text personal field of this holder's items
    session: str = ""


def _enrolment(holder: Holder, suffix: str, status: str = "approved", end_day: str = "2026-06-30",
               account: bool = True, source: str = "portal") -> Enrolment:
    enrolment = Enrolment(
        f"enr-{holder.marker}-{suffix}", source=source, status=status,
        account_id=holder.account_id if account else None, org_id=holder.org_id, course_id="course-1",
        execution_id="exe-1", execution_key="course-1#exe-1", supplier_id="sup-1",
        first_name=f"Voornaam-{holder.marker}", last_name=f"Achternaam-{holder.marker}", email=holder.email,
        business_email=None if source == "lms" else holder.email, holder_email=holder.email.lower(),
        phone="0612345678", gender="x", price_cents=100000, start_day="2026-06-01", original_end_day=end_day,
        created_at=T0, consent_at=T0, consent_version="2026-11",
    )
    enrolment.save()
    return enrolment


def _seed_every_personal_model(holder: Holder) -> dict[str, list[Any]]:
    """One item of every model with personal fields (and the ledger) for `holder`."""
    seed_account(holder.account_id, holder.email, org_id=holder.org_id, first_name=f"Voornaam-{holder.marker}")
    holder.session = start_session(holder.account_id)
    tokens.issue("login", holder.email)
    enrolment = _enrolment(holder, "1")
    line_id = order_rules.line_id_for(enrolment.enrolment_id)
    OrderLine(line_id, list_key=f"{holder.org_id}#-", list_sort=f"2026-06-02#{line_id}",
              enrolment_id=enrolment.enrolment_id, org_id=holder.org_id, course_id="course-1", execution_id="exe-1",
              start_day="2026-06-01", end_day="2026-06-02", supplier_id="sup-1", source="portal",
              business_email=holder.email, price_cents=100000, order_day="2026-06-02", created_at=T0).save()
    Disclosure(enrolment.enrolment_id, "1#supplier#sup-1", account_id=holder.account_id, enrolment_version=1,
               recipient_kind="supplier", recipient_id="sup-1", channel="email", fields=["first_name", "email"],
               at=T0).save()
    Review(f"rev-{holder.marker}", course_id="course-1", supplier_id="sup-1", account_id=holder.account_id, rating=4,
           text=f"Review van {holder.marker}", named=True, created_at=T0, updated_at=T0).save()
    ReviewGuard(review_rules.guard_id("course-1", holder.account_id)).save()
    # a queued mail about the account (enrolment notifications carry no account id: they outlive it)
    OutboxItem(f"out-{holder.marker}", template="account_notice", refs={},
               recipient=holder.email, account_id=holder.account_id, due_send="due", next_attempt_at=T0,
               created_at=T0).save()
    IdempotencyRecord(f"{holder.account_id}#key-1", account_id=holder.account_id, request_sha256="0" * 64,
                      response_body=json.dumps({"marker": holder.marker}), created_at=T0,
                      expires_at=T0 + timedelta(days=1)).save()
    sent = clock.now()  # a contact message from the holder's mailbox, within its week (R_CON_03, R_ACC_09)
    ContactMessage(f"msg-{holder.marker}", email=holder.email, sender_hash=contact_rules.sender_hash(
        holder.email), question=f"Vraag {holder.marker}", created_at=sent, purge_day=contact_rules.purge_day(sent),
        expires_at=contact_rules.expires_at(sent)).save()
    _waiting_place(holder)
    return {"Enrolment": [enrolment]}


def _waiting_place(holder: Holder) -> None:
    """A place on the list of a second run of the course (R_WAIT_05), as joining writes it, guard included."""
    position = waiting_rules.position_key(1 if holder.marker == "AAA" else 2)
    place_id = waiting_rules.place_id("course-1", "exe-2", position)
    guard = f"course-1#exe-2#{holder.marker}"
    WaitingPlace("course-1#exe-2", position, seq=int(position), place_id=place_id, source="portal",
                 account_id=holder.account_id, org_id=holder.org_id, course_id="course-1", execution_id="exe-2",
                 supplier_id="sup-1", start_day="2026-06-01", guard_id=guard, first_name=f"Voornaam-{holder.marker}",
                 last_name="Wachtend", email=holder.email, business_email=holder.email,
                 holder_email=holder.email.lower(), phone="0612345678", gender="x", created_at=T0).save()
    EnrolmentGuard(guard, place_id=place_id).save()
    Execution("course-1", "exe-2", supplier_id="sup-1", start_day="2026-06-01", end_day="2026-06-01", seats=1,
              seats_taken=1, waiting_seq=2, waiting_count=2, offered_count=0).save()


@pytest.fixture
def holders(aws):
    seed_orgs()
    Course("course-1", supplier_id="sup-1", program_id="p-1", kind="extern", name="Schrijven voor het web",
           updated_at=T0).save()
    a = Holder("acc-holder-a", f"anna@{DOMAIN_A}", ORG_A, "AAA")
    b = Holder("acc-holder-b", f"bert@{DOMAIN_B}", ORG_B, "BBB")
    for holder in (a, b):
        _seed_every_personal_model(holder)
    both = review_rules.recount([4, 4])
    Counter("rating:course-1", value=both.count, extra=both.as_extra()).save()
    return a, b


def _b_markers(b: Holder) -> list[str]:
    return [b.account_id, b.email, b.marker, hashlib.sha256(b.session.encode()).hexdigest()]


def test_R_ACC_09_every_model_with_personal_fields_is_found_for_its_holder_or_declared_unlinked():
    with_personal = {m.__name__ for m in models.ALL_MODELS if personal_fields(m.__name__)}
    assert with_personal - set(FOUND_FOR_HOLDER) == set(rights.NOT_LINKED)
    assert set(rights.NOT_LINKED) <= with_personal


def test_R_ACC_09_each_declared_lookup_names_what_its_table_has():
    """The register's FOUND_FOR_HOLDER is read by one loop: an index it names exists on the table, a partition
    Query needs a range key (else the values are keys), and only the account and the enrolments are held."""
    tables = {m.__name__: m for m in models.ALL_MODELS}
    for name, lookups in FOUND_FOR_HOLDER.items():
        model = tables[name]
        for lookup in lookups:
            assert (lookup.index is not None) == (lookup.by is By.INDEX), (name, lookup)
            if lookup.by is By.INDEX:
                assert lookup.index in model._indexes, (name, lookup)
            if lookup.by is By.PARTITION:
                assert model._range_keyname, (name, lookup)
            assert (lookup.by is By.HELD) == (lookup.of in (Of.ACCOUNT, Of.ENROLMENTS)), (name, lookup)


def test_R_ACC_09_export_holds_each_of_As_items_and_none_of_Bs(client, holders):
    """R_ACC_09, and R_WAIT_05: the holder's waiting places are listed in the export."""
    a, b = holders
    response = call(client, "GET", "/me/export", a.session)
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    document = response.json_body
    data = document["data"]
    with_personal = {m.__name__ for m in models.ALL_MODELS if personal_fields(m.__name__)}
    expected = (with_personal - set(rights.NOT_LINKED)) | {"Disclosure"}
    assert set(data) == expected
    counts = {k: len(v) for k, v in data.items()}
    account = Account.get(a.account_id)
    terms = search_terms(account.first_name, account.last_name, account.email)
    assert counts.pop("AccountSearchKey") == len(terms) > 1  # one search key per name part (R_ACC_06)
    assert all(n == 1 for n in counts.values()), counts
    text = json.dumps(document)
    for model_name, items in data.items():
        assert a.account_id in json.dumps(items) or a.email in json.dumps(items) or \
            f"enr-{a.marker}" in json.dumps(items), model_name
    assert data["Review"][0]["personal"]["text"] == "Review van AAA"
    assert data["Enrolment"][0]["personal"]["first_name"] == "Voornaam-AAA"
    assert data["Enrolment"][0]["context"]["course_id"] == "course-1"
    assert data["Disclosure"][0]["context"]["recipient_id"] == "sup-1"
    assert data["OrderLine"][0]["personal"]["business_email"] == a.email
    assert json.loads(data["IdempotencyRecord"][0]["personal"]["response_body"]) == {"marker": "AAA"}
    for marker in _b_markers(b):
        assert marker not in text
    assert data["ContactMessage"][0]["personal"]["question"] == "Vraag AAA"  # by the address, not the account
    assert a.session not in text and "token_hash" not in text
    assert document["register"]["Account"]["email"]["recipients"]


def test_R_ACC_09_the_export_reads_by_key_in_one_batch_and_misses_nothing_when_dynamodb_answers_in_parts(
        client, holders, monkeypatch):
    """The register's lookups: one Query per index and value, every read by key (items behind a keys-only index,
    the order line derived from its enrolment) in one BatchGetItem. When DynamoDB answers that batch in parts
    (UnprocessedKeys), the rest is asked for again: the document is the same."""
    a, _ = holders
    whole = call(client, "GET", "/me/export", a.session).json_body
    calls = aws_calls(monkeypatch, lambda: call(client, "GET", "/me/export", a.session))
    reads = [operation for _, operation, _ in calls]
    assert "GetItem" not in reads  # no read per item
    assert reads.count("BatchGetItem") == 2 and reads[0] == "BatchGetItem"  # the session with its account, first
    assert reads.count("Query") == len({where for _, operation, where in calls if operation == "Query"})
    with busy_batches(monkeypatch, per_call=1) as busy:
        parted = call(client, "GET", "/me/export", a.session).json_body
    assert busy.calls["BatchGetItem"] > 3 and busy.left_undone > 0
    assert parted["data"] == whole["data"]


def test_R_ACC_09_the_download_is_also_a_readable_dutch_page_without_table_names_keys_or_epoch_times(client, holders):
    """Issue 28: beside the JSON for machines, the same data as a page a person reads: labels from the
    register, dates in Dutch words, names instead of ids, no search keys."""
    import re
    from html import unescape

    from chalicelib.privacy.register import TABLES

    a, b = holders
    response = call(client, "GET", "/me/export/summary", a.session)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert 'filename="leer-rijk-mijn-gegevens.html"' in response.headers["Content-Disposition"]
    html = response.body.decode() if isinstance(response.body, bytes) else response.body
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    assert "Voornaam-AAA" in text and "Review van AAA" in text and a.email in text
    assert "Inschrijvingen" in text and "Voornaam" in text and "Telefoonnummer" in text
    compound = [name for name in TABLES if len(re.findall(r"[A-Z]", name)) > 1]  # "Account" is Dutch too
    assert compound and not [name for name in compound if name in text], "no table names"
    for technical in ("search_key", "first_name", "account_id", "_cents", a.account_id, "leer-rijk-export/1"):
        assert technical not in text, technical
    assert not re.search(r"\b1[5-9]\d{8}\b", text), "no epoch times"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "dates in Dutch words"
    assert re.search(r"\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
                     r"december) \d{4}\b", text)
    terms = search_terms(Account.get(a.account_id).first_name, Account.get(a.account_id).last_name, a.email)
    assert f"{len(terms)} zoekwoorden" in text
    for marker in _b_markers(b):
        assert marker not in text
    assert "<script" not in html.lower()


def test_R_ACC_09_export_is_machine_readable_and_never_holds_secrets(client, holders):
    a, _ = holders
    Account(a.account_id).update(actions=[Account.totp_secret.set("JBSWY3DPEHPK3PXP")])
    document = call(client, "GET", "/me/export", a.session).json_body
    text = json.dumps(document)
    assert document["format"] == "leer-rijk-export/1"
    assert "JBSWY3DPEHPK3PXP" not in text and "totp_secret" not in text
    assert "approval_token_hash" not in text and "secret_sha256" not in text


def test_R_ACC_09_cfb_exports_any_address_with_lms_and_detached_enrolments(client, holders):
    a, b = holders
    _enrolment(a, "lms", account=False, source="lms")
    _enrolment(a, "detached", account=False)
    seed_account("acc-cfb", f"carmen@{DOMAIN_A}", roles=[("cfb", None, None)])
    cfb = start_session("acc-cfb", level=2)
    response = call(client, "POST", "/admin/export", cfb, {"email": a.email.upper()})
    assert response.status_code == 200
    ids = {e["context"]["enrolment_id"] for e in response.json_body["data"]["Enrolment"]}
    assert ids == {"enr-AAA-1", "enr-AAA-lms", "enr-AAA-detached"}
    assert response.json_body["data"]["Account"][0]["context"]["account_id"] == a.account_id
    for marker in _b_markers(b):
        assert marker not in response.body.decode()
    assert "data_exported" in event_kinds()
    assert a.email not in json.dumps(eventlog.recent())


def test_R_ACC_09_cfb_export_works_for_an_address_without_account(client, holders):
    a, _ = holders
    Account(a.account_id).delete()
    seed_account("acc-cfb", f"carmen@{DOMAIN_A}", roles=[("cfb", None, None)])
    response = call(client, "POST", "/admin/export", start_session("acc-cfb", level=2), {"email": a.email})
    assert "Account" not in response.json_body["data"]
    assert [e["context"]["enrolment_id"] for e in response.json_body["data"]["Enrolment"]] == ["enr-AAA-1"]


def test_R_ACC_09_contact_messages_from_the_holders_mailbox_are_in_both_exports(client, monkeypatch, frozen_clock):
    """Issue 22 item 6: a message sent through the contact form from an account's address is stored up to
    7 days; the holder's export and CFB's export for the address show it (`+tag` and case folded, as the
    per-address limit folds them), read with one Query on the sender index and no read per message."""
    freeze(T0)
    seed_orgs()
    seed_account("acc-anna", f"anna@{DOMAIN_A}")
    seed_account("acc-cfb", f"carmen@{DOMAIN_A}", roles=[("cfb", None, None)])
    anna, cfb = start_session("acc-anna"), start_session("acc-cfb", level=2)
    for sender, question in ((f"Anna+Vraag@{DOMAIN_A}", "Waar vind ik mijn certificaat?"),
                             (f"anna@{DOMAIN_A}", "Nog een vraag"), (f"bert@{DOMAIN_B}", "Vraag van Bert")):
        assert call(client, "POST", "/contact", body={"email": sender, "question": question}).status_code == 202

    exports: list = []
    calls = aws_calls(monkeypatch, lambda: exports.append(call(client, "GET", "/me/export", anna)))
    assert [(op, where.split("/")[1]) for _, op, where in calls if "contact-messages" in where] == [
        ("Query", "sender-index")]
    own = exports[0].json_body["data"]["ContactMessage"]
    assert sorted((m["personal"]["email"], m["personal"]["question"]) for m in own) == [
        (f"anna+vraag@{DOMAIN_A}", "Waar vind ik mijn certificaat?"), (f"anna@{DOMAIN_A}", "Nog een vraag")]
    assert "Bert" not in exports[0].body.decode() and "sender_hash" not in exports[0].body.decode()
    assert "ContactMessage" in exports[0].json_body["register"]

    by_cfb = call(client, "POST", "/admin/export", cfb, {"email": f"ANNA@{DOMAIN_A}"}).json_body["data"]
    assert sorted(m["personal"]["question"] for m in by_cfb["ContactMessage"]) == sorted(
        m["personal"]["question"] for m in own)
    no_account = call(client, "POST", "/admin/export", cfb, {"email": f"bert+x@{DOMAIN_B}"}).json_body["data"]
    assert [m["personal"]["question"] for m in no_account["ContactMessage"]] == ["Vraag van Bert"]

    freeze(T0 + timedelta(days=7))  # gone from every read path after its week, purged or not (R_CON_03)
    assert "ContactMessage" not in call(client, "GET", "/me/export", start_session("acc-anna")).json_body["data"]


def test_R_ACC_08_deletion_removes_everything_tied_to_the_account_and_detaches_enrolments(client, holders,
                                                                                         frozen_clock):
    """R_ACC_08, and R_WAIT_05: waiting places go with the account, off their lists."""
    a, b = holders
    freeze(T0)
    _enrolment(a, "ended", end_day="2026-01-31")
    _enrolment(a, "cancelled", status="cancelled")
    call(client, "POST", "/auth/login", body={"email": a.email})  # a counter keyed by the address
    ratelimit.hit(TOTP_PER_ACCOUNT, f"totp:{a.account_id}")
    Account(a.account_id).update(actions=[
        Account.roles.set([models.RoleGrant(role="local_admin", org_id=ORG_A)]),
        Account.pending_email.set(f"anna.nieuw@{DOMAIN_A}")])
    Organisation(ORG_A).update(actions=[Organisation.local_admin_ids.add({a.account_id})])
    tokens.issue("email_change", f"anna.nieuw@{DOMAIN_A}", {"account_id": a.account_id})
    second_session = start_session(a.account_id)
    b_before = {k: [i for i in v if b.account_id in json.dumps(i) or b.email in json.dumps(i)]
                for k, v in all_items().items()}

    preview = call(client, "GET", "/me/deletion-preview", a.session).json_body
    response = call(client, "DELETE", "/me", a.session)
    assert response.status_code == 200
    running = response.json_body["running_enrolments"]
    assert running == preview["running_enrolments"]
    assert [(e["enrolment_id"], e["course_name"]) for e in running] == [("enr-AAA-1", "Schrijven voor het web")]
    assert "Max-Age=0" in response.headers["Set-Cookie"]

    after = all_items()
    text = json.dumps({k: v for k, v in after.items() if k != "EventLogEntry"})
    # only the event log keeps the pseudonymous id (no e-mail, 14 days at most, R_LOG_02)
    assert {n for n, items in after.items() for i in items if a.account_id in json.dumps(i)} == {"EventLogEntry"}
    assert a.email not in json.dumps(after["EventLogEntry"])
    assert hashlib.sha256(f"leer-rijk-rate:{a.email}".encode()).hexdigest() not in text
    assert f"anna.nieuw@{DOMAIN_A}" not in text
    holding_email = {name for name, items in after.items() if a.email in json.dumps(items)}
    assert holding_email == {"Enrolment", "OrderLine", "ContactMessage"}  # live on under their own rules
    enrolments = {e["enrolment_id"]: e for e in after["Enrolment"] if e["enrolment_id"].startswith("enr-AAA")}
    assert set(enrolments) == {"enr-AAA-1", "enr-AAA-ended", "enr-AAA-cancelled"}
    assert all("account_id" not in e and e["version"] == 2 for e in enrolments.values())
    assert Disclosure.count("enr-AAA-1") == 1
    b_after = {k: [i for i in v if b.account_id in json.dumps(i) or b.email in json.dumps(i)]
               for k, v in after.items()}
    assert b_after == b_before
    assert call(client, "GET", "/me", second_session).status_code == 401
    assert "account_deleted" in event_kinds()
    assert list(RateCounter.query(ratelimit.subject_of(a.email))) == []
    assert Session.count() == 1 and LoginToken.count() == 1  # B's
    # R_WAIT_05: A's waiting place and its guard went with the account, counted off the list; B's stays
    assert [p.account_id for p in WaitingPlace.scan()] == [b.account_id]
    assert int(Execution.get("course-1", "exe-2").waiting_count) == 1
    assert [g.place_id for g in EnrolmentGuard.scan() if g.place_id] == [p.place_id for p in WaitingPlace.scan()]


def test_R_ACC_08_deletion_preview_lists_only_running_enrolments(client, holders, frozen_clock):
    a, _ = holders
    freeze(T0)
    _enrolment(a, "ended", end_day="2026-01-31")
    _enrolment(a, "pending", status="pending_approval")
    _enrolment(a, "rejected", status="rejected")
    preview = call(client, "GET", "/me/deletion-preview", a.session).json_body
    assert sorted(e["enrolment_id"] for e in preview["running_enrolments"]) == ["enr-AAA-1", "enr-AAA-pending"]
    assert "niet geannuleerd" in preview["message"]
    assert Account.count() == 2


def test_R_ACC_05_R_ACC_06_holder_sees_own_profile_with_dates(client, holders, frozen_clock):
    a, _ = holders
    freeze(T0 + timedelta(days=3))
    me = call(client, "GET", "/me", a.session).json_body
    assert me["account_id"] == a.account_id and me["email"] == a.email
    assert me["created_on"] == "2026-03-02" and me["last_used_on"] == "2026-03-05"
    assert me["organisation_name"] == "Ministerie A"
    assert "totp_secret" not in me and "sort_name" not in me


def test_R_ACC_07_holder_changes_name_and_department_but_not_roles_or_organisation(client, holders):
    a, _ = holders
    changed = call(client, "PATCH", "/me", a.session, {"first_name": "Annie", "department_id": "dep-a2"})
    assert changed.status_code == 200
    assert (changed.json_body["first_name"], changed.json_body["department_name"]) == ("Annie", "Directie A2")
    assert Account.get(a.account_id).sort_name.startswith("jansen annie")
    for forbidden in ({"roles": [{"role": "cfb"}]}, {"org_id": ORG_B}, {"status": "active"}):
        refused = call(client, "PATCH", "/me", a.session, forbidden)
        assert refused.status_code == 400 and list(refused.json_body["error"]["fields"]) == list(forbidden)
    wrong_department = call(client, "PATCH", "/me", a.session, {"department_id": "dep-b1"})
    assert wrong_department.status_code == 422
    assert Account.get(a.account_id).org_id == ORG_A


def test_R_ACC_02_R_ACC_03_an_email_change_is_confirmed_by_a_link_to_the_new_address(client, holders):
    a, _ = holders
    new = f"anna.nieuw@{DOMAIN_A}"
    response = call(client, "PATCH", "/me", a.session, {"email": new})
    assert response.status_code == 200
    assert response.json_body["email"] == a.email and response.json_body["pending_email"] == new
    message = last_mail_to(new)
    assert message.subject == "Bevestig uw nieuwe e-mailadres voor Leer-Rijk"
    confirmed = call(client, "POST", "/auth/verify", body={"token": token_in(message)})
    assert confirmed.status_code == 200 and confirmed.json_body["purpose"] == "email_change"
    assert session_token(confirmed) is None
    account = Account.get(a.account_id)
    assert (account.email, account.pending_email) == (new, None)
    assert account.sort_name.endswith(new)
    assert call(client, "GET", "/me", a.session).json_body["email"] == new


def test_R_ACC_02_an_email_change_must_meet_the_domain_rule(client, holders):
    a, _ = holders
    refused = call(client, "PATCH", "/me", a.session, {"email": f"anna@{DOMAIN_B}"})
    assert refused.status_code == 422 and refused.json_body["error"]["code"] == "domain_not_allowed"
    assert Account.get(a.account_id).pending_email is None


def test_R_ACC_03_an_email_change_link_is_superseded_by_a_newer_request(client, holders):
    a, _ = holders
    call(client, "PATCH", "/me", a.session, {"email": f"eerste@{DOMAIN_A}"})
    first = token_in(last_mail_to(f"eerste@{DOMAIN_A}"))
    call(client, "PATCH", "/me", a.session, {"email": f"tweede@{DOMAIN_A}"})
    assert call(client, "POST", "/auth/verify", body={"token": first}).status_code == 400
    assert Account.get(a.account_id).email == a.email


def test_R_ACC_03_an_email_change_to_an_address_in_use_is_refused_at_confirmation(client, holders):
    a, _ = holders
    seed_account("acc-other", f"bezet@{DOMAIN_A}")
    call(client, "PATCH", "/me", a.session, {"email": f"bezet@{DOMAIN_A}"})
    confirmed = call(client, "POST", "/auth/verify", body={"token": token_in(last_mail_to(f"bezet@{DOMAIN_A}"))})
    assert confirmed.status_code == 409
    assert Account.get(a.account_id).email == a.email


def test_R_ACC_06_export_and_profile_are_the_holders_only(client, holders):
    """No route takes another holder's id: /me and /me/export answer for the session's account,
    whatever else the request names."""
    a, b = holders
    for holder, other in ((a, b), (b, a)):
        for query in ("", f"?account_id={other.account_id}&email={other.email}"):
            me = call(client, "GET", f"/me{query}", holder.session)
            assert me.status_code == 200, me.body  # unknown query parameters are ignored
            assert (me.json_body["account_id"], me.json_body["email"]) == (holder.account_id, holder.email)
            export = call(client, "GET", f"/me/export{query}", holder.session)
            assert export.status_code == 200, export.body
            assert export.json_body["subject"] == {"email": holder.email, "account_id": holder.account_id}
            assert export.json_body["data"]["Account"][0]["context"]["account_id"] == holder.account_id
            for response in (me, export):
                text = response.body.decode()
                assert other.email not in text and other.marker not in text
