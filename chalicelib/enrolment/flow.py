"""The life of an enrolment after it is made: the manager decides, someone cancels, a request
expires, a supplier cancels the run (R_ENR_06, R_ENR_08). Every step is one transaction with its
outbox items, conditional on the status it starts from, so a step happens once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.enrolment import rules
from chalicelib.enrolment.use_cases import (
    Caller,
    append_feed_entry,
    cancellation_outcome,
    enrolment_from_token,
    owned,
    view,
)
from chalicelib.models import Enrolment, EnrolmentGuard, Execution, OutboxItem, Supplier
from chalicelib.orders import rules as order_rules
from chalicelib.platform import clock, eventlog, faults, outbox
from chalicelib.platform.config import settings
from chalicelib.platform.errors import ConflictError
from chalicelib.suppliers import use_cases as suppliers

MAX_RETRIES = 5


@dataclass
class Step:
    """One change of status with everything that goes with it."""

    enrolment: Enrolment
    status: str
    release_seat: bool
    actions: list[Any] = field(default_factory=list)
    mails: list[OutboxItem] = field(default_factory=list)
    feed_event: str | None = None


def decide(token: str, decision: str) -> dict[str, Any]:
    """The manager approves or rejects, once (a conditional update from pending)."""
    enrolment = enrolment_from_token(token)
    if enrolment.status != "pending_approval":
        raise ConflictError("Over deze aanvraag is al beslist.", code="already_decided")
    supplier = suppliers.for_delivery(enrolment.supplier_id)
    approve = decision == "approve"
    step = Step(enrolment, "approved" if approve else "rejected", release_seat=not approve,
                actions=[Enrolment.decided_at.set(clock.now()), Enrolment.due_approval.remove()])
    if approve:
        step.actions += _order_list_mark(enrolment)
    refs = {"enrolment_id": enrolment.enrolment_id}
    step.mails.append(outbox.new_item("enrolment_decided", enrolment.email, refs))
    if approve and supplier.delivery == "email":
        step.mails.append(outbox.new_item("supplier_enrolment", supplier.contact_email, refs))
    if approve and supplier.delivery == "feed":
        step.feed_event = "enrolment"
    _apply(step, supplier)
    faults.after_commit("approval log", lambda: eventlog.record(
        eventlog.EventKind.APPROVAL, enrolment_id=enrolment.enrolment_id, outcome=step.status))
    return {"status": step.status}


def cancel(enrolment_id: str, caller: Caller) -> dict[str, Any]:
    """The holder (portal) or the LMS cancels; the terms snapshot decides what it costs."""
    enrolment = owned(enrolment_id, caller)
    if enrolment.status not in rules.ACTIVE:
        raise ConflictError("Deze inschrijving is al geannuleerd of afgewezen.", code="not_active")
    return view(_cancel(enrolment, by=caller.kind if caller.kind == "lms" else "employee"))


def _cancel(enrolment: Enrolment, by: str) -> Enrolment:
    supplier = suppliers.for_delivery(enrolment.supplier_id)
    told_supplier = enrolment.status == "approved"
    outcome = cancellation_outcome(enrolment)
    penalty = outcome.penalty_cents if told_supplier and by in ("employee", "lms") else 0
    step = Step(enrolment, "cancelled", release_seat=True, actions=[
        Enrolment.cancelled_at.set(clock.now()), Enrolment.cancelled_by.set(by),
        Enrolment.penalty_cents.set(penalty), Enrolment.due_approval.remove(),
        *_order_list_mark(enrolment),
    ])
    refs = {"enrolment_id": enrolment.enrolment_id}
    holder_refs = refs
    if told_supplier:  # R_CAL_01: the confirmed enrolment's calendar entry is cancelled, one SEQUENCE on
        step.actions.append(Enrolment.calendar_sequence.add(1))
        holder_refs = {**refs, "invitation": "cancel"}
    step.mails.append(outbox.new_item("execution_cancelled" if by == "supplier" else "enrolment_cancelled",
                                      enrolment.email, holder_refs))
    if by == "supplier" and enrolment.status == "pending_approval" and enrolment.manager_email:
        step.mails.append(outbox.new_item("manager_cancellation", enrolment.manager_email, refs))  # R_CAL_02
    if told_supplier and by != "supplier":
        if supplier.delivery == "email":
            step.mails.append(outbox.new_item("supplier_cancellation", supplier.contact_email, refs))
        else:
            step.feed_event = "cancellation"
        if enrolment.manager_email and enrolment.decided_at:
            step.mails.append(outbox.new_item("manager_cancellation", enrolment.manager_email, refs))
    _apply(step, supplier)
    faults.after_commit("cancellation log", lambda: eventlog.record(
        eventlog.EventKind.CANCELLATION, enrolment_id=enrolment.enrolment_id, reason=by,
        outcome="free" if penalty == 0 else "penalty"))
    return step.enrolment


def _order_list_mark(enrolment: Enrolment) -> list[Any]:
    """R_ORD_04, R_ENR_08: a change on or after the start day may come after the order-list job read
    the run, so it is marked (sparse `due-order-index`, same transaction) for the job's next run."""
    if order_rules.needs_second_look(enrolment.start_day, clock.today()):
        return [Enrolment.due_order.set("due")]
    return []


