"""The calendar's e-mails (R_CAL_01-03), rendered at send time from the current data, and the invitation
parts of the enrolment's own mails.

- Every confirming mail carries the invitation (METHOD:REQUEST) while the enrolment is confirmed; every
  cancellation of a confirmed enrolment carries METHOD:CANCEL with the same UID (`with_invitations`
  wraps the enrolment capability's renderers of the templates declared below).
- `execution_changed`: the holder hears what the supplier changed, old and new, with the updated
  invitation; `approval_changed`: the manager of a request still waiting hears it with the request;
  `waiting_changed`: a person on the run's waiting list hears it (no invitation: no seat yet).
- `course_reminder`: 7 days (with the last free-cancellation day while it is ahead and the cancel page)
  and 1 day before the start.
Mails to the form's own address (R_ENR_11) are no disclosure; the manager's are (R_PRV_01).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from chalicelib.calendar import invitations, rules
from chalicelib.enrolment import mails as enrolment_mails
from chalicelib.enrolment import moving_up
from chalicelib.enrolment import rules as enrolment_rules
from chalicelib.enrolment.use_cases import cancellation_outcome, run_facts
from chalicelib.models import Enrolment, Execution, OutboxItem
from chalicelib.platform import mail, outbox
from chalicelib.platform.config import settings

# The mails that confirm an enrolment and so carry its invitation (R_CAL_01): made without approval,
# approved, moved up from the waiting list (R_WAIT_03; one held for the manager's approval gets it with the
# approval, like any other request).
CONFIRMING_TEMPLATES = ("enrolment_received", "enrolment_decided", "waiting_moved_up")
# The mails that end an enrolment; they carry the cancellation when the enrolment had been confirmed
# (the cancelling step says so in the item's refs, `invitation: cancel`).
CANCELLING_TEMPLATES = ("enrolment_cancelled", "execution_cancelled")

SUBJECTS = {
    "execution_changed": "Uw opleiding is gewijzigd",
    "approval_changed": "Gewijzigd: de opleiding waarvoor u om akkoord is gevraagd",
    "waiting_changed": "Gewijzigd: de opleiding waarvoor u op de wachtlijst staat",
    "course_reminder_week": "Over een week begint uw opleiding",
    "course_reminder_day": "Morgen begint uw opleiding",
}


def with_invitations(renderers: Mapping[str, outbox.Renderer]) -> dict[str, outbox.Renderer]:
    """The enrolment capability's renderers, with the invitation added to the mails declared above."""
    wrapped = dict(renderers)
    for name in CONFIRMING_TEMPLATES:
        if name in renderers:
            wrapped[name] = _inviting(renderers[name], _confirmed)
    for name in CANCELLING_TEMPLATES:
        if name in renderers:
            wrapped[name] = _inviting(renderers[name], _cancelled)
    return wrapped


def _confirmed(item: OutboxItem, enrolment: Enrolment) -> str | None:
    return invitations.REQUEST if enrolment.status == "approved" else None


def _cancelled(item: OutboxItem, enrolment: Enrolment) -> str | None:
    return invitations.CANCEL if ref(item, "invitation") == "cancel" else None


def _inviting(render: outbox.Renderer, method_for: Callable[[OutboxItem, Enrolment], str | None]
              ) -> outbox.Renderer:
    def with_part(item: OutboxItem) -> outbox.Outgoing | None:
        outgoing = render(item)
        enrolment = enrolment_mails.enrolment_of(item) if outgoing is not None else None
        method = method_for(item, enrolment) if enrolment is not None else None
        if outgoing is None or enrolment is None or method is None:
            return outgoing
        return replace(outgoing, mail=replace(outgoing.mail, calendar=invitations.part(enrolment, method)))

    return with_part


def ref(item: OutboxItem, name: str) -> str | None:
    """One of the item's refs (a raw map once read back from DynamoDB), or None."""
    try:
        value = item.refs[name]
    except (KeyError, TypeError, AttributeError):
        return None
    return None if value is None else str(value)


def _when(execution: Execution) -> dict[str, Any]:
    start, end = date.fromisoformat(execution.start_day), date.fromisoformat(execution.end_day)
    return {"course_name": execution.course_name or execution.course_id, "start": rules.dutch_day(start),
            "end": rules.dutch_day(end), "start_time": execution.start_time, "end_time": execution.end_time,
            "place": invitations.place(run_facts(execution)) or "(nog niet bekend)",
            "course_url": f"{settings.portal_origin}/opleiding/?id={execution.course_id}"}


