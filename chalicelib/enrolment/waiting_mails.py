"""E-mails about waiting places (R_WAIT_01-03), rendered at send time.

All go to the address on the form (R_ENR_11), so none is a disclosure to a third party and none writes a
ledger row; moving up writes the enrolment's own mails (the manager's request, the supplier's enrolment),
which do. A mail about a place that is deleted in the same transaction (skipped, offer expired, list
closed) is rendered from its references alone: the course and the date, never a personal datum, so
nothing of the place outlives it. The mail that confirms a moved-up enrolment (`waiting_moved_up`) carries
the enrolment's id like every enrolment mail.
"""

from __future__ import annotations

from typing import Any

from chalicelib.enrolment import moving_up, use_cases, waiting
from chalicelib.enrolment.mails import _course_context, _day, enrolment_of, euro
from chalicelib.models import OutboxItem, WaitingPlace, plain
from chalicelib.platform import clock, mail, outbox

SUBJECTS = {
    "waiting_joined": "U staat op de wachtlijst",
    "waiting_moved_up": "Er is een plaats voor u vrijgekomen",
    "waiting_offer": "Er is een plaats voor u: reageer binnen 24 uur",
    "waiting_offer_expired": "Het aanbod voor een plaats is verlopen",
    "waiting_skipped": "U staat niet meer op de wachtlijst",
    "waiting_closed": "De wachtlijst is gesloten",
}

SKIP_REASONS = {
    "salary_scale": "de opleiding is nu alleen voor andere salarisschalen dan de uwe",
    "visibility": "de opleiding is niet meer beschikbaar voor uw organisatie",
    "account": "uw account bestaat niet meer",
    "approval": "uw organisatie vraagt nu akkoord van een leidinggevende, en uw aanmelding noemt er geen",
}


def _place(item: OutboxItem) -> WaitingPlace | None:
    """The place the mail is about, as the request just wrote it or as stored now."""
    try:
        place_id = str(item.refs["place_id"])
    except (KeyError, TypeError):
        return None
    return moving_up.place_of(place_id)


def _joined(item: OutboxItem) -> outbox.Outgoing | None:
    place = _place(item)
    if place is None or place.status != "waiting":
        return None  # moved up or gone before this mail went: the later mail says what happened
    return outbox.Outgoing(_render("waiting_joined", {
        "first_name": place.first_name, "course_name": place.course_name or place.course_id,
        "start": _day(place.start_day), "position": str(plain(item.refs).get("position") or ""),
    }))


def _offer(item: OutboxItem) -> outbox.Outgoing | None:
    place = _place(item)
    if place is None or place.status != "offered" or place.offer_expires_at is None:
        return None
    execution = use_cases.stored_run(place.course_id, place.execution_id)
    if execution is None:
        return None
    expires = place.offer_expires_at.astimezone(clock.AMSTERDAM)
    return outbox.Outgoing(_render("waiting_offer", {
        "first_name": place.first_name, "course_name": place.course_name or place.course_id,
        "start": _day(execution.start_day), "end": _day(execution.end_day), "price": euro(int(execution.price_cents)),
        "expires": f"{_day(expires.date().isoformat())} om {expires:%H:%M} uur", "link": waiting.offer_link(place),
        "pending": bool(place.manager_email),
    }))


def _moved_up(item: OutboxItem) -> outbox.Outgoing | None:
    enrolment = enrolment_of(item)
    if enrolment is None:
        return None
    context = {"first_name": enrolment.first_name, **_course_context(enrolment),
               "pending": enrolment.status == "pending_approval", "approved": enrolment.status == "approved",
               "late": not use_cases.cancellation_outcome(enrolment).free}
    return outbox.Outgoing(_render("waiting_moved_up", context))


def _removed(template: str) -> outbox.Renderer:
    def render(item: OutboxItem) -> outbox.Outgoing | None:
        refs = plain(item.refs)
        start = str(refs.get("start_day") or "")
        reason = str(refs.get("reason") or "")
        return outbox.Outgoing(_render(template, {
            "course_name": str(refs.get("course_name") or refs.get("course_id") or ""),
            "start": _day(start) if start else "", "reason": SKIP_REASONS.get(reason, ""),
            "cancelled": reason == "cancelled", "course_id": str(refs.get("course_id") or ""),
        }))

    return render


def _render(template: str, context: dict[str, Any]) -> mail.RenderedMail:
    return mail.render(template, context, SUBJECTS[template])


# Every template of the waiting list and its renderer (wired in chalicelib/wiring.py).
RENDERERS: dict[str, outbox.Renderer] = {
    "waiting_joined": _joined,
    "waiting_offer": _offer,
    "waiting_moved_up": _moved_up,
    **{name: _removed(name) for name in ("waiting_offer_expired", "waiting_skipped", "waiting_closed")},
}
