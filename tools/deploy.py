"""Deploy Leer-Rijk to an AWS account: `python -m tools.deploy --stage prod` (`make deploy STAGE=prod`).

One command from a packaged build to a working portal (R_OPS_03), with the operator's AWS credentials:

1. package the API and jobs (`tools.package`) and build the portal for the stage;
2. deploy the edge stack (the CloudFront web ACL) in us-east-1 and read its ARN;
3. upload the Lambda zip to the artifacts bucket (created once: private, encrypted) and deploy the
   main stack (SAM: API, jobs, tables, hosting, mail identity, alarms) in eu-west-1;
4. upload the portal to its private bucket, hashed assets with a year's caching and everything else
   revalidated on every request, remove what the build no longer has, and invalidate CloudFront;
5. print the portal URL and the DNS records the operator must create (DKIM);
6. run the pending data migrations against the stage's tables (`migration_step`, R_OPS_04), their last
   pass only once the previous version's functions can no longer write.

`--dry-run` prints the plan without calling AWS (tested offline in `make test`).
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tools.sam_expand import with_code_location

ROOT = Path(__file__).resolve().parent.parent
EDGE_TEMPLATE = ROOT / "infra" / "edge.json"
CHALICE_CONFIG = ROOT / ".chalice" / "config.json"
PORTAL = ROOT / "build" / "portal"
MAIN_REGION = "eu-west-1"
EDGE_REGION = "us-east-1"  # CloudFront's web ACLs live there
LONG_CACHE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


@dataclass(frozen=True)
class Upload:
    key: str
    path: Path
    cache_control: str
    content_type: str


def cache_control_for(key: str, immutable: frozenset[str]) -> str:
    """The content-named assets the portal build lists (`build/portal-assets.json`) change name with their
    content: cache them for a year. Pages and everything else are revalidated on every request, so a
    deploy shows at once. The local front server answers with the same headers."""
    return LONG_CACHE if key in immutable else REVALIDATE


def portal_uploads(portal: Path = PORTAL) -> Iterator[Upload]:
    from devstack.build_portal import immutable_keys

    immutable = immutable_keys(portal)
    for path in sorted(p for p in portal.rglob("*") if p.is_file()):
        key = path.relative_to(portal).as_posix()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "image/svg+xml"):
            content_type += "; charset=utf-8"
        yield Upload(key, path, cache_control_for(key, immutable), content_type)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="prod")
    parser.add_argument("--mail-domain", default="leer-rijk.example")
    parser.add_argument("--alarm-email", default="")
    parser.add_argument("--dry-run", action="store_true", help="print the plan; call no AWS service")
    args = parser.parse_args(argv)
    stack = f"leer-rijk-{args.stage}"
    plan = [
        f"package: python -m tools.package (dist/sam.json, dist/deployment.zip); "
        f"portal: python -m devstack.build_portal --stage {args.stage}",
        f"edge stack {stack}-edge in {EDGE_REGION} from {EDGE_TEMPLATE.relative_to(ROOT)}",
        f"artifacts bucket leer-rijk-artifacts-<account>-{MAIN_REGION}; main stack {stack} in {MAIN_REGION} "
        f"(CAPABILITY_IAM, CAPABILITY_AUTO_EXPAND)",
        "portal upload to the PortalBucket output, then CloudFront invalidation of /*",
        f"data migrations: python -m tools.migrate run --code-live-at <end of the main stack update> "
        f"(tables {_stage_environment(args.stage)['LEERRIJK_TABLE_PREFIX']}*, {MAIN_REGION})",
    ]
    if args.dry_run:
        print("\n".join(f"{n}. {step}" for n, step in enumerate(plan, 1)))
        uploads = list(portal_uploads()) if PORTAL.is_dir() else []
        long_cached = sum(1 for u in uploads if u.cache_control == LONG_CACHE)
        print(f"portal: {len(uploads)} files, {long_cached} with long caching")
        return 0
    return _deploy(stack, args.stage, args.mail_domain, args.alarm_email)


def _deploy(stack: str, stage: str, mail_domain: str, alarm_email: str) -> int:  # pragma: no cover - needs AWS
    import subprocess

    import boto3

    subprocess.run([sys.executable, "-m", "tools.package"], cwd=ROOT, check=True)
    subprocess.run([sys.executable, "-m", "devstack.build_portal", "--stage", stage], cwd=ROOT, check=True)
    edge = _stack_deploy(boto3.client("cloudformation", region_name=EDGE_REGION), f"{stack}-edge",
                         json.loads(EDGE_TEMPLATE.read_text(encoding="utf-8")), {})
    account = boto3.client("sts").get_caller_identity()["Account"]
    artifacts = _artifacts_bucket(boto3.client("s3", region_name=MAIN_REGION), account)
    code_key = f"{stack}/deployment-{int(time.time())}.zip"
    boto3.client("s3", region_name=MAIN_REGION).upload_file(str(ROOT / "dist" / "deployment.zip"), artifacts, code_key)
    template = with_code_location(json.loads((ROOT / "dist" / "sam.json").read_text(encoding="utf-8")),
                                  artifacts, code_key)
    outputs = _stack_deploy(boto3.client("cloudformation", region_name=MAIN_REGION), stack, template, {
        "WebAclArn": edge["WebAclArn"], "MailDomain": mail_domain, "AlarmEmail": alarm_email,
    })
    code_live_at = datetime.now(UTC)
    _upload_portal(boto3.client("s3", region_name=MAIN_REGION), outputs["PortalBucketName"])
    boto3.client("cloudfront").create_invalidation(DistributionId=outputs["PortalDistributionId"], InvalidationBatch={
        "Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(time.time())})
    print(f"Leer-Rijk draait: {outputs['PortalURL']}")
    print("Maak deze DNS-records aan (DKIM):")
    for n in (1, 2, 3):
        print(f"  {outputs[f'DkimRecord{n}']}")
    print(f"Zet de ondertekeningssleutels in SSM: {outputs['SigningKeysParameter']} (zie README, Deploying)")
    # --- data migrations (R_OPS_04): after the new code is live; see migration_step -------------------
    command, environment = migration_step(stage, code_live_at)
    subprocess.run(command, cwd=ROOT, check=True, env={**os.environ, **environment})
    return 0


def migration_step(stage: str, code_live_at: datetime) -> tuple[list[str], dict[str, str]]:
    """The command and environment of the deploy's migration step: `tools.migrate run` against the stage's
    tables (its table prefix from .chalice/config.json) in the main region. `code_live_at`: when the main
    stack update ended; old functions may write until their longest timeout after it."""
    stage_env = _stage_environment(stage)
    environment = {"LEERRIJK_STAGE": stage_env["LEERRIJK_STAGE"],
                   "LEERRIJK_TABLE_PREFIX": stage_env["LEERRIJK_TABLE_PREFIX"],
                   "AWS_REGION": MAIN_REGION, "AWS_DEFAULT_REGION": MAIN_REGION}
    return [sys.executable, "-m", "tools.migrate", "run", "--code-live-at", code_live_at.isoformat()], environment


def _stage_environment(stage: str) -> dict[str, str]:
    config = json.loads(CHALICE_CONFIG.read_text(encoding="utf-8"))
    return dict(config["stages"][stage]["environment_variables"])


def _stack_deploy(cloudformation: Any, name: str, template: dict[str, Any],
                  parameters: dict[str, str]) -> dict[str, str]:  # rehearsed on moto: tools/rehearse.py
    exists = True
    try:
        cloudformation.describe_stacks(StackName=name)
    except cloudformation.exceptions.ClientError:
        exists = False
    change_set = f"deploy-{int(time.time())}"
    cloudformation.create_change_set(
        StackName=name, ChangeSetName=change_set, ChangeSetType="UPDATE" if exists else "CREATE",
        TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
    )
    waiter = cloudformation.get_waiter("change_set_create_complete")
    try:
        waiter.wait(StackName=name, ChangeSetName=change_set)
    except Exception:
        status = cloudformation.describe_change_set(StackName=name, ChangeSetName=change_set)
        if "didn't contain changes" not in status.get("StatusReason", ""):
            raise
    else:
        cloudformation.execute_change_set(StackName=name, ChangeSetName=change_set)
        cloudformation.get_waiter("stack_update_complete" if exists else "stack_create_complete").wait(StackName=name)
    described = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def _artifacts_bucket(s3: Any, account: str) -> str:  # rehearsed on moto: tools/rehearse.py
    name = f"leer-rijk-artifacts-{account}-{MAIN_REGION}"
    try:
        s3.head_bucket(Bucket=name)
    except s3.exceptions.ClientError:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": MAIN_REGION})
        blocked = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                   "RestrictPublicBuckets": True}
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=blocked)
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    return name


def _upload_portal(s3: Any, bucket: str) -> None:  # pragma: no cover - needs AWS
    uploads = list(portal_uploads())
    for upload in uploads:
        s3.upload_file(str(upload.path), bucket, upload.key, ExtraArgs={
            "CacheControl": upload.cache_control, "ContentType": upload.content_type})
    keep = {u.key for u in uploads}
    stale = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
             for o in page.get("Contents", []) if o["Key"] not in keep]
    for start in range(0, len(stale), 1000):
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in stale[start:start + 1000]]})


if __name__ == "__main__":
    raise SystemExit(main())
