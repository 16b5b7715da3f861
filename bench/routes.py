"""Whole-request cost per route (issue 10 item 8, issue 23 item 3): every DynamoDB call of one warm request,
session, event log, outbox and ledger included. `<scenario>_total_db_calls`, one line each, for every route of
the app; `routes_unmeasured` lists a route no scenario reaches (and fails the run)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bench import Metric
from bench.route_calls import BUDGET
from bench.route_walk import BUDGET as WALK_BUDGET

ROOT = Path(__file__).resolve().parent.parent


def routes() -> Iterator[Metric]:
    done = subprocess.run([sys.executable, "-m", "bench.routes_run"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        yield Metric("routes_error", done.stderr[-2000:], ok=False)
        return
    found = json.loads(done.stdout.strip().splitlines()[-1])
    measured, budgets = found["measured"], BUDGET | WALK_BUDGET
    for name, figures in measured.items():
        yield Metric(f"{name}_total_db_calls", figures["db"], ok=figures["db"] <= budgets.get(name, figures["db"]))
    yield Metric("enrol_total_ses_calls", measured["enrol"]["ses"])
    made = sum(figures["clients"] for figures in measured.values())
    yield Metric("warm_request_aws_clients_made", made, ok=made == 0)
    yield Metric("routes_unmeasured", found["unmeasured"], ok=not found["unmeasured"])
