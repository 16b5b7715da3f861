"""Request schemas of the catalogue routes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.platform.periods import DateRange

Theme = Literal["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11"]


class SearchQuery(DateRange):
    """GET /api/courses. `log=true` is sent by the portal when the user submits the search form."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    q: str | None = Field(default=None, max_length=200)
    theme: Theme | None = None
    supplier: str | None = Field(default=None, max_length=64, pattern=r"^[-+a-z0-9_.{}/&]+$")
    city: str | None = Field(default=None, max_length=100)
    kind: Literal["intern", "extern"] | None = None
    online: bool | None = None
    sort: Literal["relevance", "start"] = "relevance"
    cursor: str | None = Field(default=None, max_length=600)
    limit: int = Field(default=20, ge=1, le=50)
    log: bool = False


class EdudexProgram(BaseModel):
    """Documentation only: the body is an EDU-DEX `program_in` document, validated by its own schema."""

    model_config = ConfigDict(extra="allow", json_schema_extra={
        "description": "EDU-DEX Data API 1.0.2 program_in (components/schemas/imports/properties/program_in)",
    })


# CFB's search vocabulary lists (R_CAT_07). Their sense (two different terms per group, no term twice,
# no stop words alone) is checked by vocabulary_rules with messages that name the term.
Term = Annotated[str, Field(max_length=200)]


class SynonymList(BaseModel):
    """PUT /api/admin/search-lists/synonyms: the whole list, and the version the edit started from."""

    model_config = ConfigDict(extra="forbid")

    groups: list[Annotated[list[Term], Field(max_length=100)]] = Field(max_length=2_000)
    version: int = Field(ge=0)


class TranslationEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    en: list[Term] = Field(max_length=100)
    nl: list[Term] = Field(max_length=100)


class TranslationList(BaseModel):
    """PUT /api/admin/search-lists/translations: English terms with the Dutch terms that say the same."""

    model_config = ConfigDict(extra="forbid")

    entries: list[TranslationEntry] = Field(max_length=2_000)
    version: int = Field(ge=0)
