"""Deploy rehearsal: `python -m tools.rehearse` (`make deploy-rehearsal`, part of `make test`).

Deploys `infra/edge.json` and the packaged SAM template (`dist/`, expanded offline by
`tools/sam_expand.py`) through `tools/deploy.py`'s own change-set path to moto, in this process
(`mock_aws`), then checks what CloudFormation made (R_OPS_01, R_OPS_03):

- the tables, their keys, indexes, TTL and point-in-time recovery equal the data map
  (`chalicelib/models.py`) and the privacy register, under the names the functions are given;
- every function has its error and throttle alarms, every job its missed-run alarm and its
  dead-letter queue (with the right to send to it), and every alarm goes to the operators' topic;
- every function's role may read the SSM parameter its environment names, and nothing else there;
- every route of the app is a method of the deployed API, integrated with the API function;
- the deploy's last step, the data migrations (`deploy.migration_step`: `tools.migrate run`), runs on those
  tables with the API function's table names, and every registered migration then has finished (R_OPS_04);
- a smoke journey runs the app with the API function's deployed environment against those tables:
  a supplier publishes a course, a civil servant signs up, logs in, searches and enrols.

What it proves: the wiring (every Ref, GetAtt and name resolves to a resource CloudFormation made)
and the data shapes. What it cannot: IAM evaluation (moto does not enforce policies), CloudFront and
WAF behaviour (stand-ins), SES delivery, Lambda's runtime and cold start.

moto's CloudFormation reports CREATE_COMPLETE for resource types it does not implement and makes
nothing for them. Each gets a stand-in that keeps the resolved properties (`StandIn`), so references
resolve and the checks read what CloudFormation would have created; `SKIPPED_BY_MOTO` lists them and
the rehearsal fails when moto's list changes. Three more gaps get small stand-ins: moto drops a
table's TTL and point-in-time recovery, loses the Outputs of a stack created by a change set, and
wants a RestApi `Name` (CloudFormation takes the title of the `Body`) and ignores the `Body`.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

from tools.gen_hosting import DIRECTORY_TOKEN_PARAMETERS

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
STACK = "leer-rijk-prod"
MAIN_PARAMETERS = {"MailDomain": "leer-rijk.example", "AlarmEmail": "beheer@leer-rijk.example"}
REGION = "eu-west-1"
# Resource types of our templates that moto 5.2.5's CloudFormation skips while reporting CREATE_COMPLETE.
SKIPPED_BY_MOTO = frozenset({
    "AWS::ApiGateway::Stage",
    "AWS::CloudFront::CachePolicy",
    "AWS::CloudFront::Distribution",
    "AWS::CloudFront::Function",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::OriginRequestPolicy",
    "AWS::CloudFront::ResponseHeadersPolicy",
    "AWS::CloudWatch::Alarm",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::S3::BucketPolicy",
    "AWS::SES::ConfigurationSet",
    "AWS::SES::EmailIdentity",
    "AWS::SNS::Subscription",
    "AWS::WAFv2::WebACL",
})


def isolate_environment() -> None:
    """Fake credentials and no endpoint override before moto or any client is imported: nothing can
    reach AWS. The app's settings come later, from the deployed function's environment."""
    for name in [n for n in os.environ if n.startswith(("LEERRIJK_", "AWS_"))]:
        del os.environ[name]
    os.environ.update({"AWS_ACCESS_KEY_ID": "rehearsal", "AWS_SECRET_ACCESS_KEY": "rehearsal",
                       "AWS_DEFAULT_REGION": REGION, "AWS_EC2_METADATA_DISABLED": "true"})
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


# --- stand-ins for what moto's CloudFormation skips or drops ----------------------------------------


@dataclass
class StandIn:
    """A resource moto does not make: its properties as CloudFormation resolved them, and an id."""

    kind: str
    logical_id: str
    physical_resource_id: str
    properties: dict[str, Any]

    made: ClassVar[dict[str, StandIn]] = {}  # by logical id, in the current rehearsal

    @classmethod
    def create_from_cloudformation_json(cls, name: str, definition: dict[str, Any], account_id: str,
                                        region_name: str, **kwargs: Any) -> StandIn:
        kind = kwargs["ResourceType"]
        physical = f"arn:aws:{kind.split('::')[1].lower()}:{region_name}:{account_id}:{name}"
        made = cls(kind, kwargs["LogicalId"], physical, definition.get("Properties", {}))
        StandIn.made[made.logical_id] = made
        return made

    @classmethod
    def has_cfn_attr(cls, attribute: str) -> bool:
        return True

    def get_cfn_attribute(self, attribute: str) -> str:
        return self.physical_resource_id if attribute == "Arn" else f"{self.physical_resource_id}/{attribute}"


def rest_api_from_body(name: str, definition: dict[str, Any], account_id: str, region_name: str,
                       **kwargs: Any) -> Any:
    """As CloudFormation does: the API's name is the Body's title, and the Body's paths become its methods
    (moto imports only OpenAPI 3; the paths and integrations read the same in chalice's Swagger 2)."""
    from moto.apigateway.models import apigateway_backends

    properties = definition["Properties"]
    backend = apigateway_backends[account_id][region_name]
    api = backend.create_rest_api(name=properties.get("Name") or properties["Body"]["info"]["title"],
                                  description="")
    backend.put_rest_api(api.id, {"openapi": "3.0.1", "paths": properties["Body"]["paths"]}, fail_on_warnings=False)
    return api


def table_with_ttl_and_recovery(moto_table: Any) -> Callable[..., Any]:
    def create(name: str, definition: dict[str, Any], account_id: str, region_name: str, **kwargs: Any) -> Any:
        from moto.dynamodb.models import dynamodb_backends

        table = moto_table.create_from_cloudformation_json(name, definition, account_id, region_name, **kwargs)
        backend = dynamodb_backends[account_id][region_name]
        properties = definition["Properties"]
        if "TimeToLiveSpecification" in properties:
            backend.update_time_to_live(table.name, properties["TimeToLiveSpecification"])
        if "PointInTimeRecoverySpecification" in properties:
            backend.update_continuous_backups(table.name, properties["PointInTimeRecoverySpecification"])
        return table

    return create


class _Creates:
    """What moto's model map wants of a resource class, for a creating function."""

    def __init__(self, create: Callable[..., Any], attributes_of: Any) -> None:
        self.create_from_cloudformation_json = create
        self.has_cfn_attr = attributes_of.has_cfn_attr


@contextmanager
def stand_ins() -> Iterator[dict[str, StandIn]]:
    from moto.cloudformation import models as cloudformation_models
    from moto.cloudformation import parsing

    models = parsing.get_model_map()
    unexpected = {kind for kind in SKIPPED_BY_MOTO if kind in models}
    if unexpected:
        raise AssertionError(f"moto's CloudFormation now makes {sorted(unexpected)}: remove their stand-ins")
    table, rest_api = models["AWS::DynamoDB::Table"], models["AWS::ApiGateway::RestApi"]
    patched: dict[str, Any] = {
        **models, **dict.fromkeys(SKIPPED_BY_MOTO, StandIn),
        "AWS::DynamoDB::Table": _Creates(table_with_ttl_and_recovery(table), table),
        "AWS::ApiGateway::RestApi": _Creates(rest_api_from_body, rest_api),
    }
    apply = cloudformation_models.ChangeSet.apply

    def apply_keeping_outputs(change_set: Any) -> None:
        apply(change_set)
        stack = change_set.stack
        stack.template, stack.template_dict = change_set.template, change_set.template_dict
        stack.output_map = stack._create_output_map()

    StandIn.made = {}
    with mock.patch.object(parsing, "get_model_map", lambda: patched), \
            mock.patch.object(cloudformation_models.ChangeSet, "apply", apply_keeping_outputs):
        yield StandIn.made


def skipped_types(templates: list[dict[str, Any]]) -> list[str]:
    """The resource types of the (expanded) templates that moto's CloudFormation skips are exactly those
    with a stand-in: when moto changes, this says which stand-in to add or drop."""
    from moto.cloudformation import parsing

    from tools import sam_expand

    expanded = [sam_expand.expand(sam_expand.with_code_location(t, *sam_expand.PLACEHOLDER_CODE))
                if "Transform" in t else t for t in templates]
    used = {r["Type"] for t in expanded for r in t["Resources"].values()}
    skipped = {kind for kind in used if kind not in parsing.get_model_map()}
    return [f"moto skips {kind}: give it a stand-in" for kind in sorted(skipped - SKIPPED_BY_MOTO)] + [
        f"moto makes {kind} now: drop its stand-in" for kind in sorted(SKIPPED_BY_MOTO - skipped)]


# --- the deployment, through tools/deploy.py ----------------------------------------------------------


@dataclass(frozen=True)
class Deployed:
    edge: dict[str, str]
    outputs: dict[str, str]
    template: dict[str, Any]
    made: dict[str, StandIn]


def deploy_both(sam: dict[str, Any], code: Path) -> Deployed:
    """What `make deploy` does with the stacks (tools/deploy.py `_deploy`), the template expanded here
    because moto has no SAM transform."""
    import boto3

    from tools import deploy, sam_expand

    with stand_ins() as made:
        edge = deploy._stack_deploy(boto3.client("cloudformation", region_name=deploy.EDGE_REGION),
                                    f"{STACK}-edge", json.loads(deploy.EDGE_TEMPLATE.read_text(encoding="utf-8")), {})
        s3 = boto3.client("s3", region_name=deploy.MAIN_REGION)
        artifacts = deploy._artifacts_bucket(s3, boto3.client("sts").get_caller_identity()["Account"])
        code_key = f"{STACK}/deployment-rehearsal.zip"
        s3.upload_file(str(code), artifacts, code_key)
        template = sam_expand.expand(sam_expand.with_code_location(sam, artifacts, code_key))
        outputs = deploy._stack_deploy(boto3.client("cloudformation", region_name=deploy.MAIN_REGION), STACK,
                                       template, {"WebAclArn": edge["WebAclArn"], **MAIN_PARAMETERS})
    return Deployed(edge, outputs, template, dict(made))


# --- checks: each returns what is wrong ------------------------------------------------------------------


def functions() -> dict[str, dict[str, Any]]:
    """The deployed Lambda functions by logical id (from the stack), with their configuration."""
    import boto3

    lambdas = boto3.client("lambda", region_name=REGION)
    resources = boto3.client("cloudformation", region_name=REGION).list_stack_resources(StackName=STACK)
    return {r["LogicalResourceId"]: lambdas.get_function_configuration(FunctionName=r["PhysicalResourceId"])
            for r in resources["StackResourceSummaries"] if r["ResourceType"] == "AWS::Lambda::Function"}


def check_outputs(deployed: Deployed, edge_template: dict[str, Any]) -> list[str]:
    """R_OPS_03: the stacks give every output they declare (`make deploy` reads them), and they name
    what the stacks made: the edge's web ACL is the distribution's, the portal bucket exists."""
    import boto3

    problems = [f"output {name} missing" for template, outputs in ((deployed.template, deployed.outputs),
                                                                     (edge_template, deployed.edge))
                for name in sorted(template["Outputs"]) if not outputs.get(name)]
    acl = deployed.made["WebAcl"]
    if deployed.edge.get("WebAclArn") != acl.physical_resource_id:
        problems.append("the edge stack's WebAclArn is not its web ACL")
    distribution = deployed.made["PortalDistribution"].properties["DistributionConfig"]
    if distribution.get("WebACLId") != acl.physical_resource_id:
        problems.append("the distribution is not behind the edge's web ACL")
    buckets = {b["Name"] for b in boto3.client("s3", region_name=REGION).list_buckets()["Buckets"]}
    if deployed.outputs.get("PortalBucketName") not in buckets:
        problems.append("PortalBucketName is no bucket")
    return problems


def check_tables() -> list[str]:
    """R_OPS_01, R_PRV_04: the tables the functions are told to use exist, with the keys, indexes and TTL
    the models declare (what the local stack and the tests create) and the backups the register states."""
    import boto3

    from chalicelib.models import ALL_MODELS, ttl_attribute_of
    from chalicelib.privacy.register import TABLES

    dynamodb = boto3.client("dynamodb", region_name=REGION)
    made = set(dynamodb.list_tables()["TableNames"])
    problems = [f"no model for table {name}" for name in sorted(made - {m.Meta.table_name for m in ALL_MODELS})]
    for model in ALL_MODELS:
        name = model.Meta.table_name
        if name not in made:
            problems.append(f"{model.__name__}: table {name} was not made")
            continue
        problems += [f"{name}: {p}" for p in _table_differences(model._get_schema(), dynamodb, name)]
        ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        declared = ttl_attribute_of(model)
        if (ttl.get("AttributeName") if ttl["TimeToLiveStatus"] == "ENABLED" else None) != (
                declared.attr_name if declared else None):
            problems.append(f"{name}: TTL {ttl}")
        recovery = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"][
            "PointInTimeRecoveryDescription"]
        days = recovery.get("RecoveryPeriodInDays", 0) if recovery["PointInTimeRecoveryStatus"] == "ENABLED" else 0
        if days != TABLES[model.__name__].backup_days:
            problems.append(f"{name}: point-in-time recovery {days} days, the register says "
                            f"{TABLES[model.__name__].backup_days}")
    return problems


