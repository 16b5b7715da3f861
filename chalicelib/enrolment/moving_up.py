"""Moving up (R_WAIT_02, R_WAIT_03): every transaction that frees a seat, or adds seats, fills them from
the waiting list in that same transaction, so there is never a free seat while someone waits and moving
up is allowed, and never two people in one seat.

A step that frees one seat (a cancellation, a rejection, an approval that expired, an offer that ends)
first commits optimistically: the seat is released on condition that nobody waits, which costs no read.
When that condition fails (or the step knows a list exists), the execution is read and a plan is made from
it: who is first and still qualifies, and whether the seat becomes an enrolment (until the free-cancellation
deadline), an offer (until the application deadline or the start), or simply free (the list has closed, or
the supplier lowered the seats below what is taken). The plan's transaction conditions on the execution
exactly as read and on each chosen place still waiting, so a concurrent join, leave, cancellation or import
makes it fail and be planned again; a place can be moved by one transaction only. An account that is gone
fails its condition check and the person is skipped on the next plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from chalicelib.accounts import organisations
from chalicelib.enrolment import rules, use_cases, waiting_rules
from chalicelib.enrolment.waiting_rules import Mode, Skip
from chalicelib.models import (
    Account,
    Enrolment,
    EnrolmentGuard,
    EventLogEntry,
    Execution,
    OutboxItem,
    Supplier,
    WaitingPlace,
)
from chalicelib.platform import clock, eventlog, faults, outbox
from chalicelib.platform.errors import NotFoundError
from chalicelib.platform.transactions import Transaction, failed_labels
from chalicelib.suppliers import use_cases as suppliers

BATCH_MOVES = 8  # people moved up or offered a seat by one transaction (≤ 100 actions with the step's own)
BATCH_SKIPS = 12  # more in a row who no longer qualify are removed in a transaction of their own first
PAGE = 20
MAX_PRUNES = 50


@dataclass
class Move:
    place: WaitingPlace
    enrolment: Enrolment | None = None  # AUTOMATIC: the enrolment the place becomes
    offer_expires: datetime | None = None  # OFFER: the seat is held for the place until then


@dataclass
class SeatPlan:
    """What one transaction does to an execution's seats and waiting list."""

    course_id: str
    execution_id: str
    execution: Execution | None  # as read; None: optimistic (released on condition that nobody waits)
    released: int  # seats the step gives back (0 or 1)
    seats: int | None = None  # the new number of seats, when `change_seats`
    change_seats: bool = False
    offers_ended: int = 0  # offers the step ends (the released seat was held by an offer)
    moves: list[Move] = field(default_factory=list)
    skips: list[tuple[WaitingPlace, Skip]] = field(default_factory=list)
    mails: list[OutboxItem] = field(default_factory=list)
    log: list[tuple[eventlog.EventKind, dict[str, Any]]] = field(default_factory=list)

    @property
    def enrolments(self) -> list[Enrolment]:
        return [move.enrolment for move in self.moves if move.enrolment is not None]

    def add_to(self, transaction: Transaction, supplier: Supplier | None) -> list[tuple[str, str]]:
        """Add the plan's actions; returns the feed events of the enrolments it makes."""
        self.mails, self.log = [], []
        _update_execution(transaction, self)
        for place, reason in self.skips:
            remove_place(transaction, place)
            self.log.append((eventlog.EventKind.WAITING, log_detail(place, "skipped", str(reason))))
            self.mails.append(removal_mail(place, "waiting_skipped", reason=str(reason)))
        feed: list[tuple[str, str]] = []
        for move in self.moves:
            feed += self._add_move(transaction, move, supplier)
        return feed

    def _add_move(self, transaction: Transaction, move: Move, supplier: Supplier | None) -> list[tuple[str, str]]:
        place = move.place
        if place.account_id:
            transaction.condition_check(Account, place.account_id, condition=Account.account_id.exists(),
                                        label=f"account:{place.position}")
        if move.enrolment is None:
            now, expires = clock.now(), move.offer_expires or clock.now()
            transaction.update(place, actions=[
                WaitingPlace.status.set("offered"), WaitingPlace.offered_at.set(now),
                WaitingPlace.offer_expires_at.set(expires), WaitingPlace.due_offer.set("due"),
            ], condition=WaitingPlace.status == "waiting", label=f"place:{place.position}")
            place.status, place.offered_at, place.offer_expires_at = "offered", now, expires
            self.mails.append(outbox.new_item("waiting_offer", str(place.email), {"place_id": place.place_id},
                                              claimed=True))
            self.log.append((eventlog.EventKind.WAITING, log_detail(place, "offered")))
            return []
        enrolment = move.enrolment
        if supplier is None:
            raise LookupError("moving up into an enrolment needs the execution's supplier")
        transaction.delete(place, condition=WaitingPlace.status == "waiting", label=f"place:{place.position}")
        transaction.update(EnrolmentGuard(place.guard_id), actions=[
            EnrolmentGuard.enrolment_id.set(enrolment.enrolment_id), EnrolmentGuard.place_id.remove(),
        ], condition=EnrolmentGuard.place_id == place.place_id, label=f"guard:{place.position}")
        transaction.save(enrolment, condition=Enrolment.enrolment_id.does_not_exist())
        items, feed_event = use_cases.outbox_for_enrolment(enrolment, supplier, "waiting_moved_up", claimed=True)
        self.mails += items
        self.log.append((eventlog.EventKind.WAITING, {**log_detail(place, "moved_up"),
                                                      "enrolment_id": enrolment.enrolment_id,
                                                      "status": enrolment.status}))
        return [(enrolment.enrolment_id, feed_event)] if feed_event else []


