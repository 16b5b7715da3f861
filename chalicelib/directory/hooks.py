"""The directory's webhook (R_DEX_02): `POST /api/directory/hooks/<connection id>.<secret>`.

The secret in the registered URL is the credential. Only its SHA-256 is stored, with the one before it,
so a new one can be registered while the old one still works (rotation, `python -m tools.directory
register-webhook`, then `retire-secret`); it is compared with `hmac.compare_digest` against both. The body is
never read: the event only asks for a sync, which the next minute's run of `sync_directory_requested`
does. Asking is one conditional write that keeps the first request's time, so duplicates, events out
of order and bursts ask once, and at most one sync a minute starts.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.models import DirectoryConnection
from chalicelib.platform import clock, eventlog, faults
from chalicelib.platform.errors import NotAllowedError

MAX_TOKEN_LENGTH = 200


def receive(token: str) -> dict[str, bool]:
    connection = _connection_for(token)
    requested = request_sync(connection.connection_id)
    return {"accepted": True, "sync_requested": requested}


def request_sync(connection_id: str) -> bool:
    """Ask the next minute's run for a sync; False when one is asked already (nothing changes)."""
    first = DirectoryConnection.connection_id.exists() & DirectoryConnection.sync_requested_at.does_not_exist()
    try:
        DirectoryConnection(connection_id).update(actions=[DirectoryConnection.sync_requested_at.set(clock.now())],
                                                  condition=first)
    except UpdateError as err:
        faults.only_condition(err)
        return False
    eventlog.record(eventlog.EventKind.DIRECTORY_SYNC, outcome="requested", connection_id=connection_id)
    return True


def register(connection_id: str, portal_origin: str) -> str:
    """Register (or, with a new secret, re-register) the connection's webhook with its directory; returns
    the URL with the secret masked. The previous secret stays valid until `retire_previous_secret`."""
    from chalicelib.directory.client import DataApiClient, DirectoryUnavailableError

    connection = DirectoryConnection.get(connection_id, consistent_read=True)
    token = new_secret(connection_id)
    url = f"{portal_origin.rstrip('/')}/api/directory/hooks/{token}"
    client = DataApiClient.for_connection(connection.base_url, connection_id)
    webhook = None
    if connection.webhook_id:
        try:
            webhook = client.update_webhook(connection.org_unit_id, connection.webhook_id, url)
        except DirectoryUnavailableError as err:
            if err.status != 404:  # removed at the directory: registered anew below
                raise
    if webhook is None:
        webhook = client.create_webhook(connection.org_unit_id, url)
    connection.update(actions=[DirectoryConnection.webhook_id.set(webhook.webhook_id)])
    eventlog.record(eventlog.EventKind.DIRECTORY_SYNC, outcome="webhook_registered", connection_id=connection_id)
    return url.replace(token.partition(".")[2], "…")


def new_secret(connection_id: str) -> str:
    """A fresh secret for the connection's webhook URL; the current one stays valid as the previous one."""
    secret = secrets.token_urlsafe(32)
    connection = DirectoryConnection.get(connection_id, consistent_read=True)
    current = DirectoryConnection.hook_secret
    connection.update(
        actions=[current.set(_digest(secret)), _set_or_remove(DirectoryConnection.hook_secret_previous,
                                                              connection.hook_secret)],
        condition=current == connection.hook_secret if connection.hook_secret else current.does_not_exist(),
    )
    return f"{connection_id}.{secret}"


def retire_previous_secret(connection_id: str) -> bool:
    """Stop accepting the previous secret (once the directory calls the new URL); False when there was none."""
    connection = DirectoryConnection.get(connection_id, consistent_read=True)
    if not connection.hook_secret_previous:
        return False
    connection.update(actions=[DirectoryConnection.hook_secret_previous.remove()])
    return True


def _set_or_remove(attribute: Any, value: str | None) -> Any:
    return attribute.set(value) if value else attribute.remove()


def _connection_for(token: str) -> DirectoryConnection:
    connection_id, dot, secret = token.partition(".")
    connection = _load(connection_id) if dot and secret and len(token) <= MAX_TOKEN_LENGTH else None
    digest = _digest(secret)
    stored = [connection.hook_secret, connection.hook_secret_previous] if connection is not None else []
    valid = False
    for candidate in stored:  # both compared, whichever matches
        valid |= hmac.compare_digest(candidate or "", digest)
    if connection is None or not valid:
        eventlog.refusal(reason="invalid_hook", route="/directory/hooks/{secret}", caller="anonymous")
        raise NotAllowedError("Deze webhook-link is ongeldig.", code="invalid_hook")
    return connection


def _load(connection_id: str) -> DirectoryConnection | None:
    if not connection_id or len(connection_id) > 64 or not connection_id.replace("-", "").isalnum():
        return None
    try:
        return DirectoryConnection.get(connection_id)
    except DoesNotExist:
        return None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
