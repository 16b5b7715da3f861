"""0010: every request still waiting for its manager carries `approval_asked_day`, the key of the sparse
`approval-reminder-index` from which the manager's reminder is sent after 3 working days (R_CAL_04, issue
25). Requests made before had none, so their managers would never be reminded. The day is the Amsterdam
day the request was made (`created_at`), as the code writes it now; a request reminded meanwhile (it has
`approval_reminded_at`) or no longer pending is left alone: the write is conditional on both."""

from __future__ import annotations

from chalicelib.migrations.step import Migration, amsterdam_day
from chalicelib.models import Enrolment

PENDING = "pending"


def _pending(enrolment: Enrolment) -> bool:
    return (enrolment.due_approval == PENDING and enrolment.approval_asked_day is None
            and enrolment.approval_reminded_at is None)


def _migrate(enrolment: Enrolment) -> None:
    enrolment.update(actions=[Enrolment.approval_asked_day.set(amsterdam_day(enrolment.created_at))], condition=(
        Enrolment.enrolment_id.exists() & (Enrolment.due_approval == PENDING)
        & Enrolment.approval_asked_day.does_not_exist() & Enrolment.approval_reminded_at.does_not_exist()
        & (Enrolment.created_at == enrolment.created_at)))


MIGRATION = Migration("0010-enrolment-approval-asked-day", Enrolment,
                      "wachtende aanvragen krijgen approval_asked_day: de leidinggevende krijgt na 3 werkdagen "
                      "een herinnering (R_CAL_04)", _pending, _migrate)
