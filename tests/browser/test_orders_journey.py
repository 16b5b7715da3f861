"""The order-list journey in Chromium (R_ORD_01-03, R_ACC_10): an employee enrols, the manager approves
from the mailbox, the stack's clock moves past the start, the order-list job runs from `/_dev/jobs`,
the line appears for the order-authorised staff of the employee's department only, is marked as
ordered and downloaded as CSV without personal data. axe-core in every state reached.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from chalicelib.accounts.totp_rules import code_at
from tests.browser.conftest import Stack, Tab, http, open_tab
from tests.browser.test_account_journeys import wait_for_text
from tests.browser.test_catalogue_pages import assert_accessible, catalogue_program, open_page, put_program, run_in
from tests.browser.test_enrolment_journey import MANAGER, SEM, enrol_button, log_in, wait_for_mail

DEPARTMENT_STAFF = "noor.hendriks@minbzk.nl"  # order-authorised for BZK's Directie Digitale Overheid (Sem's)
ORGANISATION_STAFF = "daan.peters@minbzk.nl"  # order-authorised for BZK as a whole
COURSE = "Bestellen zonder zorgen"
DAYS_TO_START = 20


def _dev(stack: Stack, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    headers = {"Content-Type": "application/json", "Origin": stack.base_url}
    answer = http(method, f"{stack.base_url}{path}", headers, json.dumps(body).encode() if body is not None else None)
    assert answer.status == 200, answer.body
    return answer.json()


@pytest.fixture
def moved_clock(stack: Stack) -> Iterator[None]:
    yield
    _dev(stack, "POST", "/_dev/clock", {"days": None})  # the other browser tests run on the real clock


def new_tab(browser: Any) -> Tab:
    return open_tab(browser, accept_downloads=True)


def log_in_with_second_factor(tab: Tab, stack: Stack, email: str) -> None:
    """The mailbox link, then the TOTP set-up at the stack's (moved) clock (R_ACC_10)."""
    log_in(tab, stack, email)
    tab.page.wait_for_url(re.compile(r"/inloggen/tweede-factor/instellen/"))
    secret = wait_for_text(tab, "#totp-sleutel").replace(" ", "")
    at = datetime.fromisoformat(_dev(stack, "GET", "/_dev/clock")["now"])
    tab.page.fill("#totp-code", code_at(secret, at))
    tab.page.locator("#totp-formulier [type=submit]").click()
    tab.page.wait_for_url(lambda url: "/tweede-factor/" not in url)


