"""Admin pages in Chromium against the local stack: the CFB demo account logs in through the mailbox link
and sets up its second factor (R_ACC_10), then manages accounts, roles, organisations, suppliers and
exports (R_ACC_05-11); a local admin sees only their own organisation (R_ACC_06). Only session cookies
are ever set (R_VIS_03), every page is axe-clean in the states reached, and no page logs a console
error other than the HTTP status a step provokes on purpose.

The CFB session is made once per module: each TOTP code works once, so logging in again within the
same 30 seconds would need the next code. At the end the CFB account's second factor is reset, which
leaves the demo account as the seed made it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from chalicelib.accounts.totp_rules import code_at
from devstack.seed import (
    ACCOUNT_CFB,
    ACCOUNT_LOCAL_ADMIN,
    ACCOUNT_ORDER_BD,
    DEPT_BD_PRIVATE,
    ORG_BELASTINGDIENST,
    ORG_DUO,
    ORG_RWS,
)
from tests.browser.conftest import Stack, Tab, axe_violations, http, open_tab
from tests.browser.test_account_journeys import (
    SCREENSHOTS,
    api_as,
    cookie_lifetimes,
    latest_link,
    log_in_by_link,
    open_page,
    record_set_cookies,
    session_from_link,
    sign_up_by_api,
    state_change_headers,
    unexpected_errors,
    unique_address,
    wait_for_text,
)

CFB_EMAIL = "carmen.visser@minbzk.nl"
LOTTE_EMAIL = "lotte.bakker@belastingdienst.nl"
ADMIN_SCREENSHOT = SCREENSHOTS / "admin-accounts.png"
DUO_NAME = "Dienst Uitvoering Onderwijs"


@dataclass
class AdminSession:
    tab: Tab
    set_cookies: list[str]
    journey: dict[str, Any] = field(default_factory=dict)
    secret: str = ""  # the second factor set up by the journey

    @property
    def page(self) -> Any:
        return self.tab.page

    def alive(self, stack: Stack) -> bool:
        """Still logged in at level 2: a test that moved the app's clock by days lets the session expire."""
        jar = [c for c in self.page.context.cookies() if c["name"] == "lr_session"]
        return bool(jar) and api_as(stack, f"lr_session={jar[0]['value']}", "GET",
                                    f"/admin/accounts?org_id={ORG_DUO}").status == 200

    def log_in_again(self, stack: Stack, at: datetime | None = None) -> None:
        """The link from the mailbox, then a code of the journey's second factor at the app's time `at`."""
        log_in_by_link(self.tab, stack, CFB_EMAIL)
        self.page.wait_for_url("**/inloggen/tweede-factor/**")
        enter_code(self.tab, code_at(self.secret, at or now()))
        self.page.wait_for_url(lambda url: "/tweede-factor/" not in url)

    def cookie(self) -> str:
        jar = [c for c in self.page.context.cookies() if c["name"] == "lr_session"]
        assert jar, "the admin is logged in"
        return f"lr_session={jar[0]['value']}"


def new_tab(browser: Any) -> Tab:
    return open_tab(browser)


def log_in_by_api(stack: Stack, email: str) -> str:
    """A login through the API and the e-mailed link; returns the session cookie ("lr_session=...")."""
    asked = http("POST", f"{stack.base_url}/api/auth/login", state_change_headers(stack),
                 json.dumps({"email": email}).encode())
    assert asked.status == 202, asked.body
    return session_from_link(stack, email)


def totp_secret(tab: Tab) -> str:
    return wait_for_text(tab, "#totp-sleutel").replace(" ", "")


def enter_code(tab: Tab, code: str) -> None:
    tab.page.fill("#totp-code", code)
    tab.page.locator("#totp-formulier [type=submit]").click()


def now() -> datetime:
    return datetime.now(UTC)


