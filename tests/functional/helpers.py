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
