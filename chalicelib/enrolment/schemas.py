"""Request schemas of the enrolment routes (R_ENR_02, R_ENR_03)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

from chalicelib.enrolment.rules import GENDERS

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
# The documented patterns (OpenAPI): the checks above after surrounding spaces are stripped.
EMAIL_DOC: dict[str, JsonValue] = {"format": "email", "pattern": r"^\s*" + _EMAIL.pattern[1:-1] + r"\s*$"}
PHONE_DOC: dict[str, JsonValue] = {"pattern": r"^\s*" + _PHONE.pattern[1:-1] + r"\s*$"}

Gender = Literal[GENDERS]  # type: ignore[valid-type]


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    if _CONTROL.search(value):
        raise ValueError("Gebruik geen regeleinden of stuurtekens.")
    value = value.strip()
    return value or None


class EnrolmentForm(BaseModel):
    """The R_ENR_02 fields. Empty optional fields never block (R_ENR_04)."""

    model_config = ConfigDict(extra="forbid", str_max_length=200)

    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    email: str = Field(min_length=3, max_length=254, json_schema_extra=EMAIL_DOC)
    phone: str = Field(min_length=6, max_length=20, json_schema_extra=PHONE_DOC)
    gender: Gender
    initials: str | None = Field(default=None, max_length=20)
    title_before: str | None = Field(default=None, max_length=40)
    title_after: str | None = Field(default=None, max_length=40)
    job_function: str | None = Field(default=None, max_length=100)
    salary_scale: str | None = Field(default=None, max_length=5)
    department_name: str | None = Field(default=None, max_length=150)

    @field_validator("*", mode="before")
    @classmethod
    def no_control_characters(cls, value: object) -> object:
        return _clean(value) if isinstance(value, str) else value

    @field_validator("email")
    @classmethod
    def email_shape(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise ValueError("Vul een geldig e-mailadres in.")
        return value

    @field_validator("phone")
    @classmethod
    def phone_shape(cls, value: str) -> str:
        if not _PHONE.match(value):
            raise ValueError("Vul een geldig telefoonnummer in (cijfers, spaties, + of -).")
        return value

    @field_validator("salary_scale")
    @classmethod
    def scale_shape(cls, value: str | None) -> str | None:
        if value is not None and not (value.isdigit() and 1 <= int(value) <= 18):
            raise ValueError("Vul een salarisschaal van 1 tot en met 18 in.")
        return value


class PortalEnrolment(EnrolmentForm):
    """POST /api/enrolments."""

    course_id: str = Field(min_length=1, max_length=40, pattern=r"^c[0-9a-f]+$")
    execution_id: str = Field(min_length=1, max_length=64)
    department_id: str | None = Field(default=None, max_length=64)
    manager_email: str | None = Field(default=None, max_length=254,
                                      json_schema_extra=EMAIL_DOC)
    consent: Literal[True] = Field(description="Explicit consent to share the data as the privacy statement says")

    @field_validator("manager_email")
    @classmethod
    def manager_shape(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError("Vul een geldig e-mailadres in.")
        return value


class LmsEnrolment(EnrolmentForm):
    """POST /api/lms/enrolments: the LMS asserts consent with its time and the statement version."""

    course_id: str = Field(min_length=1, max_length=40, pattern=r"^c[0-9a-f]+$")
    execution_id: str = Field(min_length=1, max_length=64)
    organisation_name: str | None = Field(default=None, max_length=200)
    consent_at: datetime
    consent_version: str = Field(min_length=1, max_length=20)
    lms_reference: str | None = Field(default=None, max_length=100)
    reminders: bool = Field(default=False, description="Send the participant the reminders 7 days and 1 day "
                            "before the start (R_CAL_03); off unless the LMS asks")


class Decision(BaseModel):
    """POST /api/approvals/{token}."""

    model_config = ConfigDict(extra="forbid")
    decision: Literal["approve", "reject"]


class LmsCourseQuery(BaseModel):
    """GET /api/lms/courses."""

    model_config = ConfigDict(extra="ignore")
    since: datetime | None = None
    cursor: str | None = Field(default=None, max_length=600)
    limit: int = Field(default=100, ge=1, le=200)


class AdminEnrolmentQuery(BaseModel):
    """GET /api/admin/enrolments (CFB)."""

    model_config = ConfigDict(extra="ignore")
    source: Literal["portal", "lms"] = "lms"
    cursor: str | None = Field(default=None, max_length=600)
    limit: int = Field(default=50, ge=1, le=100)


class UndeliverableQuery(BaseModel):
    """GET /api/admin/undeliverable (CFB)."""

    model_config = ConfigDict(extra="ignore")
    cursor: str | None = Field(default=None, max_length=600)
    limit: int = Field(default=50, ge=1, le=100)


class OfferDecision(BaseModel):
    """POST /api/offers/{token} and POST /api/waiting/{place_id}/offer: take the offered seat, or let it pass on."""

    model_config = ConfigDict(extra="forbid")
    decision: Literal["accept", "decline"]


class AdminWaitingQuery(BaseModel):
    """GET /api/admin/waiting (CFB): the executions with a list, or one execution's list."""

    model_config = ConfigDict(extra="ignore")
    course_id: str | None = Field(default=None, max_length=40, pattern=r"^c[0-9a-f]+$")
    execution_id: str | None = Field(default=None, min_length=1, max_length=64)
    cursor: str | None = Field(default=None, max_length=600)
    limit: int = Field(default=50, ge=1, le=100)
