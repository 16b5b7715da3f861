"""Which changes of a run people must hear of (R_CAL_02). Pure: no I/O.

The import marks a run whose supplier changed one of these while people are on it; the calendar's
notice job tells them what changed, old and new, with the updated invitation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.enrolment.rules import RUN_FACTS

# dates, times, place, online or not; what a calendar entry or a journey depends on
NOTICED = RUN_FACTS


def comparable(name: str, value: Any) -> Any:
    """Stored and imported values alike: no value and an empty one are the same, online is a yes or no."""
    if name == "online":
        return bool(value)
    return value or None


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The noticed fields whose value differs, in NOTICED order."""
    return [name for name in NOTICED if comparable(name, before.get(name)) != comparable(name, after.get(name))]
