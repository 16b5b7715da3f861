"""Request schemas of the account, session, profile and administration routes.

Unknown fields are refused (mass assignment: a body cannot set roles, status or organisation where
the route does not offer them). Field errors are Dutch; no error echoes the input.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from chalicelib.accounts.rules import clean_name, normalise_domain, normalise_email

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
_BAD_EMAIL = "Vul een geldig e-mailadres in, zoals voornaam.achternaam@organisatie.nl."
_BAD_NAME = "Gebruik geen regeleinden of stuurtekens."


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


def _email(value: str | None) -> str | None:
    if value is None:
        return None
    normalised = normalise_email(value)
    if normalised is None:
        raise ValueError(_BAD_EMAIL)
    return normalised


def _name(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = clean_name(value)
    if cleaned is None:
        raise ValueError(_BAD_NAME if value.strip() else "Dit veld is te kort of leeg.")
    return cleaned


def _optional_name(value: str | None) -> str | None:
    return _name(value) if value else None


# Documented as format email with a pattern no stricter than the check (the document forbids nothing it accepts).
EMAIL_DOC = {"format": "email", "pattern": "^ *[^@ ]+@[^@ ]+ *$"}
Email = Annotated[str, Field(min_length=3, max_length=254, json_schema_extra=EMAIL_DOC), AfterValidator(_email)]
Name = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_name)]
LongName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_name)]
Id = Annotated[str, Field(min_length=2, max_length=63, pattern=ID_PATTERN)]
DepartmentId = Annotated[str, Field(min_length=1, max_length=63, pattern=ID_PATTERN)]


class SignupRequest(_Strict):
    """POST /api/auth/signup (R_ACC_01)."""

    first_name: Name
    last_name: Name
    email: Email
    org_id: Id
    department_id: DepartmentId | None = None
    consent: bool
    statement_version: str = Field(min_length=1, max_length=40)

    @field_validator("consent")
    @classmethod
    def consent_given(cls, value: bool) -> bool:
        if value is not True:
            raise ValueError("Geef toestemming voor de privacyverklaring om een account aan te maken.")
        return value


class LinkRequest(_Strict):
    """POST /api/auth/login."""

    email: Email


class VerifyRequest(_Strict):
    """POST /api/auth/verify: the token from the link's fragment."""

    token: str = Field(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")


class TotpCode(_Strict):
    """POST /api/auth/totp/verify."""

    code: str = Field(pattern=r"^[0-9]{6}$")


class ProfilePatch(_Strict):
    """PATCH /api/me: names and department directly; a new e-mail is confirmed by a link."""

    first_name: Name | None = None
    last_name: Name | None = None
    email: Email | None = None
    department_id: DepartmentId | None = None


class QuestionRequest(_Strict):
    """POST /api/me/questions (R_QST_01). E-mail and organisation come from the session."""

    question: str = Field(min_length=1, max_length=5000)
    name: Annotated[str | None, AfterValidator(_optional_name)] = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=30, pattern=r"^[0-9+()\- ]*$")

    @field_validator("question")
    @classmethod
    def has_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Vul uw vraag in.")
        return value.strip()


# --- administration ---------------------------------------------------------------------------------


class AccountListQuery(BaseModel):
    """GET /api/admin/accounts: per organisation, sorted by name; searchable by any name part, the start
    of the address, or an exact address (R_ACC_06). CFB may leave out `org_id` to search every organisation."""

    model_config = ConfigDict(extra="ignore")

    org_id: Id | None = None
    q: str | None = Field(default=None, max_length=254, description=(
        "Words that each start a different part of the name or of the address before the @ (\"Vries\", "
        "\"de vries\", \"eva.dev\"), in any order; a complete address finds exactly that account."))
    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=25, ge=1, le=100)


class AdminAccountPatch(_Strict):
    """PATCH /api/admin/accounts/{id}: name, e-mail (R_ACC_02), department; organisation by CFB only."""

    first_name: Name | None = None
    last_name: Name | None = None
    email: Email | None = None
    department_id: DepartmentId | None = None
    org_id: Id | None = None


class RoleGrantIn(_Strict):
    role: Literal["local_admin", "cfb", "order_authorised", "ops"]
    org_id: Id | None = None
    department_id: DepartmentId | None = None


class RolesRequest(_Strict):
    """PUT /api/admin/accounts/{id}/roles: the complete list of grants."""

    roles: list[RoleGrantIn] = Field(max_length=20)


class ExportRequest(_Strict):
    """POST /api/admin/export: the address goes in the body, never in a URL or access log."""

    email: Email


class DepartmentIn(_Strict):
    department_id: DepartmentId
    name: LongName


def _domains(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    cleaned = []
    for value in values:
        domain = normalise_domain(value)
        if domain is None:
            raise ValueError("Vul domeinen in zoals minbzk.nl, zonder @ of http.")
        cleaned.append(domain)
    return sorted(set(cleaned))


def _unique_departments(values: list[DepartmentIn] | None) -> list[DepartmentIn] | None:
    if values is not None and len({d.department_id for d in values}) != len(values):
        raise ValueError("Elke afdeling heeft een eigen id.")
    return values


CatalogueCode = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]


class OrganisationCreate(_Strict):
    org_id: Id
    name: LongName
    domains: Annotated[list[str], AfterValidator(_domains)] = Field(min_length=1, max_length=50)
    departments: Annotated[list[DepartmentIn], AfterValidator(_unique_departments)] = Field(
        default_factory=list, max_length=300)
    approval_required: bool = False
    eprocurement: bool = False
    catalogue_codes: list[CatalogueCode] | None = Field(default=None, max_length=50)  # EDU-DEX LeerRijkOpenFor


class OrganisationPatch(_Strict):
    name: LongName | None = None
    domains: Annotated[list[str] | None, AfterValidator(_domains)] = Field(default=None, min_length=1, max_length=50)
    departments: Annotated[list[DepartmentIn] | None, AfterValidator(_unique_departments)] = Field(
        default=None, max_length=300)
    approval_required: bool | None = None
    eprocurement: bool | None = None
    catalogue_codes: list[CatalogueCode] | None = Field(default=None, max_length=50)
