"""R_CAT_07 in the browser against the started stack: CFB edits the search's synonym list on
/beheer/zoekwoorden/ and what a search finds changes at once, without a restart; the page names the
line of a problem (R_UI_02), says what happened and leads on (R_UI_03), and is sound at every width.
The search page says whose results it shows when the words typed found nothing, or not all together."""

from __future__ import annotations

import uuid

from tests.browser.conftest import Stack, Tab
from tests.browser.test_account_journeys import assert_accessible, open_page, unexpected_errors, wait_for_text
from tests.browser.test_admin_pages import AdminSession
from tests.browser.test_catalogue_pages import catalogue_program, put_program, run_in
from tests.browser.test_contact_journey import dynamodb


def _results(tab: Tab, stack: Stack, query: str) -> str:
    open_page(tab, stack, f"/zoeken/?q={query}")
    return wait_for_text(tab, "#zoek-status", lambda text: "gevonden" in text)


def test_R_CAT_07_a_cfb_edit_of_the_synonyms_changes_what_a_search_finds_without_a_restart(
        cfb: AdminSession, stack: Stack, tab: Tab) -> None:
    word = "tweewieler"
    put_program(stack, catalogue_program(f"FIETS-{uuid.uuid4().hex[:6]}", "Fietsen naar het werk",
                                         [run_in(30, "r1")]))
    assert _results(tab, stack, word).startswith("Geen opleidingen gevonden")

    admin, page = cfb.tab, cfb.page
    open_page(admin, stack, "/beheer/zoekwoorden/")
    area = page.locator("#synoniemen")
    wait_for_text(admin, "#synoniemen-stand")
    assert page.locator("#beheer-menu a[aria-current=page]").inner_text() == "Zoekwoorden"
    assert "AVG, GDPR, privacy" in area.input_value()
    assert_accessible(admin, "zoekwoorden: de lijsten")

    listed = area.input_value()
    area.fill(listed + "\n\nfiets\n")  # a group of one term: refused, and the summary names its line
    page.locator("#synoniemen-opslaan").click()
    line = len(listed.split("\n")) + 2
    summary = wait_for_text(admin, "#fouten")
    assert f"Regel {line}:" in summary and "minstens twee verschillende termen" in summary
    assert page.locator("#fouten a").first.get_attribute("href") == "#synoniemen"
    assert_accessible(admin, "zoekwoorden: een fout")
    assert _results(tab, stack, word).startswith("Geen opleidingen gevonden")  # nothing was stored

    area.fill(f"{listed}\nfiets, {word}")
    page.locator("#synoniemen-opslaan").click()
    done = wait_for_text(admin, "#status", lambda text: "opgeslagen" in text)
    assert "De zoekfunctie gebruikt ze vanaf nu" in done
    assert page.locator("#status a[href='/zoeken/']").count() == 1
    assert "Laatst opgeslagen op" in page.locator("#synoniemen-stand").inner_text()
    assert_accessible(admin, "zoekwoorden: opgeslagen")

    assert _results(tab, stack, word) == "1 opleiding gevonden."
    assert tab.page.locator("#zoek-resultaten h3").first.inner_text() == "Fietsen naar het werk"

    # a default term CFB takes out and saves without is left out on purpose: not offered on every visit
    assert page.locator("#synoniemen-standaard").is_hidden()
    area.fill("\n".join(line.replace(", keukentafel", "") for line in area.input_value().split("\n")))
    with page.expect_response(lambda r: r.request.method == "PUT" and r.url.endswith("/search-lists/synonyms")) as put:
        page.locator("#synoniemen-opslaan").click()
    assert put.value.status == 200
    assert page.locator("#synoniemen-standaard").is_hidden()
    open_page(admin, stack, "/beheer/zoekwoorden/")
    wait_for_text(admin, "#synoniemen-stand")
    assert page.locator("#synoniemen-standaard").is_hidden() and "keukentafel" not in area.input_value()

    # a list saved before a release that added a term (the list as an older release stored it): the term is
    # offered on the page and put in the textarea with one click, in the line it belongs to; saved, it counts
    _as_saved_by_an_older_release(stack)
    open_page(admin, stack, "/beheer/zoekwoorden/")
    offer = wait_for_text(admin, "#synoniemen-standaard")
    assert "De standaardlijst van Leer-Rijk heeft 1 term die in uw lijst ontbreekt" in offer
    assert "keukentafel" not in area.input_value()
    page.locator("#synoniemen-standaard button").click()
    assert any(line.startswith("thuiswerken") and line.endswith(", keukentafel")
               for line in area.input_value().split("\n"))
    assert "Controleer ze en sla de lijst op" in page.locator("#synoniemen-standaard").inner_text()
    assert_accessible(admin, "zoekwoorden: standaardtermen aangeboden")
    page.locator("#synoniemen-opslaan").click()
    page.locator("#synoniemen-standaard").wait_for(state="hidden")  # saved: nothing is missing any more
    assert "De zoekfunctie gebruikt ze vanaf nu" in page.locator("#status").inner_text()
    assert unexpected_errors(admin, 400) == [] and tab.errors == []  # the refused save


def _as_saved_by_an_older_release(stack: Stack) -> None:
    """An older release stored no `declined` with a saved list: every default it lacks counts as new to CFB."""
    table = next(name for name in dynamodb(stack, "ListTables", {})["TableNames"] if name.endswith("search-lists"))
    dynamodb(stack, "UpdateItem", {"TableName": table, "Key": {"name": {"S": "synonyms"}},
                                   "UpdateExpression": "REMOVE declined"})


def test_R_CAT_07_the_search_page_says_whose_results_it_shows(stack: Stack, tab: Tab) -> None:
    put_program(stack, catalogue_program(f"XL-{uuid.uuid4().hex[:6]}", "Excel voor beginners", [run_in(20, "r1")]))
    text = _results(tab, stack, "xcel")  # first letter missing: no typo match, one strong suggestion
    assert text.startswith("Niets gevonden voor xcel; u ziet de resultaten voor excel.")
    notice = tab.page.locator("#zoek-melding").inner_text()
    assert "Er zijn geen opleidingen gevonden voor “xcel”." in notice and "U ziet de resultaten voor excel." in notice
    assert tab.page.locator("#zoek-melding a[data-zoek]", has_text="excel").count() == 1
    assert_accessible(tab, "zoeken: resultaten van een suggestie")

    # two words, one found elsewhere: the page does not claim the search found nothing at all
    text = _results(tab, stack, "xcel+beginners")
    assert text.startswith("Niets gevonden met alle woorden van xcel beginners; u ziet de resultaten voor excel "
                           "beginners.")
    notice = tab.page.locator("#zoek-melding").inner_text()
    assert "Er zijn geen opleidingen gevonden met alle woorden van “xcel beginners”." in notice
    assert tab.errors == []
