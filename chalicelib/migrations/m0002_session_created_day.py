"""0002: every session carries `created_day` (Europe/Amsterdam day of `created_at`), the key the retention
self-check reads sessions by (`created-day-index`, issue 12). Sessions written before were invisible to it."""

from __future__ import annotations

from chalicelib.migrations.step import Migration, amsterdam_day, set_once
from chalicelib.models import Session


def _migrate(session: Session) -> None:
    set_once(session, Session.created_day, amsterdam_day(session.created_at), Session.created_at)


MIGRATION = Migration("0002-session-created-day", Session,
                      "sessies krijgen created_day voor de bewaartermijncontrole",
                      lambda session: session.created_day is None, _migrate)
