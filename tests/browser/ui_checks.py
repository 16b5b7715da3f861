"""Layout and message checks that axe cannot make (R_UI_01-03), for any page state a browser test reaches.

`page_problems(tab)` looks at the page as it is now; `assert_sound(tab, state)` looks at it at 320, 390
and 1280 px (and runs axe once): no horizontal overflow, no raw `null`/`undefined` on the page, every
message's parts stacked (no heading broken one word per line), every field error linked to its field
from the error summary, success and error never together. `snapshot(tab, name)` writes the gallery
pictures (docs/gallery/<name>-telefoon.png and -bureau.png).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.conftest import Tab, axe_violations
from tests.conftest import ROOT

WIDTHS = (320, 390, 1280)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
GALLERY = ROOT / "docs" / "gallery"
GALLERY_MAX_HEIGHT = 1200  # px of a page in the gallery: enough to see it, small enough to keep the PNGs modest
GALLERY_DESKTOP_SCALE = 0.6

# One function, evaluated in the page: a list of problems (empty when the page is sound).
_PROBLEMS_JS = (Path(__file__).parent / "ui_checks.js").read_text()


def page_problems(tab: Tab) -> list[str]:
    """What is wrong with the page as it is now (R_UI_01-03), console reports of raw values included."""
    problems: list[str] = list(tab.page.evaluate(_PROBLEMS_JS))
    problems += [error for error in tab.errors if "null of undefined" in error]
    return problems


def _settle(page: Any) -> None:
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def problems_at_widths(tab: Tab, widths: tuple[int, ...] = WIDTHS) -> list[str]:
    page = tab.page
    original = page.viewport_size or DESKTOP
    found: list[str] = []
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": original["height"]})
            _settle(page)
            found += [f"{width}px: {problem}" for problem in page_problems(tab)]
    finally:
        page.set_viewport_size(original)
        _settle(page)
    return found


def assert_sound(tab: Tab, state: str, *, axe: bool = True) -> None:
    """R_UI_01-03 at 320, 390 and 1280 px, plus axe (WCAG 2.1 AA) at the current width."""
    problems = problems_at_widths(tab)
    if axe:
        problems += [f"axe: {violation}" for violation in axe_violations(tab.page)]
    assert problems == [], f"{state}: {problems}"


def snapshot(tab: Tab, name: str) -> list[Path]:
    """The page (as loaded at its current address, with the tab's cookies) into the gallery: the phone
    picture at full scale, the desktop one at GALLERY_DESKTOP_SCALE; at most GALLERY_MAX_HEIGHT px high."""
    source = tab.page
    state = source.context.storage_state()
    GALLERY.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, size, scale in (("telefoon", PHONE, 1.0), ("bureau", DESKTOP, GALLERY_DESKTOP_SCALE)):
        context = source.context.browser.new_context(storage_state=state, viewport=size, device_scale_factor=scale,
                                                     locale="nl-NL")
        try:
            page = context.new_page()
            page.goto(source.url, wait_until="networkidle")
            _settle(page)
            height = min(int(page.evaluate("document.scrollingElement.scrollHeight")), GALLERY_MAX_HEIGHT)
            target = GALLERY / f"{name}-{suffix}.png"
            page.screenshot(path=str(target), full_page=True, animations="disabled", caret="hide",
                            clip={"x": 0, "y": 0, "width": size["width"], "height": height})
            written.append(target)
        finally:
            context.close()
    return written


def write_gallery_index() -> Path:
    """docs/gallery/README.md: every picture, phone beside desktop, grouped by who looks."""
    roles = {"bezoeker": "Bezoeker (niet ingelogd)", "deelnemer": "Deelnemer (ingelogd)",
             "cfb": "Centraal Functioneel Beheer"}
    lines = ["# Leer-Rijk portal gallery", "",
             "Every page at phone (390 px) and desktop (1280 px, shown at "
             f"{GALLERY_DESKTOP_SCALE:.0%}) width, the top {GALLERY_MAX_HEIGHT} px of each, as the role that uses it "
             "sees it. Written by the browser tests (tests/browser/test_ui_pages.py, "
             "R_UI_01); do not edit by hand.", ""]
    names = sorted({path.name.rsplit("-", 1)[0] for path in GALLERY.glob("*.png")})
    for role, title in roles.items():
        mine = [name for name in names if name.startswith(f"{role}-")]
        if not mine:
            continue
        lines += [f"## {title}", "", "| Page | Phone | Desktop |", "| --- | --- | --- |"]
        for name in mine:
            page = name.removeprefix(f"{role}-")
            lines.append(f"| {page} | ![{page} on a phone]({name}-telefoon.png) "
                         f"| ![{page} on a desktop]({name}-bureau.png) |")
        lines.append("")
    target = GALLERY / "README.md"
    target.write_text("\n".join(lines))
    return target
