"""Calendar rules (R_CAL_02-05): pure functions of their inputs. All days are Europe/Amsterdam calendar
days; no clock here: callers pass the moment or the day.

Reminders (R_CAL_03) go out from 07:00 Amsterdam time on their day, so a daylight-saving change moves
the UTC hour, never the day. The 7-day reminder is due from 7 days before the start until 2 days
before (a missed day is caught up), the day-before reminder on the day before; each only for an
enrolment confirmed before its day (who enrols later has just had the confirmation). The manager's
reminder (R_CAL_04) is due on the 3rd working day after the request: Monday to Friday, Dutch public
holidays (the `holidays` library, loaded on first use) not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from chalicelib.catalogue.change_rules import NOTICED, changed_fields

SEND_FROM = time(7, 0)  # local time from which a day's reminders go out
WEEK, DAY = "week", "day"
WEEK_DAYS_BEFORE, DAY_DAYS_BEFORE = 7, 1
APPROVAL_REMINDER_WORKING_DAYS = 3
CHANGE_NOTICE_WITHIN = timedelta(hours=1)  # R_CAL_02: everyone told within the hour

_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")
LABELS = {"start_day": "Begindatum", "end_day": "Einddatum", "start_time": "Begintijd", "end_time": "Eindtijd",
          "city": "Plaats", "location": "Locatie", "online": "Online"}


# --- reminders (R_CAL_03) ------------------------------------------------------------------------------


def reminder_day(local_now: datetime) -> date:
    """The latest day whose reminders may go out: today from 07:00 local time, else yesterday."""
    today = local_now.date()
    return today if local_now.time() >= SEND_FROM else today - timedelta(days=1)


def due_reminder(start: date, confirmed: date, day: date) -> str | None:
    """The reminder due on `day` for an enrolment confirmed on `confirmed` in a run starting `start`."""
    days_left = (start - day).days
    if days_left == DAY_DAYS_BEFORE and confirmed < start - timedelta(days=DAY_DAYS_BEFORE):
        return DAY
    if DAY_DAYS_BEFORE < days_left <= WEEK_DAYS_BEFORE and confirmed < start - timedelta(days=WEEK_DAYS_BEFORE):
        return WEEK
    return None


def overdue_reminders(start: date, confirmed: date, today: date) -> tuple[str, ...]:
    """The reminders whose window has closed before `today` (R_CAL_05): the 7-day one's ends 2 days before
    the start, the day-before one's with that day."""
    overdue = []
    if confirmed < start - timedelta(days=WEEK_DAYS_BEFORE) and today > start - timedelta(days=DAY_DAYS_BEFORE + 1):
        overdue.append(WEEK)
    if confirmed < start - timedelta(days=DAY_DAYS_BEFORE) and today >= start:
        overdue.append(DAY)
    return tuple(overdue)


def wants_reminders(source: str, lms_asked: bool | None) -> bool:
    """Portal enrolments always; an LMS enrolment only when the LMS asked (R_CAL_03)."""
    return source == "portal" or bool(lms_asked)


# --- the manager's reminder (R_CAL_04) -----------------------------------------------------------------


@cache
def _holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def approval_reminder_day(asked: date) -> date:
    """The 3rd working day after the day the manager was asked."""
    day, counted = asked, 0
    while counted < APPROVAL_REMINDER_WORKING_DAYS:
        day += timedelta(days=1)
        counted += is_working_day(day)
    return day


def last_asked_day_due(day: date) -> date:
    """The latest asked day whose reminder is due by `day` (reminder days never go back as the asked day
    moves forward, so every earlier request is due too)."""
    asked = day
    while approval_reminder_day(asked) > day:
        asked -= timedelta(days=1)
    return asked


# --- change notices (R_CAL_02) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def changes(before: Mapping[str, Any], now: Mapping[str, Any]) -> list[Change]:
    """What changed since people last heard, old and new, in words; empty when it changed back."""
    names = changed_fields({name: before.get(name) for name in NOTICED if name in before},
                           {name: now.get(name) for name in NOTICED if name in before})
    return [Change(LABELS[name], shown(name, before.get(name)), shown(name, now.get(name))) for name in names]


def shown(name: str, value: Any) -> str:
    if name == "online":
        return "ja" if value else "nee"
    if value in (None, ""):
        return "(niet opgegeven)"
    if name.endswith("_day"):
        return dutch_day(date.fromisoformat(str(value)))
    return str(value)


def dutch_day(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"
