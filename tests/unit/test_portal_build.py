"""The portal build (issue 28, page speed): one content-named stylesheet per page, the NL Design System cut
to what the sources use, modules that import each other by content-named copies, preloads of every module
a page needs, and a manifest the deploy and the local front server read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from devstack import build_portal, css_cut

HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "portal"
    build_portal.build(out)
    return out


def _page(out: Path, page: str) -> str:
    return (out / page).read_text(encoding="utf-8")


def test_every_page_links_one_content_named_stylesheet(built: Path) -> None:
    for page in build_portal.page_templates():
        sheets = re.findall(r'<link rel="stylesheet" href="/assets/([^"]+)"', _page(built, page))
        assert len(sheets) == 1 and sheets[0].startswith("portal.") and HASHED.search(sheets[0]), (page, sheets)


def test_the_stylesheet_is_the_design_system_cut_to_the_used_components_then_the_portals_own(built: Path) -> None:
    manifest = json.loads(build_portal.manifest_file(built).read_text())
    css = (built / "assets" / manifest["portal.css"]).read_text(encoding="utf-8")
    full = (build_portal.NODE_MODULES / build_portal.NLDS_COMPONENTS).read_text(encoding="utf-8")
    assert len(css) < len(full) / 2
    assert ".utrecht-button--primary-action" in css and ".nl-heading--level-1" in css
    assert ".utrecht-accordion" in full and ".utrecht-accordion" not in css  # no page uses it
    assert "--rhc-color-lintblauw-500:" in css  # a token the portal's own CSS refers to
    assert css.index("/* portal/site.css */") < css.index("/* portal/catalogue.css */")


def test_modules_import_content_named_copies_and_pages_preload_what_their_modules_import(built: Path) -> None:
    manifest = json.loads(build_portal.manifest_file(built).read_text())
    course = (built / "assets" / manifest["course.js"]).read_text(encoding="utf-8")
    imported = re.findall(r'from "\./([^"]+)"', course)
    assert imported and all(HASHED.search(name) for name in imported)
    assert f"./{manifest['api.js']}" in course
    page = _page(built, "opleiding/index.html")
    preloaded = re.findall(r'<link rel="modulepreload" href="/assets/([^"]+)"', page)
    assert manifest["api.js"] in preloaded and manifest["enrol.js"] in preloaded
    assert manifest["course.js"] not in preloaded  # a script of the page itself needs no preload
    assert build_portal.immutable_keys(built) == {f"assets/{name}" for name in manifest.values()}


def test_a_class_named_only_in_a_built_string_keeps_the_rules_of_the_values_the_sources_name() -> None:
    used = css_cut.used_in(['el("div", { class: `utrecht-alert--${kind}` })', 'alertBox("warning")'])
    css = ".utrecht-alert--warning{color:red}.utrecht-alert--error{color:red}.unused{x:y}:root{--a:1}"
    assert css_cut.cut_components(css, used) == ".utrecht-alert--warning{color:red}:root{--a:1}"


def test_a_class_inside_not_is_not_needed_and_media_blocks_are_cut_inside() -> None:
    used = css_cut.used_in(['<button class="utrecht-button">'])
    css = ("/*! licence */.utrecht-button:not(.utrecht-button--busy){a:b}"
           "@media (min-width:1px){.utrecht-button{c:d}.other{e:f}}@media print{.other{g:h}}")
    assert css_cut.cut_components(css, used) == (
        "/*! licence */\n.utrecht-button:not(.utrecht-button--busy){a:b}@media (min-width:1px){.utrecht-button{c:d}}")


def test_tokens_keep_what_is_referred_to_directly_or_through_another_token() -> None:
    tokens = ".rhc-theme{--a:var(--b);--b:1px;--c:2px}"
    kept = css_cut.cut_tokens(tokens, [".x{margin:var(--a)}"], css_cut.used_in([]))
    assert kept == ".rhc-theme{--a:var(--b);--b:1px}"


def test_robots_txt_names_the_api_sitemap_and_keeps_personal_pages_out(built: Path) -> None:
    from chalicelib.platform.config import settings

    robots = (built / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {settings.portal_origin}/api/sitemap.xml" in robots
    assert "Allow: /api/sitemap.xml" in robots
    for private in ("/api/", "/beheer/", "/mijn-gegevens/", "/bestellingen/", "/inloggen/", "/akkoord/"):
        assert f"Disallow: {private}\n" in robots
    assert "Disallow: /opleiding/" not in robots and "Disallow: /zoeken/" not in robots
