"""One helper per kind of caller, for views behind a route that admits only that kind.

The guard has already authorized the call (`chalicelib.access.authorize`); these helpers only hand
the view its typed caller. A caller of another kind here is a routing mistake and answers 401 like
a missing credential, never a different status per blueprint.
"""

from __future__ import annotations

from chalice.app import Request

from chalicelib.access import CallerKind, Principal, current_principal
from chalicelib.accounts.session_rules import CSRF_HEADER, csrf_ok
from chalicelib.platform.config import settings
from chalicelib.platform.errors import NotAllowedError, NotAuthenticatedError


def _of_kind(kind: CallerKind) -> Principal:
    principal = current_principal()
    if principal is None or principal.kind is not kind:
        raise NotAuthenticatedError()
    return principal


def account() -> Principal:
    """A person with a live session; `principal.account` is the account read on this request."""
    return _of_kind(CallerKind.ACCOUNT)


def supplier() -> Principal:
    return _of_kind(CallerKind.SUPPLIER)


def lms() -> Principal:
    return _of_kind(CallerKind.LMS)


def optional_account() -> Principal | None:
    """On open routes: the logged-in person, or None for a visitor (or a key caller)."""
    principal = current_principal()
    return principal if principal is not None and principal.is_account else None


def same_origin(request: Request) -> None:
    """A state change from a page of the portal: the CSRF header and the portal's exact Origin. The
    session authenticator checks this for cookie callers; open and signed-link routes call it here."""
    if not csrf_ok(request.method, request.headers.get(CSRF_HEADER), request.headers.get("origin"),
                   settings.portal_origin):
        raise NotAllowedError("Het verzoek is geweigerd. Laad de pagina opnieuw en probeer het nog eens.",
                              code="csrf_failed")
