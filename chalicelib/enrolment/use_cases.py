"""Enrolment use cases (R_ENR_01-11): enrol, approve, cancel, hide, list; portal and LMS.

One TransactWriteItems makes an enrolment: the enrolment, its guard (one active enrolment per
person per execution), the seat (conditional on capacity, status, deadline, start and visibility),
the idempotency record, the outbox items and, for feed suppliers, the next feed entry. Either all
of it happens or none of it does.
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.accounts import organisations
from chalicelib.enrolment import rules
from chalicelib.models import (
    Account,
    Enrolment,
    EnrolmentGuard,
    Execution,
    FeedEntry,
    IdempotencyRecord,
    OutboxItem,
    Supplier,
)
from chalicelib.platform import clock, cursors, eventlog, faults, outbox, signing
from chalicelib.platform.config import settings
from chalicelib.platform.errors import (
    ConflictError,
    DomainError,
    GoneError,
    InvalidInputError,
    LinkExpiredError,
    NotAllowedError,
    NotFoundError,
    UnprocessableError,
)
from chalicelib.platform.transactions import Transaction, failed_labels
from chalicelib.suppliers import use_cases as suppliers

IDEMPOTENCY_TTL = timedelta(hours=24)
APPROVAL_PURPOSE = "approval"
MAX_FEED_RETRIES = 5


@dataclass(frozen=True)
class Holder:
    """Whom an enrolment (or a waiting place) is for: what the enrolment copies besides the form."""

    source: str  # portal | lms
    org_id: str
    account_id: str | None
    business_email: str | None

    def person(self, form_email: str) -> str:
        """The person behind the guard: the account, or the LMS's form address (never matched to accounts)."""
        return self.account_id or f"lms:{self.org_id}:{form_email}"


@dataclass(frozen=True)
class Caller:
    """Who enrols: a portal account or an organisation's LMS."""

    kind: str  # portal | lms
    org_id: str
    account: Account | None = None

    @property
    def idempotency_scope(self) -> str:
        return f"{self.kind}:{self.account.account_id if self.account else self.org_id}"

    @property
    def holder(self) -> Holder:
        return Holder(self.kind, self.org_id, self.account.account_id if self.account else None,
                      self.account.email if self.account else None)


@dataclass
class Plan:
    enrolment: Enrolment
    execution: Execution
    supplier: Supplier
    outbox_items: list[OutboxItem]
    idempotency: IdempotencyRecord


# --- enrol ------------------------------------------------------------------------------------------


def enrol(caller: Caller, form: Any, idempotency_key: str | None, raw_body: bytes) -> dict[str, Any]:
    """The stored enrolment's view. Same key and body: the same view again (the first one's, stored with
    it), and nothing twice; same key, other body: UnprocessableError."""
    record_key, request_hash = idempotency(caller, idempotency_key, raw_body)
    for attempt in range(MAX_FEED_RETRIES):
        try:
            plan = _plan(caller, form, record_key, request_hash)
        except DomainError:
            # a repeated request after success may now meet a full or closed execution: answer as before
            earlier = replay(record_key, request_hash, caller.kind)
            if earlier is not None:
                return earlier
            raise
        try:
            commit_enrolment(plan)
        except Refused as refused:
            outcome = explain(refused, plan, record_key, request_hash, caller.kind)
            if outcome == "retry":
                faults.backoff(attempt)
                continue
            return cast(dict[str, Any], outcome)
        # Stored: from here on the answer is the commit. What follows cannot change it; what it could
        # not do is left to the outbox retry job and to a retry with the same Idempotency-Key.
        _follow_up(plan.enrolment, plan.outbox_items, record_key, caller.kind,
                   known=[plan.enrolment, plan.supplier, plan.execution])
        return view(plan.enrolment)
    raise faults.busy()


