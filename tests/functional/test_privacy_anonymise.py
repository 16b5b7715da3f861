"""R_ENR_10, R_PRV_03: the anonymisation job, through its scheduled handler, with a moving clock."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.access import Access
from chalicelib.models import (
    Disclosure,
    Enrolment,
    EnrolmentGuard,
    FeedEntry,
    IdempotencyRecord,
    OrderLine,
    OutboxItem,
)
from chalicelib.orders import rules as order_rules
from chalicelib.platform import clock, mail
from chalicelib.privacy import anonymise
from chalicelib.privacy.register import (
    OnAnonymisation,
    anonymisation_problems,
    models_on_anonymisation,
    personal_fields,
)
from tests.functional import enrolment_fixtures as fx
from tests.functional.helpers import acting_as
from tests.functional.privacy_fixtures import noon, run_job, snapshot
from tests.functional.test_enrolment_lifecycle import _throttle_ses

FORM_ADDRESS = "sem@prive.example"
MANAGER = "chef@minbzk.nl"


def _copies(enrolment_id: str, order_line: OrderLine) -> None:
    """Copies the order and disclosure branches write (order lists are not on main yet)."""
    order_line.save()
    Disclosure(enrolment_id, "0001#supplier#sup-a", account_id=Enrolment.get(enrolment_id).account_id,
               enrolment_version=1, recipient_kind="supplier", recipient_id="sup-a", channel="email",
               fields=["first_name", "email"], at=clock.now()).save()


def _world(client) -> tuple[str, str, str]:
    """An approved enrolment on a feed course, and a cancelled one (with a manager's approval) by e-mail."""
    fx.organisation(approval=True)
    fx.account()
    feed = fx.publish(client, delivery="feed", supplier_id="sup-f", program_id="P-F")
    email = fx.publish(client, program_id="P-E")
    stop = _throttle_ses(mail._client())  # every notification stays queued in the outbox
    try:
        with acting_as(Access.EMPLOYEE, org_id="org-bzk", level=1):
            pending = fx.post_json(client, "/enrolments", fx.form(email, email=FORM_ADDRESS, manager_email=MANAGER),
                                   key="b").json_body["enrolment_id"]
            assert fx.post_json(client, f"/enrolments/{pending}/cancel", {}, key=None).status_code == 200
    finally:
        stop()
    # the feed course's organisation needs no approval: a second organisation setting on the same account
    from chalicelib.models import Organisation
    Organisation("org-bzk").update(actions=[Organisation.approval_required.set(False)])
    from chalicelib.accounts import organisations
    organisations.forget_cache()
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", level=1):
        approved = fx.post_json(client, "/enrolments", fx.form(feed, email=FORM_ADDRESS), key="a")
    assert approved.status_code == 201, approved.body
    approved_id = approved.json_body["enrolment_id"]
    for enrolment_id in (approved_id, pending):
        enrolment = Enrolment.get(enrolment_id)
        line = order_rules.line_id_for(enrolment_id)
        _copies(enrolment_id, OrderLine(line, list_key="org-bzk#-", list_sort=f"{enrolment.start_day}#{line}",
                                        enrolment_id=enrolment_id, org_id="org-bzk", course_id=enrolment.course_id,
                                        execution_id=enrolment.execution_id, supplier_id=enrolment.supplier_id,
                                        start_day=enrolment.start_day, end_day=enrolment.original_end_day,
                                        source="portal", business_email="sem.jansen@minbzk.nl",
                                        price_cents=49500, order_day=enrolment.start_day, created_at=clock.now()))
    return approved_id, pending, Enrolment.get(approved_id).anonymise_day


def test_R_ENR_10_the_day_before_nothing_the_day_after_every_copy_anonymised_and_twice_changes_nothing(client):
    approved, cancelled, due_day = _world(client)
    assert Enrolment.get(cancelled).status == "cancelled"
    assert list(FeedEntry.query("sup-f")) and list(OutboxItem.enrolment_index.query(cancelled))
    assert list(IdempotencyRecord.enrolment_index.query(approved))
    before = snapshot()

    clock.freeze(noon(date.fromisoformat(due_day) - timedelta(days=1)))
    assert run_job(client, "anonymise_enrolments")["count"] == 0
    assert snapshot() == before

    clock.freeze(noon(date.fromisoformat(due_day) + timedelta(days=1)))
    assert run_job(client, "anonymise_enrolments")["count"] == 2
    for enrolment_id in (approved, cancelled):
        enrolment = Enrolment.get(enrolment_id)
        assert enrolment.anonymised is True
        held = {name for name in personal_fields("Enrolment") if getattr(enrolment, name) is not None}
        assert held == set(), held
        assert enrolment.anonymise_month is None and enrolment.guard_id is None  # out of the sparse index
        assert enrolment.org_id == "org-bzk" and enrolment.course_id and enrolment.execution_id == "r1"
        assert int(enrolment.price_cents) == 49500
        assert enrolment.start_day.endswith("-01") and enrolment.original_end_day.endswith("-01")
        assert enrolment.created_at.day == 1
        assert [line.business_email for line in OrderLine.enrolment_index.query(enrolment_id)] == [None]
        for line in OrderLine.list_index.query("org-bzk#-"):
            assert line.business_email is None and line.order_day.endswith("-01")
        assert all(row.at.day == 1 and row.account_id is None for row in Disclosure.query(enrolment_id))
        assert list(OutboxItem.enrolment_index.query(enrolment_id)) == []
        assert list(IdempotencyRecord.enrolment_index.query(enrolment_id)) == []
    assert Enrolment.get(cancelled).status == "cancelled" and Enrolment.get(approved).status == "approved"
    assert list(EnrolmentGuard.scan()) == []
    assert all(entry.at.day == 1 for entry in FeedEntry.query("sup-f"))
    assert list(Enrolment.anonymise_index.query(due_day[:7])) == []

    after = snapshot()
    assert run_job(client, "anonymise_enrolments")["count"] == 0
    assert snapshot() == after

    with acting_as(Access.EMPLOYEE, org_id="org-bzk", level=1):
        exported = client.http.get("/me/export").json_body
    assert "Enrolment" not in exported["data"] and "OrderLine" not in exported["data"]
    with acting_as(Access.CFB, org_id=None):
        found = fx.post_json(client, "/admin/export", {"email": "sem.jansen@minbzk.nl"}, key=None,
                             headers={"X-Leer-Rijk": "1"}).json_body
        by_form = fx.post_json(client, "/admin/export", {"email": FORM_ADDRESS}, key=None,
                               headers={"X-Leer-Rijk": "1"}).json_body
    assert "Enrolment" not in found["data"] and "Enrolment" not in by_form["data"]


def test_R_ENR_10_missed_months_are_caught_up_and_a_cut_off_run_resumes(client):
    approved, cancelled, due_day = _world(client)
    clock.freeze(noon(date.fromisoformat(due_day) + timedelta(days=75)))  # two monthly runs missed
    assert anonymise.run(budget_seconds=-1) == {"count": 0, "more": True}  # cut off before the first item
    assert Enrolment.get(approved).anonymise_month is not None
    assert run_job(client, "anonymise_enrolments") == {"count": 2, "more": False}
    assert not Enrolment.get(approved).first_name and not Enrolment.get(cancelled).email


def test_R_ENR_10_R_PRV_03_every_personal_attribute_of_an_anonymised_table_has_a_rule_and_a_finder():
    assert anonymisation_problems() == []
    copies = set(models_on_anonymisation(OnAnonymisation.UPDATED)) | set(models_on_anonymisation(
        OnAnonymisation.DELETED))
    assert copies - {"Enrolment"} == set(anonymise.COPY_FINDERS)
    assert {"OrderLine", "Disclosure", "FeedEntry", "OutboxItem", "IdempotencyRecord", "EnrolmentGuard"} <= copies
