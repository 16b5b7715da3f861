"""The one clock of the system. Tests freeze it instead of sleeping."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen if _frozen is not None else datetime.now(UTC)


def today() -> date:
    """Today's calendar date in Europe/Amsterdam: every business date is one (SPEC)."""
    return now().astimezone(AMSTERDAM).date()


def freeze(at: datetime | None) -> None:
    """Fix the clock at `at` (an aware datetime); None lets it run again."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = at


def is_frozen() -> bool:
    return _frozen is not None
