"""Test environment: fake credentials, no endpoint override, moto imported before any client."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_REGION": "eu-west-1",
    "LEERRIJK_STAGE": "local",
    "LEERRIJK_TABLE_PREFIX": "leerrijk-local-",
})
for _name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SESV2"):
    os.environ.pop(_name, None)

import moto  # noqa: E402,F401  - before anything creates a boto client
