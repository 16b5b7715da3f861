"""The packaged SAM template: valid, generated from the code, and matching the data map."""

from __future__ import annotations

import copy
import inspect
import json
import subprocess
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

from pynamodb.attributes import (
    Attribute,
    BinaryAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection

from chalicelib import models
from chalicelib.platform import errors
from tests.conftest import ROOT
from tests.infra.conftest import Packaged
from tools import sam_expand

LOCAL_PREFIX = "leerrijk-local-"
API_GATEWAY_MAX_TIMEOUT = 29


def prod_environment() -> dict[str, str]:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return config["stages"]["prod"]["environment_variables"]


def dynamo_type(attribute: Attribute[Any]) -> str:
    if isinstance(attribute, UnicodeAttribute | UTCDateTimeAttribute):
        return "S"
    if isinstance(attribute, NumberAttribute):
        return "N"
    if isinstance(attribute, BinaryAttribute):
        return "B"
    raise AssertionError(f"key attribute {attribute.attr_name} must be a string, number or binary attribute")


def attributes_of(cls: type) -> list[Attribute[Any]]:
    return [value for _, value in inspect.getmembers(cls, lambda v: isinstance(v, Attribute))]


def keys_of(attributes: list[Attribute[Any]]) -> dict[str, str]:
    return {a.attr_name: "HASH" if a.is_hash_key else "RANGE" for a in attributes if a.is_hash_key or a.is_range_key}


def projection_of(index: GlobalSecondaryIndex[Any]) -> tuple[str, tuple[str, ...]]:
    projection = index.Meta.projection
    if isinstance(projection, AllProjection):
        return "ALL", ()
    if isinstance(projection, KeysOnlyProjection):
        return "KEYS_ONLY", ()
    assert isinstance(projection, IncludeProjection), f"{index.Meta.index_name}: unknown projection"
    return "INCLUDE", tuple(sorted(projection.non_key_attributes))


def expected_table(model: type[models.Model]) -> dict[str, Any]:
    """What the model declares, read from its attributes and indexes (not PynamoDB's schema builder)."""
    attributes = attributes_of(model)
    key_attributes = {a.attr_name: dynamo_type(a) for a in attributes if a.is_hash_key or a.is_range_key}
    indexes = {}
    for _, index in inspect.getmembers(model, lambda v: isinstance(v, GlobalSecondaryIndex)):
        index_attributes = attributes_of(type(index))
        key_attributes |= {a.attr_name: dynamo_type(a) for a in index_attributes if a.is_hash_key or a.is_range_key}
        indexes[index.Meta.index_name] = (keys_of(index_attributes), *projection_of(index))
    ttl = [a.attr_name for a in attributes if isinstance(a, TTLAttribute)]
    return {
        "keys": keys_of(attributes),
        "attribute_types": key_attributes,
        "indexes": indexes,
        "ttl": ttl[0] if ttl else None,
    }


def actual_table(properties: dict[str, Any]) -> dict[str, Any]:
    indexes = {}
    for index in properties.get("GlobalSecondaryIndexes", []):
        projection = index["Projection"]
        indexes[index["IndexName"]] = (
            {k["AttributeName"]: k["KeyType"] for k in index["KeySchema"]},
            projection["ProjectionType"],
            tuple(sorted(projection.get("NonKeyAttributes", []))),
        )
    ttl = properties.get("TimeToLiveSpecification")
    return {
        "keys": {k["AttributeName"]: k["KeyType"] for k in properties["KeySchema"]},
        "attribute_types": {a["AttributeName"]: a["AttributeType"] for a in properties["AttributeDefinitions"]},
        "indexes": indexes,
        "ttl": ttl["AttributeName"] if ttl and ttl.get("Enabled") else None,
    }


def test_cfn_lint_finds_nothing_in_the_packaged_template(packaged: Packaged) -> None:
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), str(packaged.built.template)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_R_OPS_03_the_expanded_template_lints_clean_and_a_dangling_reference_does_not(
    packaged: Packaged, tmp_path: Path
) -> None:
    """cfn-lint 1.58 does not expand SAM: only the expansion shows a Ref to a resource that does not
    exist (E1020), such as a policy on a role name chalice never emits."""
    template = sam_expand.with_code_location(packaged.template, *sam_expand.PLACEHOLDER_CODE)
    expanded = sam_expand.expand(template)
    assert not [r for r in expanded["Resources"].values() if r["Type"].startswith("AWS::Serverless::")]
    broken = copy.deepcopy(template)
    broken["Resources"]["ReadSigningKeysPolicy"]["Properties"]["Roles"][0] = {"Ref": "APIHandlerRole"}
    files = {"expanded": expanded, "broken": sam_expand.expand(broken)}
    for name, document in files.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(document), encoding="utf-8")
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), "--format", "json", *(str(tmp_path / f"{n}.json") for n in files)],
                            capture_output=True, text=True)
    findings = {(Path(f["Filename"]).stem, f["Rule"]["Id"]) for f in json.loads(result.stdout)}
    assert findings == {("broken", "E1020")}, result.stdout


