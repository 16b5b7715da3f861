"""The waiting list in Chromium (R_WAIT_01-04), axe-core in every state: a run fills, a second employee joins
the list with the enrolment's form, the first cancels, the second is moved up, gets the mail and sees
"Ingeschreven"; the same with the manager's approval; and a seat offered after the free-cancellation day,
taken on the /wachtlijst/ page from the mail's link (opening it decides nothing)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from devstack.seed import ORG_BELASTINGDIENST, ORG_BZK
from tests.browser.conftest import Stack, Tab, http, open_tab
from tests.browser.test_account_journeys import api_as, sign_up_by_api, state_change_headers, unique_address
from tests.browser.test_catalogue_pages import assert_accessible, catalogue_program, open_page, put_program, run_in
from tests.browser.test_enrolment_journey import mails, wait_for_mail

MOVED_UP = "Er is een plaats voor u vrijgekomen"
OFFER = "Er is een plaats voor u: reageer binnen 24 uur"


@pytest.fixture
def second(browser: Any, stack: Stack) -> Iterator[Tab]:
    """The second employee's own browser."""
    opened = open_tab(browser)
    yield opened
    opened.page.context.close()


def _person(stack: Stack, org_id: str, domain: str, first: str) -> tuple[str, str]:
    email = unique_address(first, "wacht", domain)
    return email, sign_up_by_api(stack, email, first, "Wachtman", org_id)


def _log_in(tab: Tab, stack: Stack, cookie: str) -> None:
    tab.page.context.add_cookies([{"name": "lr_session", "value": cookie.split("=", 1)[1], "url": stack.base_url}])


def _create(stack: Stack, cookie: str, path: str, body: dict[str, Any]) -> Any:
    """A creating POST as the portal sends it: session, CSRF header, Origin and an Idempotency-Key."""
    headers = {"Cookie": cookie, **state_change_headers(stack), "Idempotency-Key": uuid.uuid4().hex}
    return http("POST", f"{stack.base_url}/api{path}", headers, json.dumps(body).encode())


def _form_body(course_id: str, email: str, first: str, **extra: str) -> dict[str, Any]:
    return {"course_id": course_id, "execution_id": "W1", "first_name": first, "last_name": "Wachtman", "email": email,
            "phone": "0612345678", "gender": "vrouw", "consent": True, **extra}


def _full_run(stack: Stack, days: int, first_email: str, first_cookie: str, **extra: str) -> str:
    """A run of one seat that the first employee takes."""
    course_id = put_program(stack, catalogue_program(f"LR-WACHT-{uuid.uuid4().hex[:6]}", "Samen leren wachten",
                                                     [run_in(days, "W1", seats=1, price_eur="300.00")]))["course_id"]
    taken = _create(stack, first_cookie, "/enrolments", _form_body(course_id, first_email, "Eerste", **extra))
    assert taken.status == 201, taken.body
    return course_id


def _join_by_form(tab: Tab, stack: Stack, course_id: str, manager: str | None = None) -> None:
    page = tab.page
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    row = page.locator("#uitvoeringen-tabel tbody tr").first
    expect(row).to_contain_text("Vol")
    row.get_by_role("button", name=re.compile(r"^Op de wachtlijst")).click()
    expect(page.locator("#inschrijven-titel")).to_have_text("Op de wachtlijst")
    expect(page.locator("#inschrijven")).to_contain_text("Deze uitvoering is vol")
    assert_accessible(tab, "the waiting-list form")
    page.get_by_role("button", name="Op de wachtlijst plaatsen").click()
    expect(page.locator("#inschrijf-fouten")).to_be_focused()  # the same checks: phone, gender, consent
    assert_accessible(tab, "the waiting-list form with errors")
    page.fill("#inschrijf-phone", "06 12345678")
    page.select_option("#inschrijf-gender", "vrouw")
    if manager:
        page.fill("#inschrijf-manager_email", manager)
    page.check("#inschrijf-consent")
    page.get_by_role("button", name="Op de wachtlijst plaatsen").click()
    outcome = page.locator("#inschrijven")
    expect(outcome).to_contain_text("U staat op de wachtlijst")
    expect(page.locator("#wachtlijst-plaats")).to_contain_text("1")
    assert_accessible(tab, "on the waiting list")
    open_page(tab, stack, "/mijn-inschrijvingen/")
    place = tab.page.locator("#wachtlijst-lijst li").first
    expect(place).to_contain_text("Op de wachtlijst")
    expect(place).to_contain_text("Samen leren wachten")
    expect(place.locator("dd").nth(1)).to_have_text("1")  # the position
    assert_accessible(tab, "my enrolments with a waiting place")


def _cancel_first(stack: Stack, cookie: str, course_id: str) -> None:
    mine = api_as(stack, cookie, "GET", "/me/enrolments").json()["items"]
    [enrolment] = [e for e in mine if e["course_id"] == course_id and e["status"] != "cancelled"]
    cancelled = api_as(stack, cookie, "POST", f"/enrolments/{enrolment['enrolment_id']}/cancel", {})
    assert cancelled.status == 200, cancelled.body


