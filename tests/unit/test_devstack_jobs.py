"""The local stack's job runner: Lambda-style invocation, on demand and on a cadence."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pytest

from devstack.scheduler import JobRunner, UnknownJob

EVENT_FIELDS = {"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}


@dataclass(frozen=True)
class FakeJob:
    name: str
    every_seconds: float
    run: Any


def test_a_job_runs_through_its_handler_with_a_complete_scheduled_event() -> None:
    events: list[dict[str, Any]] = []
    runner = JobRunner(
        {"tidy": FakeJob("tidy", 60, lambda: {"count": -1})},
        {"tidy": lambda event, context: events.append(event) or {"count": 2}},
        "eu-west-1",
    )
    assert runner.run("tidy") == {"count": 2}
    assert set(events[0]) == EVENT_FIELDS
    assert runner.describe() == [{"name": "tidy", "every_seconds": 60}]
    with pytest.raises(UnknownJob):
        runner.run("nope")


def test_a_job_without_handler_runs_directly_and_the_schedule_fires_it() -> None:
    fired = threading.Event()
    runner = JobRunner({"tick": FakeJob("tick", 0.01, lambda: fired.set() or {"count": 0})}, {}, "eu-west-1")
    stop = threading.Event()
    thread = runner.start_schedule(stop)
    try:
        assert fired.wait(timeout=5)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
