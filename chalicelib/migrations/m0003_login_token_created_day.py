"""0003: every e-mailed link carries `created_day` (Europe/Amsterdam day of `created_at`), the key the
retention self-check reads links by (`created-day-index`, issue 12)."""

from __future__ import annotations

from chalicelib.migrations.step import Migration, amsterdam_day, set_once
from chalicelib.models import LoginToken


def _migrate(token: LoginToken) -> None:
    set_once(token, LoginToken.created_day, amsterdam_day(token.created_at), LoginToken.created_at)


MIGRATION = Migration("0003-login-token-created-day", LoginToken,
                      "e-maillinks krijgen created_day voor de bewaartermijncontrole",
                      lambda token: token.created_day is None, _migrate)
