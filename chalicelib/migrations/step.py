"""How a data migration is written (R_OPS_04): one `Migration` over one table's items.

`pending(item)` says whether an item still needs the step; `migrate(item)` brings it up to date with
one conditional write that fails when the item changed since it was read (or is gone), so a write
never rests on a stale read and never brings a deleted item back. The runner reads the table page by
page and calls `migrate` only where `pending` holds, so running a migration again changes nothing.
An item the step cannot bring up to date raises `CannotMigrateError`: the runner counts it as not
reached, and the retention self-check reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pynamodb.attributes import Attribute
from pynamodb.models import Model

from chalicelib.platform import clock


class CannotMigrateError(Exception):
    """This item lacks what the migration derives its new value from."""


@dataclass(frozen=True)
class Migration:
    migration_id: str  # "0001-enrolment-spend-month": the number orders the migrations
    model: type[Model]
    summary: str  # what it does and why, in one line (shown by `python -m tools.migrate status`)
    pending: Callable[[Any], bool]
    migrate: Callable[[Any], None]


def set_once(item: Model, attribute: Attribute[Any], value: Any, *sources: Attribute[Any]) -> None:
    """Set `attribute` to `value` on the stored item, only while the item exists, still lacks the attribute
    and still holds the `sources` it was derived from (as read). Raises PynamoDB's UpdateError otherwise."""
    model = type(item)
    key: Attribute[Any] = getattr(model, str(model._hash_keyname))
    condition = key.exists() & attribute.does_not_exist()
    for source in sources:
        condition &= source == getattr(item, str(source.attr_name))
    item.update(actions=[attribute.set(value)], condition=condition)


def amsterdam_day(moment: datetime | None) -> str:
    """The Europe/Amsterdam calendar day of a stored moment, as the code writes `created_day` today."""
    if moment is None:
        raise CannotMigrateError("no moment to derive the day from")
    return moment.astimezone(clock.AMSTERDAM).date().isoformat()
