"""The catalogue pages in Chromium: search (/zoeken/) and the course page (/opleiding/?id=...).

Search, filters and URL state, live results without logging and logging on submit (R_CAT_04), a
visitor browsing (R_VIS_01), requirements and executions (R_CAT_03, R_ENR_04), restricted and
unknown courses (R_CAT_02), a supplier's update after a reload and `<script>` in every text field
rendered inert (R_CAT_05). axe-core (WCAG 2.1 AA) in every state that is tested.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from chalicelib.catalogue.edudex_map import THEME_LABELS
from chalicelib.catalogue.use_cases import course_id_for
from devstack.edudex_builder import Run, program
from devstack.seed import ORG_BELASTINGDIENST, SUPPLIER_INTERN_MAIL
from tests.browser.conftest import Stack, Tab, axe_violations, http
from tests.conftest import ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"
DOCS = ROOT / "docs"
HOSTILE = '<script>window.__lrXss=1</script><img src=x onerror="window.__lrXss=2">"\'&amp;'

_edits = itertools.count(1)


# --- helpers shared with test_enrolment_journey.py ------------------------------------------------


@dataclass
class Console:
    """Console errors with the URL they are about, so an expected API error status can be allowed."""

    entries: list[tuple[str, str]] = field(default_factory=list)

    def unexpected(self, *allowed: tuple[int, str]) -> list[str]:
        """Errors other than the browser's 'Failed to load resource' line for an allowed (status, URL part);
        status 0 stands for a request that failed on the network (a test cut it off on purpose)."""
        left = []
        for text, url in self.entries:
            answered = re.match(r"Failed to load resource: the server responded with a status of (\d+)", text)
            status = int(answered.group(1)) if answered else 0 if text.startswith("Failed to load resource: net::") \
                else None
            if status is not None and any(status == code and part in url for code, part in allowed):
                continue
            left.append(f"{text} ({url})")
        return left


def watch(tab: Tab) -> Console:
    console = Console()
    tab.page.on("console", lambda message: console.entries.append((message.text, message.location.get("url", "")))
                if message.type == "error" else None)
    tab.page.on("pageerror", lambda error: console.entries.append((f"uncaught: {error}", "")))
    return console


def api_key(stack: Stack, who: str) -> str:
    """An API key from the stack's startup banner ("  leverancier <id> (...): <key>")."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for line in stack.log.read_text(errors="replace").splitlines():
            if line.startswith("  ") and who in line and ": k" in line:
                return line.rsplit(": ", 1)[1].strip()
        time.sleep(0.2)
    raise AssertionError(f"no API key for {who!r} in the stack output:\n{stack.log.read_text()}")


def put_program(stack: Stack, document: dict[str, Any], supplier: str = SUPPLIER_INTERN_MAIL) -> dict[str, Any]:
    """PUT an EDU-DEX program with the demo supplier's key, as a supplier does (R_CAT_05)."""
    program_id = document["programClassification"]["programId"]
    document["lastEdited"] = (datetime.now(UTC) + timedelta(seconds=next(_edits))).strftime("%Y-%m-%dT%H:%M:%SZ")
    answer = http("PUT", f"{stack.base_url}/api/supplier/programs/{program_id}",
                  {"Authorization": f"Bearer {api_key(stack, supplier)}", "Content-Type": "application/json"},
                  json.dumps(document).encode())
    assert answer.status == 200, answer.body
    return answer.json()


def catalogue_program(program_id: str, name: str, runs: list[Run], **extra: Any) -> dict[str, Any]:
    """A course of the demo supplier that delivers by e-mail (Opleidingshuis Rijk)."""
    extra.setdefault("theme", "T7")
    return program(SUPPLIER_INTERN_MAIL, program_id, name, f"Samenvatting van {name}.", f"Omschrijving van {name}.",
                   runs=runs, **extra)


def run_in(days: int, run_id: str, **extra: Any) -> Run:
    start = date.today() + timedelta(days=days)
    return Run(run_id, start, start + timedelta(days=1), **{"city": "Utrecht", **extra})


def open_page(tab: Tab, stack: Stack, path: str) -> None:
    response = tab.page.goto(stack.base_url + path)
    assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"