def _follow_up(enrolment: Enrolment, items: list[OutboxItem], record_key: str, channel: str,
               known: list[Any]) -> None:
    """The enrolment's event-log entry and the first send attempt of its mails; never raises. The
    entry is written in the transaction that claims the mails, together with the mark on the
    idempotency record, so a retry with the same key knows exactly whether anything is left."""
    entry: list[Any] = []
    faults.after_commit("enrolment log", lambda: entry.append(eventlog.prepare(
        eventlog.EventKind.ENROLMENT, enrolment_id=enrolment.enrolment_id, course_id=enrolment.course_id,
        execution_id=enrolment.execution_id, status=enrolment.status, channel=channel)))

    def log_and_mark_done(transaction: TransactWrite) -> None:
        eventlog.put_in(transaction, entry[0])
        transaction.update(IdempotencyRecord(record_key), actions=[IdempotencyRecord.followed_up.set(True)])

    outbox.deliver_all(items, known=known, also=log_and_mark_done if entry else None)


def _finish_follow_up(record: IdempotencyRecord, channel: str) -> None:
    """A retry found the enrolment (or waiting place) stored but its follow-up unfinished (the first
    answer was lost or a fault followed the commit): write the log entry and make the first send attempt now."""
    body = json.loads(record.response_body or "{}")
    kind = eventlog.EventKind.WAITING if body.get("outcome") == "waiting" else eventlog.EventKind.ENROLMENT
    logged = faults.after_commit("enrolment log", lambda: eventlog.record(
        kind, enrolment_id=body.get("enrolment_id"), course_id=body.get("course_id"),
        execution_id=body.get("execution_id"), status=body.get("status"), channel=channel))
    for item_id in record.outbox_ids or []:
        faults.after_commit("outbox send", functools.partial(outbox.deliver, str(item_id)))
    if logged:
        faults.after_commit("enrolment follow-up", lambda: record.update(
            actions=[IdempotencyRecord.followed_up.set(True)]))


def idempotency(caller: Caller, key: str | None, raw_body: bytes, operation: str = "enrol") -> tuple[str, str]:
    """The idempotency record's key and the request's hash: an enrolment, or another creating operation
    (joining the waiting list) that answers exactly as the first time when repeated."""
    if not key or len(key) > 100 or not key.isprintable():
        raise InvalidInputError("Stuur een Idempotency-Key mee.", code="idempotency_key_required",
                               fields={"Idempotency-Key": "Verplicht (maximaal 100 tekens)."})
    scope = hashlib.sha256(caller.idempotency_scope.encode()).hexdigest()[:24]
    return f"{operation}#{scope}#{key}", hashlib.sha256(raw_body).hexdigest()


def replay(record_key: str, request_hash: str, channel: str) -> dict[str, Any] | None:
    try:
        record = IdempotencyRecord.get(record_key, consistent_read=True)
    except DoesNotExist:
        return None
    if record.expires_at < clock.now():
        return None
    if record.request_sha256 != request_hash:
        raise UnprocessableError("Deze Idempotency-Key is al gebruikt voor een ander verzoek.",
                                 code="idempotency_mismatch")
    if not record.followed_up and record.outbox_ids:
        _finish_follow_up(record, channel)
    body: dict[str, Any] = json.loads(record.response_body)
    return body


def checked(caller: Caller, form: Any) -> tuple[Execution, Any, Supplier]:
    """The same checks for an enrolment and a waiting place (R_WAIT_01): visible to the organisation, open
    for application, the salary scale, the supplier's terms. Whether a seat is free is not checked here."""
    organisation = organisations.organisation(caller.org_id)
    execution = _execution(form.course_id, form.execution_id)
    if not rules.visible_to(set(execution.open_for or ()), organisation.codes):
        raise NotFoundError("Deze uitvoering bestaat niet of is niet voor u beschikbaar.")
    _check_open_for_application(execution)
    if not rules.salary_scale_allowed(form.salary_scale, [str(s) for s in execution.salary_scales or []]):
        raise InvalidInputError(
            "U voldoet niet aan de toelatingseis voor salarisschaal.", code="requirement_not_met",
            fields={"salary_scale": _scale_requirement([str(s) for s in execution.salary_scales or []])},
        )
    return execution, organisation, _supplier(execution.supplier_id)


def needs_approval(source: str, organisation: Any) -> bool:
    """R_ENR_06: portal enrolments of an organisation that asks for it; the LMS approves its own."""
    return source == "portal" and bool(organisation.approval_required)


