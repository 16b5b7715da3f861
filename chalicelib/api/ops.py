"""IT operations: the event log (R_LOG_03)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import eventlog
from chalicelib.api.routing import Access, json_response, route

bp = Blueprint(__name__)


@route(bp, "/ops/log", allow=[Access.OPS], summary="The last 1,000 log messages, none older than 14 days")
def read_log() -> object:
    return json_response({"entries": eventlog.recent()})
