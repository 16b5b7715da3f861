"""What DynamoDB bills for each call, from item sizes (R_OPS_05): read and write request units, base table
and global secondary indexes, by DynamoDB's published rules (performance-targets D2-D4, D6-D8).

moto's own ConsumedCapacity is a constant (1.0 per write, 0.5 per read, nothing for a transaction), so the
meter looks the items up in moto's in-process tables before and after each call. Rules applied:
- a read costs per 4 KB (rounded up): 0.5 unit eventually consistent, 1 strongly consistent, 2 in a
  transaction; GetItem and each BatchGetItem key rounds its own item (a missing item still costs the
  minimum); a Query or Scan rounds the sum of what it read once, at least the minimum;
- a write costs 1 unit per 1 KB (rounded up) of the larger of the item before and after, 2 in a
  transaction (a condition check counts as a write there); a refused conditional write costs the same;
- every write also writes each global secondary index whose entry it adds, changes or removes: 1 unit per
  KB of the entry, 2 when the index key moves (the old entry is deleted, the new one put).
Query and Scan sizes are those of the items returned (index entries for an index Query); a filter that
dropped items is accounted for by scaling with ScannedCount.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import botocore.client

READ_BLOCK, WRITE_BLOCK = 4096, 1024


@dataclass
class Use:
    """What a stretch of work used of AWS."""

    read_units: float = 0.0
    write_units: float = 0.0
    dynamodb_calls: int = 0
    ses_calls: int = 0
    other_calls: int = 0
    aws_seconds: float = 0.0  # thread time spent inside AWS calls (moto's work here, not ours)
    by_operation: dict[str, float] = field(default_factory=dict)

    def add(self, operation: str, reads: float, writes: float) -> None:
        self.read_units += reads
        self.write_units += writes
        self.by_operation[operation] = self.by_operation.get(operation, 0.0) + reads + writes


def _backend() -> Any:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"]


def _table(name: str) -> Any:
    return _backend().get_table(name)


def _stored(table: Any, key: dict[str, Any]) -> Any:
    from moto.dynamodb.models.dynamo_type import DynamoType

    hash_key = DynamoType(key[table.hash_key_attr])
    range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
    try:
        return table.get_item(hash_key, range_key)
    except Exception:  # a key that does not fit the table: the call itself will fail
        return None


def _snapshot(table: Any, key: dict[str, Any]) -> Any:
    """A copy of the stored item (moto changes items in place)."""
    import copy

    return copy.deepcopy(_stored(table, key))


def _same(before: Any, after: Any) -> bool:
    if before is None or after is None:
        return before is after
    return bool(before.to_json() == after.to_json())


def _size(item: Any) -> int:
    return int(item.size()) if item is not None else 0


def _raw_size(raw: dict[str, Any]) -> int:
    """Size of an item in the wire format ({"name": {"S": "..."}}): names plus values, as moto sizes them."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    return sum(len(name.encode()) + int(DynamoType(value).size()) for name, value in raw.items())


def read_units(size: int, consistent: bool, transactional: bool = False) -> float:
    blocks = max(1, math.ceil(size / READ_BLOCK))
    return blocks * (2.0 if transactional else 1.0 if consistent else 0.5)


def write_units(size: int, transactional: bool = False) -> float:
    return max(1, math.ceil(size / WRITE_BLOCK)) * (2.0 if transactional else 1.0)


def index_write_units(table: Any, before: Any, after: Any) -> float:
    """The writes a change of one item makes to the table's global secondary indexes."""
    units = 0.0
    for index in getattr(table, "global_indexes", []) or []:
        old, new = _entry(index, before), _entry(index, after)
        if old is None and new is None:
            continue
        if old is not None and new is not None:
            if old.to_json() == new.to_json():
                continue
            moved = any(old.attrs.get(a) != new.attrs.get(a) for a in index.schema_key_attrs)
            units += (write_units(_size(old)) if moved else 0.0) + write_units(_size(new))
        else:
            units += write_units(_size(old if old is not None else new))
    return units


def _entry(index: Any, item: Any) -> Any:
    if item is None or any(a not in item.attrs for a in index.schema_key_attrs):
        return None
    return index.project(item)


