"""The data download as a page a person can read (R_ACC_09, issue 28), beside the JSON for machines.

Built from the same export (`rights.export`) and the register's labels (`register.LABELS`): per table a
section with the labelled fields of each item, values in Dutch (dates in words, amounts in euros, statuses
and recipients named), and no table names, ids, search keys or epoch times. A field without a label is
in the JSON only. Rendered with Jinja2's autoescape, so nothing from the data becomes markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.models import Course, Organisation
from chalicelib.platform import dutchtext
from chalicelib.privacy.register import LABELS, TABLE_LABELS

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "privacy"
FILE_NAME = "leer-rijk-mijn-gegevens.html"
# Technical references: in the JSON, not in the page.
NOT_SHOWN = frozenset({"account_id"})
# Tables described in one sentence instead of item by item.
DESCRIBED = {
    "AccountSearchKey": "Zodat de beheerders van uw organisatie en CFB u kunnen vinden, bewaren wij {count} "
                        "zoekwoorden uit uw naam en e-mailadres. Ze veranderen mee als u uw naam of adres wijzigt.",
}
STATUSES = {
    "pending_approval": "wacht op akkoord van uw leidinggevende", "approved": "ingeschreven",
    "rejected": "afgewezen door uw leidinggevende", "expired": "vervallen", "cancelled": "geannuleerd",
    "open": "nog te bestellen", "ordered": "besteld", "withdrawn": "vervallen", "active": "actief",
    "disabled": "uitgeschakeld", "waiting": "op de wachtlijst", "offered": "er is u een plaats aangeboden",
}
RECIPIENTS = {"manager": "uw leidinggevende", "supplier": "de aanbieder van de opleiding",
              "order_authorised": "de bestelgemachtigden van uw organisatie", "lms": "het LMS van uw organisatie"}
CHANNELS = {"email": "per e-mail", "feed": "via de XML-koppeling van de aanbieder", "order_list": "op de bestellijst"}
ROLES = {"local_admin": "lokaal beheerder", "cfb": "Centraal Functioneel Beheer",
         "order_authorised": "bestelgemachtigde", "ops": "IT-beheer", "employee": "medewerker"}
AMOUNTS = frozenset({"price_cents", "penalty_cents"})
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass
class Item:
    title: str | None
    rows: list[tuple[str, str]]


@dataclass
class Section:
    title: str
    text: str | None = None
    items: list[Item] = field(default_factory=list)


def summary_html(document: Mapping[str, Any]) -> str:
    return str(_template().render(sections=sections(document, _names(document)),
                              generated=_value("", "", document["generated_at"], {}),
                              version=document["privacy_statement_version"],
                              contact=document["controller_contact"], email=document["subject"]["email"]))


def sections(document: Mapping[str, Any], names: Mapping[str, str]) -> list[Section]:
    found = []
    for table, items in document["data"].items():
        title = TABLE_LABELS.get(table, "Overige gegevens")
        if table in DESCRIBED:
            found.append(Section(title, DESCRIBED[table].format(count=len(items))))
            continue
        found.append(Section(title, items=[_item(table, item, names) for item in items]))
    return found


def _item(table: str, item: Mapping[str, Any], names: Mapping[str, str]) -> Item:
    values = {**item["context"], **item["personal"]}
    rows = []
    for name, label in LABELS.get(table, {}).items():
        shown = _value(table, name, values.get(name), names) if name not in NOT_SHOWN else ""
        if shown:
            rows.append((label, shown))
    title = values.get("course_name") if table in ("Enrolment", "WaitingPlace", "OrderLine") else None
    return Item(str(title) if title else None, rows)


def _value(table: str, name: str, value: Any, names: Mapping[str, str]) -> str:
    """A stored value as a Dutch reader would write it; empty for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if name in AMOUNTS:
        return dutchtext.euro(int(value))
    special = _named(table, name, value, names)
    if special is not None:
        return special
    if isinstance(value, list | set | tuple):
        return ", ".join(part for part in (_value(table, name, v, names) for v in value) if part)
    if isinstance(value, dict):
        return "staat in het JSON-bestand"
    return _text(str(value))


def _named(table: str, name: str, value: Any, names: Mapping[str, str]) -> str | None:
    if name == "status":
        return STATUSES.get(str(value), str(value))
    if name == "recipient_kind":
        return RECIPIENTS.get(str(value), str(value))
    if name == "channel":
        return CHANNELS.get(str(value), str(value))
    if name in ("org_id", "course_id") and isinstance(value, str):
        return names.get(value, value)
    if name == "roles" and isinstance(value, list):
        return "; ".join(_role(grant, names) for grant in value) or "medewerker"
    if name == "fields" and isinstance(value, list | set | tuple):
        return ", ".join(LABELS["Enrolment"].get(str(v), str(v)).lower() for v in sorted(value))
    if name == "assurance_level":
        return "ja" if int(value) >= 2 else "nee"
    if name == "rating":
        return f"{int(value)} van 5"
    return None


def _role(grant: Any, names: Mapping[str, str]) -> str:
    if not isinstance(grant, dict):
        return str(grant)
    label = ROLES.get(str(grant.get("role")), str(grant.get("role")))
    org = grant.get("org_id")
    return f"{label} ({names.get(org, org)})" if org else label


def _text(value: str) -> str:
    if _MOMENT.match(value):
        return dutchtext.long_moment(datetime.fromisoformat(value))
    if _DAY.match(value):
        return dutchtext.long_date(date.fromisoformat(value))
    if _MONTH.match(value):
        return dutchtext.month(value)
    return value


def _names(document: Mapping[str, Any]) -> dict[str, str]:
    """Organisation and course names for the ids the export holds (one GetItem each)."""
    data = document["data"]
    accounts = [item["personal"] for item in data.get("Account", [])]
    orgs = {str(account["org_id"]) for account in accounts if account.get("org_id")}
    orgs |= {str(grant["org_id"]) for account in accounts for grant in account.get("roles") or []
             if isinstance(grant, dict) and grant.get("org_id")}
    courses = {str(item["context"]["course_id"]) for item in data.get("Review", []) if item["context"].get("course_id")}
    names: dict[str, str] = {}
    for org_id in orgs:
        try:
            names[org_id] = Organisation.get(org_id).name
        except DoesNotExist:
            continue
    for course_id in courses:
        try:
            names[course_id] = Course.get(course_id).name
        except DoesNotExist:
            continue
    return names


@cache
def _template() -> Any:
    import jinja2

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True,
                                     undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return environment.get_template("summary.html")
