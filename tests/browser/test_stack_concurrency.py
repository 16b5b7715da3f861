"""The local stack is as correct as production under concurrent requests (R_SEC_05, R_ENR_05, R_WAIT_02).

Against the started stack over HTTP (not the in-process test client): many LMS enrolments at once
on a run with few seats. moto's DynamoDB is serialised per request in devstack/, as DynamoDB
applies each request atomically, so exactly the free seats are taken, every 201 is a stored
enrolment, and the seats add up after every accepted enrolment is cancelled again.
"""

from __future__ import annotations

import json
import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from devstack.seed import ORG_BELASTINGDIENST
from tests.browser.conftest import Answer, Stack, http
from tests.browser.test_catalogue_pages import api_key, catalogue_program, put_program, run_in

SEATS = 3
CLIENTS = 16
ROUNDS = 4  # one run each; the races moto allows show within a few rounds


def _lms_headers(stack: Stack) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key(stack, f'LMS van {ORG_BELASTINGDIENST}')}",
            "Content-Type": "application/json"}


def _enrol(stack: Stack, headers: dict[str, str], course_id: str, number: int) -> Answer:
    body = {
        "course_id": course_id, "execution_id": "r1", "first_name": "Deelnemer", "last_name": f"Nummer{number}",
        "email": f"deelnemer{number}@belastingdienst.nl", "phone": "+31 70 123 4567", "gender": "vrouw",
        "consent_at": "2026-11-20T10:00:00Z", "consent_version": "2026-11",
    }
    return http("POST", f"{stack.base_url}/api/lms/enrolments", {**headers, "Idempotency-Key": uuid.uuid4().hex},
                json.dumps(body).encode())


def _seats_left(stack: Stack, course_id: str) -> Any:
    course = http("GET", f"{stack.base_url}/api/courses/{course_id}").json()
    return next(e["seats_left"] for e in course["executions"] if e["execution_id"] == "r1")


def test_R_SEC_05_R_ENR_05_concurrent_enrolments_on_the_local_stack_take_exactly_the_free_seats(stack: Stack) -> None:
    headers = _lms_headers(stack)
    for _ in range(ROUNDS):
        stored = put_program(stack, catalogue_program(f"CONC-{uuid.uuid4().hex[:6]}", "Gelijktijdig inschrijven",
                                                      [run_in(40, "r1", seats=SEATS)]))
        _one_round(stack, headers, stored["course_id"])


def _one_round(stack: Stack, headers: dict[str, str], course_id: str) -> None:
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(pool.map(lambda n: _enrol(stack, headers, course_id, n), range(CLIENTS)))

    accepted = [a for a in answers if a.status == 201]
    assert len(accepted) == SEATS, [(a.status, a.body[:120]) for a in answers]
    assert {a.status for a in answers} <= {201, 409}, [(a.status, a.body[:120]) for a in answers]
    assert {a.json()["error"]["code"] for a in answers if a.status == 409} == {"full"}
    assert _seats_left(stack, course_id) == 0

    # Every 201 is a stored enrolment: cancelling each one succeeds and gives its seat back.
    for answer in accepted:
        enrolment_id = answer.json()["enrolment_id"]
        cancelled = http("POST", f"{stack.base_url}/api/lms/enrolments/{enrolment_id}/cancel", headers, b"{}")
        assert cancelled.status == 200, cancelled.body
    assert _seats_left(stack, course_id) == SEATS


# --- the waiting list on the started stack (R_WAIT_02, R_SEC_05) ------------------------------------------------

SUPPLIER_MAILBOX = "inschrijvingen@opleidingshuis-rijk.example"  # the demo supplier that gets enrolments by mail


def _lms(stack: Stack, headers: dict[str, str], method: str, path: str, body: dict[str, Any] | None = None,
         key: bool = False) -> Answer:
    extra = {"Idempotency-Key": uuid.uuid4().hex} if key else {}
    return http(method, f"{stack.base_url}/api{path}", {**headers, **extra},
                json.dumps(body).encode() if body is not None else None)


