"""The review journey in Chromium (R_REV_01-04): the clock moves past the end of an execution, the
invitation job runs, the invitation is in the mailbox, the participant reviews anonymously, another
employee reads the text without a name, a visitor sees only the summary, CFB gets only the summary
of a course with fewer than 3 reviews and moderates a text (never the stars), the author deletes the
review from "Mijn reviews". axe-core in every state.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Stack, Tab, http, open_tab
from tests.browser.test_account_journeys import api_as, log_in_by_link, wait_for_text
from tests.browser.test_admin_pages import AdminSession
from tests.browser.test_catalogue_pages import (
    assert_accessible,
    catalogue_program,
    open_page,
    put_program,
    run_in,
    screenshot,
    watch,
)
from tests.browser.test_enrolment_journey import EVA, SEM, log_in, wait_for_mail

INVITATION = "Hoe was uw opleiding? Schrijf een review"
TEXT = "Heldere uitleg en veel oefeningen.\nDe tweede dag was wat lang."
DEMO_TEXT = "Duidelijke docent en veel voorbeelden uit de Rijksoverheid."  # devstack/demo_reviews.py, anonymous


def move_clock(stack: Stack, change: dict[str, Any]) -> dict[str, Any]:
    answer = http("POST", f"{stack.base_url}/_dev/clock", {"Content-Type": "application/json"},
                  json.dumps(change).encode())
    assert answer.status == 200, answer.body
    return answer.json()


@pytest.fixture
def clock_restored(stack: Stack) -> Iterator[None]:
    yield
    move_clock(stack, {"at": None})  # the stack is shared with the other browser tests


@pytest.fixture
def other(browser: Any, stack: Stack) -> Iterator[Tab]:
    """A second browser: another employee, then a visitor."""
    opened = open_tab(browser)
    yield opened
    opened.page.context.close()


def enrol_by_api(tab: Tab, course_id: str, execution_id: str) -> None:
    """The enrolment itself is covered by test_enrolment_journey; here the page's own fetch makes it."""
    status = tab.page.evaluate(
        """async ([courseId, executionId]) => {
          const response = await fetch('/api/enrolments', {method: 'POST', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-Leer-Rijk': '1', 'Idempotency-Key': crypto.randomUUID()},
            body: JSON.stringify({course_id: courseId, execution_id: executionId, first_name: 'Eva',
              last_name: 'de Vries', email: 'eva.devries@belastingdienst.nl', phone: '+31 70 123 4567',
              gender: 'vrouw', consent: true})});
          return response.status;
        }""",
        [course_id, execution_id],
    )
    assert status == 201


