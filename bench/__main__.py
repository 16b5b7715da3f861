"""Run every measurement: `python -m bench` (`make bench`). One JSON object per line.

Add a measurement by writing a module whose functions yield `bench.Metric`s and listing those
functions in SOURCES (e.g. search and enrolment DynamoDB calls per request, T3-T6).
"""

from __future__ import annotations

import json
import os
import sys

from bench import (
    Metric,
    MetricSource,
    anonymise,
    cold_import,
    directory,
    enrol,
    hot_run,
    lighthouse,
    local_load,
    login,
    orders,
    relevance,
    reminders,
    routes,
    search,
    search_base,
)

SOURCES: list[MetricSource] = [
    cold_import.cold_import,
    cold_import.heavy_modules,
    cold_import.import_breakdown,
    search.search,
    search_base.search_base,
    relevance.relevance,
    enrol.enrol,
    routes.routes,
    orders.orders,
    reminders.reminders,
    login.login_timing,
    login.signup_timing,
    anonymise.anonymise,
    hot_run.hot_run,
    directory.directory,
    local_load.local_load,
    lighthouse.lighthouse,
]


def main(argv: list[str] | None = None) -> int:
    """`python -m bench` runs every source; `python -m bench search relevance` only those modules."""
    os.environ.setdefault("LEERRIJK_STAGE", "local")  # measured on moto: the local stack's stage, said explicitly
    chosen = sys.argv[1:] if argv is None else argv
    failed: list[Metric] = []
    for source in SOURCES:
        if chosen and source.__module__.rsplit(".", 1)[-1] not in chosen:
            continue
        for metric in source():
            print(json.dumps({"name": metric.name, "value": metric.value}, ensure_ascii=False), flush=True)
            if not metric.ok:
                failed.append(metric)
    for metric in failed:
        print(f"bench: {metric.name} is not acceptable: {metric.value}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
