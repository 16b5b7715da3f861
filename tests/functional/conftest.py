"""Functional tests: the app on moto through chalice.test.Client.

A DynamoDB Scan made while a route handler runs fails the test (ARCHITECTURE principle 6).
`db_calls` counts business calls per operation for tests and benchmarks.
"""

from __future__ import annotations

import contextvars
from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.client
import pytest
from chalice.test import Client
from moto import mock_aws

from tests.conftest import ROOT

in_route: contextvars.ContextVar[bool] = contextvars.ContextVar("in_route", default=False)
calls: Tally[str] = Tally()
_original_call = botocore.client.BaseClient._make_api_call


def _guarded_call(self: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
    calls[operation_name] += 1
    if operation_name == "Scan" and in_route.get():
        raise AssertionError(f"a route handler made a DynamoDB Scan: {api_params.get('TableName')}")
    return _original_call(self, operation_name, api_params)


botocore.client.BaseClient._make_api_call = _guarded_call


def _route_flag(event: Any, get_response: Any) -> Any:
    token = in_route.set(True)
    try:
        return get_response(event)
    finally:
        in_route.reset(token)


from app import app  # noqa: E402

app.register_middleware(_route_flag, "http")


def reset_connections() -> None:
    """PynamoDB caches one connection per model; moto needs fresh ones per mock."""
    from chalicelib import models
    from chalicelib.platform import transactions

    for model in models.ALL_MODELS:
        model._connection = None
    transactions.connection.cache_clear()


@pytest.fixture(scope="session")
def _aws_session() -> Iterator[None]:
    """One moto for the whole session: creating 21 tables costs seconds, emptying them does not."""
    with mock_aws():
        reset_connections()
        from chalicelib.models import create_all_tables
        from chalicelib.platform.config import settings

        create_all_tables()
        boto3.client("sesv2", region_name="eu-west-1").create_email_identity(
            EmailIdentity=settings.mail_from.split("@", 1)[1]
        )
        yield
    reset_connections()


def empty_world() -> None:
    """Empty tables, no sent mail, no cached organisation, supplier or catalogue (on the session's moto)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends
    from moto.ses.models import ses_backends

    for table in dynamodb_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].tables.values():
        table.items = defaultdict(dict)
    ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].sent_messages.clear()
    calls.clear()
    from chalicelib.accounts import organisations
    from chalicelib.catalogue import index as catalogue_index
    from chalicelib.suppliers import use_cases as suppliers

    catalogue_index.forget_cache()
    organisations.forget_cache()
    suppliers.forget_cache()


@pytest.fixture
def aws(_aws_session: None) -> Iterator[None]:
    """Every test starts with empty tables, no sent mail and a running clock."""
    from chalicelib.platform import clock

    empty_world()
    yield
    clock.freeze(None)


def sent_mail() -> list[Any]:
    """What moto's SES recorded, oldest first. A raw (MIME) message, the form of a mail with a calendar
    invitation (R_CAL_01), reads like a simple one (`destinations`, `subject`, `body` = its HTML) and
    adds its `calendar` part."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return [RawMail.of(m) if hasattr(m, "raw_data") else m
            for m in ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].sent_messages]


@dataclass(frozen=True)
class RawMail:
    id: str
    source: str
    destinations: dict[str, list[str]]
    subject: str
    body: str
    text: str
    calendar: str | None  # the text/calendar part
    calendar_method: str | None  # its Content-Type's `method` parameter

    @classmethod
    def of(cls, message: Any) -> RawMail:
        import email
        import email.policy

        parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
        parts = {part.get_content_type(): part for part in parsed.walk() if not part.is_multipart()}
        calendar = parts.get("text/calendar")
        # moto adds the To header's addresses to the Destination's: each once, in order
        to = list(dict.fromkeys(str(address).split("<")[-1].rstrip(">") for address in message.destinations))
        return cls(message.id, message.source, {"ToAddresses": to}, str(parsed["Subject"]),
                   parts["text/html"].get_content(), parts["text/plain"].get_content(),
                   calendar.get_content() if calendar is not None else None,
                   calendar.get_param("method") if calendar is not None else None)


@pytest.fixture
def client(aws: None) -> Iterator[Client]:
    with Client(app, project_dir=str(ROOT), stage_name="local") as test_client:
        yield test_client


@pytest.fixture
def frozen_clock() -> Iterator[Any]:
    from chalicelib.platform import clock

    yield clock
    clock.freeze(None)


@pytest.fixture
def dynamodb_lock() -> Iterator[None]:
    """Emulate DynamoDB's per-request atomicity: one lock around each DynamoDB request moto handles,
    answer included (see ARCHITECTURE). The same serialisation as the local stack's (devstack)."""
    from devstack.serialise import serialise_dynamodb

    undo = serialise_dynamodb()
    try:
        yield
    finally:
        undo()
