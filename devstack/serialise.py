"""DynamoDB's per-request atomicity for moto (R_SEC_05; ARCHITECTURE "Testing on moto").

moto's DynamoDB takes no locks: concurrent transactions interleave, a cancelled transaction
restores a copy of the whole table over writes that committed meanwhile, and its ADD counter can
hand out duplicates. Real DynamoDB applies each request atomically. One lock around every
DynamoDB request that moto's server handles gives the local stack the same guarantees, so
concurrent enrolments never overbook or lose an accepted write. It lives here, never in
chalicelib/: production code gets its atomicity from DynamoDB itself.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

_LOCK = threading.RLock()
_INSTALLED = "_leerrijk_serialised"


def serialise_dynamodb() -> Callable[[], None]:
    """Make every DynamoDB request moto handles atomic with respect to all others, including the
    serialising of its answer (moto returns live items: an answer built after a backend-level lock
    is released can show a later writer's value). Idempotent; returns a function that undoes it."""
    from moto.dynamodb.responses import DynamoHandler

    original: Callable[..., Any] = DynamoHandler.call_action
    if getattr(original, _INSTALLED, False):
        return lambda: None

    @functools.wraps(original)
    def call_action(self: Any) -> Any:
        with _LOCK:
            return original(self)

    setattr(call_action, _INSTALLED, True)
    DynamoHandler.call_action = call_action  # type: ignore[method-assign]

    def undo() -> None:
        DynamoHandler.call_action = original  # type: ignore[method-assign]

    return undo
