"""What a directory sync does with the changes it reads (R_DEX_01-03). Pure: no I/O, no clock.

The cursor is a keyset position in the directory's own order of changes: (lastChange, orgUnitId/programId).
The changes feed is asked from a second before the cursor (whether `changesSince` includes its moment
is not documented), and what is at or before the cursor is dropped here: a replay is harmless, a gap
impossible.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# The Data API keeps changes for 90 days; a cursor nearly that old is read afresh from the catalog.
CHANGES_KEPT = timedelta(days=90)
FRESH_READ_MARGIN = timedelta(days=1)
SINCE_OVERLAP = timedelta(seconds=1)

ACTIVE = "active"
WITHDRAWN = frozenset({"inactive", "removed"})

UNMAPPED = "unmapped"  # no Leer-Rijk supplier has this orgUnitId
TERMS = "terms"  # the supplier has not accepted the general terms (R_CAT_06)


@dataclass(frozen=True)
class Change:
    """One entry of a catalog's changes (or of its program list, on a fresh read)."""

    status: str  # active | inactive | removed
    supplier_id: str  # the directory's orgUnitId of the supplier
    program_id: str
    client_id: str | None  # the client variant, or None for the public one
    last_change: datetime

    @property
    def key(self) -> str:
        return program_key(self.supplier_id, self.program_id)

    @property
    def position(self) -> Position:
        return Position(self.last_change, self.key)


@dataclass(frozen=True, order=True)
class Position:
    at: datetime
    key: str


@dataclass(frozen=True)
class Admission:
    """Whether a directory supplier's programs may be published: the Leer-Rijk supplier it maps to, if any,
    and whether that supplier accepted the terms."""

    supplier_id: str | None
    terms_accepted: bool
    held: int = 0  # programs of it held now


def program_key(supplier_id: str, program_id: str) -> str:
    return f"{supplier_id}/{program_id}"


def changes_since(cursor: Position | None, now: datetime) -> datetime | None:
    """The `changesSince` to ask, or None when the catalog must be read afresh (no cursor yet, or one the
    directory no longer keeps changes for)."""
    if cursor is None or cursor.at < now - CHANGES_KEPT + FRESH_READ_MARGIN:
        return None
    return cursor.at - SINCE_OVERLAP


def pending(changes: Iterable[Change], cursor: Position | None) -> list[Change]:
    """The changes after the cursor, oldest first, one per program: its newest, and at one moment the
    variant for this client over the public one."""
    newest: dict[str, Change] = {}
    for change in changes:
        if cursor is not None and change.position <= cursor:
            continue
        seen = newest.get(change.key)
        if seen is None or _later(change, seen):
            newest[change.key] = change
    return sorted(newest.values(), key=lambda change: change.position)


def _later(change: Change, seen: Change) -> bool:
    if change.last_change != seen.last_change:
        return change.last_change > seen.last_change
    return change.client_id is not None and seen.client_id is None


def batches(changes: Sequence[Change], size: int) -> Iterator[Sequence[Change]]:
    for start in range(0, len(changes), size):
        yield changes[start:start + size]


def hold_reason(admission: Admission) -> str | None:
    """Why a supplier's programs are held rather than published (R_DEX_03), or None: they may be published."""
    if admission.supplier_id is None:
        return UNMAPPED
    if not admission.terms_accepted:
        return TERMS
    return None


def withdraws(change: Change) -> bool:
    return change.status in WITHDRAWN
