"""`python -m devstack.job NAME [--port P]`: run a scheduled job now in the running local stack.

`NAME=list` lists the jobs and their cadence. The stack (`make run`) must be running.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draai een geplande taak nu in de lokale Leer-Rijk-omgeving.")
    parser.add_argument("name", help="naam van de taak, of 'list' voor alle taken")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    base = f"http://127.0.0.1:{args.port}/_dev/jobs"
    try:
        if args.name == "list":
            return _print_jobs(_call("GET", base))
        print(json.dumps(_call("POST", f"{base}/{args.name}"), ensure_ascii=False, indent=2))
        return 0
    except urllib.error.HTTPError as err:
        print(f"Taak {args.name}: {_error_message(err)}", file=sys.stderr)
        return 1
    except urllib.error.URLError:
        print(f"De lokale omgeving draait niet op poort {args.port}. Start die eerst met: make run\n"
              f"(The local stack is not running on port {args.port}. Start it first: make run)", file=sys.stderr)
        return 2


def _call(method: str, url: str) -> Any:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def _print_jobs(jobs: list[dict[str, Any]]) -> int:
    for job in jobs:
        print(f"{job['name']:<30} elke {job['every_seconds'] // 60} min")
    return 0


def _error_message(err: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(err.read())["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP {err.code}"


if __name__ == "__main__":
    raise SystemExit(main())
