"""Order-list rules (R_ORD_01-04, R_ENR_08): pure functions of their inputs and `today`.

No boto3, PynamoDB or clock here. All dates are Europe/Amsterdam calendar dates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from chalicelib.platform import csvtext

ORDER = "order"
PENALTY = "penalty"
OPEN = "open"
ORDERED = "ordered"
WITHDRAWN = "withdrawn"
STATUSES = (OPEN, ORDERED, WITHDRAWN)
NO_DEPARTMENT = "-"
FIRST_RUN_LOOKBACK_DAYS = 31  # the first run ever also picks up runs that started this past month
VIA_LMS = "via LMS"

# R_ORD_03: what the ordering system receives, in this order; nothing personal. The JSON for machines
# keeps these keys; the CSV for people has the Dutch headers and values.
EXPORT_COLUMNS = (
    ("order_reference", "Bestelreferentie"), ("order_day", "Besteldag"), ("kind", "Soort"), ("status", "Status"),
    ("organisation", "Organisatie-id"), ("organisation_name", "Organisatie"),
    ("department", "Afdeling-id"), ("department_name", "Afdeling"),
    ("supplier_id", "Leverancier-id"), ("supplier_name", "Leverancier"),
    ("course_id", "Opleiding-id"), ("course_name", "Opleiding"), ("execution_id", "Uitvoering-id"),
    ("start", "Startdatum"), ("end", "Einddatum"), ("place", "Plaats"), ("amount_cents", "Bedrag (euro)"),
    ("source", "Inschrijving via"),
)
EXPORT_KEYS = tuple(key for key, _ in EXPORT_COLUMNS)
DUTCH_VALUES = {
    "kind": {ORDER: "bestelling", PENALTY: "boete"},
    "status": {OPEN: "open", ORDERED: "besteld", WITHDRAWN: "vervallen"},
    "source": {"portal": "portaal", "lms": "LMS"},
}
# R_ORD_02: fields of the enrolment that a line shows; the ledger row names them (R_PRV_01).
SHOWN_PORTAL = ("business_email", "course_id", "execution_id", "price_cents")
SHOWN_LMS = ("course_id", "execution_id", "price_cents")
def line_id_for(enrolment_id: str) -> str:
    """One line per enrolment, derived from it: a second run finds the same key (R_ORD_04).
    The enrolment id itself never leaves in the export."""
    return "ol" + hashlib.sha256(f"order-line:{enrolment_id}".encode()).hexdigest()[:24]


def list_key(org_id: str, department_id: str | None) -> str:
    return f"{org_id}#{department_id or NO_DEPARTMENT}"


def list_sort(order_day: str, line_id: str) -> str:
    return f"{order_day}#{line_id}"


def staffed_departments(order_staff: Iterable[str]) -> frozenset[str]:
    """Departments with their own order-authorised staff, from the organisation's `order_staff` entries."""
    departments = (entry.partition("#")[0] for entry in order_staff if "#" in entry)
    return frozenset(department for department in departments if department != NO_DEPARTMENT)


def staff_entry(department_id: str | None, account_id: str) -> str:
    return f"{department_id or NO_DEPARTMENT}#{account_id}"


def route_department(department_id: str | None, staffed: frozenset[str]) -> str | None:
    """R_ORD_01: the employee's department if it has its own order-authorised staff, else the organisation."""
    return department_id if department_id and department_id in staffed else None


@dataclass(frozen=True)
class Wanted:
    kind: str
    amount_cents: int


def wanted_line(status: str, penalty_cents: int | None, price_cents: int) -> Wanted | None:
    """What an enrolment puts on the list: approved → an order; cancelled late → a penalty order
    (R_ENR_08); pending, rejected, expired or cancelled free → nothing (R_ORD_01)."""
    if status == "approved":
        return Wanted(ORDER, price_cents)
    if status == "cancelled" and penalty_cents:
        return Wanted(PENALTY, int(penalty_cents))
    return None


@dataclass(frozen=True)
class Change:
    """How an existing line follows its enrolment: None fields stay as they are."""

    kind: str | None = None
    amount_cents: int | None = None
    status: str | None = None