def _table_differences(schema: Mapping[str, Any], dynamodb: Any, name: str) -> list[str]:
    table = dynamodb.describe_table(TableName=name)["Table"]
    made = _shape(table["KeySchema"], table["AttributeDefinitions"], [
        (i["IndexName"], i["KeySchema"], i["Projection"])
        for i in table.get("GlobalSecondaryIndexes", []) + table.get("LocalSecondaryIndexes", [])])
    declared = _shape(schema["key_schema"], schema["attribute_definitions"], [
        (i["index_name"], i["key_schema"], i["projection"])
        for i in schema["global_secondary_indexes"] + schema["local_secondary_indexes"]])
    differences = [f"{part}: made {made[part]}, declared {declared[part]}"
                   for part in made if made[part] != declared[part]]
    if table.get("BillingModeSummary", {}).get("BillingMode") != "PAY_PER_REQUEST":
        differences.append("not billed per request")
    return differences


def _shape(keys: list[dict[str, str]], attributes: list[dict[str, str]],
           indexes: list[tuple[str, list[dict[str, str]], dict[str, Any]]]) -> dict[str, Any]:
    def key(entries: list[dict[str, str]]) -> list[tuple[str, str]]:
        return sorted((k["AttributeName"], k["KeyType"]) for k in entries)

    return {
        "keys": key(keys),
        "attribute types": sorted((a["AttributeName"], a["AttributeType"]) for a in attributes),
        "indexes": {name: (key(index_keys), projection["ProjectionType"],
                           sorted(projection.get("NonKeyAttributes", [])))
                    for name, index_keys, projection in indexes},
    }


