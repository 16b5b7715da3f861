"""Issue 28, "Portal, second round", in Chromium: one journey per point that names a page. Each asserts what a
first-time user stumbled on, at the widths where it happened, and runs the R_UI_01-03 checks and axe-core
(assert_sound: 320, 390 and 1280 px) in the states it reaches."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from devstack.seed import ORG_BELASTINGDIENST, SUPPLIER_EXTERN_MAIL
from tests.browser.conftest import Stack, Tab, http, open_tab
from tests.browser.test_account_journeys import (
    log_in_by_link,
    open_page,
    sign_up_by_api,
    unique_address,
    wait_for_text,
)
from tests.browser.test_admin_pages import AdminSession
from tests.browser.test_catalogue_pages import catalogue_program, put_program, run_in
from tests.browser.test_enrolment_journey import dutch, enrol_button
from tests.browser.ui_checks import PHONE, assert_sound

# Sums the layout shifts the page reported (the same entries Lighthouse's CLS is made of).
LAYOUT_SHIFT = """() => new Promise((done) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => done(total), 300);
})"""


def euro(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    return f"€\xa0{whole:,}".replace(",", ".") + f",{rest:02d}"


def run_terms(run: dict[str, Any]) -> str:
    """What the course page must say, from the API's one cancellation-terms rule."""
    if not run["cancellation_penalty_cents"]:
        return "Annuleren is altijd kosteloos."
    last_free = date.fromisoformat(run["last_free_cancellation_day"])
    return f"Kosteloos annuleren tot en met {dutch(last_free)}; daarna {euro(run['cancellation_penalty_cents'])}."


def course(stack: Stack, course_id: str) -> dict[str, Any]:
    return http("GET", f"{stack.base_url}/api/courses/{course_id}").json()


def layout_shift(tab: Tab) -> float:
    return float(tab.page.evaluate(LAYOUT_SHIFT))


def join(tab: Tab, stack: Stack, first: str = "Fenna", last: str = "Kok") -> str:
    """A new employee of the Belastingdienst (no manager's approval), logged in through the API's sign-up
    link; returns the address. A new address each time: the demo accounts' link limits stay for the others."""
    email = unique_address(first, last, "belastingdienst.nl")
    cookie = sign_up_by_api(stack, email, first, last, ORG_BELASTINGDIENST)
    tab.page.context.add_cookies([{"name": "lr_session", "value": cookie.split("=", 1)[1], "url": stack.base_url}])
    return email


# --- 1. cancellation terms ------------------------------------------------------------------------


def test_R_ENR_08_R_CAT_01_terms_per_run_on_the_course_page_and_in_the_enrol_form(tab: Tab, stack: Stack) -> None:
    document = catalogue_program("LR-R2-TERMS", "Voorwaarden vooraf", [
        run_in(40, "T-PAID", price_eur="495.00", city="Amersfoort"), run_in(50, "T-FREE", price_eur="0.00")])
    course_id = put_program(stack, document)["course_id"]
    runs = {run["execution_id"]: run for run in course(stack, course_id)["executions"]}
    page = tab.page

    open_page(tab, stack, f"/opleiding/?id={course_id}")
    for execution_id, run in runs.items():
        cell = page.locator(f"tr[data-execution='{execution_id}'] td[data-label='Annuleren']")
        expect(cell).to_have_text(run_terms(run))
    assert "Kosteloos annuleren tot en met" in run_terms(runs["T-PAID"]) and "495,00" in run_terms(runs["T-PAID"])
    assert_sound(tab, "course page with terms per run")

    join(tab, stack)
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    enrol_button(tab, date.fromisoformat(runs["T-PAID"]["start"])).click()
    terms = page.locator("#inschrijf-voorwaarden")
    expect(terms).to_contain_text(run_terms(runs["T-PAID"]))
    expect(page.locator("#inschrijven")).not_to_contain_text("een aantal dagen")
    assert_sound(tab, "enrol form with the run's terms")


