"""The environment of a bench worker: the local stage on moto, fake credentials, nothing that reaches AWS.

Call before chalicelib, botocore or moto is imported (PynamoDB reads table names and region then).
"""

from __future__ import annotations

import os


def use_moto(table_prefix: str = "leerrijk-bench-") -> None:
    os.environ.update({
        "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_REGION": "eu-west-1", "LEERRIJK_STAGE": "local", "LEERRIJK_TABLE_PREFIX": table_prefix,
    })
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)
