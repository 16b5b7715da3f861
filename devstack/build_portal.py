"""Build the static portal: Jinja2 templates from `templates/` to HTML in `build/portal/`.

Every `*.html` below `templates/` is a page, except `base.html` and anything whose name starts
with `_` (partials, macros). `privacy/index.html` is served at `/privacy/`. Assets go to
`build/portal/assets/`: everything in `portal/` as is, and ONE stylesheet for every page,
`portal.css`: the NL Design System tokens and components from node_modules cut to what the portal's
templates and scripts use (`devstack/css_cut.py`), then `site.css`, then every other `portal/*.css`.
Every asset also gets a content-named copy (`api.3f2a9c0d1e4b.js`); the pages refer only to those,
and JS modules import each other by those names too (rewritten here), so a CDN and the browser may
keep them for a year while a new build still shows at once. Each page preloads the modules its own
modules import (`<link rel="modulepreload">`), so they load in parallel. The names are listed in
`build/portal-assets.json`; the deploy (`tools/deploy.py`) and the local front server give exactly
those a year's caching. New pages, modules and stylesheets need no configuration. Files are only
rewritten when their content changed, and files that the build no longer produces are removed.

Web statistics (R_VIS_04) are off unless `LEERRIJK_MATOMO_URL` and `LEERRIJK_MATOMO_SITE_ID` are
set when the portal is built: then every page loads Matomo's tracker cookieless, and the portal's
response headers (`build/portal-headers.json`, served by the local front server and to be set by
the CDN in production) allow exactly that origin and no other.

    python -m devstack.build_portal [--stage local]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
PORTAL_SOURCES = ROOT / "portal"
OUT = ROOT / "build" / "portal"
NODE_MODULES = ROOT / "node_modules"
NLDS_TOKENS = "@rijkshuisstijl-community/design-tokens/dist/index.css"
NLDS_COMPONENTS = "@rijkshuisstijl-community/components-css/dist/index.css"
NLDS_FILES = {
    # The QR code of the second factor (R_ACC_10) is drawn in the browser: the secret never leaves it.
    "vendor/qrcode-generator.js": "qrcode-generator/dist/qrcode.mjs",
}
STYLESHEET = "portal.css"
FIRST_STYLESHEET = "site.css"
DEVSTACK_TEMPLATES = ROOT / "devstack" / "templates"
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
# Relative module specifiers: `from "./api.js"`, `import "./x.js"`, `import("./x.js")`.
_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}/[^"']+?\.m?js)\2""")
_MODULE_SCRIPT = re.compile(r'<script type="module" src="/assets/([^"]+)"')
LAYOUTS = frozenset({"base.html"})
# Text files rendered like pages, at the portal's root.
TEXT_FILES = ("robots.txt",)
PRIVACY_TEXT = TEMPLATES / "content" / "privacyverklaring.txt"
# The accessibility statement's status and known exceptions; tests/browser/conftest.py allows exactly these axe
# rules (tests/unit/test_accessibility_statement.py keeps the two equal).
ACCESSIBILITY_STATEMENT = TEMPLATES / "content" / "toegankelijkheid.json"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

AssetUrl = Callable[[str], str]

# The portal's Content-Security-Policy: only its own scripts and styles (user or supplier text can never run).
# Web statistics add their one origin to the three directives the tracker needs, and nothing else.
CSP_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'none'"), ("script-src", "'self'"), ("style-src", "'self'"), ("img-src", "'self' data:"),
    ("font-src", "'self'"), ("connect-src", "'self'"), ("form-action", "'self'"), ("base-uri", "'none'"),
    ("object-src", "'none'"), ("frame-ancestors", "'none'"),
)
STATISTICS_DIRECTIVES = frozenset({"script-src", "img-src", "connect-src"})
_SITE_ID = re.compile(r"^[0-9]{1,9}$")
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Statistics:
    """A Matomo (Piwik) instance: its base URL (ending in "/") and the portal's site id (R_VIS_04)."""

    url: str
    site_id: str

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