def change_for_existing(line_kind: str, line_status: str, wanted: Wanted | None) -> Change | None:
    """R_ENR_08: an enrolment already on the list that is cancelled late turns that line into the
    penalty order (no second line); cancelled free (e.g. the supplier cancelled the run) it is withdrawn."""
    if wanted is None:
        return None if line_status == WITHDRAWN or line_kind == PENALTY else Change(status=WITHDRAWN)
    if wanted.kind == PENALTY and line_kind != PENALTY:
        return Change(kind=PENALTY, amount_cents=wanted.amount_cents)
    return None


def needs_second_look(start_day: str, today: date) -> bool:
    """A change on or after the start day may come after the job read the run: mark it for the next run."""
    return date.fromisoformat(start_day) <= today


def days_due(done_through: date | None, today: date, lookback_days: int = FIRST_RUN_LOOKBACK_DAYS) -> list[date]:
    """Start days to process: every day after the last processed one up to yesterday (R_ORD_01, R_ORD_04)."""
    yesterday = today - timedelta(days=1)
    first = done_through + timedelta(days=1) if done_through else today - timedelta(days=lookback_days)
    return [first + timedelta(days=n) for n in range((yesterday - first).days + 1)]


@dataclass(frozen=True)
class Scope:
    """An order list an order-authorised person may see: an organisation's or one department's."""

    org_id: str
    department_id: str | None

    @property
    def key(self) -> str:
        return list_key(self.org_id, self.department_id)


def scopes_of(grants: Iterable[tuple[str, str | None, str | None]]) -> list[Scope]:
    """(role, org_id, department_id) grants → the lists the holder sees, each once, in grant order."""
    found: list[Scope] = []
    for role, org_id, department_id in grants:
        if role == "order_authorised" and org_id:
            scope = Scope(org_id, department_id)
            if scope not in found:
                found.append(scope)
    return found


def pick_scope(scopes: Sequence[Scope], org_id: str | None, department_id: str | None) -> Scope | None:
    """The scope a request asks for (by organisation and department), or the first one held."""
    if org_id is None and department_id is None:
        return scopes[0] if scopes else None
    for scope in scopes:
        if (org_id is None or scope.org_id == org_id) and (scope.department_id or None) == (department_id or None):
            return scope
    return None


def period_bounds(date_from: date | None, date_to: date | None) -> tuple[str, str]:
    """Range-key bounds of `order_day#line_id` for an inclusive period (open ends allowed)."""
    low = date_from.isoformat() if date_from else "0000-00-00"
    high = (date_to.isoformat() if date_to else "9999-12-31") + "#\uffff"
    return low, high


def totals_by_month(lines: Iterable[tuple[str, str, int]]) -> list[dict[str, object]]:
    """(order_day, status, amount) → per month: count and sum of lines not withdrawn."""
    months: dict[str, dict[str, int]] = {}
    for order_day, status, amount in lines:
        if status == WITHDRAWN:
            continue
        month = months.setdefault(order_day[:7], {"count": 0, "amount_cents": 0})
        month["count"] += 1
        month["amount_cents"] += int(amount)
    return [{"month": m, **v} for m, v in sorted(months.items())]


def dutch_cell(key: str, value: object) -> object:
    """A value as a person reads it in the CSV: Dutch words for codes, euros with a decimal comma."""
    if key == "amount_cents":
        return csvtext.euros(int(str(value)))
    return DUTCH_VALUES.get(key, {}).get(str(value), value)


def csv_document(rows: Iterable[dict[str, object]]) -> str:
    """The export for a spreadsheet (R_ORD_03): Dutch headers and values, one rule against formulas."""
    return csvtext.document([header for _, header in EXPORT_COLUMNS],
                            ([dutch_cell(key, row.get(key)) for key in EXPORT_KEYS] for row in rows))


def export_name(date_from: date | None, date_to: date | None, order_days: Sequence[str], today: date) -> str:
    """The file's name says its period: the one asked for, else the order days it holds (R_ORD_03)."""
    first = date_from.isoformat() if date_from else min(order_days, default=None)
    last = date_to.isoformat() if date_to else max(order_days, default=None)
    if first and last:
        return f"bestellijst-{first}-tot-{last}"
    if first or last:
        return f"bestellijst-vanaf-{first}" if first else f"bestellijst-tot-en-met-{last}"
    return f"bestellijst-{today.isoformat()}"