def test_R_REV_01_R_REV_02_R_REV_03_R_REV_04_review_journey(tab: Tab, other: Tab, cfb: AdminSession, stack: Stack,
                                                          clock_restored: None) -> None:
    console = watch(tab)
    page = tab.page
    start = date.today() + timedelta(days=3)
    document = catalogue_program("LR-BROWSER-REVIEW", "Feedback geven en ontvangen", [run_in(3, "REV-1", seats=6)])
    course_id = put_program(stack, document)["course_id"]

    log_in(tab, stack, EVA)
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    enrol_by_api(tab, course_id, "REV-1")

    # The clock moves past the end (start + 1 day); the invitation job runs.
    end = start + timedelta(days=1)
    move_clock(stack, {"at": datetime(end.year, end.month, end.day, 9, tzinfo=UTC).isoformat()})
    ran = http("POST", f"{stack.base_url}/_dev/jobs/invite_reviews")
    assert ran.status == 200, ran.body
    assert not [m for m in http("GET", f"{stack.base_url}/_dev/mail.json").json()
                if m["subject"] == INVITATION and course_id in m["body"]]  # the last day itself: not ended yet
    move_clock(stack, {"advance_seconds": 24 * 3600})
    ran = http("POST", f"{stack.base_url}/_dev/jobs/invite_reviews")
    assert ran.status == 200, ran.body
    invitation = wait_for_mail(stack, EVA, INVITATION, course_id)
    link = re.search(re.escape(stack.base_url) + r"/opleiding/\?id=" + course_id + "#review", invitation["body"])
    assert link, invitation["body"]
    assert http("POST", f"{stack.base_url}/_dev/jobs/invite_reviews").status == 200
    assert len([m for m in http("GET", f"{stack.base_url}/_dev/mail.json").json()
                if m["subject"] == INVITATION and course_id in m["body"]]) == 1  # one invitation, once

    # The session ended while the clock moved: the link from the mail, then logging in from the page; the
    # page opens at the form, not at the top (issue 28). (From another page: a mail link opens the page anew.)
    page.goto("about:blank")
    page.goto(link.group(0))
    page.locator("#review-inloggen a").click()
    page.wait_for_url("**/inloggen/**")
    log_in_by_link(tab, stack, EVA, start=page.url.removeprefix(stack.base_url))
    page.wait_for_url(re.compile(r"/opleiding/\?id=" + course_id + "#review$"))
    form = page.locator("#review-formulier")
    expect(form).to_be_visible()
    expect(page.locator("#review-schrijf-titel")).to_be_focused()
    heading = page.locator("#review-schrijf-titel").bounding_box()
    assert heading is not None and 0 <= heading["y"] < page.viewport_size["height"], heading
    expect(page.locator("#review-samenvatting-tekst")).to_have_text("Nog geen beoordelingen")
    assert_accessible(tab, "review form, empty")

    page.get_by_role("button", name="Review plaatsen").click()
    summary = page.locator("#review-fouten")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Kies een beoordeling van 1 tot en met 5.")
    expect(summary).to_contain_text("Schrijf kort wat u van de opleiding vond.")
    assert_accessible(tab, "review form, errors")

    page.get_by_label("4 (goed)").check()
    page.get_by_label("Uw ervaring").fill(TEXT)
    expect(page.get_by_label("Toon mijn voor- en achternaam bij deze review")).not_to_be_checked()
    page.get_by_role("button", name="Review plaatsen").click()
    expect(page.locator("#review-geplaatst")).to_contain_text("Dank u wel voor uw review")
    expect(page.locator("#review-fouten")).to_be_hidden()  # success and error never together (R_UI_02)
    expect(page.locator("#review-samenvatting-tekst")).to_have_text("4 van 5 (1 beoordeling)")
    expect(page.locator("#opleiding-kenmerken")).to_contain_text("4 van 5 (1 beoordeling)")
    mine = page.locator("#review-lijst .lr-review")
    expect(mine).to_have_count(1)
    expect(mine.first).to_contain_text("Anonieme deelnemer")
    expect(mine.first).to_contain_text("De tweede dag was wat lang.")
    assert_accessible(tab, "review placed")
    screenshot(tab, "review-placed.png")

    # Another employee reads the text, without a name (R_REV_02, R_REV_03).
    log_in(other, stack, SEM)
    open_page(other, stack, f"/opleiding/?id={course_id}")
    read = other.page.locator("#review-lijst .lr-review")
    expect(read).to_have_count(1)
    expect(read.first).to_contain_text("Heldere uitleg en veel oefeningen.")
    expect(read.first).to_contain_text("Anonieme deelnemer")
    expect(other.page.locator("#review")).not_to_contain_text("Eva")
    expect(other.page.locator("#review")).not_to_contain_text("de Vries")
    # R_REV_01, R_UI_03: no form that can only be refused; the page says when a review can be written
    expect(other.page.locator("#review-nog-niet")).to_contain_text("na de einddatum")
    expect(other.page.locator("#review-formulier")).to_have_count(0)
    assert_accessible(other, "course page, employee reads reviews")

    # A visitor sees only the summary.
    other.page.context.clear_cookies()
    open_page(other, stack, f"/opleiding/?id={course_id}")
    expect(other.page.locator("#review-samenvatting-tekst")).to_have_text("4 van 5 (1 beoordeling)")
    expect(other.page.locator("#review-inloggen")).to_contain_text("Log in om de reviews te lezen")
    expect(other.page.locator("#review")).not_to_contain_text("Heldere uitleg")
    expect(other.page.locator("#review-lijst")).to_have_count(0)
    assert_accessible(other, "course page, visitor")

    # CFB reads it in the beheer pages, without a name, and moderates the text (R_REV_03, R_REV_04).
    # The run's CFB session (tests/browser/conftest.py) expired when the clock moved: CFB logs in again.
    app_now = datetime.fromisoformat(move_clock(stack, {"advance_seconds": 60})["now"])
    cfb.log_in_again(stack, at=app_now)  # the app's clock is the one that counts
    admin = cfb.tab
    # One anonymous review among fewer than 3: CFB gets the summary, not the review (R_REV_03).
    open_page(admin, stack, f"/beheer/reviews/?course_id={course_id}")
    wait_for_text(admin, "#status", lambda text: "minstens 3 reviews" in text)
    expect(admin.page.locator("#reviews-lijst .lr-review")).to_have_count(0)
    expect(admin.page.locator("#beheer")).not_to_contain_text("Heldere uitleg")
    assert_accessible(admin, "beheer: reviews held back")
    # The demo course has three reviews: CFB reads them and moderates a text, without stars (issue 28).
    open_page(admin, stack, "/beheer/reviews/")
    wait_for_text(admin, "#status", lambda text: "reviews getoond" in text)
    card = admin.page.locator("#reviews-lijst .lr-review", has_text=DEMO_TEXT)
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Anonieme deelnemer")
    assert_accessible(admin, "beheer: reviews")
    card.get_by_role("button", name=re.compile("^Tekst modereren")).click()
    form = admin.page.locator(".lr-review-form")
    expect(form.locator("input[type=radio]")).to_have_count(0)  # the stars are the author's
    expect(form).not_to_contain_text("Uw beoordeling")
    form.get_by_label("Tekst van de review (moderatie door CFB)").fill("Duidelijke docent.")
    admin.page.get_by_role("button", name="Gemodereerde tekst opslaan").click()
    wait_for_text(admin, "#status", lambda text: "aangepast" in text)
    moderated = admin.page.locator("#reviews-lijst .lr-review", has_text="Duidelijke docent.")
    expect(moderated).not_to_contain_text("voorbeelden uit de Rijksoverheid")
    assert_accessible(admin, "beheer: review moderated")
    review_id = moderated.get_attribute("data-review")
    jar = [c for c in admin.page.context.cookies() if c["name"] == "lr_session"]
    restored = api_as(stack, f"lr_session={jar[0]['value']}", "PATCH", f"/reviews/{review_id}", {"text": DEMO_TEXT})
    assert restored.status == 200, restored.body  # the shared stack's demo text as seeded
    assert admin.errors == []

    # The author deletes it from "Mijn reviews" (R_REV_04).
    open_page(tab, stack, "/mijn-reviews/")
    card = page.locator("#mijn-reviews-lijst .lr-review")
    expect(card).to_have_count(1)
    expect(card.first).to_contain_text("Feedback geven en ontvangen")
    expect(card.first).to_contain_text("Deze review is anoniem.")
    assert_accessible(tab, "my reviews")
    card.first.get_by_role("button", name=re.compile("^Verwijderen")).click()
    expect(card.first).to_contain_text("Weet u zeker dat u deze review wilt verwijderen?")
    assert_accessible(tab, "my reviews, confirm delete")
    page.get_by_role("button", name="Ja, verwijder deze review").click()
    expect(page.locator("#mijn-reviews-status")).to_contain_text("Uw review is verwijderd.")
    expect(page.locator("#mijn-reviews-lijst .lr-review")).to_have_count(0)
    expect(page.locator("#mijn-reviews-leeg")).to_be_visible()
    assert_accessible(tab, "my reviews, empty")

    open_page(other, stack, f"/opleiding/?id={course_id}")
    expect(other.page.locator("#review-samenvatting-tekst")).to_have_text("Nog geen beoordelingen")
    # the session that ended while the clock moved answered the page's own requests (its reviews, and on the
    # pages that show them its enrolments and waiting places) with 401 before logging in again
    assert console.unexpected((401, "/api/me/reviews"), (401, "/api/me/enrolments"), (401, "/api/me/waiting")) == []
