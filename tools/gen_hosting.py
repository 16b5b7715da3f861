"""What a real deployment needs around the API (R_OPS_01-02): portal hosting, the edge, keys, mail, alarms.

Two fragments, generated with the rest by `python -m tools.gen_infra` (`make infra`):

- merged into the main stack (eu-west-1, with chalice's template): the private portal bucket behind
  CloudFront with origin access control, `/api/*` to the API Gateway stage `api` (no caching, only the
  headers and cookies the API reads), a response-headers policy with the portal's CSP, a viewer
  function for directory indexes and unknown pages, the SES identity with DKIM and a configuration
  set, read access to the signing keys in SSM, an SNS topic with alarms on API 5xx, function errors
  and throttles and on every scheduled job that fails or does not run in its window, and a
  dead-letter queue for scheduled runs that keep failing;
- `infra/edge.json`, a stack for us-east-1 (CloudFront's web ACLs live there): the WAF web ACL with
  per-IP rate rules on link requests, the contact form and the question form, a 413 for API bodies over
  the API's own limit, and AWS managed rule groups, answering with the API's error envelope. Its ARN
  is the main stack's `WebAclArn`.

No log configuration anywhere holds a client IP, a path or a query string (tokens and signatures
travel in URLs): CloudFront standard logs are off, API Gateway access logs are off, WAF logging and
sampled requests are off (R_VIS_02, R_OPS_02).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

# AWS managed CloudFront policies (fixed ids, documented by AWS).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
SIGNING_KEYS_PARAMETER = "/leer-rijk/prod/signing-keys"
# One SecureString per EDU-DEX connection (chalicelib/directory/client.py token_parameter), read by the sync jobs only.
DIRECTORY_TOKEN_PARAMETERS = "/leer-rijk/prod/directory/*"
SESSION_COOKIES = ("lr_session", "__Host-lr_session")
# Request headers the API reads; everything else stays at the edge. Authorization is in the cache
# policy (CloudFront forwards it only from there), with a cache lifetime of at most one second and
# API answers that say `no-store`.
API_HEADERS = ("Origin", "Content-Type", "X-Leer-Rijk", "Idempotency-Key", "CloudFront-Viewer-Address")
# Per-IP limits at the edge, per 5 minutes (WAF's window); the application's own limits are per
# address and global, never per IP (R_ACC_03, R_CON_04, R_QST_02).
EDGE_RATE_RULES: tuple[tuple[str, str, int], ...] = (
    ("LinkRequestsPerIp", "/api/auth/", 100),
    ("ContactFormPerIp", "/api/contact", 20),
    ("QuestionFormPerIp", "/api/me/questions", 20),
)
MANAGED_RULE_GROUPS = (
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
)
ALARM_PERIOD_SECONDS = 300


def envelope(code: str, message: str, fields: Mapping[str, str] | None = None) -> str:
    return json.dumps({"error": {"code": code, "message": message, "fields": dict(fields or {})}},
                      ensure_ascii=False)


def build_hosting(
    functions: Iterable[tuple[str, str, str]], jobs: Mapping[str, int], portal_csp: str, portal_pages: Iterable[str],
    directory_jobs: Iterable[str] = (),
) -> dict[str, Any]:
    """`functions`: (logical id, function name, logical id of its IAM role) of every Lambda function,
    the API's first, as `chalice package` emits them; `jobs`: scheduled function logical id -> cadence
    in minutes; `portal_pages`: URL paths of the built portal's pages (for the viewer function);
    `directory_jobs`: logical ids of the functions that read the EDU-DEX directory tokens."""
    listed = list(functions)
    roles = {logical: role for logical, _, role in listed}
    resources: dict[str, Any] = {}
    resources.update(_portal(portal_csp, sorted(portal_pages)))
    resources.update(_mail())
    resources.update(_keys(list(roles.values())))
    resources.update(_directory_tokens([roles[logical] for logical in sorted(directory_jobs)]))
    resources.update(_operations([(logical, name) for logical, name, _ in listed], jobs, roles))
    return {"Parameters": _parameters(), "Conditions": CONDITIONS, "Resources": resources, "Outputs": _outputs()}


def _parameters() -> dict[str, Any]:
    return {
        "WebAclArn": {"Type": "String",
                      "Description": "ARN of the CloudFront web ACL from infra/edge.json (us-east-1)"},
        "MailDomain": {"Type": "String", "Default": "leer-rijk.example",
                       "Description": "The domain Leer-Rijk sends e-mail from (SES identity with DKIM)"},
        "AlarmEmail": {"Type": "String", "Default": "",
                       "Description": "Operators' address for alarms (empty: subscribe later)"},
    }


def _outputs() -> dict[str, Any]:
    outputs: dict[str, Any] = {
        "PortalURL": {"Value": {"Fn::Sub": "https://${PortalDistribution.DomainName}/"}},
        "PortalBucketName": {"Value": {"Ref": "PortalBucket"}},
        "PortalDistributionId": {"Value": {"Ref": "PortalDistribution"}},
        "OperatorsTopicArn": {"Value": {"Ref": "OperatorsTopic"}},
        "SigningKeysParameter": {"Value": SIGNING_KEYS_PARAMETER},
    }
    for n in (1, 2, 3):
        outputs[f"DkimRecord{n}"] = {
            "Description": "CNAME record to create in DNS for DKIM",
            "Value": {"Fn::Join": [" CNAME ", [{"Fn::GetAtt": ["MailIdentity", f"DkimDNSTokenName{n}"]},
                                                {"Fn::GetAtt": ["MailIdentity", f"DkimDNSTokenValue{n}"]}]]},
        }
    return outputs


# --- portal ------------------------------------------------------------------------------------------


def _portal(csp: str, pages: list[str]) -> dict[str, Any]:
    return {
        "PortalBucket": {
            "Type": "AWS::S3::Bucket",
            "Metadata": {"checkov": {"skip": [
                {"id": "CKV_AWS_18", "comment": "No access logging: S3 access logs hold full client IPs (R_VIS_02)."},
                {"id": "CKV_AWS_145", "comment": "Public static pages; SSE-S3 suffices, no personal data."},
            ]}},
            "Properties": {
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                "VersioningConfiguration": {"Status": "Enabled"},
                "LifecycleConfiguration": {"Rules": [
                    {"Id": "OldPortalVersions", "Status": "Enabled",
                     "NoncurrentVersionExpiration": {"NoncurrentDays": 30}}]},
            },
        },
        "PortalBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {"Bucket": {"Ref": "PortalBucket"}, "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {
                    "Sid": "CloudFrontReadsThroughOriginAccessControl",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                    "Action": "s3:GetObject",
                    "Resource": {"Fn::Sub": "${PortalBucket.Arn}/*"},
                    "Condition": {"StringEquals": {"AWS:SourceArn": {"Fn::Sub": (
                        "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${PortalDistribution}")}}},
                },
                {
                    "Sid": "TlsOnly",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [{"Fn::GetAtt": ["PortalBucket", "Arn"]}, {"Fn::Sub": "${PortalBucket.Arn}/*"}],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                },
            ]}},
        },
        "PortalOriginAccessControl": {
            "Type": "AWS::CloudFront::OriginAccessControl",
            "Properties": {"OriginAccessControlConfig": {
                "Name": {"Fn::Sub": "${AWS::StackName}-portal"}, "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always", "SigningProtocol": "sigv4",
            }},
        },
        "ApiCachePolicy": {
            "Type": "AWS::CloudFront::CachePolicy",
            "Properties": {"CachePolicyConfig": {
                "Name": {"Fn::Sub": "${AWS::StackName}-api"},
                "Comment": "API answers say no-store; Authorization must be in the key to be forwarded at all",
                "MinTTL": 0, "DefaultTTL": 0, "MaxTTL": 1,
                "ParametersInCacheKeyAndForwardedToOrigin": {
                    "EnableAcceptEncodingGzip": False, "EnableAcceptEncodingBrotli": False,
                    "HeadersConfig": {"HeaderBehavior": "whitelist", "Headers": ["Authorization"]},
                    "CookiesConfig": {"CookieBehavior": "none"},
                    "QueryStringsConfig": {"QueryStringBehavior": "none"},
                },
            }},
        },
        "ApiOriginRequestPolicy": {
            "Type": "AWS::CloudFront::OriginRequestPolicy",
            "Properties": {"OriginRequestPolicyConfig": {
                "Name": {"Fn::Sub": "${AWS::StackName}-api"},
                "HeadersConfig": {"HeaderBehavior": "whitelist", "Headers": list(API_HEADERS)},
                "CookiesConfig": {"CookieBehavior": "whitelist", "Cookies": list(SESSION_COOKIES)},
                "QueryStringsConfig": {"QueryStringBehavior": "all"},
            }},
        },
        "PortalResponseHeadersPolicy": {
            "Type": "AWS::CloudFront::ResponseHeadersPolicy",
            "Properties": {"ResponseHeadersPolicyConfig": {
                "Name": {"Fn::Sub": "${AWS::StackName}-portal"},
                "SecurityHeadersConfig": {
                    "ContentSecurityPolicy": {"ContentSecurityPolicy": csp, "Override": True},
                    "StrictTransportSecurity": {"AccessControlMaxAgeSec": 63072000, "IncludeSubdomains": True,
                                                "Override": True},
                    "ContentTypeOptions": {"Override": True},
                    "FrameOptions": {"FrameOption": "DENY", "Override": True},
                    "ReferrerPolicy": {"ReferrerPolicy": "no-referrer", "Override": True},
                },
                "CustomHeadersConfig": {"Items": [{"Header": "Permissions-Policy", "Override": True,
                                                   "Value": "camera=(), microphone=(), geolocation=()"}]},
            }},
        },
        "PortalPagesFunction": {
            "Type": "AWS::CloudFront::Function",
            "Properties": {
                "Name": {"Fn::Sub": "${AWS::StackName}-pages"},
                "AutoPublish": True,
                "FunctionConfig": {"Comment": "Directory index and a 404 page for unknown portal paths",
                                   "Runtime": "cloudfront-js-2.0"},
                "FunctionCode": pages_function(pages),
            },
        },
        "PortalDistribution": {
            "Type": "AWS::CloudFront::Distribution",
            "Metadata": {"checkov": {"skip": [
                {"id": "CKV_AWS_86", "comment": "No access logs: CloudFront standard logs hold full client IPs and "
                                                "URLs with tokens (R_VIS_02, R_OPS_02)."},
                {"id": "CKV_AWS_174", "comment": "The default certificate of the *.cloudfront.net name enforces "
                                                 "TLS 1.2 for viewers only with a custom domain; add one with it."},
                {"id": "CKV2_AWS_32", "comment": "Response headers policy is set on the portal behaviour; the API "
                                                 "sets its own security headers on every answer."},
                {"id": "CKV2_AWS_42", "comment": "Custom certificate comes with the custom domain (see README)."},
                {"id": "CKV2_AWS_47", "comment": "The web ACL (WebAclArn) includes "
                                                 "AWSManagedRulesKnownBadInputsRuleSet in the us-east-1 edge "
                                                 "stack; checkov cannot see across stacks."},
            ]}},
            "Properties": {"DistributionConfig": _distribution()},
        },
    }


def _distribution() -> dict[str, Any]:
    return {
        "Enabled": True,
        "Comment": "Leer-Rijk portal and API",
        "HttpVersion": "http2and3",
        "PriceClass": "PriceClass_100",
        "DefaultRootObject": "index.html",
        "WebACLId": {"Ref": "WebAclArn"},
        "Origins": [
            {
                "Id": "portal",
                "DomainName": {"Fn::GetAtt": ["PortalBucket", "RegionalDomainName"]},
                "OriginAccessControlId": {"Fn::GetAtt": ["PortalOriginAccessControl", "Id"]},
                "S3OriginConfig": {"OriginAccessIdentity": ""},
            },
            {
                "Id": "api",
                "DomainName": {"Fn::Sub": "${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}"},
                "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]},
            },
        ],
        "DefaultCacheBehavior": {
            "TargetOriginId": "portal",
            "ViewerProtocolPolicy": "redirect-to-https",
            "AllowedMethods": ["GET", "HEAD"],
            "CachedMethods": ["GET", "HEAD"],
            "Compress": True,
            "CachePolicyId": CACHING_OPTIMIZED,
            "ResponseHeadersPolicyId": {"Ref": "PortalResponseHeadersPolicy"},
            "FunctionAssociations": [{
                "EventType": "viewer-request",
                "FunctionARN": {"Fn::GetAtt": ["PortalPagesFunction", "FunctionMetadata.FunctionARN"]},
            }],
        },
        "CacheBehaviors": [{
            "PathPattern": "/api/*",
            "TargetOriginId": "api",
            "ViewerProtocolPolicy": "https-only",
            "AllowedMethods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
            "CachedMethods": ["GET", "HEAD"],
            "Compress": True,
            "CachePolicyId": {"Ref": "ApiCachePolicy"},
            "OriginRequestPolicyId": {"Ref": "ApiOriginRequestPolicy"},
        }],
        # No CustomErrorResponses: they apply to every origin and would replace the API's error
        # envelope; the viewer function answers unknown portal paths with the 404 page instead.
        "ViewerCertificate": {"CloudFrontDefaultCertificate": True},
    }


NOT_FOUND_PAGE = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" '
    'content="width=device-width, initial-scale=1"><title>Pagina niet gevonden - Leer-Rijk</title>'
    '<link rel="stylesheet" href="/assets/site.css"></head><body><main class="page"><h1>Pagina niet gevonden</h1>'
    '<p>Deze pagina bestaat niet (meer). Controleer het adres of ga naar de <a href="/">startpagina van '
    'Leer-Rijk</a>.</p></main></body></html>'
)


# Files at the portal's root that are served as they are (robots.txt points crawlers to the API's sitemap).
ROOT_FILES = ["/favicon.svg", "/robots.txt"]


def pages_function(pages: list[str]) -> str:
    """CloudFront Function: `/zoeken/` → `/zoeken/index.html`, `/zoeken` → redirect, unknown → 404 page."""
    known = json.dumps(sorted(pages))
    return f"""var PAGES = new Set({known});
