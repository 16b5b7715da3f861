"""R_ENR_10: the anonymisation job. Every enrolment (cancelled ones too) whose anonymisation day has
come (original end date + 12 months, written at enrolment with the sparse `anonymise-month-index`) is
anonymised together with every copy of its data.

What happens to each attribute and each table comes from the privacy register and nothing else:
`TABLES[...].on_anonymisation` says whether a table's items of the enrolment are anonymised (UPDATED)
or deleted (DELETED), and each attribute's `anonymise` rule says keep, remove, reduce to the month or
mark. `COPY_FINDERS` only says how to find a table's items of one enrolment, by key or index.

The job reads by the date-keyed index only, month by month from a cursor (missed months are caught
up), and stops within a time budget: copies go first and the enrolment's index attributes last, so a
run cut off by a Lambda timeout leaves the enrolment in the index and the next run simply does it
again. Every step is idempotent.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError
from pynamodb.models import Model

from chalicelib.models import (
    Counter,
    Disclosure,
    Enrolment,
    EnrolmentGuard,
    FeedEntry,
    IdempotencyRecord,
    OrderLine,
    OutboxItem,
    plain,
)
from chalicelib.platform import clock
from chalicelib.privacy import clock_rules
from chalicelib.privacy.register import (
    Anonymise,
    OnAnonymisation,
    anonymisation_rules,
    models_on_anonymisation,
)

CURSOR = "anonymise-cursor"
BUDGET_SECONDS = 240.0  # inside the job function's 300 s timeout; the rest waits for the next run


def _reload(key_item: Model) -> Model | None:
    model = type(key_item)
    hash_value = getattr(key_item, str(model._hash_keyname))
    range_value = getattr(key_item, model._range_keyname) if model._range_keyname else None
    try:
        return model.get(hash_value, range_value, consistent_read=True)
    except DoesNotExist:
        return None


def _by_index(index: Any) -> Callable[[Enrolment], list[Model]]:
    def find(enrolment: Enrolment) -> list[Model]:
        return [item for key in index.query(enrolment.enrolment_id) if (item := _reload(key)) is not None]

    return find


def _disclosures(enrolment: Enrolment) -> list[Model]:
    return list(Disclosure.query(enrolment.enrolment_id, consistent_read=True))


def _guard(enrolment: Enrolment) -> list[Model]:
    if not enrolment.guard_id:
        return []
    try:
        guard = EnrolmentGuard.get(enrolment.guard_id, consistent_read=True)
    except DoesNotExist:
        return []
    return [guard] if guard.enrolment_id == enrolment.enrolment_id else []  # another enrolment's guard stays


def _keys_by_index(index: Any) -> Callable[[Enrolment], list[Model]]:
    """Items to delete: the keys are enough."""

    def find(enrolment: Enrolment) -> list[Model]:
        return list(index.query(enrolment.enrolment_id))

    return find


# How to find one enrolment's items per table (never a Scan). Which tables and what to do: the register.
COPY_FINDERS: dict[str, Callable[[Enrolment], list[Model]]] = {
    "OrderLine": _by_index(OrderLine.enrolment_index),
    "Disclosure": _disclosures,
    "FeedEntry": _by_index(FeedEntry.enrolment_index),
    "OutboxItem": _keys_by_index(OutboxItem.enrolment_index),
    "IdempotencyRecord": _keys_by_index(IdempotencyRecord.enrolment_index),
    "EnrolmentGuard": _guard,
}


def updates_for(model_name: str, item: Model) -> list[Any]:
    """The update actions the register's rules ask for on this item; none when it is anonymised already."""
    actions: list[Any] = []
    keys = {type(item)._hash_keyname, type(item)._range_keyname}
    for name, rule in anonymisation_rules(model_name).items():
        if name in keys or rule is Anonymise.KEEP:
            continue
        attribute = getattr(type(item), name)
        value = getattr(item, name, None)
        if rule is Anonymise.REMOVE and value is not None:
            actions.append(attribute.remove())
        elif rule is Anonymise.MONTH and value is not None:
            reduced = clock_rules.reduced_to_month(value)
            if reduced != value:
                actions.append(attribute.set(reduced))
        elif rule is Anonymise.MARK and value is not True:
            actions.append(attribute.set(True))
    return actions


def _anonymise_copy(model_name: str, item: Model) -> None:
    actions = updates_for(model_name, item)
    if actions:
        with contextlib.suppress(UpdateError):  # deleted meanwhile: nothing left to anonymise
            item.update(actions=actions, condition=getattr(type(item), str(type(item)._hash_keyname)).exists())


def _delete_copy(model_name: str, item: Model, enrolment: Enrolment) -> None:
    condition = EnrolmentGuard.enrolment_id == enrolment.enrolment_id if model_name == "EnrolmentGuard" else None
    with contextlib.suppress(DeleteError):
        item.delete(condition=condition)


def anonymise_enrolment(enrolment_id: str) -> bool:
    """Anonymise one enrolment and every copy; True when something was left to do."""
    for _attempt in range(3):
        try:
            enrolment = Enrolment.get(enrolment_id, consistent_read=True)
        except DoesNotExist:
            return False
        if enrolment.anonymised and enrolment.anonymise_month is None:
            return False
        for name in models_on_anonymisation(OnAnonymisation.DELETED):
            for item in COPY_FINDERS[name](enrolment):
                _delete_copy(name, item, enrolment)
        for name in models_on_anonymisation(OnAnonymisation.UPDATED):
            if name == "Enrolment":
                continue
            for item in COPY_FINDERS[name](enrolment):
                _anonymise_copy(name, item)
        actions = [*updates_for("Enrolment", enrolment), Enrolment.version.add(1)]
        try:  # last: drops the index attributes, so a cut-off run redoes this enrolment
            enrolment.update(actions=actions, condition=Enrolment.version == enrolment.version)
        except UpdateError:
            continue  # changed meanwhile (a cancellation, a detach): read it again
        return True
    # the run stops here (logged as a system error by jobs.run); the cursor stays, the next run retries
    raise RuntimeError("enrolment kept changing during anonymisation")


def _cursor() -> str:
    try:
        month = plain(Counter.get(CURSOR, consistent_read=True).extra).get("month")
    except DoesNotExist:
        return clock_rules.FIRST_MONTH
    return str(month) if month else clock_rules.FIRST_MONTH


def _advance(month: str) -> None:
    Counter(CURSOR, value=0, extra={"month": month}).save()


def due_ids(month: str, today: date) -> Iterable[str]:
    for key in Enrolment.anonymise_index.query(month, Enrolment.anonymise_day <= today.isoformat()):
        yield key.enrolment_id


def run(budget_seconds: float = BUDGET_SECONDS) -> dict[str, Any]:
    """The daily job: everything due through today, month by month from the cursor."""
    started = time.monotonic()
    today = clock.today()
    first = cursor = _cursor()
    done, more = 0, False
    for month in clock_rules.months_through(first, today):
        for enrolment_id in due_ids(month, today):
            if time.monotonic() - started > budget_seconds:
                more = True
                break
            if anonymise_enrolment(enrolment_id):
                done += 1
        if more:
            break
        cursor = clock_rules.cursor_after(month, today) or cursor
    if cursor != first:
        _advance(cursor)  # one write: the months before it are empty for good
    return {"count": done, "more": more}