class Meter:
    """Installed around work, it adds every AWS call's use to `use` (swap `use` to attribute stretches)."""

    def __init__(self) -> None:
        self.use = Use()

    @contextmanager
    def installed(self) -> Iterator[Meter]:
        original = botocore.client.BaseClient._make_api_call
        meter = self

        def metered(client: Any, operation: str, params: dict[str, Any]) -> Any:
            service = client.meta.service_model.service_name
            started = time.thread_time()
            try:
                if service != "dynamodb":
                    if service == "sesv2":
                        meter.use.ses_calls += 1
                    else:
                        meter.use.other_calls += 1
                    return original(client, operation, params)
                meter.use.dynamodb_calls += 1
                return meter._dynamodb(operation, params, lambda: original(client, operation, params))
            finally:
                meter.use.aws_seconds += time.thread_time() - started

        botocore.client.BaseClient._make_api_call = metered
        try:
            yield self
        finally:
            botocore.client.BaseClient._make_api_call = original

    def _dynamodb(self, operation: str, params: dict[str, Any], call: Callable[[], Any]) -> Any:
        handler = _WRITES.get(operation)
        if handler is not None:
            return handler(self, operation, params, call)
        response = call()
        self.use.add(operation, _read_cost(operation, params, response), 0.0)
        return response


def _read_cost(operation: str, params: dict[str, Any], response: dict[str, Any]) -> float:
    consistent = bool(params.get("ConsistentRead"))
    if operation == "GetItem":
        return read_units(_raw_size(response.get("Item", {})), consistent)
    if operation in ("Query", "Scan"):
        items = response.get("Items", [])
        size = sum(_raw_size(i) for i in items)
        scanned, count = int(response.get("ScannedCount", len(items))), max(1, len(items))
        if scanned > len(items):
            size = size * scanned // count if items else scanned * WRITE_BLOCK
        return read_units(size, consistent)
    if operation == "BatchGetItem":
        total = 0.0
        for table_name, request in params.get("RequestItems", {}).items():
            table = _table(table_name)
            for key in request.get("Keys", []):
                total += read_units(_size(_stored(table, key)), bool(request.get("ConsistentRead")))
        return total
    if operation == "TransactGetItems":
        return sum(read_units(_size(_stored(_table(g["Get"]["TableName"]), g["Get"]["Key"])), True, True)
                   for g in params.get("TransactItems", []))
    return 0.0  # DescribeTable and the like: not billed as request units


def _single_write(meter: Meter, operation: str, params: dict[str, Any], call: Callable[[], Any]) -> Any:
    table = _table(params["TableName"])
    key = params.get("Key") or {a: params["Item"][a] for a in table.table_key_attrs}
    before = _snapshot(table, key)
    try:
        return call()
    finally:
        after = _stored(table, key)
        meter.use.add(operation, 0.0, write_units(max(_size(before), _size(after)))
                      + (0.0 if _same(before, after) else index_write_units(table, before, after)))


def _transaction(meter: Meter, operation: str, params: dict[str, Any], call: Callable[[], Any]) -> Any:
    touched = []
    for action in params.get("TransactItems", []):
        kind, body = next(iter(action.items()))
        table = _table(body["TableName"])
        key = body.get("Key") or {a: body["Item"][a] for a in table.table_key_attrs}
        touched.append((kind, table, key, _snapshot(table, key), _raw_size(body.get("Item", {}))))
    try:
        return call()
    finally:
        for kind, table, key, before, put_size in touched:
            after = _stored(table, key)
            meter.use.add(operation, 0.0, write_units(max(_size(before), _size(after), put_size), transactional=True))
            if kind != "ConditionCheck" and not _same(before, after):
                meter.use.add(operation, 0.0, index_write_units(table, before, after))


def _batch_write(meter: Meter, operation: str, params: dict[str, Any], call: Callable[[], Any]) -> Any:
    touched = []
    for table_name, requests in params.get("RequestItems", {}).items():
        table = _table(table_name)
        for request in requests:
            body = request.get("PutRequest") or request.get("DeleteRequest") or {}
            key = body.get("Key") or {a: body["Item"][a] for a in table.table_key_attrs}
            touched.append((table, key, _snapshot(table, key)))
    try:
        return call()
    finally:
        for table, key, before in touched:
            after = _stored(table, key)
            meter.use.add(operation, 0.0, write_units(max(_size(before), _size(after)))
                          + (0.0 if _same(before, after) else index_write_units(table, before, after)))


_WRITES: dict[str, Callable[[Meter, str, dict[str, Any], Callable[[], Any]], Any]] = {
    "PutItem": _single_write, "UpdateItem": _single_write, "DeleteItem": _single_write,
    "TransactWriteItems": _transaction, "BatchWriteItem": _batch_write,
}
