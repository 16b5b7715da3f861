"""Runs the data migrations (R_OPS_04): versioned, resumable, idempotent, and finished only when no item
written by old code can still be missing the change.

A migration runs in passes over its table: a consistent Scan, page by page, migrating each item its
`pending` says needs it. After every page the run's record (`MigrationRun`) stores the Scan's cursor and
the counts, so a run stopped by its time budget, an error or a killed process resumes at the page it was
on; an item done before the stop is no longer pending, so nothing is done twice. A lease on the record
keeps a second runner off a migration while one works on it (it lapses after `LEASE` if the runner died).

A pass that found nothing to do is final only if it started after `settles_at`: the moment no code of the
previous version can still write (the deploy's stack update plus the longest function timeout,
`OLD_CODE_GRACE`). Until then old code may write an item without the change, also behind the cursor, so
the runner waits and reads the table once more. A pass that changed anything is followed by another, so
the last pass sees every item migrated; items the step cannot migrate are counted as not reached (with one
key as an example) and the retention self-check reports them.

Counts are exact except after a stop in the middle of a page: items migrated on that page before the stop
are not counted as migrated (the resumed page finds them done).
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.models import Model

from chalicelib.migrations.registry import MIGRATIONS
from chalicelib.migrations.step import CannotMigrateError, Migration
from chalicelib.models import MigrationRun
from chalicelib.platform import clock, faults

PAGE_SIZE = 100
LEASE = timedelta(minutes=2)  # renewed with every page; a page takes seconds
OLD_CODE_GRACE = timedelta(seconds=300)  # the longest function timeout (.chalice/config.json; a test keeps them equal)
RUNNING, DONE = "running", "done"
KEY_TEXT_LIMIT = 64


@dataclass(frozen=True)
class Outcome:
    migration_id: str
    state: str  # done | paused (budget spent) | waiting (for old code to stop) | busy (another runner has it)


@dataclass
class _Tally:
    scanned: int = 0
    changed: int = 0
    migrated: int = 0
    unreached: int = 0
    example: str | None = None

    def not_reached(self, key: str) -> None:
        self.unreached += 1
        self.example = self.example or key


class _LeaseLostError(Exception):
    """Another runner took the migration over (this one was too slow to renew its lease)."""


def run_pending(migrations: Iterable[Migration] = MIGRATIONS, *, budget: timedelta,
                settles_at: datetime | None = None, grace: timedelta = OLD_CODE_GRACE,
                sleep: Callable[[float], None] = time.sleep) -> list[Outcome]:
    """Run the migrations not done yet, in order, within `budget`; stop at the first that does not finish
    (a later one may rely on it). `settles_at` defaults to now + `grace` (the runner starts after the
    new code is live)."""
    deadline = time.monotonic() + budget.total_seconds()
    settles = settles_at or clock.now() + grace
    owner = uuid.uuid4().hex
    outcomes = []
    for migration in migrations:
        outcome = _run(migration, owner, settles, deadline, sleep)
        outcomes.append(outcome)
        if outcome.state != DONE:
            break
    return outcomes


def runs(migrations: Iterable[Migration] = MIGRATIONS) -> list[tuple[Migration, MigrationRun | None]]:
    """Each migration with its stored run (None: never started), read by key in one BatchGet."""
    wanted = list(migrations)
    stored = {run.migration_id: run for run in MigrationRun.batch_get([m.migration_id for m in wanted])}
    return [(m, stored.get(m.migration_id)) for m in wanted]


def _run(migration: Migration, owner: str, settles: datetime, deadline: float,
         sleep: Callable[[float], None]) -> Outcome:
    record = _claim(migration.migration_id, owner, settles)
    if record is None:
        return Outcome(migration.migration_id, "busy")
    if record.state == DONE:
        return Outcome(migration.migration_id, DONE)
    try:
        while True:
            if record.pass_started_at is None:
                if not _settled(record, deadline, sleep):
                    _release(record, owner)
                    return Outcome(migration.migration_id, "waiting")
                record = _save(record, owner, [MigrationRun.pass_started_at.set(clock.now())])
            record = _one_page(migration, record, owner)
            if record.state == DONE:
                return Outcome(migration.migration_id, DONE)
            if time.monotonic() > deadline:
                _release(record, owner)
                return Outcome(migration.migration_id, "paused")
    except _LeaseLostError:
        return Outcome(migration.migration_id, "busy")
    except BaseException:
        _release_quietly(record, owner)
        raise


def _claim(migration_id: str, owner: str, settles: datetime) -> MigrationRun | None:
    """The run's record with this runner's lease on it; None when another runner holds the lease."""
    now = clock.now()
    try:
        record = MigrationRun.get(migration_id, consistent_read=True)
    except DoesNotExist:
        fresh = MigrationRun(migration_id, state=RUNNING, settles_at=settles, started_at=now, pass_started_at=now,
                             lease_owner=owner, lease_until=now + LEASE)
        try:
            fresh.save(condition=MigrationRun.migration_id.does_not_exist())
            return fresh
        except PutError as err:
            faults.only_condition(err)
            return None  # another runner created it a moment ago and holds it
    if record.state == DONE:
        return record
    free = (MigrationRun.lease_owner.does_not_exist() | (MigrationRun.lease_owner == owner)
            | (MigrationRun.lease_until < now))
    try:
        record.update(actions=[MigrationRun.lease_owner.set(owner), MigrationRun.lease_until.set(now + LEASE)],
                      condition=free & (MigrationRun.state == RUNNING))
    except UpdateError as err:
        faults.only_condition(err)
        return None
    return record


def _settled(record: MigrationRun, deadline: float, sleep: Callable[[float], None]) -> bool:
    """Wait for `settles_at` if the budget allows; whether it has passed."""
    wait = (record.settles_at - clock.now()).total_seconds()
    if wait > 0 and time.monotonic() + wait <= deadline:
        sleep(wait)
    return clock.now() >= record.settles_at


def _one_page(migration: Migration, record: MigrationRun, owner: str) -> MigrationRun:
    page = migration.model._get_connection().scan(
        limit=PAGE_SIZE, consistent_read=True,
        exclusive_start_key=json.loads(record.cursor) if record.cursor else None)
    tally = _migrate_all(migration, page.get("Items", []))
    counts = [
        MigrationRun.scanned.add(tally.scanned), MigrationRun.migrated.add(tally.migrated),
        MigrationRun.pass_scanned.add(tally.scanned), MigrationRun.pass_changed.add(tally.changed),
        MigrationRun.pass_unreached.add(tally.unreached),
    ]
    if tally.example and record.unreached_example is None:
        counts.append(MigrationRun.unreached_example.set(tally.example))
    last = page.get("LastEvaluatedKey")
    if last:
        return _save(record, owner, [*counts, MigrationRun.cursor.set(json.dumps(last, sort_keys=True))])
    record = _save(record, owner, [*counts, MigrationRun.cursor.remove()])
    return _end_pass(record, owner)


def _end_pass(record: MigrationRun, owner: str) -> MigrationRun:
    """Done after a clean pass that began once old code had stopped; otherwise the next pass (which waits for
    `settles_at` when this one was clean but began too early)."""
    now = clock.now()
    clean = int(record.pass_changed) == 0
    began = record.pass_started_at
    if clean and began is not None and began >= record.settles_at:
        return _save(record, owner, [
            MigrationRun.state.set(DONE), MigrationRun.finished_at.set(now),
            MigrationRun.verified.set(int(record.pass_scanned) - int(record.pass_unreached)),
            MigrationRun.unreached.set(int(record.pass_unreached)),
            MigrationRun.lease_owner.remove(), MigrationRun.lease_until.remove(),
        ], keep_lease=False)
    actions = [
        MigrationRun.pass_number.add(1), MigrationRun.pass_scanned.set(0), MigrationRun.pass_changed.set(0),
        MigrationRun.pass_unreached.set(0), MigrationRun.unreached_example.remove(),
    ]
    actions.append(MigrationRun.pass_started_at.remove() if clean and now < record.settles_at
                   else MigrationRun.pass_started_at.set(now))
    return _save(record, owner, actions)


def _migrate_all(migration: Migration, raw_items: list[dict[str, Any]]) -> _Tally:
    tally = _Tally()
    for raw in raw_items:
        tally.scanned += 1
        try:
            item = migration.model.from_raw_data(raw)
        except Exception:  # a stored item the model cannot read is one the step cannot reach
            tally.not_reached(_key_text(migration.model, raw))
            continue
        if not migration.pending(item):
            continue
        try:
            migration.migrate(item)
        except CannotMigrateError:
            tally.not_reached(_key_text(migration.model, raw))
            continue
        except (UpdateError, PutError, TransactWriteError) as err:
            if not _changed_meanwhile(err):
                raise
            tally.changed += 1  # changed or gone since it was read: the next pass looks again
            continue
        tally.changed += 1
        tally.migrated += 1
    return tally


def _changed_meanwhile(err: BaseException) -> bool:
    """The item changed (or went) between read and write: the next pass looks at it again."""
    return faults.condition_failed(err) or "ConditionalCheckFailed" in faults.reasons(err)


def _key_text(model: type[Model], raw: dict[str, Any]) -> str:
    names = [str(model._hash_keyname)] + ([str(model._range_keyname)] if model._range_keyname else [])
    values = [next(iter(raw.get(name, {"?": "?"}).values())) for name in names]
    return "#".join(str(v) for v in values)[:KEY_TEXT_LIMIT]


def _save(record: MigrationRun, owner: str, actions: list[Any], keep_lease: bool = True) -> MigrationRun:
    """Write the run's progress while this runner holds the lease, renewing it."""
    renew = [MigrationRun.lease_until.set(clock.now() + LEASE)] if keep_lease else []
    try:
        record.update(actions=actions + renew, condition=MigrationRun.lease_owner == owner)
    except UpdateError as err:
        faults.only_condition(err)
        raise _LeaseLostError(record.migration_id) from err
    return record


def _release(record: MigrationRun, owner: str) -> None:
    try:
        record.update(actions=[MigrationRun.lease_owner.remove(), MigrationRun.lease_until.remove()],
                      condition=MigrationRun.lease_owner == owner)
    except UpdateError as err:
        faults.only_condition(err)


def _release_quietly(record: MigrationRun, owner: str) -> None:
    """After an error: give the lease back if AWS lets us, so a rerun need not wait for it to lapse."""
    with contextlib.suppress(Exception):  # the original error is what matters; the lease lapses on its own
        _release(record, owner)

