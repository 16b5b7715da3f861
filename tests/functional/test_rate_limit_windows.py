"""The rate-limit windows pinned by behaviour through the routes (issue 22 item 16: no test pinned them).

Each limit holds for a fixed window: a request in its last second is still refused and told to retry
in one second (Retry-After), the first request of the next window passes. R_ACC_03 (sign-in links: 5
per address per quarter hour), R_ACC_10 (second-factor codes: 5 per account per quarter hour), R_QST_02
(questions: 5 per account per hour), R_CON_04 (contact messages: 3 per address per hour).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from chalicelib.platform import clock
from tests.functional.test_acc_questions import QUESTION, org_with_admins  # noqa: F401  (fixture)
from tests.functional.test_acc_support import DOMAIN_A, T0, call, seed_account, seed_orgs, start_session
from tests.functional.test_acc_totp import _code, _enrolled, cfb  # noqa: F401  (fixture)
from tests.functional.test_contact import FULL, send

ALMOST = timedelta(milliseconds=500)


def refused_for(response: Any) -> int:
    assert response.status_code == 429, response.body
    assert response.json_body["error"]["code"] == "rate_limited"
    return int(response.headers["Retry-After"])


def check_window(request: Callable[[], Any], allowed: int, window: timedelta, accepted: int) -> None:
    """`allowed` requests a minute into the window pass, the next is refused until the window ends."""
    clock.freeze(T0 + timedelta(minutes=1))
    for n in range(allowed):
        assert request().status_code == accepted, n
    assert refused_for(request()) == (window - timedelta(minutes=1)).total_seconds()
    clock.freeze(T0 + window - ALMOST)
    assert refused_for(request()) == 1
    clock.freeze(T0 + window)
    assert request().status_code == accepted


def test_R_ACC_03_five_link_requests_per_address_per_quarter_hour(client, frozen_clock):
    seed_orgs()
    seed_account("acc-known", f"anna@{DOMAIN_A}")
    check_window(lambda: call(client, "POST", "/auth/login", body={"email": f"Anna@{DOMAIN_A}"}),
                 5, timedelta(minutes=15), 202)


def test_R_ACC_10_five_second_factor_attempts_per_account_per_quarter_hour(client, cfb, frozen_clock):  # noqa: F811
    _enrolled()
    clock.freeze(T0)
    token = start_session("acc-cfb")
    attempts = iter(range(100))

    def attempt() -> Any:
        wrong = f"{next(attempts):06d}"
        return call(client, "POST", "/auth/totp/verify", token, {"code": wrong if wrong != _code() else "999999"})

    check_window(attempt, 5, timedelta(minutes=15), 400)


def test_R_QST_02_five_questions_per_account_per_hour(client, org_with_admins, frozen_clock):  # noqa: F811
    check_window(lambda: call(client, "POST", "/me/questions", org_with_admins, {"question": QUESTION}),
                 5, timedelta(hours=1), 202)


def test_R_CON_04_three_contact_messages_per_address_per_hour(client, frozen_clock):
    check_window(lambda: send(client, FULL), 3, timedelta(hours=1), 202)
