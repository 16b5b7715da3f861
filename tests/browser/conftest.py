"""Browser and HTTP end-to-end tests against the real local stack.

The stack runs as a subprocess (`python -m devstack`), never in the pytest process: `mock_aws`
in other tests would wipe an in-process moto server. The portal is rebuilt first, so the tests
see the current templates. Nothing here skips: a missing browser or npm package fails the run.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe rules a browser test may let pass: each one is a known exception the accessibility statement
# (/toegankelijkheid/, templates/content/toegankelijkheid.json) must list; a unit test keeps the two equal.
AXE_KNOWN_EXCEPTIONS: frozenset[str] = frozenset()
STARTUP_SECONDS = 60


@dataclass
class Stack:
    base_url: str
    log: Path


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    set_cookies: list[str] = field(default_factory=list)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Tab:
    """A browser page and the console errors and uncaught exceptions it has seen."""

    page: Any
    errors: list[str] = field(default_factory=list)


def http(method: str, url: str, headers: dict[str, str] | None = None, body: bytes | None = None) -> Answer:
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=body)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, dict(response.headers.items()), response.read(),
                          response.headers.get_all("Set-Cookie") or [])
    except urllib.error.HTTPError as err:
        return Answer(err.code, dict(err.headers.items()), err.read(), err.headers.get_all("Set-Cookie") or [])


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    _build_portal()
    port = _free_port()
    log = tmp_path_factory.mktemp("devstack") / "devstack.log"
    env = {**os.environ, "PORT": str(port), "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        # A file, not a pipe: an unread pipe fills up and blocks the stack.
        process = subprocess.Popen(
            [sys.executable, "-m", "devstack"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(process, base_url, log)
        yield Stack(base_url, log)
    finally:
        _stop_group(process)


@pytest.fixture(autouse=True)
def _app_clock_runs_again(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that moved the stack's clock (`/_dev/clock`) must not leave it moved for the next one:
    a second factor entered with the real time would no longer match the app's clock."""
    yield
    if "stack" in request.fixturenames:
        stack = request.getfixturevalue("stack")
        http("POST", f"{stack.base_url}/_dev/clock", {"Content-Type": "application/json"}, b'{"at": null}')


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} ontbreekt. Installeer: apt-get update && apt-get install -y chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_tab(browser: Any, **options: Any) -> Tab:
    """A fresh browser context at desktop size with axe loaded and console errors collected in `errors`;
    the caller closes `tab.page.context`."""
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} ontbreekt. Installeer de npm-pakketten: npm ci")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL", **options)
    opened = context.new_page()
    # An init script is not subject to the page's CSP, which (rightly) forbids injected inline scripts.
    opened.add_init_script(path=str(AXE))
    watched = Tab(opened)
    opened.on("console", lambda message: watched.errors.append(message.text) if message.type == "error" else None)
    opened.on("pageerror", lambda error: watched.errors.append(f"uncaught: {error}"))
    return watched


@pytest.fixture
def tab(browser: Any, stack: Stack) -> Iterator[Tab]:
    watched = open_tab(browser)
    yield watched
    watched.page.context.close()


def axe_violations(page: Any) -> list[str]:
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[node['target'] for node in v['nodes']]}"
        for v in result["violations"] if v["id"] not in AXE_KNOWN_EXCEPTIONS
    ]


def _build_portal() -> None:
    done = subprocess.run([sys.executable, "-m", "devstack.build_portal"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"Portal build failed:\n{done.stdout}\n{done.stderr}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The local stack exited with {process.returncode}:\n{log.read_text()}")
        try:
            if http("GET", f"{base_url}/api/health").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"The local stack was not healthy within {STARTUP_SECONDS} s:\n{log.read_text()}")


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C first (the stack shuts down cleanly), then kill whatever is left of its group."""
    _signal_group(process.pid, signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    _signal_group(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group is already empty
        os.killpg(pgid, sig)


@pytest.fixture(scope="session")
def cfb(browser: Any, stack: Stack) -> Iterator[Any]:
    """CFB logged in once per run, with the second factor (see test_admin_pages.cfb_session)."""
    from tests.browser.test_admin_pages import cfb_session

    yield from cfb_session(browser, stack)


@pytest.fixture(autouse=True)
def _cfb_ready(request: pytest.FixtureRequest) -> None:
    """The shared CFB session as each test expects it: logged in again when an earlier test's clock move let it
    expire, and its console errors the test's own (what an earlier test provoked on purpose is not this one's)."""
    if "cfb" in request.fixturenames:
        session = request.getfixturevalue("cfb")
        if not session.alive(request.getfixturevalue("stack")):
            session.log_in_again(request.getfixturevalue("stack"))
        session.tab.errors.clear()