def assert_accessible(tab: Tab, state: str) -> None:
    violations = axe_violations(tab.page)
    assert violations == [], f"{state}: {violations}"


def screenshot(tab: Tab, name: str, docs_name: str | None = None) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / name
    tab.page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    if docs_name:
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, DOCS / docs_name)


def track_searches(tab: Tab) -> list[dict[str, list[str]]]:
    """Every GET /api/courses the page makes from now on, as parsed query strings."""
    searches: list[dict[str, list[str]]] = []

    def seen(request: Any) -> None:
        url = urlparse(request.url)
        if url.path == "/api/courses":
            searches.append(parse_qs(url.query))

    tab.page.on("request", seen)
    return searches


def results(tab: Tab) -> Any:
    return tab.page.locator("#zoek-resultaten > li")


# --- search ---------------------------------------------------------------------------------------


def test_R_VIS_01_R_CAT_04_search_live_filter_url_state_and_log_on_submit(tab: Tab, stack: Stack) -> None:
    console = watch(tab)
    searches = track_searches(tab)
    page = tab.page
    open_page(tab, stack, "/zoeken/")
    expect(results(tab).first).to_be_visible()
    assert_accessible(tab, "search page, initial results")

    # Typing gives results as you type, without logging the term (R_CAT_04).
    page.locator("#zoek-q").press_sequentially("project", delay=60)
    expect(results(tab).first).to_contain_text("Project")
    expect(page).to_have_url(re.compile(r"/zoeken/\?q=project$"))
    expect(page.locator("#zoek-status")).to_have_text(re.compile(r"opleiding(en)? gevonden"))
    assert searches and all("log" not in query for query in searches), searches

    # A filter narrows the results and lands in the URL.
    with page.expect_response(lambda answer: "theme=T9" in answer.url):
        page.select_option("#zoek-theme", "T9")
    expect(page).to_have_url(re.compile(r"q=project&theme=T9"))
    expect(results(tab).first).to_be_visible()
    other_themes = page.locator("#zoek-resultaten .lr-result__meta").filter(has_not_text="Projectmatig werken")
    expect(other_themes).to_have_count(0)
    first = results(tab).first
    expect(first.locator(".lr-run").first).to_contain_text(re.compile(r"\d{4}, .+, €\s[\d.]+,\d\d"))
    assert all("log" not in query for query in searches), searches
    assert_accessible(tab, "search results filtered on a theme")
    screenshot(tab, "search-results.png", "portal-search.png")

    # Submitting the form is what logs the term.
    with page.expect_request(lambda request: "/api/courses?" in request.url and "log=true" in request.url):
        page.locator("#zoek-q").press("Enter")
    logged = [q for q in searches if q.get("log") == ["true"]]
    assert len(logged) == 1 and logged[0]["q"] == ["project"] and logged[0]["theme"] == ["T9"], searches
    expect(page.locator("#resultaten-titel")).to_be_focused()

    # Back and forward restore the form and the results; a reload keeps the state and logs nothing.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/zoeken/\?q=project$"))
    expect(page.locator("#zoek-theme")).to_have_value("")
    expect(page.locator("#zoek-q")).to_have_value("project")
    page.go_forward()
    expect(page.locator("#zoek-theme")).to_have_value("T9")
    before = len(searches)
    page.reload()
    expect(page.locator("#zoek-theme")).to_have_value("T9")
    expect(page.locator("#zoek-q")).to_have_value("project")
    expect(results(tab).first).to_be_visible()
    assert len(searches) > before and all("log" not in q for q in searches[before:])
    assert console.unexpected() == []


def test_R_CAT_04_home_page_search_box_searches_and_logs_once(tab: Tab, stack: Stack) -> None:
    console = watch(tab)
    searches = track_searches(tab)
    open_page(tab, stack, "/")
    tab.page.fill("form[action='/zoeken/'] input[name='q']", "excel")
    tab.page.locator("form[action='/zoeken/'] button[type='submit']").click()
    expect(tab.page).to_have_url(re.compile(r"/zoeken/\?q=excel$"))
    expect(results(tab).first).to_contain_text(re.compile(r"Excel voor (beginners|gevorderden)"))
    assert [q.get("log") for q in searches] == [["true"]]
    tab.page.reload()
    expect(results(tab).first).to_contain_text(re.compile(r"Excel voor (beginners|gevorderden)"))
    assert [q.get("log") for q in searches] == [["true"], None]
    assert console.unexpected() == []


