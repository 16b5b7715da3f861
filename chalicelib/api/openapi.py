"""The OpenAPI 3.1 document, generated from the route registry and the pydantic schemas.

Truthful both ways (checked by schemathesis against the local stack, tests/api): every status an
operation can answer is listed, and every string the document allows in a body or query is one
the server's shared text check accepts (no characters XML 1.0 cannot carry, R_SEC_02).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from chalicelib.access import ROUTES, Access, RouteSpec
from chalicelib.accounts.session_rules import cookie_name
from chalicelib.api.validation import schema
from chalicelib.platform.config import settings

_PARAM = re.compile(r"{(\w+)}")
_ERROR = {"$ref": "#/components/schemas/Error"}
# The characters every free-text input refuses (chalicelib/platform/xmltext.py), as a JSON Schema pattern.
XML_SAFE_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufdd0-\\ufdef\\ufffe\\uffff]*$"
SUCCESS: dict[tuple[str, str], tuple[str, ...]] = {
    ("/auth/signup", "POST"): ("202",), ("/auth/login", "POST"): ("202",), ("/me/questions", "POST"): ("202",),
    ("/admin/organisations", "POST"): ("201",), ("/admin/organisations/{org_id}/keys", "POST"): ("201",),
    ("/admin/suppliers", "POST"): ("201",), ("/admin/suppliers/{supplier_id}/keys", "POST"): ("201",),
    ("/enrolments", "POST"): ("200", "201"), ("/lms/enrolments", "POST"): ("200", "201"),  # 200: a replay
    ("/directory/hooks/{secret}", "POST"): ("202",), ("/admin/directory/connections", "POST"): ("201",),
    ("/admin/directory/connections/{connection_id}/sync", "POST"): ("202",),
    ("/waiting", "POST"): ("201",), ("/lms/waiting", "POST"): ("201",),  # a place, or an enrolment when a seat is free
}
STATIC = {("/health", "GET"), ("/openapi.json", "GET")}
ERRORS = {
    "400": "Invalid input: the fields named in the envelope", "401": "Not authenticated",
    "403": "Not allowed, or the CSRF header or Origin is missing", "404": "Not found (or not visible to you)",
    "409": "Conflict with the current state", "410": "Gone: the link or object no longer exists",
    "413": "Body too large", "415": "Body not declared as application/json", "422": "Understood but refused",
    "429": "Too many attempts: see Retry-After", "503": "A dependency failed: try again later",
}


@cache
def document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    components: dict[str, Any] = {"Error": _error_schema()}
    for spec in sorted(ROUTES.values(), key=lambda s: (s.path, s.method)):
        paths.setdefault(spec.path, {})[spec.method.lower()] = _operation(spec, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Leer-Rijk API", "version": "1"},
        "servers": [{"url": "/api"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": cookie_name(settings.secure_cookies)},
                "apiKey": {"type": "http", "scheme": "bearer"},
            },
        },
    }


def _operation(spec: RouteSpec, components: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": spec.summary,
        "tags": [spec.tag],
        "x-leerrijk-access": sorted(str(a) for a in spec.allow),
        "parameters": [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in _PARAM.findall(spec.path)
        ],
        "responses": _responses(spec),
    }
    if not spec.is_open:
        op["security"] = [{"session": []}, {"apiKey": []}]
    if spec.query:
        model = schema(spec.query)
        for name, prop in model.model_json_schema(by_alias=True)["properties"].items():
            op["parameters"].append({"name": name, "in": "query", "schema": _xml_safe(prop)})
    if spec.body:
        model = schema(spec.body)
        components[model.__name__] = _xml_safe(model.model_json_schema(ref_template="#/components/schemas/{model}"))
        for name, sub in components[model.__name__].pop("$defs", {}).items():
            components[name] = sub
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
        }
    return op


def _responses(spec: RouteSpec) -> dict[str, Any]:
    """Every status the operation can answer: its success, and the errors its layers can raise."""
    success = SUCCESS.get((spec.path, spec.method), ("200",))
    responses: dict[str, Any] = {code: {"description": "OK"} for code in success}
    if (spec.path, spec.method) in STATIC:
        return responses
    codes = ["400", "404", "409", "410", "422", "429", "503"]
    if not spec.is_open:
        codes += ["401", "403"]
    if Access.SIGNED_LINK in spec.allow:
        codes += ["403"]  # a tampered, expired or revoked link
    if spec.method not in ("GET", "HEAD"):
        codes += ["403", "413", "415"]  # 403: CSRF on every state change
    for code in sorted(set(codes)):
        responses[code] = _error_response(ERRORS[code])
    return responses


def _xml_safe(node: Any) -> Any:
    """Give every free-text string (no pattern, format or fixed values of its own) the shared text rule."""
    if isinstance(node, dict):
        walked = {key: _xml_safe(value) for key, value in node.items()}
        if walked.get("type") == "string" and not {"pattern", "format", "enum", "const"} & set(walked):
            walked["pattern"] = XML_SAFE_PATTERN
        return walked
    if isinstance(node, list):
        return [_xml_safe(item) for item in node]
    return node


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


def _error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "fields"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            }
        },
    }
