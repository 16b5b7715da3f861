"""Login timing for known and unknown addresses (issue 9 item 8, R_ACC_03): aim 1.00 ± 0.05."""

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
    done = subprocess.run([sys.executable, "-m", "bench.login_run"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        yield Metric("login_error", done.stderr[-2000:], ok=False)
        return
    result = json.loads(done.stdout.strip().splitlines()[-1])
    yield Metric("login_known_over_unknown_p50_ratio", result["ratio"], ok=abs(result["ratio"] - 1) <= TOLERANCE)
    yield Metric("login_known_p50_ms", result["known_p50_ms"])
    yield Metric("login_unknown_p50_ms", result["unknown_p50_ms"])
