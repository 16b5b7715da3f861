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
    for message in messages:  # a mail with a calendar invitation also carries it and its method (R_CAL_01)
        assert {"id", "source", "destinations", "subject", "body"} <= set(message)
        assert set(message) - {"id", "source", "destinations", "subject", "body"} <= {"calendar", "calendar_method"}


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


def test_R_ACC_10_after_the_local_clock_is_set_back_a_current_code_is_accepted(stack: Stack) -> None:
    """Issue 28: a second factor given while `/_dev/clock` stood a day ahead left a TOTP step in the future,
    so every real code was refused until a restart. Setting the clock back forgets such steps (local stack
    only); a code just used at the real time still cannot be used twice (R_ACC_10)."""
    from datetime import UTC, datetime, timedelta

    from chalicelib.accounts.totp_rules import code_at
    from tests.browser.test_account_journeys import latest_link, state_change_headers

    email = "iris.mulder@duo.nl"  # IT operations: a second factor, and no other browser test uses it
    headers = state_change_headers(stack)

    def log_in() -> str:
        requested = http("POST", f"{stack.base_url}/api/auth/login", headers, json.dumps({"email": email}).encode())
        assert requested.status == 202
        token = latest_link(stack, email).rsplit("=", 1)[1]
        verified = http("POST", f"{stack.base_url}/api/auth/verify", headers, json.dumps({"token": token}).encode())
        return verified.set_cookies[0].split(";", 1)[0]

    def second_factor(cookie: str, code: str) -> int:
        return http("POST", f"{stack.base_url}/api/auth/totp/verify", {**headers, "Cookie": cookie},
                    json.dumps({"code": code}).encode()).status

    def set_clock(change: dict[str, object]) -> dict[str, object]:
        return http("POST", f"{stack.base_url}/_dev/clock", {"Content-Type": "application/json"},
                    json.dumps(change).encode()).json()

    cookie = log_in()
    secret = http("POST", f"{stack.base_url}/api/auth/totp/setup", {**headers, "Cookie": cookie}).json()["secret"]
    assert second_factor(cookie, code_at(secret, datetime.now(UTC))) == 200

    ahead = datetime.now(UTC) + timedelta(days=1)
    set_clock({"at": ahead.isoformat()})
    assert second_factor(log_in(), code_at(secret, ahead)) == 200

    back = set_clock({"at": None})
    cookie = log_in()
    code = code_at(secret, datetime.now(UTC) + timedelta(seconds=30))  # the next step: never used before
    assert second_factor(cookie, code) == 200
    assert back["totp_steps_forgotten"] == 1
    assert second_factor(log_in(), code) == 400  # replay protection holds at the real time (totp_invalid)


def test_the_front_server_compresses_and_caches_as_cloudfront_does(stack: Stack) -> None:
    """Issue 28: text of 1,000 bytes or more compressed (brotli, else gzip) with Vary; the content-named
    assets of the build's manifest cached for a year, pages revalidated; robots.txt and the sitemap served."""
    import gzip

    import brotli

    from devstack.build_portal import OUT, manifest_file

    page = http("GET", f"{stack.base_url}/zoeken/", {"Accept-Encoding": "gzip, deflate, br"})
    assert page.headers["Content-Encoding"] == "br" and "Accept-Encoding" in page.headers["Vary"]
    assert b"Opleidingen zoeken" in brotli.decompress(page.body)
    assert page.headers["Cache-Control"] == "no-cache"
    gzipped = http("GET", f"{stack.base_url}/zoeken/", {"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gzipped.body) == brotli.decompress(page.body)
    plain = http("GET", f"{stack.base_url}/zoeken/")
    assert "Content-Encoding" not in plain.headers and plain.body == gzip.decompress(gzipped.body)

    names = json.loads(manifest_file(OUT).read_text(encoding="utf-8"))
    script = http("GET", f"{stack.base_url}/assets/{names['api.js']}", {"Accept-Encoding": "gzip"})
    assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert script.headers["Content-Encoding"] == "gzip"
    assert http("GET", f"{stack.base_url}/assets/api.js").headers["Cache-Control"] == "no-cache"
    api = http("GET", f"{stack.base_url}/api/openapi.json", {"Accept-Encoding": "br"})
    assert api.headers["Content-Encoding"] == "br" and json.loads(brotli.decompress(api.body))["openapi"]

    robots = http("GET", f"{stack.base_url}/robots.txt")
    assert robots.status == 200 and b"/api/sitemap.xml" in robots.body
    sitemap = http("GET", f"{stack.base_url}/api/sitemap.xml")
    assert sitemap.status == 200 and sitemap.body.count(b"<loc>") >= 10 and b"/opleiding/?id=" in sitemap.body