def _role_statements(role_arn: str) -> list[dict[str, Any]]:
    import boto3

    iam = boto3.client("iam")
    role = role_arn.rsplit("/", 1)[-1]
    statements: list[dict[str, Any]] = []
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
        if isinstance(document, str):  # moto keeps a role's own inline policies from CloudFormation as repr()
            document = ast.literal_eval(document)
        statements += document["Statement"]
    return statements


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _allowed(statements: list[dict[str, Any]], action: str) -> set[str]:
    """The resources the statements allow `action` on."""
    return {resource for s in statements if s["Effect"] == "Allow" and action in _listed(s["Action"])
            for resource in _listed(s["Resource"])}


def check_operations(deployed: Deployed, deployed_functions: dict[str, dict[str, Any]]) -> list[str]:
    """R_OPS_01: every function's errors and throttles and every job's missed runs raise an alarm to the
    operators' topic; a job run that keeps failing goes to the dead-letter queue, which the job's role may
    send to and which has an alarm of its own; API 5xx are watched on the API and stage that exist."""
    import boto3

    resources = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in boto3.client(
        "cloudformation", region_name=REGION).list_stack_resources(StackName=STACK)["StackResourceSummaries"]}
    topic = resources["OperatorsTopic"]
    sqs = boto3.client("sqs", region_name=REGION)
    queue_arn = sqs.get_queue_attributes(QueueUrl=resources["JobDeadLetterQueue"],
                                         AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    alarms = [m.properties for m in deployed.made.values() if m.kind == "AWS::CloudWatch::Alarm"]
    problems = [f"alarm {a['AlarmDescription']!r} goes to {a.get('AlarmActions')}" for a in alarms
                if a.get("AlarmActions") != [topic]]
    watched: dict[tuple[str, str], set[str]] = {}
    for alarm in alarms:
        for dimension in alarm["Dimensions"]:
            watched.setdefault((dimension["Name"], dimension["Value"]), set()).add(alarm["MetricName"])
    jobs = _scheduled_function_arns()
    retries = {m.properties["FunctionName"]: m.properties for m in deployed.made.values()
               if m.kind == "AWS::Lambda::EventInvokeConfig"}
    for logical, config in sorted(deployed_functions.items()):
        name = config["FunctionName"]
        wanted = {"Errors", "Throttles"} | ({"Invocations"} if config["FunctionArn"] in jobs else set())
        if not wanted <= watched.get(("FunctionName", name), set()):
            problems.append(f"{logical}: alarms on {sorted(watched.get(('FunctionName', name), set()))}")
        if config["FunctionArn"] not in jobs:
            continue
        destination = retries.get(name, {}).get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
        if destination != queue_arn:
            problems.append(f"{logical}: failed runs go to {destination}, not the dead-letter queue")
        if queue_arn not in _allowed(_role_statements(config["Role"]), "sqs:SendMessage"):
            problems.append(f"{logical}: its role may not send to the dead-letter queue")
    if "ApproximateNumberOfMessagesVisible" not in watched.get(("QueueName", queue_arn.rsplit(":", 1)[-1]), set()):
        problems.append("no alarm on the dead-letter queue")
    api = boto3.client("apigateway", region_name=REGION).get_rest_api(restApiId=resources["RestAPI"])
    stage = next(m.properties["StageName"] for m in deployed.made.values() if m.kind == "AWS::ApiGateway::Stage")
    if "5XXError" not in watched.get(("ApiName", api["name"]), set()) or ("Stage", stage) not in watched:
        problems.append(f"no 5xx alarm on API {api['name']} stage {stage}")
    return problems


def _scheduled_function_arns() -> set[str]:
    import boto3

    events = boto3.client("events", region_name=REGION)
    return {target["Arn"] for rule in events.list_rules()["Rules"] if rule.get("ScheduleExpression")
            for target in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]}


