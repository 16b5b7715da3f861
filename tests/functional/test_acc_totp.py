"""The second factor for admin roles (R_ACC_10) and its effect on admin routes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from chalicelib.accounts import totp_rules as totp
from chalicelib.models import Account, Session
from chalicelib.platform import eventlog
from tests.functional.test_acc_support import (
    DOMAIN_A,
    ORG_A,
    T0,
    call,
    event_kinds,
    freeze,
    last_mail_to,
    login,
    seed_account,
    seed_orgs,
    session_token,
    start_session,
    token_in,
)

CFB_EMAIL = f"carmen@{DOMAIN_A}"
SECRET = totp.encode_secret(b"leer-rijk-test-seed!")


@pytest.fixture
def cfb(aws):
    seed_orgs()
    return seed_account("acc-cfb", CFB_EMAIL, roles=[("cfb", None, None)])


def _enrolled(account_id: str = "acc-cfb") -> None:
    Account(account_id).update(actions=[Account.totp_secret.set(SECRET), Account.totp_enrolled_at.set(T0)])


def _code(offset_steps: int = 0) -> str:
    from chalicelib.platform import clock

    return totp.hotp(totp.decode_secret(SECRET), totp.step_at(clock.now()) + offset_steps)


def test_R_ACC_10_first_admin_login_enrols_totp_and_rotates_the_session(client, cfb, frozen_clock):
    freeze(T0)
    call(client, "POST", "/auth/login", body={"email": CFB_EMAIL})
    verified = call(client, "POST", "/auth/verify", body={"token": token_in(last_mail_to(CFB_EMAIL))})
    assert verified.json_body["second_factor"] == "setup"
    level1 = session_token(verified)
    refused = call(client, "GET", "/admin/organisations", level1)
    assert refused.status_code == 403 and refused.json_body["error"]["code"] == "second_factor_required"
    setup = call(client, "POST", "/auth/totp/setup", level1)
    assert setup.status_code == 200
    secret = setup.json_body["secret"]
    assert setup.json_body["otpauth_uri"].startswith("otpauth://totp/Leer-Rijk:")
    assert f"secret={secret}" in setup.json_body["otpauth_uri"]
    raised = call(client, "POST", "/auth/totp/verify", level1, {"code": totp.code_at(secret, T0)})
    assert raised.status_code == 200 and raised.json_body == {"assurance_level": 2, "second_factor": "done",
                                                              "enrolled": True}
    level2 = session_token(raised)
    assert level2 and level2 != level1
    assert call(client, "GET", "/me", level1).status_code == 401  # the old token is gone
    assert call(client, "GET", "/admin/organisations", level2).status_code == 200
    assert Session.count() == 1
    again = call(client, "POST", "/auth/totp/setup", level2)
    assert again.status_code == 409 and secret not in again.body.decode()
    assert call(client, "GET", "/me", level2).json_body["second_factor"] == "done"


def test_R_ACC_10_rotation_keeps_the_absolute_timeout_of_the_login(client, cfb, frozen_clock):
    _enrolled()
    freeze(T0)
    level1 = start_session("acc-cfb")
    freeze(T0 + timedelta(minutes=10))
    level2 = session_token(call(client, "POST", "/auth/totp/verify", level1, {"code": _code()}))
    for minutes in range(30, 12 * 60, 20):
        freeze(T0 + timedelta(minutes=minutes))
        assert call(client, "GET", "/me", level2).status_code == 200
    freeze(T0 + timedelta(hours=12, seconds=1))
    assert call(client, "GET", "/me", level2).status_code == 401


def test_R_ACC_10_a_code_works_once(client, cfb, frozen_clock):
    _enrolled()
    freeze(T0)
    code = _code()
    assert call(client, "POST", "/auth/totp/verify", start_session("acc-cfb"), {"code": code}).status_code == 200
    replay = call(client, "POST", "/auth/totp/verify", start_session("acc-cfb"), {"code": code})
    assert replay.status_code == 400 and replay.json_body["error"]["code"] == "totp_invalid"
    older = call(client, "POST", "/auth/totp/verify", start_session("acc-cfb"), {"code": _code(-1)})
    assert older.status_code == 400  # an older code cannot follow a newer one
    freeze(T0 + timedelta(seconds=30))
    assert call(client, "POST", "/auth/totp/verify", start_session("acc-cfb"), {"code": _code()}).status_code == 200


@pytest.mark.parametrize(("offset", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)])
def test_R_ACC_10_clock_drift_of_one_step_is_accepted(client, cfb, frozen_clock, offset, accepted):
    _enrolled()
    freeze(T0 + timedelta(seconds=15))
    response = call(client, "POST", "/auth/totp/verify", start_session("acc-cfb"), {"code": _code(offset)})
    assert (response.status_code == 200) is accepted


def test_R_ACC_10_failed_attempts_are_logged_and_rate_limited(client, cfb, frozen_clock):
    _enrolled()
    freeze(T0)
    token = start_session("acc-cfb")
    wrong = "000000" if _code() != "000000" else "111111"
    for _ in range(5):
        assert call(client, "POST", "/auth/totp/verify", token, {"code": wrong}).status_code == 400
    limited = call(client, "POST", "/auth/totp/verify", token, {"code": _code()})
    assert limited.status_code == 429
    assert event_kinds().count("totp_failed") == 5
    log = json.dumps(eventlog.recent())
    assert wrong not in log and SECRET not in log
    freeze(T0 + timedelta(minutes=15))
    assert call(client, "POST", "/auth/totp/verify", token, {"code": _code()}).status_code == 200


def test_R_ACC_10_setup_is_only_for_admin_roles(client, cfb):
    seed_account("acc-emp", f"emp@{DOMAIN_A}")
    response = call(client, "POST", "/auth/totp/setup", start_session("acc-emp"))
    assert response.status_code == 409 and response.json_body["error"]["code"] == "totp_not_needed"
    response = call(client, "POST", "/auth/totp/verify", start_session("acc-emp"), {"code": "123456"})
    assert response.status_code == 409


def test_R_ACC_10_the_secret_never_appears_in_export_or_log(client, cfb, frozen_clock):
    freeze(T0)
    token = start_session("acc-cfb")
    secret = call(client, "POST", "/auth/totp/setup", token).json_body["secret"]
    level2 = session_token(call(client, "POST", "/auth/totp/verify", token, {"code": totp.code_at(secret, T0)}))
    export = call(client, "GET", "/me/export", level2).body.decode()
    assert secret not in export and "totp_secret" not in export and "totp_last_step" not in export
    assert call(client, "GET", "/me", level2).body.decode().count(secret) == 0
    assert secret not in json.dumps(eventlog.recent())


def test_R_ACC_10_cfb_resets_a_second_factor_and_the_sessions_end(client, cfb):
    _enrolled()
    seed_account("acc-la", f"lotte@{DOMAIN_A}", roles=[("local_admin", ORG_A, None)])
    _enrolled("acc-la")
    la_session = start_session("acc-la", level=2)
    admin = start_session("acc-cfb", level=2)
    response = call(client, "POST", "/admin/accounts/acc-la/totp-reset", admin)
    assert response.status_code == 200
    account = Account.get("acc-la")
    assert account.totp_secret is None and account.totp_enrolled_at is None
    assert call(client, "GET", "/me", la_session).status_code == 401
    fresh = login(client, f"lotte@{DOMAIN_A}")
    assert call(client, "POST", "/auth/totp/setup", fresh).status_code == 200
    assert "totp_reset" in event_kinds()


@pytest.mark.parametrize(("role", "org", "path"), [
    ("local_admin", ORG_A, "/admin/accounts?org_id=org-a"),
    ("cfb", None, "/admin/suppliers"),
    ("ops", None, "/ops/log"),
])
def test_R_ACC_10_every_admin_role_is_refused_at_level_one(client, cfb, role, org, path):
    seed_account("acc-admin", f"admin@{DOMAIN_A}", roles=[(role, org, None)])
    _enrolled("acc-admin")
    level1 = call(client, "GET", path, start_session("acc-admin", level=1))
    assert level1.status_code == 403 and level1.json_body["error"]["code"] == "second_factor_required"
    assert call(client, "GET", path, start_session("acc-admin", level=2)).status_code == 200


def test_R_ACC_10_order_authorised_needs_the_second_factor_too(client, cfb):
    """No order routes exist yet; the principal simply gains the audience only at level 2."""
    from chalicelib.access import Access
    from chalicelib.accounts import sessions

    account = seed_account("acc-order", f"order@{DOMAIN_A}", roles=[("order_authorised", ORG_A, "dep-a1")])
    one = sessions.principal_for(account, Session(account_id="acc-order", assurance_level=1))
    two = sessions.principal_for(account, Session(account_id="acc-order", assurance_level=2))
    assert Access.ORDER_AUTHORISED not in one.audiences
    assert Access.ORDER_AUTHORISED in two.audiences


def test_R_ACC_10_a_cfb_reset_gives_the_holder_a_fresh_count_of_code_attempts(client):
    """After CFB resets the second factor (through its route), the holder is not still locked out."""
    from chalicelib.models import Account
    from chalicelib.platform import ratelimit
    from chalicelib.platform.ratelimit_rules import TOTP_PER_ACCOUNT
    from tests.functional.test_acc_support import call, seed_account, seed_orgs, start_session

    seed_orgs()
    seed_account("acc-locked", "locked@minbzk.nl", roles=[("cfb", None, None)], totp_secret="JBSWY3DPEHPK3PXP")
    seed_account("acc-cfb-2", "beheer@minbzk.nl", roles=[("cfb", None, None)], totp_secret="JBSWY3DPEHPK3PXP")
    for _ in range(TOTP_PER_ACCOUNT.limit):
        ratelimit.hit(TOTP_PER_ACCOUNT, "totp:acc-locked")
    assert ratelimit.counters_of("totp:acc-locked")
    reset = call(client, "POST", "/admin/accounts/acc-locked/totp-reset", start_session("acc-cfb-2", level=2), {})
    assert reset.status_code == 200, reset.body
    assert ratelimit.counters_of("totp:acc-locked") == []
    assert Account.get("acc-locked").totp_secret is None
