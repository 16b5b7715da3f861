"""Who may call what (R_SEC_01, R_ACC_10, R_ACC_11): one registry of routes, one typed caller, one decision.

Every route is declared with the audiences that may call it (`ROUTES`, filled by `api.routing.route`).
A request's caller is resolved by exactly one authenticator per credential kind (API key, session
cookie) into a `Principal`, and `authorize()` makes every decision and logs every refusal once,
whatever the kind of caller. The status rule is written once, in `api/errors.py`:
no or invalid credentials → 401 (`NotAuthenticatedError`); valid credentials that may not do this
→ 403 (`NotAllowedError`); an object the caller may not know exists → 404 (`NotVisibleError`).

No Chalice import here: authenticators receive `Credentials`, plain data taken from the request.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, NoReturn

from chalicelib.platform import eventlog
from chalicelib.platform.errors import NotAllowedError, NotAuthenticatedError

if TYPE_CHECKING:
    from chalicelib.models import Account


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
LEVEL_PASSWORDLESS = 1  # e-mail link only
LEVEL_SECOND_FACTOR = 2  # e-mail link plus TOTP


@dataclass(frozen=True)
class Grant:
    """A role held by an account, for an organisation or one of its departments where the role needs one.
    Role names equal the audience names (`Access`); which grants exist is `accounts.roles`' business."""

    role: str
    org_id: str | None = None
    department_id: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"role": self.role, "org_id": self.org_id, "department_id": self.department_id}


class CallerKind(StrEnum):
    ACCOUNT = "account"  # a person with a session
    SUPPLIER = "supplier"  # a supplier's API key
    LMS = "lms"  # an organisation's LMS API key


@dataclass(frozen=True)
class Principal:
    """Who is calling, resolved per request (never cached in a cookie, R_ACC_11)."""

    kind: CallerKind
    subject_id: str
    org_id: str | None = None
    audiences: frozenset[Access] = frozenset()
    assurance_level: int = 1
    roles: tuple[Grant, ...] = ()
    department_id: str | None = None
    session_ref: str | None = None
    totp_enrolled: bool = False
    key_id: str | None = None
    # The account as read on this request, so use cases need not read it again.
    account: Account | None = field(default=None, hash=False, compare=False, repr=False)

    @property
    def is_account(self) -> bool:
        return self.kind is CallerKind.ACCOUNT


@dataclass(frozen=True)
class Credentials:
    """What an authenticator may look at: the request's headers (lower-case names), method and route."""

    headers: Mapping[str, str]
    method: str
    route: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


# Returns a Principal, None when its credential is absent, or raises NotAuthenticatedError /
# NotAllowedError (CSRF) when it is present but bad.
Authenticator = Callable[[Credentials], "Principal | None"]


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


def set_principal(principal: Principal | None) -> contextvars.Token[Principal | None]:
    return _principal.set(principal)


def reset_principal(token: contextvars.Token[Principal | None]) -> None:
    _principal.reset(token)


# --- the one decision ----------------------------------------------------------------------------------


def resolve(credentials: Credentials, spec: RouteSpec, authenticators: tuple[Authenticator, ...]) -> Principal | None:
    """Authenticate, then authorize. On an open route a bad credential makes the caller a visitor."""
    try:
        principal = _authenticate(credentials, authenticators)
    except NotAuthenticatedError as err:
        if spec.is_open:
            return None
        refuse(err, spec, None)
    except NotAllowedError as err:
        refuse(err, spec, None)
    authorize(principal, spec)
    return principal


def authorize(principal: Principal | None, spec: RouteSpec) -> None:
    """Allow the call or raise (and log once): 401 without a caller, 403 for a caller without the audience."""
    if spec.is_open:
        return
    if principal is None:
        refuse(NotAuthenticatedError(), spec, None)
    if principal.audiences & spec.allow:
        return
    if _lacks_only_second_factor(principal, spec):
        refuse(NotAllowedError("Bevestig eerst uw inlog met de code uit uw authenticator-app.",
                               code="second_factor_required"), spec, principal)
    refuse(NotAllowedError(), spec, principal)


def refuse(err: NotAuthenticatedError | NotAllowedError, spec: RouteSpec, principal: Principal | None) -> NoReturn:
    """Log the refusal once, then raise it. Repeated refusals of one kind share an entry (R_LOG_04)."""
    eventlog.refusal(reason=err.code, route=spec.path, caller=_caller_ref(principal))
    raise err


def _lacks_only_second_factor(principal: Principal, spec: RouteSpec) -> bool:
    if not principal.is_account or principal.assurance_level >= LEVEL_SECOND_FACTOR:
        return False
    return any(grant.role in spec.allow for grant in principal.roles)


def _caller_ref(principal: Principal | None) -> str:
    if principal is None:
        return "anonymous"
    return f"{principal.kind.value}:{principal.subject_id}" if principal.is_account else principal.kind.value


def _authenticate(credentials: Credentials, authenticators: tuple[Authenticator, ...]) -> Principal | None:
    for authenticator in authenticators:
        principal = authenticator(credentials)
        if principal is not None:
            return principal
    return None
