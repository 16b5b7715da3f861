"""The OpenAPI 3.1 document, generated from the route registry and the pydantic schemas."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from chalicelib.access import ROUTES, RouteSpec
from chalicelib.accounts.session_rules import cookie_name
from chalicelib.api.validation import schema
from chalicelib.platform.config import settings

_PARAM = re.compile(r"{(\w+)}")
_ERROR = {"$ref": "#/components/schemas/Error"}


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
        "responses": {
            "200": {"description": "OK"},
            "400": _error_response("Invalid input"),
        },
    }
    if not spec.is_open:
        op["security"] = [{"session": []}, {"apiKey": []}]
        op["responses"]["401"] = _error_response("Not authenticated")
        op["responses"]["403"] = _error_response("Not allowed")
    if spec.query:
        model = schema(spec.query)
        for name, prop in model.model_json_schema()["properties"].items():
            op["parameters"].append({"name": name, "in": "query", "schema": prop})
    if spec.body:
        model = schema(spec.body)
        components[model.__name__] = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in components[model.__name__].pop("$defs", {}).items():
            components[name] = sub
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
        }
    return op


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