def test_generated_infra_and_policy_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tools.gen_infra", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_packaged_tables_equal_the_data_map(packaged: Packaged) -> None:
    prefix = prod_environment()["LEERRIJK_TABLE_PREFIX"]
    resources = packaged.resources("AWS::DynamoDB::Table").values()
    tables = {r["Properties"]["TableName"]: r["Properties"] for r in resources}
    expected = {
        prefix + model.Meta.table_name.removeprefix(LOCAL_PREFIX): expected_table(model) for model in models.ALL_MODELS
    }
    assert sorted(tables) == sorted(expected)
    for name, declared in expected.items():
        assert actual_table(tables[name]) == declared, name
        assert tables[name]["BillingMode"] == "PAY_PER_REQUEST", name
        assert tables[name]["SSESpecification"] == {"SSEEnabled": True}, name


def test_functions_run_in_the_prod_stage_on_the_prod_tables(packaged: Packaged) -> None:
    prefix = prod_environment()["LEERRIJK_TABLE_PREFIX"]
    table_names = [r["Properties"]["TableName"] for r in packaged.resources("AWS::DynamoDB::Table").values()]
    assert table_names and all(name.startswith(prefix) for name in table_names)
    for name, function in packaged.resources("AWS::Serverless::Function").items():
        variables = function["Properties"]["Environment"]["Variables"]
        assert variables["LEERRIJK_STAGE"] == "prod", name
        assert variables["LEERRIJK_TABLE_PREFIX"] == prefix, name


def test_scheduled_jobs_get_more_time_than_api_requests(packaged: Packaged) -> None:
    """API Gateway gives up after 29 s; a job draining a backlog needs minutes (config.json lambda_functions)."""
    functions = packaged.resources("AWS::Serverless::Function")
    assert functions["APIHandler"]["Properties"]["Timeout"] <= API_GATEWAY_MAX_TIMEOUT
    scheduled = {
        name: f["Properties"]["Timeout"]
        for name, f in functions.items()
        if any(e["Type"] == "Schedule" for e in f["Properties"].get("Events", {}).values())
    }
    short = {name: timeout for name, timeout in scheduled.items() if timeout <= API_GATEWAY_MAX_TIMEOUT}
    assert short == {}, "add the job to stages.prod.lambda_functions in .chalice/config.json"


def test_every_lambda_handler_accepts_event_and_context(packaged: Packaged) -> None:
    """The Handler string of each function must name what Lambda can call as handler(event, context)."""
    wrong = {}
    for name, function in packaged.resources("AWS::Serverless::Function").items():
        module_name, _, attribute = function["Properties"]["Handler"].rpartition(".")
        handler = getattr(import_module(module_name), attribute)
        try:
            inspect.signature(handler).bind(object(), object())
        except TypeError as err:
            wrong[name] = f"{module_name}.{attribute}{inspect.signature(handler)}: {err}"
    assert wrong == {}


def test_gateway_errors_use_the_error_envelope(packaged: Packaged) -> None:
    """Errors API Gateway answers itself (unknown path, throttling, crashes) look like the app's own."""
    body = packaged.template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    responses = body["x-amazon-apigateway-gateway-responses"]
    assert {"DEFAULT_4XX", "DEFAULT_5XX", "MISSING_AUTHENTICATION_TOKEN"} <= set(responses)
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["statusCode"] == "404"
    for response_type, response in responses.items():
        envelope = json.loads(response["responseTemplates"]["application/json"])
        assert set(envelope) == {"error"}, response_type
        assert set(envelope["error"]) == {"code", "message", "fields"}, response_type
        assert envelope["error"]["code"] and envelope["error"]["message"] and envelope["error"]["fields"] == {}
    not_found = json.loads(responses["MISSING_AUTHENTICATION_TOKEN"]["responseTemplates"]["application/json"])
    assert not_found == errors.NotFoundError().envelope()
