"""Pure rules of the spend overview: what an enrolment costs, grouping, CSV cells. No I/O, no clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.platform import csvtext
from chalicelib.privacy.clock_rules import next_month

MAX_MONTHS = 60
SPENDING = frozenset({"approved"})  # an approved enrolment becomes an order (R_ORD_01)
GROUPS = {"organisation": "organisatie", "theme": "thema", "supplier": "leverancier", "month": "maand"}
CSV_HEADER = ("Indeling", "Code", "Naam", "Bedrag (euro)", "Inschrijvingen", "Waarvan geanonimiseerd")
MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
               "oktober", "november", "december")
@dataclass(frozen=True)
class SpendRow:
    """One enrolment as the spend overview sees it: no personal data."""

    month: str
    org_id: str
    course_id: str
    supplier_id: str
    status: str
    price_cents: int
    penalty_cents: int
    anonymised: bool


def amount_cents(row: SpendRow) -> int:
    """An approved enrolment costs its price; a late cancellation its penalty (R_ENR_08); the rest nothing."""
    if row.status in SPENDING:
        return row.price_cents
    return row.penalty_cents if row.status == "cancelled" else 0


def months(first: str, last: str) -> list[str]:
    found: list[str] = []
    month = first
    while month <= last and len(found) < MAX_MONTHS:
        found.append(month)
        month = next_month(month)
    return found


def group_key(row: SpendRow, group: str, themes: dict[str, str]) -> str:
    if group == "organisation":
        return row.org_id
    if group == "supplier":
        return row.supplier_id
    if group == "theme":
        return themes.get(row.course_id) or "(geen thema)"
    return row.month


def aggregate(rows: Iterable[SpendRow], group: str, themes: dict[str, str],
              names: dict[str, str]) -> list[dict[str, object]]:
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        amount = amount_cents(row)
        if amount == 0:
            continue
        bucket = totals.setdefault(group_key(row, group, themes), {"amount_cents": 0, "count": 0, "anonymised": 0})
        bucket["amount_cents"] += amount
        bucket["count"] += 1
        bucket["anonymised"] += int(row.anonymised)
    ordered = sorted(totals.items(), key=lambda kv: kv[0] if group == "month" else (-kv[1]["amount_cents"], kv[0]))
    return [{"key": key, "label": names.get(key, key), **values} for key, values in ordered]


def month_label(month: str) -> str:
    """"2026-12" → "december 2026"."""
    year, number = month.split("-")
    return f"{MONTH_NAMES[int(number) - 1]} {year}"


def to_csv(group: str, rows: list[dict[str, object]]) -> str:
    """Dutch headers and words, one rule against formulas (platform/csvtext.py)."""
    return csvtext.document(CSV_HEADER, ([GROUPS[group], row["key"], row["label"],
                                          csvtext.euros(int(str(row["amount_cents"]))), row["count"],
                                          row["anonymised"]] for row in rows))


def csv_name(group: str, first: str, last: str) -> str:
    return f"uitgaven-per-{GROUPS[group]}-{first}-tot-{last}"