def cfb_session(browser: Any, stack: Stack) -> Iterator[AdminSession]:
    """CFB logged in with the second factor, after the journey the login test checks step by step.

    The `cfb` fixture (tests/browser/conftest.py) runs this once per test run: one more login per module
    would pass the five links per quarter hour that R_ACC_03 allows an address."""
    tab = new_tab(browser)
    session = AdminSession(tab, record_set_cookies(tab.page.context))
    journey = session.journey
    page = tab.page

    log_in_by_link(tab, stack, CFB_EMAIL)
    journey["after_link"] = page.url
    totp_secret(tab)
    journey["axe_setup"] = axe_violations(page)
    journey["cookie_after_link"] = [c["name"] for c in page.context.cookies()]

    # A level-1 session: the admin page says what to do, and the API refuses with 403.
    open_page(tab, stack, "/beheer/")
    journey["level1_message"] = wait_for_text(tab, "#beheer .lr-alert")
    journey["axe_level1"] = axe_violations(page)
    journey["level1_api"] = api_as(stack, session.cookie(), "GET", f"/admin/accounts?org_id={ORG_DUO}")
    page.locator("#beheer .lr-alert a", has_text="Tweede factor instellen").click()
    page.wait_for_url("**/inloggen/tweede-factor/instellen/?terug=%2Fbeheer%2F")
    secret = session.secret = totp_secret(tab)
    journey["qr_code"] = page.locator("#totp-qr svg[role=img]").get_attribute("aria-label")

    enter_code(tab, code_at(secret, now() - timedelta(hours=1)))
    journey["wrong_code"] = wait_for_text(tab, "#fouten", lambda text: "klopt niet" in text)
    journey["wrong_code_field"] = page.locator("#totp-code-fout").inner_text()
    journey["axe_wrong_code"] = axe_violations(page)

    enter_code(tab, code_at(secret, now()))
    page.wait_for_url("**/beheer/")
    journey["list"] = wait_for_text(tab, "#accounts table")
    journey["axe_list"] = axe_violations(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ADMIN_SCREENSHOT), full_page=True)
    journey["errors"] = list(tab.errors)
    tab.errors.clear()
    try:
        yield session
    finally:
        # Leave the demo account as seeded: no second factor (this also ends its sessions).
        if not session.alive(stack):
            session.log_in_again(stack)
        api_as(stack, session.cookie(), "POST", f"/admin/accounts/{ACCOUNT_CFB}/totp-reset")
        page.context.close()


def test_R_ACC_10_cfb_logs_in_by_mail_link_sets_up_totp_and_reaches_the_account_list(cfb: AdminSession) -> None:
    journey = cfb.journey
    assert journey["after_link"].endswith("/inloggen/tweede-factor/instellen/"), "admin roles enrol a second factor"
    assert journey["cookie_after_link"] == ["lr_session"]
    assert journey["axe_setup"] == []
    assert "Eerst tweede factor" in journey["level1_message"]
    assert journey["axe_level1"] == []
    level1 = journey["level1_api"]
    assert level1.status == 403 and level1.json()["error"]["code"] == "second_factor_required"
    assert journey["qr_code"] and "QR-code" in journey["qr_code"]
    assert "De code klopt niet of is al gebruikt" in journey["wrong_code"]
    assert "klopt niet" in journey["wrong_code_field"], "the refusal sits next to the code field"
    assert journey["axe_wrong_code"] == []
    assert "Visser, Carmen" in journey["list"] and "carmen.visser@minbzk.nl" in journey["list"]
    assert "Aangemaakt" in journey["list"] and "Laatst gebruikt" in journey["list"]
    assert journey["axe_list"] == []
    assert ADMIN_SCREENSHOT.stat().st_size > 10_000
    assert [e for e in journey["errors"] if "status of 400" not in e and "status of 403" not in e] == []


def test_R_ACC_06_R_UI_03_cfb_chooses_any_organisation_and_searches_by_any_name_part_or_address(
    cfb: AdminSession, stack: Stack,
) -> None:
    tab, page = cfb.tab, cfb.page
    open_page(tab, stack, f"/beheer/?organisatie={ORG_BELASTINGDIENST}")
    listed = wait_for_text(tab, "#accounts table", lambda text: "Belastingdienst" in text)
    assert "de Vries, Eva" in listed and "Bakker, Lotte" in listed
    assert page.locator("#organisatie option").count() >= 4, "CFB chooses among all organisations"
    assert page.locator("#beheer-menu").get_by_role("link", name="Organisaties").is_visible()

    # R_UI_03: a role names its department, never its id
    open_page(tab, stack, "/beheer/?organisatie=org-bzk")
    listed = wait_for_text(tab, "#accounts table", lambda text: "Hendriks" in text)
    assert "Directie Digitale Overheid" in listed and "dep-bzk-ddo" not in listed
    open_page(tab, stack, f"/beheer/?organisatie={ORG_BELASTINGDIENST}")
    wait_for_text(tab, "#accounts table", lambda text: "Belastingdienst" in text)

    page.fill("#zoekterm", "bak")
    page.locator("#zoek-formulier [type=submit]").click()
    listed = wait_for_text(tab, "#accounts table", lambda text: "de Vries" not in text)
    assert "Bakker, Lotte" in listed
    assert "1 account op pagina 1" in wait_for_text(tab, "#resultaat-status")  # R_UI_02: Dutch plurals

    for part in ("Vries", "de vries", "eva", "eva.dev"):  # R_UI_03: any name part or the start of the address
        page.fill("#zoekterm", part)
        page.locator("#zoek-formulier [type=submit]").click()
        listed = wait_for_text(tab, "#accounts table", lambda text: "Bakker" not in text)
        assert "de Vries, Eva" in listed, part
        assert "1 account op pagina 1" in wait_for_text(tab, "#resultaat-status"), part
        assert f"zoek={part.replace(' ', '+')}" in page.url or f"zoek={part.replace(' ', '%20')}" in page.url

    page.fill("#zoekterm", "eva.devries@belastingdienst.nl")
    page.locator("#zoek-formulier [type=submit]").click()
    listed = wait_for_text(tab, "#accounts table", lambda text: "Bakker" not in text)
    assert "de Vries, Eva" in listed
    assert axe_violations(page) == []
    assert tab.errors == []


