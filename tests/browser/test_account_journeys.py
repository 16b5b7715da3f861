"""Account journeys in Chromium against the local stack: sign-up by e-mailed link, profile, rights,
question form, logout and deletion (R_ACC_01-09, R_QST_01-02), and only session cookies (R_VIS_03).

Every page is checked with axe-core (WCAG 2.1 AA) in the states the journey reaches, and no page may
log a console error other than the HTTP status a step deliberately provokes (the browser logs every
4xx answer of fetch as a console error).
"""

from __future__ import annotations

import json
import re
import shutil
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.browser.conftest import Stack, Tab, http
from tests.browser.ui_checks import assert_sound
from tests.conftest import ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"
PROFILE_SCREENSHOT = SCREENSHOTS / "profile.png"
README_PROFILE = ROOT / "docs" / "portal-profile.png"
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]
# Rijkswaterstaat has no local admin in the demo data (the admin tests give Dienst Uitvoering Onderwijs one).
ORG_WITHOUT_LOCAL_ADMIN = ("org-rws", "rws.nl", "Rijkswaterstaat")


# --- helpers shared with test_admin_pages ------------------------------------------------------------


def unique_address(first: str, last: str, domain: str) -> str:
    return f"{first}.{last}.{uuid.uuid4().hex[:8]}@{domain}".lower().replace(" ", "")


def state_change_headers(stack: Stack) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": stack.base_url}


def latest_link(stack: Stack, email: str) -> str:
    """The newest e-mailed one-time link for `email`, from the local mailbox."""
    messages = [m for m in http("GET", f"{stack.base_url}/_dev/mail.json").json() if email in m["destinations"]]
    assert messages, f"no mail for {email}"
    found = re.search(re.escape(stack.base_url) + r"/inloggen/bevestigen/#token=[A-Za-z0-9_-]+", messages[0]["body"])
    assert found, messages[0]["body"]
    return found.group(0)


def statement_version(stack: Stack) -> str:
    page = http("GET", f"{stack.base_url}/aanmelden/").body.decode()
    found = re.search(r'data-statement-version="([^"]+)"', page)
    assert found, "the sign-up page names the statement version"
    return found.group(1)


def sign_up_by_api(stack: Stack, email: str, first: str, last: str, org_id: str) -> str:
    """Create an account through the API and its e-mailed link; returns the session cookie ("lr_session=...")."""
    body = {"first_name": first, "last_name": last, "email": email, "org_id": org_id, "consent": True,
            "statement_version": statement_version(stack)}
    answer = http("POST", f"{stack.base_url}/api/auth/signup", state_change_headers(stack), json.dumps(body).encode())
    assert answer.status == 202, answer.body
    return session_from_link(stack, email)


def session_from_link(stack: Stack, email: str) -> str:
    """POST the newest link mailed to `email`; returns the session cookie ("lr_session=...")."""
    token = latest_link(stack, email).rsplit("=", 1)[1]
    verified = http("POST", f"{stack.base_url}/api/auth/verify", state_change_headers(stack),
                    json.dumps({"token": token}).encode())
    assert verified.status == 200, verified.body
    return verified.set_cookies[0].split(";", 1)[0]


def api_as(stack: Stack, cookie: str, method: str, path: str, body: Any = None) -> Any:
    headers = {"Cookie": cookie, **(state_change_headers(stack) if method != "GET" else {})}
    return http(method, f"{stack.base_url}/api{path}", headers, json.dumps(body).encode() if body is not None else None)


def record_set_cookies(context: Any) -> list[str]:
    """Every Set-Cookie header the browser receives in this context (pages, fetches, redirects)."""
    seen: list[str] = []

    def on_response(response: Any) -> None:
        for header in response.headers_array():
            if header["name"].lower() == "set-cookie":
                seen.extend(line for line in header["value"].split("\n") if line.strip())

    context.on("response", on_response)
    return seen


def cookie_lifetimes(set_cookies: list[str]) -> list[str]:
    """R_VIS_03: the Set-Cookie headers that give a cookie a lifetime (clearing with Max-Age=0 is fine)."""
    offending = []
    for line in set_cookies:
        for attribute in line.split(";")[1:]:
            name, _, value = attribute.strip().partition("=")
            if name.lower() == "expires" or (name.lower() == "max-age" and value.strip() not in ("0", "-1")
                                             and int(value) > 0):
                offending.append(line.split("=", 1)[0] + "; " + attribute.strip())
    return offending


