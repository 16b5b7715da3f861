"""Enrolment routes: employees (portal), managers (signed link), LMSs (API key) and CFB."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice.app import Blueprint, Response

from chalicelib.access import Access, Principal
from chalicelib.accounts import use_cases as accounts
from chalicelib.api import callers
from chalicelib.api.routing import json_response, route
from chalicelib.api.validation import parse_body, parse_query
from chalicelib.calendar import invitations
from chalicelib.enrolment import flow as enrolment_flow
from chalicelib.enrolment import use_cases as enrolments
from chalicelib.enrolment.use_cases import Caller
from chalicelib.platform.errors import SessionExpiredError

bp = Blueprint(__name__)


def _principal() -> Principal:
    return callers.account()


def portal_caller() -> Caller:
    principal = callers.account()
    account = principal.account or accounts.get_account(principal.subject_id)
    if account is None:
        raise SessionExpiredError()
    return Caller("portal", account.org_id, account)


def lms_caller() -> Caller:
    return Caller("lms", callers.lms().subject_id)


def _raw(body: str | bytes | None) -> bytes:
    return body.encode() if isinstance(body, str) else (body or b"")


Create = Callable[[Caller, Any, "str | None", bytes], dict[str, Any]]


def create(caller: Caller, schema: str, make: Create = enrolments.enrol) -> object:
    """A creating POST with the enrolment's form and Idempotency-Key (an enrolment, a waiting place)."""
    request = bp.current_request
    form = parse_body(request, schema)
    body = make(caller, form, request.headers.get("idempotency-key"), _raw(request.raw_body))
    return json_response(body, status=201)  # a repeat with the same key answers exactly as the first time


@route(bp, "/enrolments", methods=["POST"], allow=[Access.EMPLOYEE], summary="Enrol for an execution",
       body="chalicelib.enrolment.schemas:PortalEnrolment")
def enrol() -> object:
    return create(portal_caller(), "chalicelib.enrolment.schemas:PortalEnrolment")


@route(bp, "/me/enrolments", allow=[Access.EMPLOYEE], summary="My enrolments until their end date")
def my_enrolments() -> object:
    return json_response({"items": enrolments.my_enrolments(_principal().subject_id)})


@route(bp, "/me/enrolments/{enrolment_id}/agenda.ics", allow=[Access.EMPLOYEE],
       summary="My confirmed enrolment as a calendar invitation (text/calendar, METHOD:REQUEST)")
def my_invitation(enrolment_id: str) -> object:
    filename, text = invitations.holder_download(enrolment_id, portal_caller())
    return Response(body=text, status_code=200, headers={
        "Content-Type": "text/calendar; charset=utf-8; method=REQUEST",
        "Content-Disposition": f'attachment; filename="{filename}"'})


@route(bp, "/enrolments/{enrolment_id}/cancel", methods=["POST"], allow=[Access.EMPLOYEE],
       summary="Cancel my enrolment")
def cancel(enrolment_id: str) -> object:
    return json_response(enrolment_flow.cancel(enrolment_id, portal_caller()))


@route(bp, "/enrolments/{enrolment_id}/hide", methods=["POST"], allow=[Access.EMPLOYEE],
       summary="Hide a cancelled enrolment from my list (it stays stored)")
def hide(enrolment_id: str) -> object:
    return json_response(enrolments.hide(enrolment_id, portal_caller()))


@route(bp, "/approvals/{token}", allow=[Access.SIGNED_LINK], summary="The request a manager is asked to decide")
def show_approval(token: str) -> object:
    return json_response(enrolments.approval_request(token))


@route(bp, "/approvals/{token}", methods=["POST"], allow=[Access.SIGNED_LINK], summary="Approve or reject, once",
       body="chalicelib.enrolment.schemas:Decision")
def decide_approval(token: str) -> object:
    callers.same_origin(bp.current_request)  # the manager decides on the portal's page, never cross-site
    decision = parse_body(bp.current_request, "chalicelib.enrolment.schemas:Decision")
    return json_response(enrolment_flow.decide(token, decision.decision))


@route(bp, "/lms/enrolments", methods=["POST"], allow=[Access.LMS], summary="Enrol from the organisation's LMS",
       body="chalicelib.enrolment.schemas:LmsEnrolment")
def lms_enrol() -> object:
    return create(lms_caller(), "chalicelib.enrolment.schemas:LmsEnrolment")


@route(bp, "/lms/enrolments/{enrolment_id}/cancel", methods=["POST"], allow=[Access.LMS],
       summary="Cancel an enrolment made by this LMS")
def lms_cancel(enrolment_id: str) -> object:
    return json_response(enrolment_flow.cancel(enrolment_id, lms_caller()))


@route(bp, "/lms/courses", allow=[Access.LMS], summary="The organisation's catalogue for its LMS",
       query="chalicelib.enrolment.schemas:LmsCourseQuery")
def lms_courses() -> object:
    from chalicelib.accounts import organisations
    from chalicelib.catalogue import use_cases as catalogue

    query = parse_query(bp.current_request, "chalicelib.enrolment.schemas:LmsCourseQuery")
    codes = organisations.catalogue_codes(callers.lms().subject_id)
    since = query.since.isoformat() if query.since else None
    return json_response(catalogue.lms_courses(codes, since, query.cursor, query.limit))


@route(bp, "/admin/enrolments", allow=[Access.CFB], summary="CFB: enrolments by source (LMS ones only here)",
       query="chalicelib.enrolment.schemas:AdminEnrolmentQuery")
def admin_enrolments() -> object:
    query = parse_query(bp.current_request, "chalicelib.enrolment.schemas:AdminEnrolmentQuery")
    return json_response(enrolments.list_by_source(query.source, query.cursor, query.limit))


@route(bp, "/admin/enrolments/{enrolment_id}/cancel", methods=["POST"], allow=[Access.CFB],
       summary="CFB: cancel an enrolment on someone's behalf, under its terms (a freed seat moves the waiting list up)")
def admin_cancel(enrolment_id: str) -> object:
    return json_response(enrolment_flow.cancel_for_cfb(enrolment_id))


@route(bp, "/admin/undeliverable", allow=[Access.CFB],
       summary="CFB: mail about enrolments that could not be delivered, with SES's error code (newest first)",
       query="chalicelib.enrolment.schemas:UndeliverableQuery")
def admin_undeliverable() -> object:
    query = parse_query(bp.current_request, "chalicelib.enrolment.schemas:UndeliverableQuery")
    return json_response(enrolments.undeliverable(query.cursor, query.limit))
