"""The HTTP middleware: deny by default, resolve the caller, enforce limits, add security headers.

The decision itself is `chalicelib.access.resolve`: this module only turns a Chalice request into
`Credentials` and the outcome into a response.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from chalice.app import Chalice, Request, Response

from chalicelib.access import ROUTES, Authenticator, Credentials, RouteSpec, reset_principal, resolve, set_principal
from chalicelib.api.errors import MethodNotAllowedError, UnsupportedMediaTypeError
from chalicelib.api.routing import error_response, internal_error
from chalicelib.platform import eventlog
from chalicelib.platform.errors import DomainError, NotAllowedError, TooLargeError
from chalicelib.platform.ipmask import viewer_ip

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Resource-Policy": "same-origin",
}

Middleware = Callable[[Request, Callable[[Request], Response]], Response]


def make_guard(app: Chalice, authenticators: Sequence[Authenticator]) -> Middleware:
    def guard(request: Request, get_response: Callable[[Request], Response]) -> Response:
        origin = eventlog.set_origin(viewer_origin(request))
        try:
            return decide(request, get_response)
        finally:
            eventlog.reset_origin(origin)

    def decide(request: Request, get_response: Callable[[Request], Response]) -> Response:
        resource = request.context.get("resourcePath", "")
        spec = ROUTES.get((resource, request.method))
        try:
            allowed_methods = app.routes.get(resource, {})
            if request.method not in allowed_methods:
                return _secure(_method_not_allowed(sorted(allowed_methods)), None)
            if spec is None:
                raise NotAllowedError(code="route_not_classified")
            _check_body(request, spec)
            token = set_principal(resolve(credentials_of(request, resource), spec, tuple(authenticators)))
        except DomainError as err:
            return _secure(error_response(err), None)
        except Exception as exc:
            return _secure(internal_error(exc, "guard"), None)
        try:
            return _secure(get_response(request), spec)
        finally:
            reset_principal(token)

    return guard


def viewer_origin(request: Request) -> str | None:
    """Where the request came from, masked at once (R_VIS_02). Behind CloudFront the source address is
    CloudFront's own; the viewer's is in `CloudFront-Viewer-Address` (ARCHITECTURE "Client IP"), which the
    distribution forwards to the API (tools/gen_hosting.py) and the local front server sets the same way."""
    return viewer_ip(request.headers.get("cloudfront-viewer-address"))


def credentials_of(request: Request, resource: str) -> Credentials:
    headers = {name.lower(): value for name, value in request.headers.items()}
    return Credentials(headers=headers, method=request.method, route=resource)


def _method_not_allowed(allowed: list[str]) -> Response:
    response = error_response(MethodNotAllowedError())
    response.headers["Allow"] = ", ".join(allowed)
    return response


def _check_body(request: Request, spec: RouteSpec) -> None:
    """A body is JSON, declared as such (R_SEC_02).

    A body without a Content-Type (or with an empty one) is refused here with the envelope: Chalice
    would treat it as JSON, and API Gateway and the local server would answer in their own format.
    A request without a body needs no Content-Type; a GET's body is never read.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    raw = request.raw_body or b""
    declared = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if len(raw) > spec.max_body_bytes:
        raise TooLargeError(fields={"body": f"Maximaal {spec.max_body_bytes // 1024} kB."})
    if (raw or declared) and declared != "application/json":
        raise UnsupportedMediaTypeError(fields={"Content-Type": "Gebruik application/json."})


def _secure(response: Response, spec: RouteSpec | None) -> Response:
    headers: dict[str, Any] = response.headers
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    headers["Cache-Control"] = spec.cache if spec is not None and spec.cache else "no-store"
    return response
