"""Shared test helpers: act as a principal without the account machinery."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chalicelib.api import guard
from chalicelib.api.routing import Access, Principal


@contextmanager
def acting_as(*audiences: Access, org_id: str | None = "org-test", level: int = 2) -> Iterator[Principal]:
    """Every request in the block is made by a principal with these audiences."""
    principal = Principal("account", "acct-test", org_id, frozenset(audiences), level)

    def authenticate(request: Any) -> Principal:
        return principal

    guard.AUTHENTICATORS.insert(0, authenticate)
    try:
        yield principal
    finally:
        guard.AUTHENTICATORS.remove(authenticate)