def check_environments(deployed_functions: dict[str, dict[str, Any]]) -> list[str]:
    """R_SEC_04, R_OPS_01: every function runs in the stage `prod` on the same tables (R_SEC_04: a stage
    is named), and names the SSM parameter of the signing keys, which its role may read, and only that (the
    EDU-DEX sync jobs also the directory tokens, R_DEX_01)."""
    import boto3

    account = boto3.client("sts").get_caller_identity()["Account"]
    api = deployed_functions["APIHandler"]["Environment"]["Variables"]
    problems = []
    for logical, config in sorted(deployed_functions.items()):
        variables = config["Environment"]["Variables"]
        if variables.get("LEERRIJK_STAGE") != "prod" or variables.get("LEERRIJK_TABLE_PREFIX") != api[
                "LEERRIJK_TABLE_PREFIX"]:
            problems.append(f"{logical}: stage {variables.get('LEERRIJK_STAGE')}, tables "
                            f"{variables.get('LEERRIJK_TABLE_PREFIX')}*")
        parameter = variables.get("LEERRIJK_SIGNING_KEYS_PARAMETER")
        readable = _allowed(_role_statements(config["Role"]), "ssm:GetParameter")
        expected = {f"arn:aws:ssm:{REGION}:{account}:parameter{parameter}"}
        if logical.startswith("SyncDirectory"):  # and the EDU-DEX tokens, those jobs only (R_DEX_01)
            expected.add(f"arn:aws:ssm:{REGION}:{account}:parameter{DIRECTORY_TOKEN_PARAMETERS}")
        if not parameter or readable != expected:
            problems.append(f"{logical}: names parameter {parameter}, its role may read {sorted(readable)}")
    return problems