def test_R_ENR_08_R_ENR_09_a_late_cancellation_of_a_free_course_costs_nothing_and_my_enrolments_shows_the_place(
    tab: Tab, stack: Stack,
) -> None:
    document = catalogue_program("LR-R2-GRATIS", "Gratis en dichtbij", [run_in(5, "G-1", price_eur="0.00",
                                                                              city="Leeuwarden")])
    course_id = put_program(stack, document)["course_id"]  # starts in 5 days: the 14 free days are over
    page = tab.page
    join(tab, stack)
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    enrol_button(tab, run_in(5, "x").start).click()
    page.fill("#inschrijf-phone", "06 12345678")
    page.select_option("#inschrijf-gender", "vrouw")
    page.check("#inschrijf-consent")
    page.get_by_role("button", name="Inschrijving versturen").click()
    expect(page.locator("#inschrijven")).to_contain_text("U bent ingeschreven")

    open_page(tab, stack, "/mijn-inschrijvingen/")
    card = page.locator(".lr-enrolment", has_text="Gratis en dichtbij")
    expect(card).to_contain_text("Leeuwarden")
    expect(card.locator(".lr-cost-notice")).to_have_text(
        "Annuleren is kosteloos: aan deze opleiding zijn geen kosten verbonden.")
    card.get_by_role("button", name=re.compile("^Inschrijving annuleren")).click()
    dialog = page.locator("#annuleer-dialoog")
    expect(dialog).to_be_visible()
    expect(dialog).not_to_contain_text("€ 0,00")
    expect(dialog).not_to_contain_text("in rekening")
    expect(page.locator("#annuleer-bevestig")).to_have_text("Ja, annuleer kosteloos")
    page.locator("#annuleer-bevestig").click()
    expect(card).to_contain_text("Er zijn geen kosten.")
    assert_sound(tab, "my enrolments after cancelling a free course late")


# --- 2. search on a phone, the home page's box ------------------------------------------------------


def test_R_UI_01_phone_search_box_first_results_under_it_filters_behind_a_counting_button(
    tab: Tab, stack: Stack,
) -> None:
    page = tab.page
    page.set_viewport_size(PHONE)
    open_page(tab, stack, "/zoeken/?theme=T9&online=false")
    query = page.locator("#zoek-q")
    expect(query).to_be_visible()
    first = page.locator("#zoek-resultaten > li").first
    first.wait_for()
    box, result = query.bounding_box(), first.bounding_box()
    assert box is not None and result is not None
    assert box["y"] + box["height"] < result["y"] < PHONE["height"], f"box {box}, first result at {result['y']} px"
    expect(page.locator("#zoek-status")).to_contain_text("gevonden")
    assert layout_shift(tab) <= 0.05

    button = page.locator("#zoek-filters-knop")
    expect(button).to_have_text(re.compile(r"^Filters\s*\(2 aan\)$"))
    expect(page.locator("#zoek-theme")).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#zoek-theme")).to_be_focused()
    page.select_option("#zoek-online", "")
    expect(button).to_have_text(re.compile(r"^Filters\s*\(1 aan\)$"))
    assert_sound(tab, "search on a phone, filters open")

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(button).to_be_hidden()
    expect(page.locator("#zoek-theme")).to_be_visible()

    page.set_viewport_size(PHONE)
    open_page(tab, stack, "/")
    for selector in ("#zoekterm", "form.lr-search__form [type=submit]"):
        found = page.locator(selector).bounding_box()
        assert found is not None and found["y"] + found["height"] <= PHONE["height"], (selector, found)


def test_R_UI_01_menu_and_filters_are_laid_out_by_css_from_the_first_paint(tab: Tab, stack: Stack) -> None:
    """Nothing moves when the scripts arrive: no layout shift on a phone, and the layout does not wait for JS."""
    page = tab.page
    page.set_viewport_size(PHONE)
    for path in ("/", "/zoeken/", "/privacy/", "/toegankelijkheid/"):
        open_page(tab, stack, path)
        page.wait_for_load_state("networkidle")
        assert layout_shift(tab) <= 0.05, path
    html = http("GET", f"{stack.base_url}/zoeken/").body.decode()
    assert re.search(r'<button[^>]*lr-nav__toggle[^>]*>', html) and " hidden>Menu" not in html
    assert 'id="zoek-filters-knop"' in html and 'aria-expanded="false"' in html


# --- 3. destructive actions ------------------------------------------------------------------------


