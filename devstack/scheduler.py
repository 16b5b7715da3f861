"""Scheduled jobs in the local stack: on demand and on their cadence.

`chalice local` never runs `@app.schedule` functions, so the stack does. A job runs through its
Lambda handler with a complete EventBridge event, as on AWS (the handler also writes the job's
event-log entry); a job without a registered handler runs its `run()` directly.
"""

from __future__ import annotations

import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID


class UnknownJob(KeyError):
    pass


class JobRunner:
    def __init__(self, jobs: Mapping[str, Any], handlers: Mapping[str, Callable[..., Any]], region: str) -> None:
        self._jobs = jobs
        self._handlers = handlers
        self._region = region
        # One job at a time: moto's DynamoDB takes no locks, and on AWS a job is one Lambda anyway.
        self._lock = threading.Lock()

    def describe(self) -> list[dict[str, Any]]:
        return [{"name": job.name, "every_seconds": job.every_seconds} for job in self._jobs.values()]

    def run(self, name: str) -> dict[str, Any]:
        job = self._jobs.get(name)
        if job is None:
            raise UnknownJob(name)
        handler = self._handlers.get(name)
        with self._lock:
            result = handler(self._event(name), None) if handler is not None else job.run()
        return dict(result or {})

    def start_schedule(self, stop: threading.Event) -> threading.Thread:
        thread = threading.Thread(target=self._schedule_loop, args=(stop,), name="devstack-jobs", daemon=True)
        thread.start()
        return thread

    def _schedule_loop(self, stop: threading.Event) -> None:
        due = {name: time.monotonic() + job.every_seconds for name, job in self._jobs.items()}
        while due and not stop.wait(max(0.0, min(due.values()) - time.monotonic())):
            for name in [n for n, at in due.items() if at <= time.monotonic()]:
                self._run_logged(name)
                due[name] = time.monotonic() + self._jobs[name].every_seconds

    def _run_logged(self, name: str) -> None:
        try:
            result = self.run(name)
            if any(result.values()):  # a run that did nothing stays quiet
                print(f"[taak] {name}: {result}", flush=True)
        except Exception:
            print(f"[taak] {name} mislukt:\n{traceback.format_exc()}", flush=True)

    def _event(self, name: str) -> dict[str, Any]:
        """A complete EventBridge scheduled event: Chalice's event class reads every field."""
        return {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": DEFAULT_ACCOUNT_ID,
            "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": self._region,
            "resources": [f"arn:aws:events:{self._region}:{DEFAULT_ACCOUNT_ID}:rule/leer-rijk-local-{name}"],
            "detail": {},
        }
