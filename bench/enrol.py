"""DynamoDB calls of one portal enrolment (issue 5): aim one read and one transaction.

Business calls are the enrolment's own; session, log and after-commit outbox calls are reported
separately. Counted, not timed: moto's seconds say nothing about DynamoDB's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bench import Metric

ROOT = Path(__file__).resolve().parent.parent


def enrol() -> Iterator[Metric]:
    done = subprocess.run([sys.executable, "-m", "bench.enrol_run"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        yield Metric("enrol_error", done.stderr[-2000:], ok=False)
        return
    warm = json.loads(done.stdout.strip().splitlines()[-1])["warm"]
    yield Metric("enrol_db_calls", warm.get("business", 0), ok=warm.get("scan", 0) == 0)
    yield Metric("enrol_auth_db_calls", warm.get("auth", 0))
    yield Metric("enrol_log_db_calls", warm.get("log", 0))
    yield Metric("enrol_outbox_db_calls", warm.get("outbox", 0))
    yield Metric("enrol_ses_calls", warm.get("ses", 0))
