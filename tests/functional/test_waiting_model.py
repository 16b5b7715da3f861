"""R_WAIT_01-03, R_WAIT_05: a seeded random sequence of 200 steps through the routes and jobs (enrol, join,
leave, cancel, approve, reject, accept or decline an offer, the supplier raising and lowering the seats, the
clock moving on with the hourly jobs) checked after every step against a small reference model of the rules.

The model holds who is enrolled (approved or waiting for the manager), the list in joining order with who
holds an offer, and applies the rules of SPEC R_WAIT in the plainest way: a freed seat goes to the first
waiting person, as an enrolment until the free-cancellation day, as a 24-hour offer until the list closes,
to nobody after; added seats the same; fewer seats move nobody.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from chalicelib.enrolment import use_cases
from chalicelib.jobs import run as run_job
from chalicelib.models import Enrolment, WaitingPlace
from chalicelib.platform import clock
from devstack.edudex_builder import Run, program
from tests.functional import enrolment_fixtures as fx
from tests.functional import waiting_fixtures as wf
from tests.functional.helpers import bearer, make_supplier

STEPS = 200
SEED = 2024
PEOPLE = 14
APPROVAL = frozenset(range(10, 14))  # persons of the organisation that asks for the manager's approval
START, DEADLINE, FREE_DAYS = 40, 35, 14  # days after the first day of the run of the test
HOURS = (START + 4) * 24 / STEPS  # the clock keeps pace so that the sequence crosses every phase of the list


@dataclass
class Reference:
    """The rules, plainly: enrolled people, the list in order, the seats."""

    first_day: date
    seats: int = 3
    enrolled: dict[int, str] = field(default_factory=dict)  # person -> approved | pending_approval
    expires: dict[int, date] = field(default_factory=dict)  # pending person -> approval expiry day
    queue: list[int] = field(default_factory=list)  # waiting people in joining order
    offers: dict[int, datetime] = field(default_factory=dict)  # person -> offer expiry

    def day(self, n: int) -> date:
        return self.first_day + timedelta(days=n)

    def open_for_application(self) -> bool:
        today = clock.today()
        return today < self.day(START) and today <= self.day(DEADLINE)

    def mode(self) -> str:
        today = clock.today()
        if today >= self.day(DEADLINE + 1) or today >= self.day(START):
            return "closed"
        return "automatic" if today <= self.day(START - FREE_DAYS) else "offer"

    def free(self) -> int:
        return self.seats - len(self.enrolled) - len(self.offers)

    def waiting(self) -> list[int]:
        return [p for p in self.queue if p not in self.offers]

    def fill(self) -> None:
        while self.free() > 0 and self.waiting() and self.mode() != "closed":
            person = self.waiting()[0]
            if self.mode() == "automatic":
                self.queue.remove(person)
                self._enrol(person, moved=True)
            else:
                closes = datetime.combine(self.day(DEADLINE + 1), time(0), tzinfo=clock.AMSTERDAM)
                self.offers[person] = min(clock.now() + timedelta(hours=24), closes)

    def _enrol(self, person: int, moved: bool) -> None:
        pending = person in APPROVAL
        self.enrolled[person] = "pending_approval" if pending else "approved"
        if pending:
            expiry = min(self.day(START - 3), self.day(DEADLINE))
            self.expires[person] = max(expiry, clock.today()) if moved else expiry

    def holds_nothing(self, person: int) -> bool:
        return person not in self.enrolled and person not in self.queue

    # the operations, each answering what the route should say

    def enrol(self, person: int) -> str:
        if not self.holds_nothing(person):
            return "409"
        if not self.open_for_application():
            return "409"
        if self.free() <= 0 or self.waiting():
            return "409"
        self._enrol(person, moved=False)
        return "201"

    def join(self, person: int) -> str:
        if not self.holds_nothing(person) or not self.open_for_application():
            return "409"
        if self.free() > 0 and not self.waiting():
            self._enrol(person, moved=False)
            return "enrolled"
        self.queue.append(person)
        return "waiting"

    def leave(self, person: int) -> None:
        self.queue.remove(person)
        if self.offers.pop(person, None) is not None:
            self.fill()

    def end_enrolment(self, person: int) -> None:
        self.enrolled.pop(person)
        self.expires.pop(person, None)
        self.fill()

    def approve(self, person: int) -> None:
        self.enrolled[person] = "approved"
        self.expires.pop(person)

    def accept(self, person: int) -> None:
        self.offers.pop(person)
        self.queue.remove(person)
        self._enrol(person, moved=True)

    def set_seats(self, seats: int) -> None:
        self.seats = seats
        self.fill()

    def jobs(self) -> None:
        for person in sorted(self.expires, key=lambda p: (self.expires[p], p)):
            if person in self.expires and self.expires[person] < clock.today():
                self.end_enrolment(person)
        for person in sorted(self.offers, key=lambda p: self.offers[p]):
            if person in self.offers and self.offers[person] <= clock.now():
                self.offers.pop(person)
                self.queue.remove(person)
                self.fill()
        if self.mode() == "closed":
            self.queue.clear()
            self.offers.clear()


class Stack:
    """The same operations through the routes and jobs."""

    def __init__(self, client: Any, world: fx.World, supplier_token: str) -> None:
        self.client, self.world, self.token = client, world, supplier_token
        self.keys = 0

    def _form(self, person: int) -> dict[str, Any]:
        extra = {"manager_email": "chef@minfin.nl", "email": f"p{person}@minfin.nl"} if person in APPROVAL else {}
        return {**wf.form(self.world, person), **extra}

    def _as(self, person: int) -> Any:
        return wf.as_person(person, "org-fin" if person in APPROVAL else wf.ORG)

    def _post(self, person: int, path: str, body: dict[str, Any], key: bool = True) -> Any:
        self.keys += 1
        with self._as(person):
            return fx.post_json(self.client, path, body, key=f"step-{self.keys}" if key else None)

    def enrol(self, person: int) -> str:
        return str(self._post(person, "/enrolments", self._form(person)).status_code)

    def join(self, person: int) -> str:
        response = self._post(person, "/waiting", self._form(person))
        return str(response.json_body["outcome"]) if response.status_code == 201 else str(response.status_code)

    def active_enrolment(self, person: int) -> Enrolment:
        [found] = Enrolment.scan((Enrolment.account_id == f"acct-{person}")
                                 & Enrolment.status.is_in(*use_cases.rules.ACTIVE))
        return found

    def place(self, person: int) -> WaitingPlace:
        [found] = [p for p in wf.places(self.world) if p.account_id == f"acct-{person}"]
        return found

    def cancel(self, person: int) -> None:
        response = self._post(person, f"/enrolments/{self.active_enrolment(person).enrolment_id}/cancel", {}, False)
        assert response.status_code == 200, response.body

    def decide(self, person: int, decision: str) -> None:
        token = use_cases.approval_token(self.active_enrolment(person))
        response = fx.post_json(self.client, f"/approvals/{token}", {"decision": decision}, key=None)
        assert response.status_code == 200, response.body

    def leave(self, person: int) -> None:
        assert self._post(person, f"/waiting/{self.place(person).place_id}/leave", {}, False).status_code == 200

    def offer(self, person: int, decision: str) -> None:
        response = self._post(person, f"/waiting/{self.place(person).place_id}/offer", {"decision": decision}, False)
        assert response.status_code == 200, response.body

    def set_seats(self, seats: int) -> None:
        start = self.world_start
        doc = program("sup-a", "P-1", "Projectmatig werken", "Kort", "Lang", runs=[Run(
            "r1", start, start + timedelta(days=1), "Utrecht", seats=seats, price_eur="495.00",
            deadline=start - timedelta(days=START - DEADLINE))])
        response = self.client.http.put("/supplier/programs/P-1", headers=bearer(self.token), body=json.dumps(doc))
        assert response.status_code == 200, response.body

    def jobs(self) -> None:
        for job in ("expire_approvals", "pass_on_offers", "close_waiting_lists"):
            assert "error" not in run_job(job), job

    world_start: date = date.today()


def _compare(reference: Reference, stack: Stack, step: int, action: str) -> None:
    stored = {int(e.account_id.split("-")[1]): e.status
              for e in Enrolment.scan(Enrolment.status.is_in(*use_cases.rules.ACTIVE)) if e.account_id}
    seen = wf.look(stack.world)
    listed = seen.places
    where = f"step {step}: {action}"
    assert stored == reference.enrolled, where
    assert [int(p.account_id.split("-")[1]) for p in listed] == reference.queue, where
    assert {int(p.account_id.split("-")[1]) for p in listed if p.status == "offered"} == set(reference.offers), where
    assert int(seen.execution.seats) == reference.seats, where
    wf.invariants(stack.world, seen)
    if reference.mode() != "closed":  # never a free seat while someone waits and moving up is allowed
        execution = seen.execution  # as stored: the reference holds this by construction (fill)
        assert int(execution.seats_taken) >= int(execution.seats) or not [
            p for p in listed if p.status == "waiting"], where


@pytest.mark.parametrize("seed", [SEED])
def test_R_WAIT_01_R_WAIT_02_R_WAIT_03_a_random_sequence_follows_the_reference_model(client, frozen_clock, seed):
    fx.organisation()
    fx.organisation("org-fin", approval=True, domains=("minfin.nl",), codes=("BZK",))
    for person in range(PEOPLE):
        if person in APPROVAL:
            wf.person(person, org_id="org-fin", domain="minfin.nl")
        else:
            wf.person(person)
    token = make_supplier("sup-a")
    frozen_clock.freeze(datetime.combine(date.today(), time(9), tzinfo=clock.AMSTERDAM))
    world = fx.publish(client, seats=3, start_in_days=START, deadline_in_days=DEADLINE)
    stack = Stack(client, world, token)
    stack.world_start = date.today() + timedelta(days=START)
    reference = Reference(date.today())
    rng = random.Random(seed)
    seen: set[str] = set()
    began = clock.now()
    for step in range(STEPS):
        due = began + timedelta(hours=step * HOURS)
        action = _clock_step(rng, reference, stack, due) if clock.now() < due else _one_step(rng, reference, stack)
        seen.add(action.split(" ")[0])
        _compare(reference, stack, step, action)
    # the sequence went through every kind of step and every phase of the list
    assert seen >= {"enrol", "join", "cancel", "leave", "reject", "approve", "seats", "clock", "accept", "decline"}
    assert reference.mode() == "closed"


def _one_step(rng: random.Random, reference: Reference, stack: Stack) -> str:
    person = rng.randrange(PEOPLE)
    kind = rng.choices(["enrol", "join", "cancel", "leave", "decide", "seats", "clock", "offer"],
                       weights=[3, 8, 2, 1, 2, 1, 1, 4])[0]
    if reference.offers and rng.random() < 0.3:
        kind = "offer"  # offers live a day: answer some of them while they do
    if kind == "enrol":
        expected = reference.enrol(person)
        answered = stack.enrol(person)
        assert answered == expected, (kind, person, answered, expected)
        return f"enrol {person}"
    if kind == "join":
        expected = reference.join(person)
        answered = stack.join(person)
        assert answered == expected, (kind, person, answered, expected)
        return f"join {person}"
    if kind == "cancel" and reference.enrolled:
        chosen = rng.choice(sorted(reference.enrolled))
        stack.cancel(chosen)
        reference.end_enrolment(chosen)
        return f"cancel {chosen}"
    if kind == "leave" and reference.queue:
        chosen = rng.choice(reference.queue)
        stack.leave(chosen)
        reference.leave(chosen)
        return f"leave {chosen}"
    pending = sorted(p for p, status in reference.enrolled.items() if status == "pending_approval")
    if kind == "decide" and pending:
        chosen = rng.choice(pending)
        if rng.random() < 0.5:
            stack.decide(chosen, "reject")
            reference.end_enrolment(chosen)
            return f"reject {chosen}"
        stack.decide(chosen, "approve")
        reference.approve(chosen)
        return f"approve {chosen}"
    live_offers = sorted(p for p, expires in reference.offers.items() if expires > clock.now())
    if kind == "offer" and live_offers:
        chosen = rng.choice(live_offers)
        if rng.random() < 0.6:
            stack.offer(chosen, "accept")
            reference.accept(chosen)
            return f"accept {chosen}"
        stack.offer(chosen, "decline")
        reference.leave(chosen)
        return f"decline {chosen}"
    if kind == "seats":
        seats = rng.randint(1, 5)
        stack.set_seats(seats)
        reference.set_seats(seats)
        return f"seats {seats}"
    if kind == "clock":
        return _clock_step(rng, reference, stack, clock.now())
    return "nothing"


def _clock_step(rng: random.Random, reference: Reference, stack: Stack, due: datetime) -> str:
    """The clock moves to when it is due and a few hours on; the hourly jobs run."""
    moved = max(due, clock.now()) + timedelta(minutes=rng.randint(1, 1500))
    clock.freeze(moved)
    stack.jobs()
    reference.jobs()
    return f"clock {moved.isoformat()}"