var ROOT_FILES = new Set({json.dumps(ROOT_FILES)});
function handler(event) {{
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('/assets/') === 0 || ROOT_FILES.has(uri)) {{ return request; }}
  if (PAGES.has(uri)) {{ request.uri = uri + 'index.html'; return request; }}
  if (PAGES.has(uri + '/')) {{
    return {{ statusCode: 301, statusDescription: 'Moved Permanently',
             headers: {{ location: {{ value: uri + '/' }} }} }};
  }}
  return {{
    statusCode: 404, statusDescription: 'Not Found',
    headers: {{ 'content-type': {{ value: 'text/html; charset=utf-8' }}, 'cache-control': {{ value: 'no-store' }} }},
    body: {{ encoding: 'text', data: NOT_FOUND }}
  }};
}}
var NOT_FOUND = {json.dumps(NOT_FOUND_PAGE)};
"""


# --- mail and keys ---------------------------------------------------------------------------------


def _mail() -> dict[str, Any]:
    return {
        "MailConfigurationSet": {
            "Type": "AWS::SES::ConfigurationSet",
            "Properties": {
                "Name": {"Fn::Sub": "${AWS::StackName}-mail"},
                "ReputationOptions": {"ReputationMetricsEnabled": True},
                "SendingOptions": {"SendingEnabled": True},
                "SuppressionOptions": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
            },
        },
        "MailIdentity": {
            "Type": "AWS::SES::EmailIdentity",
            "Properties": {
                "EmailIdentity": {"Ref": "MailDomain"},
                "DkimSigningAttributes": {"NextSigningKeyLength": "RSA_2048_BIT"},
                "ConfigurationSetAttributes": {"ConfigurationSetName": {"Ref": "MailConfigurationSet"}},
            },
        },
    }


def _keys(roles: list[str]) -> dict[str, Any]:
    """The signing keys are a SecureString the operator writes (CloudFormation cannot create one);
    every function may read exactly that parameter, decrypted with the SSM default key."""
    return _read_parameters("ReadSigningKeysPolicy", "read-signing-keys", roles, [
        _parameter_statement("SigningKeys", SIGNING_KEYS_PARAMETER),
        {"Sid": "DecryptViaSsm", "Effect": "Allow", "Action": "kms:Decrypt",
         "Resource": {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/ssm"},
         "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Sub": "ssm.${AWS::Region}.amazonaws.com"}}}},
    ])


def _directory_tokens(roles: list[str]) -> dict[str, Any]:
    """The EDU-DEX bearer tokens (R_DEX_01): SecureStrings the operator writes, one per connection, readable
    by the directory sync jobs only (decrypted through the statement every role has for the signing keys)."""
    if not roles:
        return {}
    return _read_parameters("ReadDirectoryTokensPolicy", "read-directory-tokens", roles,
                            [_parameter_statement("DirectoryTokens", DIRECTORY_TOKEN_PARAMETERS)])


def _read_parameters(logical_id: str, name: str, roles: list[str], statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {logical_id: {
        "Type": "AWS::IAM::Policy",
        "Properties": {
            "PolicyName": name,
            "Roles": [{"Ref": role} for role in roles],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
        },
    }}


def _parameter_statement(sid: str, parameter: str) -> dict[str, Any]:
    arn = f"arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{parameter}"
    return {"Sid": sid, "Effect": "Allow", "Action": "ssm:GetParameter", "Resource": {"Fn::Sub": arn}}


# --- operations ------------------------------------------------------------------------------------


def _operations(functions: list[tuple[str, str]], jobs: Mapping[str, int], roles: Mapping[str, str]) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "OperatorsTopic": {
            "Type": "AWS::SNS::Topic",
            "Properties": {"TopicName": {"Fn::Sub": "${AWS::StackName}-operators"},
                           "KmsMasterKeyId": "alias/aws/sns"},
        },
        "OperatorsSubscription": {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasAlarmEmail",
            "Properties": {"TopicArn": {"Ref": "OperatorsTopic"}, "Protocol": "email",
                           "Endpoint": {"Ref": "AlarmEmail"}},
        },
        "JobDeadLetterQueue": {
            "Type": "AWS::SQS::Queue",
            "Properties": {"KmsMasterKeyId": "alias/aws/sqs", "MessageRetentionPeriod": 1209600},
        },
        "JobDeadLetterPolicy": {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyName": "job-dead-letters",
                "Roles": [{"Ref": roles[logical]} for logical in sorted(jobs)],
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Action": "sqs:SendMessage",
                    "Resource": {"Fn::GetAtt": ["JobDeadLetterQueue", "Arn"]}}]},
            },
        },
        "JobDeadLettersAlarm": _alarm("A scheduled run failed after its retries (see the dead-letter queue)",
                                      "AWS/SQS", "ApproximateNumberOfMessagesVisible",
                                      {"QueueName": {"Fn::GetAtt": ["JobDeadLetterQueue", "QueueName"]}},
                                      statistic="Maximum"),
        "ApiServerErrorsAlarm": _alarm("The API answered 5xx", "AWS/ApiGateway", "5XXError",
                                       {"ApiName": "leer-rijk", "Stage": "api"}, threshold=5),
    }
    for logical, name in functions:
        dimensions = {"FunctionName": name}
        resources[f"{logical}ErrorsAlarm"] = _alarm(f"{name} raised errors", "AWS/Lambda", "Errors", dimensions)
        resources[f"{logical}ThrottlesAlarm"] = _alarm(f"{name} was throttled", "AWS/Lambda", "Throttles", dimensions)
    for logical, minutes in sorted(jobs.items()):
        name = dict(functions)[logical]
        window = missed_run_window(minutes)
        resources[f"{logical}MissedRunAlarm"] = {
            **_alarm(f"{name} did not run in its window", "AWS/Lambda", "Invocations", {"FunctionName": name},
                     comparison="LessThanThreshold", period=window[0], periods=window[1], missing="breaching"),
        }
        resources[f"{logical}RetryConfig"] = {
            "Type": "AWS::Lambda::EventInvokeConfig",
            "Properties": {
                "FunctionName": {"Ref": logical}, "Qualifier": "$LATEST", "MaximumRetryAttempts": 2,
                "MaximumEventAgeInSeconds": 3600,
                "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": ["JobDeadLetterQueue", "Arn"]}}},
            },
        }
    return resources


def missed_run_window(minutes: int) -> tuple[int, int]:
    """(period seconds, evaluation periods) covering twice the job's cadence, at least an hour."""
    seconds = max(2 * minutes * 60, 3600)
    period = 3600 if seconds <= 86400 else 86400
    return period, -(-seconds // period)


def _alarm(description: str, namespace: str, metric: str, dimensions: Mapping[str, Any], *,
           threshold: float = 1, comparison: str = "GreaterThanOrEqualToThreshold", period: int = ALARM_PERIOD_SECONDS,
           periods: int = 1, statistic: str = "Sum", missing: str = "notBreaching") -> dict[str, Any]:
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": description,
            "Namespace": namespace, "MetricName": metric,
            "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
            "Statistic": statistic, "Period": period, "EvaluationPeriods": periods,
            "Threshold": threshold, "ComparisonOperator": comparison, "TreatMissingData": missing,
            "AlarmActions": [{"Ref": "OperatorsTopic"}], "OKActions": [{"Ref": "OperatorsTopic"}],
        },
    }


