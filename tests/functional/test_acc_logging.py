"""R_LOG_01 / security L1-L3: account flows log security events with pseudonymous ids only:
never an address, link or session token, TOTP code or secret, question text, or IP."""

from __future__ import annotations

import json
import logging

from chalicelib.accounts import totp_rules as totp
from chalicelib.platform import eventlog
from tests.functional.test_acc_support import (
    DOMAIN_A,
    ORG_A,
    T0,
    call,
    freeze,
    last_mail_to,
    seed_account,
    seed_orgs,
    session_token,
    signup_body,
    token_in,
)


def test_R_LOG_01_account_flows_log_events_but_no_personal_data_or_secrets(client, frozen_clock, caplog):
    caplog.set_level(logging.INFO)
    freeze(T0)
    seed_orgs()
    seed_account("acc-la", f"lotte@{DOMAIN_A}", roles=[("local_admin", ORG_A, None)])
    secrets_seen: list[str] = []
    ip = {"CloudFront-Viewer-Address": "203.0.113.77:4711"}

    call(client, "POST", "/auth/signup", body=signup_body(f"bo@{DOMAIN_A}"), headers=ip)
    link = token_in(last_mail_to(f"bo@{DOMAIN_A}"))
    employee = session_token(call(client, "POST", "/auth/verify", body={"token": link}, headers=ip))
    call(client, "POST", "/auth/verify", body={"token": link})  # refused: used
    call(client, "POST", "/auth/login", body={"email": f"nobody@{DOMAIN_A}"})
    call(client, "POST", "/me/questions", employee, {"question": "Geheime vraag over salaris", "phone": "0611"})
    call(client, "GET", "/admin/accounts", employee)  # denied
    call(client, "POST", "/auth/login", body={"email": f"lotte@{DOMAIN_A}"})
    la_link = token_in(last_mail_to(f"lotte@{DOMAIN_A}"))
    admin = session_token(call(client, "POST", "/auth/verify", body={"token": la_link}))
    setup = call(client, "POST", "/auth/totp/setup", admin).json_body
    call(client, "POST", "/auth/totp/verify", admin, {"code": "000001"})
    code = totp.code_at(setup["secret"], T0)
    admin2 = session_token(call(client, "POST", "/auth/totp/verify", admin, {"code": code}))
    call(client, "POST", "/auth/logout", admin2)
    call(client, "DELETE", "/me", employee)
    secrets_seen += [f"bo@{DOMAIN_A}", f"lotte@{DOMAIN_A}", f"nobody@{DOMAIN_A}", link, la_link, employee, admin,
                     admin2, setup["secret"], code, "Geheime vraag", "203.0.113.77", DOMAIN_A]

    entries = json.dumps(eventlog.recent())
    kinds = {e["kind"] for e in eventlog.recent()}
    assert {"signup", "link_requested", "link_used", "link_refused", "login", "access_denied", "totp_failed",
            "totp_enrolled", "logout", "account_deleted"} <= kinds
    for secret in secrets_seen:
        assert secret not in entries, secret
        assert secret not in caplog.text, secret