def _plan(caller: Caller, form: Any, record_key: str, request_hash: str) -> Plan:
    execution, organisation, supplier = checked(caller, form)
    _check_seat(execution)
    return plan_enrolment(caller, form, execution, organisation, supplier, record_key, request_hash)


def plan_enrolment(caller: Caller, form: Any, execution: Execution, organisation: Any, supplier: Supplier,
                   record_key: str, request_hash: str, respond: Any = None) -> Plan:
    """The enrolment, its mails and its idempotency record; `respond` shapes the stored answer."""
    approval = needs_approval(caller.kind, organisation)
    enrolment = new_enrolment(caller.holder, form, execution, organisation, approval)
    if approval:
        _ask_approval(enrolment, form, execution, organisation)
    items, _ = outbox_for_enrolment(enrolment, supplier, "enrolment_received")
    response = (respond or view)(enrolment)
    record = IdempotencyRecord(
        record_key, account_id=caller.account.account_id if caller.account else None,
        enrolment_id=enrolment.enrolment_id, request_sha256=request_hash,
        response_body=json.dumps(response, ensure_ascii=False), created_at=clock.now(),
        expires_at=clock.now() + IDEMPOTENCY_TTL, outbox_ids=[item.item_id for item in items],
    )
    return Plan(enrolment, execution, supplier, items, record)


def stored_run(course_id: str, execution_id: str) -> Execution | None:
    """The run as the request or job just wrote it and handed it to the outbox (`known`), else as stored now;
    None once the supplier's import dropped it."""
    known = outbox.preloaded(Execution, course_id)
    if known is not None and known.execution_id == execution_id:
        return known
    try:
        return Execution.get(course_id, execution_id, consistent_read=True)
    except DoesNotExist:
        return None


def _execution(course_id: str, execution_id: str) -> Execution:
    try:
        return Execution.get(course_id, execution_id, consistent_read=True)
    except DoesNotExist:
        raise NotFoundError("Deze uitvoering bestaat niet of is niet voor u beschikbaar.") from None


def _supplier(supplier_id: str) -> Supplier:
    supplier = suppliers.for_delivery(supplier_id)
    if not suppliers.has_accepted_terms(supplier):
        raise ConflictError("Inschrijven bij deze aanbieder kan nog niet; probeer het later opnieuw.",
                       code="supplier_terms_not_accepted")
    return supplier


def _check_open(execution: Execution) -> None:
    _check_open_for_application(execution)
    _check_seat(execution)


def _check_open_for_application(execution: Execution) -> None:
    deadline = date.fromisoformat(execution.application_deadline) if execution.application_deadline else None
    start = date.fromisoformat(execution.start_day)
    if not rules.open_for_application(execution.status, start, deadline, clock.today()):
        raise ConflictError("Voor deze uitvoering kunt u zich niet (meer) inschrijven.", code="not_open")


def is_full(execution: Execution) -> bool:
    """No free seat, or people waiting for one (who come first, R_WAIT_02)."""
    if execution.seats is None:
        return False
    return int(execution.seats_taken) >= int(execution.seats) or int(execution.waiting_count or 0) > 0


def _check_seat(execution: Execution) -> None:
    if is_full(execution):
        raise ConflictError("Deze uitvoering is vol. U kunt op de wachtlijst.", code="full")


def nobody_waits() -> Any:
    """The condition that the execution's waiting list is empty (an execution from before the waiting
    list has no count: none waits)."""
    return Execution.waiting_count.does_not_exist() | (Execution.waiting_count == 0)


def _scale_requirement(scales: list[str]) -> str:
    numbers = sorted(int(s) for s in scales)
    return f"Deze opleiding is voor salarisschaal {numbers[0]} tot en met {numbers[-1]}."


