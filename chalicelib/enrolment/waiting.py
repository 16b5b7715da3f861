"""The waiting list (R_WAIT_01-05): joining a full execution, leaving, the position, offers, who sees what,
and the two jobs that keep the deadlines (offers that pass on, lists that close).

Joining uses the enrolment's form, checks and consent, with an Idempotency-Key. One transaction takes the
next sequence number from the execution (conditional on the number read, so joins are serialised and the
order is exact), on condition that the execution is still full; the place's key is that number, so the
table returns the list in joining order. If a seat freed meanwhile, the join becomes an enrolment. Moving
up is in `moving_up`, in the transactions that free seats.
"""

from __future__ import annotations

import json
from typing import Any

from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError

from chalicelib.enrolment import moving_up, rules, use_cases, waiting_rules
from chalicelib.enrolment.use_cases import Caller
from chalicelib.models import (
    Enrolment,
    EnrolmentGuard,
    Execution,
    IdempotencyRecord,
    OutboxItem,
    WaitingPlace,
)
from chalicelib.platform import clock, cursors, eventlog, faults, outbox, signing
from chalicelib.platform.config import settings
from chalicelib.platform.errors import (
    ConflictError,
    DomainError,
    GoneError,
    LinkExpiredError,
    NotAllowedError,
    NotFoundError,
)
from chalicelib.platform.transactions import Transaction, failed_labels
from chalicelib.suppliers import use_cases as suppliers

MAX_RETRIES = 12  # joins of one run are serialised on its sequence number: each round one of them wins
BACKOFF_CAP = 5  # at most 0.8 s between two tries
OFFER_PURPOSE = "waiting-offer"
CLOSE_BATCH = 25  # places removed per transaction when a list closes (3 actions each, ≤ 100)


# --- joining (R_WAIT_01) ------------------------------------------------------------------------------------


def join(caller: Caller, form: Any, idempotency_key: str | None, raw_body: bytes) -> dict[str, Any]:
    """A place on the list of a full execution, or an enrolment when a seat is free after all. Same key and
    body: the same answer again, nothing twice."""
    record_key, request_hash = use_cases.idempotency(caller, idempotency_key, raw_body, "join")
    for attempt in range(MAX_RETRIES):
        try:
            execution, organisation, supplier = use_cases.checked(caller, form)
            approval = use_cases.needs_approval(caller.kind, organisation)
            if approval:
                use_cases.check_manager(form, caller.holder.business_email, organisation)
        except DomainError:
            replay = use_cases.replay(record_key, request_hash, caller.kind)
            if replay is not None:
                return replay
            raise
        if use_cases.is_full(execution):
            outcome = _join_list(caller, form, execution, approval, record_key, request_hash)
        else:
            outcome = _enrol_instead(caller, form, execution, organisation, supplier, record_key, request_hash)
        if outcome != "retry":
            return dict(outcome)
        faults.backoff(min(attempt, BACKOFF_CAP))
    raise faults.busy()


def _enrolled_view(enrolment: Any) -> dict[str, Any]:
    return {"outcome": "enrolled", **use_cases.view(enrolment)}


def _enrol_instead(caller: Caller, form: Any, execution: Execution, organisation: Any, supplier: Any,
                   record_key: str, request_hash: str) -> Any:
    plan = use_cases.plan_enrolment(caller, form, execution, organisation, supplier, record_key, request_hash,
                                    respond=_enrolled_view)
    try:
        use_cases.commit_enrolment(plan)
    except use_cases.Refused as refused:
        try:
            return use_cases.explain(refused, plan, record_key, request_hash, caller.kind)
        except ConflictError as err:
            if err.code == "full":
                return "retry"  # the seat went meanwhile: join the list
            raise
    use_cases.follow_up(plan, record_key, caller.kind)
    return _enrolled_view(plan.enrolment)


