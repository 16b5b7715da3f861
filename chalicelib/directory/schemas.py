"""Request schemas of CFB's directory routes (R_DEX_01, R_DEX_03). Unknown fields are refused."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.accounts.schemas import Id, LongName, _Strict

CATALOG_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"  # the Data API's catalogId
ORG_UNIT_ID = r"^[-+a-z0-9_.{}/&]{1,64}$"  # the Data API's orgUnitIdType

OrgUnitId = Annotated[str, Field(min_length=1, max_length=64, pattern=ORG_UNIT_ID)]
CatalogId = Annotated[str, Field(min_length=36, max_length=36, pattern=CATALOG_ID)]
BaseUrl = Annotated[str, Field(min_length=8, max_length=300, pattern=r"^https?://[^\s]+$")]


class ConnectionCreate(_Strict):
    connection_id: Id
    name: LongName
    base_url: BaseUrl
    org_unit_id: OrgUnitId
    catalog_id: CatalogId
    catalog_kind: Literal["dynamic", "static"]


class ConnectionPatch(_Strict):
    name: LongName | None = None
    base_url: BaseUrl | None = None
    org_unit_id: OrgUnitId | None = None
    catalog_id: CatalogId | None = None
    catalog_kind: Literal["dynamic", "static"] | None = None


class SupplierMapping(_Strict):
    """PUT /api/admin/suppliers/{supplier_id}/directory: the supplier's orgUnitId in EDU-DEX, or null."""

    org_unit_id: OrgUnitId | None


class HeldQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    org_unit_id: OrgUnitId
    cursor: str | None = Field(default=None, max_length=600)
    limit: int = Field(default=50, ge=1, le=100)
