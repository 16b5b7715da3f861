"""Request schemas of the review routes (R_REV_02): a rating 1-5, a plain text, named or not."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from chalicelib.reviews.rules import MAX_TEXT, clean_text

Rating = Annotated[int, Field(ge=1, le=5, strict=True, description="1 (slecht) tot en met 5 (uitstekend)")]
# The raw limit leaves room for CRLF line ends; clean_text enforces MAX_TEXT on the stored form.
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT * 2), AfterValidator(clean_text)]
Cursor = Annotated[str, Field(max_length=600)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewCreate(_Strict):
    """POST /api/courses/{course_id}/reviews."""

    rating: Rating
    text: Text
    named: bool = Field(default=False, description="Show my first and last name to logged-in employees")


class ReviewPatch(_Strict):
    """PATCH /api/reviews/{review_id}: any of the three."""

    rating: Rating | None = None
    text: Text | None = None
    named: bool | None = None

    @model_validator(mode="after")
    def something_changes(self) -> ReviewPatch:
        if self.rating is None and self.text is None and self.named is None:
            raise ValueError("Wijzig de beoordeling, de tekst of de keuze voor uw naam.")
        return self


class ReviewListQuery(BaseModel):
    """GET /api/courses/{course_id}/reviews and GET /api/me/reviews."""

    model_config = ConfigDict(extra="ignore")
    cursor: Cursor | None = None
    limit: int = Field(default=10, ge=1, le=50)


class SupplierReviewQuery(BaseModel):
    """GET /api/supplier/reviews: the supplier's reviews written or changed since a moment."""

    model_config = ConfigDict(extra="ignore")
    since: datetime | None = None
    cursor: Cursor | None = None
    limit: int = Field(default=50, ge=1, le=100)


class AdminReviewQuery(BaseModel):
    """GET /api/admin/reviews: one course's reviews, or all of them newest first."""

    model_config = ConfigDict(extra="ignore")
    course_id: str | None = Field(default=None, min_length=2, max_length=40, pattern=r"^c[0-9a-f]+$")
    cursor: Cursor | None = None
    limit: int = Field(default=20, ge=1, le=100)
