"""The local stack over HTTP: the front server, the API behind it and the `/_dev` tools."""

from __future__ import annotations

import json
import re

from devstack.seed import ACCOUNT_EMPLOYEE
from tests.browser.conftest import Stack, http

PORTAL_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def test_api_health_answers_through_the_front_server(stack: Stack) -> None:
    answer = http("GET", f"{stack.base_url}/api/health")
    assert answer.status == 200
    assert answer.json() == {"status": "ok"}


def test_unknown_api_path_is_a_404_with_the_error_envelope(stack: Stack) -> None:
    for method in ("GET", "POST"):
        answer = http(method, f"{stack.base_url}/api/nope", body=b"{}" if method == "POST" else None)
        assert answer.status == 404
        assert answer.json() == {
            "error": {"code": "not_found", "message": "Deze pagina of functie bestaat niet.", "fields": {}},
        }


def test_api_query_string_reaches_the_app(stack: Stack) -> None:
    answer = http("GET", f"{stack.base_url}/api/openapi.json?x=1")
    assert answer.status == 200
    assert answer.json()["servers"] == [{"url": "/api"}]


def test_portal_pages_carry_security_headers(stack: Stack) -> None:
    answer = http("GET", f"{stack.base_url}/")
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    for name, value in PORTAL_SECURITY_HEADERS.items():
        assert answer.headers[name] == value
    csp = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "'unsafe-inline'" not in csp


def test_portal_directory_without_slash_redirects(stack: Stack) -> None:
    answer = http("GET", f"{stack.base_url}/privacy")
    assert answer.status == 200
    assert "Privacyverklaring Leer-Rijk" in answer.body.decode()


def test_portal_never_serves_files_outside_the_build(stack: Stack) -> None:
    for path in ("/%2e%2e/%2e%2e/pyproject.toml", "/..%2f..%2fpyproject.toml"):
        answer = http("GET", f"{stack.base_url}{path}")
        assert answer.status == 404, path
        assert b"[tool.ruff]" not in answer.body


def test_mailbox_json_is_a_list(stack: Stack) -> None:
    answer = http("GET", f"{stack.base_url}/_dev/mail.json")
    assert answer.status == 200
    messages = answer.json()
    assert isinstance(messages, list)
    for message in messages:
        assert set(message) == {"id", "source", "destinations", "subject", "body"}


def test_jobs_are_listed_and_run_on_demand(stack: Stack) -> None:
    listed = http("GET", f"{stack.base_url}/_dev/jobs")
    assert listed.status == 200
    assert "purge_event_log" in {job["name"] for job in listed.json()}

    # A run does the job's work: two weeks on, the entries written so far are older than the log keeps
    # (R_LOG_02) and the job deletes them; a second run finds none. A runner that answers without running
    # the job, or runs another one, fails here.
    clock = {"Content-Type": "application/json"}
    moved = http("POST", f"{stack.base_url}/_dev/clock", clock, json.dumps({"days": 15}).encode())
    assert moved.status == 200, moved.body
    try:
        ran = http("POST", f"{stack.base_url}/_dev/jobs/purge_event_log")
        assert ran.status == 200 and ran.json()["count"] >= 1, ran.body
        again = http("POST", f"{stack.base_url}/_dev/jobs/purge_event_log")
        assert again.status == 200 and again.json() == {"count": 0}, again.body
    finally:
        http("POST", f"{stack.base_url}/_dev/clock", clock, json.dumps({"at": None}).encode())

    unknown = http("POST", f"{stack.base_url}/_dev/jobs/no_such_job")
    assert unknown.status == 404
    assert unknown.json()["error"]["code"] == "not_found"


def test_dev_tools_refuse_other_sites(stack: Stack) -> None:
    answer = http("POST", f"{stack.base_url}/_dev/jobs/purge_event_log", headers={"Origin": "https://evil.example"})
    assert answer.status == 403
    rebound = http("GET", f"{stack.base_url}/_dev/mail.json", headers={"Host": "evil.example"})
    assert rebound.status == 403


def test_R_ACC_03_login_link_reaches_the_mailbox_and_the_session_cookie_passes_the_front_server(stack: Stack) -> None:
    """The whole local loop: API call, e-mail via moto's SES, link to this stack, Set-Cookie and Cookie."""
    email = "eva.devries@belastingdienst.nl"
    state_change = {"Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": stack.base_url}
    requested = http("POST", f"{stack.base_url}/api/auth/login", state_change, json.dumps({"email": email}).encode())
    assert requested.status == 202, requested.body

    mail = [m for m in http("GET", f"{stack.base_url}/_dev/mail.json").json() if email in m["destinations"]]
    link = re.search(re.escape(stack.base_url) + r"/[\w/]*#token=([A-Za-z0-9_-]+)", mail[0]["body"])
    assert link is not None, mail[0]["body"]

    verified = http("POST", f"{stack.base_url}/api/auth/verify", state_change,
                    json.dumps({"token": link.group(1)}).encode())
    assert verified.status == 200, verified.body
    session_cookie = verified.set_cookies[0].split(";", 1)[0]

    me = http("GET", f"{stack.base_url}/api/me", {"Cookie": session_cookie})
    assert me.status == 200, me.body
    assert ACCOUNT_EMPLOYEE in me.body.decode() and email in me.body.decode()


def test_commands_against_the_stack_name_its_own_address(stack: Stack) -> None:
    """`make cfb` (and `make supplier`, `make accounts`, `make catalogue`) read build/devstack.env as the
    Makefile does; the login address `make cfb` prints must be this stack's, whatever its PORT."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    recipe = ('set -a && . build/devstack.env && set +a && "$0" -c '
              '"from chalicelib.platform.config import settings; print(settings.portal_origin)"')
    done = subprocess.run(["bash", "-c", recipe, sys.executable], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == stack.base_url