def test_revoking_feed_links_and_an_api_key_asks_first_and_names_the_consequence(
    cfb: AdminSession, stack: Stack,
) -> None:
    tab, page = cfb.tab, cfb.page
    open_page(tab, stack, f"/beheer/leveranciers/?id={SUPPLIER_EXTERN_MAIL}")  # no test puts programs with its keys
    revoke_all = page.get_by_role("button", name="Alle feed-links intrekken")
    revoke_all.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("werkt vanaf dat moment niet meer")
    expect(dialog).to_contain_text("niet terugdraaien")
    assert_sound(tab, "confirm revoking the feed links")
    dialog.get_by_role("button", name="Terug").click()
    expect(dialog).to_have_count(0)
    expect(revoke_all).to_be_focused()
    expect(page.locator("#status")).to_be_empty()
    revoke_all.click()
    page.get_by_role("button", name="Ja, trek alle feed-links in").click()
    wait_for_text(tab, "#status", lambda text: "ingetrokken" in text)

    keys = page.locator("#sleutels")
    keys.get_by_role("button", name="Nieuwe API-sleutel maken").click()
    wait_for_text(tab, "#nieuwe-sleutel")
    revoke = keys.get_by_role("button", name=re.compile(r"^Sleutel .* intrekken$")).first
    key_label = revoke.get_attribute("aria-label") or ""
    revoke.click()
    expect(page.get_by_role("dialog")).to_contain_text("wordt vanaf dat moment geweigerd")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(keys.get_by_role("button", name=key_label)).to_be_visible()  # nothing revoked
    revoke.click()
    page.get_by_role("button", name="Ja, trek de sleutel in").click()
    wait_for_text(tab, "#sleutels", lambda text: "is ingetrokken" in text)
    assert_sound(tab, "API key revoked")


# --- 4. the register page and the readable download --------------------------------------------------


def test_R_PRV_03_the_register_page_is_plain_dutch_and_its_labels_never_break_mid_word(tab: Tab, stack: Stack) -> None:
    page = tab.page
    open_page(tab, stack, "/privacy/register/")
    text = page.locator("main").inner_text()
    assert "ContactMessage" not in text and "(R_" not in text and not re.search(r"\bR_[A-Z]+_\d", text)
    expect(page.locator("tr[data-item='ContactMessage.email'] th")).to_contain_text("E-mailadres")
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 800})
        broken = page.evaluate("""() => [...document.querySelectorAll('.lr-register tbody [data-label]')]
          .filter((cell) => {
            const label = getComputedStyle(cell, '::before');
            const probe = document.createElement('span');
            probe.textContent = cell.dataset.label.split(/\\s+/).sort((a, b) => b.length - a.length)[0];
            probe.style.font = label.font;
            probe.style.whiteSpace = 'nowrap';
            probe.style.position = 'absolute';
            document.body.append(probe);
            const needed = probe.getBoundingClientRect().width;
            probe.remove();
            return parseFloat(getComputedStyle(cell).gridTemplateColumns) + 0.5 < needed;  // one column: its width
          }).map((cell) => cell.dataset.label)""")
        assert broken == [], (width, sorted(set(broken)))
    assert_sound(tab, "privacy register")


def test_R_ACC_09_the_download_is_also_a_readable_dutch_summary(browser: Any, stack: Stack, tmp_path: Path) -> None:
    from tests.browser.test_ui_pages import log_in_as_new_participant

    downloads = open_tab(browser, accept_downloads=True)
    try:
        log_in_as_new_participant(downloads, stack, "Anne", "Bos")
        page = downloads.page
        open_page(downloads, stack, "/mijn-gegevens/")
        with page.expect_download() as summary:
            page.get_by_role("button", name="Download overzicht (HTML)").click()
        saved = tmp_path / "overzicht.html"
        summary.value.save_as(saved)
        assert summary.value.suggested_filename == "leer-rijk-mijn-gegevens.html"
        html = saved.read_text(encoding="utf-8")
        assert "Uw gegevens bij Leer-Rijk" in html and "Voornaam" in html and "Anne" in html
        assert not re.search(r"\d{4}-\d{2}-\d{2}", re.sub(r"<[^>]+>", "", html))
        for technical in ("AccountSearchKey", "search_key", "first_name", "account_id"):
            assert technical not in html
        wait_for_text(downloads, "#status", lambda text: "leer-rijk-mijn-gegevens.html" in text)
        with page.expect_download() as machine:
            page.get_by_role("button", name="Download voor computers (JSON)").click()
        assert json.loads(Path(machine.value.path()).read_text())["format"] == "leer-rijk-export/1"
        assert_sound(downloads, "profile after downloading")
    finally:
        downloads.page.context.close()


