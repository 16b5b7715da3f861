"""Pure rules of the privacy clocks (R_ENR_10, R_PRV_02): months to read, dates reduced to the month,
ages. No boto3, no PynamoDB, no hidden clock: `today`/`now` are passed in."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TypeVar

FIRST_MONTH = "2024-01"  # no enrolment of Leer-Rijk can be due for anonymisation before this month

D = TypeVar("D", str, datetime)


def month_of(day: date) -> str:
    return day.isoformat()[:7]


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def months_through(first: str, today: date) -> list[str]:
    """Every month from `first` through the month of `today`: the job catches up missed months."""
    months, month, last = [], first, month_of(today)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def reduced_to_month(value: D) -> D:
    """A date (ISO day string) or a timestamp, reduced to the first day of its month (R_ENR_10)."""
    if isinstance(value, datetime):
        moment = value.astimezone(UTC)
        return datetime(moment.year, moment.month, 1, tzinfo=UTC)
    return f"{value[:7]}-01"


def is_due(anonymise_day: str, today: date) -> bool:
    """R_ENR_10: anonymised on the day 12 months after the original end date (at most 12 months)."""
    return anonymise_day <= today.isoformat()


def is_overdue(anonymise_day: str, today: date) -> bool:
    """R_PRV_02: still holding personal data a day after its anonymisation day is a breach."""
    return anonymise_day < today.isoformat()


def age_days(then: datetime | date, today: date) -> int:
    day = then.date() if isinstance(then, datetime) else then
    return (today - day).days


def cursor_after(month: str, today: date) -> str | None:
    """Once a month before the current one is fully processed, nothing can become due in it again
    (enrolments start in the future), so the job's cursor may move past it."""
    return next_month(month) if month < month_of(today) else None
