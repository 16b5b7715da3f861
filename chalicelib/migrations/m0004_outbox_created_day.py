"""0004: every outbox item carries `created_day` (Europe/Amsterdam day of `created_at`), the key the
retention self-check reads outbox items by (`created-day-index`, issue 12)."""

from __future__ import annotations

from chalicelib.migrations.step import Migration, amsterdam_day, set_once
from chalicelib.models import OutboxItem


def _migrate(item: OutboxItem) -> None:
    set_once(item, OutboxItem.created_day, amsterdam_day(item.created_at), OutboxItem.created_at)


MIGRATION = Migration("0004-outbox-created-day", OutboxItem,
                      "e-mails in de outbox krijgen created_day voor de bewaartermijncontrole",
                      lambda item: item.created_day is None, _migrate)
