"""The portal shell in Chromium: accessibility (WCAG 2.1 AA via axe-core), keyboard, content."""

from __future__ import annotations

import itertools
import shutil

from chalice.cli.factory import CLIFactory

from chalicelib.platform.config import settings
from tests.browser.conftest import Stack, Tab, axe_violations
from tests.conftest import ROOT

SCREENSHOT = ROOT / "build" / "screenshots" / "home.png"
README_SCREENSHOT = ROOT / "docs" / "portal-home.png"


def _local_stage_setting(name: str, default: str) -> str:
    """What the stack (stage "local" of .chalice/config.json) uses, not this process's environment."""
    config = CLIFactory(str(ROOT), environ={}).create_config_obj(chalice_stage_name="local")
    return str(config.environment_variables.get(name, default))


def _open(tab: Tab, stack: Stack, path: str) -> None:
    response = tab.page.goto(stack.base_url + path)
    assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"


def test_R_VIS_01_home_page_is_accessible_without_console_errors(tab: Tab, stack: Stack) -> None:
    _open(tab, stack, "/")
    assert tab.page.locator("h1").inner_text() == "Welkom bij Leer-Rijk"
    assert tab.page.get_attribute("html", "lang") == "nl"
    assert tab.page.locator("form[action='/zoeken/'] input[name='q']").count() == 1
    assert axe_violations(tab.page) == []
    assert tab.errors == []


def test_R_PRV_04_privacy_statement_is_public_with_version_and_cfb_address(tab: Tab, stack: Stack) -> None:
    version = _local_stage_setting("LEERRIJK_PRIVACY_VERSION", settings.privacy_statement_version)
    cfb = _local_stage_setting("LEERRIJK_CFB_CONTACT", settings.cfb_contact)
    _open(tab, stack, "/privacy/")
    page = tab.page
    assert page.locator("h1").inner_text() == "Privacyverklaring Leer-Rijk"
    assert page.locator("#privacy-versie").inner_text().strip() == version
    contact = page.locator("#privacy-contact a")
    assert contact.inner_text() == cfb
    assert contact.get_attribute("href") == f"mailto:{cfb}"
    assert page.locator("h2", has_text="4. Uw rechten").count() == 1
    assert page.locator("a[href='#hoofdstuk-6']").count() == 1
    assert axe_violations(page) == []
    assert tab.errors == []


def test_privacy_page_headings_are_in_order(tab: Tab, stack: Stack) -> None:
    _open(tab, stack, "/privacy/")
    levels = tab.page.eval_on_selector_all("main h1, main h2, main h3, main h4", "hs => hs.map(h => +h.tagName[1])")
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels)), levels


def test_first_tab_focuses_the_skip_link_and_it_moves_focus_to_main(tab: Tab, stack: Stack) -> None:
    _open(tab, stack, "/")
    tab.page.keyboard.press("Tab")
    focused = tab.page.evaluate("() => [document.activeElement.textContent.trim(), document.activeElement.hash]")
    assert focused == ["Naar hoofdinhoud", "#inhoud"]
    assert tab.page.locator(".nl-skip-link").is_visible()
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("() => document.activeElement.tagName") == "MAIN"


def test_unknown_portal_page_shows_the_404_page(tab: Tab, stack: Stack) -> None:
    response = tab.page.goto(stack.base_url + "/bestaat-niet/")
    assert response is not None and response.status == 404
    assert tab.page.locator("h1").inner_text() == "Deze pagina bestaat niet"
    assert axe_violations(tab.page) == []


def test_R_VIS_03_a_visitor_gets_no_cookie(tab: Tab, stack: Stack) -> None:
    for path in ("/", "/privacy/", "/api/health"):
        tab.page.goto(stack.base_url + path)
    assert tab.page.context.cookies() == []


def test_mailbox_page_is_accessible(tab: Tab, stack: Stack) -> None:
    _open(tab, stack, "/_dev/mail")
    assert tab.page.locator("h1").inner_text() == "Lokale mailbox"
    assert axe_violations(tab.page) == []
    assert tab.errors == []


def test_home_page_screenshot_for_the_readme(tab: Tab, stack: Stack) -> None:
    _open(tab, stack, "/")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SCREENSHOT), full_page=True)
    README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SCREENSHOT, README_SCREENSHOT)
    assert SCREENSHOT.stat().st_size > 10_000
