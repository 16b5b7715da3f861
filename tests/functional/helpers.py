"""Shared test helpers: act as a principal without the account machinery."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chalicelib import wiring
from chalicelib.access import Access, CallerKind, Principal


@contextmanager
def acting_as(*audiences: Access, org_id: str | None = "org-test", level: int = 2,
              subject_id: str = "acct-test") -> Iterator[Principal]:
    """Every request in the block is made by a principal with these audiences."""
    principal = Principal(CallerKind.ACCOUNT, subject_id, org_id, frozenset(audiences), level)

    def authenticate(request: Any) -> Principal:
        return principal

    wiring.AUTHENTICATORS.insert(0, authenticate)
    try:
        yield principal
    finally:
        wiring.AUTHENTICATORS.remove(authenticate)


def make_supplier(supplier_id: str = "sup-a", kind: str = "extern", name: str = "Opleider A") -> str:
    """A supplier with accepted terms; returns its API key token."""
    from chalicelib.models import Supplier
    from chalicelib.platform import clock
    from chalicelib.suppliers import apikeys

    Supplier(
        supplier_id, name=name, kind=kind, contact_email=f"inschrijvingen@{supplier_id}.example",
        delivery="email", terms_version="2026-01", terms_accepted_at=clock.now(), created_at=clock.now(),
        cancellation_free_days=14,
    ).save()
    return apikeys.create_key("supplier", supplier_id).token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def outbox_left() -> list:
    """Outbox items that still hold personal data or wait to be sent; a sent item holds neither
    (R_PRV_04) and only waits for its TTL."""
    from chalicelib.models import OutboxItem

    left = []
    for item in OutboxItem.scan():
        if item.status != "sent" or item.recipient or item.account_id or item.due_send or item.expires_at is None:
            left.append(item)
    return left


def aws_calls(monkeypatch: Any, work: Any) -> list[tuple[str, str, str]]:
    """The sequence of AWS operations `work()` makes: service, operation and table (or index); a read by key
    also says whether it found its item (reading an item that exists costs more than one that does not)."""
    import botocore.client

    seen: list[tuple[str, str, str]] = []
    inner = botocore.client.BaseClient._make_api_call

    def recording(self: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
        table = api_params.get("TableName", "")
        if operation_name == "TransactWriteItems":
            table = ",".join(sorted(next(iter(i.values()))["TableName"] for i in api_params["TransactItems"]))
        where = f"{table}/{api_params.get('IndexName', '')}"
        seen.append((self.meta.service_model.service_name, operation_name, where))
        answer = inner(self, operation_name, api_params)
        if operation_name == "GetItem":
            seen[-1] = (*seen[-1][:2], f"{where} found={'Item' in answer}")
        return answer

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", recording)
    try:
        work()
    finally:
        monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", inner)
    return seen


class BusyBatches:
    """DynamoDB under a busy partition: each BatchGetItem and BatchWriteItem does at most `per_call` of what it
    is asked (`None`: all) and answers the rest as UnprocessedKeys / UnprocessedItems, as AWS does. Counts the
    calls and what was left undone."""

    def __init__(self, per_call: int | None = 1, only: set[str] | None = None) -> None:
        self.per_call = per_call
        self.only = only
        self.calls: dict[str, int] = {"BatchGetItem": 0, "BatchWriteItem": 0}
        self.left_undone = 0

    def answer(self, inner: Any, client: Any, operation: str, params: dict[str, Any]) -> Any:
        if operation not in (self.only or self.calls) or client.meta.service_model.service_name != "dynamodb":
            return inner(client, operation, params)
        self.calls[operation] += 1
        done, left = self._split(operation, params["RequestItems"])
        answer = inner(client, operation, {**params, "RequestItems": done}) if done else {"Responses": {}}
        self.left_undone += sum(len(v["Keys"]) if isinstance(v, dict) else len(v) for v in left.values())
        answer["UnprocessedKeys" if operation == "BatchGetItem" else "UnprocessedItems"] = left
        return answer

    def _split(self, operation: str, request: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        budget = 10**9 if self.per_call is None else self.per_call
        done: dict[str, Any] = {}
        left: dict[str, Any] = {}
        for table, part in request.items():
            entries = part["Keys"] if operation == "BatchGetItem" else part
            now, later = entries[:budget], entries[budget:]
            budget -= len(now)
            for target, chosen in ((done, now), (left, later)):
                if chosen:
                    target[table] = {**part, "Keys": chosen} if operation == "BatchGetItem" else chosen
        return done, left


@contextmanager
def busy_batches(monkeypatch: Any, per_call: int | None = 1, only: set[str] | None = None) -> Iterator[BusyBatches]:
    import botocore.client

    busy = BusyBatches(per_call, only)
    inner = botocore.client.BaseClient._make_api_call
    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call",
                        lambda client, operation, params: busy.answer(inner, client, operation, params))
    try:
        yield busy
    finally:
        monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", inner)