def statistics_from_env(env: Mapping[str, str] | None = None) -> Statistics | None:
    """None (off, the default) unless both LEERRIJK_MATOMO_URL and LEERRIJK_MATOMO_SITE_ID are set."""
    source = os.environ if env is None else env
    url = source.get("LEERRIJK_MATOMO_URL", "").strip()
    site_id = source.get("LEERRIJK_MATOMO_SITE_ID", "").strip()
    if not url and not site_id:
        return None
    if not url or not site_id:
        raise ConfigError("Webstatistieken: zet LEERRIJK_MATOMO_URL en LEERRIJK_MATOMO_SITE_ID allebei, "
                          "of geen van beide.")
    if not _SITE_ID.match(site_id):
        raise ConfigError("LEERRIJK_MATOMO_SITE_ID moet een getal zijn.")
    parts = urlsplit(url)
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS)
    if not secure or not parts.hostname or parts.query or parts.fragment or parts.username or parts.password \
            or any(ch in url for ch in " \"'<>;"):
        raise ConfigError("LEERRIJK_MATOMO_URL moet een https-adres zijn zonder query, fragment of inloggegevens, "
                          "bijvoorbeeld https://statistiek.example.nl/matomo/.")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return Statistics(f"{parts.scheme}://{parts.netloc}{path}", site_id)


def portal_csp(statistics: Statistics | None) -> str:
    directives = []
    for name, value in CSP_DIRECTIVES:
        if statistics is not None and name in STATISTICS_DIRECTIVES:
            value = f"{value} {statistics.origin}"
        directives.append(f"{name} {value}")
    return "; ".join(directives)


def portal_headers(statistics: Statistics | None) -> dict[str, str]:
    """The headers that depend on the build; the front server (and the CDN) serve the portal with them."""
    return {"Content-Security-Policy": portal_csp(statistics)}


def headers_file(out: Path) -> Path:
    """Next to the built portal, not in it: `build/portal` -> `build/portal-headers.json`."""
    return out.parent / f"{out.name}-headers.json"


def manifest_file(out: Path) -> Path:
    """`build/portal-assets.json`: every asset's plain name and its content-named copy."""
    return out.parent / f"{out.name}-assets.json"