class SeatChange:
    """The seat change of one step over its attempts: optimistic first when the step frees a seat (nothing
    read), then planned from the execution as read, learning from each failed condition."""

    def __init__(self, course_id: str, execution_id: str, released: int = 1, *, seats: int | None = None,
                 change_seats: bool = False, optimistic: bool = True, offers_ended: int = 0) -> None:
        self.course_id, self.execution_id = course_id, execution_id
        self.released, self.seats, self.change_seats = released, seats, change_seats
        self.offers_ended = offers_ended
        self.optimistic = optimistic and released == 1 and not change_seats and not offers_ended
        self.gone: set[str] = set()  # positions whose account check failed

    def plan(self) -> SeatPlan:
        if self.optimistic or not (self.released or self.change_seats):
            return SeatPlan(self.course_id, self.execution_id, None, self.released)
        for _ in range(MAX_PRUNES):
            execution = Execution.get(self.course_id, self.execution_id, consistent_read=True)
            planned = make_plan(execution, self.released, self.seats, self.change_seats, self.gone)
            if planned is not None:
                planned.offers_ended = self.offers_ended
                return planned
        raise faults.busy()

    def learn(self, failed: set[str]) -> bool:
        """After a cancelled transaction: True when it failed on the execution or the list (plan again)."""
        learned = False
        for label in failed:
            if label.startswith("account:"):
                self.gone.add(label.split(":", 1)[1])
                learned = True
            elif label == "execution" or label.startswith(("place:", "guard:")):
                learned = True
        if learned:
            self.optimistic = False
        return learned


LogLine = tuple[eventlog.EventKind, dict[str, Any]]


@dataclass
class Own:
    """The step's own part of a seat-changing transaction: its writes (which label their conditions), its
    mails and feed event, its log line, and what to raise when one of its own conditions failed."""

    write: Callable[[Transaction], None] | None = None
    mails: list[OutboxItem] = field(default_factory=list)
    feed: list[tuple[str, str]] = field(default_factory=list)
    log: list[LogLine] = field(default_factory=list)
    known: list[Any] = field(default_factory=list)
    refuse: Callable[[set[str]], None] = lambda failed: None  # raises when the step's own condition failed
    committed: Callable[[], None] = lambda: None  # brings what the step holds in memory to the stored state


