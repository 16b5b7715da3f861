"""Request schemas of the order-list routes (R_ORD_02, R_ORD_03)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.platform.periods import DateRange

_ID = r"^[A-Za-z0-9_.-]{1,64}$"


class _Period(DateRange):
    org: str | None = Field(default=None, pattern=_ID)
    department: str | None = Field(default=None, pattern=_ID)
    status: Literal["open", "ordered", "withdrawn"] | None = None


class OrderListQuery(_Period):
    """GET /api/orders: one page of the caller's order list (`org`/`department` pick one of the caller's lists)."""

    cursor: str | None = Field(default=None, max_length=1200)
    limit: int = Field(default=50, ge=1, le=100)


class ExportQuery(_Period):
    """GET /api/orders/export: the same lines without personal data (R_ORD_03)."""

    format: Literal["csv", "json"] = "csv"
