"""The local stack under load (R_SEC_05; issue "Faults" item 5, issue 23 item 5): 10 and then 30 concurrent
clients for a bounded number of requests each, against a stack started in a subprocess on loopback.

Prints `local_load_enrol_p50_over_health_10` and `..._30` (median LMS enrolment over median health check
at that many clients, measured in the same run so machine speed cancels; aim: the 30-client figure at most
twice the 10-client one), the throughput of each, `local_load_errors` (answers that were neither 201 nor
409 "full", plus connection failures; aim 0), the start time of the stack and the load average it ran at.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from bench import Metric

ROOT = Path(__file__).resolve().parent.parent
CLIENT_COUNTS = (10, 30)
REQUESTS = 200  # of each kind, at each client count
SEATS = 50  # per client count's own run: 50 enrolments, then 150 answers "full", as before
STARTUP_SECONDS = 120


def local_load() -> Iterator[Metric]:
    ratios: dict[int, float | None] = {}
    errors = 0
    with _stack() as (base, log, started_in):
        yield Metric("local_stack_start_seconds", round(started_in, 1))
        lms_key = _key(log, "LMS van")
        supplier_key = _key(log, "(e-mail)")
        course_id = _course(base, supplier_key)
        for clients in CLIENT_COUNTS:
            health = _load(clients, lambda n: _timed("GET", f"{base}/api/health"))
            started = time.perf_counter()
            enrol = _load(clients, lambda n, c=clients: _timed(
                "POST", f"{base}/api/lms/enrolments", _lms_headers(lms_key),
                _form(course_id, f"load-{c}", c * 10_000 + n)))
            per_second = len(enrol) / (time.perf_counter() - started)
            ok_health = [t for status, t in health if status == 200]
            ok_enrol = [t for status, t in enrol if status in (201, 409)]
            errors += (len(health) - len(ok_health)) + (len(enrol) - len(ok_enrol))
            ratios[clients] = (round(statistics.median(ok_enrol) / statistics.median(ok_health), 2)
                               if ok_enrol and ok_health else None)
            yield Metric(f"local_load_enrol_p50_over_health_{clients}", ratios[clients])
            yield Metric(f"local_load_enrol_per_second_{clients}", round(per_second, 1))
    low, high = ratios.get(CLIENT_COUNTS[0]), ratios.get(CLIENT_COUNTS[-1])
    yield Metric("local_load_30_over_10", round(high / low, 2) if low and high else None,
                 ok=bool(low and high and high <= 2 * low))
    yield Metric("local_load_errors", errors, ok=errors == 0)
    yield Metric("local_load_load_average", [round(x, 1) for x in os.getloadavg()])


def _load(clients: int, request: object) -> list[tuple[int, float]]:
    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(request, range(REQUESTS)))  # type: ignore[arg-type]


def _timed(method: str, url: str, headers: dict[str, str] | None = None, body: bytes | None = None
           ) -> tuple[int, float]:
    started = time.perf_counter()
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=body)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        status = err.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def _lms_headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", "Content-Type": "application/json",
            "Idempotency-Key": uuid.uuid4().hex}


def _form(course_id: str, execution_id: str, number: int) -> bytes:
    return json.dumps({
        "course_id": course_id, "execution_id": execution_id, "first_name": "Belasting", "last_name": f"Test{number}",
        "email": f"last{number}@belastingdienst.nl", "phone": "+31 70 123 4567", "gender": "man",
        "consent_at": "2026-11-20T10:00:00Z", "consent_version": "2026-11",
    }).encode()


def _course(base: str, supplier_key: str) -> str:
    from devstack.edudex_builder import Run, program
    from devstack.seed import SUPPLIER_INTERN_MAIL

    start = date.today() + timedelta(days=60)
    document = program(SUPPLIER_INTERN_MAIL, "LOAD-1", "Belastingtest", "Samenvatting.", "Omschrijving.",
                       runs=[Run(f"load-{n}", start, start + timedelta(days=1), city="Utrecht", seats=SEATS)
                             for n in CLIENT_COUNTS], theme="T7")
    request = urllib.request.Request(
        f"{base}/api/supplier/programs/LOAD-1", method="PUT", data=json.dumps(document).encode(),
        headers={"Authorization": f"Bearer {supplier_key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return str(json.loads(response.read())["course_id"])


def _key(log: Path, who: str) -> str:
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("  ") and who in line and ": k" in line:
            return line.rsplit(": ", 1)[1].strip()
    raise RuntimeError(f"no API key for {who!r} in the stack output")


@contextlib.contextmanager
def _stack() -> Iterator[tuple[str, Path, float]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = Path(tempfile.mkdtemp()) / "devstack.log"
    env = {**os.environ, "PORT": str(port), "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "devstack"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base, process, log)
        reported = re.search(r"klaar in ([\d.]+) s", log.read_text(errors="replace"))
        yield base, log, float(reported.group(1)) if reported else time.perf_counter() - started
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def _wait(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the stack exited:\n{log.read_text()}")
        if "klaar in" in log.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise RuntimeError("the stack did not start in time")
