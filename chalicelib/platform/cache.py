"""A small per-container cache for facts that change rarely (organisations, suppliers)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import ClassVar, Generic, TypeVar

V = TypeVar("V")


class ShortCache(Generic[V]):
    """Keeps what `load` returned for `seconds`; roles and account status never go in one (R_ACC_11)."""

    _held: ClassVar[bool] = False  # see held()

    def __init__(self, load: Callable[[str], V], seconds: float = 30.0) -> None:
        self._load = load
        self._seconds = seconds
        self._entries: dict[str, tuple[float, V]] = {}

    def get(self, key: str) -> V:
        hit = self._entries.get(key)
        if hit and (ShortCache._held or time.monotonic() - hit[0] < self._seconds):
            return hit[1]
        value = self._load(key)
        self._entries[key] = (time.monotonic(), value)
        return value

    def clear(self) -> None:
        self._entries.clear()


@contextlib.contextmanager
def held() -> Iterator[None]:
    """No entry expires meanwhile: the bench measures warm requests (bench/route_calls.py), and on a busy
    machine more than `seconds` may pass between the request that warmed a cache and the one measured."""
    ShortCache._held = True
    try:
        yield
    finally:
        ShortCache._held = False