def test_R_ACC_07_R_ACC_11_R_QST_02_cfb_changes_roles_and_access_which_apply_on_the_next_request(
    cfb: AdminSession, stack: Stack, browser: Any,
) -> None:
    tab, page = cfb.tab, cfb.page
    admin_email = unique_address("femke", "smit", "duo.nl")
    employee_email = unique_address("daan", "visser", "duo.nl")
    admin_cookie = sign_up_by_api(stack, admin_email, "Femke", "Smit", ORG_DUO)
    employee_cookie = sign_up_by_api(stack, employee_email, "Daan", "Visser", ORG_DUO)
    admin_id = api_as(stack, admin_cookie, "GET", "/me").json()["account_id"]
    employee_id = api_as(stack, employee_cookie, "GET", "/me").json()["account_id"]

    open_page(tab, stack, f"/beheer/account/?id={admin_id}")
    facts = wait_for_text(tab, "#account-gegevens", lambda text: admin_email in text)
    assert DUO_NAME in facts and "Aangemaakt op" in facts and "Laatst gebruikt op" in facts
    assert axe_violations(page) == []

    page.fill("#achternaam", "Smit-de Boer")  # R_ACC_07
    page.locator("#wijzig-formulier [type=submit]").click()
    wait_for_text(tab, "#status", lambda text: "opgeslagen" in text)
    assert "Femke Smit-de Boer" in page.locator("#account-gegevens").inner_text()
    # R_ACC_07 (issue 9 item 1): a new address waits for its owner's confirmation; the old one is told
    waiting = unique_address("daan", "visser-nieuw", "duo.nl")
    open_page(tab, stack, f"/beheer/account/?id={employee_id}")
    wait_for_text(tab, "#account-gegevens", lambda text: employee_email in text)
    page.fill("#email", waiting)
    page.locator("#wijzig-formulier [type=submit]").click()
    told = wait_for_text(tab, "#status", lambda text: "geldt pas" in text)
    assert waiting in told and axe_violations(page) == []
    assert api_as(stack, employee_cookie, "GET", "/me").json()["email"] == employee_email
    inbox = http("GET", f"{stack.base_url}/_dev/mail.json").json()
    assert any(employee_email in m["destinations"] and waiting in m["body"] for m in inbox)
    assert any(waiting in m["destinations"] for m in inbox)
    # R_ACC_02, R_ACC_07: a move to an organisation the address does not belong to waits with the new address
    moving = unique_address("daan", "visser", "rws.nl")
    page.select_option("#organisatie", ORG_RWS)
    page.fill("#email", moving)
    page.locator("#wijzig-formulier [type=submit]").click()
    told = wait_for_text(tab, "#status", lambda text: "verplaatsing" in text)
    assert "Rijkswaterstaat" in told and moving in told and "gelden pas" in told
    assert api_as(stack, employee_cookie, "GET", "/me").json()["org_id"] == ORG_DUO  # nothing moved yet
    assert axe_violations(page) == []
    open_page(tab, stack, f"/beheer/account/?id={admin_id}")
    wait_for_text(tab, "#account-gegevens", lambda text: admin_email in text)

    page.select_option("#rol", "local_admin")  # of the account's own organisation (R_ACC_07)
    page.locator("#rol-formulier [type=submit]").click()
    wait_for_text(tab, "#status", lambda text: "toegekend" in text)
    assert f"Lokaal beheerder ({DUO_NAME})" in page.locator("#rollen").inner_text()
    assert axe_violations(page) == []
    # R_ACC_11: a role change ends the account's sessions at once; the next login carries the new role
    assert api_as(stack, admin_cookie, "GET", "/me").status == 401
    admin_cookie = log_in_by_api(stack, admin_email)
    me = api_as(stack, admin_cookie, "GET", "/me").json()
    assert me["roles"] == [{"role": "local_admin", "org_id": ORG_DUO, "department_id": None}]
    assert me["second_factor"] == "setup"

    # R_QST_02: the employee's question reaches the new local admin, by e-mail.
    employee = new_tab(browser)
    try:
        employee.page.context.add_cookies([{"name": "lr_session", "value": employee_cookie.split("=", 1)[1],
                                            "url": stack.base_url}])
        open_page(employee, stack, "/ondersteuning/")
        employee.page.wait_for_selector("#vraag:not([hidden])")
        employee.page.fill("#vraag-telefoon", "070 123 45 67")
        employee.page.fill("#vraag-tekst", "Kan mijn afdeling worden aangepast?")
        employee.page.locator("#vraag-formulier [type=submit]").click()
        wait_for_text(employee, "#status", lambda text: "verstuurd" in text)
        assert employee.page.input_value("#vraag-tekst") == ""
        assert axe_violations(employee.page) == []
        assert employee.errors == []
    finally:
        employee.page.context.close()
    mail = [m for m in http("GET", f"{stack.base_url}/_dev/mail.json").json() if admin_email in m["destinations"]]
    assert mail and "Kan mijn afdeling worden aangepast?" in mail[0]["body"] and employee_email in mail[0]["body"]

    open_page(tab, stack, f"/beheer/account/?id={employee_id}")
    wait_for_text(tab, "#account-gegevens", lambda text: employee_email in text)
    page.click("#status-knop")
    wait_for_text(tab, "#status", lambda text: "uitgeschakeld" in text)
    assert api_as(stack, employee_cookie, "GET", "/me").status == 401, "disabling ends the sessions at once"
    assert page.locator("#status-knop").inner_text() == "Account weer inschakelen"
    page.click("#status-knop")
    wait_for_text(tab, "#status", lambda text: "weer ingeschakeld" in text)

    open_page(tab, stack, f"/beheer/account/?id={admin_id}")
    wait_for_text(tab, "#account-gegevens", lambda text: admin_email in text)
    page.click("#sessies-knop")
    wait_for_text(tab, "#status", lambda text: "1 sessie beëindigd" in text)
    assert api_as(stack, admin_cookie, "GET", "/me").status == 401

    open_page(tab, stack, f"/beheer/account/?id={employee_id}")
    wait_for_text(tab, "#account-gegevens", lambda text: employee_email in text)
    page.click("#verwijder-knop")
    assert page.locator("#verwijder-bevestiging").is_visible()
    assert page.evaluate("document.activeElement.id") == "verwijder-zeker"
    assert axe_violations(page) == []
    page.click("#verwijder-zeker")
    wait_for_text(tab, "#account .lr-alert", lambda text: "is verwijderd" in text)
    assert api_as(stack, cfb.cookie(), "GET", f"/admin/accounts/{employee_id}").status == 404
    assert axe_violations(page) == []
    assert tab.errors == []
    assert cookie_lifetimes(cfb.set_cookies) == []


