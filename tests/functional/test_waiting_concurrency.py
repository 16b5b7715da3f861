"""R_WAIT_02: never a free seat while someone waits and moving up is allowed, never two people in one seat, and
the order of joining kept, also when requests race (R_ENR_05, R_SEC_05).

Deterministic interleavings first: one operation reads, a competing one commits, and the first one's
conditional transaction must be refused and planned again. Then many threads at once, with moto's DynamoDB
behind the same per-request lock as the local stack (ARCHITECTURE: what moto proves)."""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from chalicelib.api.validation import schema
from chalicelib.enrolment import flow, moving_up, use_cases, waiting
from chalicelib.enrolment.use_cases import Caller
from chalicelib.models import Account, Enrolment
from chalicelib.platform.errors import ConflictError
from tests.functional import enrolment_fixtures as fx
from tests.functional import waiting_fixtures as wf


def _caller(i: int) -> Caller:
    return Caller("portal", wf.ORG, Account.get(f"acct-{i}"))


def _join(world: fx.World, i: int, key: str | None = None) -> dict[str, Any]:
    body = wf.form(world, i)
    form = schema("chalicelib.enrolment.schemas:PortalEnrolment").model_validate(body)
    return waiting.join(_caller(i), form, key or f"join-{i}", json.dumps(body).encode())


def _cancel(i: int) -> dict[str, Any]:
    [enrolment] = [e for e in Enrolment.scan() if e.account_id == f"acct-{i}" and e.status in use_cases.rules.ACTIVE]
    return flow.cancel(enrolment.enrolment_id, _caller(i))


def _status(i: int) -> str | None:
    found = [e.status for e in Enrolment.scan() if e.account_id == f"acct-{i}" and e.status != "cancelled"]
    return found[0] if found else None


@pytest.fixture
def full(client):
    """One seat, taken by person 0; persons 1-5 have accounts."""
    return wf.filled_run(client, people=6, seats=1)


def _once(action: Any) -> Any:
    """Run `action` the first time the wrapped step is reached, never again."""
    done: list[bool] = []

    def maybe() -> None:
        if not done:
            done.append(True)
            action()

    return maybe


def test_R_WAIT_01_a_join_that_read_a_full_run_enrols_when_a_seat_frees_before_it_commits(full, monkeypatch):
    real_checked = use_cases.checked
    compete = _once(lambda: _cancel(0))  # nobody waits yet: the seat is simply free

    def read_then_compete(caller: Caller, form: Any) -> Any:
        read = real_checked(caller, form)
        compete()
        return read

    monkeypatch.setattr(use_cases, "checked", read_then_compete)
    answer = _join(full, 1)
    assert answer["outcome"] == "enrolled" and _status(1) == "approved"
    assert wf.places(full) == []
    wf.invariants(full)


def test_R_WAIT_02_a_cancellation_that_hoped_nobody_waits_is_refused_when_a_join_commits_first(full, monkeypatch):
    real_plan = moving_up.SeatChange.plan
    compete = _once(lambda: _join(full, 1))

    def plan_then_compete(self: moving_up.SeatChange) -> moving_up.SeatPlan:
        planned = real_plan(self)
        compete()  # after the (optimistic) plan, before its transaction
        return planned

    monkeypatch.setattr(moving_up.SeatChange, "plan", plan_then_compete)
    assert _cancel(0)["status"] == "cancelled"
    assert _status(1) == "approved" and wf.places(full) == []  # the joiner moved into the freed seat
    wf.invariants(full)


def test_R_WAIT_02_two_cancellations_racing_never_move_the_same_person_twice(client, monkeypatch):
    world = wf.filled_run(client, people=4, seats=2)
    _join(world, 2)
    _join(world, 3)
    real_make_plan = moving_up.make_plan
    compete = _once(lambda: _cancel(1))  # plans person 2 too, and commits first

    def plan_then_compete(*args: Any, **kwargs: Any) -> Any:
        planned = real_make_plan(*args, **kwargs)
        compete()
        return planned

    monkeypatch.setattr(moving_up, "make_plan", plan_then_compete)
    _cancel(0)  # its plan named person 2, who is gone from the list: planned again, person 3 moves up
    assert (_status(2), _status(3)) == ("approved", "approved")
    assert len([e for e in Enrolment.scan() if e.account_id == "acct-2"]) == 1
    assert wf.places(world) == []
    wf.invariants(world)


