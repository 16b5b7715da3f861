"""The production template stands up the whole system (R_OPS_01), keeps no IP, token or personal data
in any log or copy longer than allowed (R_OPS_02), and is checked offline (R_OPS_03).

Reads the packaged main stack (`chalice package` + infra/resources.json) and infra/edge.json.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Any

import pytest

from chalicelib.jobs import JOBS
from devstack.build_portal import portal_csp
from tests.conftest import ROOT
from tests.infra.conftest import Packaged
from tools import gen_hosting

EDGE = json.loads((ROOT / "infra" / "edge.json").read_text(encoding="utf-8"))


def _one(packaged: Packaged, kind: str) -> dict[str, Any]:
    found = packaged.resources(kind)
    assert len(found) == 1, (kind, sorted(found))
    return next(iter(found.values()))["Properties"]


def _distribution(packaged: Packaged) -> dict[str, Any]:
    return _one(packaged, "AWS::CloudFront::Distribution")["DistributionConfig"]


def test_R_OPS_01_the_portal_bucket_is_private_and_read_only_by_this_distribution(packaged: Packaged) -> None:
    bucket = _one(packaged, "AWS::S3::Bucket")
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    statements = _one(packaged, "AWS::S3::BucketPolicy")["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert len(allows) == 1 and allows[0]["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allows[0]["Action"] == "s3:GetObject"
    assert "PortalDistribution" in json.dumps(allows[0]["Condition"]["StringEquals"]["AWS:SourceArn"])
    origins = {o["Id"]: o for o in _distribution(packaged)["Origins"]}
    assert origins["portal"]["OriginAccessControlId"] == {"Fn::GetAtt": ["PortalOriginAccessControl", "Id"]}
    assert origins["portal"]["S3OriginConfig"] == {"OriginAccessIdentity": ""}


def test_R_OPS_01_api_paths_go_uncached_to_the_api_stage_with_only_what_the_api_reads(packaged: Packaged) -> None:
    distribution = _distribution(packaged)
    (api,) = [b for b in distribution["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert api["TargetOriginId"] == "api"
    assert set(api["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    origin = next(o for o in distribution["Origins"] if o["Id"] == "api")
    assert "${RestAPI}.execute-api" in origin["DomainName"]["Fn::Sub"]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    cache = packaged.template["Resources"]["ApiCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert cache["MaxTTL"] <= 1 and cache["DefaultTTL"] == 0
    keyed = cache["ParametersInCacheKeyAndForwardedToOrigin"]
    assert keyed["HeadersConfig"]["Headers"] == ["Authorization"]
    request = packaged.template["Resources"]["ApiOriginRequestPolicy"]["Properties"]["OriginRequestPolicyConfig"]
    assert set(request["HeadersConfig"]["Headers"]) == set(gen_hosting.API_HEADERS)
    assert set(request["CookiesConfig"]["Cookies"]) == {"lr_session", "__Host-lr_session"}
    # Custom error pages apply to every origin: they would replace the API's error envelope.
    assert "CustomErrorResponses" not in distribution


def test_R_OPS_01_portal_answers_carry_the_portal_security_headers(packaged: Packaged) -> None:
    policy = _one(packaged, "AWS::CloudFront::ResponseHeadersPolicy")["ResponseHeadersPolicyConfig"]
    security = policy["SecurityHeadersConfig"]
    assert security["ContentSecurityPolicy"]["ContentSecurityPolicy"] == portal_csp(None)
    assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert security["ReferrerPolicy"]["ReferrerPolicy"] == "no-referrer"
    assert security["FrameOptions"]["FrameOption"] == "DENY"
    assert security["ContentTypeOptions"]["Override"] is True
    default = _distribution(packaged)["DefaultCacheBehavior"]
    assert default["ResponseHeadersPolicyId"] == {"Ref": "PortalResponseHeadersPolicy"}
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"


@pytest.mark.parametrize(("uri", "expected"), [
    ("/", {"uri": "/index.html"}),
    ("/zoeken/", {"uri": "/zoeken/index.html"}),
    ("/zoeken", {"statusCode": 301}),
    ("/assets/site.css", {"uri": "/assets/site.css"}),
    ("/robots.txt", {"uri": "/robots.txt"}),
    ("/favicon.svg", {"uri": "/favicon.svg"}),
    ("/bestaat-niet/", {"statusCode": 404}),
])
def test_R_OPS_01_the_viewer_function_serves_directory_pages_and_a_404_page(uri: str, expected: dict[str, Any]) -> None:
    node = shutil.which("node")
    assert node, "node is needed (it installs the portal's npm packages too)"
    code = gen_hosting.pages_function(["/", "/zoeken/"])
    script = code + f"\nconsole.log(JSON.stringify(handler({{request: {{uri: {json.dumps(uri)}, headers: {{}}}}}})));"
    result = json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout)
    assert {k: result.get(k) for k in expected} == expected
    if expected.get("statusCode") == 404:
        assert "Pagina niet gevonden" in result["body"]["data"]


def test_R_OPS_01_R_ACC_03_R_CON_04_the_edge_limits_link_contact_and_question_requests_per_ip() -> None:
    acl = EDGE["Resources"]["WebAcl"]["Properties"]
    assert acl["Scope"] == "CLOUDFRONT"
    rated = {
        r["Statement"]["RateBasedStatement"]["ScopeDownStatement"]["ByteMatchStatement"]["SearchString"]:
            r["Statement"]["RateBasedStatement"]
        for r in acl["Rules"] if "RateBasedStatement" in r["Statement"]
    }
    assert set(rated) == {"/api/auth/", "/api/contact", "/api/me/questions"}
    assert {r["AggregateKeyType"] for r in rated.values()} == {"IP"}
    blocks = [r["Action"]["Block"]["CustomResponse"] for r in acl["Rules"] if "RateBasedStatement" in r["Statement"]]
    assert {b["ResponseCode"] for b in blocks} == {429}
    body = json.loads(acl["CustomResponseBodies"]["rate_limited"]["Content"])
    assert set(body["error"]) == {"code", "message", "fields"}
    managed = {r["Statement"]["ManagedRuleGroupStatement"]["Name"] for r in acl["Rules"]
               if "ManagedRuleGroupStatement" in r["Statement"]}
    assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"} <= managed
    assert _distribution_web_acl_parameter()


def _waf_matches(statement: dict[str, Any], path: str, body: int, inspected: int) -> bool:
    """What WAF decides for a request with this path and body size (the statement kinds the edge uses)."""
    kind, spec = next(iter(statement.items()))
    if kind == "AndStatement":
        return all(_waf_matches(s, path, body, inspected) for s in spec["Statements"])
    if kind == "OrStatement":
        return any(_waf_matches(s, path, body, inspected) for s in spec["Statements"])
    if kind == "NotStatement":
        return not _waf_matches(spec["Statement"], path, body, inspected)
    if kind == "ByteMatchStatement":
        assert spec["FieldToMatch"] == {"UriPath": {}} and spec["PositionalConstraint"] == "STARTS_WITH"
        assert [t["Type"] for t in spec["TextTransformations"]] == ["LOWERCASE"]
        return path.lower().startswith(spec["SearchString"])
    assert kind == "SizeConstraintStatement" and spec["ComparisonOperator"] == "GT", kind
    if body > inspected:  # WAF sees only the first `inspected` bytes
        return {"MATCH": True, "NO_MATCH": False}[spec["FieldToMatch"]["Body"]["OversizeHandling"]]
    return body > spec["Size"]


@pytest.mark.parametrize(("method", "route", "path", "body"), [
    ("POST", "/contact", "/api/contact", 64 * 1024),
    ("POST", "/contact", "/api/contact", 64 * 1024 + 1),
    ("POST", "/contact", "/API/Contact", 64 * 1024 + 1),
    ("POST", "/courses/{course_id}/reviews", "/api/courses/c-1/reviews", 20 * 1024),
    ("POST", "/courses/{course_id}/reviews", "/api/courses/c-1/reviews", 200 * 1024),
    ("PUT", "/supplier/programs/{program_id}", "/api/supplier/programs/p-1", 1024 * 1024),
    ("PUT", "/supplier/programs/{program_id}", "/api/supplier/programs/p-1", 1024 * 1024 + 1),
])
def test_R_OPS_01_R_SEC_02_the_edge_refuses_the_api_bodies_the_api_would_refuse_and_no_others(
    method: str, route: str, path: str, body: int
) -> None:
    """Above the API's body limit the edge answers 413 in the API's envelope before a function runs; at
    or below it, or on a route that accepts more than WAF can see (suppliers' EDU-DEX documents, which
    the API limits itself), the body goes through."""
    import app  # noqa: F401  - registers the routes with their limits
    from chalicelib.access import ROUTES, RouteSpec
    from chalicelib.platform.errors import TooLargeError

    acl = EDGE["Resources"]["WebAcl"]["Properties"]
    limit = acl["AssociationConfig"]["RequestBody"]["CLOUDFRONT"]["DefaultSizeInspectionLimit"]
    inspected = int(limit.removeprefix("KB_")) * 1024
    (rule,) = [r for r in acl["Rules"] if r.get("Action", {}).get("Block", {}).get("CustomResponse", {}).get(
        "ResponseCode") == 413]
    spec = ROUTES[(route, method)]
    app_refuses = body > spec.max_body_bytes
    assert _waf_matches(rule["Statement"], path, body, inspected) == (app_refuses and spec.max_body_bytes <= inspected)
    key = rule["Action"]["Block"]["CustomResponse"]["CustomResponseBodyKey"]
    too_large = TooLargeError(fields={"body": f"Maximaal {RouteSpec.max_body_bytes // 1024} kB."})
    assert json.loads(acl["CustomResponseBodies"][key]["Content"]) == too_large.envelope()


def _distribution_web_acl_parameter() -> bool:
    resources = json.loads((ROOT / "infra" / "resources.json").read_text(encoding="utf-8"))
    config = resources["Resources"]["PortalDistribution"]["Properties"]["DistributionConfig"]
    return bool(config["WebACLId"] == {"Ref": "WebAclArn"} and "WebAclArn" in resources["Parameters"])


def test_R_OPS_02_R_VIS_02_no_log_or_sample_keeps_a_client_ip_path_or_query(packaged: Packaged) -> None:
    assert "Logging" not in _distribution(packaged)
    for name, resource in packaged.resources("AWS::Serverless::Api").items():
        assert "AccessLogSetting" not in resource["Properties"], name
    for stage in packaged.resources("AWS::ApiGateway::Stage").values():
        assert "AccessLogSetting" not in stage["Properties"]
    assert not [r for r in EDGE["Resources"].values() if r["Type"] == "AWS::WAFv2::LoggingConfiguration"]
    visibility = [EDGE["Resources"]["WebAcl"]["Properties"]["VisibilityConfig"]]
    visibility += [r["VisibilityConfig"] for r in EDGE["Resources"]["WebAcl"]["Properties"]["Rules"]]
    assert {v["SampledRequestsEnabled"] for v in visibility} == {False}
    bucket = _one(packaged, "AWS::S3::Bucket")
    assert "LoggingConfiguration" not in bucket
    for name, group in packaged.resources("AWS::Logs::LogGroup").items():
        assert group["Properties"]["RetentionInDays"] <= 14, name


def test_R_OPS_01_every_function_and_job_is_watched_and_failed_runs_are_kept(packaged: Packaged) -> None:
    alarms = packaged.resources("AWS::CloudWatch::Alarm")
    functions = packaged.resources("AWS::Serverless::Function")
    for logical in functions:
        assert {f"{logical}ErrorsAlarm", f"{logical}ThrottlesAlarm"} <= set(alarms), logical
    jobs = {logical for logical, f in functions.items()
            if any(e["Type"] == "Schedule" for e in f["Properties"].get("Events", {}).values())}
    assert len(jobs) == len(JOBS)
    for logical in jobs:
        missed = alarms[f"{logical}MissedRunAlarm"]["Properties"]
        assert missed["MetricName"] == "Invocations" and missed["TreatMissingData"] == "breaching"
        retry = packaged.template["Resources"][f"{logical}RetryConfig"]["Properties"]
        assert retry["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": ["JobDeadLetterQueue", "Arn"]}
    dead_letter_roles = packaged.template["Resources"]["JobDeadLetterPolicy"]["Properties"]["Roles"]
    assert {r["Ref"] for r in dead_letter_roles} == {functions[j]["Properties"]["Role"]["Fn::GetAtt"][0] for j in jobs}
    assert alarms["ApiServerErrorsAlarm"]["Properties"]["MetricName"] == "5XXError"
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "OperatorsTopic"}]


def test_R_OPS_01_R_SEC_04_signing_keys_come_from_ssm_and_every_function_may_read_only_that(packaged: Packaged) -> None:
    policy = packaged.template["Resources"]["ReadSigningKeysPolicy"]["Properties"]
    roles = {r["Ref"] for r in policy["Roles"]}
    # The roles the functions actually run with, as chalice emitted them (R_OPS_01: the names must exist).
    function_roles = {f["Properties"]["Role"]["Fn::GetAtt"][0]
                      for f in packaged.resources("AWS::Serverless::Function").values()}
    assert roles == function_roles
    assert function_roles <= set(packaged.resources("AWS::IAM::Role"))
    (read, decrypt) = policy["PolicyDocument"]["Statement"]
    assert read["Action"] == "ssm:GetParameter" and gen_hosting.SIGNING_KEYS_PARAMETER in read["Resource"]["Fn::Sub"]
    assert decrypt["Condition"]["StringEquals"]["kms:ViaService"]
    for function in packaged.resources("AWS::Serverless::Function").values():
        variables = function["Properties"]["Environment"]["Variables"]
        assert "LEERRIJK_SIGNING_KEYS" not in variables
        assert variables["LEERRIJK_SIGNING_KEYS_PARAMETER"] == gen_hosting.SIGNING_KEYS_PARAMETER


def test_R_OPS_01_mail_identity_signs_with_dkim_and_tells_the_operator_the_records(packaged: Packaged) -> None:
    identity = _one(packaged, "AWS::SES::EmailIdentity")
    assert identity["DkimSigningAttributes"]["NextSigningKeyLength"] == "RSA_2048_BIT"
    outputs = packaged.template["Outputs"]
    assert {"DkimRecord1", "DkimRecord2", "DkimRecord3", "PortalURL"} <= set(outputs)


def test_R_OPS_03_deploying_is_one_command_whose_plan_runs_offline(capsys: pytest.CaptureFixture[str]) -> None:
    from tools import deploy

    assert deploy.main(["--dry-run"]) == 0
    plan = capsys.readouterr().out
    for step in ("tools.package", "us-east-1", "eu-west-1", "CAPABILITY_AUTO_EXPAND", "invalidation"):
        assert step in plan
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_prerequisites = makefile.split("\ntest:", 1)[1].splitlines()[0].split()
    assert {"deploy-check", "deploy-rehearsal"} <= set(test_prerequisites)


def test_R_OPS_01_the_deploy_caches_exactly_the_content_named_assets_the_build_lists_for_a_year() -> None:
    """The portal build's manifest (build/portal-assets.json) is the one list: the deploy gives its files a
    year's caching and revalidates everything else, pages and plain-named assets alike."""
    from devstack.build_portal import OUT, immutable_keys, manifest_file
    from tools.deploy import LONG_CACHE, REVALIDATE, portal_uploads

    listed = json.loads(manifest_file(OUT).read_text(encoding="utf-8"))
    assert "api.js" in listed and "portal.css" in listed
    uploads = {upload.key: upload.cache_control for upload in portal_uploads()}
    assert {key for key, cache in uploads.items() if cache == LONG_CACHE} == immutable_keys(OUT)
    assert uploads[f"assets/{listed['api.js']}"] == LONG_CACHE
    for key in ("assets/api.js", "index.html", "zoeken/index.html"):
        assert uploads[key] == REVALIDATE


def test_R_OPS_01_pages_refer_to_content_hashed_assets() -> None:
    index = (ROOT / "build" / "portal" / "index.html").read_text(encoding="utf-8")
    referenced = re.findall(r'(?:href|src)="/assets/([^"?]+)"', index)
    assert referenced and all(re.search(r"\.[0-9a-f]{12}\.[a-z0-9]+$", name) for name in referenced)
