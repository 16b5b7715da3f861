"""Suppliers' feed: the signed URL (API key) and the XML feed itself (signed URL) (R_SUP_01-02)."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.access import Access
from chalicelib.api import callers
from chalicelib.api.routing import json_response, route
from chalicelib.suppliers import feeds

bp = Blueprint(__name__)


@route(bp, "/supplier/feed-url", allow=[Access.SUPPLIER], summary="Obtain or renew the signed feed URL")
def feed_url() -> object:
    return json_response(feeds.feed_url(callers.supplier().subject_id))


@route(bp, "/feeds/{supplier_id}/enrolments.xml", allow=[Access.SIGNED_LINK],
       summary="The supplier's enrolments and cancellations after `since` (XML, see the XSD)")
def feed(supplier_id: str) -> object:
    params = dict(bp.current_request.query_params or {})
    body = feeds.feed(supplier_id, params)
    return Response(body=body.decode("utf-8"), status_code=200,
                    headers={"Content-Type": "application/xml; charset=utf-8"})
