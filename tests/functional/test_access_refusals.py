"""One access decision, one log entry per refusal (R_SEC_01, R_LOG_01; issue "Structure").

Every refused request — no credentials, a bad or revoked API key, an expired session, a CSRF
failure, a key or session of the wrong kind — is decided by `chalicelib.access` and counted exactly
once in the event log, whatever the kind of caller and whichever blueprint the route is in. The
status rule is the same everywhere: no or invalid credentials 401, valid credentials not allowed 403.
"""

from __future__ import annotations

import re
from typing import Any

from app import app
from chalicelib.access import ROUTES, Access
from chalicelib.platform import eventlog
from chalicelib.suppliers import apikeys
from tests.functional.helpers import make_supplier
from tests.functional.test_acc_support import ORG_A, call, seed_account, seed_orgs, start_session

PROTECTED = sorted(
    (path, method) for path, methods in app.routes.items() for method in methods
    if not ROUTES[(path, method)].is_open
)


def _concrete(path: str) -> str:
    return re.sub(r"{\w+}", "x", path)


def _refusals_logged() -> int:
    entries = [e for e in eventlog.recent() if e["kind"] == "access_denied"]
    return sum(int(e["detail"].get("count", 1)) for e in entries)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _expect(response: Any, status: int, code: str) -> None:
    body = response.json_body or {}
    assert (response.status_code, body.get("error", {}).get("code")) == (status, code)


def test_R_SEC_01_R_LOG_01_every_refused_request_is_decided_and_logged_once(client: Any) -> None:
    seed_orgs()
    supplier_key = make_supplier("sup-r")
    lms_key = apikeys.create_key("lms", ORG_A).token
    revoked = apikeys.create_key("supplier", "sup-r")
    apikeys.revoke_key(revoked.key_id)
    seed_account("acc-e", "e@minbzk.nl")
    employee = start_session("acc-e")
    refused = 0
    for path, method in PROTECTED:
        allow = ROUTES[(path, method)].allow
        url = _concrete(path)
        _expect(call(client, method, url), 401, "authentication_required")
        _expect(call(client, method, url, headers=_bearer("nokey.nosecret")), 401, "invalid_api_key")
        _expect(call(client, method, url, headers=_bearer(revoked.token)), 401, "revoked_api_key")
        _expect(call(client, method, url, token="not-a-live-session"), 401, "session_expired")
        as_employee = call(client, method, url, token=employee, headers={"X-Leer-Rijk": ""})
        if method in ("GET", "HEAD") and Access.EMPLOYEE in allow:
            # let through: 200, or 404 for a made-up id of the employee's own items (not a refusal)
            assert as_employee.status_code in (200, 404) and (as_employee.status_code == 200 or "{" in path)
        else:
            _expect(as_employee, *((403, "csrf_failed") if method not in ("GET", "HEAD") else (403, "forbidden")))
        outcomes = 5 if method not in ("GET", "HEAD") or Access.EMPLOYEE not in allow else 4
        if Access.SUPPLIER not in allow:
            _expect(call(client, method, url, headers=_bearer(supplier_key)), 403, "forbidden")
            outcomes += 1
        if Access.LMS not in allow:
            _expect(call(client, method, url, headers=_bearer(lms_key)), 403, "forbidden")
            outcomes += 1
        refused += outcomes
    assert refused > 200
    assert _refusals_logged() == refused


def test_R_SEC_01_a_bad_credential_on_an_open_route_is_a_visitor_and_not_a_refusal(client: Any) -> None:
    before = _refusals_logged()
    response = call(client, "GET", "/courses", headers=_bearer("nokey.nosecret"))
    assert response.status_code == 200
    assert _refusals_logged() == before