CONDITIONS = {"HasAlarmEmail": {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}}


# --- the edge (us-east-1) ----------------------------------------------------------------------------


def build_edge(body_limit: int, large_body_paths: Iterable[str]) -> dict[str, Any]:
    """`body_limit`: the API's body limit in bytes (the guard answers 413 above it); `large_body_paths`:
    URL path prefixes of the routes that accept more (suppliers' EDU-DEX documents)."""
    rules: list[dict[str, Any]] = []
    for priority, (name, path, limit) in enumerate(EDGE_RATE_RULES):
        rules.append({
            "Name": name,
            "Priority": priority,
            "Action": {"Block": {"CustomResponse": {
                "ResponseCode": 429, "CustomResponseBodyKey": "rate_limited",
                "ResponseHeaders": [{"Name": "Retry-After", "Value": "300"}]}}},
            "Statement": {"RateBasedStatement": {
                "Limit": limit, "EvaluationWindowSec": 300, "AggregateKeyType": "IP",
                "ScopeDownStatement": _path_starts_with(path),
            }},
            "VisibilityConfig": _visibility(name),
        })
    rules.append(_body_limit_rule(len(rules), body_limit, sorted(large_body_paths)))
    for offset, group in enumerate(MANAGED_RULE_GROUPS, start=len(rules)):
        managed: dict[str, Any] = {"VendorName": "AWS", "Name": group}
        if group == "AWSManagedRulesCommonRuleSet":
            # Its 8 KB body rule would refuse suppliers' EDU-DEX documents (up to 1 MB): BodyOverApiLimit
            # limits bodies instead, to what the API itself accepts.
            managed["RuleActionOverrides"] = [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}]
        rules.append({"Name": group, "Priority": offset, "OverrideAction": {"None": {}},
                      "Statement": {"ManagedRuleGroupStatement": managed}, "VisibilityConfig": _visibility(group)})
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Leer-Rijk edge: the CloudFront web ACL (deploy in us-east-1; no logging, no sampled requests)",
        "Resources": {"WebAcl": {
            "Type": "AWS::WAFv2::WebACL",
            "Properties": {
                "Name": {"Fn::Sub": "${AWS::StackName}-web-acl"},
                "Scope": "CLOUDFRONT",
                "DefaultAction": {"Allow": {}},
                # WAF sees the first 16 KB of a body unless told more; AWS charges extra only for the
                # (rare) requests whose bodies are larger.
                "AssociationConfig": {"RequestBody": {"CLOUDFRONT": {
                    "DefaultSizeInspectionLimit": BODY_INSPECTION_LIMITS[body_limit]}}},
                "CustomResponseBodies": {
                    "rate_limited": {"ContentType": "APPLICATION_JSON", "Content": envelope(
                        "rate_limited",
                        "Te veel verzoeken vanaf uw netwerk. Probeer het over enkele minuten opnieuw.")},
                    "payload_too_large": {"ContentType": "APPLICATION_JSON", "Content": envelope(
                        "payload_too_large", "Het verzoek is te groot.",
                        {"body": f"Maximaal {body_limit // 1024} kB."})},
                },
                "Rules": rules,
                "VisibilityConfig": _visibility("leer-rijk"),
            },
        }},
        "Outputs": {"WebAclArn": {"Value": {"Fn::GetAtt": ["WebAcl", "Arn"]}}},
    }


