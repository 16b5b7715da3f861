"""Issue 28: the accessibility statement (/toegankelijkheid/) in the form of the DigiToegankelijk model, kept
true by the browser tests: the axe rules they let pass are exactly the known exceptions it lists."""

from __future__ import annotations

import json
import re
from html import unescape

from devstack import build_portal
from tests.browser.conftest import AXE_KNOWN_EXCEPTIONS


def _page() -> str:
    env = build_portal.make_environment(build_portal.plain_asset_url)
    page = "toegankelijkheid/index.html"
    assert page in set(build_portal.page_templates())
    return env.get_template(page).render(build_portal.page_context(page))


def test_the_statement_lists_exactly_the_axe_rules_the_browser_tests_let_pass() -> None:
    statement = json.loads(build_portal.ACCESSIBILITY_STATEMENT.read_text(encoding="utf-8"))
    listed = {item["axe_rule"] for item in statement["known_exceptions"]}
    assert listed == set(AXE_KNOWN_EXCEPTIONS)
    html = _page()
    shown = set(re.findall(r'data-axe-rule="([^"]+)"', html))
    assert shown == listed
    claims_none = 'data-none="true"' in html
    assert claims_none == (not AXE_KNOWN_EXCEPTIONS), "no exceptions claimed while a test allows one, or the reverse"


def test_the_statement_has_the_parts_of_the_model_and_the_footer_links_it() -> None:
    text = unescape(re.sub(r"<[^>]+>", " ", _page()))
    for part in ("WCAG 2.1", "niveau A en AA", "Hoe wij testen", "Bekende afwijkingen", "Contact en klachten",
                 "Nationale ombudsman", "Status "):
        assert part in text, part
    assert re.search(r"opgesteld op\s+\d{1,2} [a-z]+ \d{4}", text)
    env = build_portal.make_environment(build_portal.plain_asset_url)
    home = env.get_template("index.html").render(build_portal.page_context("index.html"))
    assert '<a class="nl-link" href="/toegankelijkheid/">Toegankelijkheid</a>' in home.split("<footer", 1)[1]
