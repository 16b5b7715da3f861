"""The error envelope of the API contract: {"error": {"code", "message", "fields"}}.

`code` is stable English for machines; `message` and field messages are Dutch for the portal.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    status = 400
    code = "bad_request"
    message = "Het verzoek is niet geldig."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, str] | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.fields = fields or {}
        self.status = status or self.status
        self.headers = headers or {}
        super().__init__(self.message)

    def envelope(self) -> dict[str, Any]:
        return envelope(self.code, self.message, self.fields)


class ValidationFailed(ApiError):
    status = 400
    code = "validation_failed"
    message = "Niet alle velden zijn goed ingevuld."


class Unauthenticated(ApiError):
    status = 401
    code = "authentication_required"
    message = "Log in om verder te gaan."


class Forbidden(ApiError):
    status = 403
    code = "forbidden"
    message = "U heeft geen toegang tot deze functie."


class NotFound(ApiError):
    status = 404
    code = "not_found"
    message = "Niet gevonden."


class Conflict(ApiError):
    status = 409
    code = "conflict"
    message = "Dit conflicteert met de huidige toestand; laad de gegevens opnieuw."


class PayloadTooLarge(ApiError):
    status = 413
    code = "payload_too_large"
    message = "Het verzoek is te groot."


class Unprocessable(ApiError):
    status = 422
    code = "unprocessable"
    message = "Het verzoek kan niet worden verwerkt."


class TooManyRequests(ApiError):
    status = 429
    code = "rate_limited"
    message = "Te veel verzoeken. Probeer het over enkele minuten opnieuw."


class ServiceUnavailable(ApiError):
    status = 503
    code = "service_unavailable"
    message = "De dienst is tijdelijk niet beschikbaar. Probeer het later opnieuw."


def envelope(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}
