"""The HTTP middleware: deny by default, resolve the caller, enforce limits, add security headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Chalice, Response
from chalice.app import Request

from chalicelib.api.routing import (
    ROUTES,
    Principal,
    RouteSpec,
    error_response,
    internal_error,
    set_principal,
)
from chalicelib.errors import ApiError, Forbidden, PayloadTooLarge, Unauthenticated

Authenticator = Callable[[Request], Principal | None]

# Filled by the capabilities that own a credential (API keys, sessions). Each returns a Principal,
# None when its credential is absent, or raises Unauthenticated when it is present but bad.
AUTHENTICATORS: list[Authenticator] = []

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def make_guard(app: Chalice) -> Callable[[Request, Callable[[Request], Response]], Response]:
    def guard(request: Request, get_response: Callable[[Request], Response]) -> Response:
        resource = request.context.get("resourcePath", "")
        spec = ROUTES.get((resource, request.method))
        try:
            if request.method not in app.routes.get(resource, {}):
                allowed = ", ".join(sorted(app.routes.get(resource, {})))
                raise ApiError(
                    "Deze methode is hier niet toegestaan.", code="method_not_allowed", status=405,
                    headers={"Allow": allowed},
                )
            if spec is None:
                raise Forbidden(code="route_not_classified")
            _check_body(request, spec)
            token = set_principal(_resolve(request, spec))
        except ApiError as err:
            return _secure(error_response(err), None)
        except Exception as exc:
            return _secure(internal_error(exc, "guard"), None)
        try:
            return _secure(get_response(request), spec)
        finally:
            token.var.reset(token)

    return guard


def _check_body(request: Request, spec: RouteSpec) -> None:
    if request.method in ("GET", "HEAD", "DELETE"):
        return
    if len(request.raw_body or b"") > spec.max_body_bytes:
        raise PayloadTooLarge(fields={"body": f"Maximaal {spec.max_body_bytes // 1024} kB."})
    content_type = (request.headers.get("content-type") or "application/json").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise ApiError(
            "Stuur de gegevens als JSON.", code="unsupported_media_type", status=415,
            fields={"Content-Type": "Gebruik application/json."},
        )


def _resolve(request: Request, spec: RouteSpec) -> Principal | None:
    if spec.is_open:
        try:
            return _authenticate(request)
        except Unauthenticated:
            return None  # a bad credential on an open route: treat the caller as a visitor
    principal = _authenticate(request)
    if principal is None:
        raise Unauthenticated()
    if not (principal.audiences & spec.allow):
        raise Forbidden()
    return principal


def _authenticate(request: Request) -> Principal | None:
    for authenticator in AUTHENTICATORS:
        principal = authenticator(request)
        if principal is not None:
            return principal
    return None


def _secure(response: Response, spec: RouteSpec | None) -> Response:
    headers: dict[str, Any] = response.headers
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    headers["Cache-Control"] = spec.cache if spec is not None and spec.cache else "no-store"
    return response