def test_R_ORD_01_R_ORD_02_R_ORD_03_enrol_approve_start_job_department_list_and_csv(
    tab: Tab, browser: Any, stack: Stack, moved_clock: None, tmp_path: Path,
) -> None:
    page = tab.page
    document = catalogue_program("LR-BROWSER-BESTEL", COURSE, [run_in(DAYS_TO_START, "BESTEL-1", seats=5,
                                                                      price_eur="725.00")])
    course_id = put_program(stack, document)["course_id"]

    # Sem (BZK, Directie Digitale Overheid) enrols; BZK asks the manager's approval.
    log_in(tab, stack, SEM)
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    run_start = run_in(DAYS_TO_START, "x").start
    enrol_button(tab, run_start).click()
    page.fill("#inschrijf-phone", "06 12345678")
    page.select_option("#inschrijf-gender", "zeg ik liever niet")
    page.fill("#inschrijf-manager_email", MANAGER)
    page.check("#inschrijf-consent")
    page.get_by_role("button", name="Inschrijving versturen").click()
    expect(page.locator("#inschrijven")).to_contain_text("Uw inschrijving wacht op akkoord")

    request = wait_for_mail(stack, MANAGER, "Verzoek om akkoord voor een opleiding", COURSE)
    link = re.search(re.escape(stack.base_url) + r"/akkoord/\?keuze=akkoord#[\w.-]+", request["body"])
    assert link, request["body"]
    manager = new_tab(browser)
    manager.page.goto(link.group(0))
    manager.page.get_by_role("button", name="Beslissing versturen").click()
    expect(manager.page.locator("#akkoord-uitkomst")).to_contain_text("U heeft akkoord gegeven")
    manager.page.context.close()

    # The day after the start (Europe/Amsterdam), the job puts the enrolment on the order list.
    moved = _dev(stack, "POST", "/_dev/clock", {"days": DAYS_TO_START + 1})
    assert moved["today"] > run_start.isoformat()
    ran = _dev(stack, "POST", "/_dev/jobs/build_order_lists")
    assert ran.get("count", 0) >= 1, ran

    # The department's order-authorised staff see the line, with Sem's business e-mail only.
    staff = new_tab(browser)
    log_in_with_second_factor(staff, stack, DEPARTMENT_STAFF)
    open_page(staff, stack, "/bestellingen/")
    row = staff.page.locator("#regels tbody tr", has_text=COURSE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(SEM)
    expect(row).to_contain_text("725,00")
    expect(row).to_contain_text("Nog te bestellen")
    expect(staff.page.locator("#totalen table")).to_be_visible()
    expect(staff.page.locator("#regels")).not_to_contain_text("06 12345678")
    assert_accessible(staff, "order list, filled")

    # At 1280 px the action column is on the page, not in a scroll box (issue 28).
    button = row.get_by_role("button", name="Markeer als besteld")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280, box
    scroll = staff.page.locator("#regels .lr-table-wrapper").evaluate("(node) => [node.scrollWidth, node.clientWidth]")
    assert scroll[0] <= scroll[1] + 1, scroll

    # One click is not enough: a confirmation names the consequence; "Terug" changes nothing.
    button.click()
    dialog = staff.page.get_by_role("dialog")
    expect(dialog).to_contain_text("verdwijnt uit 'Nog te bestellen'")
    assert_accessible(staff, "order list, confirm marking as ordered")
    dialog.get_by_role("button", name="Terug").click()
    expect(row).to_contain_text("Nog te bestellen")
    button.click()
    staff.page.get_by_role("button", name="Ja, markeer als besteld").click()
    expect(staff.page.locator("#status")).to_contain_text("is gemarkeerd als besteld")
    expect(staff.page.locator("#regels tbody tr", has_text=COURSE)).to_contain_text("(door u)")
    assert_accessible(staff, "order list, line ordered")

    # A mis-click is undone from the message: the line is open again (DELETE .../ordered).
    staff.page.locator("#besteld-ongedaan").click()
    expect(staff.page.locator("#status")).to_contain_text("staat weer op 'Nog te bestellen'")
    expect(staff.page.locator("#regels tbody tr", has_text=COURSE)).to_contain_text("Nog te bestellen")
    assert_accessible(staff, "order list, marking undone")
    staff.page.locator("#regels tbody tr", has_text=COURSE).get_by_role("button", name="Markeer als besteld").click()
    staff.page.get_by_role("button", name="Ja, markeer als besteld").click()
    expect(staff.page.locator("#regels tbody tr", has_text=COURSE)).to_contain_text("(door u)")

    # Filter on status: the ordered line leaves the "still to order" view.
    staff.page.select_option("#status-filter", "open")
    staff.page.locator("#filter-formulier [type=submit]").click()
    expect(staff.page.locator("#regels")).not_to_contain_text(COURSE)
    staff.page.select_option("#status-filter", "")
    staff.page.locator("#filter-formulier [type=submit]").click()
    expect(staff.page.locator("#regels tbody tr", has_text=COURSE)).to_have_count(1)

    # The CSV for the ordering system: BOM, semicolons, the course, nobody's personal data (R_ORD_03).
    with staff.page.expect_download() as download_info:
        staff.page.locator("#download-csv").click()
    download = download_info.value
    assert re.fullmatch(r"bestellijst-\d{4}-\d\d-\d\d-tot-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")  # the Dutch dialect
    assert header[:4] == ["Bestelreferentie", "Besteldag", "Soort", "Status"] and "Leverancier" in header
    line = dict(zip(header, next(row for row in rows if COURSE in row)))
    assert (line["Soort"], line["Status"], line["Bedrag (euro)"]) == ("bestelling", "besteld", "725,00")
    assert line["Organisatie"] and line["Leverancier"]  # names beside the ids
    assert SEM not in text and "Jansen" not in text and "12345678" not in text
    assert [e for e in staff.errors if "favicon" not in e] == []
    staff.page.context.close()

    # The organisation's order-authorised staff do not see the department's line (R_ORD_02).
    organisation = new_tab(browser)
    log_in_with_second_factor(organisation, stack, ORGANISATION_STAFF)
    open_page(organisation, stack, "/bestellingen/")
    listed = wait_for_text(organisation, "#regels")
    assert "fleur.dekker@minbzk.nl" in listed  # the demo line of a department without its own staff
    expect(organisation.page.locator("#regels")).not_to_contain_text(COURSE)
    expect(organisation.page.locator("#regels")).not_to_contain_text(SEM)
    assert_accessible(organisation, "order list of the organisation")
    organisation.page.context.close()