# --- 5. layout ----------------------------------------------------------------------------------------


def test_R_UI_01_the_runs_table_at_320_px_shows_the_location_unclipped_without_a_scroll_box(
    tab: Tab, stack: Stack,
) -> None:
    document = catalogue_program("LR-R2-SMAL", "Smalle tabel", [run_in(30, "S-1", city="Utrecht")])
    course_id = put_program(stack, document)["course_id"]
    page = tab.page
    page.set_viewport_size({"width": 320, "height": 800})
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    note = page.locator("tr[data-execution='S-1'] td[data-label='Plaats'] .lr-field-note")
    expect(note).to_have_text("Opleidingslocatie Utrecht")
    clipped = note.evaluate("""(node) => {
      const range = document.createRange();
      range.selectNodeContents(node);
      const text = range.getBoundingClientRect();
      const container = node.closest('.lr-table-container');
      return text.right > Math.min(container.getBoundingClientRect().right, window.innerWidth) + 1
        || container.scrollWidth > container.clientWidth;
    }""")
    assert clipped is False
    assert_sound(tab, "course page at 320 px")


def test_R_UI_03_on_a_phone_saving_the_profile_brings_the_message_into_view_with_focus(tab: Tab, stack: Stack) -> None:
    from tests.browser.test_ui_pages import log_in_as_new_participant

    log_in_as_new_participant(tab, stack, "Kees", "Verbeek")
    page = tab.page
    page.set_viewport_size(PHONE)
    open_page(tab, stack, "/mijn-gegevens/")
    page.wait_for_selector("#voornaam")
    page.fill("#voornaam", "Cees")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    message = page.locator("#status .utrecht-alert")
    expect(message).to_contain_text("opgeslagen")
    expect(message).to_be_focused()
    box = message.bounding_box()
    assert box is not None and box["y"] >= -1 and box["y"] + box["height"] <= PHONE["height"], box
    assert_sound(tab, "profile saved on a phone")


# --- 6. smaller -----------------------------------------------------------------------------------------


def open_enrol_form(tab: Tab, stack: Stack, program_id: str, name: str) -> tuple[str, str]:
    """A new employee, on a new course's page with the enrol form of its one run open; (course id, address)."""
    course_id = put_program(stack, catalogue_program(program_id, name, [run_in(30, f"{program_id}-1")]))["course_id"]
    email = join(tab, stack)
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    enrol_button(tab, run_in(30, "x").start).click()
    return str(course_id), email


def test_R_UI_02_the_enrol_form_reports_consent_and_phone_in_one_round(tab: Tab, stack: Stack) -> None:
    open_enrol_form(tab, stack, "LR-R2-RONDE", "Eén ronde")
    page = tab.page
    page.fill("#inschrijf-phone", "abc")
    page.select_option("#inschrijf-gender", "vrouw")
    page.get_by_role("button", name="Inschrijving versturen").click()
    summary = wait_for_text(tab, "#inschrijf-fouten", lambda text: "toestemming" in text)
    assert "telefoonnummer" in summary, summary
    assert_sound(tab, "enrol form with consent and phone errors")