def test_R_ACC_06_R_ACC_10_local_admin_enrols_totp_then_sees_only_the_own_organisation(
    cfb: AdminSession, stack: Stack, browser: Any,
) -> None:
    email = unique_address("lars", "meijer", "duo.nl")
    cookie = sign_up_by_api(stack, email, "Lars", "Meijer", ORG_DUO)
    account_id = api_as(stack, cookie, "GET", "/me").json()["account_id"]
    granted = api_as(stack, cfb.cookie(), "PUT", f"/admin/accounts/{account_id}/roles",
                     {"roles": [{"role": "local_admin", "org_id": ORG_DUO}]})
    assert granted.status == 200, granted.body

    tab = new_tab(browser)
    set_cookies = record_set_cookies(tab.page.context)
    page = tab.page
    try:
        log_in_by_link(tab, stack, email)
        page.wait_for_url("**/inloggen/tweede-factor/instellen/")
        secret = totp_secret(tab)
        enter_code(tab, code_at(secret, now()))
        page.wait_for_url("**/beheer/")
        listed = wait_for_text(tab, "#accounts table", lambda text: email in text)
        assert f"Accounts van {DUO_NAME}" in listed
        assert page.locator("#organisatie option:not([value=''])").all_inner_texts() == [DUO_NAME]
        assert not page.locator("#beheer-menu").get_by_role("link", name="Organisaties").is_visible()
        assert axe_violations(page) == []

        open_page(tab, stack, f"/beheer/account/?id={ACCOUNT_CFB}")  # another organisation's account
        wait_for_text(tab, "#fouten", lambda text: "Account niet gevonden" in text)
        open_page(tab, stack, "/beheer/organisaties/")
        wait_for_text(tab, "#beheer .lr-alert", lambda text: "alleen voor Centraal Functioneel Beheer" in text)
        assert axe_violations(page) == []

        # A later login asks for the code of the (now enrolled) app: the entry page.
        page.locator("#lr-nav-lijst").get_by_role("button", name="Uitloggen").click()
        page.wait_for_url("**/inloggen/?uitgelogd=1")
        log_in_by_link(tab, stack, email)
        page.wait_for_url("**/inloggen/tweede-factor/")
        page.wait_for_selector("#totp-formulier:not([hidden])")
        assert axe_violations(page) == []
        enter_code(tab, code_at(secret, now() + timedelta(seconds=30)))  # the next code: each works once
        page.wait_for_url("**/beheer/")
        wait_for_text(tab, "#accounts table", lambda text: email in text)
        assert unexpected_errors(tab, 404) == []
        assert cookie_lifetimes(set_cookies) == []
    finally:
        page.context.close()