def test_R_WAIT_01_R_WAIT_02_R_WAIT_04_a_second_employee_joins_and_is_moved_up_when_the_first_cancels(
    second: Tab, stack: Stack,
) -> None:
    first_email, first_cookie = _person(stack, ORG_BELASTINGDIENST, "belastingdienst.nl", "Eerste")
    second_email, second_cookie = _person(stack, ORG_BELASTINGDIENST, "belastingdienst.nl", "Tweede")
    course_id = _full_run(stack, 60, first_email, first_cookie)
    _log_in(second, stack, second_cookie)
    _join_by_form(second, stack, course_id)
    assert "U staat op de wachtlijst" in [m["subject"] for m in mails(stack, second_email)]

    _cancel_first(stack, first_cookie, course_id)
    mail = wait_for_mail(stack, second_email, MOVED_UP, "Samen leren wachten")
    assert "u bent nu ingeschreven" in mail["body"]
    open_page(second, stack, "/mijn-inschrijvingen/")
    card = second.page.locator("#mijn-lijst li", has_text="Samen leren wachten")
    expect(card).to_contain_text("Ingeschreven")
    expect(second.page.locator("#wachtlijst")).to_be_hidden()
    assert_accessible(second, "moved up: enrolled")
    assert second.errors == []


def test_R_WAIT_02_moving_up_asks_the_manager_where_the_organisation_wants_approval(second: Tab, stack: Stack) -> None:
    first_email, first_cookie = _person(stack, ORG_BZK, "minbzk.nl", "Eerste")
    second_email, second_cookie = _person(stack, ORG_BZK, "minbzk.nl", "Tweede")
    manager = f"chef.{uuid.uuid4().hex[:6]}@minbzk.nl"
    course_id = _full_run(stack, 60, first_email, first_cookie, manager_email="baas@minbzk.nl")
    _log_in(second, stack, second_cookie)
    _join_by_form(second, stack, course_id, manager=manager)

    _cancel_first(stack, first_cookie, course_id)
    wait_for_mail(stack, second_email, MOVED_UP, "Samen leren wachten")
    request = wait_for_mail(stack, manager, "Verzoek om akkoord voor een opleiding", "Samen leren wachten")
    assert "Tweede" in request["body"]
    open_page(second, stack, "/mijn-inschrijvingen/")
    card = second.page.locator("#mijn-lijst li", has_text="Samen leren wachten")
    expect(card).to_contain_text("Wacht op akkoord van uw leidinggevende")
    assert_accessible(second, "moved up: waiting for the manager")
    assert second.errors == []


def test_R_WAIT_03_an_offered_seat_is_taken_on_the_page_of_the_mails_link(second: Tab, stack: Stack) -> None:
    first_email, first_cookie = _person(stack, ORG_BELASTINGDIENST, "belastingdienst.nl", "Eerste")
    second_email, second_cookie = _person(stack, ORG_BELASTINGDIENST, "belastingdienst.nl", "Tweede")
    course_id = _full_run(stack, 10, first_email, first_cookie)  # inside the 14 free days: offers
    joined = _create(stack, second_cookie, "/waiting", _form_body(course_id, second_email, "Tweede"))
    assert joined.status == 201 and joined.json()["position"] == 1, joined.body
    _cancel_first(stack, first_cookie, course_id)
    offer = wait_for_mail(stack, second_email, OFFER, "Samen leren wachten")
    link = re.search(re.escape(stack.base_url) + r"/wachtlijst/#[\w.-]+", offer["body"])
    assert link, offer["body"]

    page = second.page  # not logged in: the link is the credential
    page.goto(link.group(0))
    expect(page.locator("#aanbod-inhoud")).to_contain_text("Samen leren wachten")
    expect(page.locator("#aanbod-voorwaarden")).to_contain_text("€ 300,00")
    assert_accessible(second, "the offer page")
    page.reload()  # opening it twice decides nothing: still offered
    places = api_as(stack, second_cookie, "GET", "/me/waiting").json()["items"]
    assert [p["status"] for p in places] == ["offered"]
    page.get_by_role("button", name="Plaats aannemen").click()
    outcome = page.locator("#aanbod-uitkomst")
    expect(outcome).to_contain_text("U heeft de plaats aangenomen")
    expect(outcome).to_contain_text("ingeschreven")
    assert_accessible(second, "the offer taken")
    page.reload()
    expect(page.locator("h1")).to_have_text("Dit aanbod geldt niet meer")
    mine = api_as(stack, second_cookie, "GET", "/me/enrolments").json()["items"]
    assert [(e["course_id"], e["status"]) for e in mine] == [(course_id, "approved")]
    assert [e for e in second.errors if "410" not in e] == []
