"""Enrolment rules (R_ENR_04-10): pure functions of their inputs and `today`. All dates are
Europe/Amsterdam calendar dates.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

ACTIVE = frozenset({"pending_approval", "approved"})  # statuses that hold a seat and the guard
APPROVAL_DECIDE_DAYS_BEFORE_START = 3
DEFAULT_CANCELLATION_FREE_DAYS = 14  # when a supplier states no terms of its own (R_CAT_01, R_ENR_08)
RETENTION_MONTHS = 12

# R_ENR_02: what the form carries and what reaches the supplier (R_ENR_07), in this order.
REQUIRED_FORM_FIELDS = ("first_name", "last_name", "email", "organisation_name", "phone", "gender")
OPTIONAL_FORM_FIELDS = ("initials", "title_before", "title_after", "job_function", "salary_scale",
                        "department_name")
FORM_FIELDS = REQUIRED_FORM_FIELDS + OPTIONAL_FORM_FIELDS
MANAGER_FIELDS = ("first_name", "last_name", "business_email")  # R_ENR_06: name, e-mail, course
MANAGER_CANCELLATION_FIELDS = ("first_name", "last_name")  # the manager's cancellation notice: name and course
GENDERS = ("man", "vrouw", "anders", "zeg ik liever niet")
# A run's when and where. An enrolment keeps them as its holder last heard of them, with its calendar
# invitation (R_CAL_01); a supplier's change of any of them is one its people must hear of (R_CAL_02,
# catalogue.change_rules).
RUN_FACTS = ("start_day", "end_day", "start_time", "end_time", "city", "location", "online")


@dataclass(frozen=True)
class CancellationTerms:
    free_days: int
    last_free_day: date
    penalty_cents: int  # what a cancellation after `last_free_day` costs: the whole price (0 for a free course)


def cancellation_terms(start: date, declared_free_days: int | None, price_cents: int) -> CancellationTerms:
    """The terms of an execution, as the course page and the enrol form promise them and the enrolment
    stores them (R_ENR_08): the supplier's own number of free days (0 is a term too: free through the
    start day), else the system default; later the whole price."""
    free_days = DEFAULT_CANCELLATION_FREE_DAYS if declared_free_days is None else int(declared_free_days)
    return CancellationTerms(free_days, last_free_cancellation_day(start, free_days), int(price_cents))


@dataclass(frozen=True)
class CancellationOutcome:
    free: bool
    last_free_day: date
    penalty_cents: int


def last_free_cancellation_day(start: date, free_days: int) -> date:
    """Free through start minus N days, that day included."""
    return start - timedelta(days=free_days)


def cancellation_outcome(start: date, free_days: int, price_cents: int, today: date) -> CancellationOutcome:
    """R_ENR_08: within the terms it costs nothing; later the whole price becomes a penalty order.
    A free course costs nothing to cancel at any time: there is no penalty to order."""
    terms = cancellation_terms(start, free_days, price_cents)
    free = today <= terms.last_free_day or terms.penalty_cents == 0
    return CancellationOutcome(free, terms.last_free_day, 0 if free else terms.penalty_cents)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def anonymise_on(original_end: date) -> date:
    """R_ENR_10: at most 12 months after the original end date; the job runs on this day."""
    return add_months(original_end, RETENTION_MONTHS)


def approval_expires_on(start: date, application_deadline: date | None) -> date:
    """A request undecided by the deadline, or a few days before start, expires (R_ENR_06)."""
    before_start = start - timedelta(days=APPROVAL_DECIDE_DAYS_BEFORE_START)
    return min(before_start, application_deadline) if application_deadline else before_start


def open_for_application(status: str, start: date, application_deadline: date | None, today: date) -> bool:
    return status == "open" and today < start and (application_deadline is None or today <= application_deadline)


def guard_id(course_id: str, execution_id: str, person: str) -> str:
    """One active enrolment per person per execution; the person is hashed, not stored in the key."""
    digest = hashlib.sha256(person.strip().lower().encode()).hexdigest()[:32]
    return f"{course_id}#{execution_id}#{digest}"


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower()


def manager_address_problem(manager: str, employee_addresses: set[str], org_domains: set[str]) -> str | None:
    """R_ENR_06: on one of the organisation's domains and not the employee's own address."""
    if manager.lower() in {a.lower() for a in employee_addresses}:
        return "Vul het e-mailadres van uw leidinggevende in, niet uw eigen adres."
    if domain_of(manager) not in {d.lower() for d in org_domains}:
        return "Het adres van uw leidinggevende moet bij uw organisatie horen (" + ", ".join(sorted(org_domains)) + ")."
    return None


def visible_to(open_for: set[str] | None, org_codes: frozenset[str]) -> bool:
    return not open_for or bool(org_codes & open_for)


def salary_scale_allowed(scale: str | None, allowed: list[str] | None) -> bool:
    """R_ENR_04: an empty optional field never blocks; a given scale must be in the range."""
    if not scale or not allowed:
        return True
    return scale.strip() in allowed