def unexpected_errors(tab: Tab, *statuses: int) -> list[str]:
    """Console errors, except the browser's own log line for a status this step provoked on purpose."""
    allowed = [f"the server responded with a status of {status}" for status in statuses]
    return [error for error in tab.errors if not any(text in error for text in allowed)]


def open_page(tab: Tab, stack: Stack, path: str) -> None:
    response = tab.page.goto(stack.base_url + path)
    assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"


def assert_accessible(tab: Tab, state: str) -> None:
    """axe (WCAG 2.1 AA) plus what axe misses (R_UI_01-03): layout at 320/390/1280 px, messages, raw values."""
    assert_sound(tab, state)


def log_in_by_link(tab: Tab, stack: Stack, email: str, start: str = "/inloggen/") -> None:
    """The login form, then the link from the mailbox, then the confirm button (R_ACC_03)."""
    open_page(tab, stack, start)
    page = tab.page
    page.fill("#email", email)
    page.locator("#inloggen [type=submit]").click()
    page.wait_for_url("**/inloggen/controleer-uw-mail/")
    page.goto(latest_link(stack, email))
    page.click("#bevestig-knop")
    page.wait_for_url(lambda url: "/inloggen/bevestigen/" not in url)


def today_in_dutch() -> str:
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    return f"{today.day} {MONTHS[today.month - 1]} {today.year}"


def wait_for_text(tab: Tab, selector: str, predicate: Callable[[str], bool] = bool, seconds: float = 10) -> str:
    """Wait until the (visible) element's text satisfies `predicate`; returns that text."""
    locator = tab.page.locator(selector).first
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        if locator.count() and locator.is_visible():
            text = locator.inner_text().strip()
            if text and predicate(text):
                return text
        tab.page.wait_for_timeout(100)
    raise AssertionError(f"{selector}: {text!r}")


# --- journeys ---------------------------------------------------------------------------------------