def _body(course_id: str, number: int) -> dict[str, Any]:
    return {"course_id": course_id, "execution_id": "r1", "first_name": "Wachtende", "last_name": f"Nummer{number}",
            "email": f"wachtende{number}@belastingdienst.nl", "phone": "+31 70 123 4567", "gender": "vrouw",
            "consent_at": "2026-11-20T10:00:00Z", "consent_version": "2026-11"}


def _supplier_count(stack: Stack, course_marker: str, subject: str) -> int:
    return len([m for m in http("GET", f"{stack.base_url}/_dev/mail.json").json()
                if SUPPLIER_MAILBOX in m["destinations"] and m["subject"] == subject and course_marker in m["body"]])


def test_R_WAIT_02_R_SEC_05_enrolling_joining_and_cancelling_at_once_keep_the_list_right_on_the_stack(
        stack: Stack) -> None:
    """16 clients enrol into 3 seats at once, 10 of those refused join the list at once, then the 3 cancel
    while 3 more join: afterwards the seats taken are the confirmed enrolments, nobody waits while a seat is
    free, and the people moved up are the first who joined, in order."""
    headers = _lms_headers(stack)
    program_id = f"WACHT-{uuid.uuid4().hex[:6]}"
    document = catalogue_program(program_id, "Gelijktijdig wachten", [run_in(60, "r1", seats=SEATS)])
    course_id = put_program(stack, document)["course_id"]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        enrolled = list(pool.map(lambda n: _lms(stack, headers, "POST", "/lms/enrolments", _body(course_id, n), True),
                                 range(CLIENTS)))
    accepted = [a.json()["enrolment_id"] for a in enrolled if a.status == 201]
    refused = [n for n, a in enumerate(enrolled) if a.status == 409]
    assert len(accepted) == SEATS and len(refused) == CLIENTS - SEATS, [(a.status, a.body[:100]) for a in enrolled]
    assert {a.json()["error"]["code"] for a in enrolled if a.status == 409} == {"full"}

    first, later = refused[:10], refused[10:13]
    with ThreadPoolExecutor(max_workers=10) as pool:
        joined = list(pool.map(lambda n: _lms(stack, headers, "POST", "/lms/waiting", _body(course_id, n), True),
                               first))
    assert all(a.status == 201 and a.json()["outcome"] == "waiting" for a in joined), [a.body[:100] for a in joined]
    order = [a.json()["place_id"] for a in sorted(joined, key=lambda a: a.json()["position"])]
    assert sorted(a.json()["position"] for a in joined) == list(range(1, 11))  # each position once: exact order

    random.Random(24).shuffle(accepted)
    work = [("cancel", enrolment_id) for enrolment_id in accepted] + [("join", n) for n in later]
    random.Random(25).shuffle(work)

    def act(step: tuple[str, Any]) -> Answer:
        kind, what = step
        if kind == "cancel":
            return _lms(stack, headers, "POST", f"/lms/enrolments/{what}/cancel", {})
        return _lms(stack, headers, "POST", "/lms/waiting", _body(course_id, what), True)

    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        answers = list(pool.map(act, work))
    assert all(a.status in (200, 201) for a in answers), [(a.status, a.body[:100]) for a in answers]
    late_places = [a.json()["place_id"] for (kind, _), a in zip(work, answers, strict=True) if kind == "join"]

    # who moved up: the first three who joined, and only they
    still = {place_id: _lms(stack, headers, "GET", f"/lms/waiting/{place_id}") for place_id in order + late_places}
    gone = [place_id for place_id in order if still[place_id].status == 404]
    assert gone == order[:SEATS]
    remaining = [still[p].json()["position"] for p in order[SEATS:] + late_places]
    assert sorted(remaining) == list(range(1, len(remaining) + 1))
    assert remaining[:7] == list(range(1, 8))  # the early joiners keep their order ahead of the late ones

    # seats taken are the confirmed enrolments (the supplier was told of each), and none is free while people wait
    confirmed = _supplier_count(stack, program_id, "Nieuwe inschrijving via Leer-Rijk") - _supplier_count(
        stack, program_id, "Annulering via Leer-Rijk")
    assert confirmed == SEATS and _seats_left(stack, course_id) == 0
