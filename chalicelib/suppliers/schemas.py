"""Request schemas of CFB's supplier and API-key routes (R_CAT_06): the supplier profile, its accepted
terms and a key's label. Unknown fields are refused; the shared field types are the accounts' own."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from chalicelib.accounts.schemas import Email, Id, LongName, _Strict


class SupplierCreate(_Strict):
    supplier_id: Id
    name: LongName
    kind: Literal["intern", "extern"]
    contact_email: Email
    delivery: Literal["email", "feed"] = "email"
    terms_version: str | None = Field(default=None, min_length=1, max_length=40)
    terms_accepted_on: date | None = None
    cancellation_free_days: int | None = Field(default=None, ge=0, le=365)

    @model_validator(mode="after")
    def terms_together(self) -> SupplierCreate:
        if (self.terms_version is None) != (self.terms_accepted_on is None):
            raise ValueError("Vul de versie en de datum van de geaccepteerde voorwaarden allebei in.")
        return self


class SupplierPatch(_Strict):
    name: LongName | None = None
    kind: Literal["intern", "extern"] | None = None
    contact_email: Email | None = None
    delivery: Literal["email", "feed"] | None = None
    terms_version: str | None = Field(default=None, min_length=1, max_length=40)
    terms_accepted_on: date | None = None
    processing_agreement: bool | None = None
    cancellation_free_days: int | None = Field(default=None, ge=0, le=365)

    @model_validator(mode="after")
    def terms_together(self) -> SupplierPatch:
        """Accepted terms are a version with its date: change, set or clear both at once (R_CAT_06)."""
        given = {"terms_version", "terms_accepted_on"} & self.model_fields_set
        if given and (len(given) == 1 or (self.terms_version is None) != (self.terms_accepted_on is None)):
            raise ValueError("Vul de versie en de datum van de geaccepteerde voorwaarden allebei in.")
        return self


class KeyRequest(_Strict):
    label: str | None = Field(default=None, max_length=100)
