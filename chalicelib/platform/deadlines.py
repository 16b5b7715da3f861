"""Hard deadlines (R_CON_03): the day a scheduled purge deletes a copy, so it is gone in time.

Pure: no I/O, no hidden clock. Purge days are UTC dates, not Europe/Amsterdam ones: an Amsterdam
day can last 25 hours, and a purge that runs at any time during day `D + n - 1` (UTC) must still
be within `n` days of anything written during day `D`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def purge_day(written_at: datetime, within: timedelta) -> str:
    """The UTC day during which a purge deletes what was written at `written_at`.

    Anything written on UTC day D is deleted during day D + days - 1, which ends no later than
    `written_at + within` (D 00:00 <= written_at)."""
    days = within.days
    if days < 1 or within != timedelta(days=days):
        raise ValueError("a hard deadline is a whole number of days, at least one")
    return (written_at.astimezone(UTC).date() + timedelta(days=days - 1)).isoformat()


def utc_day(now: datetime) -> date:
    return now.astimezone(UTC).date()


def days_due(now: datetime, catch_up_days: int) -> list[str]:
    """The purge days a run at `now` handles: today (UTC) and the `catch_up_days` before it,
    so a run that was missed is caught up by the next one. Oldest first."""
    today = utc_day(now)
    return [(today - timedelta(days=back)).isoformat() for back in range(catch_up_days, -1, -1)]
