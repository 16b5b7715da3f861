"""Waiting-list routes (R_WAIT_01-04): employees (portal), the person offered a seat (signed link), LMSs
(API key), CFB and suppliers. Joining takes the enrolment's body and Idempotency-Key."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.access import Access
from chalicelib.api import callers
from chalicelib.api.enrolment import create, lms_caller, portal_caller
from chalicelib.api.routing import json_response, route
from chalicelib.api.validation import parse_body, parse_query
from chalicelib.enrolment import waiting
from chalicelib.platform.errors import InvalidInputError
from chalicelib.suppliers import feeds

bp = Blueprint(__name__)
DECISION = "chalicelib.enrolment.schemas:OfferDecision"


@route(bp, "/waiting", methods=["POST"], allow=[Access.EMPLOYEE], body="chalicelib.enrolment.schemas:PortalEnrolment",
       summary="Join the waiting list of a full execution (the enrolment's form); enrols when a seat is free")
def join() -> object:
    return create(portal_caller(), "chalicelib.enrolment.schemas:PortalEnrolment", waiting.join)


@route(bp, "/me/waiting", allow=[Access.EMPLOYEE], summary="My waiting places with their position or offer")
def my_places() -> object:
    return json_response({"items": waiting.my_places(callers.account().subject_id)})


@route(bp, "/waiting/{place_id}/leave", methods=["POST"], allow=[Access.EMPLOYEE],
       summary="Leave a waiting list (with an offer: decline it)")
def leave(place_id: str) -> object:
    return json_response(waiting.leave(place_id, portal_caller()))


@route(bp, "/waiting/{place_id}/offer", methods=["POST"], allow=[Access.EMPLOYEE], body=DECISION,
       summary="Accept or decline the seat offered to me")
def decide_own_offer(place_id: str) -> object:
    decision = parse_body(bp.current_request, DECISION)
    return json_response(waiting.decide_own_offer(place_id, portal_caller(), decision.decision))


@route(bp, "/offers/{token}", allow=[Access.SIGNED_LINK], summary="The seat offered from the waiting list")
def show_offer(token: str) -> object:
    return json_response(waiting.offer(token))


@route(bp, "/offers/{token}", methods=["POST"], allow=[Access.SIGNED_LINK], body=DECISION,
       summary="Accept or decline the offered seat, once")
def decide_offer(token: str) -> object:
    callers.same_origin(bp.current_request)  # decided on the portal's page, never cross-site
    decision = parse_body(bp.current_request, DECISION)
    return json_response(waiting.decide_offer(token, decision.decision))


@route(bp, "/lms/waiting", methods=["POST"], allow=[Access.LMS], body="chalicelib.enrolment.schemas:LmsEnrolment",
       summary="Join the waiting list from the organisation's LMS; enrols when a seat is free")
def lms_join() -> object:
    return create(lms_caller(), "chalicelib.enrolment.schemas:LmsEnrolment", waiting.join)


@route(bp, "/lms/waiting/{place_id}", allow=[Access.LMS], summary="A waiting place made by this LMS: its position")
def lms_place(place_id: str) -> object:
    return json_response(waiting.show(place_id, lms_caller()))


@route(bp, "/lms/waiting/{place_id}/leave", methods=["POST"], allow=[Access.LMS],
       summary="Leave a waiting list this LMS joined")
def lms_leave(place_id: str) -> object:
    return json_response(waiting.leave(place_id, lms_caller()))


@route(bp, "/admin/waiting", allow=[Access.CFB], query="chalicelib.enrolment.schemas:AdminWaitingQuery",
       summary="CFB: the executions with a waiting list, or one execution's list (never local admins)")
def admin_waiting() -> object:
    query = parse_query(bp.current_request, "chalicelib.enrolment.schemas:AdminWaitingQuery")
    if query.course_id or query.execution_id:
        if not (query.course_id and query.execution_id):
            missing = "course_id" if not query.course_id else "execution_id"
            raise InvalidInputError(fields={missing: "Geef course_id en execution_id samen."})
        return json_response(waiting.list_for_cfb(query.course_id, query.execution_id))
    return json_response(waiting.lists_for_cfb(query.cursor, query.limit))


@route(bp, "/supplier/waiting", allow=[Access.SUPPLIER],
       summary="How many people wait per execution of mine (no personal data)")
def supplier_waiting() -> object:
    return json_response({"items": feeds.waiting_lists(callers.supplier().subject_id)})
