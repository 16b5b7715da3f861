"""A small per-container cache for facts that change rarely (organisations, suppliers)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class ShortCache(Generic[V]):
    """Keeps what `load` returned for `seconds`; roles and account status never go in one (R_ACC_11)."""

    def __init__(self, load: Callable[[str], V], seconds: float = 30.0) -> None:
        self._load = load
        self._seconds = seconds
        self._entries: dict[str, tuple[float, V]] = {}

    def get(self, key: str) -> V:
        hit = self._entries.get(key)
        if hit and time.monotonic() - hit[0] < self._seconds:
            return hit[1]
        value = self._load(key)
        self._entries[key] = (time.monotonic(), value)
        return value

    def clear(self) -> None:
        self._entries.clear()
