"""Waiting-list rules (R_WAIT_01-05): pure functions of their inputs and `today`/`now`. All dates are
Europe/Amsterdam calendar dates.

- The list is ordered by a sequence number the execution hands out in the joining transaction; a place's
  key is that number, zero-padded, so the table returns the list in joining order.
- Until the free-cancellation deadline a freed seat goes to the first waiting person who still qualifies
  (AUTOMATIC); after it, until the application deadline or the start, the seat is offered to that person
  for 24 hours (OFFER); after that nobody moves up (CLOSED) and the list is told and deleted.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

POSITION_DIGITS = 10
OFFER_HOURS = 24


class Mode(StrEnum):
    AUTOMATIC = "automatic"  # a freed seat is an enrolment for the first waiting person at once
    OFFER = "offer"  # a freed seat is offered to the first waiting person for 24 hours
    CLOSED = "closed"  # nobody moves up any more


class Skip(StrEnum):
    """Why a waiting person no longer qualifies and is taken off the list (R_WAIT_02)."""

    SALARY_SCALE = "salary_scale"  # the course's salary-scale range no longer includes theirs
    VISIBILITY = "visibility"  # the course is no longer open to their organisation
    ACCOUNT = "account"  # the account that joined is gone
    APPROVAL = "approval"  # the organisation now asks for a manager's approval and none was given


def position_key(seq: int) -> str:
    return f"{seq:0{POSITION_DIGITS}d}"


def place_id(course_id: str, execution_id: str, position: str) -> str:
    """A place's public id is its key, encoded: reading it costs one GetItem and no index (no lag)."""
    raw = f"{course_id}#{execution_id}#{position}".encode()
    return "w" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def place_key(place: str) -> tuple[str, str] | None:
    """(execution_key, position) of a place id, or None when it is not one."""
    if not place.startswith("w") or len(place) > 200:
        return None
    body = place[1:]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    execution_key, _, position = raw.rpartition("#")
    course_id, _, execution_id = execution_key.partition("#")
    if not (course_id and execution_id and position.isdigit() and len(position) == POSITION_DIGITS):
        return None
    return execution_key, position


def close_day(status: str, start: date, application_deadline: date | None, today: date) -> date:
    """The first day nobody moves up: the day after the application deadline or the start day, whichever
    comes first; an execution that is no longer open (closed, cancelled) closes its list today."""
    if status != "open":
        return today
    after_deadline = application_deadline + timedelta(days=1) if application_deadline else start
    return min(start, after_deadline)


def mode(status: str, start: date, application_deadline: date | None, last_free_day: date, today: date) -> Mode:
    if today >= close_day(status, start, application_deadline, today):
        return Mode.CLOSED
    return Mode.AUTOMATIC if today <= last_free_day else Mode.OFFER


def offer_expires(now: datetime, closes_at: datetime) -> datetime:
    """24 hours, but never past the moment the list closes: after that nobody moves up (R_WAIT_03)."""
    return min(now + timedelta(hours=OFFER_HOURS), closes_at)


def free_seats(seats: int | None, taken: int) -> int | None:
    """Seats nobody holds; None for an execution without a maximum. Negative when a supplier lowered the
    seats below what is taken: nobody moves into a seat that no longer exists."""
    return None if seats is None else seats - taken


@dataclass(frozen=True)
class Candidate:
    """What decides whether a waiting person still qualifies, as read when a seat frees."""

    salary_scale_allowed: bool
    visible: bool
    account_present: bool
    needs_manager: bool  # the organisation asks for approval and the place names no manager


def skip_reason(candidate: Candidate) -> Skip | None:
    if not candidate.account_present:
        return Skip.ACCOUNT
    if not candidate.visible:
        return Skip.VISIBILITY
    if not candidate.salary_scale_allowed:
        return Skip.SALARY_SCALE
    if candidate.needs_manager:
        return Skip.APPROVAL
    return None


def seats_to_fill(free: int | None, waiting: int, batch: int) -> int:
    """How many waiting people one transaction moves up: every free seat, as far as people wait and the
    transaction's size allows."""
    available = waiting if free is None else min(free, waiting)
    return max(0, min(available, batch))
