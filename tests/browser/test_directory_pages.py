"""R_DEX_01-04 on the started stack: `make run` connects the local EDU-DEX emulator, the demo catalogue came
in by a sync, CFB's page shows the connection and the held programs, and a change made on the emulator's
dev page arrives through the webhook and the minute job."""

from __future__ import annotations

import json

from chalicelib.catalogue.use_cases import course_id_for
from devstack.demo_directory import UNMAPPED_SUPPLIER
from tests.browser.conftest import Stack, http
from tests.browser.test_account_journeys import assert_accessible, open_page, unexpected_errors, wait_for_text
from tests.browser.test_admin_pages import AdminSession

CHANGED = ("sup-opleidingshuis-rijk", "OHR-010")  # "Duurzaam inzetbaar blijven": no other browser test uses it


def test_R_DEX_01_R_DEX_03_cfb_sees_the_connection_its_cursor_and_the_held_programs(
        cfb: AdminSession, stack: Stack) -> None:
    tab, page = cfb.tab, cfb.page
    open_page(tab, stack, "/beheer/")
    page.locator("#beheer-menu").get_by_role("link", name="EDU-DEX").click()
    page.wait_for_url("**/beheer/edudex/")
    shown = wait_for_text(tab, "#koppelingen", lambda text: "EDU-DEX (lokale emulator)" in text)
    assert "Gelukt" in shown and "Geregistreerd" in shown and "/leer-rijk/local/directory/edudex-demo" in shown
    suppliers = wait_for_text(tab, "#edudex-leveranciers table")
    assert UNMAPPED_SUPPLIER in suppliers and "Niet gekoppeld" in suppliers and "2 programma's" in suppliers
    assert_accessible(tab, "EDU-DEX overview")

    page.fill("#nieuw-id", "elders")
    page.fill("#nieuw-naam", "Elders")
    page.fill("#nieuw-url", "https://directory.example/data/v1/")
    page.fill("#nieuw-org", "leer-rijk")
    page.fill("#nieuw-catalogus", "0b6f3c52-7a51-4c1e-9d7e-2f4a7e0c9a11")
    page.select_option("#nieuw-soort", "static")
    page.locator("#nieuw-formulier [type=submit]").click()
    wait_for_text(tab, "#fouten", lambda text: "toegestane EDU-DEX-hosts" in text)
    assert page.locator("#nieuw-url-fout").is_visible()
    assert_accessible(tab, "EDU-DEX connection refused")

    page.locator("#edudex-leveranciers a", has_text="2 programma's").click()
    page.wait_for_url(f"**/beheer/edudex/?org={UNMAPPED_SUPPLIER}")
    held = wait_for_text(tab, "#programmas table")
    assert "Veranderkundig adviseren" in held and "Niet gekoppeld aan een leverancier" in held
    assert_accessible(tab, "EDU-DEX held programs")

    open_page(tab, stack, "/beheer/leveranciers/?id=sup-schrijfwerk")
    wait_for_text(tab, "#detail #sleutels", lambda text: "Nieuwe API-sleutel maken" in text)
    assert page.input_value("#lev-orgunit") == "sup-schrijfwerk"
    page.locator("#edudex-formulier [type=submit]").click()
    wait_for_text(tab, "#status", lambda text: "gekoppeld aan sup-schrijfwerk" in text)
    assert_accessible(tab, "supplier mapped")
    assert unexpected_errors(tab, 400) == []


def test_R_DEX_02_R_DEX_04_a_change_on_the_emulator_arrives_through_the_webhook(stack: Stack) -> None:
    supplier, program = CHANGED
    page = http("GET", f"{stack.base_url}/_dev/edudex")
    assert page.status == 200 and "Duurzaam inzetbaar blijven" in page.body.decode()
    changed = http("POST", f"{stack.base_url}/_dev/edudex/wijzig", {"Content-Type": "application/json"},
                   json.dumps({"supplier": supplier, "program": program}).encode())
    assert changed.status == 200, changed.body
    course = f"{stack.base_url}/api/courses/{course_id_for(supplier, program)}"

    # The job the stack runs every minute (it may have run already): it syncs only a catalog the webhook asked for.
    run = http("POST", f"{stack.base_url}/_dev/jobs/sync_directory_requested")
    assert run.status == 200, run.body
    assert "(gewijzigd" in http("GET", course).json()["name"]
    webhooks = http("GET", f"{stack.base_url}/_dev/edudex").body.decode()
    assert "met status 202" in webhooks
