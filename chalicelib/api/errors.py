"""The one mapping from domain errors to HTTP: status, envelope, headers.

The status rule for callers (R_SEC_01): no or invalid credentials → 401; valid credentials that
may not do this → 403; an object the caller may not know exists → 404 (as if it did not exist).
"""

from __future__ import annotations

from chalicelib.platform import errors as domain

# Most specific first: the first class in an error's MRO found here decides.
STATUS: dict[type[domain.DomainError], int] = {
    domain.InvalidInputError: 400,
    domain.NotAuthenticatedError: 401,
    domain.NotAllowedError: 403,
    domain.NotFoundError: 404,
    domain.ConflictError: 409,
    domain.GoneError: 410,
    domain.TooLargeError: 413,
    domain.UnprocessableError: 422,
    domain.RateLimitedError: 429,
    domain.UnavailableError: 503,
    domain.DomainError: 400,
}


class MethodNotAllowedError(domain.DomainError):
    code = "method_not_allowed"
    message = "Deze methode is hier niet toegestaan."


class UnsupportedMediaTypeError(domain.DomainError):
    code = "unsupported_media_type"
    message = "Stuur de gegevens als JSON."


HTTP_ONLY: dict[type[domain.DomainError], int] = {MethodNotAllowedError: 405, UnsupportedMediaTypeError: 415}


def status_of(err: domain.DomainError) -> int:
    for cls in type(err).__mro__:
        if cls in HTTP_ONLY:
            return HTTP_ONLY[cls]
        if cls in STATUS:
            return STATUS[cls]
    return 400


def headers_of(err: domain.DomainError, clearing_cookie: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    if err.retry_after is not None:
        headers["Retry-After"] = str(err.retry_after)
    if isinstance(err, domain.SessionExpiredError):
        headers["Set-Cookie"] = clearing_cookie
    return headers