def test_R_ACC_01_R_ACC_05_R_VIS_03_sign_up_by_mail_link_profile_download_and_logout(tab: Tab, stack: Stack) -> None:
    """Sign up on a participating organisation's domain, open the link from the local mailbox, verify,
    see the profile with its dates, change the name, download the data, log out: only session cookies."""
    org_id, domain, org_name = ORG_WITHOUT_LOCAL_ADMIN
    email = unique_address("noor", "vandijk", domain)
    page = tab.page
    set_cookies = record_set_cookies(page.context)

    open_page(tab, stack, "/aanmelden/")
    page.wait_for_selector(f"#organisatie option[value='{org_id}']", state="attached")
    assert page.locator("a[href='/privacy/']", has_text="privacyverklaring").count() >= 1
    assert_accessible(tab, "sign-up form")

    page.locator("#aanmelden [type=submit]").click()  # nothing filled in: the error summary takes focus
    wait_for_text(tab, "#fouten", lambda text: "Vul uw voornaam in." in text and "Geef toestemming" in text)
    assert page.evaluate("document.activeElement.id") == "fouten"
    assert page.get_attribute("#voornaam", "aria-invalid") == "true"
    assert page.locator("#toestemming").get_attribute("aria-describedby") == "toestemming-fout"
    assert_accessible(tab, "sign-up form with errors")

    page.fill("#voornaam", "Noor")
    page.fill("#achternaam", "van Dijk")
    page.fill("#email", email)
    page.select_option("#organisatie", org_id)
    page.check("#toestemming")
    page.locator("#aanmelden [type=submit]").click()
    page.wait_for_url("**/inloggen/controleer-uw-mail/")
    assert email in page.locator("#verstuurd").inner_text()
    assert_accessible(tab, "check your mailbox")
    assert page.context.cookies() == [], "no cookie before the link is used (R_VIS_03)"

    link = latest_link(stack, email)
    page.goto(link)
    assert page.locator("#bevestig-knop").is_visible()
    assert_accessible(tab, "link landing page")
    page.reload()  # opening the page (twice) consumes nothing: only the button's POST does
    page.click("#bevestig-knop")
    page.wait_for_url("**/mijn-gegevens/?welkom=1")
    wait_for_text(tab, "#profiel-email", lambda text: text == email)
    assert "Welkom bij Leer-Rijk, Noor" in page.locator("#status").inner_text()
    facts = page.locator("#profiel-gegevens").inner_text()
    assert "Noor van Dijk" in facts and org_name in facts and "Wijzigen gaat via uw lokaal beheerder." in facts
    assert page.locator("#profiel-aangemaakt").inner_text() == today_in_dutch()
    assert page.locator("#profiel-gebruikt").inner_text() == today_in_dutch()
    nav = page.locator("#lr-nav-lijst")
    assert nav.get_by_role("link", name="Mijn gegevens").is_visible()
    assert nav.get_by_role("button", name="Uitloggen").is_visible()
    assert not nav.get_by_role("link", name="Inloggen").is_visible()
    assert_accessible(tab, "profile")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PROFILE_SCREENSHOT), full_page=True)
    README_PROFILE.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROFILE_SCREENSHOT, README_PROFILE)

    page.fill("#voornaam", "Noortje")  # R_ACC_07: the holder changes the name
    page.locator("#naam-formulier [type=submit]").click()
    wait_for_text(tab, "#status", lambda text: "opgeslagen" in text)
    assert page.locator("#profiel-naam").inner_text() == "Noortje van Dijk"

    with page.expect_download() as download_info:  # R_ACC_09
        page.click("#download-knop")
    download = download_info.value
    assert download.suggested_filename == "leer-rijk-mijn-gegevens.json"
    exported = Path(download.path()).read_text(encoding="utf-8")
    assert email in exported and "Noortje" in exported
    assert_accessible(tab, "profile after saving and downloading")

    nav.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/?uitgelogd=1")
    wait_for_text(tab, "#status", lambda text: "U bent uitgelogd" in text)
    assert nav.get_by_role("link", name="Inloggen").is_visible()
    assert_accessible(tab, "logged out")
    assert page.context.cookies() == [], "logout clears the session cookie"
    assert page.context.request.get(f"{stack.base_url}/api/me").status == 401

    assert any(line.startswith("lr_session=") for line in set_cookies), set_cookies
    assert cookie_lifetimes(set_cookies) == [], "only session cookies (R_VIS_03)"
    assert tab.errors == []


def test_R_QST_01_R_QST_02_question_form_prefilled_and_without_local_admin_says_cfb_before_sending(
    tab: Tab, stack: Stack,
) -> None:
    """The form shows the account's business e-mail and organisation, not editable, says it stores
    nothing, and, when the organisation has no local admin, says before sending that the question goes
    to CFB; it then goes there (issue 9 item 5)."""
    org_id, domain, org_name = ORG_WITHOUT_LOCAL_ADMIN
    email = unique_address("sem", "bos", domain)
    cookie = sign_up_by_api(stack, email, "Sem", "Bos", org_id)
    tab.page.context.add_cookies([{"name": "lr_session", "value": cookie.split("=", 1)[1], "url": stack.base_url}])
    page = tab.page

    open_page(tab, stack, "/ondersteuning/")
    page.wait_for_selector("#vraag:not([hidden])")
    assert page.input_value("#vraag-email") == email
    assert page.input_value("#vraag-organisatie") == org_name
    assert page.locator("#vraag-email").get_attribute("readonly") is not None
    assert page.locator("#vraag-organisatie").get_attribute("readonly") is not None
    assert "Leer-Rijk bewaart uw vraag niet" in page.locator("#niet-bewaard").inner_text()
    page.wait_for_selector("#ontvanger-cfb:not([hidden])")
    assert "Uw vraag gaat naar Centraal Functioneel Beheer" in page.locator("#ontvanger-cfb").inner_text()
    assert "Centraal Functioneel Beheer" in page.locator("#niet-bewaard").inner_text()
    assert_accessible(tab, "question form")

    page.locator("#vraag-formulier [type=submit]").click()
    wait_for_text(tab, "#fouten", lambda text: "Vul uw vraag in." in text)
    page.fill("#vraag-tekst", "Mijn afdeling klopt niet meer.")
    page.locator("#vraag-formulier [type=submit]").click()
    done = wait_for_text(tab, "#status", lambda text: "verstuurd" in text)
    assert "Centraal Functioneel Beheer" in done
    assert page.input_value("#vraag-tekst") == ""
    mail = [m for m in http("GET", f"{stack.base_url}/_dev/mail.json").json() if email in m["body"]
            and "Mijn afdeling klopt niet meer." in m["body"]]
    assert mail, "the question reached CFB's address"
    assert_accessible(tab, "question form: sent to CFB")
    assert tab.errors == []


