"""R_SEC_01 deny by default, R_SEC_02 error envelope, security headers, OpenAPI coverage."""

from __future__ import annotations

import json
import re

import pytest
from chalice import Chalice
from chalice.test import Client

from app import app
from chalicelib import wiring
from chalicelib.access import ROUTES, Access
from chalicelib.api import guard

# Every route open to callers without credentials, reviewed. A new open route must be added here.
EXPECTED_OPEN = {
    ("/health", "GET"),
    ("/openapi.json", "GET"),
    # the public course pages for search engines (issue 28): what a visitor may see anyway, nothing else
    ("/sitemap.xml", "GET"),
    ("/courses", "GET"),
    ("/courses/{course_id}", "GET"),
    # a course's rating summary for everyone; texts only for a logged-in caller (R_REV_02)
    ("/courses/{course_id}/reviews", "GET"),
    # accounts (R_ACC_01-04): the directory for sign-up, link requests, the link's POST, logout
    ("/organisations", "GET"),
    ("/session", "GET"),
    ("/auth/signup", "POST"),
    ("/auth/login", "POST"),
    ("/auth/verify", "POST"),
    ("/auth/logout", "POST"),
    # the contact form of visitors (R_CON_01-04): CSRF header and Origin, limits per address and overall
    ("/contact", "POST"),
    # the manager's signed one-purpose link (R_ENR_06): the signature is the credential
    ("/approvals/{token}", "GET"),
    ("/approvals/{token}", "POST"),
    # the offer of a seat from the waiting list (R_WAIT_03): a signed link in the holder's mail, like the
    # manager's; GET shows, POST decides (with the portal's CSRF header and Origin)
    ("/offers/{token}", "GET"),
    ("/offers/{token}", "POST"),
    # the supplier's signed feed URL (R_SUP_01)
    ("/feeds/{supplier_id}/enrolments.xml", "GET"),
    # the EDU-DEX directory's webhook (R_DEX_02): the directory has no session or key; the secret in the URL it
    # was registered with is the credential (hashed, compared in constant time), and all it can do is ask for
    # a sync, at most one a minute; its body is never read
    ("/directory/hooks/{secret}", "POST"),
}

ALL_ROUTES = sorted((path, method) for path, methods in app.routes.items() for method in methods)


def _concrete(path: str) -> str:
    return re.sub(r"{\w+}", "x", path)


def test_R_SEC_01_every_route_declares_who_may_call_it():
    undeclared = [key for key in ALL_ROUTES if key not in ROUTES]
    assert undeclared == []


def test_R_SEC_01_open_routes_are_exactly_the_reviewed_list():
    open_routes = {key for key, spec in ROUTES.items() if spec.is_open}
    assert open_routes == EXPECTED_OPEN


@pytest.mark.parametrize(("path", "method"), [r for r in ALL_ROUTES if r not in EXPECTED_OPEN])
def test_R_SEC_01_request_without_credentials_is_refused(client, path, method):
    response = client.http.request(method, _concrete(path), headers={"Content-Type": "application/json"}, body=b"{}")
    assert response.status_code in (401, 403), (path, method, response.body)
    assert response.json_body["error"]["code"] in ("authentication_required", "forbidden", "route_not_classified")


def test_R_SEC_01_an_undeclared_route_is_denied():
    bare = Chalice(app_name="bare")
    bare.register_middleware(guard.make_guard(bare, wiring.AUTHENTICATORS), "http")

    @bare.route("/undeclared")
    def undeclared() -> dict:
        return {"leaked": True}

    with Client(bare) as c:
        response = c.http.get("/undeclared")
    assert response.status_code == 403
    assert response.json_body["error"]["code"] == "route_not_classified"


def test_R_SEC_02_wrong_method_gets_envelope_and_allow_header(client):
    response = client.http.delete("/health")
    assert response.status_code == 405
    assert response.json_body["error"]["code"] == "method_not_allowed"
    assert response.headers["Allow"] == "GET"


def test_security_headers_on_every_response(client):
    for response in (client.http.get("/health"), client.http.get("/ops/log"), client.http.delete("/health")):
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_cache_control_is_no_store_unless_the_route_relaxes_it(client):
    relaxed = {spec.path for spec in ROUTES.values() if spec.cache}
    assert relaxed <= {"/health", "/openapi.json", "/courses", "/courses/{course_id}", "/sitemap.xml"}
    assert client.http.get("/ops/log").headers["Cache-Control"] == "no-store"


def test_openapi_documents_every_route(client):
    doc = json.loads(client.http.get("/openapi.json").body)
    missing = [(p, m) for p, m in ALL_ROUTES if m.lower() not in doc["paths"].get(p, {})]
    assert missing == []
    for (path, method), spec in ROUTES.items():
        operation = doc["paths"][path][method.lower()]
        assert operation["x-leerrijk-access"] == sorted(str(a) for a in spec.allow)
        if Access.PUBLIC not in spec.allow and Access.SIGNED_LINK not in spec.allow:
            assert "401" in operation["responses"]
