"""Order lists for order-authorised staff (R_ORD_02, R_ORD_03, R_ACC_10): the list, marking a line
as ordered, and the export for the ordering system. The role needs the second factor like every
admin role; the use case keeps each person to the lists of their own grants."""

from __future__ import annotations

import json

from chalice.app import Blueprint, Response

from chalicelib.access import Access
from chalicelib.api import callers
from chalicelib.api.routing import json_response, route
from chalicelib.api.validation import parse_query
from chalicelib.orders import use_cases as orders
from chalicelib.platform.errors import NotFoundError

bp = Blueprint(__name__)
SCHEMAS = "chalicelib.orders.schemas"
ORDER_STAFF = [Access.ORDER_AUTHORISED]
MAX_ID_LENGTH = 64


@route(bp, "/orders", allow=ORDER_STAFF, query=f"{SCHEMAS}:OrderListQuery",
       summary="My order list: one page, filtered by period and status, with totals per month (R_ORD_02)")
def list_orders() -> object:
    query = parse_query(bp.current_request, f"{SCHEMAS}:OrderListQuery")
    return json_response(orders.list_orders(callers.account(), query))


@route(bp, "/orders/export", allow=ORDER_STAFF, query=f"{SCHEMAS}:ExportQuery",
       summary="The order list for the ordering system, without personal data: CSV or JSON (R_ORD_03)")
def export_orders() -> object:
    query = parse_query(bp.current_request, f"{SCHEMAS}:ExportQuery")
    found = orders.export(callers.account(), query)
    if found.kind == "json":
        return Response(body=json.dumps(found.body, ensure_ascii=False), status_code=200, headers={
            "Content-Type": "application/json; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{found.name}.json"'})
    return Response(body=found.body, status_code=200, headers={
        "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": f'attachment; filename="{found.name}.csv"'})


@route(bp, "/orders/{line_id}/ordered", methods=["POST"], allow=ORDER_STAFF,
       summary="Mark an order line as ordered (who and when are recorded)")
def mark_ordered(line_id: str) -> object:
    return json_response(orders.mark_ordered(callers.account(), _checked(line_id)))


@route(bp, "/orders/{line_id}/ordered", methods=["DELETE"], allow=ORDER_STAFF,
       summary="Undo marking an order line as ordered: open again (anyone with the same list; logged)")
def reopen(line_id: str) -> object:
    return json_response(orders.reopen(callers.account(), _checked(line_id)))


def _checked(line_id: str) -> str:
    if not line_id or len(line_id) > MAX_ID_LENGTH or not line_id.isalnum():
        raise_not_found()
    return line_id


def raise_not_found() -> None:
    raise NotFoundError("Deze bestelregel bestaat niet of is niet voor u.")
