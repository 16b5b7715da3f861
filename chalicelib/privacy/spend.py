"""The government-wide spend overview for CFB: by organisation, theme, supplier or month, from live and
anonymised enrolments alike (R_ENR_10 keeps exactly what it needs). Read month by month through the
`spend-month-index`, which projects no personal data; never a Scan."""

from __future__ import annotations

from typing import Any

from chalicelib.catalogue.edudex_map import THEME_LABELS
from chalicelib.models import Course, Enrolment, Organisation, Supplier
from chalicelib.platform.errors import InvalidInputError
from chalicelib.privacy import spend_rules
from chalicelib.privacy.schemas import SpendQuery


def _rows(months: list[str]) -> list[spend_rules.SpendRow]:
    rows = []
    for month in months:
        for item in Enrolment.spend_index.query(month):
            rows.append(spend_rules.SpendRow(
                month, item.org_id, item.course_id, item.supplier_id, item.status, int(item.price_cents or 0),
                int(item.penalty_cents or 0), bool(item.anonymised)))
    return rows


def _themes(course_ids: set[str]) -> dict[str, str]:
    return {c.course_id: c.theme for c in Course.batch_get(sorted(course_ids)) if c.theme}


def _names(group: str, keys: set[str]) -> dict[str, str]:
    """What a person reads beside each key: a name, the theme's label from the EDU-DEX theme list, a month."""
    if group == "organisation":
        return {o.org_id: o.name for o in Organisation.batch_get(sorted(keys))}
    if group == "supplier":
        return {s.supplier_id: s.name for s in Supplier.batch_get(sorted(keys))}
    if group == "theme":
        return {key: THEME_LABELS[key] for key in keys if key in THEME_LABELS}
    return {key: spend_rules.month_label(key) for key in keys}


def overview(query: SpendQuery) -> dict[str, Any]:
    if query.to < query.from_:
        raise InvalidInputError(fields={"to": "De eindmaand ligt voor de beginmaand."})
    months = spend_rules.months(query.from_, query.to)
    rows = _rows(months)
    themes = _themes({r.course_id for r in rows}) if query.group == "theme" and rows else {}
    keys = {spend_rules.group_key(r, query.group, themes) for r in rows}
    names = _names(query.group, keys) if keys else {}
    groups = spend_rules.aggregate(rows, query.group, themes, names)
    return {"from": query.from_, "to": query.to, "group": query.group, "months": months, "groups": groups,
            "total_cents": sum(int(str(g["amount_cents"])) for g in groups)}


def overview_csv(query: SpendQuery) -> tuple[str, str]:
    """The file's name (without extension) and its CSV."""
    result = overview(query)
    return spend_rules.csv_name(query.group, query.from_, query.to), spend_rules.to_csv(query.group, result["groups"])
