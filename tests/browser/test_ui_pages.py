"""Every page on a phone, every message in its place, no raw values (R_UI_01-03), in Chromium.

The sweeps walk every page the portal build produced (build/portal/**/index.html, so pages added
later are checked without touching this file) as a visitor, as a logged-in participant and as CFB,
at 320, 390 and 1280 px, and write the screenshot gallery (docs/gallery/). The other tests follow one
defect of issue 16 each.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devstack.seed import ORG_BELASTINGDIENST
from tests.browser.conftest import Stack, Tab, http
from tests.browser.test_account_journeys import (
    ORG_WITHOUT_LOCAL_ADMIN,
    open_page,
    sign_up_by_api,
    unique_address,
    wait_for_text,
)
from tests.browser.test_admin_pages import AdminSession
from tests.browser.ui_checks import (
    GALLERY,
    assert_sound,
    page_problems,
    problems_at_widths,
    snapshot,
    write_gallery_index,
)
from tests.conftest import ROOT

BUILT = ROOT / "build" / "portal"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def built_pages() -> list[str]:
    """Every page of the portal build as a path ("/", "/zoeken/", ..., "/404.html")."""
    paths = []
    for index in sorted(BUILT.rglob("index.html")):
        relative = index.parent.relative_to(BUILT)
        if relative.parts and relative.parts[0] in ("assets", "_dev"):
            continue
        paths.append("/" if not relative.parts else f"/{relative.as_posix()}/")
    paths += [f"/{page.name}" for page in sorted(BUILT.glob("*.html")) if page.name != "index.html"]
    return paths


def gallery_name(path: str, role: str) -> str:
    slug = path.strip("/").replace("/", "-").replace(".html", "") or "home"
    return f"{role}-{slug}"


def gallery_role(path: str) -> str:
    """Who the gallery shows a page as: the role that uses it."""
    if path.startswith("/beheer/"):
        return "cfb"
    if path.startswith(("/mijn-", "/ondersteuning/")):
        return "deelnemer"
    return "bezoeker"


def sweep(tab: Tab, stack: Stack, role: str, extra: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Open every built page (and `extra`), check it at every width; the problems per page. Pages this
    role is the main user of go into the gallery."""
    found: dict[str, list[str]] = {}
    pages = built_pages()
    assert len(pages) >= 15, pages  # the build is there
    for path in [*pages, *extra]:
        tab.errors.clear()
        tab.page.goto(stack.base_url + path, wait_until="networkidle")
        problems = problems_at_widths(tab)
        problems += [f"console: {error}" for error in tab.errors if "status of 40" not in error]
        if problems:
            found[path] = problems
        if gallery_role(path) == role:
            snapshot(tab, gallery_name(path.split("?")[0], role) + ("-detail" if "?" in path else ""))
    write_gallery_index()
    return found


def first_course_id(stack: Stack) -> str:
    courses = http("GET", f"{stack.base_url}/api/courses").json()
    items = courses.get("items") or courses.get("courses") or []
    assert items, courses
    return str(items[0].get("course_id") or items[0]["id"])


def log_in_as_new_participant(tab: Tab, stack: Stack, first: str = "Eva", last: str = "de Vries") -> str:
    org_id, domain, _ = ORG_WITHOUT_LOCAL_ADMIN
    email = unique_address(first, last, domain)
    cookie = sign_up_by_api(stack, email, first, last, org_id)
    tab.page.context.add_cookies([{"name": "lr_session", "value": cookie.split("=", 1)[1], "url": stack.base_url}])
    return email


@pytest.fixture
def phone_tab(tab: Tab) -> Iterator[Tab]:
    tab.page.set_viewport_size(PHONE)
    yield tab


# --- sweeps over every built page -------------------------------------------------------------------


def test_R_UI_01_R_UI_03_every_page_as_a_visitor_fits_320_390_1280_px_without_raw_values(
    tab: Tab, stack: Stack,
) -> None:
    course = first_course_id(stack)
    found = sweep(tab, stack, "bezoeker", extra=(f"/opleiding/?id={course}", "/zoeken/?q=a"))
    assert found == {}
    index = (GALLERY / "README.md").read_text()
    assert "bezoeker-home-telefoon.png" in index and "bezoeker-zoeken-bureau.png" in index


def test_R_UI_01_R_UI_03_every_page_as_a_participant_fits_every_width_without_raw_values(
    tab: Tab, stack: Stack,
) -> None:
    log_in_as_new_participant(tab, stack)
    found = sweep(tab, stack, "deelnemer")
    assert found == {}


