"""Declaring a route: its access rule, request schemas and cache policy, and the view's error envelope.

`route()` registers a Chalice route together with its `RouteSpec` in `chalicelib.access.ROUTES`
(schemas named lazily as "module:Class" so pydantic stays out of the cold start). The guard
middleware enforces the rule before the view runs; the view wrapper turns domain errors (through
the one mapping in `api/errors.py`) and unexpected exceptions into the error envelope.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from chalice.app import Blueprint, Response

from chalicelib.access import ROUTES, Access, RouteSpec
from chalicelib.api.errors import headers_of, status_of
from chalicelib.platform.errors import DomainError, envelope

log = logging.getLogger(__name__)

View = Callable[..., Any]


def route(
    bp: Blueprint,
    path: str,
    *,
    methods: Iterable[str] = ("GET",),
    allow: Iterable[Access],
    summary: str,
    body: str | None = None,
    query: str | None = None,
    cache: str | None = None,
    max_body_bytes: int = 64 * 1024,
) -> Callable[[View], View]:
    allowed = frozenset(allow)
    if not allowed:
        raise ValueError(f"route {path} must declare who may call it")
    method_list = [m.upper() for m in methods]

    def decorate(view: View) -> View:
        for method in method_list:
            ROUTES[(path, method)] = RouteSpec(
                path, method, allowed, summary, body, query, cache, bp._import_name.rsplit(".", 1)[-1],
                max_body_bytes,
            )
        # Every media type reaches the guard, which answers a wrong one in the envelope (415).
        registered: View = bp.route(path, methods=method_list, content_types=["*/*"])(
            _envelope_errors(view)
        )
        return registered

    return decorate


def _envelope_errors(view: View) -> View:
    @functools.wraps(view)
    def wrapper(**kwargs: Any) -> Any:
        try:
            return view(**kwargs)
        except DomainError as err:
            return error_response(err)
        except Exception as exc:
            return internal_error(exc, view.__name__)

    return wrapper


def error_response(err: DomainError) -> Response:
    from chalicelib.accounts.sessions import clearing_cookie

    return json_response(err.envelope(), status=status_of(err), headers=headers_of(err, clearing_cookie()))


def internal_error(exc: BaseException, where: str) -> Response:
    """An exception no use case turned into a domain error. An AWS fault that may pass (throttling,
    a 5xx, a timeout) is a 503 with Retry-After and a conflict a 409, each logged as one system
    error with AWS's error code; only what is left is a 500 (R_SEC_03, R_SEC_02)."""
    from chalicelib.platform import eventlog, faults

    kind = faults.classify(exc)
    if kind is faults.Fault.TRANSIENT or kind is faults.Fault.CONFLICT:
        log.warning("%s AWS fault %s in %s", kind, faults.error_code(exc), where)
        eventlog.system_error(where=where, error_type=type(exc).__name__, reason=faults.error_code(exc),
                              outcome=str(kind))
        return error_response(faults.unavailable(exc) if kind is faults.Fault.TRANSIENT else faults.busy())
    # Frames and the exception type only: an exception's message may carry personal data (R_LOG_02).
    eventlog.system_error(where=where, error_type=type(exc).__name__, frames=eventlog.frames_of(exc))
    return json_response(
        envelope("internal_error", "Er ging iets mis aan onze kant. Probeer het later opnieuw."), status=500
    )


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    all_headers: dict[str, str | list[str]] = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    return Response(body=json.dumps(body, ensure_ascii=False), status_code=status, headers=all_headers)