def test_theme_select_offers_the_eleven_dutch_themes(tab: Tab, stack: Stack) -> None:
    open_page(tab, stack, "/zoeken/")
    options = tab.page.eval_on_selector_all("#zoek-theme option", "os => os.map(o => [o.value, o.textContent.trim()])")
    assert options[0] == ["", "Alle thema's"]
    assert dict(options[1:]) == THEME_LABELS


def test_more_results_loads_the_next_page_without_duplicates(tab: Tab, stack: Stack) -> None:
    console = watch(tab)
    page = tab.page
    open_page(tab, stack, "/zoeken/?sort=start")
    more = page.get_by_role("button", name="Meer resultaten")
    expect(more).to_be_visible()
    expect(results(tab)).to_have_count(20)
    expect(page.locator("#zoek-status")).to_have_text(re.compile("Meer dan 20 opleidingen gevonden"))
    more.click()
    expect(results(tab).nth(20)).to_be_visible()
    # Focus goes to the first new result, so a keyboard user continues where the new ones start.
    assert page.evaluate(
        "document.activeElement.closest('li') === document.querySelectorAll('#zoek-resultaten > li')[20]")
    while more.is_visible():
        count = results(tab).count()
        more.click()
        expect(results(tab).nth(count)).to_be_visible()
    links = page.eval_on_selector_all("#zoek-resultaten h3 a", "as => as.map(a => a.getAttribute('href'))")
    assert len(links) == len(set(links)) > 20
    expect(page.locator("#zoek-status")).to_have_text(re.compile("dit zijn alle resultaten"))
    assert_accessible(tab, "all result pages loaded")
    assert console.unexpected() == []


def test_search_empty_and_error_states_are_explained_in_dutch(tab: Tab, stack: Stack) -> None:
    console = watch(tab)
    page = tab.page
    open_page(tab, stack, "/zoeken/?q=qqzzxxyy&city=Utrecht")
    expect(page.locator("#zoek-melding")).to_contain_text("Geen opleidingen gevonden")
    expect(page.locator("#zoek-status")).to_have_text("Geen opleidingen gevonden.")
    expect(page.get_by_role("link", name="Zoek zonder filters")).to_be_visible()
    assert_accessible(tab, "no results")
    page.get_by_role("link", name="Zoek zonder filters").click()
    expect(page).to_have_url(re.compile(r"/zoeken/\?q=qqzzxxyy$"))
    expect(page.locator("#zoek-city")).to_have_value("")

    # A date range the wrong way round: on submit an error summary, linked to the field.
    page.fill("#zoek-q", "")
    page.fill("#zoek-from", "2027-03-01")
    page.fill("#zoek-to", "2027-02-01")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    summary = page.locator("#zoek-fouten")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.locator("#zoek-to")).to_have_attribute("aria-invalid", "true")
    assert_accessible(tab, "date range error")

    # An API error (a hand-edited URL) is shown, not swallowed.
    open_page(tab, stack, "/zoeken/?theme=T99")
    expect(page.locator("#zoek-melding")).to_contain_text("Zoeken lukt nu niet")
    assert_accessible(tab, "API error")
    assert console.unexpected((400, "/api/courses")) == []


# --- course page ----------------------------------------------------------------------------------


