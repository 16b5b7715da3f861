"""Request schema of the contact form (R_CON_01). Unknown fields are refused; errors are Dutch."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from chalicelib.accounts.rules import clean_name, normalise_email
from chalicelib.contact.rules import clean_text

_BAD_EMAIL = "Vul een geldig e-mailadres in, zoals naam@organisatie.nl."


def _email(value: str) -> str:
    normalised = normalise_email(value)
    if normalised is None:
        raise ValueError(_BAD_EMAIL)
    return normalised


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def _optional_text(limit: int) -> AfterValidator:
    def check(value: str | None) -> str | None:
        if value is None:
            return None
        if len(value) > limit:
            raise ValueError(f"Gebruik hooguit {limit} tekens.")
        cleaned = clean_name(value)
        if cleaned is None:
            raise ValueError("Gebruik geen regeleinden of stuurtekens.")
        return cleaned

    return AfterValidator(check)


OptionalName = Annotated[str | None, BeforeValidator(_blank_is_none), _optional_text(100)]


class ContactRequest(BaseModel):
    """POST /api/contact: e-mail address and question required; names and organisation optional.

    `website` is the honeypot: hidden from people, filled by bots (R_CON_04)."""

    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(min_length=3, max_length=254), AfterValidator(_email)]
    question: str = Field(min_length=1, max_length=5000)
    first_name: OptionalName = None
    last_name: OptionalName = None
    organisation: Annotated[str | None, BeforeValidator(_blank_is_none), _optional_text(200)] = None
    website: str | None = Field(default=None, max_length=2000)

    @field_validator("question")
    @classmethod
    def has_text(cls, value: str) -> str:
        cleaned = clean_text(value)
        if not cleaned:
            raise ValueError("Vul uw vraag in.")
        return cleaned
