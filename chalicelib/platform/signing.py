"""HMAC-SHA256 signatures over purpose and payload, with a key list for rotation (R_SUP_01)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from functools import cache
from typing import Any

from chalicelib.platform.config import DEVELOPMENT_KEY_NOTICE, settings


class BadSignature(Exception):
    pass


def _keys() -> tuple[str, ...]:
    """The keys from the environment, or else from the SSM SecureString named by
    LEERRIJK_SIGNING_KEYS_PARAMETER, read once per container (newest first; README "Rotating keys")."""
    if settings.signing_keys:
        if settings.uses_development_key:
            _announce_development_key()
        return settings.signing_keys
    if settings.signing_keys_parameter:
        return keys_from_parameter(settings.signing_keys_parameter)
    raise RuntimeError("no signing keys: set LEERRIJK_SIGNING_KEYS or LEERRIJK_SIGNING_KEYS_PARAMETER")


@cache
def _announce_development_key() -> None:
    logging.getLogger(__name__).warning(DEVELOPMENT_KEY_NOTICE)


@cache
def keys_from_parameter(name: str) -> tuple[str, ...]:
    import boto3

    value = boto3.client("ssm", region_name=settings.region).get_parameter(Name=name, WithDecryption=True)
    keys = tuple(k.strip() for k in str(value["Parameter"]["Value"]).split(",") if k.strip())
    if not keys:
        raise RuntimeError("the signing-keys parameter holds no key")
    return keys


def sign(purpose: str, message: str, key_index: int = 0) -> str:
    key = _keys()[key_index].encode()
    mac = hmac.new(key, f"{purpose}\n{message}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def verify(purpose: str, message: str, signature: str) -> None:
    """Accept a signature made with any key still in the list; constant-time comparison."""
    valid = False
    for index in range(len(_keys())):
        valid |= hmac.compare_digest(sign(purpose, message, index), signature)
    if not valid:
        raise BadSignature(purpose)


def seal(purpose: str, data: dict[str, Any]) -> str:
    """An opaque, tamper-evident token (e.g. a search cursor)."""
    body = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"{body}.{sign(purpose, body)}"


def unseal(purpose: str, token: str) -> dict[str, Any]:
    body, _, signature = token.partition(".")
    if not body or not signature:
        raise BadSignature(purpose)
    verify(purpose, body, signature)
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError as err:
        raise BadSignature(purpose) from err
    if not isinstance(data, dict):
        raise BadSignature(purpose)
    return data
