"""Generate the prod infrastructure from the code: `python -m tools.gen_infra` (`make infra`).

Writes three files, derived from the PynamoDB models (the data map), the functions and routes of
`app.py` and the prod stage of `.chalice/config.json`, so a new table, index, job or route limit
cannot be forgotten in any:

- `infra/resources.json`: the CloudFormation fragment that `chalice package --merge-template`
  deep-merges into chalice's SAM template (dicts merge, lists are replaced whole);
- `.chalice/policy-prod.json`: the Lambda role policy (least privilege, `autogen_policy` is off);
- `infra/edge.json`: the edge stack (tools/gen_hosting.py).

`--check` writes nothing and exits 1 when either file differs from what would be generated.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tools import gen_hosting

if TYPE_CHECKING:
    from chalice.app import Chalice
    from pynamodb.models import Model

    from chalicelib.platform.errors import DomainError

ROOT = Path(__file__).resolve().parent.parent
CONFIG_PATH = ROOT / ".chalice" / "config.json"
RESOURCES_PATH = ROOT / "infra" / "resources.json"
POLICY_PATH = ROOT / ".chalice" / "policy-prod.json"
EDGE_PATH = ROOT / "infra" / "edge.json"

STAGE = "prod"
REGION = "eu-west-1"
LOCAL_PREFIX = "leerrijk-local-"
LOG_RETENTION_DAYS = 14  # R_LOG_02
# Backups (point-in-time recovery) follow each model's declaration in chalicelib/privacy/register.py
# (`TABLES[...].backup_days`, R_PRV_04): the register states the window, this file only writes it.

# TransactWriteItems has no IAM action of its own: each item is authorised as Put/Update/Delete/
# ConditionCheck. DescribeTable is left out: PynamoDB 6 calls it only for create_table, exists()
# and count() without a key, which the deployed code does not use.
TABLE_ACTIONS = (
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
)
INDEX_ACTIONS = ("dynamodb:Query",)


@dataclass(frozen=True)
class Function:
    """One Lambda function of the packaged app: its SAM logical id, its function name and the
    logical id of the IAM role `chalice package` creates for it."""

    logical_id: str
    name: str
    role_id: str


@dataclass(frozen=True)
class StageConfig:
    app_name: str
    api_stage: str
    environment: dict[str, str]

    @property
    def table_prefix(self) -> str:
        return self.environment["LEERRIJK_TABLE_PREFIX"]


def load_stage_config(path: Path = CONFIG_PATH) -> StageConfig:
    config = json.loads(path.read_text(encoding="utf-8"))
    stage = config["stages"][STAGE]
    environment = {**config.get("environment_variables", {}), **stage.get("environment_variables", {})}
    return StageConfig(config["app_name"], stage.get("api_gateway_stage", "api"), environment)


def isolate_environment() -> None:
    """Model table names and settings are read at import: import them with the code defaults, as
    the local stack does (the stage must be named; the prod names come from the stage config)."""
    for name in [n for n in os.environ if n.startswith("LEERRIJK_")]:
        del os.environ[name]
    os.environ["LEERRIJK_STAGE"] = "local"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


# --- DynamoDB tables --------------------------------------------------------------------------


def table_suffix(model: type[Model]) -> str:
    name = model.Meta.table_name
    if not name.startswith(LOCAL_PREFIX):
        raise SystemExit(f"{model.__name__}: table {name!r} lacks {LOCAL_PREFIX!r}; unset LEERRIJK_TABLE_PREFIX")
    return name.removeprefix(LOCAL_PREFIX)


def _key_schema(keys: Iterable[Any]) -> list[dict[str, str]]:
    return sorted(({"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in keys),
                  key=lambda k: k["KeyType"])  # HASH before RANGE


def _projection(projection: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"ProjectionType": projection["ProjectionType"]}
    if projection.get("NonKeyAttributes"):
        result["NonKeyAttributes"] = sorted(projection["NonKeyAttributes"])
    return result


def _indexes(entries: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "IndexName": index["index_name"],
            "KeySchema": _key_schema(index["key_schema"]),
            "Projection": _projection(index["projection"]),
        }
        for index in sorted(entries, key=lambda i: i["index_name"])
    ]


def point_in_time_recovery(model: type[Model]) -> tuple[dict[str, Any], str]:
    """The table's backup as the privacy register declares it (R_PRV_04), and the register's reason."""
    from chalicelib.privacy.register import TABLES

    declared = TABLES[model.__name__]
    if not declared.backup_days:
        return {"PointInTimeRecoveryEnabled": False}, f"No point-in-time recovery: {declared.backup_why}"
    return ({"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": declared.backup_days},
            f"Point-in-time recovery, {declared.backup_days} days: {declared.backup_why}")


def table_resource(model: type[Model], prefix: str) -> dict[str, Any]:
    # PynamoDB's own create_table schema: the same source the local stack and tests create from.
    schema = model._get_schema()
    suffix = table_suffix(model)
    pitr, backup_note = point_in_time_recovery(model)
    properties: dict[str, Any] = {
        "TableName": f"{prefix}{suffix}",
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": sorted(
            ({"AttributeName": a["AttributeName"], "AttributeType": a["AttributeType"]}
             for a in schema["attribute_definitions"]),
            key=lambda a: a["AttributeName"],
        ),
        "KeySchema": _key_schema(schema["key_schema"]),
    }
    if schema["global_secondary_indexes"]:
        properties["GlobalSecondaryIndexes"] = _indexes(schema["global_secondary_indexes"])
    if schema["local_secondary_indexes"]:
        properties["LocalSecondaryIndexes"] = _indexes(schema["local_secondary_indexes"])
    from chalicelib.models import ttl_attribute_of

    ttl = ttl_attribute_of(model)
    if ttl is not None:
        properties["TimeToLiveSpecification"] = {"AttributeName": ttl.attr_name, "Enabled": True}
    properties["SSESpecification"] = {"SSEEnabled": True}
    properties["PointInTimeRecoverySpecification"] = pitr
    return {
        "Type": "AWS::DynamoDB::Table",
        "Metadata": {"LeerRijk": {"Model": model.__name__, "Backup": backup_note}},
        "Properties": properties,
    }


def table_logical_id(model: type[Model]) -> str:
    from chalice.utils import to_cfn_resource_name

    return f"{to_cfn_resource_name(table_suffix(model))}Table"


# --- Lambda functions, logs and API Gateway ---------------------------------------------------


def load_functions(app: Chalice) -> list[Function]:
    """The functions `chalice package` emits, named as it names them: read from chalice's own
    application graph of the prod stage, so no name (function, role) is a second guess.
    Chalice's SAM packager renames the API function to `APIHandler`."""
    from chalice.config import Config
    from chalice.deploy import models as graph_models
    from chalice.deploy.appgraph import ApplicationGraphBuilder
    from chalice.utils import to_cfn_resource_name

    config = Config(chalice_stage=STAGE, user_provided_params={"chalice_app": app, "project_dir": str(ROOT)},
                    config_from_disk=json.loads(CONFIG_PATH.read_text(encoding="utf-8")))
    functions = []
    for resource in ApplicationGraphBuilder().build(config, STAGE).resources:
        if isinstance(resource, graph_models.LambdaFunction):
            function = resource
        elif isinstance(resource, graph_models.RestAPI | graph_models.FunctionEventSubscriber):
            function = resource.lambda_function
        else:
            continue
        role = function.role
        if not isinstance(role, graph_models.ManagedIAMRole):
            raise SystemExit(f"{function.function_name}: expected a role chalice manages (manage_iam_role)")
        logical_id = "APIHandler" if isinstance(resource, graph_models.RestAPI) else to_cfn_resource_name(
            function.resource_name)
        functions.append(Function(logical_id, function.function_name, to_cfn_resource_name(role.resource_name)))
    return sorted(functions, key=lambda f: f.logical_id != "APIHandler")  # the API's first