def check_routes(api_function_arn: str) -> list[str]:
    """R_OPS_01: every route of the app is a method of the deployed API, handled by the API function."""
    import boto3

    import app  # noqa: F401  - registers its routes
    from chalicelib.access import ROUTES

    gateway = boto3.client("apigateway", region_name=REGION)
    (api,) = gateway.get_rest_apis()["items"]
    methods: dict[tuple[str, str], str] = {}
    for resource in gateway.get_resources(restApiId=api["id"], limit=500)["items"]:
        for method in resource.get("resourceMethods", {}):
            integration = gateway.get_integration(restApiId=api["id"], resourceId=resource["id"], httpMethod=method)
            methods[(resource["path"], method)] = integration.get("uri", "")
    problems = [f"{method} {path}: {methods.get((path, method), 'missing')}"
                for path, method in sorted(ROUTES) if api_function_arn not in methods.get((path, method), "")]
    return problems + ([] if ROUTES else ["the app declares no route"])


# --- the deploy's last step: the data migrations -------------------------------------------------------------


def migrate(api_environment: dict[str, str]) -> list[str]:
    """R_OPS_04: `make deploy` ends with `deploy.migration_step`; run here with its own arguments, in this
    process, on the tables CloudFormation made. It must name the tables the API function was given, and
    afterwards every registered migration's record says done. A first deploy has no old code that could still
    write, so the final pass need not wait for one (`--grace-seconds 0`)."""
    import io
    from contextlib import redirect_stdout
    from datetime import UTC, datetime

    from tools import deploy
    from tools import migrate as migrate_tool

    command, environment = deploy.migration_step("prod", datetime.now(UTC))
    problems = [f"the migration step's {name} is {environment.get(name)!r}, the API function's {wanted!r}"
                for name, wanted in (("LEERRIJK_STAGE", api_environment.get("LEERRIJK_STAGE")),
                                     ("LEERRIJK_TABLE_PREFIX", api_environment.get("LEERRIJK_TABLE_PREFIX")),
                                     ("AWS_REGION", REGION))
                if environment.get(name) != wanted]
    printed = io.StringIO()
    with redirect_stdout(printed):
        code = migrate_tool.main([*command[command.index("tools.migrate") + 1:], "--grace-seconds", "0"])
    if code != 0:
        problems.append(f"python -m tools.migrate run ended with {code}: {printed.getvalue()[-500:]}")
    return problems + unfinished_migrations()


