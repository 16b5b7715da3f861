"""A TransactWriteItems whose actions carry labels, so a cancelled transaction says which of its
conditions failed (DynamoDB answers one reason per action, in the order it received them).

PynamoDB sends condition checks first, then deletes, puts and updates, each in the order they were
added; `labels()` gives the labels in that same order. Actions added without a label (e.g. by a helper
that takes a plain TransactWrite) get the empty label and keep the order right.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pynamodb.connection import Connection
from pynamodb.expressions.condition import Condition
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.platform import faults
from chalicelib.platform.config import settings


@cache
def connection() -> Connection:
    """One connection (one botocore client) for every transaction, made once per container: a new
    botocore client costs tens of milliseconds (it loads the service model), a transaction a few."""
    return Connection(region=settings.region)


class Transaction(TransactWrite):
    def __init__(self) -> None:
        super().__init__(connection=connection())
        self._checks: list[str] = []
        self._deletes: list[str] = []
        self._puts: list[str] = []
        self._updates: list[str] = []

    def condition_check(self, model_cls: Any, hash_key: Any, range_key: Any = None,
                        condition: Condition | None = None, *, label: str = "") -> None:
        super().condition_check(model_cls, hash_key, range_key, condition)
        self._checks.append(label)

    def delete(self, model: Model, condition: Condition | None = None, *, add_version_condition: bool = True,
               label: str = "") -> None:
        super().delete(model, condition, add_version_condition=add_version_condition)
        self._deletes.append(label)

    def save(self, model: Model, condition: Condition | None = None, return_values: str | None = None, *,
             label: str = "") -> None:
        super().save(model, condition, return_values)
        self._puts.append(label)

    def update(self, model: Model, actions: list[Any], condition: Condition | None = None,
               return_values: str | None = None, *, add_version_condition: bool = True, label: str = "") -> None:
        super().update(model, actions, condition, return_values, add_version_condition=add_version_condition)
        self._updates.append(label)

    def labels(self) -> list[str]:
        return [*self._checks, *self._deletes, *self._puts, *self._updates]


def failed_labels(transaction: Transaction, err: BaseException) -> set[str]:
    """The labels of the actions whose condition failed (empty for a conflict or another fault)."""
    labels = transaction.labels()
    return {labels[index] for index, code in enumerate(faults.reasons(err))
            if code in faults.CONDITION_CODES and index < len(labels)}