def new_enrolment(holder: Holder, form: Any, execution: Execution, organisation: Any,
                  needs_approval: bool) -> Enrolment:
    """An enrolment from the form (a request's, or the one a waiting place kept) on the execution as read."""
    now = clock.now()
    end = date.fromisoformat(execution.end_day)
    anonymise = rules.anonymise_on(end)
    return Enrolment(
        "e" + secrets.token_hex(10), version=1, source=holder.source,
        status="pending_approval" if needs_approval else "approved",
        account_id=holder.account_id, org_id=holder.org_id,
        department_id=getattr(form, "department_id", None), course_id=execution.course_id,
        execution_id=execution.execution_id, execution_key=f"{execution.course_id}#{execution.execution_id}",
        supplier_id=execution.supplier_id, course_name=execution.course_name,
        place="online" if execution.online else execution.city,
        guard_id=rules.guard_id(execution.course_id, execution.execution_id, holder.person(form.email)),
        first_name=form.first_name, last_name=form.last_name, initials=form.initials,
        title_before=form.title_before, title_after=form.title_after, email=form.email, phone=form.phone,
        gender=form.gender, job_function=form.job_function, salary_scale=form.salary_scale,
        department_name=form.department_name,
        organisation_name=getattr(form, "organisation_name", None) or organisation.name,
        business_email=holder.business_email,
        holder_email=(holder.business_email or form.email).strip().lower(),
        consent_at=getattr(form, "consent_at", None) or now,
        consent_version=getattr(form, "consent_version", None) or settings.privacy_statement_version,
        price_cents=int(execution.price_cents), cancellation_free_days=terms_of(execution).free_days,
        start_day=execution.start_day, original_end_day=execution.end_day, created_at=now,
        anonymise_month=anonymise.isoformat()[:7], anonymise_day=anonymise.isoformat(),
        spend_month=execution.start_day[:7], lms_reference=getattr(form, "lms_reference", None),
        reminders=getattr(form, "reminders", None), change_seen=execution.change_seq, calendar_sequence=0,
        calendar_run=run_facts(execution),
    )


def run_facts(execution: Execution) -> dict[str, Any]:
    """The run's when and where as its people hear of them now (rules.RUN_FACTS): an enrolment keeps them
    with its invitation, so sending the invitation reads no run (R_CAL_01)."""
    return {name: getattr(execution, name) for name in rules.RUN_FACTS}


def terms_of(execution: Execution) -> rules.CancellationTerms:
    """The terms the course page showed for this execution (R_ENR_08), snapshotted on the enrolment."""
    declared = execution.cancellation_free_days
    return rules.cancellation_terms(date.fromisoformat(execution.start_day),
                                    None if declared is None else int(declared), int(execution.price_cents))


def _ask_approval(enrolment: Enrolment, form: Any, execution: Execution, organisation: Any) -> None:
    check_manager(form, enrolment.business_email, organisation)
    ask_manager(enrolment, form.manager_email, execution)


def check_manager(form: Any, business_email: str | None, organisation: Any) -> None:
    """R_ENR_06: the form names a manager, at an address of the organisation that is not the holder's own;
    also for a form that will ask the manager later (a waiting place)."""
    if not form.manager_email:
        raise InvalidInputError(fields={"manager_email": "Uw organisatie vraagt akkoord van uw leidinggevende."})
    problem = rules.manager_address_problem(form.manager_email, {form.email, business_email or ""},
                                            set(organisation.domains))
    if problem:
        raise InvalidInputError(fields={"manager_email": problem})


def ask_manager(enrolment: Enrolment, manager_email: str, execution: Execution, not_before: date | None = None) -> None:
    """The enrolment waits for the manager until its decide-by day; one made by moving up after that day
    (`not_before`) gets the rest of that day."""
    deadline = date.fromisoformat(execution.application_deadline) if execution.application_deadline else None
    expires = rules.approval_expires_on(date.fromisoformat(execution.start_day), deadline)
    if not_before is not None:
        expires = max(expires, not_before)
    enrolment.manager_email = manager_email
    enrolment.due_approval = "pending"
    enrolment.approval_expires_day = expires.isoformat()
    enrolment.approval_asked_day = clock.today().isoformat()  # the manager's reminder counts from here (R_CAL_04)


