"""The EDU-DEX directory (R_DEX_01-03): the directory's webhook, and CFB's connections, held programs
and supplier mapping under /admin. The CFB routes import the directory's admin and mapping when called,
so they are not part of every route's cold start (the sync and its HTTP client come with them)."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.access import Access
from chalicelib.api import callers
from chalicelib.api.routing import json_response, route
from chalicelib.api.validation import parse_body, parse_query
from chalicelib.directory import hooks
from chalicelib.platform.errors import NotFoundError

bp = Blueprint(__name__)
SCHEMAS = "chalicelib.directory.schemas"
CFB = [Access.CFB]
MAX_ID_LENGTH = 100


def _id(value: str) -> str:
    if not value or len(value) > MAX_ID_LENGTH or not value.isprintable():
        raise NotFoundError()
    return value


# The directory calls this without a session or key: the secret in the URL it was registered with is
# the credential (checked in constant time in `hooks`), as with the other signed links.
@route(bp, "/directory/hooks/{secret}", methods=["POST"], allow=[Access.SIGNED_LINK],
       summary="The EDU-DEX directory's webhook: asks for a sync within a minute; the body is not read (R_DEX_02)")
def directory_hook(secret: str) -> object:
    return json_response(hooks.receive(secret), status=202)


@route(bp, "/admin/directory", allow=CFB,
       summary="Directory connections (status, last sync, cursor, errors) and directory suppliers with held programs")
def directory_overview() -> object:
    from chalicelib.directory import admin

    callers.account()
    return json_response(admin.overview())


@route(bp, "/admin/directory/connections", methods=["POST"], allow=CFB, body=f"{SCHEMAS}:ConnectionCreate",
       summary="Connect a catalog of an EDU-DEX directory (its token goes into SSM, never through the API)")
def create_connection() -> object:
    from chalicelib.directory import admin

    body = parse_body(bp.current_request, f"{SCHEMAS}:ConnectionCreate")
    return json_response(admin.create_connection(callers.account().subject_id, body), status=201)


@route(bp, "/admin/directory/connections/{connection_id}", methods=["PATCH"], allow=CFB,
       body=f"{SCHEMAS}:ConnectionPatch", summary="Change a connection; another catalog is read afresh")
def patch_connection(connection_id: str) -> object:
    from chalicelib.directory import admin

    body = parse_body(bp.current_request, f"{SCHEMAS}:ConnectionPatch")
    return json_response(admin.update_connection(callers.account().subject_id, _id(connection_id), body))


@route(bp, "/admin/directory/connections/{connection_id}/sync", methods=["POST"], allow=CFB,
       summary="Ask for a sync of the connection within a minute")
def request_sync(connection_id: str) -> object:
    from chalicelib.directory import admin

    callers.account()
    return json_response(admin.request_sync(_id(connection_id)), status=202)


@route(bp, "/admin/directory/held", allow=CFB, query=f"{SCHEMAS}:HeldQuery",
       summary="The held programs of one directory supplier (R_DEX_03), by program id")
def held_programs() -> object:
    from chalicelib.directory import admin

    callers.account()
    return json_response(admin.held_programs(parse_query(bp.current_request, f"{SCHEMAS}:HeldQuery")))


@route(bp, "/admin/suppliers/{supplier_id}/directory", methods=["PUT"], allow=CFB, body=f"{SCHEMAS}:SupplierMapping",
       summary="Map the supplier to its orgUnitId in EDU-DEX (or null); its held programs publish when admitted")
def map_supplier(supplier_id: str) -> object:
    from chalicelib.directory import mapping

    body = parse_body(bp.current_request, f"{SCHEMAS}:SupplierMapping")
    return json_response(mapping.map_supplier(callers.account().subject_id, _id(supplier_id), body.org_unit_id))
