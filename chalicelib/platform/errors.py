"""Domain errors: what went wrong, in words a person and a machine understand, never an HTTP status.

Each error carries a stable English `code`, a Dutch `message` and optional Dutch field messages.
Use cases raise them; `api/errors.py` is the one place that turns each class into a status and the
envelope of the API contract: {"error": {"code", "message", "fields"}}.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a use case may raise on purpose; on its own: a request that is not valid."""

    code = "bad_request"
    message = "Het verzoek is niet geldig."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, str] | None = None,
        retry_after: int | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.fields = fields or {}
        self.retry_after = retry_after
        super().__init__(self.message)

    def envelope(self) -> dict[str, Any]:
        return envelope(self.code, self.message, self.fields)


class InvalidInputError(DomainError):
    code = "validation_failed"
    message = "Niet alle velden zijn goed ingevuld."


class NotAuthenticatedError(DomainError):
    """No credentials, or credentials that are not (or no longer) valid."""

    code = "authentication_required"
    message = "Log in om verder te gaan."


class SessionExpiredError(NotAuthenticatedError):
    code = "session_expired"
    message = "Uw sessie is verlopen. Log opnieuw in."


class NotAllowedError(DomainError):
    """Valid credentials that may not do this."""

    code = "forbidden"
    message = "U heeft geen toegang tot deze functie."


class NotFoundError(DomainError):
    code = "not_found"
    message = "Niet gevonden."


class NotVisibleError(NotFoundError):
    """An object the caller may not know exists: answered exactly like one that does not."""


class ConflictError(DomainError):
    code = "conflict"
    message = "Dit conflicteert met de huidige toestand; laad de gegevens opnieuw."


class SeatsTakenError(ConflictError):
    code = "full"
    message = "Deze uitvoering is vol."


class GoneError(DomainError):
    """Something that existed and is gone for good (a decided request, a used link)."""

    code = "gone"
    message = "Dit bestaat niet meer."


class LinkExpiredError(GoneError):
    code = "link_expired"
    message = "Deze link is verlopen."


class TooLargeError(DomainError):
    code = "payload_too_large"
    message = "Het verzoek is te groot."


class UnprocessableError(DomainError):
    code = "unprocessable"
    message = "Het verzoek kan niet worden verwerkt."


class RateLimitedError(DomainError):
    code = "rate_limited"
    message = "Te veel verzoeken. Probeer het over enkele minuten opnieuw."


class UnavailableError(DomainError):
    code = "service_unavailable"
    message = "De dienst is tijdelijk niet beschikbaar. Probeer het later opnieuw."


def envelope(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}