def outbox_for_enrolment(enrolment: Enrolment, supplier: Supplier, holder_mail: str,
                         claimed: bool = False) -> tuple[list[OutboxItem], str | None]:
    """The mails of a new enrolment and, for a feed supplier whose enrolment is approved, the feed event:
    the holder's mail (`holder_mail` template), the manager's request or the supplier's enrolment.
    The mails belong to the enrolment, not to the account: they carry no account_id, so they are still sent
    when the account is deleted and the enrolment lives on (R_ACC_08, R_ENR_11)."""
    refs = {"enrolment_id": enrolment.enrolment_id}
    items = [outbox.new_item(holder_mail, str(enrolment.email), refs, claimed=claimed)]
    if enrolment.status == "pending_approval":
        items.append(outbox.new_item("approval_request", str(enrolment.manager_email), refs, claimed=claimed))
        return items, None
    if supplier.delivery == "email":
        items.append(outbox.new_item("supplier_enrolment", supplier.contact_email, refs, claimed=claimed))
        return items, None
    return items, "enrolment"


def open_for_application_condition(execution: Execution) -> Any:
    """The execution still takes applications, as checked when read: open, before the start and the
    application deadline, and visible as it was (a supplier restricting the course meanwhile refuses)."""
    now_day = clock.today().isoformat()
    condition = (
        (Execution.status == "open")
        & (Execution.start_day > now_day)
        & (Execution.application_deadline.does_not_exist() | (Execution.application_deadline >= now_day))
    )
    return condition & ((Execution.open_for == execution.open_for) if execution.open_for else
                        Execution.open_for.does_not_exist())


class Refused(Exception):
    """A creating transaction was cancelled: the fault and the labels of the conditions that failed."""

    def __init__(self, err: TransactWriteError, failed: set[str]) -> None:
        super().__init__("transaction refused")
        self.err, self.failed = err, failed


def commit_enrolment(plan: Plan) -> None:
    """Raises `Refused`."""
    enrolment, execution = plan.enrolment, plan.execution
    seat_condition = open_for_application_condition(execution)
    if execution.seats is not None:
        # a free seat, and nobody waiting for it (R_WAIT_02: they come first)
        seat_condition &= (Execution.seats_taken < Execution.seats) & nobody_waits()
    transaction = Transaction()
    try:
        with transaction:
            transaction.save(plan.idempotency, condition=IdempotencyRecord.idem_key.does_not_exist(),
                             label="idempotency")
            transaction.save(EnrolmentGuard(enrolment.guard_id, enrolment_id=enrolment.enrolment_id),
                             condition=EnrolmentGuard.guard_id.does_not_exist(), label="guard")
            transaction.update(execution, actions=[Execution.seats_taken.add(1)], condition=seat_condition,
                               label="execution")
            transaction.save(enrolment, condition=Enrolment.enrolment_id.does_not_exist(), label="enrolment")
            for item in plan.outbox_items:
                transaction.save(item)
            if enrolment.status == "approved" and plan.supplier.delivery == "feed":
                append_feed_entry(transaction, plan.supplier, enrolment.enrolment_id, "enrolment")
    except TransactWriteError as err:
        raise Refused(err, failed_labels(transaction, err)) from err


def follow_up(plan: Plan, record_key: str, channel: str) -> None:
    _follow_up(plan.enrolment, plan.outbox_items, record_key, channel,
               known=[plan.enrolment, plan.supplier, plan.execution])


def already_there(guard_id: str) -> ConflictError:
    """The person holds an enrolment or a waiting place for this execution already (one guard for both)."""
    try:
        waiting = bool(EnrolmentGuard.get(guard_id, consistent_read=True).place_id)
    except DoesNotExist:
        waiting = False
    if waiting:
        return ConflictError("U staat al op de wachtlijst voor deze uitvoering.", code="already_waiting")
    return ConflictError("U bent al ingeschreven voor deze uitvoering.", code="already_enrolled")


def append_feed_entry(transaction: Transaction, supplier: Supplier, enrolment_id: str, event: str) -> None:
    append_feed_entries(transaction, supplier, [(enrolment_id, event)])


def append_feed_entries(transaction: Transaction, supplier: Supplier, events: list[tuple[str, str]]) -> None:
    """The next numbers of the supplier's own sequence, taken in the same transaction (R_SUP_01): one
    update of the supplier however many entries (a transaction holds an item once)."""
    if not events:
        return
    current = int(supplier.feed_seq or 0)
    transaction.update(supplier, actions=[Supplier.feed_seq.set(current + len(events))],
                       condition=Supplier.feed_seq == current if current else
                       (Supplier.feed_seq.does_not_exist() | (Supplier.feed_seq == 0)), label="feed")
    for offset, (enrolment_id, event) in enumerate(events, start=1):
        transaction.save(FeedEntry(supplier.supplier_id, current + offset, enrolment_id=enrolment_id, event=event,
                                   at=clock.now()))
    supplier.feed_seq = current + len(events)


