"""The review invitation (R_REV_01): rendered at send time, so a person who reviewed the course
meanwhile, or whose account is gone, gets nothing."""

from __future__ import annotations

from datetime import date

from pynamodb.exceptions import DoesNotExist

from chalicelib.models import Enrolment, OutboxItem
from chalicelib.platform import mail, outbox
from chalicelib.reviews import use_cases

SUBJECTS = {"review_invitation": "Hoe was uw opleiding? Schrijf een review"}
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


def _day(iso: str) -> str:
    value = date.fromisoformat(iso)
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _invitation(item: OutboxItem) -> outbox.Outgoing | None:
    try:
        enrolment = Enrolment.get(item.refs["enrolment_id"], consistent_read=True)
    except (DoesNotExist, KeyError):
        return None
    if enrolment.anonymised or not enrolment.account_id:
        return None
    if use_cases.has_reviewed(enrolment.course_id, enrolment.account_id):
        return None
    context = {
        "first_name": enrolment.first_name, "course_name": enrolment.course_name or enrolment.course_id,
        "end": _day(enrolment.original_end_day), "link": use_cases.review_link(enrolment.course_id),
    }
    return outbox.Outgoing(mail.render("review_invitation", context, SUBJECTS["review_invitation"]))


# Every template this capability sends through the outbox, and its renderer (wired in chalicelib/wiring.py).
RENDERERS: dict[str, outbox.Renderer] = {"review_invitation": _invitation}