# CloudFront can send WAF at most 64 KB of a body; a larger API limit could not be checked at the edge.
BODY_INSPECTION_LIMITS = {16 * 1024: "KB_16", 32 * 1024: "KB_32", 48 * 1024: "KB_48", 64 * 1024: "KB_64"}


def _body_limit_rule(priority: int, body_limit: int, large_body_paths: list[str]) -> dict[str, Any]:
    """413 for an API body over the API's own limit, before it reaches a Lambda function. A body WAF
    cannot see whole (over the inspection limit, set to the API's limit) counts as too large."""
    name = "BodyOverApiLimit"
    statements: list[dict[str, Any]] = [_path_starts_with("/api/")]
    if large_body_paths:
        exempt = [_path_starts_with(path) for path in large_body_paths]
        statements.append({"NotStatement": {"Statement": exempt[0] if len(exempt) == 1 else
                                            {"OrStatement": {"Statements": exempt}}}})
    statements.append({"SizeConstraintStatement": {
        "FieldToMatch": {"Body": {"OversizeHandling": "MATCH"}}, "ComparisonOperator": "GT", "Size": body_limit,
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}})
    return {
        "Name": name,
        "Priority": priority,
        "Action": {"Block": {"CustomResponse": {"ResponseCode": 413, "CustomResponseBodyKey": "payload_too_large"}}},
        "Statement": {"AndStatement": {"Statements": statements}},
        "VisibilityConfig": _visibility(name),
    }