def test_R_ACC_07_R_UI_03_lotte_sees_every_account_and_grants_and_revokes_order_authorised_with_undo(
    cfb: AdminSession, stack: Stack, browser: Any,
) -> None:
    """Issue 28: Lotte's list left out Mila Vos (order-authorised, her own organisation) and she had no role
    controls. Now she sees every account of the Belastingdienst (one managed by CFB read-only), finds "Vos",
    and grants and revokes order-authorised; a revocation asks first, naming what is lost, and can be undone."""
    ops_email = unique_address("ivo", "beheer", "belastingdienst.nl")
    ops_id = api_as(stack, sign_up_by_api(stack, ops_email, "Ivo", "Beheer", ORG_BELASTINGDIENST), "GET",
                    "/me").json()["account_id"]
    assert api_as(stack, cfb.cookie(), "PUT", f"/admin/accounts/{ops_id}/roles",
                  {"roles": [{"role": "ops"}]}).status == 200
    new_email = unique_address("noa", "smit", "belastingdienst.nl")
    new_id = api_as(stack, sign_up_by_api(stack, new_email, "Noa", "Smit", ORG_BELASTINGDIENST), "GET",
                    "/me").json()["account_id"]
    mila_roles = [{"role": "order_authorised", "org_id": ORG_BELASTINGDIENST, "department_id": None}]

    tab = new_tab(browser)
    page = tab.page
    try:
        log_in_by_link(tab, stack, LOTTE_EMAIL)
        page.wait_for_url("**/inloggen/tweede-factor/instellen/")
        enter_code(tab, code_at(totp_secret(tab), now()))
        page.wait_for_url("**/beheer/")
        listed = wait_for_text(tab, "#accounts table", lambda text: "Vos, Mila" in text)
        assert page.get_by_role("link", name="Vos, Mila").is_visible()
        ops_row = page.locator("#accounts tr", has_text=ops_email)
        assert "beheerd door Centraal Functioneel Beheer" in ops_row.inner_text()
        assert ops_row.get_by_role("link").count() == 0, "an account Lotte may not manage opens nothing"
        assert "de Vries, Eva" in listed and "Bakker, Lotte" in listed
        assert axe_violations(page) == []

        page.fill("#zoekterm", "Vos")
        page.locator("#zoek-formulier [type=submit]").click()
        found = wait_for_text(tab, "#accounts table", lambda text: "de Vries" not in text)
        assert "Vos, Mila" in found and "1 account op pagina 1" in wait_for_text(tab, "#resultaat-status")
        page.get_by_role("link", name="Vos, Mila").click()
        page.wait_for_url(f"**/beheer/account/?id={ACCOUNT_ORDER_BD}")
        wait_for_text(tab, "#rollen", lambda text: "Bestelgemachtigde (Belastingdienst)" in text)
        assert "kent Centraal Functioneel Beheer toe" in page.locator("#rollen-lokaal").inner_text()
        assert page.locator("#rol option:not([value=''])").all_inner_texts() == [
            "Bestelgemachtigde (van de organisatie of een afdeling)"]
        assert axe_violations(page) == []

        page.get_by_role("button", name="Rol Bestelgemachtigde (Belastingdienst) intrekken").click()
        question = wait_for_text(tab, "#intrekken-vraag")
        assert "Mila Vos ziet dan de bestellijst van Belastingdienst niet meer" in question
        assert "uitgelogd" in question and "ongedaan" in question
        assert page.evaluate("document.activeElement.id") == "intrekken-zeker"
        assert axe_violations(page) == []
        page.click("#intrekken-annuleren")  # nothing happens without the confirmation
        assert api_as(stack, cfb.cookie(), "GET", f"/admin/accounts/{ACCOUNT_ORDER_BD}").json()["roles"] == mila_roles
        page.get_by_role("button", name="Rol Bestelgemachtigde (Belastingdienst) intrekken").click()
        page.click("#intrekken-zeker")
        wait_for_text(tab, "#status", lambda text: "is ingetrokken" in text)
        assert api_as(stack, cfb.cookie(), "GET", f"/admin/accounts/{ACCOUNT_ORDER_BD}").json()["roles"] == []
        assert page.evaluate("document.activeElement.id") == "ongedaan-maken"
        assert axe_violations(page) == []
        page.click("#ongedaan-maken")
        wait_for_text(tab, "#status", lambda text: "weer toegekend" in text)
        assert api_as(stack, cfb.cookie(), "GET", f"/admin/accounts/{ACCOUNT_ORDER_BD}").json()["roles"] == mila_roles

        open_page(tab, stack, f"/beheer/account/?id={new_id}")  # a grant for one department of her organisation
        wait_for_text(tab, "#account-gegevens", lambda text: new_email in text)
        page.select_option("#rol-afdeling", DEPT_BD_PRIVATE)
        page.locator("#rol-formulier [type=submit]").click()
        wait_for_text(tab, "#status", lambda text: "is toegekend" in text)
        assert api_as(stack, cfb.cookie(), "GET", f"/admin/accounts/{new_id}").json()["roles"] == [
            {"role": "order_authorised", "org_id": ORG_BELASTINGDIENST, "department_id": DEPT_BD_PRIVATE}]
        assert axe_violations(page) == []
        open_page(tab, stack, f"/beheer/account/?id={ops_id}")
        wait_for_text(tab, "#fouten", lambda text: "Account niet gevonden" in text)
        assert unexpected_errors(tab, 404) == []
    finally:
        page.context.close()
        # leave the demo accounts as seeded: Lotte without a second factor, no test accounts
        api_as(stack, cfb.cookie(), "POST", f"/admin/accounts/{ACCOUNT_LOCAL_ADMIN}/totp-reset")
        for account_id in (ops_id, new_id):
            api_as(stack, cfb.cookie(), "DELETE", f"/admin/accounts/{account_id}")


