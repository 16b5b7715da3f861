"""Worker for bench/routes.py: the total DynamoDB calls of one warm request per route, on moto, and the routes
of the app that no scenario reached."""

from __future__ import annotations

import json

from bench.search_run import ROOT  # sets the environment before chalicelib is imported


def main() -> None:
    from chalice.test import Client

    from app import app
    from bench.moto_aws import fresh_aws
    from bench.route_calls import measure
    from bench.route_walk import unmeasured

    with fresh_aws(), Client(app, project_dir=str(ROOT), stage_name="local") as client:
        measured = measure(client)
        print(json.dumps({"measured": measured, "unmeasured": unmeasured(app, measured)}))


if __name__ == "__main__":
    main()
