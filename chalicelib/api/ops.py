"""IT operations: the event log (R_LOG_03)."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.access import Access
from chalicelib.api.routing import json_response, route
from chalicelib.platform import eventlog

bp = Blueprint(__name__)


@route(bp, "/ops/log", allow=[Access.OPS], summary="The last 1,000 log messages, none older than 14 days")
def read_log() -> object:
    return json_response({"entries": eventlog.recent()})