def test_R_ACC_06_cfb_searches_every_organisation_at_once(cfb: AdminSession, stack: Stack) -> None:
    """Issue 28: CFB's account search needed one organisation; "Alle organisaties" searches them all."""
    tab, page = cfb.tab, cfb.page
    open_page(tab, stack, "/beheer/")
    page.wait_for_selector("#organisatie option[value='*']", state="attached")
    page.select_option("#organisatie", "*")
    page.locator("#zoek-formulier [type=submit]").click()  # all organisations need a name or address
    wait_for_text(tab, "#fouten", lambda text: "alle organisaties" in text)
    assert axe_violations(page) == []
    page.fill("#zoekterm", "Vos")
    page.locator("#zoek-formulier [type=submit]").click()
    found = wait_for_text(tab, "#accounts table", lambda text: "Vos, Mila" in text)
    assert "Accounts in alle organisaties" in found and "Belastingdienst" in found
    assert "organisatie=%2A" in page.url or "organisatie=*" in page.url
    page.fill("#zoekterm", "de")  # name parts of accounts in several organisations
    page.locator("#zoek-formulier [type=submit]").click()
    found = wait_for_text(tab, "#accounts table", lambda text: "de Vries, Eva" in text and "de Boer, Lucas" in text)
    assert "Belastingdienst" in found and DUO_NAME in found
    assert axe_violations(page) == []
    assert unexpected_errors(tab, 400) == []


