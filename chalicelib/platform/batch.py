"""Many items by key in as few DynamoDB calls as DynamoDB allows.

- `get_many`: items of several tables by key in one BatchGetItem (at most 100 keys a call).
- `put_all`: items of one or more tables in BatchWriteItem calls of at most 25.

DynamoDB may leave part of a batch undone (`UnprocessedKeys`, `UnprocessedItems`) when a partition
is busy. Both ask again for exactly what was left, with jittered backoff, and return only when
everything was read or written; when DynamoDB keeps doing nothing of it they raise the 503 of a
transient fault (`faults.unavailable`), never return a part as if it were the whole.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from pynamodb.models import Model

from chalicelib.platform import faults

GET_LIMIT = 100  # keys per BatchGetItem (DynamoDB's limit)
PUT_LIMIT = 25  # requests per BatchWriteItem (DynamoDB's limit)
ATTEMPTS = 8  # answers in a row that left as much undone as was asked, before the fault is reported


class Key(NamedTuple):
    model: type[Model]
    hash_key: Any
    range_key: Any = None


def key_of(item: Model) -> Key:
    """The key of an item as a keys-only index or a query returned it."""
    model = type(item)
    range_name = model._range_keyname
    return Key(model, getattr(item, str(model._hash_keyname)), getattr(item, range_name) if range_name else None)


def get_many(keys: Iterable[Key], consistent_read: bool = False,
             consistent_for: Collection[type[Model]] = (), attributes: Sequence[str] = ()) -> list[Model]:
    """The items behind `keys` that exist, in no particular order; each key read once. `consistent_for`: the
    models read consistently when the others need not be. `attributes`: only these are read (of every table)."""
    wanted = list(dict.fromkeys(keys))
    models = {model.Meta.table_name: model for model, _, _ in wanted}
    found: list[Model] = []
    for start in range(0, len(wanted), GET_LIMIT):
        request: dict[str, Any] = {}
        for key in wanted[start:start + GET_LIMIT]:
            consistent = consistent_read or key.model in consistent_for
            table = request.setdefault(key.model.Meta.table_name,
                                       {"Keys": [], "ConsistentRead": consistent, **_projection(attributes)})
            table["Keys"].append(_serialized_key(key))
        for answer in _until_done("BatchGetItem", request, "UnprocessedKeys", wanted[start].model):
            for table_name, items in answer.get("Responses", {}).items():
                found.extend(models[table_name].from_raw_data(item) for item in items)
    return found


def put_all(items: Sequence[Model]) -> None:
    """Write every item (a put replaces an item with the same key); returns once DynamoDB took all."""
    for start in range(0, len(items), PUT_LIMIT):
        request: dict[str, list[dict[str, Any]]] = {}
        for item in items[start:start + PUT_LIMIT]:
            request.setdefault(item.Meta.table_name, []).append({"PutRequest": {"Item": item.serialize()}})
        for _ in _until_done("BatchWriteItem", request, "UnprocessedItems", type(items[start])):
            pass


def _until_done(operation: str, request: dict[str, Any], left_name: str, model: type[Model]) -> Iterator[Any]:
    """Each answer of `operation` until DynamoDB left nothing undone; what it left is asked again after a
    jittered pause. ATTEMPTS answers in a row that did nothing more are a transient fault."""
    stalled = 0
    while request:
        answer = model._get_connection().connection.dispatch(operation, {"RequestItems": request})
        yield answer
        left = answer.get(left_name) or {}
        stalled = stalled + 1 if _size(left) >= _size(request) else 0
        if stalled >= ATTEMPTS:
            raise _gave_up(operation)
        if left:
            faults.backoff(stalled)
        request = left


def _projection(attributes: Sequence[str]) -> dict[str, Any]:
    if not attributes:
        return {}
    names = {f"#a{number}": name for number, name in enumerate(attributes)}
    return {"ProjectionExpression": ", ".join(names), "ExpressionAttributeNames": names}


def _size(request: dict[str, Any]) -> int:
    return sum(len(part["Keys"]) if isinstance(part, dict) else len(part) for part in request.values())


def _serialized_key(key: Key) -> dict[str, Any]:
    model = key.model
    names = [str(model._hash_keyname), *([model._range_keyname] if model._range_keyname else [])]
    values = (key.hash_key, key.range_key)
    return {getattr(model, name).attr_name: {getattr(model, name).attr_type: getattr(model, name).serialize(value)}
            for name, value in zip(names, values, strict=False)}


def _gave_up(operation: str) -> Exception:
    from chalicelib.platform import eventlog

    eventlog.system_error(where=f"batch.{operation}", error_type="Unprocessed", outcome=str(faults.Fault.TRANSIENT))
    return faults.unavailable()