def test_R_ACC_02_R_ACC_03_email_change_is_confirmed_by_a_link_to_the_new_address(tab: Tab, stack: Stack) -> None:
    org_id, domain, _ = ORG_WITHOUT_LOCAL_ADMIN
    email = unique_address("lieke", "bos", domain)
    new_email = unique_address("lieke", "bos-jansen", domain)
    cookie = sign_up_by_api(stack, email, "Lieke", "Bos", org_id)
    tab.page.context.add_cookies([{"name": "lr_session", "value": cookie.split("=", 1)[1], "url": stack.base_url}])
    page = tab.page
    open_page(tab, stack, "/mijn-gegevens/")
    wait_for_text(tab, "#profiel-email", lambda text: text == email)

    page.fill("#nieuw-email", "lieke@minbzk.nl")  # another organisation's domain (R_ACC_02)
    page.locator("#email-formulier [type=submit]").click()
    refused = wait_for_text(tab, "#fouten", lambda text: "hoort niet bij Rijkswaterstaat" in text)
    assert "gekozen" not in refused  # the person chose no organisation here (R_UI_02)
    assert page.locator("#nieuw-email-fout").is_visible()
    assert_accessible(tab, "e-mail change refused")

    page.fill("#nieuw-email", new_email)
    page.locator("#email-formulier [type=submit]").click()
    wait_for_text(tab, "#status", lambda text: new_email in text and "link" in text)
    assert new_email in page.locator("#email-wacht").inner_text()
    assert page.locator("#profiel-email").inner_text() == email, "unchanged until the link is used"
    assert_accessible(tab, "e-mail change requested")

    page.goto(latest_link(stack, new_email))
    page.click("#bevestig-knop")
    wait_for_text(tab, "#status", lambda text: "gewijzigd" in text)
    assert page.locator("h1").inner_text() == "E-mailadres gewijzigd"
    assert_accessible(tab, "e-mail change confirmed")
    page.locator("#status a", has_text="Naar mijn gegevens").click()
    wait_for_text(tab, "#profiel-email", lambda text: text == new_email)
    assert page.locator("#email-wacht").is_hidden()
    assert unexpected_errors(tab, 422) == []


def test_R_ACC_08_delete_account_confirmation_lists_running_enrolments_then_deletes(tab: Tab, stack: Stack) -> None:
    org_id, domain, _ = ORG_WITHOUT_LOCAL_ADMIN
    email = unique_address("ilse", "kok", domain)
    log_in = sign_up_by_api(stack, email, "Ilse", "Kok", org_id)
    tab.page.context.add_cookies([{"name": "lr_session", "value": log_in.split("=", 1)[1], "url": stack.base_url}])
    page = tab.page

    open_page(tab, stack, "/mijn-gegevens/verwijderen/")
    wait_for_text(tab, "#lopend", lambda text: "geen lopende inschrijvingen" in text)
    assert "niet geannuleerd" in page.locator("#lopend-uitleg").inner_text()
    assert_accessible(tab, "deletion preview")

    page.locator("#verwijder-formulier [type=submit]").click()
    wait_for_text(tab, "#fouten", lambda text: "Bevestig eerst" in text)
    assert page.evaluate("document.activeElement.id") == "fouten"
    assert_accessible(tab, "deletion preview with error")

    page.check("#zeker")
    page.locator("#verwijder-formulier [type=submit]").click()
    wait_for_text(tab, "#titel", lambda text: text == "Uw account is verwijderd")
    assert "verwijderd" in page.locator("#status").inner_text()
    assert page.locator("#lr-nav-lijst").get_by_role("link", name="Inloggen").is_visible()
    assert_accessible(tab, "account deleted")
    assert page.context.cookies() == []
    assert api_as(stack, log_in, "GET", "/me").status == 401
    assert tab.errors == []