def _path_starts_with(path: str) -> dict[str, Any]:
    return {"ByteMatchStatement": {
        "FieldToMatch": {"UriPath": {}}, "PositionalConstraint": "STARTS_WITH", "SearchString": path,
        "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}]}}


def _visibility(name: str) -> dict[str, Any]:
    # Sampled requests would keep full client IPs in the console for three hours (R_VIS_02).
    return {"CloudWatchMetricsEnabled": True, "MetricName": name, "SampledRequestsEnabled": False}


# --- policy scan: every skip is justified where it applies (R_OPS_03) ----------------------------------

TABLE_SKIPS = [
    {"id": "CKV_AWS_119", "comment": "Encrypted at rest with the AWS owned key; a customer managed key adds cost "
                                     "and a key policy to run, and no rule asks for one."},
]
NO_BACKUP_SKIP = {"id": "CKV_AWS_28", "comment": "No point-in-time recovery on purpose: the privacy register "
                                                  "states no backup for this table (R_PRV_04, R_CON_03)."}
LOG_GROUP_SKIPS = [
    {"id": "CKV_AWS_158", "comment": "Platform logs hold no personal data (R_LOG_02) and live 14 days; "
                                     "CloudWatch encrypts them with its own key."},
]
FUNCTION_SKIPS = [
    {"id": "CKV_AWS_115", "comment": "Concurrency is bounded by API Gateway throttling and the WAF; a reserved "
                                     "limit would reject enrolments at peaks."},
    {"id": "CKV_AWS_116", "comment": "The API function is invoked synchronously (no DLQ applies); scheduled "
                                     "functions send failed runs to JobDeadLetterQueue via EventInvokeConfig."},
    {"id": "CKV_AWS_117", "comment": "Only AWS APIs are called (DynamoDB, SES, SSM); a VPC would add NAT cost "
                                     "and no protection."},
    {"id": "CKV_AWS_173", "comment": "Environment variables hold no secrets: the signing keys are read from an "
                                     "SSM SecureString at run time."},
]
API_SKIPS = [
    {"id": "CKV_AWS_73", "comment": "No X-Ray: traces would carry paths with tokens and signatures (R_OPS_02)."},
    {"id": "CKV_AWS_76", "comment": "No access logs: they would hold client IPs, paths and query strings with "
                                    "tokens and signatures (R_VIS_02, R_OPS_02)."},
    {"id": "CKV_AWS_120", "comment": "No API cache: every answer is personal or live (no-store)."},
]


def with_policy_skips(resources: dict[str, Any], function_ids: Iterable[str]) -> None:
    """Attach the justified checkov skips to the resources they concern (in place)."""
    for resource in resources.values():
        kind = resource.get("Type")
        if kind == "AWS::DynamoDB::Table":
            skips = list(TABLE_SKIPS)
            recovery = resource["Properties"].get("PointInTimeRecoverySpecification", {})
            if not recovery.get("PointInTimeRecoveryEnabled"):
                skips.append(NO_BACKUP_SKIP)
            _skip(resource, skips)
        elif kind == "AWS::Logs::LogGroup":
            _skip(resource, LOG_GROUP_SKIPS)
    for logical in function_ids:
        _skip(resources.setdefault(logical, {}), FUNCTION_SKIPS)
    _skip(resources.setdefault("RestAPI", {}), API_SKIPS)


def _skip(resource: dict[str, Any], skips: list[dict[str, str]]) -> None:
    metadata = resource.setdefault("Metadata", {}).setdefault("checkov", {}).setdefault("skip", [])
    metadata.extend(s for s in skips if s not in metadata)
