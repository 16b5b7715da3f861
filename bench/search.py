"""Catalogue search at 1,000 and 10,000 courses (issues 3 and 27, performance-targets T3 and T6).

The worker seeds both sizes on moto in a fresh process and times a fixed query mix through
`chalice.test.Client`. Times are reported as a ratio of the two sizes measured in the same run;
DynamoDB work is reported as calls, split into business, auth and log calls. The in-memory search
is also timed on its own, class by class, against tantivy (bench/search_tantivy.py) on the same
catalogue in the same process: `search_p50_over_tantivy_by_class` and its maximum.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench import Metric

ROOT = Path(__file__).resolve().parent.parent
RATIO_AIM = 2.0
TANTIVY_AIM = 2.0


def search() -> Iterator[Metric]:
    done = subprocess.run([sys.executable, "-m", "bench.search_run"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        yield Metric("search_error", done.stderr[-2000:], ok=False)
        return
    small, large = (json.loads(done.stdout.strip().splitlines()[-1])[size] for size in ("1000", "10000"))
    ratios = {name: round(large["p50_ms"][name] / small["p50_ms"][name], 2) for name in large["p50_ms"]}
    multi = ratios.pop("multi_word")
    yield Metric("search_p50_ms", {name: round(ms, 2) for name, ms in large["p50_ms"].items()})
    yield Metric("search_p50_ms_1k", {name: round(ms, 2) for name, ms in small["p50_ms"].items()})
    yield Metric("search_p50_ratio_10k_over_1k", max(ratios.values()), ok=max(ratios.values()) <= RATIO_AIM)
    yield Metric("search_p50_ratio_by_query", ratios)
    yield Metric("search_p50_ratio_multi_word", multi, ok=multi <= RATIO_AIM)
    yield from _engines(small, large)
    warm = large["warm_calls"]
    yield Metric("search_db_calls_per_request", warm.get("business", 0),
                 ok=warm.get("business", 0) <= 1 and warm.get("scan", 0) == 0)
    yield Metric("auth_db_calls", warm.get("auth", 0))
    yield Metric("log_db_calls", large["logged_calls"].get("log", 0))
    yield Metric("search_index_build_ms", round(large["build_ms"], 1))
    yield Metric("search_cold_load_ms", round(large["cold_ms"], 1))
    yield Metric("search_cold_load_db_calls", large["cold_calls"])


def _engines(small: dict[str, Any], large: dict[str, Any]) -> Iterator[Metric]:
    """The in-memory search against tantivy on the same catalogue, each class timed alternately."""
    over = {name: round(large["engine_p50_ms"][name] / large["tantivy_p50_ms"][name], 2)
            for name in large["engine_p50_ms"]}
    yield Metric("search_engine_p50_ms", {name: round(ms, 3) for name, ms in large["engine_p50_ms"].items()})
    yield Metric("search_engine_p50_ms_1k", {name: round(ms, 3) for name, ms in small["engine_p50_ms"].items()})
    yield Metric("tantivy_p50_ms", {name: round(ms, 3) for name, ms in large["tantivy_p50_ms"].items()})
    yield Metric("search_p50_over_tantivy_by_class", over)
    yield Metric("search_p50_over_tantivy_max", max(over.values()), ok=max(over.values()) <= TANTIVY_AIM)
    yield Metric("search_first_p50_ms", {name: round(ms, 3) for name, ms in large["first_p50_ms"].items()})
    yield Metric("search_first_p50_over_tantivy_by_class", {
        name: round(large["first_p50_ms"][name] / large["tantivy_p50_ms"][name], 2) for name in large["first_p50_ms"]})
    yield Metric("search_engine_p50_ratio_10k_over_1k", {
        name: round(large["engine_p50_ms"][name] / small["engine_p50_ms"][name], 2)
        for name in large["engine_p50_ms"]})
