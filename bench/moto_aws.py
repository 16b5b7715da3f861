"""moto in a bench worker's own process, with every table and the verified sender (import the worker's
environment first: `from bench.search_run import ROOT`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from moto import mock_aws


@contextmanager
def fresh_aws() -> Iterator[None]:
    import boto3

    from chalicelib import models
    from chalicelib.platform import mail, transactions
    from chalicelib.platform.config import settings

    with mock_aws():
        for model in models.ALL_MODELS:
            model._connection = None
        mail._client.cache_clear()
        transactions.connection.cache_clear()
        models.create_all_tables()
        boto3.client("sesv2", region_name="eu-west-1").create_email_identity(
            EmailIdentity=settings.mail_from.split("@", 1)[1])
        yield
