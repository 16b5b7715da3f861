"""Worker for bench/routes.py: the total DynamoDB calls of one warm request per route, on moto."""

from __future__ import annotations

import json

from moto import mock_aws

from bench.search_run import ROOT  # sets the environment before chalicelib is imported


def main() -> None:
    import boto3
    from chalice.test import Client

    from app import app
    from bench.route_calls import measure
    from chalicelib import models
    from chalicelib.platform import mail
    from chalicelib.platform.config import settings

    with mock_aws():
        for model in models.ALL_MODELS:
            model._connection = None
        mail._client.cache_clear()
        models.create_all_tables()
        boto3.client("sesv2", region_name="eu-west-1").create_email_identity(
            EmailIdentity=settings.mail_from.split("@", 1)[1])
        with Client(app, project_dir=str(ROOT), stage_name="local") as client:
            print(json.dumps(measure(client)))


if __name__ == "__main__":
    main()
