"""Telling everyone concerned what a supplier changed (R_CAL_02): the hourly-or-better job over the
runs the import marked (sparse `due-change-index`, set in the import's own write).

For each marked run: every holder of an active enrolment hears what changed, old and new (the values
as they last heard them, kept on the run until told), with the updated invitation (SEQUENCE + 1) while
confirmed; the manager of a request still waiting gets the request again with the change; every person
on its waiting list (waiting, or holding an offered seat) hears it too, without an invitation (they hold
no seat yet). Each enrolment and each waiting place is told once per change: one transaction marks it
(`change_seen`, conditional on its status and on not being told yet) with its mails in the outbox, and
moves its own start day (and an enrolment's place and invitation copy) with the run. The run's mark goes
only when everyone is told, and only if no newer change came meanwhile. A cancelled or dropped run is not
a change but a cancellation (`enrolment.flow.notify_supplier_cancellations`, which also tells its waiting
list and deletes it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError

from chalicelib.calendar import reminders, rules
from chalicelib.enrolment import rules as enrolment_rules
from chalicelib.enrolment.use_cases import run_facts
from chalicelib.models import Enrolment, Execution, OutboxItem, WaitingPlace, plain
from chalicelib.platform import clock, faults, outbox
from chalicelib.platform.transactions import Transaction, failed_labels

DUE = "due"
REMINDER_WINDOW = timedelta(days=rules.WEEK_DAYS_BEFORE)


def notify_changes() -> dict[str, int]:
    told = waiting_told = 0
    for key in Execution.change_index.query(DUE):
        try:
            execution = Execution.get(key.course_id, key.execution_id, consistent_read=True)
        except DoesNotExist:
            continue
        if not execution.due_change:
            continue
        before = plain(execution.change_before) if execution.change_before else {}
        worth_telling = execution.status != "cancelled" and rules.changes(before, run_facts(execution))
        left_over = 0
        if worth_telling:
            for enrolment in _enrolments(execution):
                outcome = _tell(enrolment, execution, before)
                told += outcome == "told"
                left_over += outcome == "later"
            for place in _waiting_places(execution):
                outcome = _tell_waiting(place, execution, before)
                waiting_told += outcome == "told"
                left_over += outcome == "later"
        if not left_over:
            _clear(execution)
        if worth_telling and date.fromisoformat(execution.start_day) <= clock.today() + REMINDER_WINDOW:
            reminders.look_again()  # the run may have moved into the reminders' window after today's pass
    return {"count": told, "waiting": waiting_told}


def _enrolments(execution: Execution) -> Iterator[Enrolment]:
    ids = [k.enrolment_id for k in Enrolment.execution_index.query(f"{execution.course_id}#{execution.execution_id}")]
    return Enrolment.batch_get(ids, consistent_read=True) if ids else iter(())


def _tell(enrolment: Enrolment, execution: Execution, before: dict[str, Any]) -> str:
    """'told', 'done' (nothing to tell, or told already) or 'later' (a conflict: the next run tries again)."""
    seq = int(execution.change_seq or 0)
    if enrolment.status not in enrolment_rules.ACTIVE or int(enrolment.change_seen or 0) >= seq:
        return "done"
    refs = {"enrolment_id": enrolment.enrolment_id, "before": json.dumps(before)}
    items = [outbox.new_item("execution_changed", enrolment.email, refs)]
    if enrolment.status == "pending_approval" and enrolment.manager_email:
        items.append(outbox.new_item("approval_changed", enrolment.manager_email, refs))
    actions, moved = _follow_the_run(enrolment, execution, seq)
    condition = (Enrolment.status == enrolment.status) & (
        Enrolment.change_seen.does_not_exist() | (Enrolment.change_seen < seq))
    return _mark_and_send(enrolment, actions, condition, moved, items, execution)


def _waiting_places(execution: Execution) -> Iterator[WaitingPlace]:
    """The run's waiting list in joining order (one strongly consistent Query; none without a list)."""
    if not execution.waiting_list:
        return iter(())
    return WaitingPlace.query(f"{execution.course_id}#{execution.execution_id}", consistent_read=True)


def _tell_waiting(place: WaitingPlace, execution: Execution, before: dict[str, Any]) -> str:
    """R_CAL_02: a waiting person hears what changed, once per change: 'told', 'done' or 'later'."""
    seq = int(execution.change_seq or 0)
    if int(place.change_seen or 0) >= seq:
        return "done"
    item = outbox.new_item("waiting_changed", str(place.email), {"place_id": place.place_id,
                                                                 "before": json.dumps(before)})
    moved = {"change_seen": seq, "start_day": execution.start_day}  # the place's start follows its run
    condition = (WaitingPlace.status == place.status) & (
        WaitingPlace.change_seen.does_not_exist() | (WaitingPlace.change_seen < seq))
    return _mark_and_send(place, [getattr(WaitingPlace, name).set(value) for name, value in moved.items()],
                          condition, moved, [item], execution)


def _mark_and_send(told: Enrolment | WaitingPlace, actions: list[Any], condition: Any, moved: dict[str, Any],
                   items: list[OutboxItem], execution: Execution) -> str:
    """One transaction marks the enrolment or place told, on its condition, with its mails; then they go.
    'told', 'done' (its condition failed: it ended or was told meanwhile) or 'later' (a conflict: the next
    run tries again)."""
    transaction = Transaction()
    try:
        with transaction:
            transaction.update(told, actions=actions, condition=condition, label="told")
            for item in items:
                transaction.save(item)
    except TransactWriteError as err:
        if "told" in failed_labels(transaction, err):
            return "done"
        if faults.classify(err) is faults.Fault.CONFLICT:
            return "later"
        raise
    for name, value in moved.items():  # what the mails render from, as the transaction left it
        setattr(told, name, value)
    outbox.deliver_all(items, known=[told, execution])
    return "told"


def _follow_the_run(enrolment: Enrolment, execution: Execution, seq: int) -> tuple[list[Any], dict[str, Any]]:
    """The enrolment's marks and its own copies of the run: its start and place (cancellation terms, order
    lists, "Mijn inschrijvingen" read them) and what its invitation states (`calendar_run`, with the raised
    SEQUENCE), as actions and as the values they set."""
    moved: dict[str, Any] = {"change_seen": seq, "calendar_run": run_facts(execution)}
    if enrolment.status == "approved":
        moved["calendar_sequence"] = int(enrolment.calendar_sequence or 0) + 1
    if enrolment.start_day != execution.start_day:
        moved.update(start_day=execution.start_day, spend_month=execution.start_day[:7])
    place = "online" if execution.online else execution.city
    if enrolment.place != place:
        moved["place"] = place
    actions = [Enrolment.calendar_sequence.add(1) if name == "calendar_sequence" else
               getattr(Enrolment, name).set(value) if value is not None else getattr(Enrolment, name).remove()
               for name, value in moved.items()]
    return actions, moved


def _clear(execution: Execution) -> None:
    """Everyone is told: the mark goes, unless a newer change came meanwhile (then the next run tells it)."""
    try:
        execution.update(actions=[Execution.due_change.remove(), Execution.change_before.remove(),
                                  Execution.change_at.remove()],
                         condition=Execution.change_seq == execution.change_seq)
    except UpdateError as err:
        faults.only_condition(err)
