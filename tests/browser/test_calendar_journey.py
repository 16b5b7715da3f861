"""R_CAL_01 in Chromium: an enrolment's confirmation in the local mailbox carries the calendar invitation
(METHOD:REQUEST), and "Mijn inschrijvingen" downloads the same entry as an .ics file; axe-core on the page.
Every invitation is parsed back with icalendar and held to iTIP (tests/functional/calendar_checks.py)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import Stack, Tab, http
from tests.browser.test_catalogue_pages import assert_accessible, catalogue_program, open_page, put_program, run_in
from tests.browser.test_enrolment_journey import EVA, enrol_button, log_in, wait_for_mail
from tests.functional.calendar_checks import itip

COURSE = "Agenda op orde"


def test_R_CAL_01_the_mailbox_shows_the_invitation_and_my_enrolments_downloads_it(tab: Tab, stack: Stack) -> None:
    page = tab.page
    start = date.today() + timedelta(days=40)
    document = catalogue_program("LR-BROWSER-AGENDA", COURSE,
                                 [run_in(40, "AGENDA-1", seats=5, price_eur="300.00", hours=("09:30", "16:30"))])
    course_id = put_program(stack, document)["course_id"]

    log_in(tab, stack, EVA)
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    enrol_button(tab, start).click()
    page.fill("#inschrijf-phone", "070 1234567")
    page.select_option("#inschrijf-gender", "vrouw")
    page.check("#inschrijf-consent")
    page.get_by_role("button", name="Inschrijving versturen").click()
    expect(page.locator("#inschrijven")).to_contain_text("U bent ingeschreven")

    mail = wait_for_mail(stack, EVA, "Uw inschrijving bij Leer-Rijk", COURSE)
    assert mail["calendar_method"] == "REQUEST" and "uitnodiging voor uw agenda" in mail["body"]
    mailed = itip(mail["calendar"], "REQUEST")
    assert mailed.summary == COURSE and mailed.attendees == [f"mailto:{EVA}"] and "Utrecht" in mailed.location
    assert (mailed.start.date(), mailed.start.strftime("%H:%M")) == (start, "09:30")
    shown = http("GET", f"{stack.base_url}/_dev/mail").body.decode()
    assert "Agenda-uitnodiging (REQUEST)" in shown and mailed.uid in shown.replace("\r\n ", "")

    open_page(tab, stack, "/mijn-inschrijvingen/")
    card = page.locator(".lr-enrolment", has_text=COURSE)
    link = card.get_by_role("link", name=re.compile("Zet in uw agenda"))
    expect(link).to_be_visible()
    assert_accessible(tab, "my enrolments with the calendar link")
    with page.expect_download() as download:
        link.click()
    saved = Path(download.value.path()).read_bytes().decode("utf-8")  # as sent: CRLF lines
    assert download.value.suggested_filename.endswith(".ics")
    downloaded = itip(saved, "REQUEST")
    assert (downloaded.uid, downloaded.sequence, downloaded.start) == (mailed.uid, mailed.sequence, mailed.start)
