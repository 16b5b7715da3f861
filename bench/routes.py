"""Whole-request cost per route (issue 10 item 8): every DynamoDB call of one warm request,
session, event log, outbox and ledger included. `<route>_total_db_calls`, one line each."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bench import Metric
from bench.route_calls import BUDGET

ROOT = Path(__file__).resolve().parent.parent


def routes() -> Iterator[Metric]:
    done = subprocess.run([sys.executable, "-m", "bench.routes_run"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        yield Metric("routes_error", done.stderr[-2000:], ok=False)
        return
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    for name, figures in measured.items():
        yield Metric(f"{name}_total_db_calls", figures["db"], ok=figures["db"] <= BUDGET[name])
    yield Metric("enrol_total_ses_calls", measured["enrol"]["ses"])
