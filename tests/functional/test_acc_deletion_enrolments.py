"""R_ACC_08, R_PRV_03: deleting an account removes the mails queued about the account; the notifications
that belong to its enrolments, which live on, are still sent (to the manager, the supplier and the
form address, R_ENR_11). What goes and what stays is read from the register (`TABLES`)."""

from __future__ import annotations

import re
from datetime import timedelta

from chalicelib.access import Access
from chalicelib.jobs import outbox_retry
from chalicelib.models import Account, Disclosure, Enrolment, OutboxItem
from chalicelib.platform import clock, mail, outbox
from chalicelib.platform.config import settings
from chalicelib.privacy import rights
from chalicelib.privacy.register import FOUND_FOR_HOLDER, TABLES, OnAccountDeletion, models_on_account_deletion
from tests.functional import enrolment_fixtures as fx
from tests.functional.conftest import sent_mail
from tests.functional.helpers import acting_as
from tests.functional.test_enrolment_lifecycle import _throttle_ses

MANAGER = "chef@minbzk.nl"
SUPPLIER = "inschrijvingen@sup-a.example"
FORM_ADDRESS = "sem@prive.example"

MANAGER_PAGE = {"X-Leer-Rijk": "1", "Origin": settings.portal_origin}  # the decision page's CSRF header


def _to(address: str) -> list:
    return [m for m in sent_mail() if m.destinations["ToAddresses"] == [address]]


def _approval_token(index: int) -> str:
    requests = [m for m in _to(MANAGER) if "/akkoord/?keuze=akkoord#" in m.body]
    return re.search(r"/akkoord/\?keuze=akkoord#([^\"<\s]+)", requests[index].body).group(1)


def test_R_ACC_08_queued_mails_about_the_account_go_and_notifications_of_living_enrolments_stay(
        client, frozen_clock):
    fx.organisation(approval=True)
    fx.account()
    first = fx.publish(client)
    second = fx.publish(client, program_id="P-2")
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", level=1):
        approved = fx.post_json(client, "/enrolments", fx.form(first, email=FORM_ADDRESS, manager_email=MANAGER),
                                key="a").json_body["enrolment_id"]
    assert fx.post_json(client, f"/approvals/{_approval_token(0)}", {"decision": "approve"}, key=None,
                        headers=MANAGER_PAGE).status_code \
        == 200
    mails_before = len(sent_mail())

    stop_throttling = _throttle_ses(mail._client())  # SES refuses: everything below stays queued
    try:
        with acting_as(Access.EMPLOYEE, org_id="org-bzk", level=1):
            assert fx.post_json(client, f"/enrolments/{approved}/cancel", {}, key=None).status_code == 200
            pending = fx.post_json(client, "/enrolments", fx.form(second, email=FORM_ADDRESS, manager_email=MANAGER),
                                   key="b").json_body["enrolment_id"]
        about_account = outbox.new_item("account_notice", "sem.jansen@minbzk.nl", {}, fx.ACCOUNT_ID)
        about_account.save()  # a mail about the account itself (none goes through the outbox yet)
        queued = {(i.template, i.recipient) for i in OutboxItem.scan() if i.status != "sent"}
        with acting_as(Access.EMPLOYEE, org_id="org-bzk", level=1):
            deleted = client.http.delete("/me", headers={"X-Leer-Rijk": "1"})
    finally:
        stop_throttling()
    assert deleted.status_code == 200, deleted.body
    assert [e["enrolment_id"] for e in deleted.json_body["running_enrolments"]] == [pending]
    assert list(Account.scan()) == []

    kept = {(i.template, i.recipient) for i in OutboxItem.scan() if i.status != "sent"}
    assert kept == queued - {("account_notice", "sem.jansen@minbzk.nl")}
    assert kept == {
        ("enrolment_cancelled", FORM_ADDRESS), ("supplier_cancellation", SUPPLIER),
        ("manager_cancellation", MANAGER), ("enrolment_received", FORM_ADDRESS), ("approval_request", MANAGER),
    }

    clock.freeze(clock.now() + timedelta(minutes=3))
    assert outbox_retry() == {"count": 5, "failed": 0}
    assert len(sent_mail()) == mails_before + 5
    assert sorted(m.subject for m in _to(MANAGER)) == [
        "Een inschrijving is geannuleerd", "Verzoek om akkoord voor een opleiding",
        "Verzoek om akkoord voor een opleiding"]
    assert len(_to(FORM_ADDRESS)) == 4  # received, decided; then cancelled and received, sent after deletion
    assert {r.recipient_kind for r in Disclosure.query(approved)} == {"manager", "supplier"}

    # the manager still decides the request of the enrolment that lives on, and the supplier hears of it
    assert fx.post_json(client, f"/approvals/{_approval_token(-1)}", {"decision": "approve"},
                        key=None, headers=MANAGER_PAGE).status_code == 200
    assert Enrolment.get(pending).status == "approved" and Enrolment.get(pending).account_id is None
    assert len(_to(SUPPLIER)) == 3  # enrolment, cancellation, enrolment


def test_R_ACC_08_R_PRV_03_deletion_covers_every_model_the_register_deletes_or_detaches():
    """A model the register deletes with the account must be findable for it; one it detaches, detachable."""
    deleted = set(models_on_account_deletion(OnAccountDeletion.DELETED)) - {"Account"}
    assert deleted <= set(FOUND_FOR_HOLDER) | set(rights.DELETION_FINDERS) | set(rights.ERASERS)
    assert set(models_on_account_deletion(OnAccountDeletion.DETACHED)) == set(rights.DETACHERS)
    assert set(rights.NOT_LINKED) == set()  # contact messages belong to an address: exported, kept (R_ACC_09)
    assert TABLES["ContactMessage"].on_account_deletion is OnAccountDeletion.BY_ADDRESS
    assert TABLES["OutboxItem"].on_account_deletion is OnAccountDeletion.DELETED
    assert TABLES["Disclosure"].on_account_deletion is OnAccountDeletion.DETACHED  # rows stay, without the account