def _changes(item: OutboxItem, execution: Execution) -> list[rules.Change]:
    return rules.changes(json.loads(ref(item, "before") or "{}"), run_facts(execution))


def _execution_changed(item: OutboxItem) -> outbox.Outgoing | None:
    """R_CAL_02: what changed since the person last heard, with the updated invitation while confirmed.
    Nothing when it changed back meanwhile, or the enrolment ended."""
    enrolment = enrolment_mails.enrolment_of(item)
    execution = invitations.execution_of(enrolment) if enrolment is not None else None
    if enrolment is None or execution is None or enrolment.status not in enrolment_rules.ACTIVE:
        return None
    changed = _changes(item, execution)
    if not changed:
        return None
    confirmed = enrolment.status == "approved"
    context = {"first_name": enrolment.first_name, "changes": changed, "confirmed": confirmed, **_when(execution)}
    rendered = mail.render("execution_changed", context, SUBJECTS["execution_changed"])
    if confirmed:
        rendered = replace(rendered, calendar=invitations.part(enrolment, invitations.REQUEST))
    return outbox.Outgoing(rendered)


def _approval_changed(item: OutboxItem) -> outbox.Outgoing | None:
    """R_CAL_02: the manager of a request still waiting gets the request again, with what changed."""
    enrolment = enrolment_mails.enrolment_of(item)
    execution = invitations.execution_of(enrolment) if enrolment is not None else None
    if enrolment is None or execution is None or enrolment.status != "pending_approval":
        return None
    changed = _changes(item, execution)
    if not changed:
        return None
    context = {**enrolment_mails.approval_request_context(enrolment), "changes": changed,
               "start": rules.dutch_day(date.fromisoformat(execution.start_day)),
               "end": rules.dutch_day(date.fromisoformat(execution.end_day))}
    return outbox.Outgoing(mail.render("approval_request", context, SUBJECTS["approval_changed"]),
                           enrolment_mails.manager_disclosure(enrolment))


def _waiting_changed(item: OutboxItem) -> outbox.Outgoing | None:
    """R_CAL_02: a person on the waiting list hears what changed; nothing once the place is gone (moved up,
    left, the list closed) or the change was undone."""
    place_id = ref(item, "place_id")
    place = moving_up.place_of(place_id) if place_id else None
    execution = invitations.run_of(place.course_id, place.execution_id) if place is not None else None
    if place is None or execution is None:
        return None
    changed = _changes(item, execution)
    if not changed:
        return None
    context = {"first_name": place.first_name, "changes": changed, "offered": place.status == "offered",
               **_when(execution)}
    return outbox.Outgoing(mail.render("waiting_changed", context, SUBJECTS["waiting_changed"]))


def _course_reminder(item: OutboxItem) -> outbox.Outgoing | None:
    """R_CAL_03: nothing once the enrolment is cancelled or the run gone; the 7-day reminder names the
    last free-cancellation day while it is ahead, and where to cancel."""
    enrolment = enrolment_mails.enrolment_of(item)
    execution = invitations.execution_of(enrolment) if enrolment is not None else None
    if enrolment is None or execution is None or enrolment.status != "approved" or execution.status == "cancelled":
        return None
    kind = str(ref(item, "kind"))
    terms = cancellation_outcome(enrolment)
    context = {
        "first_name": enrolment.first_name, "week": kind == rules.WEEK, **_when(execution),
        "last_free_day": rules.dutch_day(terms.last_free_day) if kind == rules.WEEK and terms.free else None,
        "portal": enrolment.source == "portal",
        "cancel_url": f"{settings.portal_origin}/mijn-inschrijvingen/#inschrijving-{enrolment.enrolment_id}",
    }
    return outbox.Outgoing(mail.render("course_reminder", context, SUBJECTS[f"course_reminder_{kind}"]))


# Every template this capability sends through the outbox, and its renderer (wired in chalicelib/wiring.py).
RENDERERS: dict[str, outbox.Renderer] = {
    "execution_changed": _execution_changed,
    "approval_changed": _approval_changed,
    "waiting_changed": _waiting_changed,
    "course_reminder": _course_reminder,
}