def unfinished_migrations() -> list[str]:
    from chalicelib.migrations import runner

    return [f"{migration.migration_id}: {run.state if run is not None else 'never ran'}"
            for migration, run in runner.runs() if run is None or run.state != runner.DONE]


# --- the smoke journey ---------------------------------------------------------------------------------


def operate(deployed: Deployed, api_environment: dict[str, str]) -> None:
    """What the operator and AWS do after the deploy (README, Deploying): the signing keys go into SSM,
    SES verifies the mail identity the stack declared, and the API function runs with its environment."""
    import secrets

    import boto3

    from devstack.__main__ import _share_botocore_loader

    _share_botocore_loader()  # as the local stack: one parse of DynamoDB's service model, not one per table
    boto3.client("ssm", region_name=REGION).put_parameter(
        Name=api_environment["LEERRIJK_SIGNING_KEYS_PARAMETER"], Type="SecureString",
        Value=secrets.token_urlsafe(48))
    boto3.client("sesv2", region_name=REGION).create_email_identity(
        EmailIdentity=deployed.made["MailIdentity"].properties["EmailIdentity"])
    os.environ.update(api_environment)


def journey() -> list[str]:
    """R_OPS_01: the app, run with the API function's deployed environment on the tables CloudFormation
    made: a supplier publishes a course, a civil servant signs up, logs in, finds it and enrols."""
    from chalice.test import Client

    from app import app
    from chalicelib.catalogue.use_cases import course_id_for
    from chalicelib.models import Organisation
    from chalicelib.platform import clock
    from chalicelib.platform.config import settings
    from chalicelib.suppliers import apikeys
    from chalicelib.suppliers.use_cases import create_supplier
    from devstack.edudex_builder import Run, program

    email, problems = "bo.dewit@minbzk.nl", []
    Organisation("org-bzk", name="Ministerie van BZK", domains={"minbzk.nl"}, created_at=clock.now()).save()
    create_supplier("sup-r", "Opleider R", "extern", "inschrijvingen@opleider.example", "email", "2026-01", clock.now())
    supplier_key = apikeys.create_key("supplier", "sup-r", "rehearsal").token
    start = clock.today() + timedelta(days=60)
    document = program("sup-r", "P-1", "Projectmatig werken", "Kort", "Lang",
                       runs=[Run("r1", start, start + timedelta(days=1), "Utrecht", seats=5)])
    portal = {"Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": settings.portal_origin}
    with Client(app, stage_name="prod", project_dir=str(ROOT)) as client:

        def step(name: str, expected: int, method: str, path: str, body: Any = None, **headers: str) -> Any:
            answer = client.http.request(method, path, headers={**portal, **headers},
                                         body=b"" if body is None else json.dumps(body).encode())
            if answer.status_code != expected:
                problems.append(f"{name}: {answer.status_code} {answer.body[:300]!r}")
            return answer

        step("publish", 200, "PUT", "/supplier/programs/P-1", document, Authorization=f"Bearer {supplier_key}")
        step("sign up", 202, "POST", "/auth/signup", {
            "first_name": "Bo", "last_name": "de Wit", "email": email, "org_id": "org-bzk", "consent": True,
            "statement_version": settings.privacy_statement_version})
        step("confirm", 200, "POST", "/auth/verify", {"token": _link_token(email)})
        step("log in", 202, "POST", "/auth/login", {"email": email})
        cookie = _session_cookie(step("open the link", 200, "POST", "/auth/verify", {"token": _link_token(email)}))
        found = step("search", 200, "GET", "/courses?q=projectmatig").json_body or {}
        course_id = course_id_for("sup-r", "P-1")
        if course_id not in [item["course_id"] for item in found.get("items", [])]:
            problems.append(f"search: the published course is not found ({found})")
        step("enrol", 201, "POST", "/enrolments", {
            "course_id": course_id, "execution_id": "r1", "first_name": "Bo", "last_name": "de Wit",
            "email": email, "phone": "+31 70 123 4567", "gender": "man", "consent": True,
        }, Cookie=cookie, **{"Idempotency-Key": "rehearsal-1"})
    return problems


