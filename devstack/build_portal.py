"""Build the static portal: Jinja2 templates from `templates/` to HTML in `build/portal/`.

Every `*.html` below `templates/` is a page, except `base.html` and anything whose name starts
with `_` (partials, macros). `privacy/index.html` is served at `/privacy/`. Assets go to
`build/portal/assets/`: the NL Design System CSS from node_modules under `nlds/`, and everything
in `portal/` as is. Files are only rewritten when their content changed, and files that the
build no longer produces are removed.

    python -m devstack.build_portal [--stage local]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
PORTAL_SOURCES = ROOT / "portal"
OUT = ROOT / "build" / "portal"
NODE_MODULES = ROOT / "node_modules"
NLDS_FILES = {
    "nlds/design-tokens.css": "@rijkshuisstijl-community/design-tokens/dist/index.css",
    "nlds/components.css": "@rijkshuisstijl-community/components-css/dist/index.css",
    # The QR code of the second factor (R_ACC_10) is drawn in the browser: the secret never leaves it.
    "vendor/qrcode-generator.js": "qrcode-generator/dist/qrcode.mjs",
}
LAYOUTS = frozenset({"base.html"})
PRIVACY_TEXT = TEMPLATES / "content" / "privacyverklaring.txt"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

AssetUrl = Callable[[str], str]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bouw het Leer-Rijk portaal (statische HTML).")
    parser.add_argument("--stage", default="local", help="Chalice-stage voor de instellingen (standaard: local)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        load_stage_environment(args.stage)
        pages, changed = build(OUT)
    except MissingDependency as err:
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


def build(out: Path) -> tuple[int, int]:
    """Returns (pages rendered, files written or removed)."""
    produced: set[Path] = set()
    changed = _copy_assets(out / "assets", produced)
    hashed, hashed_changes = _hash_assets(out / "assets", produced)
    changed += hashed_changes
    env = make_environment(asset_url=hashed_asset_url(hashed))
    pages = list(page_templates())
    for page in pages:
        target = out / page
        produced.add(target)
        changed += _write_if_changed(target, env.get_template(page).render(page_context(page)).encode())
    changed += _prune(out, produced)
    return len(pages), changed


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
    from chalicelib.privacy.register import register_page

    env.globals.update(asset=asset_url, settings=settings, privacy_statement=privacy_statement, current_url="",
                       privacy_register=register_page)
    env.filters["autolink"] = autolink
    return env


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


def _hash_assets(assets: Path, produced: set[Path]) -> tuple[dict[str, str], int]:
    """A content-named copy beside every asset; the plain name stays for relative references."""
    names: dict[str, str] = {}
    changed = 0
    for path in sorted(p for p in assets.rglob("*") if p.is_file() and p in produced):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        relative = path.relative_to(assets)
        hashed = relative.with_name(f"{relative.stem}.{digest}{relative.suffix}")
        names[relative.as_posix()] = hashed.as_posix()
        changed += _sync(path, assets / hashed, produced)
    return names, changed


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
