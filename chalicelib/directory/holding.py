"""Held programs (R_DEX_03, R_CAT_06): directory programs of a supplier that is not admitted yet.

A program is held when its directory supplier maps to no Leer-Rijk supplier, or to one that has not
accepted the general terms. It is validated as an import would be, stored compressed without its
contact persons, never published, and counted per directory supplier (`DirectorySupplier.held`, kept
exact: the count changes in the same transaction as the item). When CFB admits the supplier, its
held programs are published through the import path at once, up to a budget per request; what is
left is marked (sparse `due-release-index`) for the next minute's run.
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.catalogue import use_cases as catalogue
from chalicelib.directory.sync_rules import Admission, hold_reason
from chalicelib.models import DirectorySupplier, HeldProgram, Supplier
from chalicelib.platform import clock, cursors, eventlog, faults, transactions
from chalicelib.platform.errors import DomainError
from chalicelib.suppliers import use_cases as suppliers

DUE = "due"
PAGE = 50
REQUEST_BUDGET = timedelta(seconds=8)  # publishing in a CFB request; the rest goes to the minute job
SUPPLIER_KIND = "directory-supplier"


# --- admission ----------------------------------------------------------------------------------------


def admissions(org_unit_ids: set[str]) -> dict[str, Admission]:
    """How each directory supplier stands, in two reads whatever the number of programs."""
    rows = {row.org_unit_id: row for row in DirectorySupplier.batch_get(list(org_unit_ids))} if org_unit_ids else {}
    mapped = {row.supplier_id for row in rows.values() if row.supplier_id}
    profiles = {s.supplier_id: s for s in Supplier.batch_get(list(mapped))} if mapped else {}
    found: dict[str, Admission] = {}
    for org_unit_id in org_unit_ids:
        row = rows.get(org_unit_id)
        profile = profiles.get(row.supplier_id) if row is not None and row.supplier_id else None
        found[org_unit_id] = Admission(
            supplier_id=profile.supplier_id if profile is not None else None,
            terms_accepted=profile is not None and suppliers.has_accepted_terms(profile),
            held=int(row.held) if row is not None else 0,
        )
    return found


def admission_of(org_unit_id: str) -> Admission:
    return admissions({org_unit_id})[org_unit_id]


# --- holding and dropping ----------------------------------------------------------------------------


def hold(connection_id: str, org_unit_id: str, program_id: str, document: dict[str, Any], name: str,
         last_change: datetime, reason: str) -> bool:
    """Keep the program for later; False when an equal or newer version is held already."""
    item = HeldProgram(org_unit_id, program_id, connection_id=connection_id, name=name[:200], reason=reason,
                       last_change=last_change, document=_pack(document), held_at=clock.now())
    try:
        with TransactWrite(connection=transactions.connection()) as transaction:
            transaction.save(item, condition=HeldProgram.program_id.does_not_exist())
            transaction.update(_row(org_unit_id), actions=row_actions(org_unit_id, held_change=1))
        return True
    except TransactWriteError as err:
        _only_condition(err)
    try:
        item.save(condition=HeldProgram.last_change < last_change)
    except PutError as err:
        faults.only_condition(err)
        return False
    return True


def drop(org_unit_id: str, program_id: str, last_change: datetime) -> bool:
    """Forget a held program (withdrawn, published, or superseded); False when none as old is held."""
    try:
        with TransactWrite(connection=transactions.connection()) as transaction:
            transaction.delete(HeldProgram(org_unit_id, program_id),
                               condition=HeldProgram.last_change <= last_change)
            transaction.update(_row(org_unit_id), actions=[DirectorySupplier.held.add(-1)])
    except TransactWriteError as err:
        _only_condition(err)
        return False
    return True


def _only_condition(err: TransactWriteError) -> None:
    """A transaction refused by its conditions alone is the caller's business; anything else is raised."""
    codes = [code for code in faults.reasons(err) if code]
    if not codes or any(code not in faults.CONDITION_CODES for code in codes):
        raise err


def _row(org_unit_id: str) -> DirectorySupplier:
    return DirectorySupplier(org_unit_id)


def row_actions(org_unit_id: str, held_change: int = 0) -> list[Any]:
    """The directory supplier's row exists after any update with these (listed in its directory index)."""
    return [DirectorySupplier.held.add(held_change), DirectorySupplier.name.set(org_unit_id),
            DirectorySupplier.directory.set(SUPPLIER_KIND)]