def run(seat: SeatChange, own: Own, supplier: Supplier | None = None, attempts: int = 5) -> SeatPlan:
    """Commit the step with the seat change it makes, retrying a plan whose conditions failed (someone
    joined, left, cancelled or changed the execution meanwhile) and conflicts with jittered backoff, then
    409 `busy`; a transient fault is a 503 at once. After the commit, logs and sends (never raises)."""
    for attempt in range(attempts):
        plan = seat.plan()
        if supplier is None and (plan.moves or own.feed):
            supplier = suppliers.for_delivery(plan.execution.supplier_id if plan.execution else "")
        transaction = Transaction()
        try:
            with transaction:
                if own.write is not None:
                    own.write(transaction)
                for item in own.mails:
                    transaction.save(item)
                feed = [*own.feed, *plan.add_to(transaction, supplier)]
                for item in plan.mails:
                    transaction.save(item)
                if feed and supplier is not None:
                    use_cases.append_feed_entries(transaction, supplier, feed)
        except TransactWriteError as err:
            kind = faults.classify(err)
            if kind is faults.Fault.TRANSIENT:
                raise faults.unavailable(err, where="enrolment flow") from err
            failed = failed_labels(transaction, err)
            own.refuse(failed)
            learned = seat.learn(failed)
            if not learned and kind is not faults.Fault.CONFLICT:
                raise
            if attempt or not learned:
                faults.backoff(attempt)
            if supplier is not None and ("feed" in failed or not failed):
                supplier = Supplier.get(supplier.supplier_id, consistent_read=True)  # the feed moved on
            continue
        own.committed()
        deliver([*own.mails, *plan.mails], plan.log, known=[*own.known, *([supplier] if supplier else []),
                                                            *([plan.execution] if plan.execution else []),
                                                            *plan.enrolments], also=own.log)
        return plan
    raise faults.busy()


def set_seats(course_id: str, execution_id: str, seats: int | None) -> int:
    """A supplier changes the number of seats (R_WAIT_02): added seats are filled from the list in the
    transaction that adds them, a step of at most BATCH_MOVES at a time, so at no moment is a seat free
    while someone waits; fewer seats move nobody. Returns how many moved up or were offered a seat."""
    moved = 0
    for _ in range(MAX_PRUNES):
        plan = run(SeatChange(course_id, execution_id, 0, seats=seats, change_seats=True, optimistic=False), Own())
        moved += len(plan.moves)
        if plan.seats == seats:
            return moved
    raise faults.busy()


def make_plan(execution: Execution, released: int, seats: int | None, change_seats: bool,
              gone: set[str]) -> SeatPlan | None:
    """The plan for the execution as read; None when a run of people who no longer qualify had to be
    removed first (done here, in a transaction of their own: no seat was freed yet)."""
    plan = SeatPlan(execution.course_id, execution.execution_id, execution, released, seats, change_seats)
    taken, waiting = int(execution.seats_taken), int(execution.waiting_count or 0)
    target = seats if change_seats else (None if execution.seats is None else int(execution.seats))
    free = waiting_rules.free_seats(target, taken - released)
    mode = list_mode(execution, clock.today())
    if waiting == 0 or mode is Mode.CLOSED or (free is not None and free <= 0):
        return plan
    wanted = waiting_rules.seats_to_fill(free, waiting, BATCH_MOVES)
    for place in _waiting_in_order(execution):
        reason = skip_reason(place, execution, gone)
        if reason is not None:
            plan.skips.append((place, reason))
            if len(plan.skips) >= BATCH_SKIPS and len(plan.moves) < wanted:
                _prune(execution, plan.skips)
                return None
            continue
        plan.moves.append(_move(place, execution, mode))
        if len(plan.moves) == wanted:
            break
    if change_seats and len(plan.moves) == BATCH_MOVES and (free is None or free > BATCH_MOVES):
        # more seats than one transaction fills: raise them step by step, each step filled at once
        plan.seats = max(int(execution.seats or 0), taken - released + len(plan.moves))
    return plan


