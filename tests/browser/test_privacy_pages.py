"""R_PRV_02, R_PRV_03, R_PRV_04 in the browser against the started stack: the public register page and
CFB's retention and spend pages, each axe-clean and without console errors."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from chalicelib.catalogue.edudex_map import THEME_LABELS
from chalicelib.privacy.register import register_page
from tests.browser.conftest import Stack, Tab, axe_violations
from tests.browser.test_account_journeys import open_page, wait_for_text
from tests.browser.test_admin_pages import AdminSession
from tests.browser.test_catalogue_pages import catalogue_program, put_program, run_in
from tests.browser.test_enrolment_journey import MONTHS
from tests.browser.test_stack_concurrency import _enrol, _lms_headers


def test_R_PRV_03_R_PRV_04_the_public_register_page_lists_every_personal_data_item(tab: Tab, stack: Stack) -> None:
    open_page(tab, stack, "/privacy/register/")
    page = tab.page
    expected = [f"{row.table}.{row.field}" for _title, rows in register_page() for row in rows]
    shown = page.locator("tr[data-item]").evaluate_all("rows => rows.map(r => r.dataset.item)")
    assert shown == expected
    assert page.locator("#register-versie").inner_text().strip()
    assert page.locator("h2", has_text="Cookies").count() == 1
    assert axe_violations(page) == []
    assert tab.errors == []


def test_R_PRV_02_cfb_sees_the_retention_report_recomputed_on_request(cfb: AdminSession,
                                                                      stack: Stack) -> None:
    tab, page = cfb.tab, cfb.page
    open_page(tab, stack, "/beheer/bewaartermijnen/")
    text = wait_for_text(tab, "#bewaar-rapport table")
    assert "Geen contactbericht of kopie ervan ouder dan 7 dagen" in text and "Wordt nageleefd" in text
    assert page.locator("#beheer-menu a[aria-current=page]").inner_text() == "Bewaartermijnen"
    assert axe_violations(page) == []
    page.locator("#bewaar-opnieuw").click()
    wait_for_text(tab, "#bewaar-rapport table")
    assert axe_violations(page) == []
    assert tab.errors == []


def test_R_ENR_10_cfb_sees_spend_as_a_table_and_an_accessible_bar_chart(cfb: AdminSession,
                                                                        stack: Stack) -> None:
    stored = put_program(stack, catalogue_program(f"SPEND-{uuid.uuid4().hex[:6]}", "Uitgaven zichtbaar",
                                                  [run_in(40, "r1", seats=5)]))
    assert _enrol(stack, _lms_headers(stack), stored["course_id"], 1).status == 201
    month = (date.today() + timedelta(days=40)).isoformat()[:7]
    tab, page = cfb.tab, cfb.page
    open_page(tab, stack, "/beheer/uitgaven/")
    page.wait_for_selector("#uitgaven-formulier")
    page.fill("#uitgaven-van", month)
    page.fill("#uitgaven-tot", month)
    page.select_option("#uitgaven-groep", "month")
    page.locator("#uitgaven-formulier [type=submit]").click()
    text = wait_for_text(tab, "#uitgaven-resultaat table")
    assert month in text and "Totaal" in text
    assert page.locator("#uitgaven-resultaat tbody th, #uitgaven-resultaat tbody td").first.inner_text() == \
        f"{MONTHS[int(month[5:]) - 1]} {month[:4]}"  # the month by its Dutch name (issue 28)
    assert page.locator("#uitgaven-resultaat svg[role=img] title").count() == 1
    assert page.locator("#uitgaven-resultaat svg rect").count() == 1
    assert page.locator("#uitgaven-resultaat a[href*='format=csv']").count() == 1
    assert axe_violations(page) == []
    # themes by their label from the EDU-DEX theme list, never their code (issue 28)
    page.select_option("#uitgaven-groep", "theme")
    page.locator("#uitgaven-formulier [type=submit]").click()
    page.wait_for_function("() => document.querySelector('#uitgaven-resultaat h2')?.textContent.includes('thema')")
    by_theme = wait_for_text(tab, "#uitgaven-resultaat table")
    assert any(label in by_theme for label in THEME_LABELS.values()), by_theme
    assert not re.search(r"\bT\d+\b", by_theme), by_theme
    assert axe_violations(page) == []
    assert tab.errors == []