def test_cfb_manages_organisations_suppliers_and_api_keys(cfb: AdminSession, stack: Stack) -> None:
    tab, page = cfb.tab, cfb.page
    open_page(tab, stack, "/beheer/organisaties/")
    listed = wait_for_text(tab, "#organisaties table")
    assert DUO_NAME in listed and "Belastingdienst" in listed
    assert axe_violations(page) == []

    page.locator("#organisaties a", has_text=DUO_NAME).click()
    page.wait_for_url(f"**/beheer/organisaties/?id={ORG_DUO}")
    wait_for_text(tab, "#detail #sleutels", lambda text: "Nieuwe API-sleutel maken" in text)
    assert page.input_value("#org-domeinen") == "duo.nl"
    page.locator("#wijzig-formulier [type=submit]").click()
    wait_for_text(tab, "#status", lambda text: "opgeslagen" in text)

    page.fill("#sleutels input[name=label]", "LMS test")
    page.locator("#sleutels [type=submit]").click()
    shown = wait_for_text(tab, "#nieuwe-sleutel")
    assert "niet opnieuw getoond" in page.locator("#sleutels .lr-status").inner_text()
    key_id = shown.split(".", 1)[0]
    assert axe_violations(page) == []
    page.get_by_role("button", name=f"Sleutel {key_id} intrekken").click()
    page.get_by_role("button", name="Ja, trek de sleutel in").click()  # after the confirmation (issue 28)
    wait_for_text(tab, "#sleutels .lr-status", lambda text: "ingetrokken" in text)
    assert "Ingetrokken op" in page.locator("#sleutels table").inner_text()

    open_page(tab, stack, "/beheer/leveranciers/")
    wait_for_text(tab, "#leveranciers table", lambda text: "Schrijfwerk Trainingen" in text)
    assert axe_violations(page) == []
    # A supplier with a terms version but no acceptance date is refused, at the date field (R_CAT_06).
    page.fill("#nieuw-id", "sup-zonder-datum")
    page.fill("#nieuw-naam", "Zonder Datum B.V.")
    page.select_option("#nieuw-soort", "extern")
    page.fill("#nieuw-email", "info@zonder-datum.example")
    page.select_option("#nieuw-levering", "email")
    page.fill("#nieuw-voorwaarden", "2026-01")
    page.locator("#nieuw-formulier [type=submit]").click()
    wait_for_text(tab, "#fouten", lambda text: "allebei" in text)
    assert page.locator("#nieuw-geaccepteerd-fout").is_visible()
    assert axe_violations(page) == []
    assert all(s["supplier_id"] != "sup-zonder-datum"
               for s in api_as(stack, cfb.cookie(), "GET", "/admin/suppliers").json()["suppliers"])

    page.locator("#leveranciers a", has_text="Schrijfwerk Trainingen").click()
    page.wait_for_url(lambda url: "/beheer/leveranciers/?id=" in url)
    wait_for_text(tab, "#detail #sleutels", lambda text: "Nieuwe API-sleutel maken" in text)
    assert page.input_value("#lev-soort") == "extern"
    assert page.input_value("#lev-voorwaarden") and page.input_value("#lev-geaccepteerd")
    page.locator("#wijzig-formulier [type=submit]").click()  # unchanged: saved as it was
    wait_for_text(tab, "#status", lambda text: "opgeslagen" in text)
    assert axe_violations(page) == []
    page.click("#feed-intrekken")  # R_SUP_01: every feed link of this supplier stops working
    page.get_by_role("button", name="Ja, trek alle feed-links in").click()
    wait_for_text(tab, "#status", lambda text: "ingetrokken" in text)
    assert axe_violations(page) == []
    assert unexpected_errors(tab, 400) == []


def test_R_ACC_09_cfb_downloads_everything_held_about_an_address(cfb: AdminSession, stack: Stack) -> None:
    tab, page = cfb.tab, cfb.page
    email = unique_address("anna", "de jong", "duo.nl")
    sign_up_by_api(stack, email, "Anna", "de Jong", ORG_DUO)
    assert latest_link(stack, email)
    open_page(tab, stack, "/beheer/inzage/")
    page.wait_for_selector("#inzage-formulier")
    page.fill("#inzage-email", email)
    page.locator("#inzage-formulier [type=submit]").click()
    wait_for_text(tab, "#fouten", lambda text: "identiteit" in text)
    assert axe_violations(page) == []

    page.check("#inzage-identiteit")
    with page.expect_download() as download_info:
        page.locator("#inzage-formulier [type=submit]").click()
    download = download_info.value
    assert download.suggested_filename == "leer-rijk-gegevens.json"
    document = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert email in json.dumps(document)
    wait_for_text(tab, "#status", lambda text: "gedownload" in text)
    assert axe_violations(page) == []
    assert tab.errors == []


def test_R_SEC_03_cfb_sees_undeliverable_mail_page(cfb: AdminSession, stack: Stack) -> None:
    """CFB's view of mail that could not be delivered: reachable from the admin menu, axe-clean; the
    local stack's mail service accepts everything, so it says there is none."""
    tab, page = cfb.tab, cfb.page
    open_page(tab, stack, "/beheer/")
    page.locator("#beheer-menu").get_by_role("link", name="Onbestelbare e-mail").click()
    page.wait_for_url("**/beheer/onbestelbaar/")
    wait_for_text(tab, "#onbestelbaar", lambda text: "Er is geen onbestelbare e-mail." in text)
    assert page.locator("#meer").is_hidden()
    assert axe_violations(page) == []
    assert tab.errors == []


