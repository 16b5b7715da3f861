"""Every route declares who may call it; anything undeclared is denied (R_SEC_01).

`route()` registers a Chalice route together with its access rule, its request schemas (named
lazily as "module:Class" so pydantic stays out of the cold start) and its cache policy. The
`guard` middleware in `app.py` enforces the rule before the view runs; the view wrapper turns
`ApiError` and unexpected exceptions into the error envelope.
"""

from __future__ import annotations

import contextvars
import functools
import json
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from chalice import Blueprint, Response

from chalicelib.errors import ApiError, envelope

log = logging.getLogger(__name__)


class Access(StrEnum):
    PUBLIC = "public"  # anyone, also visitors; org-aware when a principal is present
    SIGNED_LINK = "signed_link"  # the capability is in the URL; the view checks the signature
    EMPLOYEE = "employee"
    LOCAL_ADMIN = "local_admin"
    CFB = "cfb"
    ORDER_AUTHORISED = "order_authorised"
    OPS = "ops"
    SUPPLIER = "supplier"
    LMS = "lms"


OPEN_ACCESS = frozenset({Access.PUBLIC, Access.SIGNED_LINK})


@dataclass(frozen=True)
class Principal:
    """Who is calling, resolved per request (never cached in a cookie, R_ACC_11)."""

    kind: str  # account | supplier | lms
    subject_id: str
    org_id: str | None = None
    audiences: frozenset[Access] = frozenset()
    assurance_level: int = 1
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class RouteSpec:
    path: str
    method: str
    allow: frozenset[Access]
    summary: str
    body: str | None = None
    query: str | None = None
    cache: str | None = None
    tag: str = "api"
    max_body_bytes: int = 64 * 1024

    @property
    def is_open(self) -> bool:
        return bool(self.allow & OPEN_ACCESS)


ROUTES: dict[tuple[str, str], RouteSpec] = {}

_principal: contextvars.ContextVar[Principal | None] = contextvars.ContextVar("principal", default=None)


def current_principal() -> Principal | None:
    return _principal.get()


def set_principal(principal: Principal | None) -> contextvars.Token:
    return _principal.set(principal)


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
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    allowed = frozenset(allow)
    if not allowed:
        raise ValueError(f"route {path} must declare who may call it")
    method_list = [m.upper() for m in methods]

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        for method in method_list:
            ROUTES[(path, method)] = RouteSpec(
                path, method, allowed, summary, body, query, cache, bp._import_name.rsplit(".", 1)[-1],
                max_body_bytes,
            )
        return bp.route(path, methods=method_list, content_types=["application/json", "text/plain"])(
            _envelope_errors(view)
        )

    return decorate


def _envelope_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(**kwargs: Any) -> Any:
        try:
            return view(**kwargs)
        except ApiError as err:
            return error_response(err)
        except Exception as exc:
            return internal_error(exc, view.__name__)

    return wrapper


def error_response(err: ApiError) -> Response:
    return json_response(err.envelope(), status=err.status, headers=err.headers)


def internal_error(exc: BaseException, where: str) -> Response:
    from chalicelib import eventlog

    # Frames and the exception type only: an exception's message may carry personal data (R_LOG_02).
    frames = " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                        for f in reversed(traceback.extract_tb(exc.__traceback__)))
    log.error("unhandled %s in %s: %s", type(exc).__name__, where, frames)
    eventlog.system_error(where=where, error_type=type(exc).__name__)
    return json_response(
        envelope("internal_error", "Er ging iets mis aan onze kant. Probeer het later opnieuw."), status=500
    )


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    all_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    return Response(body=json.dumps(body, ensure_ascii=False), status_code=status, headers=all_headers)
