"""Request schemas of the privacy-clock routes (CFB)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Month = str


class SpendQuery(BaseModel):
    """GET /api/admin/spend: months YYYY-MM (inclusive), one grouping, JSON or CSV."""

    model_config = ConfigDict(extra="ignore")

    from_: Month = Field(alias="from", pattern=r"^20\d\d-(0[1-9]|1[0-2])$")
    to: Month = Field(pattern=r"^20\d\d-(0[1-9]|1[0-2])$")
    group: Literal["organisation", "theme", "supplier", "month"] = "organisation"
    format: Literal["json", "csv"] = "json"
