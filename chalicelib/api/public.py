"""Open to everyone: liveness and the API description."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.access import Access
from chalicelib.api.routing import json_response, route

bp = Blueprint(__name__)


@route(bp, "/health", allow=[Access.PUBLIC], summary="Liveness", cache="public, max-age=10")
def health() -> object:
    return json_response({"status": "ok"})


@route(bp, "/openapi.json", allow=[Access.PUBLIC], summary="OpenAPI document of the whole API",
       cache="public, max-age=300")
def openapi() -> object:
    from chalicelib.api.openapi import document

    return json_response(document())