def test_R_CAT_03_R_ENR_04_course_page_shows_requirements_executions_and_seats(tab: Tab, stack: Stack) -> None:
    console = watch(tab)
    page = tab.page
    open_page(tab, stack, "/zoeken/?q=programmamanagement")
    page.get_by_role("link", name="Programmamanagement", exact=True).click()
    expect(page).to_have_url(re.compile(r"/opleiding/\?id=c[0-9a-f]+$"))
    expect(page.locator("h1")).to_have_text("Programmamanagement")
    assert page.title() == "Programmamanagement | Leer-Rijk"
    facts = page.locator("#opleiding-kenmerken")
    expect(facts).to_contain_text("Projectwijs B.V.")
    expect(facts).to_contain_text("Projectmatig werken")
    expect(facts).to_contain_text("4 dagen")
    expect(facts).to_contain_text("Nog geen beoordelingen")
    requirements = page.locator("#eisen")
    expect(requirements).to_contain_text("Salarisschaal 12 tot en met 16")
    expect(requirements).to_contain_text("Werkervaring: ervaring als projectleider")
    rows = page.locator("#uitvoeringen-tabel tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text(re.compile(r"€\s1\.850,00"))
    expect(rows.first).to_contain_text(re.compile(r"\d+ van 14"))
    expect(rows.first).to_contain_text("Open voor inschrijving")
    # Requirements come before the executions and the way to enrol.
    assert page.evaluate("""() => {
        const eisen = document.getElementById('eisen');
        const tabel = document.getElementById('uitvoeringen-tabel');
        return Boolean(eisen.compareDocumentPosition(tabel) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    login = page.get_by_role("link", name="Log in om in te schrijven")
    expect(login).to_have_attribute("href", re.compile(r"^/inloggen/"))
    expect(page.get_by_role("button", name=re.compile("^Inschrijven"))).to_have_count(0)
    assert_accessible(tab, "course page for a visitor")
    screenshot(tab, "course-page.png", "portal-course.png")
    assert console.unexpected() == []


def test_R_CAT_02_restricted_and_unknown_courses_show_not_found(tab: Tab, stack: Stack) -> None:
    console = watch(tab)
    page = tab.page
    restricted = course_id_for(SUPPLIER_INTERN_MAIL, "OHR-007")  # open for FIN only
    lms = http("GET", f"{stack.base_url}/api/lms/courses?limit=200",
               {"Authorization": f"Bearer {api_key(stack, f'LMS van {ORG_BELASTINGDIENST}')}"})
    assert restricted in {item["course_id"] for item in lms.json()["items"]}  # it exists, for FIN
    for course_id in (restricted, "c00000000000000ff", "nonsense"):
        open_page(tab, stack, f"/opleiding/?id={course_id}")
        expect(page.locator("h1")).to_have_text("Opleiding niet gevonden")
        expect(page.locator("main")).to_contain_text("bestaat niet of is niet voor u beschikbaar")
    assert_accessible(tab, "course not found")
    open_page(tab, stack, "/opleiding/")
    expect(page.locator("h1")).to_have_text("Opleiding niet gevonden")
    assert console.unexpected((404, "/api/courses/"), (400, "/api/courses/")) == []


def test_R_CAT_05_supplier_update_is_visible_after_a_reload(tab: Tab, stack: Stack) -> None:
    console = watch(tab)
    page = tab.page
    document = catalogue_program("LR-BROWSER-UPD", "Vergaderen met de minister", [run_in(50, "UPD-1", seats=8)])
    course_id = put_program(stack, document)["course_id"]
    open_page(tab, stack, f"/opleiding/?id={course_id}")
    expect(page.locator("h1")).to_have_text("Vergaderen met de minister")
    expect(page.locator("#uitvoeringen-tabel tbody tr")).to_have_count(1)

    changed = catalogue_program("LR-BROWSER-UPD", "Vergaderen met de staatssecretaris",
                           [run_in(50, "UPD-1", seats=8), run_in(80, "UPD-2", city="Zwolle", price_eur="610.00")],
                           requirements=[("intake", "een intakegesprek met de trainer")])
    put_program(stack, changed)
    page.reload()
    expect(page.locator("h1")).to_have_text("Vergaderen met de staatssecretaris")
    expect(page.locator("#eisen")).to_contain_text("een intakegesprek met de trainer")
    rows = page.locator("#uitvoeringen-tabel tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Zwolle")
    expect(rows.nth(1)).to_contain_text(re.compile(r"€\s610,00"))

    open_page(tab, stack, "/zoeken/?q=staatssecretaris")
    expect(results(tab).first).to_contain_text("Vergaderen met de staatssecretaris")
    assert console.unexpected() == []


def test_R_CAT_05_script_in_every_text_field_of_a_program_is_rendered_inert(tab: Tab, stack: Stack) -> None:
    console = watch(tab)
    page = tab.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    runs = [run_in(45, "XSS-1", city=f"Xstad {HOSTILE}"), run_in(46, "XSS-2", online=True, city=None)]
    document = program(
        SUPPLIER_INTERN_MAIL, "LR-BROWSER-XSS", f"Xnaam {HOSTILE}", f"Xsamenvatting {HOSTILE}",
        f"Xomschrijving {HOSTILE}",
        runs=runs, theme="T3", name_en=f"Xname {HOSTILE}", search_words=["xsszoek", f"Xwoord {HOSTILE}"],
        requirements=[("intake", f"Xeis {HOSTILE}")],
    )
    document["programSchedule"]["programRun"][0]["location"]["locationName"] = {"nl": f"Xlocatie {HOSTILE}"}
    course_id = put_program(stack, document)["course_id"]

    def assert_inert(where: str, expected: list[str]) -> None:
        main = page.locator("main")
        for text in expected:
            expect(main).to_contain_text(f"{text} {HOSTILE}")
        counts = page.evaluate("""() => ({
            scripts: document.querySelectorAll('main script, main img, main [onerror]').length,
            flag: window.__lrXss ?? null,
        })""")
        assert counts == {"scripts": 0, "flag": None}, where
        assert dialogs == [], where

    open_page(tab, stack, "/zoeken/?q=xsszoek")
    expect(results(tab)).to_have_count(1)
    assert_inert("search results", ["Xnaam", "Xsamenvatting", "Xstad"])
    assert_accessible(tab, "search results with hostile text")

    open_page(tab, stack, f"/opleiding/?id={course_id}")
    expect(page.locator("h1")).to_have_text(f"Xnaam {HOSTILE}")
    assert_inert("course page", ["Xnaam", "Xsamenvatting", "Xomschrijving", "Xeis", "Xstad", "Xlocatie"])
    assert page.title() == f"Xnaam {HOSTILE} | Leer-Rijk"
    assert_accessible(tab, "course page with hostile text")
    assert console.unexpected() == []


def test_R_CAT_04_supplier_filter_from_the_course_page(tab: Tab, stack: Stack) -> None:
    console = watch(tab)
    page = tab.page
    open_page(tab, stack, f"/opleiding/?id={course_id_for('sup-schrijfwerk', 'SW-01')}")
    page.locator("#opleiding-kenmerken").get_by_role("link", name="Schrijfwerk Trainingen").click()
    expect(page).to_have_url(re.compile(r"/zoeken/\?supplier=sup-schrijfwerk$"))
    expect(page.locator("#zoek-aanbieder")).to_contain_text("Alleen opleidingen van aanbieder Schrijfwerk Trainingen")
    expect(results(tab).first).to_be_visible()
    others = page.locator("#zoek-resultaten .lr-result__meta").filter(has_not_text="Schrijfwerk Trainingen")
    expect(others).to_have_count(0)
    assert_accessible(tab, "one supplier's courses")
    page.get_by_role("button", name="Toon alle aanbieders").click()
    expect(page).to_have_url(re.compile(r"/zoeken/$"))
    expect(page.locator("#zoek-aanbieder")).to_be_hidden()
    expect(page.locator("#zoek-q")).to_be_focused()
    expect(others.first).to_be_visible()
    assert console.unexpected() == []


def test_R_CAT_07_nothing_found_shows_the_one_strong_suggestion_and_says_so(tab: Tab, stack: Stack) -> None:
    """A query that finds nothing, with exactly one strong "Bedoelde u" candidate: the page shows that
    candidate's courses and says so, with the suggestion as a link (issue 27 item 3)."""
    console = watch(tab)
    page = tab.page
    open_page(tab, stack, "/zoeken/?q=wxcel")  # a short word never has its first letter corrected
    notice = page.locator("#zoek-melding")
    expect(notice).to_contain_text("Er zijn geen opleidingen gevonden voor “wxcel”.")
    expect(notice).to_contain_text("U ziet de resultaten voor excel.")
    expect(results(tab).first).to_contain_text("Excel")
    assert_accessible(tab, "no results, the one strong suggestion shown")
    notice.get_by_role("link", name="excel").click()
    expect(page).to_have_url(re.compile(r"/zoeken/\?q=excel$"))
    expect(page.locator("#zoek-q")).to_have_value("excel")
    expect(page.locator("#zoek-melding")).not_to_contain_text("wxcel")
    expect(results(tab).first).to_contain_text("Excel")
    assert console.unexpected() == []
