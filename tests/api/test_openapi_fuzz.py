"""R_SEC_01, R_SEC_02: the OpenAPI document is truthful, checked by schemathesis against the started stack.

For each caller (visitor, employee, CFB with its second factor, a supplier key, an LMS key) every
operation it may call (the visitor: all of them) gets ~25 generated requests, 15 that the document
allows (positive) and 10 it forbids (negative), with a fixed seed. Checked both ways: no 5xx, no
status, content type or body outside the document, and nothing accepted that the document forbids.
Sessions come through the real mailbox link flow; the keys from the stack's start-up banner.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from chalicelib.accounts.totp_rules import code_at
from devstack.seed import ORG_BELASTINGDIENST, SUPPLIER_EXTERN_FEED
from tests.browser.conftest import Stack, http

# ~25 examples per operation and caller: 15 the document allows, 10 it forbids. The guard refuses a
# visitor on a protected operation before any parsing: there a few suffice.
EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 10}
VISITOR_PROTECTED_EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}
SEED = 20261201
EMPLOYEE_EMAIL = "eva.devries@belastingdienst.nl"
CFB_EMAIL = "carmen.visser@minbzk.nl"
# Operations that would end the fuzzing caller's own session or account half-way.
SELF_ENDING = {("POST", "/auth/logout"), ("DELETE", "/me"), ("POST", "/auth/totp/setup")}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class Caller:
    name: str
    audiences: frozenset[str]  # x-leerrijk-access values whose operations this caller fuzzes; empty = all
    headers: dict[str, str]


def _state_headers(stack: Stack) -> dict[str, str]:
    return {"X-Leer-Rijk": "1", "Origin": stack.base_url}


def _link_token(stack: Stack, email: str) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        mails = [m for m in http("GET", f"{stack.base_url}/_dev/mail.json").json() if email in m["destinations"]]
        found = re.search(r"/inloggen/bevestigen/#token=([A-Za-z0-9_-]+)", mails[0]["body"]) if mails else None
        if found:
            return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no login link for {email}")


def _post(stack: Stack, path: str, body: Any, cookie: str | None = None) -> Any:
    headers = {"Content-Type": "application/json", **_state_headers(stack), **({"Cookie": cookie} if cookie else {})}
    return http("POST", f"{stack.base_url}/api{path}", headers, json.dumps(body).encode())


def _session(stack: Stack, email: str, second_factor: bool = False) -> str:
    """Log in through the mailbox link (and set up TOTP); returns the Cookie header value."""
    assert _post(stack, "/auth/login", {"email": email}).status == 202
    verified = _post(stack, "/auth/verify", {"token": _link_token(stack, email)})
    assert verified.status == 200, verified.body
    cookie = verified.set_cookies[0].split(";", 1)[0]
    if second_factor:
        secret = _post(stack, "/auth/totp/setup", {}, cookie).json()["secret"]
        upgraded = _post(stack, "/auth/totp/verify", {"code": code_at(secret, datetime.now(UTC))}, cookie)
        assert upgraded.status == 200, upgraded.body
        cookie = upgraded.set_cookies[0].split(";", 1)[0]
    return cookie


def _api_key(stack: Stack, who: str) -> str:
    for line in stack.log.read_text(errors="replace").splitlines():
        if line.startswith("  ") and who in line and ": k" in line:
            return line.rsplit(": ", 1)[1].strip()
    raise AssertionError(f"no API key for {who!r} in the stack output")


def _callers(stack: Stack) -> list[Caller]:
    state = _state_headers(stack)
    return [
        Caller("supplier", frozenset({"supplier"}),
               {"Authorization": f"Bearer {_api_key(stack, f'leverancier {SUPPLIER_EXTERN_FEED}')}"}),
        Caller("lms", frozenset({"lms"}),
               {"Authorization": f"Bearer {_api_key(stack, f'LMS van {ORG_BELASTINGDIENST}')}"}),
        Caller("employee", frozenset({"employee"}), {"Cookie": _session(stack, EMPLOYEE_EMAIL), **state}),
        Caller("cfb", frozenset({"cfb"}), {"Cookie": _session(stack, CFB_EMAIL, second_factor=True), **state}),
        Caller("visitor", frozenset(), state),
    ]


def _fuzz(operation: Any, mode: GenerationMode, run: Callable[[Any], None], examples: int) -> None:
    @seed(SEED)
    @settings(max_examples=examples, derandomize=True, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def each(case: Any) -> None:
        run(case)

    each()


def test_R_SEC_01_R_SEC_02_the_api_keeps_to_its_openapi_document(api_stack: Stack) -> None:
    document = http("GET", f"{api_stack.base_url}/api/openapi.json").json()
    base_url = f"{api_stack.base_url}/api"
    schema = schemathesis.openapi.from_dict(document)
    # A body over the API's limit is refused with 413 (`payload_too_large`), which every changing operation
    # declares: a rejection of negative data like 400 or 422.
    rejection = schema.config.checks.negative_data_rejection
    rejection.expected_statuses = [*rejection.expected_statuses, "413"]
    session = requests.Session()
    failures: list[str] = []
    answered: dict[str, Counter[int]] = {}
    tried = 0
    started = time.monotonic()
    for caller in _callers(api_stack):
        caller_started = time.monotonic()
        for result in schema.get_all_operations():
            operation = result.ok()
            access = set(operation.definition.raw.get("x-leerrijk-access", []))
            if caller.audiences and not caller.audiences & access:
                continue
            if caller.name != "visitor" and (operation.method.upper(), operation.path) in SELF_ENDING:
                continue
            for mode, checks in ((GenerationMode.POSITIVE, CHECKS),
                                 (GenerationMode.NEGATIVE, [*CHECKS, negative_data_rejection])):
                def run(case: Any, checks: list[Any] = checks) -> None:
                    response = case.call(base_url=base_url, session=session, headers=caller.headers)
                    answered.setdefault(caller.name, Counter())[response.status_code // 100 * 100] += 1
                    case.validate_response(response, checks=checks, headers=caller.headers)

                tried += 1
                try:
                    protected = "public" not in access and "signed_link" not in access
                    examples = VISITOR_PROTECTED_EXAMPLES if not caller.audiences and protected else EXAMPLES
                    _fuzz(operation, mode, run, examples[mode])
                except Unsatisfiable:
                    pass  # nothing in this operation can be made invalid (no parameters, no body)
                except Exception as failure:  # collected and reported together below
                    failures.append(f"{caller.name} {mode.value} {operation.method.upper()} {operation.path}: "
                                    f"{str(failure)[:1500]}")
        print(f"schemathesis as {caller.name}: {time.monotonic() - caller_started:.0f} s")
    elapsed = time.monotonic() - started
    print(f"schemathesis: {tried} operation runs in {elapsed:.0f} s; answers by class: {answered}")
    assert tried > 100
    # the sessions and keys worked: every caller had requests accepted, not only refusals
    assert all(answered[name][200] > 0 for name in ("supplier", "lms", "employee", "cfb", "visitor")), answered
    assert failures == [], "\n\n".join(failures)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