def explain(refused: Refused, plan: Plan, record_key: str, request_hash: str, channel: str) -> Any:
    """Why the transaction was cancelled: an earlier success with this key (replay), a person already
    enrolled or waiting, a full or closed run, a conflict to retry; a transient fault is a 503 (faults)."""
    err, failed = refused.err, refused.failed
    if faults.classify(err) is faults.Fault.TRANSIENT:
        raise err
    if "idempotency" in failed:
        earlier = replay(record_key, request_hash, channel)
        if earlier is not None:
            return earlier
    if "guard" in failed:
        raise already_there(plan.enrolment.guard_id or "")
    if "execution" in failed:
        _check_open(_execution(plan.execution.course_id, plan.execution.execution_id))
        return "retry"  # open and free again when read: the seat moved meanwhile
    if failed or faults.classify(err) is faults.Fault.CONFLICT:
        return "retry"  # the feed sequence moved, or a concurrent transaction touched the same items
    raise err


# --- views -------------------------------------------------------------------------------------------


def cancellation_outcome(enrolment: Enrolment) -> rules.CancellationOutcome:
    """What cancelling today costs, by the terms snapshotted on the enrolment (R_ENR_08)."""
    return rules.cancellation_outcome(date.fromisoformat(enrolment.start_day), int(enrolment.cancellation_free_days),
                                      int(enrolment.price_cents), clock.today())


def filled_form_fields(enrolment: Enrolment) -> tuple[str, ...]:
    """The R_ENR_02 fields this enrolment carries: what a disclosure passes on."""
    return tuple(name for name in rules.FORM_FIELDS if getattr(enrolment, name))


def view(enrolment: Enrolment) -> dict[str, Any]:
    """What the holder and CFB see of an enrolment."""
    fields = {name: getattr(enrolment, name) for name in rules.FORM_FIELDS}
    return {
        "enrolment_id": enrolment.enrolment_id, "status": enrolment.status, "source": enrolment.source,
        "course_id": enrolment.course_id, "course_name": enrolment.course_name,
        "execution_id": enrolment.execution_id, "start": enrolment.start_day, "end": enrolment.original_end_day,
        "place": enrolment.place,
        "price_cents": int(enrolment.price_cents), "penalty_cents": _int(enrolment.penalty_cents),
        "manager_email": enrolment.manager_email, "hidden": bool(enrolment.hidden),
        "cancellation": _cancellation_notice(enrolment),
        "form": fields,
    }


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _cancellation_notice(enrolment: Enrolment) -> dict[str, Any] | None:
    """What cancelling now would cost; a request still waiting for approval is always free."""
    if enrolment.status not in rules.ACTIVE:
        return None
    if enrolment.status == "pending_approval":
        return {"free": True, "last_free_day": None, "penalty_cents": 0}
    outcome = cancellation_outcome(enrolment)
    return {"free": outcome.free, "last_free_day": outcome.last_free_day.isoformat(),
            "penalty_cents": outcome.penalty_cents}


def owned(enrolment_id: str, caller: Caller) -> Enrolment:
    """The caller's own enrolment, else 404 (never reveal that another's exists)."""
    try:
        enrolment = Enrolment.get(enrolment_id, consistent_read=True)
    except DoesNotExist:
        raise NotFoundError("Deze inschrijving bestaat niet.") from None
    mine = (enrolment.account_id == caller.account.account_id) if caller.account else (
        enrolment.source == "lms" and enrolment.org_id == caller.org_id)
    if not mine:
        raise NotFoundError("Deze inschrijving bestaat niet.")
    return enrolment


def my_enrolments(account_id: str) -> list[dict[str, Any]]:
    """R_ENR_09: visible until the end date has passed; hidden cancelled ones are left out."""
    now_day = clock.today().isoformat()
    found = Enrolment.account_index.query(account_id, scan_index_forward=False)
    return [view(e) for e in found if e.original_end_day >= now_day and not e.hidden]


