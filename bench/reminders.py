"""The reminders job reads what is due, not what exists (R_CAL_03, issue 25): items read with ten times as
many unrelated executions and enrolments in the tables, over items read without them (aim ≤ 1.05), and
the job's DynamoDB calls per reminder sent. Counted, not timed."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bench import Metric

ROOT = Path(__file__).resolve().parent.parent
AIM = 1.05


def reminders() -> Iterator[Metric]:
    done = subprocess.run([sys.executable, "-m", "bench.reminders_run"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        yield Metric("reminders_error", done.stderr[-2000:], ok=False)
        return
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    alone, crowded = measured["alone"], measured["crowded"]
    ratio = round(crowded["items"] / max(alone["items"], 1), 3)
    yield Metric("reminders_job_items_read_ratio_10x", ratio,
                 ok=ratio <= AIM and alone["sent"] == crowded["sent"] == crowded["due"])
    yield Metric("reminders_job_items_read", {"alone": alone["items"], "with_10x_unrelated": crowded["items"],
                                              "reminders_due": crowded["due"], "sent": crowded["sent"]})
    yield Metric("reminders_job_db_calls_per_reminder", round(crowded["calls"] / max(crowded["sent"], 1), 2))
