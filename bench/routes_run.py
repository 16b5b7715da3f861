"""Worker for bench/routes.py: the total DynamoDB calls of one warm request per route, on moto."""

from __future__ import annotations

import json

from bench.search_run import ROOT  # sets the environment before chalicelib is imported


def main() -> None:
    from chalice.test import Client

    from app import app
    from bench.moto_aws import fresh_aws
    from bench.route_calls import measure

    with fresh_aws(), Client(app, project_dir=str(ROOT), stage_name="local") as client:
        print(json.dumps(measure(client)))


if __name__ == "__main__":
    main()
