"""Sessions, cookies and CSRF (R_ACC_04, R_ACC_05, R_ACC_11, R_VIS_03)."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest

from chalicelib.accounts import sessions
from chalicelib.models import Account, Session
from chalicelib.platform.config import Settings, settings
from tests.functional.test_acc_support import (
    DOMAIN_A,
    PORTAL,
    T0,
    all_items,
    call,
    cookie,
    freeze,
    last_mail_to,
    login,
    seed_account,
    seed_orgs,
    session_token,
    set_cookies,
    signup_body,
    start_session,
    token_in,
)

EMAIL = f"anna.jansen@{DOMAIN_A}"


@pytest.fixture
def anna(aws):
    seed_orgs()
    return seed_account("acc-anna", EMAIL)


def _morsels(response) -> list:
    found = []
    for header in set_cookies(response):
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        found.extend(jar.values())
    return found


def test_R_ACC_04_session_cookie_is_httponly_strict_and_without_lifetime(client, anna):
    call(client, "POST", "/auth/login", body={"email": EMAIL})
    response = call(client, "POST", "/auth/verify", body={"token": token_in(last_mail_to(EMAIL))})
    [raw] = set_cookies(response)
    [morsel] = _morsels(response)
    assert morsel.key == "lr_session"
    assert morsel["httponly"] is True and morsel["samesite"] == "Strict" and morsel["path"] == "/"
    assert not morsel["expires"] and not morsel["max-age"] and not morsel["domain"]
    assert "expires" not in raw.lower() and "max-age" not in raw.lower()
    assert bool(morsel["secure"]) is settings.secure_cookies is False  # stage local: plain http
    assert len(raw.encode()) < 4096


def test_R_ACC_04_secure_flag_follows_the_stage_never_the_host_header():
    assert Settings(**{**settings.__dict__, "stage": "prod"}).secure_cookies is True
    assert Settings(**{**settings.__dict__, "stage": "local"}).secure_cookies is False
    assert "; Secure" in sessions.rules.session_cookie("t", True)


def test_R_ACC_04_outside_the_local_stage_the_cookie_is_host_prefixed_and_a_planted_plain_one_is_ignored(
        client, anna, monkeypatch):
    """Issue 9 item 12: `__Host-lr_session` (Secure, Path=/, no Domain) in every stage but local; a
    cookie named `lr_session` (e.g. set by a sibling subdomain) then logs nobody in."""
    monkeypatch.setattr(sessions, "settings", Settings(**{**settings.__dict__, "stage": "prod"}))
    call(client, "POST", "/auth/login", body={"email": EMAIL})
    response = call(client, "POST", "/auth/verify", body={"token": token_in(last_mail_to(EMAIL))})
    [morsel] = _morsels(response)
    assert morsel.key == "__Host-lr_session"
    assert morsel["secure"] and morsel["path"] == "/" and not morsel["domain"]
    token = morsel.value
    planted = client.http.get("/session", headers={**PORTAL, "Cookie": f"lr_session={token}"})
    assert planted.json_body["authenticated"] is False
    real = client.http.get("/session", headers={**PORTAL, "Cookie": f"__Host-lr_session={token}"})
    assert real.json_body["authenticated"] is True
    out = client.http.post("/auth/logout", headers={**PORTAL, "Cookie": f"__Host-lr_session={token}"})
    [cleared] = _morsels(out)
    assert cleared.key == "__Host-lr_session" and cleared["max-age"] == "0" and cleared["secure"]


def test_R_ACC_04_session_token_is_stored_only_as_its_hash(client, anna):
    token = login(client, EMAIL)
    stored = json.dumps(all_items())
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    account_id, _, secret = token.rpartition(".")
    assert account_id == "acc-anna" and len(secret) >= 43  # the account it names, and 32 random bytes


def _older_session(account_id: str) -> str:
    """A session begun before tokens named their account (issue 23): a bare secret, keyed by its hash."""
    token = secrets.token_urlsafe(32)
    started = sessions.start(account_id)
    started.session.token_hash = sessions.digest(token)
    return sessions.save_new(sessions.StartedSession(token, started.session)).token


def test_R_ACC_04_R_ACC_10_a_token_whose_account_part_names_another_account_finds_no_session(client, anna):
    """The account part of the cookie only says which account to read with the session: the session's key is
    the hash of the whole token, so naming someone else's account finds nothing, and ends nobody's session."""
    seed_account("acc-bo", f"bo@{DOMAIN_A}", first_name="Bo")
    token = login(client, EMAIL)
    secret = token.rpartition(".")[2]
    forged = call(client, "GET", "/me", f"acc-bo.{secret}")
    assert forged.status_code == 401 and forged.json_body["error"]["code"] == "session_expired"
    assert "Bo" not in forged.body.decode()
    assert call(client, "GET", "/me", f"acc-anna.{secret}x").status_code == 401
    mine = call(client, "GET", "/me", token)
    assert mine.status_code == 200 and mine.json_body["first_name"] == "Anna"


def test_R_ACC_04_R_ACC_11_a_session_begun_before_tokens_named_their_account_still_holds_and_still_ends(
        client, anna):
    """A deploy of issue 23 logs nobody out: a bare token reads its session, then its account, as before, and a
    disabled account still ends it on the next request."""
    token = _older_session("acc-anna")
    assert "." not in token
    assert call(client, "GET", "/me", token).json_body["first_name"] == "Anna"
    Account("acc-anna").update(actions=[Account.status.set("disabled")])
    refused = call(client, "GET", "/me", token)
    assert refused.status_code == 401 and refused.json_body["error"]["code"] == "session_expired"
    assert Session.count() == 0


def test_R_ACC_04_R_ACC_11_a_disabled_account_ends_its_session_on_the_next_request(client, anna):
    token = start_session("acc-anna")
    assert call(client, "GET", "/me", token).status_code == 200
    Account("acc-anna").update(actions=[Account.status.set("disabled")])
    refused = call(client, "GET", "/me", token)
    assert refused.status_code == 401 and refused.json_body["error"]["code"] == "session_expired"
    assert Session.count() == 0
    Account("acc-anna").update(actions=[Account.status.set("active")])
    assert call(client, "GET", "/me", token).status_code == 401  # the session is gone, not paused


def test_R_VIS_03_a_visitor_never_gets_a_cookie(client, anna):
    responses = [
        client.http.get("/health"), client.http.get("/openapi.json"), client.http.get("/organisations"),
        client.http.get("/courses"), client.http.get("/me"),
        call(client, "POST", "/auth/login", body={"email": EMAIL}),
        call(client, "POST", "/auth/signup", body=signup_body(f"new@{DOMAIN_A}")),
        call(client, "POST", "/auth/verify", body={"token": "x" * 43}),
        call(client, "POST", "/auth/logout"),
    ]
    assert [set_cookies(r) for r in responses] == [[]] * len(responses)


def test_R_VIS_03_every_cookie_of_the_whole_account_journey_is_a_session_cookie(client, anna):
    """Walk sign-up, login, profile, export, logout: no Set-Cookie ever carries a lifetime."""
    seen = [call(client, "POST", "/auth/signup", body=signup_body(f"bo@{DOMAIN_A}"))]
    verified = call(client, "POST", "/auth/verify", body={"token": token_in(last_mail_to(f"bo@{DOMAIN_A}"))})
    seen.append(verified)
    token = session_token(verified)
    journey = [("GET", "/me", None), ("PATCH", "/me", {"first_name": "Bob"}), ("GET", "/me/export", None),
               ("GET", "/me/deletion-preview", None), ("POST", "/auth/logout", None)]
    for method, path, body in journey:
        seen.append(call(client, method, path, token, body))
    morsels = [m for r in seen for m in _morsels(r)]
    assert [m.key for m in morsels] == ["lr_session", "lr_session"]  # set at verify, cleared at logout
    assert not any(m["expires"] for m in morsels)
    assert [m["max-age"] for m in morsels] == ["", "0"]


def test_R_ACC_04_idle_timeout_of_thirty_minutes(client, anna, frozen_clock):
    freeze(T0)
    token = start_session("acc-anna")
    freeze(T0 + timedelta(minutes=29, seconds=59))
    assert call(client, "GET", "/me", token).status_code == 200
    freeze(T0 + timedelta(minutes=59, seconds=58))  # 29:59 after the last activity
    assert call(client, "GET", "/me", token).status_code == 200
    freeze(T0 + timedelta(minutes=89, seconds=59))  # 30:01 idle
    expired = call(client, "GET", "/me", token)
    assert expired.status_code == 401
    assert expired.json_body["error"]["code"] == "session_expired"
    assert _morsels(expired)[0]["max-age"] == "0"
    assert Session.count() == 0


def test_R_ACC_04_activity_is_written_at_most_every_five_minutes(client, anna, frozen_clock):
    freeze(T0)
    token = start_session("acc-anna")
    key = hashlib.sha256(token.encode()).hexdigest()
    freeze(T0 + timedelta(minutes=4))
    call(client, "GET", "/me", token)
    assert Session.get(key).last_seen_at == T0
    freeze(T0 + timedelta(minutes=5))
    call(client, "GET", "/me", token)
    assert Session.get(key).last_seen_at == T0 + timedelta(minutes=5)


def test_R_ACC_04_absolute_timeout_of_twelve_hours_despite_activity(client, anna, frozen_clock):
    freeze(T0)
    token = start_session("acc-anna")
    for minutes in range(20, 12 * 60, 20):
        freeze(T0 + timedelta(minutes=minutes))
        assert call(client, "GET", "/me", token).status_code == 200
    freeze(T0 + timedelta(hours=11, minutes=59, seconds=59))
    assert call(client, "GET", "/me", token).status_code == 200
    freeze(T0 + timedelta(hours=12, seconds=1))
    assert call(client, "GET", "/me", token).status_code == 401


def test_R_ACC_04_an_expired_session_is_refused_although_ttl_has_not_deleted_it(client, anna, frozen_clock):
    freeze(T0)
    token = start_session("acc-anna")
    stored = Session(hashlib.sha256(token.encode()).hexdigest())
    stored.update(actions=[Session.expires_at.set(T0 - timedelta(seconds=1))])
    assert call(client, "GET", "/me", token).status_code == 401


def test_R_ACC_04_logout_ends_the_session_server_side_and_clears_the_cookie(client, anna):
    token = login(client, EMAIL)
    response = call(client, "POST", "/auth/logout", token)
    assert response.status_code == 200
    [morsel] = _morsels(response)
    assert morsel.value == "" and morsel["max-age"] == "0"
    replay = call(client, "GET", "/me", token)
    assert replay.status_code == 401
    assert Session.count() == 0


def test_R_ACC_04_a_new_login_never_reuses_the_old_session(client, anna):
    first = login(client, EMAIL)
    call(client, "POST", "/auth/login", body={"email": EMAIL})
    second_response = call(client, "POST", "/auth/verify", first, body={"token": token_in(last_mail_to(EMAIL))})
    second = session_token(second_response)
    assert second and second != first
    assert call(client, "GET", "/me", first).status_code == 401
    assert call(client, "GET", "/me", second).status_code == 200


@pytest.mark.parametrize(("headers", "status", "code"), [
    ({"X-Leer-Rijk": None}, 403, "csrf_failed"),
    ({"Origin": None}, 403, "csrf_failed"),
    ({"Origin": "https://evil.example"}, 403, "csrf_failed"),
    ({"Origin": "null"}, 403, "csrf_failed"),
    ({"X-Leer-Rijk": "0"}, 403, "csrf_failed"),
    ({"Content-Type": None, "X-Leer-Rijk": None}, 415, "unsupported_media_type"),  # R_SEC_02: no type, no body
    ({"Content-Type": "text/plain", "X-Leer-Rijk": None}, 415, "unsupported_media_type"),
    ({"Content-Type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"),
])
def test_R_ACC_04_state_changes_need_the_custom_header_and_the_portal_origin(client, anna, headers, status, code):
    token = start_session("acc-anna")
    sent = {k: v for k, v in {**cookie(token), **headers}.items() if v is not None}
    response = client.http.request("PATCH", "/me", headers=sent, body=b'{"first_name": "Mallory"}')
    assert (response.status_code, response.json_body["error"]["code"]) == (status, code)
    assert Account.get("acc-anna").first_name == "Anna"


def test_R_ACC_04_with_header_and_origin_the_change_goes_through(client, anna):
    token = start_session("acc-anna")
    assert call(client, "PATCH", "/me", token, {"first_name": "Anke"}).status_code == 200
    assert Account.get("acc-anna").first_name == "Anke"


def test_R_ACC_04_open_auth_routes_also_demand_the_csrf_header(client, anna):
    """Login CSRF and cross-site mail bombing: a form post from another site cannot ask for links."""
    bare = {"Content-Type": "application/json", "Origin": PORTAL["Origin"]}
    for path, body in (("/auth/login", {"email": EMAIL}), ("/auth/signup", signup_body(EMAIL)),
                       ("/auth/verify", {"token": "x" * 43}), ("/auth/logout", {})):
        response = client.http.request("POST", path, headers=bare, body=json.dumps(body).encode())
        assert response.status_code == 403 and response.json_body["error"]["code"] == "csrf_failed", path


def test_R_ACC_11_disabling_ends_access_on_the_very_next_request(client, anna):
    tokens = [start_session("acc-anna"), start_session("acc-anna")]
    Account("acc-anna").update(actions=[Account.status.set("disabled")])
    assert [call(client, "GET", "/me", t).status_code for t in tokens] == [401, 401]


def test_R_ACC_11_a_deleted_account_has_no_session(client, anna):
    token = start_session("acc-anna")
    Account("acc-anna").delete()
    assert call(client, "GET", "/me", token).status_code == 401


def test_R_ACC_05_last_used_date_is_written_at_most_once_a_day(client, anna, frozen_clock):
    from tests.functional.conftest import calls

    freeze(T0)
    token = start_session("acc-anna")
    call(client, "GET", "/me", token)
    assert Account.get("acc-anna").last_used_on == "2026-03-02"
    calls.clear()
    freeze(T0 + timedelta(minutes=1))
    call(client, "GET", "/me", token)
    assert calls["UpdateItem"] == 0
    freeze(T0 + timedelta(hours=15))  # next day in Amsterdam, session still alive through activity
    Session(hashlib.sha256(token.encode()).hexdigest()).update(actions=[
        Session.last_seen_at.set(T0 + timedelta(hours=14, minutes=50)),
        Session.expires_at.set(T0 + timedelta(hours=15, minutes=20)),
        Session.created_at.set(T0 + timedelta(hours=5))])
    call(client, "GET", "/me", token)
    assert Account.get("acc-anna").last_used_on == "2026-03-03"


def test_R_VIS_03_session_probe_answers_visitors_without_a_cookie(client):
    response = client.http.get("/session")
    assert response.status_code == 200 and response.json_body == {"authenticated": False}
    assert "Set-Cookie" not in response.headers
    expired = client.http.get("/session", headers={"Cookie": "lr_session=not-a-session"})
    assert expired.status_code == 200 and expired.json_body == {"authenticated": False}