def function_overrides(functions: list[Function], stage: StageConfig) -> dict[str, Any]:
    # A fixed name makes the log group known in advance, so the policy can name it exactly.
    variables = {name: stage.environment[name] for name in ("LEERRIJK_STAGE", "LEERRIJK_TABLE_PREFIX")}
    return {
        f.logical_id: {"Properties": {"FunctionName": f.name, "Environment": {"Variables": variables}}}
        for f in functions
    }


def log_groups(functions: list[Function], api_stage: str) -> dict[str, Any]:
    """R_LOG_02: every platform log group exists before its function logs, with 14 days' retention."""
    groups = {
        f"{f.logical_id}LogGroup": _log_group({"Fn::Sub": f"/aws/lambda/${{{f.logical_id}}}"})
        for f in functions
    }
    # Created by API Gateway (with no expiry) the moment someone enables execution logging.
    groups["RestAPIExecutionLogGroup"] = _log_group({"Fn::Sub": f"API-Gateway-Execution-Logs_${{RestAPI}}/{api_stage}"})
    return groups


def _log_group(name: dict[str, str]) -> dict[str, Any]:
    return {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": name, "RetentionInDays": LOG_RETENTION_DAYS}}


def gateway_responses() -> dict[str, Any]:
    """Errors API Gateway answers itself, in the API's error envelope (Dutch messages).

    They live in the API definition (`x-amazon-apigateway-gateway-responses`) rather than as
    AWS::ApiGateway::GatewayResponse resources: SAM redeploys the stage from the definition, and
    separate GatewayResponse resources drop out of later deployments (aws/serverless-application-
    model#390, #623).
    """
    from chalicelib.api.guard import SECURITY_HEADERS
    from chalicelib.platform import errors

    chosen: dict[str, tuple[int | None, errors.DomainError]] = {
        "DEFAULT_4XX": (None, errors.DomainError()),
        "DEFAULT_5XX": (None, errors.UnavailableError()),
        "MISSING_AUTHENTICATION_TOKEN": (404, errors.NotFoundError()),  # unknown path or method
        "RESOURCE_NOT_FOUND": (404, errors.NotFoundError()),
        "THROTTLED": (429, errors.RateLimitedError()),
        "REQUEST_TOO_LARGE": (413, errors.TooLargeError()),
    }
    # Static header values are quoted with ' and cannot contain one (the CSP can, and CloudFront adds it).
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-store"}
    parameters = {f"gatewayresponse.header.{k}": f"'{v}'" for k, v in sorted(headers.items()) if "'" not in v}
    return {
        response_type: _gateway_response(status, error, parameters)
        for response_type, (status, error) in chosen.items()
    }


def _gateway_response(status: int | None, error: DomainError, parameters: dict[str, str]) -> dict[str, Any]:
    body = json.dumps(error.envelope(), ensure_ascii=False)
    if "$" in body or "#" in body:
        raise SystemExit(f"gateway response text must not contain VTL syntax: {body}")
    response: dict[str, Any] = {
        "responseParameters": parameters,
        "responseTemplates": {"application/json": body},
    }
    if status is not None:
        response["statusCode"] = str(status)
    return response


# --- the two documents ------------------------------------------------------------------------


def build_resources(models: Iterable[type[Model]], functions: list[Function], stage: StageConfig) -> dict[str, Any]:
    resources: dict[str, Any] = {table_logical_id(m): table_resource(m, stage.table_prefix) for m in models}
    resources.update(log_groups(functions, stage.api_stage))
    resources.update(function_overrides(functions, stage))
    resources["RestAPI"] = {
        "Properties": {"DefinitionBody": {"x-amazon-apigateway-gateway-responses": gateway_responses()}}
    }
    return {"Resources": resources}


def build_policy(
    models: Iterable[type[Model]], functions: list[Function], mail_from: str, prefix: str
) -> dict[str, Any]:
    listed = list(models)
    table_arns = [_table_arn(prefix, m) for m in listed]
    index_arns = [f"{_table_arn(prefix, m)}/index/{name}" for m in listed for name in sorted(m._indexes)]
    statements: list[dict[str, Any]] = [
        {"Sid": "LeerRijkTables", "Effect": "Allow", "Action": list(TABLE_ACTIONS), "Resource": table_arns},
    ]
    if index_arns:
        statements.append(
            {"Sid": "LeerRijkIndexes", "Effect": "Allow", "Action": list(INDEX_ACTIONS), "Resource": index_arns}
        )
    domain = mail_from.split("@", 1)[1]
    statements.append({
        "Sid": "SendFromLeerRijkIdentity",
        "Effect": "Allow",
        "Action": ["ses:SendEmail"],
        "Resource": [_ses_identity(domain), _ses_identity(mail_from)],
        "Condition": {"StringEquals": {"ses:FromAddress": mail_from}},
    })
    # No logs:CreateLogGroup: a group Lambda creates itself would keep logs forever (R_LOG_02).
    statements.append({
        "Sid": "WriteOwnLogGroups",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [f"arn:aws:logs:{REGION}:*:log-group:/aws/lambda/{f.name}:*" for f in functions],
    })
    return {"Version": "2012-10-17", "Statement": statements}


def _table_arn(prefix: str, model: type[Model]) -> str:
    return f"arn:aws:dynamodb:{REGION}:*:table/{prefix}{table_suffix(model)}"


def _ses_identity(identity: str) -> str:
    return f"arn:aws:ses:{REGION}:*:identity/{identity}"


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def generate() -> dict[Path, str]:
    """The generated text of every output file, by path."""
    from devstack.build_portal import portal_csp, statistics_from_env

    csp = portal_csp(statistics_from_env())  # the Matomo variables, if set, before the environment is cleared
    isolate_environment()
    from app import app
    from chalicelib.models import ALL_MODELS
    from chalicelib.platform.config import settings

    stage = load_stage_config()
    functions = load_functions(app)
    mail_from = stage.environment.get("LEERRIJK_MAIL_FROM", settings.mail_from)
    return {
        RESOURCES_PATH: render(with_hosting(build_resources(ALL_MODELS, functions, stage), functions, csp)),
        POLICY_PATH: render(build_policy(ALL_MODELS, functions, mail_from, stage.table_prefix)),
        EDGE_PATH: render(gen_hosting.build_edge(*body_limits())),
    }


def body_limits() -> tuple[int, list[str]]:
    """The API's body limit, and the path prefixes of the routes declared with a larger one."""
    from chalicelib.access import ROUTES, RouteSpec

    limit = RouteSpec.max_body_bytes
    larger = {"/api" + spec.path.split("{", 1)[0] for spec in ROUTES.values() if spec.max_body_bytes > limit}
    return limit, sorted(larger)


def with_hosting(fragment: dict[str, Any], functions: list[Function], csp: str) -> dict[str, Any]:
    """Add portal hosting, mail, keys and operations (tools/gen_hosting.py) to the merge template."""
    from chalicelib.jobs import JOBS
    from devstack.build_portal import page_templates, page_url

    by_name = {f.name.rsplit("-", 1)[-1]: f for f in functions}
    jobs = {by_name[name].logical_id: job.every_minutes for name, job in JOBS.items() if name in by_name}
    directory_jobs = [f.logical_id for name, f in by_name.items() if name.startswith("sync_directory")]
    hosting = gen_hosting.build_hosting(
        [(f.logical_id, f.name, f.role_id) for f in functions], jobs, csp,
        [page_url(page) for page in page_templates() if page != "404.html"], directory_jobs,
    )
    merged = dict(fragment)
    for section, values in hosting.items():
        merged[section] = {**merged.get(section, {}), **values}
    gen_hosting.with_policy_skips(merged["Resources"], [f.logical_id for f in functions])
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated file is out of date")
    args = parser.parse_args(argv)
    stale = []
    for path, text in generate().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        verb = "out of date" if args.check else "written"
        print(f"{path.relative_to(ROOT)}: {verb}")
    if args.check and stale:
        print("Fix: make infra")
        return 1
    if not stale:
        print("infra/resources.json, infra/edge.json and .chalice/policy-prod.json are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