def hide(enrolment_id: str, caller: Caller) -> dict[str, Any]:
    enrolment = owned(enrolment_id, caller)
    if enrolment.status != "cancelled":
        raise ConflictError("Alleen een geannuleerde inschrijving kunt u verbergen.", code="not_cancelled")
    enrolment.update(actions=[Enrolment.hidden.set(True)])
    return view(enrolment)


# --- approval ----------------------------------------------------------------------------------------


def approval_token(enrolment: Enrolment) -> str:
    expires = enrolment.approval_expires_day or enrolment.start_day
    message = f"{enrolment.enrolment_id}.{expires}"
    return f"{message}.{signing.sign(APPROVAL_PURPOSE, message)}"


APPROVE_CHOICE, REJECT_CHOICE = "akkoord", "afwijzen"


def approval_link(enrolment: Enrolment, choice: str) -> str:
    """The decision page with this choice selected (R_ENR_06). Opening it decides nothing, since mail
    scanners open links: the manager confirms on the page, which POSTs with the portal's CSRF header and
    Origin. The token stays in the fragment, which browsers never send to a server."""
    return f"{settings.portal_origin}/akkoord/?keuze={choice}#{approval_token(enrolment)}"


def enrolment_from_token(token: str) -> Enrolment:
    enrolment_id, _, rest = token.partition(".")
    expires, _, signature = rest.partition(".")
    try:
        signing.verify(APPROVAL_PURPOSE, f"{enrolment_id}.{expires}", signature)
        expired = date.fromisoformat(expires) < clock.today()
    except (signing.BadSignature, ValueError):
        raise NotAllowedError("Deze link is ongeldig.", code="invalid_link") from None
    if expired:
        raise LinkExpiredError()
    try:
        return Enrolment.get(enrolment_id, consistent_read=True)
    except DoesNotExist:
        raise GoneError("Deze aanvraag bestaat niet meer.") from None


def approval_request(token: str) -> dict[str, Any]:
    """What the manager sees: the employee's name and business e-mail and the course (R_ENR_06)."""
    enrolment = enrolment_from_token(token)
    return {
        "status": enrolment.status, "decided": enrolment.status != "pending_approval",
        "employee": {"first_name": enrolment.first_name, "last_name": enrolment.last_name,
                     "email": enrolment.business_email},
        "course": {"course_id": enrolment.course_id, "name": enrolment.course_name, "start": enrolment.start_day,
                   "end": enrolment.original_end_day, "place": enrolment.place,
                   "price_cents": int(enrolment.price_cents)},
        "decide_by": enrolment.approval_expires_day,
    }



def list_by_source(source: str, cursor: str | None, limit: int) -> dict[str, Any]:
    """CFB's paginated list, newest first (R_ENR_09: LMS enrolments are visible to CFB only)."""
    last_key = cursors.decode("admin-enrolments", cursor, lambda data: data["k"]) if cursor else None
    result = Enrolment.source_index.query(source, scan_index_forward=False, limit=limit,
                                          last_evaluated_key=last_key)
    items = [{**view(e), "org_id": e.org_id, "lms_reference": e.lms_reference} for e in result]
    next_key = result.last_evaluated_key
    return {"items": items, "next_cursor": cursors.encode("admin-enrolments", {"k": next_key}) if next_key else None}


def undeliverable(cursor: str | None, limit: int) -> dict[str, Any]:
    """CFB's view of mail given up (a permanent SES refusal or retries exhausted), newest first: the
    enrolment, the kind of mail and SES's error code; never an address (R_SEC_03)."""
    last_key = cursors.decode("admin-undeliverable", cursor, lambda data: data["k"]) if cursor else None
    found, next_key = outbox.undeliverable(last_key, limit)
    items = [{"item_id": item.item_id, "enrolment_id": outbox.enrolment_ref(item), "mail": item.template,
              "error_code": item.error_code, "attempts": int(item.attempts or 0),
              "failed_at": item.failed_at.isoformat() if item.failed_at else None} for item in found]
    return {"items": items,
            "next_cursor": cursors.encode("admin-undeliverable", {"k": next_key}) if next_key else None}