def test_cfb_adds_an_organisation_and_pages_through_its_accounts(cfb: AdminSession, stack: Stack) -> None:
    """Creating an organisation through the form, then 26 accounts on its domain: two pages of 25."""
    tab, page = cfb.tab, cfb.page
    open_page(tab, stack, "/beheer/organisaties/")
    wait_for_text(tab, "#organisaties table")
    page.fill("#nieuw-id", "org-paginering")
    page.fill("#nieuw-naam", "Dienst Paginering")
    page.fill("#nieuw-domeinen", "paginering.example")
    page.fill("#nieuw-afdelingen", "dep-pag-een | Afdeling Een\nzonder streep")
    page.locator("#nieuw-formulier [type=submit]").click()
    wait_for_text(tab, "#fouten", lambda text: "Regel 2" in text)  # checked before anything is sent
    assert page.locator("#nieuw-afdelingen-fout").is_visible()
    assert axe_violations(page) == []
    page.fill("#nieuw-afdelingen", "dep-pag-een | Afdeling Een")
    page.locator("#nieuw-formulier [type=submit]").click()
    page.wait_for_url(lambda url: "?id=org-paginering&nieuw=1" in url)
    wait_for_text(tab, "#status", lambda text: "Dienst Paginering is toegevoegd" in text)
    assert page.input_value("#org-afdelingen") == "dep-pag-een | Afdeling Een"
    assert "geen lokaal beheerder" in page.locator("#beheerders").inner_text()

    for number in range(26):
        sign_up_by_api(stack, f"medewerker{number:02d}@paginering.example", "Test", f"Persoon {number:02d}",
                       "org-paginering")
    open_page(tab, stack, "/beheer/?organisatie=org-paginering")
    first = wait_for_text(tab, "#accounts table", lambda text: "Dienst Paginering" in text)
    assert first.count("@paginering.example") == 25
    assert page.locator("#vorige").is_disabled() and page.locator("#volgende").is_enabled()
    page.click("#volgende")
    second = wait_for_text(tab, "#accounts table", lambda text: "pagina 2" in text)
    assert second.count("@paginering.example") == 1 and "Persoon 25" in second
    assert page.locator("#volgende").is_disabled()
    assert "pagina 2" in wait_for_text(tab, "#resultaat-status")
    assert axe_violations(page) == []
    page.click("#vorige")
    wait_for_text(tab, "#accounts table", lambda text: "Persoon 00" in text and "pagina 2" not in text)
    assert tab.errors == []


def test_R_REV_03_R_UI_03_admins_pick_the_course_of_its_reviews_by_name_or_address_not_by_id(
    cfb: AdminSession, stack: Stack,
) -> None:
    """The demo reviews of "Werken met data voor beleid": found by the course's name, by a word and a
    choice, by the address of its page, and from any review card; never by typing an id."""
    tab, page = cfb.tab, cfb.page
    course = "Werken met data voor beleid"
    only_this_course = """(name) => {
        const cards = [...document.querySelectorAll('#reviews-lijst .lr-review')];
        return cards.length === 3 && cards.every((card) => card.textContent.includes(name));
    }"""

    def all_reviews() -> None:
        open_page(tab, stack, "/beheer/reviews/")
        wait_for_text(tab, "#status", lambda text: "reviews getoond" in text)

    def filtered_on(course_id: str) -> None:
        page.wait_for_url(lambda url: url.endswith(f"course_id={course_id}"))
        page.wait_for_function(only_this_course, arg=course)

    all_reviews()
    card_link = page.locator("#reviews-lijst .lr-review", has_text=course).first.get_by_role(
        "link", name="alleen deze opleiding")
    course_id = (card_link.get_attribute("href") or "").split("course_id=")[1]
    card_link.click()
    filtered_on(course_id)

    for typed in (course, f"{stack.base_url}/opleiding/?id={course_id}"):  # the name; the page's address
        all_reviews()
        page.fill("#reviews-opleiding", typed)
        page.locator("#reviews-filter [type=submit]").click()
        filtered_on(course_id)

    all_reviews()
    page.fill("#reviews-opleiding", "dashboard")  # two courses: the page asks which one
    page.locator("#reviews-filter [type=submit]").click()
    wait_for_text(tab, "#reviews-keuze", lambda text: "Welke opleiding bedoelt u?" in text)
    assert axe_violations(page) == []
    page.locator("#reviews-keuze").get_by_role("button", name=re.compile(course)).click()
    filtered_on(course_id)
    assert page.locator("#reviews-keuze").inner_text() == ""

    page.fill("#reviews-opleiding", "zzqxw")
    page.locator("#reviews-filter [type=submit]").click()
    wait_for_text(tab, "#fouten", lambda text: "Geen opleiding gevonden" in text)
    assert page.locator("#reviews-opleiding").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    assert tab.errors == []
