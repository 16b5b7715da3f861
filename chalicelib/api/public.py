"""Open to everyone: liveness, the API description and the sitemap of public course pages."""

from __future__ import annotations

from chalice.app import Blueprint, Response

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


@route(bp, "/sitemap.xml", allow=[Access.PUBLIC], summary="Sitemap of the public course pages (robots.txt names it)",
       cache="public, max-age=3600")
def sitemap() -> object:
    from chalicelib.catalogue.sitemap import sitemap_xml
    from chalicelib.platform.config import settings

    return Response(body=sitemap_xml(settings.portal_origin), status_code=200,
                    headers={"Content-Type": "application/xml; charset=utf-8"})
