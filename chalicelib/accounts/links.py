"""One-time links e-mailed to an address (R_ACC_03).

The link carries `secrets.token_urlsafe(32)` (256 bits) in a URL fragment, so it never reaches a
server log or a Referer; only its SHA-256 is stored, bound to a purpose and an address, valid for
10 minutes. It is consumed once, by `POST /auth/verify`, with a conditional update. Issuing a new
link for an address removes the older ones.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.accounts.link_rules import LINK_LIFETIME, refusal
from chalicelib.models import LoginToken
from chalicelib.platform import clock, faults
from chalicelib.platform.config import settings

LANDING_PATH = "/inloggen/bevestigen/"
DECOY_PURPOSE = "decoy"  # not in link_rules.PURPOSES: refused if it were ever presented
MAX_TOKEN_LENGTH = 100


class LinkRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ConsumedLink:
    purpose: str
    email: str
    payload: dict[str, Any]


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for(token: str) -> str:
    return f"{settings.portal_origin}{LANDING_PATH}#token={token}"


def issue(purpose: str, email: str, payload: dict[str, Any] | None = None) -> str:
    """Store a new link for `email` (replacing older ones) and return its raw token (never stored)."""
    forget_address(email)
    token = secrets.token_urlsafe(32)
    now = clock.now()
    LoginToken(
        digest(token), purpose=purpose, email=email,
        payload=json.dumps(payload, ensure_ascii=False) if payload else None,
        created_at=now, expires_at=now + LINK_LIFETIME, created_day=clock.today().isoformat(),
    ).save(condition=LoginToken.token_hash.does_not_exist())
    return token


def issue_decoy(email: str) -> str:
    """The writes of `issue` for a branch that sends no link (an unknown or disabled address), so the
    branches cannot be told apart by their DynamoDB work (R_ACC_03). Stored under a keyed hash, not the
    address; its token is never sent (the caller only withdraws it as it would a link whose mail failed),
    so it can never be used, and it expires like any link."""
    return issue(DECOY_PURPOSE, decoy_key(email))


def withdraw(token: str) -> None:
    """Delete the link of `token`: its mail could not be sent (R_SEC_03 keeps no link then)."""
    LoginToken(digest(token)).delete()


def decoy_key(email: str) -> str:
    return "decoy:" + hashlib.sha256(f"leer-rijk-decoy:{email}".encode()).hexdigest()


def consume(token: str) -> ConsumedLink:
    """Mark the link used (once, race-safe) and return what it was for; raise LinkRefused otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkRefused("unknown")
    try:
        stored = LoginToken.get(digest(token), consistent_read=True)
    except DoesNotExist:
        raise LinkRefused("unknown") from None
    now = clock.now()
    reason = refusal(stored.purpose, stored.expires_at, stored.used_at, now)
    if reason:
        raise LinkRefused(reason)
    consumed = ConsumedLink(stored.purpose, stored.email, json.loads(stored.payload) if stored.payload else {})
    try:
        stored.update(
            actions=[LoginToken.used_at.set(now), LoginToken.payload.remove()],  # minimise: the payload is read
            condition=LoginToken.used_at.does_not_exist() & (LoginToken.expires_at > now),
        )
    except UpdateError as err:
        faults.only_condition(err)
        raise LinkRefused("used") from None
    return consumed


def forget_address(email: str) -> int:
    """Delete every link of an address (a new link, an e-mail change or account deletion)."""
    deleted = 0
    for key in LoginToken.email_index.query(email):
        LoginToken(key.token_hash).delete()
        deleted += 1
    return deleted
