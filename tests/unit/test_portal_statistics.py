"""Web statistics (R_VIS_04): off by default; when configured at build time, cookieless Matomo with nothing
personal in what it is sent, and a portal CSP that allows exactly that one origin."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from devstack.build_portal import (
    ROOT,
    ConfigError,
    Statistics,
    build,
    headers_file,
    portal_csp,
    statistics_from_env,
)

MATOMO = {"LEERRIJK_MATOMO_URL": "https://statistiek.example.nl/matomo", "LEERRIJK_MATOMO_SITE_ID": "7"}
SCRIPT = ROOT / "portal" / "statistics.js"


def _csp_sources(csp: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in csp.split("; ")}


def _hosts(csp: str) -> set[str]:
    return {source for sources in _csp_sources(csp).values() for source in sources if "://" in source}


def _pages(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text() for p in out.rglob("*.html") if "assets" not in p.parts}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The portal built twice: without settings and with a Matomo instance."""
    plain, tracked = tmp_path_factory.mktemp("plain") / "portal", tmp_path_factory.mktemp("tracked") / "portal"
    build(plain, statistics_from_env({}))
    build(tracked, statistics_from_env(MATOMO))
    return {"plain": plain, "tracked": tracked}


def test_R_VIS_04_statistics_are_off_by_default(built: dict[str, Path]) -> None:
    pages = _pages(built["plain"])
    assert "contact/index.html" in pages and "index.html" in pages
    assert not [name for name, html in pages.items() if "lr-statistics" in html or "statistics.js" in html]
    csp = json.loads(headers_file(built["plain"]).read_text())["Content-Security-Policy"]
    assert csp == portal_csp(None)
    assert _hosts(csp) == set()  # 'self', data: and 'none' only: no extra origin
    assert "matomo" not in csp


def test_R_VIS_04_with_settings_every_page_loads_the_cookieless_tracker(built: dict[str, Path]) -> None:
    pages = _pages(built["tracked"])
    for name, html in pages.items():
        meta = re.search(r'<meta name="lr-statistics" data-url="([^"]+)" data-site-id="([^"]+)" data-title="([^"]+)">',
                         html)
        assert meta, name
        assert meta.group(1) == "https://statistiek.example.nl/matomo/" and meta.group(2) == "7"
        assert re.search(r"/assets/statistics\.[0-9a-f]{12}\.js", html)
    assert 'data-title="Contact | Leer-Rijk"' in pages["contact/index.html"]
    script = (built["tracked"] / "assets" / "statistics.js").read_text()
    assert script == SCRIPT.read_text()
    assert '["disableCookies"]' in script
    assert "setUserId" not in script and "enableLinkTracking" not in script and "document.cookie" not in script
    # the tracked URL is origin + path only: no query string (?id=), no fragment (#token); no referrer
    assert '["setCustomUrl", page.origin + page.pathname]' in script and '["setReferrerUrl", ""]' in script
    assert '["setDocumentTitle", config.dataset.title]' in script


def test_R_VIS_04_the_csp_names_exactly_the_statistics_origin(built: dict[str, Path]) -> None:
    csp = json.loads(headers_file(built["tracked"]).read_text())["Content-Security-Policy"]
    sources = _csp_sources(csp)
    assert _hosts(csp) == {"https://statistiek.example.nl"}
    for directive in ("script-src", "img-src", "connect-src"):
        assert sources[directive][-1] == "https://statistiek.example.nl", directive
    for directive in ("default-src", "style-src", "font-src", "form-action", "base-uri", "object-src",
                      "frame-ancestors"):
        assert "https://statistiek.example.nl" not in sources[directive]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp


@pytest.mark.parametrize("env", [
    {"LEERRIJK_MATOMO_URL": "https://statistiek.example.nl/"},
    {"LEERRIJK_MATOMO_SITE_ID": "7"},
    {"LEERRIJK_MATOMO_URL": "http://statistiek.example.nl/", "LEERRIJK_MATOMO_SITE_ID": "7"},
    {"LEERRIJK_MATOMO_URL": "https://statistiek.example.nl/?uid=1", "LEERRIJK_MATOMO_SITE_ID": "7"},
    {"LEERRIJK_MATOMO_URL": "https://u:p@statistiek.example.nl/", "LEERRIJK_MATOMO_SITE_ID": "7"},
    {"LEERRIJK_MATOMO_URL": "https://statistiek.example.nl/ 'unsafe-inline'", "LEERRIJK_MATOMO_SITE_ID": "7"},
    {"LEERRIJK_MATOMO_URL": "https://statistiek.example.nl/", "LEERRIJK_MATOMO_SITE_ID": "7; script-src *"},
])
def test_R_VIS_04_a_half_or_unsafe_statistics_setting_stops_the_build(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        statistics_from_env(env)


def test_R_VIS_04_settings_are_normalised() -> None:
    assert statistics_from_env({}) is None
    assert statistics_from_env({"LEERRIJK_MATOMO_URL": " ", "LEERRIJK_MATOMO_SITE_ID": ""}) is None
    stats = statistics_from_env(MATOMO)
    assert stats == Statistics("https://statistiek.example.nl/matomo/", "7")
    assert stats is not None and stats.origin == "https://statistiek.example.nl"
