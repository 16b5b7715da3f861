"""Helpers for the privacy-clock tests: run a scheduled job through its Lambda handler, snapshot tables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from chalice.test import Client

from chalicelib import models


def run_job(client: Client, name: str) -> Any:
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                            resources=[])
    return client.lambda_.invoke(name, event).payload


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every item of every table (tests only: a Scan outside a route is allowed here)."""
    return {model.__name__: sorted((item.to_simple_dict(force=True) for item in model.scan()), key=repr)
            for model in models.ALL_MODELS if model is not models.EventLogEntry and model is not models.Counter
            and model is not models.RateCounter}
