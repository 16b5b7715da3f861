"""The fault-injection tier (R_SEC_03, R_SEC_02): AWS faults injected at the botocore layer while
everything else stays on moto.

`inject(...)` wraps `botocore.client.BaseClient._make_api_call`, the one call every boto3 and
PynamoDB client makes, so a throttle, a 5xx, a transaction conflict or a read timeout reaches the
code exactly as AWS's would (PynamoDB wraps it as it would in production). botocore's own retries
never see an injected fault (SES makes one attempt anyway; DynamoDB's retries would only hide a
fault that outlasts them, which is what the injection stands for). The moto session, the tables
and the chalice test client are the functional tier's (tests/functional/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import botocore.client
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from tests.functional.conftest import _aws_session, aws, client, frozen_clock  # noqa: F401  (fixtures)

STATUS = {"InternalServerError": 500, "ServiceUnavailable": 503}


@dataclass
class Rule:
    operation: str
    code: str
    table: str | None = None
    key_contains: str | None = None
    times: int = 1
    skip: int = 0
    after: bool = False  # the call reaches moto and succeeds; its reply is lost
    reasons: tuple[str, ...] = ()
    seen: int = 0
    hits: int = 0

    def matches(self, operation: str, params: dict[str, Any]) -> bool:
        if operation != self.operation:
            return False
        text = repr(params)
        if self.table and self.table not in text:
            return False
        return not (self.key_contains and self.key_contains not in text)

    def error(self, operation: str) -> Exception:
        if self.code == "ReadTimeout":
            return ReadTimeoutError(endpoint_url=f"https://{operation.lower()}.eu-west-1.amazonaws.com/")
        response: dict[str, Any] = {"Error": {"Code": self.code, "Message": "injected fault"},
                                    "ResponseMetadata": {"HTTPStatusCode": STATUS.get(self.code, 400)}}
        if self.reasons:
            response["CancellationReasons"] = [{"Code": code} for code in self.reasons]
        return ClientError(response, operation)


class Injector:
    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.original = botocore.client.BaseClient._make_api_call

    def __call__(self, operation: str, code: str, **options: Any) -> Rule:
        rule = Rule(operation, code, **options)
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()

    def install(self) -> None:
        injector = self

        def call(boto_client: Any, operation: str, params: dict[str, Any]) -> Any:
            for rule in injector.rules:
                if rule.matches(operation, params):
                    rule.seen += 1
                    if rule.seen > rule.skip and rule.hits < rule.times:
                        rule.hits += 1
                        if rule.after:
                            injector.original(boto_client, operation, params)
                        raise rule.error(operation)
            return injector.original(boto_client, operation, params)

        botocore.client.BaseClient._make_api_call = call

    def uninstall(self) -> None:
        botocore.client.BaseClient._make_api_call = self.original


@pytest.fixture
def inject(aws: None) -> Iterator[Injector]:  # noqa: F811
    injector = Injector()
    injector.install()
    try:
        yield injector
    finally:
        injector.uninstall()
