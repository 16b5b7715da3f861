"""The public catalogue (R_CAT_02-04, R_VIS_01): org-aware when the caller is logged in."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.access import Access
from chalicelib.accounts import organisations
from chalicelib.api import callers
from chalicelib.api.routing import json_response, route
from chalicelib.api.validation import parse_query
from chalicelib.catalogue import use_cases as catalogue
from chalicelib.reviews import use_cases as reviews

bp = Blueprint(__name__)


def _viewer_codes() -> frozenset[str] | None:
    principal = callers.optional_account()
    if principal is None or principal.org_id is None:
        return None
    return organisations.catalogue_codes(principal.org_id)


@route(bp, "/courses", allow=[Access.PUBLIC], summary="Search the catalogue",
       query="chalicelib.catalogue.schemas:SearchQuery")
def search_courses() -> object:
    query = parse_query(bp.current_request, "chalicelib.catalogue.schemas:SearchQuery")
    return json_response(catalogue.search_courses(query, _viewer_codes()))


@route(bp, "/courses/{course_id}", allow=[Access.PUBLIC], summary="A course with executions, seats left, rating")
def course_detail(course_id: str) -> object:
    course = catalogue.course_detail(course_id, _viewer_codes())
    return json_response({**course, "rating": reviews.rating_summary(course_id)})
