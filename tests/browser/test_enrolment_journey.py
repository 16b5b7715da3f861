"""The enrolment journey in Chromium: enrol, the manager decides from the mailbox, the supplier is told,
cancel with the cost shown before confirming, hide (R_ENR_02-09, R_ENR_11), axe-core in every state.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Stack, Tab, http, open_tab
from tests.browser.test_catalogue_pages import (
    assert_accessible,
    catalogue_program,
    open_page,
    put_program,
    run_in,
    screenshot,
    watch,
)

SEM = "sem.jansen@minbzk.nl"  # Ministerie van BZK: the organisation asks for the manager's approval
EVA = "eva.devries@belastingdienst.nl"  # Belastingdienst: no approval step
MANAGER = "chef@minbzk.nl"
SUPPLIER_MAILBOX = "inschrijvingen@opleidingshuis-rijk.example"  # Opleidingshuis Rijk delivers by e-mail
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]
FREE_DAYS = 14  # the demo suppliers' cancellation terms


def dutch(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def mails(stack: Stack, to: str, subject: str | None = None) -> list[dict[str, Any]]:
    """Newest first, as the mailbox lists them."""
    return [m for m in http("GET", f"{stack.base_url}/_dev/mail.json").json()
            if to in m["destinations"] and (subject is None or m["subject"] == subject)]


def wait_for_mail(stack: Stack, to: str, subject: str, containing: str, seconds: float = 15) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [m for m in mails(stack, to, subject) if containing in m["body"]]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no mail {subject!r} to {to} about {containing!r}: {mails(stack, to)}")


def log_in(tab: Tab, stack: Stack, email: str) -> None:
    """Ask for a login link, open it from the local mailbox and confirm it (R_ACC_03)."""
    headers = {"Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": stack.base_url}
    before = {m["id"] for m in mails(stack, email)}
    asked = http("POST", f"{stack.base_url}/api/auth/login", headers, json.dumps({"email": email}).encode())
    assert asked.status == 202, asked.body
    deadline = time.monotonic() + 10
    link = None
    while link is None and time.monotonic() < deadline:
        for message in mails(stack, email):
            found = re.search(re.escape(stack.base_url) + r"/inloggen/bevestigen/#token=[\w-]+", message["body"])
            if message["id"] not in before and found:
                link = found.group(0)
                break
        else:
            time.sleep(0.2)
    assert link, f"no login link for {email}"
    tab.page.goto(link)
    tab.page.get_by_role("button", name=re.compile("Doorgaan")).click()
    tab.page.wait_for_url(lambda url: "/inloggen/bevestigen/" not in url)


@pytest.fixture
def manager(browser: Any, stack: Stack) -> Iterator[Tab]:
    """A separate browser without a session: the manager opens the link from the e-mail."""
    opened = open_tab(browser)
    yield opened
    opened.page.context.close()


def enrol_button(tab: Tab, run_start: date) -> Any:
    row = tab.page.locator("#uitvoeringen-tabel tbody tr", has_text=dutch(run_start))
    return row.get_by_role("button", name=re.compile(r"^Inschrijven"))


def enrolment_posts(tab: Tab) -> list[dict[str, str]]:
    posts: list[dict[str, str]] = []
    tab.page.on("request", lambda request: posts.append(request.headers)
                if request.method == "POST" and request.url.endswith("/api/enrolments") else None)
    return posts


def test_R_ENR_02_R_ENR_06_R_ENR_07_R_ENR_08_enrol_approve_supplier_mail_and_late_cancel(
    tab: Tab, manager: Tab, stack: Stack,
) -> None:
    console = watch(tab)
    manager_console = watch(manager)
    page = tab.page
    late_start = date.today() + timedelta(days=10)  # inside the 14 free days: cancelling costs the price
    document = catalogue_program("LR-BROWSER-REIS", "Werken aan je netwerk", [
        run_in(10, "REIS-LAAT", seats=4, price_eur="450.00", deadline=late_start - timedelta(days=1)),
        run_in(60, "REIS-VRIJ", seats=4, price_eur="450.00"),
    ], requirements=[("intake", "een kort intakegesprek met de trainer")])
    course_id = put_program(stack, document)["course_id"]
    posts = enrolment_posts(tab)

    log_in(tab, stack, SEM)
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    expect(page.locator("#eisen")).to_contain_text("een kort intakegesprek met de trainer")
    enrol_button(tab, late_start).click()

    # The form: prefilled from the profile, consent text with who gets what.
    form = page.locator("#inschrijfformulier")
    expect(page.locator("#inschrijven-titel")).to_be_focused()
    expect(page.locator("#inschrijf-first_name")).to_have_value("Sem")
    expect(page.locator("#inschrijf-last_name")).to_have_value("Jansen")
    expect(page.locator("#inschrijf-email")).to_have_value(SEM)
    expect(page.locator("#inschrijf-department_name")).to_have_value("Directie Digitale Overheid")
    expect(page.locator("#inschrijf-organisatie")).to_contain_text("Ministerie van Binnenlandse Zaken")
    shared = page.locator("#wat-wij-delen")
    expect(shared).to_contain_text("Opleidingshuis Rijk (de aanbieder) krijgt de gegevens uit dit formulier")
    expect(shared).to_contain_text("Uw leidinggevende krijgt")
    expect(shared).to_contain_text("bestelgemachtigden")
    expect(page.locator("label[for=inschrijf-consent]")).to_contain_text("Ik geef toestemming")
    expect(page.locator("#inschrijf-gender option")).to_have_text(
        ["Maak een keuze", "Man", "Vrouw", "Anders", "Zeg ik liever niet"])
    assert_accessible(tab, "enrolment form")

    # Missing fields: an error summary that takes focus, and each error next to its field.
    page.get_by_role("button", name="Inschrijving versturen").click()
    summary = page.locator("#inschrijf-fouten")
    expect(summary).to_be_focused()
    for name in ("phone", "gender", "consent"):
        expect(page.locator(f"#inschrijf-{name}")).to_have_attribute("aria-invalid", "true")
        expect(form.locator(f"#inschrijf-{name}-fout")).to_be_visible()
    assert posts == []  # nothing was sent
    assert_accessible(tab, "enrolment form with errors")

    # An error from the API lands next to its field: the manager's address may not be one's own.
    page.fill("#inschrijf-phone", "06 12345678")
    page.select_option("#inschrijf-gender", "zeg ik liever niet")
    page.fill("#inschrijf-manager_email", SEM)
    page.check("#inschrijf-consent")
    page.get_by_role("button", name="Inschrijving versturen").click()
    expect(form.locator("#inschrijf-manager_email-fout")).to_contain_text("niet uw eigen adres")
    expect(summary).to_be_focused()
    assert_accessible(tab, "enrolment form with an API field error")

    page.fill("#inschrijf-manager_email", MANAGER)
    page.get_by_role("button", name="Inschrijving versturen").click()
    outcome = page.locator("#inschrijven")
    expect(outcome).to_contain_text("Uw inschrijving wacht op akkoord")
    expect(outcome).to_contain_text("Wacht op akkoord van uw leidinggevende")
    expect(outcome).to_contain_text(MANAGER)
    expect(page.locator("#inschrijven-titel")).to_be_focused()
    assert len(posts) == 2 and posts[0]["idempotency-key"] == posts[1]["idempotency-key"]  # one key per form
    row = page.locator("#uitvoeringen-tabel tbody tr", has_text=dutch(late_start))
    expect(row).to_contain_text("3 van 4")  # the seat is held while the manager decides
    expect(row).to_contain_text("Wacht op akkoord")
    assert_accessible(tab, "enrolment sent, waiting for approval")
    screenshot(tab, "enrolment-pending.png")

    # The manager's e-mail: name, business e-mail and the course; no phone number (R_ENR_06).
    request = wait_for_mail(stack, MANAGER, "Verzoek om akkoord voor een opleiding", "Werken aan je netwerk")
    assert "12345678" not in request["body"] and "zeg ik liever niet" not in request["body"]
    link = re.search(re.escape(stack.base_url) + r"/akkoord/\?keuze=akkoord#[\w.-]+", request["body"])
    assert link, request["body"]

    # Opening the page (GET) never decides: twice, and the supplier still knows nothing.
    other = manager.page.context.new_page()
    other.goto(link.group(0))
    manager.page.goto(link.group(0))
    decision = manager.page.locator("#akkoord-inhoud")
    expect(decision).to_contain_text("Sem Jansen")
    expect(decision).to_contain_text(SEM)
    expect(decision).to_contain_text("Werken aan je netwerk")
    expect(decision).to_contain_text(dutch(late_start))
    expect(manager.page.get_by_label("Akkoord geven")).to_be_checked()  # the mail's choice, not yet sent
    expect(other.get_by_label("Afwijzen")).to_be_visible()
    assert_accessible(manager, "manager's decision page")
    screenshot(manager, "approval-request.png")
    assert not [m for m in mails(stack, SUPPLIER_MAILBOX) if "REIS-LAAT" in m["body"]]

    manager.page.get_by_role("button", name="Beslissing versturen").click()
    expect(manager.page.locator("#akkoord-uitkomst")).to_contain_text("U heeft akkoord gegeven")
    expect(manager.page.get_by_role("button", name="Beslissing versturen")).to_have_count(0)
    assert_accessible(manager, "manager approved")

    # A second tab that still shows the choice: the decision is made once (409).
    other.get_by_label("Afwijzen").check()
    other.get_by_role("button", name="Beslissing versturen").click()
    other.get_by_role("button", name="Ja, afwijzen").click()
    expect(other.locator("#akkoord-uitkomst")).to_contain_text("Over deze aanvraag is al beslist")
    # Opening the link again says so too.
    manager.page.reload()
    expect(manager.page.locator("h1")).to_have_text("Over deze aanvraag is al beslist")
    expect(manager.page.locator("main")).to_contain_text("akkoord gegeven")
    other.close()

    # Only now the supplier gets the form fields, by e-mail (R_ENR_07).
    supplier_mail = wait_for_mail(stack, SUPPLIER_MAILBOX, "Nieuwe inschrijving via Leer-Rijk", "REIS-LAAT")
    assert "06 12345678" in supplier_mail["body"] and "Jansen" in supplier_mail["body"]
    assert MANAGER not in supplier_mail["body"]

    # My enrolments: approved, and the cost of cancelling now is shown before confirming (R_ENR_08).
    open_page(tab, stack, "/mijn-inschrijvingen/")
    card = page.locator(".lr-enrolment", has_text="Werken aan je netwerk")
    expect(card).to_contain_text("Ingeschreven")
    last_free = late_start - timedelta(days=FREE_DAYS)
    expect(card.locator(".lr-cost-notice")).to_contain_text(
        re.compile(rf"Kosteloos annuleren kon tot en met {dutch(last_free)}\. Annuleert u nu, dan kost dat €\s450,00"))
    assert_accessible(tab, "my enrolments")
    cancel = card.get_by_role("button", name=re.compile("Inschrijving annuleren"))
    cancel.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"kosteloos annuleren kon tot en met {dutch(last_free)}")
    expect(dialog).to_contain_text(re.compile(r"brengt de aanbieder €\s450,00 in rekening"))
    expect(page.locator("#annuleer-titel")).to_be_focused()
    assert_accessible(tab, "cancel dialog with the late notice")
    screenshot(tab, "cancel-late.png")
    page.keyboard.press("Escape")  # changing one's mind: nothing happens, focus goes back
    expect(dialog).to_be_hidden()
    expect(cancel).to_be_focused()
    expect(card).to_contain_text("Ingeschreven")

    cancel.click()
    page.get_by_role("button", name=re.compile(r"Ja, annuleer voor €\s450,00")).click()
    expect(card).to_contain_text("Geannuleerd")
    expect(card).to_contain_text(re.compile(r"Uw organisatie betaalt €\s450,00 annuleringskosten"))
    assert_accessible(tab, "cancelled late")
    wait_for_mail(stack, SUPPLIER_MAILBOX, "Annulering via Leer-Rijk", "REIS-LAAT")

    # A cancelled enrolment can be hidden; it stays stored.
    card.get_by_role("button", name=re.compile("Verbergen")).click()
    expect(page.locator(".lr-enrolment", has_text="Werken aan je netwerk")).to_have_count(0)
    expect(page.locator("#mijn-status")).to_contain_text("is verborgen")
    assert_accessible(tab, "after hiding")
    assert console.unexpected((400, "/api/enrolments")) == []
    assert manager_console.unexpected((409, "/api/approvals/")) == []


def test_R_ENR_04_R_ENR_08_enrol_without_approval_scale_error_retry_and_free_cancel(tab: Tab, stack: Stack) -> None:
    console = watch(tab)
    page = tab.page
    start = date.today() + timedelta(days=60)
    document = catalogue_program("LR-BROWSER-VRIJ", "Beleid schrijven voor gevorderden",
                                 [run_in(60, "VRIJ-1", seats=6, price_eur="380.00")], salary_scales=[10, 11, 12])
    course_id = put_program(stack, document)["course_id"]
    posts = enrolment_posts(tab)

    log_in(tab, stack, EVA)
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    expect(page.locator("#eisen")).to_contain_text("Salarisschaal 10 tot en met 12")
    enrol_button(tab, start).click()
    page.fill("#inschrijf-phone", "070 1234567")
    page.select_option("#inschrijf-gender", "vrouw")
    page.select_option("#inschrijf-salary_scale", "8")
    page.check("#inschrijf-consent")
    page.get_by_role("button", name="Inschrijving versturen").click()
    # R_ENR_04: a scale that is given and outside the range is refused, naming the requirement.
    expect(page.locator("#inschrijf-salary_scale-fout")).to_contain_text("salarisschaal 10 tot en met 12")
    assert_accessible(tab, "salary scale refused")

    # The answer to the next try gets lost: the retry of the same form reuses its Idempotency-Key,
    # so the server answers with the enrolment it made, and there is one enrolment.
    page.select_option("#inschrijf-salary_scale", "11")
    lost: list[str] = []

    def lose_answer(route: Any) -> None:
        if not lost:
            lost.append(route.fetch().status_text)
            route.abort()
        else:
            route.continue_()

    page.route("**/api/enrolments", lose_answer)
    page.get_by_role("button", name="Inschrijving versturen").click()
    expect(page.locator("#inschrijf-fouten")).to_contain_text("geen verbinding")
    page.get_by_role("button", name="Inschrijving versturen").click()
    expect(page.locator("#inschrijven")).to_contain_text("U bent ingeschreven")
    page.unroute("**/api/enrolments")
    keys = {headers["idempotency-key"] for headers in posts}
    assert len(posts) == 3 and len(keys) == 1, posts
    expect(page.locator("#uitvoeringen-tabel tbody tr")).to_contain_text("5 van 6")
    assert_accessible(tab, "enrolled without approval")
    wait_for_mail(stack, SUPPLIER_MAILBOX, "Nieuwe inschrijving via Leer-Rijk", "VRIJ-1")
    wait_for_mail(stack, EVA, "Uw inschrijving bij Leer-Rijk", "Beleid schrijven voor gevorderden")

    open_page(tab, stack, "/mijn-inschrijvingen/")
    cards = page.locator(".lr-enrolment", has_text="Beleid schrijven voor gevorderden")
    expect(cards).to_have_count(1)
    last_free = start - timedelta(days=FREE_DAYS)
    expect(cards.locator(".lr-cost-notice")).to_have_text(f"Annuleren is kosteloos tot en met {dutch(last_free)}.")
    cards.get_by_role("button", name=re.compile("Inschrijving annuleren")).click()
    expect(page.get_by_role("dialog")).to_contain_text("Als u nu annuleert, zijn er geen kosten.")
    assert_accessible(tab, "cancel dialog, free")
    screenshot(tab, "cancel-free.png")
    page.get_by_role("button", name="Ja, annuleer kosteloos").click()
    expect(cards).to_contain_text("Er zijn geen kosten.")
    expect(cards).to_contain_text("Geannuleerd")
    assert_accessible(tab, "cancelled free")
    assert console.unexpected((400, "/api/enrolments"), (0, "/api/enrolments")) == []


def test_R_ENR_06_the_reject_link_opens_the_page_with_afwijzen_selected_and_only_a_confirmation_decides(
        tab: Tab, manager: Tab, stack: Stack) -> None:
    """The manager's mail carries two links. The reject link opens the decision page with "Afwijzen"
    selected; opening it decides nothing (mail scanners open links). Sending asks for a confirmation that
    names the consequence; only then the request is rejected. The place of the run shows too."""
    document = catalogue_program("LR-BROWSER-AFWIJZEN", "Timemanagement voor teams",
                                 [run_in(40, "AFW-1", seats=4, city="Zwolle")])
    course_id = put_program(stack, document)["course_id"]
    log_in(tab, stack, SEM)
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    status = tab.page.evaluate(
        """async (courseId) => {
          const response = await fetch('/api/enrolments', {method: 'POST', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-Leer-Rijk': '1', 'Idempotency-Key': crypto.randomUUID()},
            body: JSON.stringify({course_id: courseId, execution_id: 'AFW-1', first_name: 'Sem', last_name: 'Jansen',
              email: 'sem.jansen@minbzk.nl', phone: '+31 70 123 4567', gender: 'man', consent: true,
              manager_email: 'chef@minbzk.nl'})});
          return response.status;
        }""", course_id)
    assert status == 201
    request = wait_for_mail(stack, MANAGER, "Verzoek om akkoord voor een opleiding", "Timemanagement voor teams")
    approve = re.search(re.escape(stack.base_url) + r"/akkoord/\?keuze=akkoord#[\w.-]+", request["body"])
    reject = re.search(re.escape(stack.base_url) + r"/akkoord/\?keuze=afwijzen#[\w.-]+", request["body"])
    assert approve and reject and approve.group(0) != reject.group(0), request["body"]
    assert "Zwolle" in request["body"]  # the place, in the mail (issue 28)
    token = reject.group(0).split("#", 1)[1]

    page = manager.page
    page.goto(reject.group(0))
    expect(page.get_by_label("Afwijzen")).to_be_checked()
    expect(page.get_by_label("Akkoord geven")).not_to_be_checked()
    expect(page.locator("#akkoord-gegevens")).to_contain_text("Zwolle")
    assert_accessible(manager, "decision page opened from the reject link")
    still = http("GET", f"{stack.base_url}/api/approvals/{token}")
    assert still.json()["status"] == "pending_approval"  # opening the link decided nothing

    page.get_by_role("button", name="Beslissing versturen").click()
    question = page.locator("#akkoord-bevestigen")
    expect(question).to_contain_text("Weet u zeker dat u de aanvraag van Sem Jansen wilt afwijzen?")
    expect(question).to_contain_text("vervalt, de plaats komt vrij en Sem krijgt hiervan bericht")
    assert_accessible(manager, "reject: confirmation")
    assert http("GET", f"{stack.base_url}/api/approvals/{token}").json()["status"] == "pending_approval"
    page.get_by_role("button", name="Ja, afwijzen").click()
    expect(page.locator("#akkoord-uitkomst")).to_contain_text("U heeft de aanvraag afgewezen")
    assert_accessible(manager, "rejected")
    assert http("GET", f"{stack.base_url}/api/approvals/{token}").json()["status"] == "rejected"
    wait_for_mail(stack, SEM, "Besluit over uw inschrijving", "Timemanagement voor teams")


def test_R_ENR_06_decision_page_explains_invalid_and_expired_links(manager: Tab, stack: Stack) -> None:
    console = watch(manager)
    page = manager.page
    open_page(manager, stack, "/akkoord/#e0000.2099-01-01.c2lnbmF0dXJl")
    expect(page.locator("h1")).to_have_text("Deze link is ongeldig")
    assert_accessible(manager, "invalid link")
    open_page(manager, stack, "/akkoord/")
    expect(page.locator("h1")).to_have_text("Deze link is ongeldig")

    # An expired link (the API answers 410; a real one needs a request older than its deadline).
    page.route("**/api/approvals/**", lambda route: route.fulfill(
        status=410, content_type="application/json",
        body=json.dumps({"error": {"code": "link_expired", "message": "Deze link is verlopen.", "fields": {}}})))
    page.goto("about:blank")  # a new document, not a jump within /akkoord/
    open_page(manager, stack, "/akkoord/#e1111.2020-01-01.c2lnbmF0dXJl")
    expect(page.locator("h1")).to_have_text("Deze link is verlopen")
    assert_accessible(manager, "expired link")
    assert console.unexpected((403, "/api/approvals/"), (410, "/api/approvals/")) == []


def test_my_enrolments_tells_a_visitor_to_log_in(tab: Tab, stack: Stack) -> None:
    open_page(tab, stack, "/mijn-inschrijvingen/")
    expect(tab.page.locator("#mijn-melding")).to_contain_text("U bent niet ingelogd")
    expect(tab.page.locator("#mijn-melding a")).to_have_attribute("href", re.compile(r"^/inloggen/\?terug="))
    assert_accessible(tab, "my enrolments for a visitor")
    assert tab.page.context.cookies() == []
