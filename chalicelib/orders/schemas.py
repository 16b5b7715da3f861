"""Request schemas of the order-list routes (R_ORD_02, R_ORD_03)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

_ID = r"^[A-Za-z0-9_.-]{1,64}$"


class _Period(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    org: str | None = Field(default=None, pattern=_ID)
    department: str | None = Field(default=None, pattern=_ID)
    status: Literal["open", "ordered", "withdrawn"] | None = None
    date_from: date | None = Field(default=None, alias="from")
    date_to: date | None = Field(default=None, alias="to")

    @field_validator("date_to")
    @classmethod
    def range_in_order(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("date_from")
        if value and start and value < start:
            raise ValueError("De einddatum ligt voor de begindatum.")
        return value


class OrderListQuery(_Period):
    """GET /api/orders: one page of the caller's order list (`org`/`department` pick one of the caller's lists)."""

    cursor: str | None = Field(default=None, max_length=1200)
    limit: int = Field(default=50, ge=1, le=100)


class ExportQuery(_Period):
    """GET /api/orders/export: the same lines without personal data (R_ORD_03)."""

    format: Literal["csv", "json"] = "csv"