def _pack(document: dict[str, Any]) -> bytes:
    """Contact persons are no business of a held program (nor of a published one: the import reads none)."""
    kept = {**document, "programContacts": {}}
    return zlib.compress(json.dumps(kept, separators=(",", ":"), ensure_ascii=False).encode(), 6)


def _unpack(data: bytes) -> dict[str, Any]:
    unpacked: dict[str, Any] = json.loads(zlib.decompress(data))
    return unpacked


# --- publishing on admission ---------------------------------------------------------------------------


def release(org_unit_id: str, deadline: datetime) -> dict[str, int]:
    """Publish the held programs of an admitted supplier through the import path, until `deadline`; what is
    left is marked for the minute job. Not admitted: nothing happens."""
    admission = admission_of(org_unit_id)
    counts = {"published": 0, "rejected": 0, "left": 0}
    if hold_reason(admission) is not None or admission.supplier_id is None or not admission.held:
        return counts
    batch = catalogue.IndexBatch()
    try:
        for held in HeldProgram.query(org_unit_id, consistent_read=True):
            if clock.now() >= deadline:
                counts["left"] += 1
                break
            counts[_publish(admission.supplier_id, held, batch)] += 1
    finally:
        batch.publish()
    _mark_release(org_unit_id, due=counts["left"] > 0)
    return counts


def release_due(deadline: datetime) -> dict[str, int]:
    """The minute job: suppliers admitted with held programs left over."""
    totals = {"published": 0, "rejected": 0, "left": 0}
    for row in DirectorySupplier.release_index.query(DUE):
        counts = release(row.org_unit_id, deadline)
        if not counts["left"]:  # also when nothing was held any more, or the supplier is no longer admitted
            _mark_release(row.org_unit_id, due=False)
        for name, count in counts.items():
            totals[name] += count
    return totals


def release_now(org_unit_id: str) -> dict[str, int]:
    """On admission, in CFB's request: as much as fits in the request budget."""
    return release(org_unit_id, clock.now() + REQUEST_BUDGET)


def _publish(supplier_id: str, held: HeldProgram, batch: catalogue.IndexBatch) -> str:
    origin = catalogue.DirectoryOrigin(held.org_unit_id, held.last_change)
    outcome = "published"
    try:
        catalogue.import_program(supplier_id, held.program_id, _unpack(bytes(held.document)), origin=origin,
                                 batch=batch)
    except DomainError as err:  # it was valid when held; a rule may have changed since
        eventlog.record(eventlog.EventKind.SUPPLIER_UPDATE, supplier_id=supplier_id, program_id=held.program_id,
                        outcome="rejected", reason=err.code, channel="directory")
        outcome = "rejected"
    drop(held.org_unit_id, held.program_id, held.last_change)
    return outcome


def _mark_release(org_unit_id: str, *, due: bool) -> None:
    action = DirectorySupplier.due_release.set(DUE) if due else DirectorySupplier.due_release.remove()
    try:
        _row(org_unit_id).update(actions=[action], condition=DirectorySupplier.org_unit_id.exists())
    except UpdateError as err:
        faults.only_condition(err)


# --- what CFB sees --------------------------------------------------------------------------------------


def suppliers_view() -> list[dict[str, Any]]:
    """Every directory supplier seen or mapped, with its held count and why its programs are held."""
    rows = list(DirectorySupplier.directory_index.query(SUPPLIER_KIND))
    standing = admissions({row.org_unit_id for row in rows})
    return [{"org_unit_id": row.org_unit_id, "supplier_id": row.supplier_id, "held": int(row.held),
             "held_because": hold_reason(standing[row.org_unit_id]),
             "publishing": row.due_release == DUE} for row in rows]


def held_page(org_unit_id: str, cursor: str | None, limit: int = PAGE) -> dict[str, Any]:
    after = cursors.decode("held-cursor", cursor, lambda data: str(data["after"])) if cursor else None
    query = HeldProgram.query(org_unit_id, HeldProgram.program_id > after if after else None, limit=limit + 1,
                              attributes_to_get=["org_unit_id", "program_id", "name", "reason", "last_change",
                                                 "held_at"])
    items = list(query)
    page = items[:limit]
    return {
        "items": [{"program_id": h.program_id, "name": h.name, "reason": h.reason,
                   "last_change": h.last_change.isoformat(), "held_at": h.held_at.isoformat()} for h in page],
        "next_cursor": cursors.encode("held-cursor", {"after": page[-1].program_id}) if len(items) > limit else None,
    }


def known(org_unit_id: str) -> DirectorySupplier | None:
    try:
        return DirectorySupplier.get(org_unit_id, consistent_read=True)
    except DoesNotExist:
        return None
