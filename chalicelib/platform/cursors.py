"""Opaque, signed pagination cursors: a tampered, foreign or malformed cursor is a 400 naming `cursor`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from chalicelib.platform import signing
from chalicelib.platform.errors import InvalidInputError

T = TypeVar("T")


def encode(purpose: str, data: dict[str, Any]) -> str:
    return signing.seal(purpose, data)


def decode(purpose: str, cursor: str, read: Callable[[dict[str, Any]], T]) -> T:
    """`read` turns the cursor's data into a position; KeyError, ValueError or TypeError there is a 400."""
    try:
        return read(signing.unseal(purpose, cursor))
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        raise InvalidInputError("De vervolgpagina is ongeldig; zoek opnieuw.", fields={"cursor": "Ongeldig."}) from None
