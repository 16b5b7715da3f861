"""R_SEC_02 on the started local stack: hostile bodies get the error envelope through the front
server too (deep JSON, non-UTF-8 JSON, no or an empty Content-Type), and change nothing."""

from __future__ import annotations

import json

import pytest

from chalicelib.catalogue.use_cases import course_id_for
from devstack.seed import SUPPLIER_EXTERN_FEED
from tests.api.test_openapi_fuzz import EMPLOYEE_EMAIL, _api_key, _session
from tests.browser.conftest import Stack, http

DEEP = b"[" * 1000 + b"]" * 1000


@pytest.fixture(scope="module")
def targets(api_stack: Stack) -> list[tuple[str, str, dict[str, str]]]:
    """Login (no login needed), my profile (the employee's session by mail link), a supplier's PUT."""
    state = {"X-Leer-Rijk": "1", "Origin": api_stack.base_url}
    key = _api_key(api_stack, f"leverancier {SUPPLIER_EXTERN_FEED}")
    session = {"Cookie": _session(api_stack, EMPLOYEE_EMAIL), **state}
    return [("POST", "/api/auth/login", state), ("PATCH", "/api/me", session),
            ("PUT", "/api/supplier/programs/P-fuzz", {"Authorization": f"Bearer {key}"})]


@pytest.mark.parametrize(("content_type", "body", "status"), [
    ("application/json", DEEP, 400),
    ("application/json", '{"first_name": "Évä"}'.encode("latin-1"), 400),
    ("application/json", '{"first_name": "Eva"}'.encode("utf-16"), 400),
    (None, b'{"first_name": "Mallory"}', 415),
    ("", b'{"first_name": "Mallory"}', 415),
    ("text/plain", b'{"first_name": "Mallory"}', 415),
], ids=["deep", "latin-1", "utf-16", "no-content-type", "empty-content-type", "text-plain"])
def test_R_SEC_02_hostile_bodies_get_the_envelope_through_the_local_stack(api_stack: Stack, targets, content_type,
                                                                         body, status) -> None:
    mails_before = len(http("GET", f"{api_stack.base_url}/_dev/mail.json").json())
    for method, path, headers in targets:
        sent = dict(headers)
        if content_type is not None:
            sent["Content-Type"] = content_type
        answer = http(method, f"{api_stack.base_url}{path}", sent, body)
        assert answer.status == status, (path, answer.body)
        assert answer.headers["Content-Type"].startswith("application/json"), path
        assert set(json.loads(answer.body)["error"]) == {"code", "message", "fields"}, path
    profile = http("GET", f"{api_stack.base_url}/api/me", {"Cookie": targets[1][2]["Cookie"]}).json()
    assert profile["first_name"] == "Eva"
    assert len(http("GET", f"{api_stack.base_url}/_dev/mail.json").json()) == mails_before  # no link was sent
    # the refused program was not stored: its course does not exist (a search for the id would now
    # find partial matches among the demo courses, R_CAT_07)
    refused = http("GET", f"{api_stack.base_url}/api/courses/{course_id_for(SUPPLIER_EXTERN_FEED, 'P-fuzz')}")
    assert refused.status == 404
