"""The manager's reminder while an approval waits (R_CAL_04): the hourly job.

A request not decided gets one reminder on the 3rd working day after the manager was asked (Dutch
public holidays are not working days), from 07:00 Amsterdam time. The sparse `approval-reminder-index`
holds the requests still pending and not yet reminded, keyed by the day the manager was asked, so the
job reads only those due. The reminder is claimed by one conditional write (the request still pending,
its asked day as read) that drops it from the index, in the same transaction as its outbox item: it is
sent once. The expiry at the decide-by day is the enrolment's own job (`expire_approvals`), which now
tells the manager too.
"""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.calendar import rules
from chalicelib.models import Enrolment
from chalicelib.platform import clock, faults, outbox, transactions

PENDING = "pending"  # `due_approval` of a request waiting for its manager


def remind_approvals() -> dict[str, int]:
    day = rules.reminder_day(clock.now().astimezone(clock.AMSTERDAM))
    asked_by = rules.last_asked_day_due(day).isoformat()
    sent = 0
    for key in Enrolment.approval_reminder_index.query(PENDING, Enrolment.approval_asked_day <= asked_by):
        try:
            enrolment = Enrolment.get(key.enrolment_id, consistent_read=True)
        except DoesNotExist:
            continue
        if enrolment.status == "pending_approval" and enrolment.approval_asked_day and enrolment.manager_email:
            sent += _remind(enrolment)
    return {"count": sent}


def _remind(enrolment: Enrolment) -> int:
    item = outbox.new_item("approval_reminder", enrolment.manager_email, {"enrolment_id": enrolment.enrolment_id})
    try:
        with TransactWrite(connection=transactions.connection()) as transaction:
            transaction.update(enrolment, actions=[
                Enrolment.approval_asked_day.remove(), Enrolment.approval_reminded_at.set(clock.now()),
            ], condition=(Enrolment.status == "pending_approval")
                & (Enrolment.approval_asked_day == enrolment.approval_asked_day))
            transaction.save(item)
    except TransactWriteError as err:
        if faults.classify(err) is faults.Fault.CONFLICT:
            return 0  # decided, cancelled or reminded meanwhile, or in another writer's way: the next run looks
        raise
    outbox.deliver_all([item], known=[enrolment])
    return 1
