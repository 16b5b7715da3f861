"""Reviews (R_REV_01-04): employees write and read them, visitors see the summary, suppliers read
their courses' reviews anonymised, local admins and CFB read them in the admin pages, the author
and CFB change or delete them."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.access import Access
from chalicelib.accounts import organisations
from chalicelib.api import callers
from chalicelib.api.routing import json_response, route
from chalicelib.api.validation import parse_body, parse_query
from chalicelib.platform.errors import NotFoundError
from chalicelib.reviews import use_cases as reviews

bp = Blueprint(__name__)
SCHEMAS = "chalicelib.reviews.schemas"
MAX_ID_LENGTH = 64


def _id(value: str) -> str:
    """Path ids are looked up by key only; an absurd one is simply not found."""
    if not value or len(value) > MAX_ID_LENGTH or not value.isprintable():
        raise NotFoundError()
    return value


def _codes(org_id: str | None) -> frozenset[str] | None:
    return organisations.catalogue_codes(org_id) if org_id else None


@route(bp, "/courses/{course_id}/reviews", methods=["POST"], allow=[Access.EMPLOYEE],
       body=f"{SCHEMAS}:ReviewCreate",
       summary="Review a course I followed (once; anonymous unless named)")
def write_review(course_id: str) -> object:
    body = parse_body(bp.current_request, f"{SCHEMAS}:ReviewCreate")
    principal = callers.account()
    return json_response(reviews.write(principal, _codes(principal.org_id), _id(course_id), body), status=201)


@route(bp, "/courses/{course_id}/reviews", allow=[Access.PUBLIC], query=f"{SCHEMAS}:ReviewListQuery",
       summary="Rating summary for everyone; review texts (names only on named reviews) for logged-in employees")
def course_reviews(course_id: str) -> object:
    query = parse_query(bp.current_request, f"{SCHEMAS}:ReviewListQuery")
    principal = callers.optional_account()
    codes = _codes(principal.org_id) if principal else None
    return json_response(reviews.course_reviews(principal, codes, _id(course_id), query.cursor, query.limit))


@route(bp, "/me/reviews", allow=[Access.EMPLOYEE], summary="My reviews (to change or delete them)")
def my_reviews() -> object:
    return json_response(reviews.my_reviews(callers.account()))


@route(bp, "/reviews/{review_id}", methods=["PATCH"], allow=[Access.EMPLOYEE], body=f"{SCHEMAS}:ReviewPatch",
       summary="Change a review: its author, or CFB")
def change_review(review_id: str) -> object:
    patch = parse_body(bp.current_request, f"{SCHEMAS}:ReviewPatch")
    return json_response(reviews.change(callers.account(), _id(review_id), patch))


@route(bp, "/reviews/{review_id}", methods=["DELETE"], allow=[Access.EMPLOYEE],
       summary="Delete a review: its author, or CFB")
def delete_review(review_id: str) -> object:
    return json_response(reviews.delete(callers.account(), _id(review_id)))


@route(bp, "/supplier/reviews", allow=[Access.SUPPLIER], query=f"{SCHEMAS}:SupplierReviewQuery",
       summary="Reviews of my courses, anonymised, written or changed since a moment, once a course has 3 "
               "reviews (until then its summary, under `withheld`); paginated")
def supplier_reviews() -> object:
    query = parse_query(bp.current_request, f"{SCHEMAS}:SupplierReviewQuery")
    return json_response(reviews.supplier_reviews(callers.supplier().subject_id, query.since, query.cursor,
                                                  query.limit))


@route(bp, "/admin/reviews", allow=[Access.LOCAL_ADMIN, Access.CFB], query=f"{SCHEMAS}:AdminReviewQuery",
       summary="Reviews of one course or all, newest first (local admins: courses their organisation sees); "
               "anonymous ones once a course has 3 reviews")
def admin_reviews() -> object:
    query = parse_query(bp.current_request, f"{SCHEMAS}:AdminReviewQuery")
    principal = callers.account()
    return json_response(reviews.admin_reviews(principal, _codes(principal.org_id), query.course_id, query.cursor,
                                               query.limit))
