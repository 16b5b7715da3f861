"""The Lambda roles in the packaged template: least privilege on the Leer-Rijk resources only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from chalicelib import models
from tests.infra.conftest import Packaged
from tests.infra.test_template import LOCAL_PREFIX, prod_environment

TABLE_ARN = re.compile(r"^arn:aws:dynamodb:[a-z0-9-]+:(\*|\d{12}):table/(?P<table>[^/*]+)(/index/(?P<index>[^/*]+))?$")


def statements(packaged: Packaged) -> Iterator[tuple[str, dict[str, Any]]]:
    for role_name, role in packaged.resources("AWS::IAM::Role").items():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                yield role_name, statement


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def test_every_function_role_has_a_policy(packaged: Packaged) -> None:
    roles = {f["Properties"]["Role"]["Fn::GetAtt"][0] for f in packaged.resources("AWS::Serverless::Function").values()}
    with_policy = {name for name, _ in statements(packaged)}
    assert roles <= with_policy


def test_policy_has_no_wildcard_action_and_no_wildcard_resource(packaged: Packaged) -> None:
    for role, statement in statements(packaged):
        assert statement["Effect"] == "Allow", role
        assert "NotAction" not in statement and "NotResource" not in statement, role
        assert not [a for a in as_list(statement["Action"]) if "*" in a], (role, statement)
        assert "*" not in as_list(statement["Resource"]), (role, statement)


def test_dynamodb_access_is_limited_to_the_leerrijk_tables_and_their_indexes(packaged: Packaged) -> None:
    prefix = prod_environment()["LEERRIJK_TABLE_PREFIX"]
    indexes = {
        prefix + m.Meta.table_name.removeprefix(LOCAL_PREFIX): set(m._indexes) for m in models.ALL_MODELS
    }
    for role, statement in statements(packaged):
        if not any(a.startswith("dynamodb:") for a in as_list(statement["Action"])):
            continue
        assert all(a.startswith("dynamodb:") for a in as_list(statement["Action"])), (role, statement)
        for resource in as_list(statement["Resource"]):
            match = TABLE_ARN.match(resource)
            assert match, resource
            assert match["table"] in indexes, resource
            assert match["index"] is None or match["index"] in indexes[match["table"]], resource


def test_dynamodb_access_allows_no_scan_and_no_table_administration(packaged: Packaged) -> None:
    """Routes never Scan (ARCHITECTURE principle 6); tables and TTL are managed by CloudFormation."""
    granted = {a for _, s in statements(packaged) for a in as_list(s["Action"]) if a.startswith("dynamodb:")}
    assert granted.isdisjoint({
        "dynamodb:Scan", "dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:UpdateTable",
        "dynamodb:UpdateTimeToLive", "dynamodb:RestoreTableToPointInTime", "dynamodb:ExportTableToPointInTime",
    })


def test_mail_can_only_be_sent_from_the_leerrijk_identity(packaged: Packaged) -> None:
    for role, statement in statements(packaged):
        if not any(a.startswith("ses:") for a in as_list(statement["Action"])):
            continue
        assert as_list(statement["Action"]) == ["ses:SendEmail"], role
        assert all(":identity/" in r for r in as_list(statement["Resource"])), role
        assert "ses:FromAddress" in statement["Condition"]["StringEquals"], role


def test_R_LOG_02_functions_write_only_the_apps_log_groups(packaged: Packaged) -> None:
    """No logs:CreateLogGroup: a group Lambda creates keeps logs forever; the stack creates them instead."""
    names = {f["Properties"]["FunctionName"] for f in packaged.resources("AWS::Serverless::Function").values()}
    allowed = {f"/aws/lambda/{name}" for name in names}
    for role, statement in statements(packaged):
        actions = as_list(statement["Action"])
        if not any(a.startswith("logs:") for a in actions):
            continue
        assert set(actions) <= {"logs:CreateLogStream", "logs:PutLogEvents"}, role
        for resource in as_list(statement["Resource"]):
            group = resource.split(":log-group:", 1)[1].rsplit(":", 1)[0]
            assert group in allowed, resource
