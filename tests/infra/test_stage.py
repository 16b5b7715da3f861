"""R_SEC_04: a deployed stage is named, or the app does not start; only the local stack, which says so,
signs with the public development key.

Settings are read once, at import, so each case imports the app in a fresh interpreter (as a Lambda
container does: its handler is `app.app`) with fake credentials and AWS mocked in-process.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import subprocess
import sys

import pytest

from chalicelib.platform.config import DEVELOPMENT_KEY_NOTICE, DEVELOPMENT_SIGNING_KEY
from tests.conftest import ROOT

PARAMETER = "/leer-rijk/prod/signing-keys"
SSM_KEY = "key-from-ssm-2026"
# Puts the key in (mocked) SSM, imports the app as Lambda would, and signs what an approval link signs.
SCRIPT = f"""
import boto3, moto
with moto.mock_aws():
    boto3.client("ssm", region_name="eu-west-1").put_parameter(
        Name={PARAMETER!r}, Value={SSM_KEY!r}, Type="SecureString")
    import app  # noqa: F401
    from chalicelib.platform import signing
    print(signing.sign("approval", "enrolment-1"))
"""


def _start(**variables: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEERRIJK_", "AWS_"))}
    env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-1",
                "AWS_EC2_METADATA_DISABLED": "true", "LEERRIJK_TABLE_PREFIX": "leerrijk-prod-", **variables})
    return subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def _signed_with(key: str) -> str:
    mac = hmac.new(key.encode(), b"approval\nenrolment-1", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def test_R_SEC_04_without_a_named_stage_the_app_refuses_to_start_though_the_key_parameter_is_set() -> None:
    started = _start(LEERRIJK_SIGNING_KEYS_PARAMETER=PARAMETER)
    assert started.returncode != 0 and started.stdout == ""
    assert "StageError: LEERRIJK_STAGE is not set" in started.stderr


def test_R_SEC_04_the_local_stage_is_refused_on_lambda() -> None:
    started = _start(LEERRIJK_STAGE="local", AWS_LAMBDA_FUNCTION_NAME="leer-rijk-prod")
    assert started.returncode != 0 and "StageError: LEERRIJK_STAGE=local on AWS Lambda" in started.stderr


def test_R_SEC_04_the_local_stack_signs_with_the_development_key_and_says_so() -> None:
    started = _start(LEERRIJK_STAGE="local")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == _signed_with(DEVELOPMENT_SIGNING_KEY)
    assert DEVELOPMENT_KEY_NOTICE in started.stderr


@pytest.mark.parametrize("stage", ["prod", "local"])
def test_R_SEC_04_with_the_key_parameter_configured_the_development_key_is_never_used(stage: str) -> None:
    started = _start(LEERRIJK_STAGE=stage, LEERRIJK_SIGNING_KEYS_PARAMETER=PARAMETER)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == _signed_with(SSM_KEY)
    assert DEVELOPMENT_KEY_NOTICE not in started.stderr


def test_R_SEC_04_a_production_stage_without_keys_refuses_to_sign() -> None:
    started = _start(LEERRIJK_STAGE="prod")
    assert started.returncode != 0 and started.stdout == ""
    assert "RuntimeError: no signing keys" in started.stderr
