"""The order-list job reads what is due, not what exists (issue 11): items read with ten times as
many unrelated executions and enrolments in the tables, over items read without them (aim ≤ 1.05),
and the job's DynamoDB calls per due enrolment. Counted, not timed."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bench import Metric

ROOT = Path(__file__).resolve().parent.parent
AIM = 1.05


def orders() -> Iterator[Metric]:
    done = subprocess.run([sys.executable, "-m", "bench.orders_run"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        yield Metric("orders_error", done.stderr[-2000:], ok=False)
        return
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    alone, crowded = measured["alone"], measured["crowded"]
    ratio = round(crowded["items"] / max(alone["items"], 1), 3)
    yield Metric("orders_job_items_read_ratio_10x", ratio, ok=ratio <= AIM and alone["lines"] == crowded["lines"])
    yield Metric("orders_job_items_read", {"alone": alone["items"], "with_10x_unrelated": crowded["items"],
                                           "due_enrolments": crowded["due"], "lines": crowded["lines"]})
    yield Metric("orders_job_db_calls_per_due_enrolment", round(crowded["calls"] / max(crowded["due"], 1), 2))
