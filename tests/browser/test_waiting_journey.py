"""The waiting list in Chromium (R_WAIT_01-04), axe-core in every state: a run fills, a second employee joins
the list with the enrolment's form, the first cancels, the second is moved up, gets the mail and sees
"Ingeschreven"; the same with the manager's approval; and a seat offered after the free-cancellation day,
taken on the /wachtlijst/ page from the mail's link (opening it decides nothing)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from chalicelib.accounts.totp_rules import code_at
from devstack.seed import ORG_BELASTINGDIENST, ORG_BZK
from tests.browser.conftest import Stack, Tab, http, open_tab
from tests.browser.test_account_journeys import (
    MONTHS,
    api_as,
    log_in_by_link,
    sign_up_by_api,
    state_change_headers,
    statement_version,
    unique_address,
    wait_for_text,
)
from tests.browser.test_admin_pages import AdminSession, enter_code, now, totp_secret
from tests.browser.test_catalogue_pages import (
    api_key,
    assert_accessible,
    catalogue_program,
    open_page,
    put_program,
    run_in,
)
from tests.browser.test_enrolment_journey import mails, wait_for_mail
from tests.browser.ui_checks import assert_sound

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


def _full_run(stack: Stack, days: int, first_email: str, first_cookie: str, name: str = "Samen leren wachten",
              **extra: str) -> str:
    """A run of one seat that the first employee takes."""
    course_id = put_program(stack, catalogue_program(f"LR-WACHT-{uuid.uuid4().hex[:6]}", name,
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


def _lms_join(stack: Stack, course_id: str, first: str, reference: str) -> Any:
    """A place taken by the organisation's LMS (its key from the stack's banner), with its own reference."""
    body = {**_form_body(course_id, unique_address(first, "wacht", "belastingdienst.nl"), first),
            "consent_at": datetime.now(UTC).isoformat(), "consent_version": statement_version(stack),
            "organisation_name": "Belastingdienst Utrecht", "lms_reference": reference}
    body.pop("consent")
    headers = {"Authorization": f"Bearer {api_key(stack, f'LMS van {ORG_BELASTINGDIENST}')}",
               "Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
    return http("POST", f"{stack.base_url}/api/lms/waiting", headers, json.dumps(body).encode())


def _cells(row: Any, column: str) -> list[str]:
    return [text.strip() for text in row.locator(f"[data-label='{column}']").all_inner_texts()]


def _in_dutch(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def test_R_WAIT_04_cfb_sees_the_waiting_lists_on_beheer_and_opens_one_in_order_a_local_admin_never(
    cfb: AdminSession, stack: Stack, second: Tab,
) -> None:
    """A run of one seat 10 days ahead: Eerste takes it; Tweede (portal), Derde (the LMS) and Vierde (portal) join
    its list; Eerste cancels, so the seat is offered to Tweede. CFB finds the run on /beheer/wachtlijsten/ with
    its counts and opens its list: Tweede with the open offer, then Derde and Vierde at positions 1 and 2. A local
    admin of the same organisation, with the second factor, gets the page's refusal and no list."""
    name = f"Geduldig plannen {uuid.uuid4().hex[:6]}"
    first_email, first_cookie = _person(stack, ORG_BELASTINGDIENST, "belastingdienst.nl", "Eerste")
    course_id = _full_run(stack, 10, first_email, first_cookie, name=name)
    for who in ("Tweede", "Derde", "Vierde"):
        if who == "Derde":
            joined = _lms_join(stack, course_id, who, "HR-4711")
        else:
            email, cookie = _person(stack, ORG_BELASTINGDIENST, "belastingdienst.nl", who)
            joined = _create(stack, cookie, "/waiting", _form_body(course_id, email, who))
        assert joined.status == 201 and joined.json()["outcome"] == "waiting", joined.body
    _cancel_first(stack, first_cookie, course_id)

    tab, page = cfb.tab, cfb.page
    open_page(tab, stack, "/beheer/")
    page.locator("#beheer-menu").get_by_role("link", name="Wachtlijsten").click()
    page.wait_for_url("**/beheer/wachtlijsten/")
    wait_for_text(tab, "#wachtlijsten table", lambda text: name in text)
    row = page.locator("#wachtlijsten tbody tr", has_text=name)
    start = _in_dutch(date.today() + timedelta(days=10))
    assert [_cells(row, column)[0] for column in ("Start", "Plaatsen bezet", "Wachtend", "Aanbod open")] == [
        start, "1 van 1", "2", "1"]
    assert row.get_by_role("link", name=name, exact=True).get_attribute("href") == f"/opleiding/?id={course_id}"
    assert page.locator("#wachtlijsten caption").inner_text() == "Open wachtlijsten"
    assert_sound(tab, "the waiting lists")

    row.get_by_role("link", name=f"Wachtlijst bekijken: {name}, start {start}").click()
    page.wait_for_url(f"**/beheer/wachtlijsten/?opleiding={course_id}&uitvoering=W1")
    wait_for_text(tab, "#wachtenden table")
    people = page.locator("#wachtenden tbody tr")
    assert _cells(people, "Naam") == ["Tweede Wachtman", "Derde Wachtman", "Vierde Wachtman"]
    assert _cells(people, "Positie") == ["-", "1", "2"]
    states = _cells(people, "Status")
    assert states[0].startswith("Aanbod open tot ") and states[1:] == ["Wachtend", "Wachtend"]
    assert _cells(people, "Organisatie") == ["Belastingdienst", "Belastingdienst Utrecht", "Belastingdienst"]
    assert _cells(people, "Via") == ["Portaal", "LMS", "Portaal"]
    assert _cells(people, "LMS-referentie") == ["-", "HR-4711", "-"]
    assert page.locator("h1").inner_text() == f"Beheer: wachtlijst van {name}, start {start}"
    assert page.locator("#wachtenden caption").inner_text() == "Wie er wacht, in volgorde"
    assert_sound(tab, "one waiting list")
    assert tab.errors == []

    email = unique_address("lokaal", "beheer", "belastingdienst.nl")
    account_id = api_as(stack, sign_up_by_api(stack, email, "Lokaal", "Beheer", ORG_BELASTINGDIENST), "GET",
                        "/me").json()["account_id"]
    assert api_as(stack, cfb.cookie(), "PUT", f"/admin/accounts/{account_id}/roles",
                  {"roles": [{"role": "local_admin", "org_id": ORG_BELASTINGDIENST}]}).status == 200
    try:
        log_in_by_link(second, stack, email)
        second.page.wait_for_url("**/inloggen/tweede-factor/instellen/")
        enter_code(second, code_at(totp_secret(second), now()))
        second.page.wait_for_url("**/beheer/")
        assert not second.page.locator("#beheer-menu").get_by_role("link", name="Wachtlijsten").is_visible()
        open_page(second, stack, f"/beheer/wachtlijsten/?opleiding={course_id}&uitvoering=W1")
        wait_for_text(second, "#beheer .lr-alert", lambda text: "alleen voor Centraal Functioneel Beheer" in text)
        assert second.page.locator("table").count() == 0 and name not in second.page.content()
        assert_sound(second, "the waiting lists refused to a local admin")
        cookie = next(c for c in second.page.context.cookies() if c["name"] == "lr_session")
        refused = api_as(stack, f"lr_session={cookie['value']}", "GET", "/admin/waiting")
        assert refused.status == 403, refused.body
        assert second.errors == []
    finally:
        api_as(stack, cfb.cookie(), "DELETE", f"/admin/accounts/{account_id}")
