"""A small world for waiting-list tests: a full execution, people who enrol, join, cancel and leave through
the routes, and what the mailbox and the tables say afterwards."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from chalicelib.access import Access
from chalicelib.enrolment import moving_up
from chalicelib.enrolment.waiting_rules import Mode
from chalicelib.models import Enrolment, EnrolmentGuard, Execution, WaitingPlace
from chalicelib.platform import clock
from tests.functional import enrolment_fixtures as fx
from tests.functional.conftest import sent_mail
from tests.functional.helpers import acting_as, bearer

ORG = "org-bzk"


def person(i: int, org_id: str = ORG, domain: str = "minbzk.nl") -> str:
    account_id = f"acct-{i}"
    fx.account(org_id=org_id, account_id=account_id, email=f"p{i}@{domain}")
    return account_id


def filled_run(client: Any, people: int, seats: int, **publish: Any) -> fx.World:
    """The organisation with persons 0..people-1, and a run whose `seats` seats persons 0..seats-1 took
    through the route (`publish`: fx.publish's options, e.g. start_in_days)."""
    fx.organisation()
    for i in range(people):
        person(i)
    world = fx.publish(client, seats=seats, **publish)
    for i in range(seats):
        assert enrol(client, world, i).status_code == 201
    return world


def as_person(i: int, org_id: str = ORG) -> Any:
    return acting_as(Access.EMPLOYEE, org_id=org_id, level=1, subject_id=f"acct-{i}")


def form(world: fx.World, i: int, **overrides: Any) -> dict[str, Any]:
    return fx.form(world, email=f"p{i}@minbzk.nl", first_name=f"Persoon{i}", **overrides)


def enrol(client: Any, world: fx.World, i: int, **overrides: Any) -> Any:
    with as_person(i):
        return fx.post_json(client, "/enrolments", form(world, i, **overrides), key=f"enrol-{i}")


def join(client: Any, world: fx.World, i: int, key: str | None = None, **overrides: Any) -> Any:
    with as_person(i):
        return fx.post_json(client, "/waiting", form(world, i, **overrides), key=key or f"join-{i}")


def cancel(client: Any, enrolment_id: str, i: int) -> Any:
    with as_person(i):
        return fx.post_json(client, f"/enrolments/{enrolment_id}/cancel", {}, key=None)


def leave(client: Any, place_id: str, i: int) -> Any:
    with as_person(i):
        return fx.post_json(client, f"/waiting/{place_id}/leave", {}, key=None)


def my_places(client: Any, i: int) -> list[dict[str, Any]]:
    with as_person(i):
        response = client.http.get("/me/waiting")
    assert response.status_code == 200, response.body
    return list(response.json_body["items"])


def my_enrolments(client: Any, i: int) -> list[dict[str, Any]]:
    with as_person(i):
        response = client.http.get("/me/enrolments")
    assert response.status_code == 200, response.body
    return list(response.json_body["items"])


def lms_body(world: fx.World, n: int, **overrides: Any) -> dict[str, Any]:
    body = {"course_id": world.course_id, "execution_id": world.execution_id, "first_name": f"Lms{n}",
            "last_name": "Deelnemer", "email": f"lms{n}@minbzk.nl", "phone": "0701234567", "gender": "vrouw",
            "consent_at": "2026-11-20T10:00:00Z", "consent_version": "2026-11", **overrides}
    return body


def lms_post(client: Any, path: str, token: str, body: dict[str, Any], key: str | None) -> Any:
    headers = {**bearer(token), **({"Idempotency-Key": key} if key else {})}
    return client.http.post(path, headers=headers, body=json.dumps(body))


def execution(world: fx.World) -> Execution:
    return Execution.get(world.course_id, world.execution_id, consistent_read=True)


def places(world: fx.World) -> list[WaitingPlace]:
    return list(WaitingPlace.query(f"{world.course_id}#{world.execution_id}", consistent_read=True))


def enrolment_of(i: int) -> Enrolment:
    """Person i's one enrolment that is not cancelled."""
    [found] = [e for e in Enrolment.scan() if e.account_id == f"acct-{i}" and e.status != "cancelled"]
    return found


def active(world: fx.World) -> list[Enrolment]:
    """The run's course's approved and pending enrolments (filtered by moto, which then encodes only these)."""
    return list(Enrolment.scan((Enrolment.course_id == world.course_id)
                               & Enrolment.status.is_in("approved", "pending_approval")))


def subjects_to(address: str) -> list[str]:
    return [m.subject for m in sent_mail() if m.destinations["ToAddresses"] == [address]]


def mail_to(address: str, subject: str) -> Any:
    found = [m for m in sent_mail() if m.destinations["ToAddresses"] == [address] and m.subject == subject]
    assert found, (address, subject, [(m.destinations["ToAddresses"], m.subject) for m in sent_mail()])
    return found[-1]


def offer_token(address: str) -> str:
    body = mail_to(address, "Er is een plaats voor u: reageer binnen 24 uur").body
    found = re.search(r"/wachtlijst/#([^\"<\s]+)", body)
    assert found, body
    return found.group(1)


@dataclass(frozen=True)
class Seen:
    """One look at a run's stored state: the execution, its list, its active enrolments and its guards."""

    execution: Execution
    places: list[WaitingPlace]
    holders: list[Enrolment]
    guards: list[EnrolmentGuard]


def look(world: fx.World) -> Seen:
    return Seen(execution(world), places(world), active(world),
                list(EnrolmentGuard.scan(EnrolmentGuard.guard_id.startswith(f"{world.course_id}#"))))


def invariants(world: fx.World, seen: Seen | None = None) -> None:
    """What must hold at every instant (R_WAIT_02, R_ENR_05): seats taken are the active enrolments and
    the offers; the counts on the execution are the places; one guard per enrolment or place. `seen`: a
    look just taken (a caller that compares it with more need not read it all again)."""
    seen = seen or look(world)
    stored, listed, holders = seen.execution, seen.places, seen.holders
    offered = [p for p in listed if p.status == "offered"]
    waiting = [p for p in listed if p.status == "waiting"]
    assert int(stored.seats_taken) == len(holders) + len(offered)
    assert int(stored.waiting_count or 0) == len(waiting)
    assert int(stored.offered_count or 0) == len(offered)
    assert {g.enrolment_id for g in seen.guards if g.enrolment_id} == {e.enrolment_id for e in holders}
    assert {g.place_id for g in seen.guards if g.place_id} == {p.place_id for p in listed}
    if stored.seats is not None and waiting and moving_up.list_mode(stored, clock.today()) is not Mode.CLOSED:
        assert int(stored.seats_taken) >= int(stored.seats)  # never a free seat while someone waits