def _deadline(execution: Execution) -> date | None:
    return date.fromisoformat(execution.application_deadline) if execution.application_deadline else None


def list_mode(execution: Execution, today: date) -> Mode:
    start = date.fromisoformat(execution.start_day)
    return waiting_rules.mode(execution.status, start, _deadline(execution),
                              use_cases.terms_of(execution).last_free_day, today)


def close_day_of(execution: Execution) -> date:
    """The day the execution's list closes (waiting_rules.close_day), as of today."""
    return waiting_rules.close_day(execution.status, date.fromisoformat(execution.start_day), _deadline(execution),
                                   clock.today())


def closes_at(execution: Execution) -> datetime:
    """The moment the list closes: the start of its close day, Amsterdam time."""
    return datetime.combine(close_day_of(execution), time(0), tzinfo=clock.AMSTERDAM)


def skip_reason(place: WaitingPlace, execution: Execution, gone: set[str]) -> Skip | None:
    try:
        org: Any = organisations.organisation(place.org_id)
    except NotFoundError:
        org = None
    scales = [str(s) for s in execution.salary_scales or []]
    return waiting_rules.skip_reason(waiting_rules.Candidate(
        salary_scale_allowed=rules.salary_scale_allowed(place.salary_scale, scales),
        visible=org is not None and rules.visible_to(set(execution.open_for or ()), org.codes),
        account_present=place.position not in gone,
        needs_manager=org is not None and use_cases.needs_approval(place.source, org) and not place.manager_email,
    ))


def holder_of(place: WaitingPlace) -> use_cases.Holder:
    return use_cases.Holder(place.source, place.org_id, place.account_id, place.business_email)


def enrolment_for(place: WaitingPlace, execution: Execution) -> Enrolment:
    """The enrolment a place becomes, on the execution's terms now; it asks the manager where the
    organisation wants approval (moving up never skips it, R_WAIT_02)."""
    org = organisations.organisation(place.org_id)
    approval = use_cases.needs_approval(place.source, org)
    enrolment = use_cases.new_enrolment(holder_of(place), place, execution, org, approval)
    if approval:
        use_cases.ask_manager(enrolment, str(place.manager_email), execution, not_before=clock.today())
    return enrolment


def _move(place: WaitingPlace, execution: Execution, mode: Mode) -> Move:
    if mode is Mode.AUTOMATIC:
        return Move(place, enrolment=enrolment_for(place, execution))
    return Move(place, offer_expires=waiting_rules.offer_expires(clock.now(), closes_at(execution)))


def _waiting_in_order(execution: Execution) -> Iterator[WaitingPlace]:
    key = f"{execution.course_id}#{execution.execution_id}"
    for place in WaitingPlace.query(key, consistent_read=True, page_size=PAGE):
        if place.status == "waiting":
            yield place


# --- the execution's side of the transaction -------------------------------------------------------------


def _update_execution(transaction: Transaction, plan: SeatPlan) -> None:
    if plan.execution is None:
        if not plan.released:
            return  # the step changes no seat
        transaction.update(Execution(plan.course_id, plan.execution_id),
                           actions=[Execution.seats_taken.add(-plan.released)],
                           condition=(Execution.seats_taken > 0) & use_cases.nobody_waits(), label="execution")
        return
    execution = plan.execution
    actions: list[Any] = []
    offers = sum(1 for move in plan.moves if move.enrolment is None)
    taken_change = len(plan.moves) - plan.released
    if taken_change:
        actions.append(Execution.seats_taken.set(int(execution.seats_taken) + taken_change))
    left = len(plan.moves) + len(plan.skips)
    if left:
        actions.append(Execution.waiting_count.set(int(execution.waiting_count or 0) - left))
    if offers or plan.offers_ended:
        actions.append(Execution.offered_count.set(int(execution.offered_count or 0) + offers - plan.offers_ended))
    if plan.change_seats:
        actions.append(Execution.seats.remove() if plan.seats is None else Execution.seats.set(plan.seats))
    if actions:
        transaction.update(execution, actions=actions, condition=as_read(execution), label="execution")
    else:
        transaction.condition_check(Execution, execution.course_id, execution.execution_id,
                                    condition=as_read(execution), label="execution")


