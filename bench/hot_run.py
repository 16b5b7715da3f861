"""A popular course opens (issue 23 item 4): 1,000 enrolments within a minute for a run of 20 seats, through
the app on moto with the local stack's serialising lock and emulated transaction conflicts
(bench/hot_run_run.py). Every seat is filled exactly once, the rest refused, no 5xx; reported with the
conflict retries per enrolment."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bench import Metric

ROOT = Path(__file__).resolve().parent.parent


def hot_run() -> Iterator[Metric]:
    done = subprocess.run([sys.executable, "-m", "bench.hot_run_run"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        yield Metric("hot_run_error", done.stderr[-2000:], ok=False)
        return
    found = json.loads(done.stdout.strip().splitlines()[-1])
    seats = found["seats"]
    exactly_once = found["created"] == found["seats_taken"] == found["approved_enrolments"] == seats
    refused = sum(n for code, n in found["refusals"].items() if code in ("409 full", "409 busy"))
    yield Metric("hot_run_seats_filled_exactly_once", exactly_once, ok=exactly_once)
    yield Metric("hot_run_refused", refused, ok=refused == found["attempts"] - seats)
    yield Metric("hot_run_server_errors", found["server_errors"], ok=found["server_errors"] == 0)
    yield Metric("hot_run_conflict_retries_per_enrolment", round(found["conflict_retries"] / found["attempts"], 3))
    detail = ("refusals", "emulated_conflicts", "conflicts_on", "retries_by", "hold_seconds", "elapsed_seconds",
              "p50_ms")
    yield Metric("hot_run_detail", {k: found[k] for k in detail})
