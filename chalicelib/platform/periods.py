"""The `from`/`to` date filter of list queries (catalogue search, order lists, spend): one rule for all."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class DateRange(BaseModel):
    """Either end may be left out; an end before the start is a 400 naming `to`."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    date_from: date | None = Field(default=None, alias="from")
    date_to: date | None = Field(default=None, alias="to")

    @field_validator("date_to")
    @classmethod
    def range_in_order(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("date_from")
        if value and start and value < start:
            raise ValueError("De einddatum ligt voor de begindatum.")
        return value
