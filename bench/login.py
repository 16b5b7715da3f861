"""Login and sign-up timing for known and unknown addresses (issue 9 item 8, issue 22 item 15, R_ACC_03):
aim 1.00 ± 0.05 for each."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bench import Metric

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE = 0.05


def login_timing() -> Iterator[Metric]:
    yield from _timing("login")


def signup_timing() -> Iterator[Metric]:
    yield from _timing("signup")


def _timing(route: str) -> Iterator[Metric]:
    done = subprocess.run([sys.executable, "-m", "bench.login_run", route], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        yield Metric(f"{route}_error", done.stderr[-2000:], ok=False)
        return
    result = json.loads(done.stdout.strip().splitlines()[-1])
    yield Metric(f"{route}_known_over_unknown_p50_ratio", result["ratio"], ok=abs(result["ratio"] - 1) <= TOLERANCE)
    yield Metric(f"{route}_known_p50_ms", result["known_p50_ms"])
    yield Metric(f"{route}_unknown_p50_ms", result["unknown_p50_ms"])
