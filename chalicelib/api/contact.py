"""Visitors: the contact form to CFB (R_CON_01-04).

Open like the sign-up and login routes, and protected the same way: the CSRF header and the
portal's exact Origin are required even without a cookie (no cross-site mail bombing of CFB).
"""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.access import Access
from chalicelib.accounts.session_rules import CSRF_HEADER, csrf_ok
from chalicelib.api.routing import json_response, route
from chalicelib.api.validation import parse_body
from chalicelib.contact import use_cases as contact
from chalicelib.platform.config import settings
from chalicelib.platform.errors import NotAllowedError

bp = Blueprint(__name__)
SCHEMA = "chalicelib.contact.schemas:ContactRequest"


@route(bp, "/contact", methods=["POST"], allow=[Access.PUBLIC], body=SCHEMA,
       summary="Contact form: a visitor's question, e-mailed to CFB and deleted within 7 days")
def send_contact_message() -> object:
    request = bp.current_request
    if not csrf_ok(request.method, request.headers.get(CSRF_HEADER), request.headers.get("origin"),
                   settings.portal_origin):
        raise NotAllowedError("Het verzoek is geweigerd. Laad de pagina opnieuw en probeer het nog eens.",
                              code="csrf_failed")
    return json_response(contact.submit(parse_body(request, SCHEMA)), status=202)