def _join_list(caller: Caller, form: Any, execution: Execution, approval: bool, record_key: str,
               request_hash: str) -> Any:
    place = _new_place(caller, form, execution, approval)
    waiting = int(execution.waiting_count or 0)
    response = place_view(place, waiting + 1)
    mail = outbox.new_item("waiting_joined", str(place.email), {"place_id": place.place_id,
                                                                "position": str(waiting + 1)}, claimed=True)
    record = IdempotencyRecord(
        record_key, account_id=place.account_id, request_sha256=request_hash,
        response_body=json.dumps({"outcome": "waiting", **response}, ensure_ascii=False), created_at=clock.now(),
        expires_at=clock.now() + use_cases.IDEMPOTENCY_TTL, outbox_ids=[mail.item_id],
    )
    transaction = Transaction()
    try:
        with transaction:
            transaction.save(record, condition=IdempotencyRecord.idem_key.does_not_exist(), label="idempotency")
            transaction.save(EnrolmentGuard(place.guard_id, place_id=place.place_id),
                             condition=EnrolmentGuard.guard_id.does_not_exist(), label="guard")
            transaction.save(place, condition=WaitingPlace.position.does_not_exist(), label="place")
            transaction.save(mail)
            transaction.update(execution, actions=_joined(execution, place), condition=_still_full(execution, place),
                               label="execution")
    except TransactWriteError as err:
        return _explain_join(err, failed_labels(transaction, err), place, record_key, request_hash, caller.kind)
    moving_up.deliver([mail], [], known=[place], also=[(eventlog.EventKind.WAITING, {
        **moving_up.log_detail(place, "joined"), "count": waiting + 1})],
        mark=lambda t: t.update(record, actions=[IdempotencyRecord.followed_up.set(True)]))
    return {"outcome": "waiting", **response}


def _new_place(caller: Caller, form: Any, execution: Execution, approval: bool) -> WaitingPlace:
    holder = caller.holder
    seq = int(execution.waiting_seq or 0) + 1
    position = waiting_rules.position_key(seq)
    now = clock.now()
    return WaitingPlace(
        f"{execution.course_id}#{execution.execution_id}", position, seq=seq, status="waiting",
        place_id=waiting_rules.place_id(execution.course_id, execution.execution_id, position),
        source=holder.source, account_id=holder.account_id, org_id=holder.org_id,
        department_id=getattr(form, "department_id", None), course_id=execution.course_id,
        execution_id=execution.execution_id, supplier_id=execution.supplier_id, course_name=execution.course_name,
        start_day=execution.start_day,
        guard_id=rules.guard_id(execution.course_id, execution.execution_id, holder.person(form.email)),
        first_name=form.first_name, last_name=form.last_name, initials=form.initials,
        title_before=form.title_before, title_after=form.title_after, email=form.email, phone=form.phone,
        gender=form.gender, job_function=form.job_function, salary_scale=form.salary_scale,
        department_name=form.department_name, organisation_name=getattr(form, "organisation_name", None),
        business_email=holder.business_email, holder_email=(holder.business_email or form.email).strip().lower(),
        manager_email=getattr(form, "manager_email", None) if approval else None,
        consent_at=getattr(form, "consent_at", None) or now, consent_version=getattr(form, "consent_version", None)
        or settings.privacy_statement_version, lms_reference=getattr(form, "lms_reference", None),
        created_at=now, change_seen=execution.change_seq,  # changes before joining were on the course page
    )


def _joined(execution: Execution, place: WaitingPlace) -> list[Any]:
    close = moving_up.close_day_of(execution)
    return [
        Execution.waiting_seq.set(int(place.seq)), Execution.waiting_count.set(int(execution.waiting_count or 0) + 1),
        Execution.waiting_list.set("open"), Execution.waiting_supplier.set(execution.supplier_id),
        Execution.waiting_close_day.set(close.isoformat()),
    ]


def _still_full(execution: Execution, place: WaitingPlace) -> Any:
    """The sequence number as read (joins are serialised), the list as read (the answer's position is
    exact), the dates as read (the close day derives from them), and no free seat: a seat freed since the
    read makes this fail, and the retry enrols (R_WAIT_01)."""
    previous = int(place.seq) - 1
    waiting = int(execution.waiting_count or 0)
    condition = use_cases.open_for_application_condition(execution)
    condition &= (Execution.waiting_seq.does_not_exist() | (Execution.waiting_seq == 0)) if previous == 0 \
        else (Execution.waiting_seq == previous)
    condition &= use_cases.nobody_waits() if waiting == 0 else (Execution.waiting_count == waiting)
    condition &= Execution.start_day == execution.start_day
    condition &= Execution.application_deadline.does_not_exist() if execution.application_deadline is None \
        else (Execution.application_deadline == execution.application_deadline)
    if waiting == 0:
        condition &= Execution.seats_taken >= Execution.seats
    return condition


