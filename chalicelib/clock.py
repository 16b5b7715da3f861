"""The one clock of the system. Tests freeze it instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Fix the clock at `at` (an aware datetime); None lets it run again."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = at