def _apply(step: Step, supplier: Supplier) -> None:
    """Commit the step. A conflict (a concurrent transaction, the feed sequence moved on) is retried
    with jittered backoff a bounded number of times, then 409 `busy`; a transient fault (throttling,
    a 5xx, a timeout) is a 503 at once; a changed enrolment is a 409 `changed`. Once committed, the
    answer is the commit: sending and re-reading can fail without changing it (R_SEC_03)."""
    for attempt in range(MAX_RETRIES):
        try:
            _commit(step, supplier)
        except TransactWriteError as err:
            kind = faults.classify(err)
            if kind is faults.Fault.TRANSIENT:
                raise faults.unavailable(err, where="enrolment flow") from err
            reasons = faults.reasons(err)
            if len(reasons) > _enrolment_index(step) and reasons[_enrolment_index(step)] == "ConditionalCheckFailed":
                raise ConflictError("Deze inschrijving is intussen gewijzigd; laad de pagina opnieuw.",
                                    code="changed") from None
            if kind is not faults.Fault.CONFLICT:
                raise
            faults.backoff(attempt)
            if step.feed_event:
                supplier = Supplier.get(supplier.supplier_id, consistent_read=True)  # the feed moved on
            continue
        _reread(step)
        outbox.deliver_all(step.mails, known=[step.enrolment, supplier])
        return
    raise faults.busy()


def _reread(step: Step) -> None:
    """The enrolment as the transaction left it (view and mails); when even that read fails, the
    status and version the transaction set, so the answer still tells the truth."""
    enrolment = step.enrolment
    before = int(enrolment.version)
    if not faults.after_commit("enrolment reread", lambda: enrolment.refresh(consistent_read=True)):
        enrolment.status, enrolment.version = step.status, before + 1


def _enrolment_index(step: Step) -> int:
    """Where the enrolment's update stands among the cancellation reasons. PynamoDB sends a transaction's
    deletes, puts and updates in that order, whatever order `_commit` adds them in: the enrolment's update
    follows the guard's deletion, the mails and the feed entry."""
    released_guard = 1 if step.release_seat and step.enrolment.guard_id else 0
    return released_guard + len(step.mails) + (1 if step.feed_event else 0)


def _commit(step: Step, supplier: Supplier) -> None:
    enrolment = step.enrolment
    with TransactWrite(connection=Connection(region=settings.region)) as transaction:
        transaction.update(
            enrolment,
            actions=[Enrolment.status.set(step.status), Enrolment.version.add(1), *step.actions],
            condition=(Enrolment.status == enrolment.status) & (Enrolment.version == enrolment.version),
        )
        if step.release_seat:
            if enrolment.guard_id:
                transaction.delete(EnrolmentGuard(enrolment.guard_id))
            transaction.update(Execution(enrolment.course_id, enrolment.execution_id),
                               actions=[Execution.seats_taken.add(-1)], condition=Execution.seats_taken > 0)
        for item in step.mails:
            transaction.save(item)
        if step.feed_event:
            append_feed_entry(transaction, supplier, enrolment.enrolment_id, step.feed_event)


# --- jobs ------------------------------------------------------------------------------------------


def expire_due_approvals() -> dict[str, int]:
    """Requests undecided past their day expire: the seat is released and the employee and the manager told."""
    now_day = clock.today().isoformat()
    expired = 0
    for key in Enrolment.approval_index.query("pending", Enrolment.approval_expires_day < now_day):
        try:
            enrolment = Enrolment.get(key.enrolment_id, consistent_read=True)
        except DoesNotExist:
            continue
        if enrolment.status != "pending_approval":
            continue
        step = Step(enrolment, "expired", release_seat=True, actions=[Enrolment.due_approval.remove()])
        step.mails.append(outbox.new_item("approval_expired", enrolment.email,
                                          {"enrolment_id": enrolment.enrolment_id}))
        if enrolment.manager_email:  # R_CAL_04: the manager is told too
            step.mails.append(outbox.new_item("approval_expired_manager", enrolment.manager_email,
                                              {"enrolment_id": enrolment.enrolment_id}))
        try:
            _apply(step, suppliers.for_delivery(enrolment.supplier_id))
            expired += 1
        except ConflictError:
            continue  # decided meanwhile
    return {"count": expired}


def notify_supplier_cancellations() -> dict[str, int]:
    """A run the supplier cancelled: cancel every active enrolment on it, free, and tell each person."""
    cancelled = 0
    for key in Execution.notify_index.query("due"):
        execution_key = f"{key.course_id}#{key.execution_id}"
        left_over = 0
        for found in Enrolment.execution_index.query(execution_key):
            try:
                enrolment = Enrolment.get(found.enrolment_id, consistent_read=True)
            except DoesNotExist:
                continue
            if enrolment.status in rules.ACTIVE:
                try:
                    _cancel(enrolment, by="supplier")
                    cancelled += 1
                except ConflictError:
                    left_over += 1  # changed meanwhile: the next run looks at this run again
        if not left_over:
            Execution(key.course_id, key.execution_id).update(actions=[Execution.due_notify.remove()])
    return {"count": cancelled}
