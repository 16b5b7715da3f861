"""CFB's view and settings of the directory connections (R_DEX_01-03): status, cursor, held programs.

Creating or changing a connection never touches its bearer token (an SSM SecureString an operator
writes, README "Connecting a directory"); changing which catalog it reads starts a fresh read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.directory import holding, hooks
from chalicelib.directory.client import token_parameter
from chalicelib.directory.connection_rules import base_url_problem
from chalicelib.directory.sync import connection_for, connections
from chalicelib.models import DirectoryConnection, plain
from chalicelib.platform import clock, eventlog, faults
from chalicelib.platform.config import LOCAL_STAGE, settings
from chalicelib.platform.errors import ConflictError, InvalidInputError

if TYPE_CHECKING:
    from chalicelib.directory.schemas import ConnectionCreate, ConnectionPatch, HeldQuery

CATALOG_FIELDS = ("base_url", "org_unit_id", "catalog_id", "catalog_kind")


def overview() -> dict[str, Any]:
    return {"connections": [connection_view(c) for c in connections()], "suppliers": holding.suppliers_view()}


def connection_view(connection: DirectoryConnection) -> dict[str, Any]:
    now = clock.now()
    return {
        "connection_id": connection.connection_id, "name": connection.name, "base_url": connection.base_url,
        "org_unit_id": connection.org_unit_id, "catalog_id": connection.catalog_id,
        "catalog_kind": connection.catalog_kind, "token_parameter": token_parameter(connection.connection_id),
        "webhook_registered": bool(connection.webhook_id and connection.hook_secret),
        "cursor": {"last_change": connection.cursor_at.isoformat(), "program": connection.cursor_key}
        if connection.cursor_at else None,
        "last_sync_at": connection.last_sync_at.isoformat() if connection.last_sync_at else None,
        "last_outcome": connection.last_outcome,
        "last_counts": {k: int(v) for k, v in plain(connection.last_counts).items()},
        "sync_requested": connection.sync_requested_at is not None,
        "running": connection.lease_until is not None and connection.lease_until > now,
        "resume": bool(connection.resume),
        "errors": [{"at": e.at.isoformat(), "code": e.code, "program": e.program} for e in connection.errors],
    }


def create_connection(actor_ref: str, body: ConnectionCreate) -> dict[str, Any]:
    _check_url(body.base_url)
    connection = DirectoryConnection(
        body.connection_id, name=body.name, base_url=body.base_url, org_unit_id=body.org_unit_id,
        catalog_id=body.catalog_id, catalog_kind=body.catalog_kind, created_at=clock.now(),
    )
    try:
        connection.save(condition=DirectoryConnection.connection_id.does_not_exist())
    except PutError as err:
        faults.only_condition(err)
        raise ConflictError("Er bestaat al een koppeling met deze id.", code="connection_exists",
                            fields={"connection_id": "Deze id is al in gebruik."}) from None
    eventlog.record(eventlog.EventKind.DIRECTORY_SYNC, actor_ref=actor_ref, outcome="connection_created",
                    connection_id=body.connection_id)
    return connection_view(connection)


def update_connection(actor_ref: str, connection_id: str, patch: ConnectionPatch) -> dict[str, Any]:
    connection = connection_for(connection_id)
    changed = {name for name in patch.model_fields_set if getattr(patch, name) is not None}
    if "base_url" in changed and patch.base_url:
        _check_url(patch.base_url)
    actions = [getattr(DirectoryConnection, name).set(getattr(patch, name)) for name in sorted(changed)]
    if changed & set(CATALOG_FIELDS) - {"base_url"}:  # another catalog: its changes start afresh
        actions += [DirectoryConnection.cursor_at.remove(), DirectoryConnection.cursor_key.remove()]
    if actions:
        try:
            connection.update(actions=actions, condition=DirectoryConnection.connection_id.exists())
        except UpdateError as err:
            faults.only_condition(err)
            raise ConflictError() from None
        eventlog.record(eventlog.EventKind.DIRECTORY_SYNC, actor_ref=actor_ref, outcome="connection_changed",
                        connection_id=connection_id, changed=",".join(sorted(changed)))
    return connection_view(connection_for(connection_id))


def request_sync(connection_id: str) -> dict[str, Any]:
    """CFB asks for a sync: the same request a webhook makes, answered within a minute."""
    connection_for(connection_id)
    hooks.request_sync(connection_id)
    return {"sync_requested": True,
            "message": "De synchronisatie start binnen een minuut. Vernieuw deze pagina om het resultaat te zien."}


def held_programs(query: HeldQuery) -> dict[str, Any]:
    return holding.held_page(query.org_unit_id, query.cursor, query.limit)


def _check_url(url: str) -> None:
    problem = base_url_problem(url, settings.directory_hosts, settings.stage == LOCAL_STAGE)
    if problem:
        raise InvalidInputError(fields={"base_url": problem})
