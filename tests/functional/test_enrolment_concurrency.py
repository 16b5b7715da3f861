"""R_ENR_05: an execution is never overbooked, also under concurrent enrolments.

moto's DynamoDB is not thread-safe; the `dynamodb_lock` fixture puts its backend behind one lock,
which emulates DynamoDB's per-item atomicity (ARCHITECTURE: what moto does and does not prove).
The interleaving test shows the same without threads: a read, a competing commit, then the
conditional write is refused.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.api.validation import schema
from chalicelib.enrolment import use_cases as enrolments
from chalicelib.enrolment.use_cases import Caller
from chalicelib.models import Account, Enrolment, EnrolmentGuard, Execution
from chalicelib.platform.errors import ConflictError
from tests.functional import enrolment_fixtures as fx

CAPACITY = 4


def _caller(world: fx.World, i: int) -> tuple[Caller, object, bytes]:
    fx.account(account_id=f"acct-{i}", email=f"p{i}@minbzk.nl")
    body = fx.form(world, email=f"p{i}@minbzk.nl")
    form = schema("chalicelib.enrolment.schemas:PortalEnrolment").model_validate(body)
    return Caller("portal", "org-bzk", Account.get(f"acct-{i}")), form, json.dumps(body).encode()


@pytest.fixture
def full_world(client):
    fx.organisation()
    return fx.publish(client, seats=CAPACITY)


def _attempt(args: tuple[Caller, object, bytes]) -> str:
    caller, form, raw = args
    try:
        enrolments.enrol(caller, form, f"key-{caller.account.account_id}", raw)
        return "201"
    except ConflictError as err:
        return err.code


def test_R_ENR_05_3k_concurrent_enrolments_for_k_seats_leave_exactly_k(full_world, dynamodb_lock):
    attempts = [_caller(full_world, i) for i in range(3 * CAPACITY)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(_attempt, attempts))
    assert outcomes.count("201") == CAPACITY
    assert set(outcomes) == {"201", "full"}
    assert Execution.get(full_world.course_id, "r1").seats_taken == CAPACITY
    assert len([e for e in Enrolment.scan() if e.status == "approved"]) == CAPACITY
    assert len(list(EnrolmentGuard.scan())) == CAPACITY


def test_R_ENR_05_same_person_racing_twice_gets_one_enrolment(full_world, dynamodb_lock):
    caller, form, raw = _caller(full_world, 0)

    def twice(key: str) -> str:
        try:
            enrolments.enrol(caller, form, key, raw)
            return "201"
        except ConflictError as err:
            return err.code

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(twice, [f"k{i}" for i in range(6)]))
    assert outcomes.count("201") == 1 and set(outcomes) == {"201", "already_enrolled"}
    assert Execution.get(full_world.course_id, "r1").seats_taken == 1


def _second_takes_the_seat_after_first_read(client, monkeypatch) -> tuple[fx.World, tuple[Caller, object, bytes]]:
    """A run of one seat; the first caller's read of it is followed by a second caller's commit."""
    fx.organisation()
    world = fx.publish(client, seats=1)
    second = _caller(world, 2)
    real_execution = enrolments._execution
    competed = []

    def read_then_compete(course_id: str, execution_id: str) -> Execution:
        execution = real_execution(course_id, execution_id)
        if not competed:
            competed.append(True)
            assert _attempt(second) == "201"  # B commits after A has read seats_taken == 0
        return execution

    monkeypatch.setattr(enrolments, "_execution", read_then_compete)
    return world, _caller(world, 1)


def test_R_ENR_05_a_competing_commit_between_read_and_write_is_refused(client, monkeypatch):
    """Deterministic interleaving: A reads one free seat, B takes it, A's conditional write fails."""
    world, first = _second_takes_the_seat_after_first_read(client, monkeypatch)
    assert _attempt(first) == "full"
    assert Execution.get(world.course_id, "r1").seats_taken == 1
    assert [e.account_id for e in Enrolment.scan()] == ["acct-2"]


def _no_backoff(monkeypatch) -> list[int]:
    from chalicelib.platform import faults

    waited: list[int] = []
    monkeypatch.setattr(faults, "backoff", waited.append)
    return waited


def test_R_ENR_05_a_seat_taken_between_read_and_write_is_full_at_once_without_conflict_retries(client, monkeypatch):
    """The seat's cancellation reason is read where PynamoDB sends the seat's update (after every put): a run
    that filled up between the read and the write answers `full` after one transaction, not after retries
    that each read the run again (bench hot_run: 33 of 46 retries for a popular run came from this)."""
    _, first = _second_takes_the_seat_after_first_read(client, monkeypatch)
    waited = _no_backoff(monkeypatch)
    assert _attempt(first) == "full"
    assert waited == []


def test_R_ENR_08_a_cancellation_racing_another_change_answers_changed_at_once(client, monkeypatch):
    """The enrolment's own condition is read by its label (`platform/transactions.py`), wherever PynamoDB sends
    its update (after the guard's deletion and the mails): a change that came first is a 409 `changed`
    (reload), not five retries and a 409 `busy`."""
    from chalicelib.access import Access
    from chalicelib.enrolment import flow
    from tests.functional.helpers import acting_as

    fx.organisation()
    fx.account()
    world = fx.publish(client, seats=3)
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        enrolment_id = fx.post_json(client, "/enrolments", fx.form(world)).json_body["enrolment_id"]
    real_write = flow._write

    def another_change_first(transaction, step) -> None:
        Enrolment(step.enrolment.enrolment_id).update(actions=[Enrolment.version.add(1)])
        real_write(transaction, step)

    monkeypatch.setattr(flow, "_write", another_change_first)
    waited = _no_backoff(monkeypatch)
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        response = fx.post_json(client, f"/enrolments/{enrolment_id}/cancel", {}, key=None)
    assert response.status_code == 409 and response.json_body["error"]["code"] == "changed", response.body
    assert waited == [] and Enrolment.get(enrolment_id).status == "approved"