def _explain_join(err: TransactWriteError, failed: set[str], place: WaitingPlace, record_key: str,
                  request_hash: str, channel: str) -> Any:
    if faults.classify(err) is faults.Fault.TRANSIENT:
        raise faults.unavailable(err, where="waiting list")
    if "idempotency" in failed:
        replay = use_cases.replay(record_key, request_hash, channel)
        if replay is not None:
            return replay
    if "guard" in failed:
        raise use_cases.already_there(place.guard_id)
    if failed or faults.classify(err) is faults.Fault.CONFLICT:
        return "retry"  # the execution changed (a seat freed, someone joined or left): read it again
    raise err  # a refusal no retry mends: a system error, as for an enrolment (use_cases.explain)


# --- what the holder sees, and leaving (R_WAIT_04) ---------------------------------------------------------


def place_view(place: WaitingPlace, position: int | None) -> dict[str, Any]:
    """The holder's view of a place; `position` counts the people waiting before them, plus one."""
    offered = place.status == "offered"
    return {
        "place_id": place.place_id, "status": place.status, "position": None if offered else position,
        "source": place.source, "course_id": place.course_id, "course_name": place.course_name,
        "execution_id": place.execution_id, "start": place.start_day,
        "offer_expires_at": place.offer_expires_at.isoformat() if offered and place.offer_expires_at else None,
        "manager_email": place.manager_email, "form": {"email": place.email},
    }


def position_of(place: WaitingPlace) -> int:
    """1 + the places still waiting before this one (a Query that counts, in the execution's partition)."""
    ahead = WaitingPlace.count(place.execution_key, WaitingPlace.position < place.position,
                               filter_condition=WaitingPlace.status == "waiting", consistent_read=True)
    return int(ahead) + 1


def my_places(account_id: str) -> list[dict[str, Any]]:
    """The holder's places with their position; an offered one with what taking it means (R_WAIT_03/04)."""
    found = sorted(WaitingPlace.account_index.query(account_id), key=lambda p: (p.start_day, p.course_id))
    return [{**place_view(place, None), "offer": offer_view(place)} if place.status == "offered"
            else place_view(place, position_of(place)) for place in found]


def owned(place_id: str, caller: Caller) -> WaitingPlace:
    """The caller's own place, else 404 (never reveal that another's exists)."""
    place = moving_up.place_of(place_id)
    mine = place is not None and ((place.account_id == caller.account.account_id) if caller.account else (
        place.source == "lms" and place.org_id == caller.org_id))
    if place is None or not mine:
        raise NotFoundError("Deze wachtplaats bestaat niet (meer).", code="no_place")
    return place


def show(place_id: str, caller: Caller) -> dict[str, Any]:
    place = owned(place_id, caller)
    return place_view(place, position_of(place))


def leave(place_id: str, caller: Caller) -> dict[str, Any]:
    """The holder (or the LMS) leaves the list; leaving with an offer declines it, and the seat passes on."""
    place = owned(place_id, caller)
    if place.status == "offered":
        _end_offer(place, outcome="declined")
    else:
        _leave_waiting(place)
    return {"place_id": place.place_id, "status": "left"}


def _leave_waiting(place: WaitingPlace) -> None:
    for attempt in range(MAX_RETRIES):
        transaction = Transaction()
        try:
            with transaction:
                moving_up.remove_place(transaction, place)
                transaction.update(Execution(place.course_id, place.execution_id),
                                   actions=[Execution.waiting_count.add(-1)], condition=Execution.waiting_count > 0,
                                   label="execution")
        except TransactWriteError as err:
            if faults.classify(err) is faults.Fault.TRANSIENT:
                raise faults.unavailable(err, where="waiting list") from err
            if failed_labels(transaction, err) & {f"place:{place.position}", f"guard:{place.position}"}:
                raise _changed() from None
            faults.backoff(attempt)
            continue
        moving_up.deliver([], [], known=[], also=[(eventlog.EventKind.WAITING, moving_up.log_detail(place, "left"))])
        return
    raise faults.busy()


