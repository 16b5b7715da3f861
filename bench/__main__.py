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
    local_load,
    login,
    orders,
    relevance,
    routes,
    search,
)

SOURCES: list[MetricSource] = [
    cold_import.cold_import,
    cold_import.heavy_modules,
    cold_import.import_breakdown,
    search.search,
    relevance.relevance,
    enrol.enrol,
    routes.routes,
    orders.orders,
    login.login_timing,
    anonymise.anonymise,
    directory.directory,
    local_load.local_load,
]


def main() -> int:
    os.environ.setdefault("LEERRIJK_STAGE", "local")  # measured on moto: the local stack's stage, said explicitly
    failed: list[Metric] = []
    for source in SOURCES:
        for metric in source():
            print(json.dumps({"name": metric.name, "value": metric.value}, ensure_ascii=False), flush=True)
            if not metric.ok:
                failed.append(metric)
    for metric in failed:
        print(f"bench: {metric.name} is not acceptable: {metric.value}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
