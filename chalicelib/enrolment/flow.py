"""The life of an enrolment after it is made: the manager decides, someone cancels, a request
expires, a supplier cancels the run (R_ENR_06, R_ENR_08). Every step is one transaction with its
outbox items, conditional on the status it starts from, so a step happens once; a step that frees a
seat fills it from the waiting list in that same transaction (R_WAIT_02, `moving_up`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.enrolment import moving_up, rules, waiting
from chalicelib.enrolment.use_cases import (
    Caller,
    cancellation_outcome,
    enrolment_from_token,
    owned,
    view,
)
from chalicelib.models import Enrolment, EnrolmentGuard, Execution, OutboxItem, Supplier
from chalicelib.orders import rules as order_rules
from chalicelib.platform import clock, eventlog, outbox
from chalicelib.platform.errors import ConflictError, NotFoundError
from chalicelib.platform.transactions import Transaction
from chalicelib.suppliers import use_cases as suppliers

MAX_RETRIES = 5


@dataclass
class Step:
    """One change of status with everything that goes with it. `changes` are the enrolment's attributes
    as the step sets them (None removes one): the transaction writes them and, once committed, the
    enrolment in memory is brought to the same state, so nothing is read again (views, mails)."""

    enrolment: Enrolment
    status: str
    release_seat: bool
    changes: dict[str, Any] = field(default_factory=dict)
    mails: list[OutboxItem] = field(default_factory=list)
    feed_event: str | None = None

    def actions(self) -> list[Any]:
        return [getattr(Enrolment, name).remove() if value is None else getattr(Enrolment, name).set(value)
                for name, value in self.changes.items()]

    def committed(self) -> None:
        enrolment = self.enrolment
        enrolment.status, enrolment.version = self.status, int(enrolment.version) + 1
        for name, value in self.changes.items():
            setattr(enrolment, name, value)


def decide(token: str, decision: str) -> dict[str, Any]:
    """The manager approves or rejects, once (a conditional update from pending). A rejection frees the
    seat, which the first waiting person takes in the same transaction (R_WAIT_02)."""
    enrolment = enrolment_from_token(token)
    if enrolment.status != "pending_approval":
        raise ConflictError("Over deze aanvraag is al beslist.", code="already_decided")
    supplier = suppliers.for_delivery(enrolment.supplier_id)
    approve = decision == "approve"
    step = Step(enrolment, "approved" if approve else "rejected", release_seat=not approve,
                changes={"decided_at": clock.now(), "due_approval": None})
    if approve:
        step.changes.update(_order_list_mark(enrolment))
    refs = {"enrolment_id": enrolment.enrolment_id}
    step.mails.append(outbox.new_item("enrolment_decided", str(enrolment.email), refs, claimed=True))
    if approve and supplier.delivery == "email":
        step.mails.append(outbox.new_item("supplier_enrolment", supplier.contact_email, refs, claimed=True))
    if approve and supplier.delivery == "feed":
        step.feed_event = "enrolment"
    _apply(step, supplier, (eventlog.EventKind.APPROVAL,
                            {"enrolment_id": enrolment.enrolment_id, "outcome": step.status}))
    return {"status": step.status}


def cancel(enrolment_id: str, caller: Caller) -> dict[str, Any]:
    """The holder (portal) or the LMS cancels; the terms snapshot decides what it costs."""
    enrolment = owned(enrolment_id, caller)
    if enrolment.status not in rules.ACTIVE:
        raise ConflictError("Deze inschrijving is al geannuleerd of afgewezen.", code="not_active")
    return view(_cancel(enrolment, by=caller.kind if caller.kind == "lms" else "employee"))


def cancel_for_cfb(enrolment_id: str) -> dict[str, Any]:
    """CFB cancels any enrolment on someone's behalf (a portal or an LMS enrolment), under its terms."""
    try:
        enrolment = Enrolment.get(enrolment_id, consistent_read=True)
    except DoesNotExist:
        raise NotFoundError("Deze inschrijving bestaat niet.") from None
    if enrolment.status not in rules.ACTIVE:
        raise ConflictError("Deze inschrijving is al geannuleerd of afgewezen.", code="not_active")
    return view(_cancel(enrolment, by="cfb"))


