"""Lighthouse on the local stack (issue 28): seven portal pages, one of them logged in, with Lighthouse's
mobile preset (a mid-range phone on a throttled network, simulated) in Debian's Chromium.

Prints `lighthouse_mobile_perf_min` (the lowest performance score, 0-100; aim >= 95), `lighthouse_cls_max`
(the largest cumulative layout shift; aim <= 0.05) and `lighthouse_pages` (score and CLS per page). The
local front server compresses and caches as CloudFront does, so the figures stand for production's
pages, less the network. Lighthouse is pinned in package.json (`npm ci` installs it); pages run one after
the other, as Lighthouse is heavy.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench import Metric
from bench.local_load import ROOT, _stack

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PUBLIC_PAGES = ("/", "/zoeken/", "/opleiding/?id={course}", "/privacy/", "/privacy/register/", "/toegankelijkheid/")
LOGGED_IN_PAGE = "/mijn-inschrijvingen/"
LOGGED_IN_EMAIL = "eva.devries@belastingdienst.nl"
AIM_PERF_MIN = 95
AIM_CLS_MAX = 0.05


def lighthouse() -> Iterator[Metric]:
    if not LIGHTHOUSE.exists():
        raise RuntimeError("Lighthouse ontbreekt: npm ci")
    with _stack() as (base, _log, _started):
        course = _first_course(base)
        cookie = _session_cookie(base, LOGGED_IN_EMAIL)
        pages = [(path.format(course=course), None) for path in PUBLIC_PAGES] + [(LOGGED_IN_PAGE, cookie)]
        results = {path: _audit(base + path, cookie) for path, cookie in pages}
    scores = [score for score, _cls in results.values()]
    shifts = [cls for _score, cls in results.values()]
    yield Metric("lighthouse_mobile_perf_min", min(scores), ok=min(scores) >= AIM_PERF_MIN)
    yield Metric("lighthouse_cls_max", max(shifts), ok=max(shifts) <= AIM_CLS_MAX)
    yield Metric("lighthouse_pages", {path.split("?")[0]: {"perf": score, "cls": cls}
                                      for path, (score, cls) in results.items()})


def _audit(url: str, cookie: str | None) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json",
                   f"--output-path={report}", "--quiet", f"--chrome-path={CHROMIUM}",
                   "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run"]
        if cookie:
            command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=300,
                       env={**os.environ, "CHROME_PATH": CHROMIUM})
        data = json.loads(report.read_text())
    score = round(float(data["categories"]["performance"]["score"]) * 100)
    cls = round(float(data["audits"]["cumulative-layout-shift"]["numericValue"]), 3)
    return score, cls


def _first_course(base: str) -> str:
    with urllib.request.urlopen(f"{base}/api/courses?limit=1", timeout=30) as response:
        return str(json.loads(response.read())["items"][0]["course_id"])


def _session_cookie(base: str, email: str) -> str:
    """A session through the login link in the local mailbox (R_ACC_03), as a person gets one."""
    headers = {"Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": base}
    _post(f"{base}/api/auth/login", {"email": email}, headers)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{base}/_dev/mail.json", timeout=30) as response:
            found = [re.search(r"#token=([\w-]+)", m["body"]) for m in json.loads(response.read())
                     if email in m["destinations"]]
        if found and found[0]:
            return _post(f"{base}/api/auth/verify", {"token": found[0].group(1)}, headers).split(";", 1)[0]
        time.sleep(0.2)
    raise RuntimeError(f"no login link for {email}")


def _post(url: str, body: dict[str, str], headers: dict[str, str]) -> str:
    """POST as the portal does; returns the Set-Cookie header ("" without one)."""
    request = urllib.request.Request(url, method="POST", data=json.dumps(body).encode(), headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(response.headers.get("Set-Cookie") or "")
