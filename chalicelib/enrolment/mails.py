"""E-mails about enrolments, rendered at send time from the current data (R_ENR_06-08, R_ENR_11).

The manager's mail holds only the employee's name and business e-mail and the course (R_ENR_06);
the supplier's mail holds the R_ENR_02 form fields and the identifiers of course and execution
(R_ENR_07, R_SUP_02), and nothing else personal. Every mail to a third party (the manager's
request and cancellation notice, the supplier's enrolment and cancellation) names the fields it
carries, and the outbox writes that ledger row once the mail has gone (R_PRV_01). Mails to the
employee's own form address (R_ENR_11) are no disclosure and write no row.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.enrolment import rules
from chalicelib.enrolment.use_cases import APPROVE_CHOICE, REJECT_CHOICE, approval_link, filled_form_fields
from chalicelib.models import Course, Enrolment, OutboxItem, Supplier
from chalicelib.platform import dutchtext, mail, outbox

SUBJECTS = {
    "enrolment_received": "Uw inschrijving bij Leer-Rijk",
    "approval_request": "Verzoek om akkoord voor een opleiding",
    "supplier_enrolment": "Nieuwe inschrijving via Leer-Rijk",
    "supplier_cancellation": "Annulering via Leer-Rijk",
    "enrolment_decided": "Besluit over uw inschrijving",
    "approval_expired": "Uw aanvraag is vervallen",
    "enrolment_cancelled": "Uw inschrijving is geannuleerd",
    "manager_cancellation": "Een inschrijving is geannuleerd",
    "execution_cancelled": "Uw opleiding gaat niet door",
    "approval_reminder": "Herinnering: verzoek om akkoord voor een opleiding",
    "approval_expired_manager": "Een aanvraag om akkoord is vervallen",
}

FIELD_LABELS = {
    "first_name": "Voornaam", "last_name": "Achternaam", "email": "E-mailadres",
    "organisation_name": "Organisatie", "phone": "Telefoonnummer", "gender": "Geslacht",
    "initials": "Voorletters", "title_before": "Titel voor de naam", "title_after": "Titel na de naam",
    "job_function": "Functie", "salary_scale": "Salarisschaal", "department_name": "Afdeling",
}


euro = dutchtext.euro


def enrolment_of(item: OutboxItem) -> Enrolment | None:
    """The enrolment as the request just wrote it (handed to the outbox), else read fresh."""
    try:
        enrolment = outbox.preloaded(Enrolment, item.refs["enrolment_id"]) or \
            Enrolment.get(item.refs["enrolment_id"], consistent_read=True)
    except (DoesNotExist, KeyError):
        return None
    return None if enrolment.anonymised else enrolment


def _supplier(supplier_id: str) -> Supplier:
    return outbox.preloaded(Supplier, supplier_id) or Supplier.get(supplier_id)


@lru_cache(maxsize=4096)
def _program_id(course_id: str) -> str:
    """A course id is derived from supplier and program (catalogue.course_id_for): it never changes."""
    return str(Course.get(course_id, attributes_to_get=["course_id", "program_id"]).program_id)


def _course_context(enrolment: Enrolment) -> dict[str, Any]:
    last_free = rules.last_free_cancellation_day(date.fromisoformat(enrolment.start_day),
                                                 int(enrolment.cancellation_free_days))
    return {
        "course_name": enrolment.course_name or enrolment.course_id, "start": _day(enrolment.start_day),
        "end": _day(enrolment.original_end_day), "price": euro(int(enrolment.price_cents)),
        "place": place_text(enrolment.place), "last_free_day": _day(last_free.isoformat()),
        "free_course": int(enrolment.price_cents) == 0,
    }


def place_text(place: str | None) -> str | None:
    """Where the run is: its city, or "online"."""
    return "Online" if place == "online" else place


def _day(iso: str) -> str:
    return dutchtext.long_date(date.fromisoformat(iso))


def _employee_mail(template: str, **extra: Any) -> outbox.Renderer:
    def render(item: OutboxItem) -> outbox.Outgoing | None:
        enrolment = enrolment_of(item)
        if enrolment is None:
            return None
        context = {"first_name": enrolment.first_name, **_course_context(enrolment), **extra,
                   "pending": enrolment.status == "pending_approval", "approved": enrolment.status == "approved",
                   "penalty": euro(int(enrolment.penalty_cents)) if enrolment.penalty_cents else None}
        return outbox.Outgoing(_render(template, context))

    return render


def approval_request_context(enrolment: Enrolment) -> dict[str, Any]:
    """The manager's request (R_ENR_06); its reminder (R_CAL_04) and a change notice about its run
    (R_CAL_02) are the same mail with `reminder` or `changes` set."""
    return {
        "employee_name": f"{enrolment.first_name} {enrolment.last_name}",
        "employee_email": enrolment.business_email or enrolment.email,
        "approve_link": approval_link(enrolment, APPROVE_CHOICE),
        "reject_link": approval_link(enrolment, REJECT_CHOICE),
        "expires": _day(enrolment.approval_expires_day or enrolment.start_day),
        **_course_context(enrolment), "reminder": False, "changes": [],
    }


def manager_disclosure(enrolment: Enrolment) -> outbox.Disclosed:
    return outbox.Disclosed.about(enrolment, "manager", enrolment.org_id, rules.MANAGER_FIELDS)


def _approval_mail(subject_of: str, **extra: Any) -> outbox.Renderer:
    def render(item: OutboxItem) -> outbox.Outgoing | None:
        enrolment = enrolment_of(item)
        if enrolment is None or enrolment.status != "pending_approval":
            return None
        context = {**approval_request_context(enrolment), **extra}
        return outbox.Outgoing(mail.render("approval_request", context, SUBJECTS[subject_of]),
                               manager_disclosure(enrolment))

    return render


def _manager_notice(template: str) -> outbox.Renderer:
    """The manager hears that an enrolment ended: cancelled (by the employee, or the supplier cancelled the
    run of a request still waiting, R_CAL_02), or the request expired (R_CAL_04)."""
    def render(item: OutboxItem) -> outbox.Outgoing | None:
        enrolment = enrolment_of(item)
        if enrolment is None:
            return None
        context = {"employee_name": f"{enrolment.first_name} {enrolment.last_name}", **_course_context(enrolment),
                   "by_supplier": enrolment.cancelled_by == "supplier"}
        disclosed = outbox.Disclosed.about(enrolment, "manager", enrolment.org_id, rules.MANAGER_CANCELLATION_FIELDS)
        return outbox.Outgoing(_render(template, context), disclosed)

    return render


def supplier_fields(enrolment: Enrolment, program_id: str) -> list[tuple[str, str]]:
    """The form fields that were filled in, then the identifiers (R_SUP_02)."""
    fields = [(FIELD_LABELS[name], str(getattr(enrolment, name))) for name in rules.FORM_FIELDS
              if getattr(enrolment, name)]
    return [
        *fields,
        ("Programma (uw id)", program_id), ("Uitvoering (uw id)", enrolment.execution_id),
        ("Leer-Rijk inschrijving", enrolment.enrolment_id), ("Leer-Rijk opleiding", enrolment.course_id),
        ("Datum", _day(enrolment.start_day)),
    ]


def _supplier_mail(template: str, cancellation: bool) -> outbox.Renderer:
    def render(item: OutboxItem) -> outbox.Outgoing | None:
        enrolment = enrolment_of(item)
        if enrolment is None:
            return None
        supplier = _supplier(enrolment.supplier_id)
        program_id = _program_id(enrolment.course_id)
        context = {"supplier_name": supplier.name, "cancellation": cancellation,
                   "fields": supplier_fields(enrolment, program_id)}
        disclosed = outbox.Disclosed.about(enrolment, "supplier", enrolment.supplier_id, filled_form_fields(enrolment))
        return outbox.Outgoing(_render(template, context), disclosed)

    return render


def _render(template: str, context: dict[str, Any]) -> mail.RenderedMail:
    return mail.render(template, context, SUBJECTS[template])


# Every template this capability sends through the outbox, and its renderer (wired in chalicelib/wiring.py).
RENDERERS: dict[str, outbox.Renderer] = {
    **{name: _employee_mail(name) for name in ("enrolment_received", "enrolment_decided", "approval_expired",
                                               "enrolment_cancelled", "execution_cancelled")},
    "approval_request": _approval_mail("approval_request"),
    "approval_reminder": _approval_mail("approval_reminder", reminder=True),
    "manager_cancellation": _manager_notice("manager_cancellation"),
    "approval_expired_manager": _manager_notice("approval_expired_manager"),
    "supplier_enrolment": _supplier_mail("supplier_enrolment", cancellation=False),
    "supplier_cancellation": _supplier_mail("supplier_cancellation", cancellation=True),
}
