"""DynamoDB's per-request atomicity for moto (R_SEC_05; ARCHITECTURE "Testing on moto").

moto's DynamoDB takes no locks: concurrent transactions interleave, a cancelled transaction
restores a copy of the whole table over writes that committed meanwhile, and its ADD counter can
hand out duplicates. Real DynamoDB applies each request atomically. One lock around every
DynamoDB request that moto's server handles gives the local stack the same guarantees, so
concurrent enrolments never overbook or lose an accepted write. It lives here, never in
chalicelib/: production code gets its atomicity from DynamoDB itself.
"""

from __future__ import annotations

import copy
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
    undo_transactions = _transactions_without_table_copies()

    def undo() -> None:
        DynamoHandler.call_action = original  # type: ignore[method-assign]
        undo_transactions()

    return undo


def _transactions_without_table_copies() -> Callable[[], None]:
    """moto backs up every table a transaction touches, whole, to restore it if the transaction is cancelled:
    a transaction's cost grows with the tables (ARCHITECTURE: 30 ms at 1,000 items), so the local stack got
    slower the more it was used, and a load test slower as it went on. Under the lock above nothing else runs
    during a transaction, so keeping a copy of just the items it touches and putting them back on a
    cancellation restores the same state."""
    from moto.dynamodb import models as dynamodb_models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    original: Callable[..., Any] = DynamoDBBackend.transact_write_items

    class CopyAllButTables:
        def __getattr__(self, name: str) -> Any:
            return getattr(copy, name)

        @staticmethod
        def deepcopy(value: Any, memo: Any = None) -> Any:
            return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    @functools.wraps(original)
    def transact_write_items(backend: Any, transact_items: list[dict[str, Any]]) -> Any:
        try:
            saved = [_saved_item(backend, action) for action in transact_items]
        except Exception:  # an unknown table or a bad key: moto's own path answers with the right error
            return original(backend, transact_items)
        setattr(dynamodb_models, "copy", CopyAllButTables())  # noqa: B010 - the module's own name for copy
        try:
            return original(backend, transact_items)
        except Exception:
            for table, hash_key, range_key, item in reversed(saved):
                _put_back(table, hash_key, range_key, item)
            raise
        finally:
            setattr(dynamodb_models, "copy", copy)  # noqa: B010

    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign,assignment]

    def undo() -> None:
        DynamoDBBackend.transact_write_items = original  # type: ignore[method-assign]

    return undo


def _saved_item(backend: Any, action: dict[str, Any]) -> tuple[Any, Any, Any, Any]:
    operation = next(iter(action.values()))
    table = backend.get_table(operation["TableName"])
    key = operation.get("Key") or {name: operation["Item"][name] for name in table.table_key_attrs}
    hash_key, range_key = backend.get_keys_value(table, key)
    return table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))


def _put_back(table: Any, hash_key: Any, range_key: Any, item: Any) -> None:
    place = table.items[hash_key] if range_key is not None else table.items
    key = range_key if range_key is not None else hash_key
    if item is None:
        place.pop(key, None)
    else:
        place[key] = item


def list_moto_modules_once() -> None:
    """moto's server finds the backend of every request under one lock, listing moto's package folder (about
    150 `isdir` calls) each time: every request of every client queued behind that. The list never changes
    while the server runs, so it is read once."""
    import moto.backends

    modules = tuple(moto.backends.list_of_moto_modules())
    moto.backends.list_of_moto_modules = lambda: modules