def _link_token(address: str) -> str:
    """The token of the newest e-mail link sent to `address` (moto records what SES sent)."""
    import re

    import boto3
    from moto.ses.models import ses_backends

    account = boto3.client("sts").get_caller_identity()["Account"]
    for message in reversed(ses_backends[account][REGION].sent_messages):
        if address in message.destinations.get("ToAddresses", []):
            found = re.search(r"#token=([A-Za-z0-9_-]+)", message.body)
            if found:
                return found.group(1)
    return "no-link-was-sent"


def _session_cookie(answer: Any) -> str:
    from http.cookies import SimpleCookie

    headers = answer.headers.get("Set-Cookie") or []
    for header in [headers] if isinstance(headers, str) else headers:
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            if name.endswith("lr_session") and morsel.value:
                return f"{name}={morsel.value}"
    return ""


# --- the run -------------------------------------------------------------------------------------------


def main() -> int:
    started = time.perf_counter()
    isolate_environment()
    import moto

    sam = json.loads((DIST / "sam.json").read_text(encoding="utf-8"))
    edge = json.loads((ROOT / "infra" / "edge.json").read_text(encoding="utf-8"))
    results: list[tuple[str, list[str]]] = []

    def check(name: str, run: Callable[[], list[str]]) -> None:
        try:
            results.append((name, run()))
        except Exception as err:  # a crash is a failed check, reported with the others
            results.append((name, [f"{type(err).__name__}: {err}"]))

    with moto.mock_aws():
        check("the resource types moto skips are those with stand-ins", lambda: skipped_types([sam, edge]))
        try:
            deployed = deploy_both(sam, DIST / "deployment.zip")
        except Exception as err:
            print(f"FAIL R_OPS_01 R_OPS_03 the stacks deploy\n       {type(err).__name__}: {err}")
            return 1
        deployed_functions = functions()
        operate(deployed, deployed_functions["APIHandler"]["Environment"]["Variables"])
        check("R_OPS_03 the outputs `make deploy` reads name what the stacks made",
              lambda: check_outputs(deployed, edge))
        check("R_OPS_01 R_PRV_04 tables, keys, indexes, TTL and backups equal the models and the register",
              check_tables)
        check("R_OPS_01 every function and job is watched, failed job runs reach the dead-letter queue",
              lambda: check_operations(deployed, deployed_functions))
        check("R_SEC_04 every function names its stage, its tables and the signing-keys parameter its role may "
              "read, and only that (the directory sync jobs also the directory tokens)",
              lambda: check_environments(deployed_functions))
        check("R_OPS_01 every route is a method of the deployed API, handled by the API function",
              lambda: check_routes(deployed_functions["APIHandler"]["FunctionArn"]))
        check("R_OPS_04 the deploy's migration step runs on the deployed tables; every migration is done",
              lambda: migrate(deployed_functions["APIHandler"]["Environment"]["Variables"]))
        check("R_OPS_01 smoke journey on the deployed tables: publish, sign up, log in, search, enrol", journey)
    for name, problems in results:
        print(f"{'ok  ' if not problems else 'FAIL'} {name}")
        for problem in problems:
            print(f"       {problem}")
    failed = sum(1 for _, problems in results if problems)
    print(f"deploy-rehearsal: {len(results) - failed} of {len(results)} checks passed "
          f"({len(deployed.template['Resources'])} + {len(edge['Resources'])} resources, "
          f"{len(deployed.made)} stand-ins) in {time.perf_counter() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