def test_R_UI_01_R_UI_03_every_page_as_cfb_fits_every_width_and_admin_tables_reflow(
    cfb: AdminSession, stack: Stack,
) -> None:
    tab = cfb.tab
    found = sweep(tab, stack, "cfb")
    assert found == {}

    # The account list on a phone: every column's value is on screen, each with its column name.
    page = tab.page
    page.set_viewport_size(PHONE)
    open_page(tab, stack, "/beheer/")
    wait_for_text(tab, "#accounts table")
    cells = page.locator("#accounts table tbody tr").first.locator("th, td")
    assert cells.count() >= 3
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (index, box)
        label = cells.nth(index).get_attribute("data-label")
        assert label, index
        before = cells.nth(index).evaluate("(cell) => getComputedStyle(cell, '::before').content")
        assert label in before
    assert page.locator("#accounts table thead").bounding_box()["height"] <= 1  # type: ignore[index]
    page.set_viewport_size(DESKTOP)


# --- R_UI_01: the phone layout ----------------------------------------------------------------------


def test_R_UI_01_the_menu_is_a_keyboard_disclosure_on_a_phone_and_a_bar_on_a_desktop(
    phone_tab: Tab, stack: Stack,
) -> None:
    page = phone_tab.page
    open_page(phone_tab, stack, "/")
    toggle = page.locator(".lr-nav__toggle")
    links = page.locator("#lr-nav-lijst")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert links.is_hidden()
    header = page.locator(".lr-header").bounding_box()
    assert header is not None and header["height"] < PHONE["height"] * 0.25, header

    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Opleidingen zoeken").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Home"
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert links.is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('lr-nav__toggle')")
    assert page_problems(phone_tab) == []

    page.set_viewport_size(DESKTOP)
    assert toggle.is_hidden()
    assert page.get_by_role("link", name="Opleidingen zoeken").is_visible()
    assert page.locator(".lr-header").bounding_box()["height"] < 250  # type: ignore[index]


def test_R_UI_01_search_on_a_phone_shows_the_box_then_the_results_and_the_filters_behind_a_button(
    phone_tab: Tab, stack: Stack,
) -> None:
    page = phone_tab.page
    open_page(phone_tab, stack, "/zoeken/")
    first = page.locator("#zoek-resultaten > li").first
    first.wait_for()
    box = first.bounding_box()
    assert box is not None and box["y"] < PHONE["height"], f"the first result starts at {box}"
    assert page.locator("#zoek-q").is_visible()  # the search box is open at the top (issue 28)
    assert page.locator("#zoek-filterlijst").is_hidden()

    button = page.locator("#zoek-filters-knop")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator("#zoek-filterlijst").is_visible()
    assert page.evaluate("document.activeElement.id") == "zoek-theme"
    assert_sound(phone_tab, "search, filters open on a phone")

    page.set_viewport_size(DESKTOP)
    assert button.is_hidden()
    assert page.locator("#zoek-filterlijst").is_visible()


# --- R_UI_02: one message component ---------------------------------------------------------------


def test_R_UI_02_the_support_form_names_the_phone_field_and_links_each_problem_to_its_field(
    tab: Tab, stack: Stack,
) -> None:
    log_in_as_new_participant(tab, stack, "Sem", "Bakker")
    page = tab.page
    page.set_viewport_size({"width": 320, "height": 800})
    open_page(tab, stack, "/ondersteuning/")
    page.wait_for_selector("#vraag:not([hidden])")
    page.fill("#vraag-telefoon", "abc")
    page.fill("#vraag-tekst", "Waar vind ik mijn certificaat?")
    page.locator("#vraag-formulier [type=submit]").click()
    summary = wait_for_text(tab, "#fouten", lambda text: "telefoonnummer" in text)
    assert "Vul een geldig telefoonnummer in" in summary
    assert "juiste vorm" not in summary and "te kort" not in summary
    assert page.evaluate("document.activeElement.id") == "fouten"
    assert "Vul een geldig telefoonnummer in" in page.locator("#vraag-telefoon-fout").inner_text()
    heading = page.locator("#fouten h2")
    assert heading.inner_text() == "Er ging iets mis"
    assert heading.bounding_box()["height"] < 60  # type: ignore[index]  # one line, not one word per line
    assert_sound(tab, "support form with a phone error")

    page.locator("#fouten a", has_text="telefoonnummer").click()
    assert page.evaluate("document.activeElement.id") == "vraag-telefoon"


def test_R_UI_02_success_and_error_never_show_together_on_the_profile(tab: Tab, stack: Stack) -> None:
    log_in_as_new_participant(tab, stack, "Lotte", "van Dam")
    page = tab.page
    open_page(tab, stack, "/mijn-gegevens/")
    page.wait_for_selector("#voornaam")
    wait_for_text(tab, "#profiel-email")
    page.fill("#voornaam", "Lot")
    page.locator("#naam-formulier [type=submit]").click()
    wait_for_text(tab, "#status", lambda text: "opgeslagen" in text)
    assert_sound(tab, "profile saved")

    page.fill("#nieuw-email", "lotte@minbzk.nl")  # a domain of another organisation
    page.locator("#email-formulier [type=submit]").click()
    refused = wait_for_text(tab, "#fouten", lambda text: "hoort niet bij" in text)
    assert "gekozen" not in refused
    assert page.locator("#status").inner_text().strip() == "", "the old success message is gone"
    assert refused.count("Vul een e-mailadres in op een domein van") == 1, refused
    assert_sound(tab, "profile: e-mail change refused")


