"""Employees: sign-up, login links, sessions, the second factor, the profile and the rights.

Routes are thin: parse, call one use case, answer. The open auth routes also demand the CSRF
header and the portal's Origin even without a cookie (login CSRF, cross-site mail bombing).
"""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Response

from chalicelib.access import Access, Principal, current_principal
from chalicelib.accounts import questions, sessions
from chalicelib.accounts import totp as totp_use
from chalicelib.accounts import use_cases as accounts
from chalicelib.api import callers
from chalicelib.api.routing import json_response, route
from chalicelib.api.validation import parse_body
from chalicelib.privacy import rights

bp = Blueprint(__name__)
SCHEMAS = "chalicelib.accounts.schemas"
EMPLOYEE = [Access.EMPLOYEE]
EXPORT_FILE = "leer-rijk-mijn-gegevens.json"


def _body(name: str) -> Any:
    return parse_body(bp.current_request, f"{SCHEMAS}:{name}")


def _principal() -> Principal:
    return callers.account()


def _same_origin() -> None:
    callers.same_origin(bp.current_request)


def _with_cookie(body: Any, cookie: str | None, status: int = 200) -> Any:
    return json_response(body, status=status, headers={"Set-Cookie": cookie} if cookie else None)


# --- open: directory, links, verification, logout ------------------------------------------------------


@route(bp, "/organisations", allow=[Access.PUBLIC], summary="Participating organisations with domains and departments")
def list_organisations() -> object:
    return json_response({"organisations": accounts.public_directory()})


@route(bp, "/auth/signup", methods=["POST"], allow=[Access.PUBLIC], body=f"{SCHEMAS}:SignupRequest",
       summary="Request a sign-up link (same answer whether or not the address has an account)")
def signup() -> object:
    _same_origin()
    return json_response(accounts.request_signup(_body("SignupRequest")), status=202)


@route(bp, "/auth/login", methods=["POST"], allow=[Access.PUBLIC], body=f"{SCHEMAS}:LinkRequest",
       summary="Request a login link (same answer whether or not the address has an account)")
def login() -> object:
    _same_origin()
    return json_response(accounts.request_login(_body("LinkRequest")), status=202)


@route(bp, "/auth/verify", methods=["POST"], allow=[Access.PUBLIC], body=f"{SCHEMAS}:VerifyRequest",
       summary="Use a one-time link: start a session (sign-up, login) or confirm a new e-mail address")
def verify() -> object:
    _same_origin()
    body = _body("VerifyRequest")
    verified = accounts.verify(body.token, sessions.token_from(bp.current_request.headers.get("cookie")))
    return _with_cookie(verified.body, verified.cookie)


@route(bp, "/auth/logout", methods=["POST"], allow=[Access.PUBLIC], summary="End the session and clear its cookie")
def logout() -> object:
    _same_origin()
    token = sessions.token_from(bp.current_request.headers.get("cookie"))
    if token is None:
        return json_response({"logged_out": True})
    sessions.logout(token, current_principal())
    return _with_cookie({"logged_out": True}, sessions.clearing_cookie())


# --- second factor ------------------------------------------------------------------------------------


@route(bp, "/auth/totp/setup", methods=["POST"], allow=EMPLOYEE,
       summary="Enrol the second factor (admin roles): the otpauth URI and secret, shown once")
def totp_setup() -> object:
    return json_response(totp_use.setup(_principal()))


@route(bp, "/auth/totp/verify", methods=["POST"], allow=EMPLOYEE, body=f"{SCHEMAS}:TotpCode",
       summary="Check a TOTP code: the session rises to level 2 under a new token")
def totp_verify() -> object:
    body, cookie = totp_use.verify(_principal(), _body("TotpCode").code)
    return _with_cookie(body, cookie)


# --- profile and rights ------------------------------------------------------------------------------------


@route(bp, "/session", allow=[Access.PUBLIC],
       summary="Am I logged in? Always 200: a visitor gets {authenticated: false} and no cookie")
def get_session() -> object:
    principal = callers.optional_account()
    if principal is None:
        return json_response({"authenticated": False})
    return json_response({"authenticated": True, "account": accounts.my_profile(principal)})


@route(bp, "/me", allow=EMPLOYEE, summary="My profile, created and last-used dates, second-factor state")
def get_me() -> object:
    return json_response(accounts.my_profile(_principal()))


@route(bp, "/me", methods=["PATCH"], allow=EMPLOYEE, body=f"{SCHEMAS}:ProfilePatch",
       summary="Change my name or department; a new e-mail address is confirmed by a link sent to it")
def patch_me() -> object:
    return json_response(accounts.update_my_profile(_principal(), _body("ProfilePatch")))


@route(bp, "/me", methods=["DELETE"], allow=EMPLOYEE,
       summary="Delete my account and everything tied to it; running enrolments live on, detached")
def delete_me() -> object:
    principal = _principal()
    running = rights.delete_account(accounts.holder(principal), principal.subject_id)
    return _with_cookie({"deleted": True, "running_enrolments": running}, sessions.clearing_cookie())


@route(bp, "/me/deletion-preview", allow=EMPLOYEE,
       summary="What deleting my account means: the running enrolments that live on")
def deletion_preview() -> object:
    return json_response(rights.deletion_preview(accounts.holder(_principal())))


@route(bp, "/me/export", allow=EMPLOYEE, summary="Everything held about me, machine-readable (R_ACC_09)")
def export_me() -> object:
    document = rights.export(rights.holder_for_account(accounts.holder(_principal())))
    return json_response(document, headers={"Content-Disposition": f'attachment; filename="{EXPORT_FILE}"'})


@route(bp, "/me/export/summary", allow=EMPLOYEE,
       summary="Everything held about me as a page a person can read, in Dutch (R_ACC_09)")
def export_summary() -> object:
    from chalicelib.privacy import summary

    document = rights.export(rights.holder_for_account(accounts.holder(_principal())))
    return Response(body=summary.summary_html(document), status_code=200, headers={
        "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
        "Content-Disposition": f'attachment; filename="{summary.FILE_NAME}"'})


@route(bp, "/me/questions/recipient", allow=EMPLOYEE,
       summary="Whom my question will reach: my organisation's local admins, or CFB when it has none")
def question_recipient() -> object:
    return json_response(questions.recipient(_principal()))


@route(bp, "/me/questions", methods=["POST"], allow=EMPLOYEE, body=f"{SCHEMAS}:QuestionRequest",
       summary="Question form: e-mailed to my organisation's local admins (or CFB), stored nowhere; 5 an hour")
def ask_question() -> object:
    return json_response(questions.ask(_principal(), _body("QuestionRequest")), status=202)
