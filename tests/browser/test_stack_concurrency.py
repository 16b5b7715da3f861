"""The local stack is as correct as production under concurrent requests (R_SEC_05, R_ENR_05).

Against the started stack over HTTP (not the in-process test client): many LMS enrolments at once
on a run with few seats. moto's DynamoDB is serialised per request in devstack/, as DynamoDB
applies each request atomically, so exactly the free seats are taken, every 201 is a stored
enrolment, and the seats add up after every accepted enrolment is cancelled again.
"""

from __future__ import annotations

import json
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