def _changed() -> ConflictError:
    return ConflictError("Uw plaats op de wachtlijst is intussen gewijzigd; laad de pagina opnieuw.", code="changed")


def leave_all_of_account(account_id: str) -> int:
    """R_WAIT_05, R_ACC_08: the account's places go with it, each as if left (an offer passes on)."""
    left = 0
    for key in WaitingPlace.account_index.query(account_id):
        place = _reload(key)
        if place is None or place.account_id != account_id:
            continue
        try:
            _end_offer(place, outcome="account_deleted") if place.status == "offered" else _leave_waiting(place)
            left += 1
        except ConflictError:
            continue  # moved up meanwhile: the enrolment lives on detached, as any other (R_ACC_08)
    return left


# --- offers (R_WAIT_03) -------------------------------------------------------------------------------------


def offer_token(place: WaitingPlace) -> str:
    offered = int(place.offered_at.timestamp()) if place.offered_at else 0
    return signing.seal(OFFER_PURPOSE, {"p": place.place_id, "o": offered})


def offer_link(place: WaitingPlace) -> str:
    return f"{settings.portal_origin}/wachtlijst/#{offer_token(place)}"


def _place_from_token(token: str) -> WaitingPlace:
    try:
        data = signing.unseal(OFFER_PURPOSE, token)
        place_id, offered = str(data["p"]), int(data["o"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotAllowedError("Deze link is ongeldig.", code="invalid_link") from None
    place = moving_up.place_of(place_id)
    if place is None or place.status != "offered" or not place.offered_at \
            or int(place.offered_at.timestamp()) != offered:
        raise GoneError("Dit aanbod geldt niet meer.", code="offer_gone")
    if place.offer_expires_at is None or place.offer_expires_at <= clock.now():
        raise LinkExpiredError("Dit aanbod is verlopen.")
    return place


def offer(token: str) -> dict[str, Any]:
    """What the offer page shows (GET never decides, R_WAIT_03): the course, the late terms, until when."""
    return offer_view(_place_from_token(token))


def offer_view(place: WaitingPlace) -> dict[str, Any]:
    execution = _execution(place)
    terms = use_cases.terms_of(execution)
    return {
        "place_id": place.place_id, "status": place.status,
        "offer_expires_at": place.offer_expires_at.isoformat() if place.offer_expires_at else None,
        "course": {"course_id": place.course_id, "name": place.course_name, "execution_id": place.execution_id,
                   "start": execution.start_day, "end": execution.end_day, "place": "online" if execution.online
                   else execution.city, "price_cents": int(execution.price_cents)},
        "late_terms": {"last_free_day": terms.last_free_day.isoformat(), "penalty_cents": terms.penalty_cents},
        "manager_email": place.manager_email, "form": {"first_name": place.first_name, "email": place.email},
    }


def decide_offer(token: str, decision: str) -> dict[str, Any]:
    """Accept (the seat becomes an enrolment under the late terms) or decline (it passes on), once."""
    return _decide(_place_from_token(token), decision)


def decide_own_offer(place_id: str, caller: Caller, decision: str) -> dict[str, Any]:
    place = owned(place_id, caller)
    if place.status != "offered":
        raise ConflictError("Er staat voor u geen plaats klaar.", code="no_offer")
    if place.offer_expires_at is None or place.offer_expires_at <= clock.now():
        raise LinkExpiredError("Dit aanbod is verlopen.")
    return _decide(place, decision)


def _decide(place: WaitingPlace, decision: str) -> dict[str, Any]:
    if decision == "decline":
        _end_offer(place, outcome="declined")
        return {"outcome": "declined", "place_id": place.place_id}
    return {"outcome": "enrolled", **use_cases.view(_accept(place))}


def _accept(place: WaitingPlace) -> Any:
    execution = _execution(place)
    enrolment = moving_up.enrolment_for(place, execution)

    def write(transaction: Transaction) -> None:
        transaction.delete(place, condition=(WaitingPlace.status == "offered")
                           & (WaitingPlace.offered_at == place.offered_at), label="own")
        transaction.update(EnrolmentGuard(place.guard_id), actions=[
            EnrolmentGuard.enrolment_id.set(enrolment.enrolment_id), EnrolmentGuard.place_id.remove(),
        ], condition=EnrolmentGuard.place_id == place.place_id, label="own")
        transaction.save(enrolment, condition=Enrolment.enrolment_id.does_not_exist())
        transaction.update(Execution(place.course_id, place.execution_id), actions=[Execution.offered_count.add(-1)],
                           condition=Execution.offered_count > 0, label="own")

    supplier = suppliers.for_delivery(place.supplier_id)
    mails, feed_event = use_cases.outbox_for_enrolment(enrolment, supplier, "waiting_moved_up", claimed=True)
    moving_up.run(moving_up.SeatChange(place.course_id, place.execution_id, 0), moving_up.Own(
        write=write, mails=mails, feed=[(enrolment.enrolment_id, feed_event)] if feed_event else [],
        log=[(eventlog.EventKind.WAITING, {**moving_up.log_detail(place, "accepted"),
                                           "enrolment_id": enrolment.enrolment_id, "status": enrolment.status})],
        known=[enrolment], refuse=_refuse_own), supplier)
    return enrolment


def _refuse_own(failed: set[str]) -> None:
    if "own" in failed:
        raise _changed()


def _end_offer(place: WaitingPlace, outcome: str, mail: str | None = None) -> None:
    """An offer that is declined, expires or whose holder left: the place goes and the seat it held passes
    on to the next waiting person in the same transaction (or frees, once the list has closed)."""

    def write(transaction: Transaction) -> None:
        transaction.delete(place, condition=(WaitingPlace.status == "offered")
                           & (WaitingPlace.offered_at == place.offered_at), label="own")
        transaction.delete(EnrolmentGuard(place.guard_id), condition=EnrolmentGuard.place_id == place.place_id,
                           label="own")

    own = moving_up.Own(write=write, mails=[moving_up.removal_mail(place, mail)] if mail else [],
                        log=[(eventlog.EventKind.WAITING, moving_up.log_detail(place, outcome))], refuse=_refuse_own)
    moving_up.run(moving_up.SeatChange(place.course_id, place.execution_id, 1, optimistic=False, offers_ended=1), own)


def _execution(place: WaitingPlace) -> Execution:
    try:
        return Execution.get(place.course_id, place.execution_id, consistent_read=True)
    except DoesNotExist:
        raise GoneError("Deze uitvoering bestaat niet meer.") from None


# --- the jobs (R_WAIT_03, R_WAIT_05) ------------------------------------------------------------------------


def pass_on_offers() -> dict[str, int]:
    """Offers not taken in time: the seat passes on to the next waiting person (hourly at the latest:
    the job runs every 15 minutes), through the sparse `due-offer-index`, never a Scan."""
    passed = 0
    for key in WaitingPlace.offer_index.query("due", WaitingPlace.offer_expires_at <= clock.now()):
        place = _reload(key)
        if place is None or place.status != "offered" or not place.offer_expires_at \
                or place.offer_expires_at > clock.now():
            continue
        try:
            _end_offer(place, outcome="expired", mail="waiting_offer_expired")
            passed += 1
        except ConflictError:
            continue  # accepted or declined meanwhile
    return {"count": passed}


def close_lists() -> dict[str, int]:
    """Lists whose execution started, passed its application deadline or was cancelled or closed: the
    people still on them are told and their places deleted (R_WAIT_03, R_WAIT_05), through the sparse
    date-keyed `waiting-close-index` (executions with a list, by the day it closes), never a Scan."""
    today = clock.today()
    told = 0
    for key in Execution.waiting_close_index.query("open", Execution.waiting_close_day <= today.isoformat()):
        try:
            execution = Execution.get(key.course_id, key.execution_id, consistent_read=True)
        except DoesNotExist:
            continue
        if moving_up.list_mode(execution, today) is not waiting_rules.Mode.CLOSED:
            _move_close_day(execution)  # the supplier moved the dates on: the list stays open
            continue
        told += close(execution)
    return {"count": told}


def _move_close_day(execution: Execution) -> None:
    close = moving_up.close_day_of(execution)
    _update_unless_changed(execution, [Execution.waiting_close_day.set(close.isoformat())])


def _update_unless_changed(execution: Execution, actions: list[Any]) -> None:
    """A write the job's next run does again when the execution changed meanwhile."""
    try:
        execution.update(actions=actions, condition=moving_up.as_read(execution))
    except UpdateError as err:
        faults.only_condition(err)


def close(execution: Execution) -> int:
    """Tell everyone on the execution's closed list and delete their places, 25 a transaction; then the
    execution leaves the list indexes. Returns how many were told."""
    told = 0
    for _ in range(1000):
        places = list(WaitingPlace.query(f"{execution.course_id}#{execution.execution_id}", consistent_read=True,
                                         limit=CLOSE_BATCH))
        if not places:
            _update_unless_changed(execution, [Execution.waiting_list.remove(), Execution.waiting_supplier.remove()])
            return told
        if _close_batch(execution, places):
            told += len(places)
        execution = Execution.get(execution.course_id, execution.execution_id, consistent_read=True)
    return told


def _close_batch(execution: Execution, places: list[WaitingPlace]) -> bool:
    offered = sum(1 for place in places if place.status == "offered")
    waiting = len(places) - offered
    reason = "cancelled" if execution.status == "cancelled" else "closed"
    mails: list[OutboxItem] = [moving_up.removal_mail(place, "waiting_closed", reason=reason) for place in places]
    transaction = Transaction()
    try:
        with transaction:
            for place in places:
                moving_up.remove_place(transaction, place)
            for item in mails:
                transaction.save(item)
            transaction.update(execution, actions=[
                Execution.waiting_count.set(int(execution.waiting_count or 0) - waiting),
                Execution.offered_count.set(int(execution.offered_count or 0) - offered),
                Execution.seats_taken.set(int(execution.seats_taken) - offered),  # an offer's seat frees
            ], condition=moving_up.as_read(execution), label="execution")
    except TransactWriteError as err:
        if faults.classify(err) is faults.Fault.TRANSIENT:
            raise
        return False  # changed meanwhile (someone left, an offer was taken): read again
    moving_up.deliver(mails, [(eventlog.EventKind.WAITING, moving_up.log_detail(place, "closed", reason))
                              for place in places], known=[])
    return True


# --- who sees what (R_WAIT_04) ------------------------------------------------------------------------------


def lists_for_cfb(cursor: str | None, limit: int) -> dict[str, Any]:
    """CFB: executions with a waiting list, by the day the list closes (never local admins: R_ENR_09)."""
    last_key = cursors.decode("admin-waiting", cursor, lambda data: data["k"]) if cursor else None
    result = Execution.waiting_close_index.query("open", limit=limit, last_evaluated_key=last_key)
    keys = [(key.course_id, key.execution_id) for key in result]
    executions = {(e.course_id, e.execution_id): e for e in Execution.batch_get(keys)} if keys else {}
    items = []
    for course_id, execution_id in keys:
        execution = executions.get((course_id, execution_id))
        if execution is not None:
            items.append({"course_id": course_id, "execution_id": execution_id, "course_name": execution.course_name,
                          "start": execution.start_day, "closes_on": execution.waiting_close_day,
                          "waiting": int(execution.waiting_count or 0), "offered": int(execution.offered_count or 0),
                          "seats": None if execution.seats is None else int(execution.seats),
                          "seats_taken": int(execution.seats_taken)})
    next_key = result.last_evaluated_key
    return {"items": items, "next_cursor": cursors.encode("admin-waiting", {"k": next_key}) if next_key else None}


def list_for_cfb(course_id: str, execution_id: str) -> dict[str, Any]:
    """CFB: one execution's list in order, with who waits (the form as given) and each place's state."""
    places = list(WaitingPlace.query(f"{course_id}#{execution_id}", consistent_read=True))
    position = 0
    items = []
    for place in places:
        if place.status == "waiting":
            position += 1
        items.append({**place_view(place, position), "org_id": place.org_id, "lms_reference": place.lms_reference,
                      "joined_at": place.created_at.isoformat(), "holder": {
                          name: getattr(place, name) for name in rules.FORM_FIELDS}})
    return {"course_id": course_id, "execution_id": execution_id, "items": items}


def _reload(key: WaitingPlace) -> WaitingPlace | None:
    """The place behind an index hit, read strongly consistent by its key (an index may lag)."""
    try:
        return WaitingPlace.get(key.execution_key, key.position, consistent_read=True)
    except DoesNotExist:
        return None