def test_R_UI_02_the_sign_up_summary_stacks_and_every_link_focuses_its_field_at_320_px(tab: Tab, stack: Stack) -> None:
    page = tab.page
    page.set_viewport_size({"width": 320, "height": 800})
    open_page(tab, stack, "/aanmelden/")
    page.locator("#aanmelden [type=submit]").click()
    wait_for_text(tab, "#fouten", lambda text: "Vul uw voornaam in." in text)
    assert_sound(tab, "sign-up form with errors")
    links = page.locator("#fouten a[href^='#']")
    assert links.count() >= 3
    for index in range(links.count()):
        target = (links.nth(index).get_attribute("href") or "#")[1:]
        links.nth(index).click()
        assert page.evaluate("document.activeElement.id") == target


# --- R_UI_03: no raw values -----------------------------------------------------------------------


def test_R_UI_03_a_used_login_link_and_a_deleted_account_show_no_null(tab: Tab, stack: Stack) -> None:
    page = tab.page
    open_page(tab, stack, "/inloggen/bevestigen/#token=" + "x" * 43)
    page.click("#bevestig-knop")
    summary = wait_for_text(tab, "#fouten", lambda text: "ongeldig" in text)
    assert "null" not in summary
    assert_sound(tab, "used login link")

    log_in_as_new_participant(tab, stack, "Daan", "Smit")
    open_page(tab, stack, "/mijn-gegevens/verwijderen/")
    wait_for_text(tab, "#lopend", lambda text: "geen lopende inschrijvingen" in text)
    page.check("#zeker")
    page.locator("#verwijder-formulier [type=submit]").click()
    wait_for_text(tab, "#titel", lambda text: text == "Uw account is verwijderd")
    assert "null" not in page.locator("main").inner_text()
    assert_sound(tab, "account deleted")


def test_R_UI_03_the_shared_guard_drops_null_and_reports_it(tab: Tab, stack: Stack) -> None:
    open_page(tab, stack, "/")
    page = tab.page
    page.wait_for_function("() => !document.querySelector('.lr-nav__toggle').hidden")
    shown = page.evaluate("""() => {
      const probe = document.createElement('p');
      probe.replaceChildren('a', null, undefined, 'b');
      probe.append(null);
      return probe.textContent;
    }""")
    assert shown == "ab"
    assert any("null of undefined" in error for error in tab.errors)
    assert page_problems(tab) != []  # the checks see the report


# --- R_UI_01: form controls ---------------------------------------------------------------------


def test_R_UI_01_fields_show_invalid_only_after_input_and_checkboxes_are_design_system_sized(
    cfb: AdminSession, stack: Stack,
) -> None:
    tab = cfb.tab
    page = tab.page
    open_page(tab, stack, "/beheer/organisaties/")
    domains = page.locator("textarea[name=domains]").first
    domains.wait_for()
    departments = page.locator("textarea[name=departments]").first
    style = "(node) => { const s = getComputedStyle(node); return [s.borderColor, s.borderWidth, s.backgroundColor]; }"
    assert domains.evaluate(style) == departments.evaluate(style), "an untouched required field looks like any other"
    domains.fill("x")
    domains.fill("")
    domains.blur()
    assert domains.evaluate(style) != departments.evaluate(style), "after input the empty required field shows it"

    open_page(tab, stack, "/aanmelden/")
    consent = page.locator("#toestemming")
    box = consent.bounding_box()
    assert box is not None and box["width"] >= 20 and box["height"] >= 20, box
    assert consent.evaluate("(node) => getComputedStyle(node).appearance") == "none"


def test_R_UI_02_counts_use_the_dutch_singular_and_plural(cfb: AdminSession, stack: Stack) -> None:
    tab, page = cfb.tab, cfb.page
    open_page(tab, stack, f"/beheer/?organisatie={ORG_BELASTINGDIENST}")
    wait_for_text(tab, "#accounts table", lambda text: "Belastingdienst" in text)
    assert " accounts op pagina 1" in wait_for_text(tab, "#resultaat-status")
    page.fill("#zoekterm", "bak")
    page.locator("#zoek-formulier [type=submit]").click()
    wait_for_text(tab, "#accounts table", lambda text: "de Vries" not in text)
    counted = wait_for_text(tab, "#resultaat-status", lambda text: text.startswith("1 "))
    assert counted.startswith("1 account op pagina 1"), counted