def _cancel(enrolment: Enrolment, by: str) -> Enrolment:
    supplier = suppliers.for_delivery(enrolment.supplier_id)
    told_supplier = enrolment.status == "approved"
    outcome = cancellation_outcome(enrolment)
    penalty = outcome.penalty_cents if told_supplier and by in ("employee", "lms", "cfb") else 0
    step = Step(enrolment, "cancelled", release_seat=True, changes={
        "cancelled_at": clock.now(), "cancelled_by": by, "penalty_cents": penalty, "due_approval": None,
        **_order_list_mark(enrolment),
    })
    refs = {"enrolment_id": enrolment.enrolment_id}
    holder_refs = refs
    if told_supplier:  # R_CAL_01: the confirmed enrolment's calendar entry is cancelled, one SEQUENCE on
        step.changes["calendar_sequence"] = int(enrolment.calendar_sequence or 0) + 1
        holder_refs = {**refs, "invitation": "cancel"}
    step.mails.append(outbox.new_item("execution_cancelled" if by == "supplier" else "enrolment_cancelled",
                                      str(enrolment.email), holder_refs, claimed=True))
    if by == "supplier" and enrolment.status == "pending_approval" and enrolment.manager_email:
        step.mails.append(outbox.new_item("manager_cancellation", enrolment.manager_email, refs,  # R_CAL_02
                                          claimed=True))
    if told_supplier and by != "supplier":
        if supplier.delivery == "email":
            step.mails.append(outbox.new_item("supplier_cancellation", supplier.contact_email, refs, claimed=True))
        else:
            step.feed_event = "cancellation"
        if enrolment.manager_email and enrolment.decided_at:
            step.mails.append(outbox.new_item("manager_cancellation", enrolment.manager_email, refs, claimed=True))
    # on a run its supplier cancelled nobody moves up: its list closed with it (R_WAIT_03)
    _apply(step, supplier, (eventlog.EventKind.CANCELLATION,
                            {"enrolment_id": enrolment.enrolment_id, "reason": by,
                             "outcome": "free" if penalty == 0 else "penalty"}))
    return step.enrolment


def _order_list_mark(enrolment: Enrolment) -> dict[str, Any]:
    """R_ORD_04, R_ENR_08: a change on or after the start day may come after the order-list job read
    the run, so it is marked (sparse `due-order-index`, same transaction) for the job's next run."""
    if order_rules.needs_second_look(enrolment.start_day, clock.today()):
        return {"due_order": "due"}
    return {}


def _apply(step: Step, supplier: Supplier, log: moving_up.LogLine) -> moving_up.SeatPlan:
    """Commit the step; a seat it frees goes to the waiting list in the same transaction (R_WAIT_02,
    `moving_up.run`: optimistic first, nothing read, when nobody waits). A changed enrolment is a 409
    `changed`; a conflict is retried with jittered backoff a bounded number of times, then 409 `busy`; a
    transient fault is a 503 at once. Once committed, the answer is the commit: sending and logging can
    fail without changing it (R_SEC_03). Costs the transaction, one counter update for the log and the
    transaction that records the mails with the log entries, when nobody waits."""
    enrolment = step.enrolment
    seat = moving_up.SeatChange(enrolment.course_id, enrolment.execution_id, 1 if step.release_seat else 0)
    own = moving_up.Own(write=lambda transaction: _write(transaction, step), mails=step.mails,
                        feed=[(enrolment.enrolment_id, step.feed_event)] if step.feed_event else [],
                        log=[log], known=[enrolment], refuse=_refuse_changed, committed=step.committed)
    return moving_up.run(seat, own, supplier, attempts=MAX_RETRIES)


def _refuse_changed(failed: set[str]) -> None:
    if "enrolment" in failed:
        raise ConflictError("Deze inschrijving is intussen gewijzigd; laad de pagina opnieuw.", code="changed")


def _write(transaction: Transaction, step: Step) -> None:
    enrolment = step.enrolment
    transaction.update(
        enrolment,
        actions=[Enrolment.status.set(step.status), Enrolment.version.add(1), *step.actions()],
        condition=(Enrolment.status == enrolment.status) & (Enrolment.version == enrolment.version),
        label="enrolment",
    )
    if step.release_seat and enrolment.guard_id:
        transaction.delete(EnrolmentGuard(enrolment.guard_id))


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
        step = Step(enrolment, "expired", release_seat=True, changes={"due_approval": None})
        step.mails.append(outbox.new_item("approval_expired", str(enrolment.email),
                                          {"enrolment_id": enrolment.enrolment_id}, claimed=True))
        if enrolment.manager_email:  # R_CAL_04: the manager is told too
            step.mails.append(outbox.new_item("approval_expired_manager", enrolment.manager_email,
                                              {"enrolment_id": enrolment.enrolment_id}, claimed=True))
        try:
            _apply(step, suppliers.for_delivery(enrolment.supplier_id),
                   (eventlog.EventKind.APPROVAL, {"enrolment_id": enrolment.enrolment_id, "outcome": "expired"}))
            expired += 1
        except ConflictError:
            continue  # decided meanwhile
    return {"count": expired}


def notify_supplier_cancellations() -> dict[str, int]:
    """A run the supplier cancelled or dropped: cancel every active enrolment on it, free, and tell each person;
    then tell everyone on its waiting list and delete their places (R_CAL_02, R_WAIT_05). The run's mark goes
    only when all that is done, so the next run (every 10 minutes) finishes what one left."""
    cancelled = waiting_told = 0
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
        if left_over:
            continue
        try:
            execution = Execution.get(key.course_id, key.execution_id, consistent_read=True)
        except DoesNotExist:
            continue
        if execution.waiting_list:
            waiting_told += waiting.close(execution)
        execution.update(actions=[Execution.due_notify.remove()])
    return {"count": cancelled, "waiting": waiting_told}