def test_R_UI_03_a_session_that_ends_mid_form_keeps_what_was_typed_in_this_tab(tab: Tab, stack: Stack) -> None:
    course_id, email = open_enrol_form(tab, stack, "LR-R2-CONCEPT", "Niets opnieuw typen")
    page = tab.page
    page.fill("#inschrijf-phone", "06 87654321")
    page.fill("#inschrijf-job_function", "Beleidsmedewerker")
    page.select_option("#inschrijf-gender", "anders")
    page.check("#inschrijf-consent")
    page.context.clear_cookies()  # the session ended while the person was typing
    page.get_by_role("button", name="Inschrijving versturen").click()
    wait_for_text(tab, "#inschrijf-fouten", lambda text: "niet meer ingelogd" in text)
    stored = page.evaluate("() => [sessionStorage.getItem('lr-inschrijving-concept'), JSON.stringify(localStorage)]")
    assert "06 87654321" in stored[0] and "06 87654321" not in stored[1]
    assert all("87654321" not in cookie["value"] for cookie in page.context.cookies())

    page.locator("#inschrijf-fouten").get_by_role("link", name="Opnieuw inloggen").click()
    page.wait_for_url("**/inloggen/**")
    log_in_by_link(tab, stack, email, start=page.url.removeprefix(stack.base_url))
    page.wait_for_url(f"**/opleiding/?id={course_id}")
    expect(page.locator("#inschrijf-phone")).to_have_value("06 87654321")
    expect(page.locator("#inschrijf-job_function")).to_have_value("Beleidsmedewerker")
    expect(page.locator("#inschrijf-gender")).to_have_value("anders")
    page.check("#inschrijf-consent")
    page.get_by_role("button", name="Inschrijving versturen").click()
    expect(page.locator("#inschrijven")).to_contain_text("U bent ingeschreven")
    assert page.evaluate("() => sessionStorage.getItem('lr-inschrijving-concept')") is None


def test_R_ACC_02_the_sign_up_domain_error_names_the_domain(tab: Tab, stack: Stack) -> None:
    page = tab.page
    open_page(tab, stack, "/aanmelden/")
    page.fill("#voornaam", "Ria")
    page.fill("#achternaam", "Smit")
    page.fill("#email", "ria.smit@gmail.com")
    page.select_option("#organisatie", ORG_BELASTINGDIENST)
    page.check("#toestemming")
    page.locator("#aanmelden [type=submit]").click()
    summary = wait_for_text(tab, "#fouten", lambda text: "@gmail.com" in text)
    assert "@belastingdienst.nl" in summary, summary
    assert_sound(tab, "sign-up refused for its domain")


def test_R_UI_02_an_admin_field_error_names_its_field_in_dutch_never_id(cfb: AdminSession, stack: Stack) -> None:
    tab, page = cfb.tab, cfb.page
    open_page(tab, stack, "/beheer/organisaties/")
    form = page.locator("form", has=page.get_by_label("Code van de organisatie")).first
    form.get_by_label("Code van de organisatie").fill("Org Met Spaties")
    form.get_by_label("Naam", exact=True).fill("Proefdienst")
    form.locator("textarea[name=domains]").fill("proefdienst.nl")
    form.locator("[type=submit]").click()
    summary = wait_for_text(tab, "#fouten", lambda text: "Code van de organisatie" in text)
    assert "Id:" not in summary and "juiste vorm" not in summary, summary


# --- 7. page speed and the course title ------------------------------------------------------------------


def test_the_course_page_is_titled_with_the_course_and_its_content_never_pushes_the_footer(
    tab: Tab, stack: Stack,
) -> None:
    document = catalogue_program("LR-R2-TITEL", "Titel van de pagina", [run_in(30, "TT-1"), run_in(60, "TT-2")])
    course_id = put_program(stack, document)["course_id"]
    page = tab.page
    page.set_viewport_size(PHONE)
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    expect(page).to_have_title("Titel van de pagina | Leer-Rijk")
    page.wait_for_load_state("networkidle")
    assert layout_shift(tab) <= 0.05
    footer = page.locator("footer").bounding_box()
    assert footer is not None and footer["y"] >= PHONE["height"]


# --- 8. the accessibility statement --------------------------------------------------------------------


def test_the_accessibility_statement_is_linked_from_every_footer(tab: Tab, stack: Stack) -> None:
    page = tab.page
    open_page(tab, stack, "/zoeken/")
    page.locator("footer").get_by_role("link", name="Toegankelijkheid").click()
    page.wait_for_url("**/toegankelijkheid/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Toegankelijkheids\u00ad?verklaring$"))
    expect(page.locator("#bekende-afwijkingen")).to_be_visible()
    assert_sound(tab, "accessibility statement")