def immutable_keys(out: Path) -> frozenset[str]:
    """The keys (`assets/api.3f2a9c0d1e4b.js`) that may be cached for a year: the content-named copies
    the build listed. The deploy and the local front server both ask this."""
    try:
        names = json.loads(manifest_file(out).read_text())
    except (OSError, ValueError):
        return frozenset()
    return frozenset(f"assets/{hashed}" for hashed in names.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bouw het Leer-Rijk portaal (statische HTML).")
    parser.add_argument("--stage", default="local", help="Chalice-stage voor de instellingen (standaard: local)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        load_stage_environment(args.stage)
        pages, changed = build(OUT, statistics_from_env())
    except (MissingDependency, ConfigError) as err:
        print(f"Portaal niet gebouwd: {err}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(f"Portaal gebouwd in {OUT.relative_to(ROOT)}/: {pages} pagina's, {changed} bestanden bijgewerkt "
          f"({elapsed:.2f} s).")
    return 0


class MissingDependency(RuntimeError):
    pass


def load_stage_environment(stage: str) -> None:
    """Use the same settings as the app: `.chalice/config.json` environment of the stage."""
    from chalice.cli.factory import CLIFactory

    config = CLIFactory(str(ROOT), environ=os.environ).create_config_obj(chalice_stage_name=stage)
    os.environ.update(config.environment_variables)


def build(out: Path, statistics: Statistics | None = None) -> tuple[int, int]:
    """Returns (pages rendered, files written or removed). Statistics are off unless given."""
    produced: set[Path] = set()
    assets = out / "assets"
    changed = _copy_assets(assets, produced)
    produced.add(assets / STYLESHEET)
    changed += _write_if_changed(assets / STYLESHEET, stylesheet().encode())
    hashed, imports, hashed_changes = _hash_assets(assets, produced)
    changed += hashed_changes
    env = make_environment(asset_url=hashed_asset_url(hashed))
    env.globals["statistics"] = statistics
    pages = list(page_templates())
    for page in pages:
        target = out / page
        produced.add(target)
        html = with_module_preloads(env.get_template(page).render(page_context(page)), hashed, imports)
        changed += _write_if_changed(target, html.encode())
    for name in TEXT_FILES:
        produced.add(out / name)
        changed += _write_if_changed(out / name, env.get_template(name).render(page_context(name)).encode())
    changed += _prune(out, produced)
    changed += _write_if_changed(headers_file(out), (json.dumps(portal_headers(statistics), indent=2) + "\n").encode())
    changed += _write_if_changed(manifest_file(out), (json.dumps(hashed, indent=2, sort_keys=True) + "\n").encode())
    return len(pages), changed


def stylesheet() -> str:
    """The one stylesheet of every page: the design system cut to what the sources use, then the portal's own."""
    from devstack import css_cut

    for package_path in (NLDS_TOKENS, NLDS_COMPONENTS):
        if not (NODE_MODULES / package_path).is_file():
            raise MissingDependency(f"node_modules/{package_path} ontbreekt. Installeer de npm-pakketten: npm ci")
    own = sorted(PORTAL_SOURCES.glob("*.css"), key=lambda path: (path.name != FIRST_STYLESHEET, path.name))
    own_css = [path.read_text(encoding="utf-8") for path in own]
    markup = [path.read_text(encoding="utf-8") for folder in (TEMPLATES, PORTAL_SOURCES, DEVSTACK_TEMPLATES)
              for path in sorted(folder.rglob("*")) if path.suffix in (".html", ".js")]
    used = css_cut.used_in(markup, own_css)
    components = css_cut.cut_components((NODE_MODULES / NLDS_COMPONENTS).read_text(encoding="utf-8"), used)
    tokens = css_cut.cut_tokens((NODE_MODULES / NLDS_TOKENS).read_text(encoding="utf-8"), [components, *own_css],
                                used)
    parts = [f"/* NL Design System (Rijkshuisstijl community), cut to what Leer-Rijk uses: {NLDS_TOKENS} */",
             tokens, f"/* {NLDS_COMPONENTS} */", components]
    for path, text in zip(own, own_css, strict=True):
        parts += [f"/* portal/{path.name} */", text]
    return "\n".join(parts) + "\n"


def with_module_preloads(html: str, hashed: Mapping[str, str], imports: Mapping[str, list[str]]) -> str:
    """A `modulepreload` link in the head for every module the page's modules import, directly or not,
    so the browser fetches them at once instead of one import level after the other."""
    plain_of = {name: plain for plain, name in hashed.items()}
    entries = [plain_of[name] for name in _MODULE_SCRIPT.findall(html) if name in plain_of]
    needed: list[str] = []
    pending = [dependency for entry in entries for dependency in imports.get(entry, [])]
    while pending:
        module = pending.pop(0)
        if module not in needed and module not in entries:
            needed.append(module)
            pending += imports.get(module, [])
    if not needed:
        return html
    links = "".join(f'  <link rel="modulepreload" href="/assets/{hashed[module]}">\n' for module in needed)
    return html.replace("</head>", links + "</head>", 1)


def page_templates() -> Iterable[str]:
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES)
        if relative.as_posix() in LAYOUTS or any(part.startswith("_") for part in relative.parts):
            continue
        yield relative.as_posix()


def page_url(page: str) -> str:
    return "/" + page.removesuffix("index.html")


def page_context(page: str) -> dict[str, Any]:
    return {"current_url": page_url(page)}


def make_environment(asset_url: AssetUrl, extra_dirs: Iterable[Path] = ()) -> Environment:
    """The portal's Jinja2 environment; `extra_dirs` are searched first (devstack pages)."""
    from chalicelib.platform.config import settings

    loaders = [FileSystemLoader(str(d)) for d in extra_dirs] + [FileSystemLoader(str(TEMPLATES))]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    from chalicelib.platform import dutchtext
    from chalicelib.privacy.register import register_page

    env.globals.update(asset=asset_url, settings=settings, privacy_statement=privacy_statement, current_url="",
                       statistics=None, privacy_register=register_page, accessibility_statement=accessibility_statement)
    env.filters["autolink"] = autolink
    env.filters["dutch_date"] = lambda iso: dutchtext.long_date(date.fromisoformat(iso))
    return env


def accessibility_statement() -> Any:
    return json.loads(ACCESSIBILITY_STATEMENT.read_text(encoding="utf-8"))


@cache
def privacy_statement() -> Any:
    from devstack.privacy_text import load

    return load(PRIVACY_TEXT)


def autolink(text: str) -> Markup:
    """Escape `text` and make every e-mail address in it a mailto link."""
    parts: list[str] = []
    position = 0
    for match in _EMAIL.finditer(text):
        address = match.group(0).rstrip(".")
        parts.append(str(escape(text[position:match.start()])))
        parts.append(f'<a class="nl-link" href="mailto:{escape(address)}">{escape(address)}</a>')
        position = match.start() + len(address)
    parts.append(str(escape(text[position:])))
    return Markup("".join(parts))


def hashed_asset_url(hashed: dict[str, str]) -> AssetUrl:
    """`/assets/<stem>.<hash><suffix>`: a CDN caches these for a year and still serves a new version
    at once, because a new content has a new name (R_OPS_01). Unknown names stay as they are."""

    def asset(name: str) -> str:
        return f"/assets/{hashed.get(name, name)}"

    return asset


def _hash_assets(assets: Path, produced: set[Path]) -> tuple[dict[str, str], dict[str, list[str]], int]:
    """A content-named copy beside every asset (the plain name stays for the local mailbox); a module's
    copy imports the content-named copies of its own imports, so its name changes with theirs.
    Returns the names, each module's imports (plain names) and the number of files written."""
    plain = sorted(p.relative_to(assets).as_posix() for p in produced
                   if p.is_file() and p.is_relative_to(assets) and not HASHED_NAME.search(p.name))
    names: dict[str, str] = {}
    imports: dict[str, list[str]] = {}
    written: list[int] = []

    def name_of(relative: str, visiting: tuple[str, ...] = ()) -> str:
        if relative in names:
            return names[relative]
        if relative in visiting:
            raise ConfigError(f"Importkringloop in de portaalmodules: {' -> '.join((*visiting, relative))}")
        source = assets / relative
        content = source.read_bytes()
        if source.suffix in (".js", ".mjs"):
            imports[relative] = _imports_of(relative, content.decode("utf-8"))
            replace = {dependency: name_of(dependency, (*visiting, relative)) for dependency in imports[relative]}
            content = _rewrite_imports(relative, content.decode("utf-8"), replace).encode("utf-8")
        digest = hashlib.sha256(content).hexdigest()[:12]
        path = Path(relative)
        names[relative] = path.with_name(f"{path.stem}.{digest}{path.suffix}").as_posix()
        target = assets / names[relative]
        produced.add(target)
        written.append(_write_if_changed(target, content))
        return names[relative]

    for relative in plain:
        name_of(relative)
    return names, imports, sum(written)


def _resolve_import(module: str, specifier: str) -> str:
    return os.path.normpath(os.path.join(os.path.dirname(module), specifier)).replace(os.sep, "/")


def _imports_of(module: str, text: str) -> list[str]:
    found = []
    for match in _IMPORT.finditer(text):
        dependency = _resolve_import(module, match.group(3))
        if dependency not in found:
            found.append(dependency)
    return found


def _rewrite_imports(module: str, text: str, replace: Mapping[str, str]) -> str:
    def rewritten(match: re.Match[str]) -> str:
        target = replace[_resolve_import(module, match.group(3))]
        relative = os.path.relpath(target, os.path.dirname(module) or ".").replace(os.sep, "/")
        specifier = relative if relative.startswith("../") else f"./{relative}"
        return f"{match.group(1)}{match.group(2)}{specifier}{match.group(2)}"

    return _IMPORT.sub(rewritten, text)


def plain_asset_url(name: str) -> str:
    return f"/assets/{name}"


def _copy_assets(assets: Path, produced: set[Path]) -> int:
    changed = 0
    for name, package_path in NLDS_FILES.items():
        source = NODE_MODULES / package_path
        if not source.is_file():
            raise MissingDependency(f"{source.relative_to(ROOT)} ontbreekt. Installeer de npm-pakketten: npm ci")
        changed += _sync(source, assets / name, produced)
    for source in sorted(p for p in PORTAL_SOURCES.rglob("*") if p.is_file()):
        changed += _sync(source, assets / source.relative_to(PORTAL_SOURCES), produced)
    return changed


def _sync(source: Path, target: Path, produced: set[Path]) -> int:
    produced.add(target)
    if target.is_file() and target.stat().st_size == source.stat().st_size \
            and target.read_bytes() == source.read_bytes():
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return 1


def _write_if_changed(target: Path, content: bytes) -> int:
    if target.is_file() and target.read_bytes() == content:
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return 1


def _prune(out: Path, produced: set[Path]) -> int:
    removed = 0
    for path in sorted(out.rglob("*"), reverse=True):
        if path.is_file() and path not in produced:
            path.unlink()
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return removed


if __name__ == "__main__":
    raise SystemExit(main())
