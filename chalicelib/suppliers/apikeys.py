"""API keys for suppliers and LMSs (R_CAT_06, R_ENR_01, R_SEC_04).

A key is `<key_id>.<secret>`, shown once. Only SHA-256 of the secret is stored, looked up by
key_id and compared in constant time. Revoked keys get a 401. The last-used date is written at
most once a day, so a busy supplier does not turn every read into a write.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.access import Access, CallerKind, Credentials, Principal
from chalicelib.models import ApiKey
from chalicelib.platform import clock
from chalicelib.platform.errors import NotAuthenticatedError

OWNER_AUDIENCE = {"supplier": Access.SUPPLIER, "lms": Access.LMS}


@dataclass(frozen=True)
class IssuedKey:
    key_id: str
    token: str  # shown once: `<key_id>.<secret>`


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(owner_kind: str, owner_id: str, label: str | None = None) -> IssuedKey:
    if owner_kind not in OWNER_AUDIENCE:
        raise ValueError(f"unknown owner kind {owner_kind!r}")
    key_id = "k" + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    ApiKey(
        key_id, secret_sha256=_digest(secret), owner_kind=owner_kind, owner_id=owner_id, label=label,
        created_at=clock.now(),
    ).save(condition=ApiKey.key_id.does_not_exist())
    return IssuedKey(key_id, f"{key_id}.{secret}")


def revoke_key(key_id: str) -> None:
    ApiKey(key_id).update(actions=[ApiKey.revoked_at.set(clock.now())], condition=ApiKey.key_id.exists())


def keys_of(owner_id: str) -> list[ApiKey]:
    return list(ApiKey.owner_index.query(owner_id))


def authenticate(credentials: Credentials) -> Principal | None:
    """The authenticator for `Authorization: Bearer <key_id>.<secret>`."""
    header = credentials.header("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    key_id, dot, secret = token.strip().partition(".")
    if scheme.lower() != "bearer" or not dot or not key_id or not secret or len(token) > 200:
        raise NotAuthenticatedError("De API-sleutel is ongeldig.", code="invalid_api_key")
    key = _load(key_id)
    if key is None or not hmac.compare_digest(key.secret_sha256, _digest(secret)):
        raise NotAuthenticatedError("De API-sleutel is ongeldig.", code="invalid_api_key")
    if key.revoked_at is not None:
        raise NotAuthenticatedError("Deze API-sleutel is ingetrokken.", code="revoked_api_key")
    _touch(key)
    return Principal(
        kind=CallerKind(key.owner_kind),
        subject_id=key.owner_id,
        org_id=key.owner_id if key.owner_kind == "lms" else None,
        audiences=frozenset({OWNER_AUDIENCE[key.owner_kind]}),
        assurance_level=2,
        key_id=key.key_id,
    )


def _load(key_id: str) -> ApiKey | None:
    if not key_id.isalnum() or len(key_id) > 40:
        return None
    try:
        return ApiKey.get(key_id)
    except DoesNotExist:
        return None


def _touch(key: ApiKey) -> None:
    today = clock.today().isoformat()
    if key.last_used_on == today:
        return
    with contextlib.suppress(UpdateError):  # another request already wrote today's date
        key.update(
            actions=[ApiKey.last_used_on.set(today)],
            condition=ApiKey.last_used_on.does_not_exist() | (ApiKey.last_used_on != today),
        )