def as_read(execution: Execution) -> Any:
    """The execution exactly as the plan read it: what decides who moves up, when, and into which seat."""
    condition = Execution.course_id.exists()
    for attribute in (Execution.status, Execution.start_day, Execution.application_deadline, Execution.seats,
                      Execution.seats_taken, Execution.cancellation_free_days, Execution.open_for,
                      Execution.salary_scales):
        value = getattr(execution, str(attribute.attr_name))
        condition &= attribute.does_not_exist() if value is None else (attribute == value)
    for counter in (Execution.waiting_count, Execution.offered_count):
        value = int(getattr(execution, str(counter.attr_name)) or 0)
        condition &= (counter.does_not_exist() | (counter == 0)) if value == 0 else (counter == value)
    return condition


# --- places leaving the list ---------------------------------------------------------------------------


def remove_place(transaction: Transaction, place: WaitingPlace) -> None:
    """Delete a waiting place as read and free its guard (the caller counts it off the execution)."""
    transaction.delete(place, condition=WaitingPlace.status == place.status, label=f"place:{place.position}")
    transaction.delete(EnrolmentGuard(place.guard_id), condition=EnrolmentGuard.place_id == place.place_id,
                       label=f"guard:{place.position}")


def removal_mail(place: WaitingPlace, template: str, **extra: str) -> OutboxItem:
    """A mail about a place that is deleted in the same transaction: it is rendered from these references
    (course and date, never a personal datum), so nothing of the place is kept for it."""
    refs = {"course_id": place.course_id, "execution_id": place.execution_id,
            "course_name": place.course_name or "", "start_day": place.start_day, **extra}
    return outbox.new_item(template, str(place.email), refs, claimed=True)


def log_detail(place: WaitingPlace, outcome: str, reason: str | None = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"course_id": place.course_id, "execution_id": place.execution_id,
                              "outcome": outcome, "channel": place.source}
    if reason:
        detail["reason"] = reason
    return detail


def _prune(execution: Execution, skips: list[tuple[WaitingPlace, Skip]]) -> None:
    """Remove people who no longer qualify, before a seat is filled: nobody gains or loses a seat here."""
    plan = SeatPlan(execution.course_id, execution.execution_id, execution, 0, skips=skips)
    transaction = Transaction()
    try:
        with transaction:
            plan.add_to(transaction, None)
            for item in plan.mails:
                transaction.save(item)
    except TransactWriteError as err:
        if faults.classify(err) is faults.Fault.TRANSIENT:
            raise faults.unavailable(err, where="waiting list") from err
        return  # changed meanwhile: the caller reads again
    deliver(plan.mails, plan.log, known=[])


def deliver(mails: list[OutboxItem], log: list[LogLine], known: list[Any], also: list[LogLine] | None = None,
            mark: Callable[[Any], None] | None = None) -> None:
    """After the commit: the log entries (one counter update for all) go into the transaction that records
    the mails' outcome (with `mark`, e.g. the request's idempotency record marked done), then the mails
    are sent. Never raises."""
    entries: list[EventLogEntry] = []
    faults.after_commit("waiting list log", lambda: entries.extend(eventlog.prepare_all([*(also or []), *log])))

    def write(transaction: Any) -> None:
        for entry in entries:
            eventlog.put_in(transaction, entry)
        if mark is not None and entries:
            mark(transaction)

    outbox.deliver_claimed(mails, known=known, also=write if entries or mark else None)


def place_of(place_id: str) -> WaitingPlace | None:
    """The place as the request or job just wrote it and handed it to the outbox (`known`), else read fresh."""
    key = waiting_rules.place_key(place_id)
    if key is None:
        return None
    known = outbox.preloaded(WaitingPlace, key[0])
    if known is not None and known.place_id == place_id:
        return known
    try:
        return WaitingPlace.get(key[0], key[1], consistent_read=True)
    except DoesNotExist:
        return None
