"""Shared helpers of the account tests (test_acc_*.py). Holds no tests itself.

Requests go through chalice.test.Client with the portal's CSRF header and Origin; mail is read
from moto's SES (`sent_mail()`, HTML body only); sessions can be started directly for speed.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from typing import Any

from chalicelib import models
from chalicelib.accounts import search, sessions
from chalicelib.accounts.rules import sort_name
from chalicelib.models import Account, Department, Organisation, RoleGrant
from chalicelib.platform import clock
from chalicelib.platform.config import settings
from tests.functional.conftest import sent_mail

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ORG_A, ORG_B = "org-a", "org-b"
DOMAIN_A, DOMAIN_B = "minbzk.nl", "belastingdienst.nl"
PORTAL = {"Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": settings.portal_origin}
TOKEN_IN_LINK = re.compile(r"/inloggen/bevestigen/#token=([A-Za-z0-9_-]+)")


def seed_orgs() -> None:
    for org_id, name, domain, departments in (
        (ORG_A, "Ministerie A", DOMAIN_A, [("dep-a1", "Directie A1"), ("dep-a2", "Directie A2")]),
        (ORG_B, "Dienst B", DOMAIN_B, [("dep-b1", "Afdeling B1")]),
    ):
        Organisation(
            org_id, name=name, domains={domain},
            departments=[Department(department_id=d, name=n) for d, n in departments],
            created_at=T0,
        ).save()


def seed_account(
    account_id: str, email: str, org_id: str = ORG_A, roles: list[tuple[str, str | None, str | None]] = (),
    first_name: str = "Anna", last_name: str = "Jansen", department_id: str | None = None,
    totp_secret: str | None = None,
) -> Account:
    account = Account(
        account_id, email=email, first_name=first_name, last_name=last_name,
        sort_name=sort_name(first_name, last_name, email), org_id=org_id, department_id=department_id,
        roles=[RoleGrant(role=r, org_id=o, department_id=d) for r, o, d in roles], status="active",
        created_at=T0, consent_at=T0, consent_version=settings.privacy_statement_version,
        totp_secret=totp_secret, totp_enrolled_at=T0 if totp_secret else None,
    )
    account.save()
    search.reindex(account)  # as an account created through the routes: findable by the admins (R_ACC_06)
    for role, org, _ in roles:
        if role == "local_admin" and org:
            Organisation(org).update(actions=[Organisation.local_admin_ids.add({account_id})])
    return account


def start_session(account_id: str, level: int = 1) -> str:
    """A live session for the account; returns the raw cookie token."""
    return sessions.save_new(sessions.start(account_id, level)).token


def cookie(token: str) -> dict[str, str]:
    return {**PORTAL, "Cookie": f"lr_session={token}"}


def call(client: Any, method: str, path: str, token: str | None = None, body: Any = None,
         headers: dict[str, str] | None = None) -> Any:
    sent = dict(cookie(token) if token else PORTAL)
    sent.update(headers or {})
    raw = b"" if body is None else json.dumps(body).encode()
    return client.http.request(method, path, headers=sent, body=raw)


def set_cookies(response: Any) -> list[str]:
    value = response.headers.get("Set-Cookie") or response.headers.get("set-cookie")
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def session_token(response: Any) -> str | None:
    for header in set_cookies(response):
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        if "lr_session" in jar and jar["lr_session"].value:
            return jar["lr_session"].value
    return None


def last_mail_to(address: str) -> Any:
    for message in reversed(sent_mail()):
        if address in message.destinations.get("ToAddresses", []):
            return message
    raise AssertionError(f"no mail to {address}")


def token_in(message: Any) -> str:
    match = TOKEN_IN_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def login(client: Any, email: str) -> str:
    """The full e-mail link flow: request, read the mailbox, POST the token; returns the session token."""
    assert call(client, "POST", "/auth/login", body={"email": email}).status_code == 202
    response = call(client, "POST", "/auth/verify", body={"token": token_in(last_mail_to(email))})
    assert response.status_code == 200, response.body
    token = session_token(response)
    assert token
    return token


def signup_body(email: str, org_id: str = ORG_A, **extra: Any) -> dict[str, Any]:
    return {"first_name": "Bo", "last_name": "de Wit", "email": email, "org_id": org_id, "consent": True,
            "statement_version": settings.privacy_statement_version, **extra}


def all_items() -> dict[str, list[dict[str, Any]]]:
    """Every item of every table (tests may Scan; routes may not)."""
    return {model.__name__: [item.to_simple_dict(force=True) for item in model.scan()] for model in models.ALL_MODELS}


def item_count() -> int:
    return sum(len(items) for items in all_items().values())


def freeze(at: datetime) -> None:
    clock.freeze(at)


def event_kinds() -> list[str]:
    from chalicelib.platform import eventlog

    return [e["kind"] for e in eventlog.recent()]