def test_R_WAIT_02_a_supplier_adding_seats_while_someone_joins_moves_the_joiner_up(full, monkeypatch):
    real_make_plan = moving_up.make_plan
    compete = _once(lambda: _join(full, 1))

    def plan_then_compete(*args: Any, **kwargs: Any) -> Any:
        planned = real_make_plan(*args, **kwargs)  # reads nobody waiting
        compete()
        return planned

    monkeypatch.setattr(moving_up, "make_plan", plan_then_compete)
    assert moving_up.set_seats(full.course_id, "r1", 2) == 1
    assert _status(1) == "approved" and int(wf.execution(full).seats) == 2 and wf.places(full) == []
    wf.invariants(full)


def test_R_WAIT_01_a_join_racing_a_leave_answers_the_exact_position(full, monkeypatch):
    _join(full, 1)
    real_checked = use_cases.checked
    place_id = wf.places(full)[0].place_id
    compete = _once(lambda: waiting.leave(place_id, _caller(1)))

    def read_then_compete(caller: Caller, form: Any) -> Any:
        read = real_checked(caller, form)
        compete()
        return read

    monkeypatch.setattr(use_cases, "checked", read_then_compete)
    assert _join(full, 2)["position"] == 1
    wf.invariants(full)


def test_R_WAIT_03_an_offer_taken_while_the_job_ends_it_is_taken_once(full, frozen_clock, monkeypatch):
    from datetime import timedelta

    from chalicelib.platform import clock

    _join(full, 1)
    _join(full, 2)
    frozen_clock.freeze(clock.now() + timedelta(days=50))  # after the free-cancellation day: offers
    _cancel(0)
    frozen_clock.freeze(clock.now() + timedelta(hours=25))
    offered = wf.places(full)[0]
    real_reload = waiting._reload
    # the holder accepts in the account (just in time, by the clock of that request) after the job has read
    compete = _once(lambda: _accept_in_time(offered.place_id, frozen_clock))

    def read_then_compete(key: Any) -> Any:
        read = real_reload(key)
        compete()
        return read

    monkeypatch.setattr(waiting, "_reload", read_then_compete)
    assert waiting.pass_on_offers()["count"] == 0  # its own condition failed: taken meanwhile
    assert _status(1) == "approved" and [p.status for p in wf.places(full)] == ["waiting"]
    wf.invariants(full)


def _accept_in_time(place_id: str, clock_module: Any) -> None:
    moment = clock_module.now()
    place = moving_up.place_of(place_id)
    assert place is not None and place.offer_expires_at is not None
    clock_module.freeze(place.offer_expires_at - __import__("datetime").timedelta(minutes=1))
    waiting.decide_own_offer(place_id, _caller(1), "accept")
    clock_module.freeze(moment)


# --- many at once -------------------------------------------------------------------------------------------


def _again_when_busy(request: Any) -> Any:
    """A 409 `busy` says "try again in a few seconds": a person (or an LMS, with the same key) does."""
    for _ in range(10):
        try:
            return request()
        except ConflictError as err:
            if err.code != "busy":
                raise
    raise AssertionError("busy ten times in a row")


def test_R_WAIT_02_R_ENR_05_threads_enrolling_joining_and_cancelling_keep_every_invariant(client, dynamodb_lock):
    """16 people race for 3 seats (the rest join the list), then random cancellations race each other and
    new joins: afterwards the seats taken are the active enrolments, nobody waits while a seat is free, and
    people moved up in the order they joined."""
    fx.organisation()
    for i in range(16):
        wf.person(i)
    world = fx.publish(client, seats=3)

    def take_part(i: int) -> str:
        body = wf.form(world, i)
        form = schema("chalicelib.enrolment.schemas:PortalEnrolment").model_validate(body)
        return str(_again_when_busy(lambda: waiting.join(_caller(i), form, f"k{i}", json.dumps(body).encode()))[
            "outcome"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(take_part, range(16)))
    assert outcomes.count("enrolled") == 3 and outcomes.count("waiting") == 13
    joined_order = [p.account_id for p in wf.places(world)]
    wf.invariants(world)

    rng = random.Random(24)
    enrolled = [f"acct-{i}" for i, outcome in enumerate(outcomes) if outcome == "enrolled"]
    leaving = rng.sample(enrolled, 3)

    def cancel(account_id: str) -> str:
        return str(_again_when_busy(lambda: _cancel(int(account_id.split("-")[1])))["status"])

    with ThreadPoolExecutor(max_workers=3) as pool:
        assert list(pool.map(cancel, leaving)) == ["cancelled"] * 3
    moved = [e.account_id for e in Enrolment.scan() if e.status == "approved" and e.account_id not in enrolled]
    assert sorted(moved, key=joined_order.index) == joined_order[:3]  # the first three who joined, no one else
    assert [p.account_id for p in wf.places(world)] == joined_order[3:]
    assert int(wf.execution(world).seats_taken) == 3
    wf.invariants(world)