def test_R_ACC_03_used_link_and_missing_token_get_a_clear_message(tab: Tab, stack: Stack) -> None:
    org_id, domain, _ = ORG_WITHOUT_LOCAL_ADMIN
    email = unique_address("bas", "mol", domain)
    sign_up_by_api(stack, email, "Bas", "Mol", org_id)  # the sign-up link is used now
    used_link = latest_link(stack, email)
    page = tab.page

    page.goto(used_link)
    page.click("#bevestig-knop")
    summary = wait_for_text(tab, "#fouten", lambda text: "ongeldig, al gebruikt of verlopen" in text)
    assert "Vraag een nieuwe inloglink aan" in summary
    assert "#token=" not in page.url, "the dead token leaves the address bar"
    assert page.locator("#bevestigen").is_hidden()
    assert_accessible(tab, "used link")

    open_page(tab, stack, "/inloggen/bevestigen/")
    wait_for_text(tab, "#fouten", lambda text: "ongeldig" in text)
    assert_accessible(tab, "landing page without token")
    assert unexpected_errors(tab, 400) == []


def test_R_ACC_03_too_many_link_requests_get_a_clear_dutch_message(tab: Tab, stack: Stack) -> None:
    """The sixth link request for one address within the window is refused with 429, shown in Dutch."""
    email = unique_address("veel", "links", "duo.nl")
    for _ in range(5):
        answer = http("POST", f"{stack.base_url}/api/auth/login", state_change_headers(stack),
                      json.dumps({"email": email}).encode())
        assert answer.status == 202, answer.body
    page = tab.page
    open_page(tab, stack, "/inloggen/")
    page.fill("#email", email)
    page.locator("#inloggen [type=submit]").click()
    summary = wait_for_text(tab, "#fouten", lambda text: "te veel links" in text)
    assert "Wacht even" in summary
    assert page.url.endswith("/inloggen/"), "no 'check your mailbox' page after a refusal"
    assert_accessible(tab, "login refused by the rate limit")

    page.fill("#email", "iemand@voorbeeld.nl")  # not a participating organisation's domain
    page.locator("#inloggen [type=submit]").click()
    wait_for_text(tab, "#fouten", lambda text: "hoort niet bij een organisatie" in text)
    assert page.locator("#email-fout").is_visible()
    assert_accessible(tab, "login refused for an unknown domain")
    assert unexpected_errors(tab, 429, 422) == []


def test_R_VIS_03_visitor_browsing_gets_no_cookie_and_costs_no_api_me_request(tab: Tab, stack: Stack) -> None:
    page = tab.page
    set_cookies = record_set_cookies(page.context)
    asked_me: list[str] = []
    page.on("request", lambda request: asked_me.append(request.url) if request.url.endswith("/api/me") else None)
    for path in ("/", "/zoeken/", "/privacy/", "/aanmelden/", "/inloggen/", "/inloggen/controleer-uw-mail/"):
        open_page(tab, stack, path)
        page.wait_for_load_state("networkidle")
        assert page.locator("#lr-nav-lijst").get_by_role("link", name="Inloggen").is_visible(), path
        assert page.locator("#lr-nav-lijst").get_by_role("link", name="Aanmelden").is_visible(), path
    assert set_cookies == []
    assert page.context.cookies() == []
    assert asked_me == []


def test_pages_that_need_an_account_tell_a_visitor_to_log_in(tab: Tab, stack: Stack) -> None:
    for path, what in (("/mijn-gegevens/", "uw gegevens te bekijken"), ("/ondersteuning/", "een vraag te stellen"),
                       ("/mijn-gegevens/verwijderen/", "uw account te verwijderen")):
        open_page(tab, stack, path)
        message = wait_for_text(tab, ".lr-panel > .lr-alert", lambda text, what=what: what in text)
        assert "U bent niet ingelogd" in message
        login = tab.page.locator(".lr-panel > .lr-alert a", has_text="Inloggen")
        assert login.get_attribute("href") == f"/inloggen/?terug={path.replace('/', '%2F')}"
        assert_accessible(tab, f"{path} for a visitor")
    assert unexpected_errors(tab, 401) == []
    assert tab.page.context.cookies() == []
