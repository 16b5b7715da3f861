"""The directory sync (R_DEX_01-03): per connected catalog, its changes since the cursor, applied through
the catalogue's own import path.

One run of a connection: take its lease (one sync per connection at a time; a run that dies leaves it
to expire), read the changes since the cursor (or, without one, the catalog's whole program list),
then per batch of changes fetch the changed programs with `/programs/bulk`, apply each (import, withdraw
or hold), publish the search index once, and only then move the cursor. A crash replays the batch,
where what was stored already is recognised by its lastChange and not stored twice; nothing is skipped.
A run stops before its time budget and marks the connection to resume at the next minute.

An answer the Data API document does not allow stops the run before anything of it is used: one
system error, the cursor where it was. A single program the import refuses (its document is not valid
EDU-DEX for Leer-Rijk) is listed for CFB and skipped; the others go on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib.catalogue import use_cases as catalogue
from chalicelib.directory import holding
from chalicelib.directory import sync_rules as rules
from chalicelib.directory.client import BulkProgram, DataApiClient, DirectoryAnswerError, DirectoryUnavailableError
from chalicelib.models import DirectoryConnection, SyncError, sync_error
from chalicelib.platform import clock, eventlog, faults
from chalicelib.platform.errors import DomainError, NotFoundError

BATCH = 100  # changes applied (and the search index published) together; fetched in pages of BULK_PAGE
TIME_BUDGET = timedelta(seconds=240)  # the job functions run for at most 300 s
LEASE = timedelta(minutes=6)
ERRORS_KEPT = 10
CONNECTIONS = "directory-connection"
APPLIED = ("stored", "withdrawn", "held")


class LeaseLostError(Exception):
    """Another run took the connection over (this one outlived its lease): stop without writing."""


@dataclass
class Report:
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[SyncError] = field(default_factory=list)
    resume: bool = False
    requests: int = 0

    def error(self, code: str, program: str | None = None) -> None:
        self.errors.append(sync_error(clock.now(), code, program))

    @property
    def applied(self) -> int:
        return sum(self.counts[name] for name in APPLIED)


# --- the jobs ---------------------------------------------------------------------------------------------


def sync_all() -> dict[str, Any]:
    """Hourly: every connected catalog."""
    return _sync_each(lambda connection: True)


def sync_requested() -> dict[str, Any]:
    """Every minute: catalogs a webhook asked for or a run left unfinished, and the held programs of
    admitted suppliers that a request could not publish in its budget."""
    result = _sync_each(lambda connection: connection.sync_requested_at is not None or bool(connection.resume))
    released = holding.release_due(clock.now() + TIME_BUDGET)
    result["published_on_admission"] = released["published"]
    result["count"] += released["published"]
    return result


def sync_now(connection_id: str) -> dict[str, Any]:
    """One connection now (the local stack's start, `python -m tools.directory sync`)."""
    connection = connection_for(connection_id)
    return sync(connection, clock.now() + TIME_BUDGET)


def connections() -> list[DirectoryConnection]:
    return list(DirectoryConnection.directory_index.query(CONNECTIONS))


def connection_for(connection_id: str) -> DirectoryConnection:
    try:
        return DirectoryConnection.get(connection_id, consistent_read=True)
    except DirectoryConnection.DoesNotExist:
        raise NotFoundError("Deze EDU-DEX-koppeling bestaat niet.") from None


def _sync_each(wanted: Callable[[DirectoryConnection], bool]) -> dict[str, Any]:
    deadline = clock.now() + TIME_BUDGET
    totals: Counter[str] = Counter()
    synced = 0
    for connection in connections():
        if wanted(connection) and clock.now() < deadline:
            report = sync(connection, deadline)
            synced += report["outcome"] != "busy"
            totals.update(report.get("counts", {}))
    return {"count": sum(totals[name] for name in APPLIED), "connections": synced, **totals}


# --- one connection ----------------------------------------------------------------------------------------


def sync(connection: DirectoryConnection, deadline: datetime) -> dict[str, Any]:
    lease = _take_lease(connection)
    if lease is None:
        return {"outcome": "busy"}
    report = Report()
    outcome = "failed"
    try:
        _run(connection, lease, deadline, report)
        outcome = "resume" if report.resume else "done"
    except DirectoryAnswerError as err:
        outcome = "invalid_answer"
        eventlog.system_error(where="directory sync", error_type=type(err).__name__, reason=err.operation,
                              connection_id=connection.connection_id)
        report.error(outcome)
    except DirectoryUnavailableError as err:
        outcome = "unavailable"
        eventlog.system_error(where="directory sync", error_type=type(err).__name__, reason=err.operation,
                              status=err.status, connection_id=connection.connection_id)
        report.error(outcome)
    except LeaseLostError:
        return {"outcome": "lease_lost", "counts": dict(report.counts)}
    finally:
        _finish(connection, lease, outcome, report)
    return {"outcome": outcome, "counts": dict(report.counts), "requests": report.requests}


def _run(connection: DirectoryConnection, lease: datetime, deadline: datetime, report: Report) -> None:
    client = DataApiClient.for_connection(connection.base_url, connection.connection_id)
    try:
        cursor = rules.Position(connection.cursor_at, connection.cursor_key or "") if connection.cursor_at else None
        since = rules.changes_since(cursor, clock.now())
        kind, org_unit_id, catalog_id = connection.catalog_kind, connection.org_unit_id, connection.catalog_id
        listed = client.changes(kind, org_unit_id, catalog_id, since) if since else \
            client.catalog_programs(kind, org_unit_id, catalog_id)
        for batch in rules.batches(rules.pending(listed, cursor), BATCH):
            if clock.now() >= deadline:
                report.resume = True
                break
            _apply(connection, client, batch, report)
            _move_cursor(connection, lease, batch[-1].position)
    finally:
        report.requests = client.requests


def _apply(connection: DirectoryConnection, client: DataApiClient, batch: Sequence[rules.Change],
           report: Report) -> None:
    wanted = [(c.supplier_id, c.program_id, c.client_id) for c in batch if not rules.withdraws(c)]
    fetched = client.programs(wanted) if wanted else {}
    standing = holding.admissions({change.supplier_id for change in batch})
    index = catalogue.IndexBatch()
    for change in batch:
        bulk = fetched.get((change.supplier_id, change.program_id))
        report.counts[_apply_change(connection, change, bulk, standing[change.supplier_id], index, report)] += 1
    index.publish()


def _apply_change(connection: DirectoryConnection, change: rules.Change, bulk: BulkProgram | None,
                  admission: rules.Admission, index: catalogue.IndexBatch, report: Report) -> str:
    origin = catalogue.DirectoryOrigin(change.supplier_id, change.last_change)
    if rules.withdraws(change):
        return _withdraw(change, admission, origin, index)
    if bulk is None or bulk.document is None:
        report.error("program_unavailable", change.key)
        return "failed"
    reason = rules.hold_reason(admission)
    try:
        if reason is not None or admission.supplier_id is None:
            return _hold(connection, change, bulk.document, reason or rules.UNMAPPED)
        outcome = str(catalogue.import_program(admission.supplier_id, change.program_id, bulk.document,
                                               origin=origin, batch=index)["outcome"])
    except DomainError as err:
        report.error(err.code, change.key)
        eventlog.record(eventlog.EventKind.SUPPLIER_UPDATE, supplier_id=admission.supplier_id, program_id=change.key,
                        outcome="rejected", reason=err.code, channel="directory")
        return "rejected"
    if admission.held:
        holding.drop(change.supplier_id, change.program_id, change.last_change)
    return outcome


def _withdraw(change: rules.Change, admission: rules.Admission, origin: catalogue.DirectoryOrigin,
              index: catalogue.IndexBatch) -> str:
    outcome = "absent"
    if admission.supplier_id is not None:
        outcome = str(catalogue.withdraw_program(admission.supplier_id, change.program_id, origin=origin,
                                                 batch=index)["outcome"])
    if (admission.held or admission.supplier_id is None) and \
            holding.drop(change.supplier_id, change.program_id, change.last_change):
        outcome = "withdrawn"
    return outcome


def _hold(connection: DirectoryConnection, change: rules.Change, document: dict[str, Any], reason: str) -> str:
    name = catalogue.check_program(change.supplier_id, change.program_id, document)
    if not holding.hold(connection.connection_id, change.supplier_id, change.program_id, document, name,
                        change.last_change, reason):
        return "unchanged"
    eventlog.record(eventlog.EventKind.SUPPLIER_UPDATE, program_id=change.key, outcome="held", reason=reason,
                    channel="directory")
    return "held"


# --- the connection's lease, cursor and status -------------------------------------------------------------


def _take_lease(connection: DirectoryConnection) -> datetime | None:
    """The lease until when this run owns the connection; None when another run owns it. Taking it
    answers the webhook's request and marks the run unfinished until `_finish` says otherwise, so a
    run that dies is resumed by the next minute's run once its lease ran out."""
    now = clock.now()
    until = now + LEASE
    try:
        connection.update(
            actions=[DirectoryConnection.lease_until.set(until), DirectoryConnection.resume.set(True),
                     DirectoryConnection.sync_requested_at.remove()],
            condition=DirectoryConnection.lease_until.does_not_exist() | (DirectoryConnection.lease_until < now),
        )
    except UpdateError as err:
        faults.only_condition(err)
        return None
    return until


def _move_cursor(connection: DirectoryConnection, lease: datetime, position: rules.Position) -> None:
    try:
        connection.update(actions=[DirectoryConnection.cursor_at.set(position.at),
                                   DirectoryConnection.cursor_key.set(position.key)],
                          condition=DirectoryConnection.lease_until == lease)
    except UpdateError as err:
        faults.only_condition(err)
        raise LeaseLostError() from None


def _finish(connection: DirectoryConnection, lease: datetime, outcome: str, report: Report) -> None:
    """Record how the run ended. A failure of our own (`failed`) is resumed next minute; a directory that
    answered wrongly or not at all is tried again at the next hourly run."""
    errors = [*reversed(report.errors), *connection.errors][:ERRORS_KEPT]
    counts = {name: int(count) for name, count in report.counts.items()}
    try:
        connection.update(
            actions=[DirectoryConnection.last_sync_at.set(clock.now()), DirectoryConnection.last_outcome.set(outcome),
                     DirectoryConnection.last_counts.set(counts), DirectoryConnection.errors.set(errors),
                     DirectoryConnection.resume.set(outcome in ("resume", "failed")),
                     DirectoryConnection.lease_until.remove()],
            condition=DirectoryConnection.lease_until == lease,
        )
    except UpdateError as err:
        faults.only_condition(err)
        return
    eventlog.record(eventlog.EventKind.DIRECTORY_SYNC, outcome=outcome, count=report.applied,
                    connection_id=connection.connection_id)
