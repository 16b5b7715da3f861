"""The outbox (R_SEC_03): every notification is an item written in the same transaction as the
change it reports, sent right after the commit, and retried by a job with backoff.

An item holds ids, a template name and the recipient; the body is rendered at send time from the
current data. At most once per mail:
- a sender claims an item with a conditional lease (the items of one request in one transaction),
  so one claim sends at most once; SES is called with one attempt (botocore retries off);
- after the send, ONE transaction moves the item to "sent", strips its personal content (recipient,
  account) and writes its ledger row (R_PRV_01); nothing is deleted before, and a sent item can
  never be claimed again. The item itself expires by TTL (R_PRV_04: no personal data once sent).
A duplicate is possible only when SES accepted a message and its reply was lost (or the recording
transaction failed on each of its retries): the lease then runs out and the retry job sends again.

Transient SES errors back off (BACKOFF_MINUTES), a paused account too (an operator lifts the pause); a
permanent refusal (MessageRejected, unverified sender, suspended account) gives the item up at once. A
given-up item keeps SES's error code, the template and the enrolment id (no address), is logged as a
system error and is listed for CFB through the sparse `undeliverable-index`.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.models import Disclosure, Enrolment, OutboxItem
from chalicelib.platform import clock, eventlog, faults
from chalicelib.platform.transactions import Transaction, connection, failed_labels

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=90)
MAX_ATTEMPTS = 12
DUE = "due"
BACKOFF_MINUTES = (1, 2, 5, 10, 30, 60, 120, 240, 480, 720, 1440)
FAILED_KEPT = timedelta(days=30)  # given up: CFB sees it a month (no personal data left)
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Disclosed:
    """A ledger row to write once the data has gone (R_PRV_01). `account_id`: the enrolment's, so the holder's
    export finds the row through the ledger's `account-index` (None for an LMS or detached enrolment)."""

    enrolment_id: str
    enrolment_version: int
    recipient_kind: str
    recipient_id: str
    fields: tuple[str, ...]
    account_id: str | None

    @classmethod
    def about(cls, enrolment: Enrolment, recipient_kind: str, recipient_id: str,
              fields: Iterable[str]) -> Disclosed:
        """The row of the enrolment as read, in its current version."""
        return cls(enrolment.enrolment_id, int(enrolment.version), recipient_kind, recipient_id, tuple(fields),
                   enrolment.account_id)


@dataclass(frozen=True)
class Outgoing:
    mail: Any  # chalicelib.platform.mail.RenderedMail
    disclosed: Disclosed | None = None
    # Reply-To, rendered at send time like the body (the contact form: the sender, R_CON_02)
    reply_to: tuple[str, ...] = ()


Renderer = Callable[[OutboxItem], Outgoing | None]  # None: nothing to send any more (e.g. data gone)
RendererTable = Callable[[], Mapping[str, Renderer]]
_renderer_table: list[RendererTable] = []


def install_renderers(table: RendererTable) -> None:
    """Called once by `app.py` with `chalicelib.wiring.mail_renderers`: the one place that says which
    capability renders which template. The table is read at the first send, so no template module
    is part of the cold start."""
    _renderer_table[:] = [table]


def renderer_for(template: str) -> Renderer:
    if not _renderer_table:
        raise LookupError("no mail renderers installed (app.py installs chalicelib.wiring.mail_renderers)")
    return _renderer_table[0]()[template]


def new_item(template: str, recipient: str, refs: dict[str, str], account_id: str | None = None,
             purge_day: str | None = None, expires_at: datetime | None = None, claimed: bool = False) -> OutboxItem:
    """`purge_day` and `expires_at` give a copy a hard deadline (contact messages, R_CON_03): the
    purge job deletes it on that day whatever its state, and TTL backs it up. `claimed`: the item is
    written already leased to the request that writes it (sent with `deliver_claimed` after the commit),
    which saves the claiming transaction; the retry job takes it only once the lease has run out."""
    now = clock.now()
    return OutboxItem(
        "o" + secrets.token_hex(10), template=template, refs=refs, recipient=recipient, account_id=account_id,
        enrolment_id=refs.get("enrolment_id"), status="pending", attempts=1 if claimed else 0, due_send=DUE,
        next_attempt_at=now, lease_until=now + LEASE if claimed else None, created_at=now,
        created_day=clock.today().isoformat(), purge_day=purge_day, expires_at=expires_at,
    )


def deliver_all(items: list[OutboxItem], known: Iterable[Model] = (),
                also: Callable[[TransactWrite], None] | None = None) -> None:
    """Send right after the commit, before the response (a thread would freeze with the Lambda).

    Never raises: whatever cannot be done now is left to the retry job. `known` are items the
    caller just wrote (the enrolment, its supplier), so rendering need not read them again; `also`
    adds writes to the claiming transaction (e.g. marking the request's follow-up as done)."""
    if not items:
        return
    try:
        claimed = _claim_all(items, also)
    except Exception as exc:
        _log_fault("outbox claim", exc)
        return
    _settle_logged(_attempt_all(claimed, known))


def deliver_claimed(items: list[OutboxItem], known: Iterable[Model] = (),
                    also: Callable[[TransactWrite], None] | None = None) -> None:
    """Send items written with `claimed=True` in the request's own transaction, right after its commit;
    `also` joins the transaction that records the outcome (e.g. the request's event-log entry), so a
    request costs its commit and one more write. Never raises: what cannot be done now is left to the
    retry job once the lease has run out (and `also` is written on its own)."""
    if not items:
        if also is not None:
            faults.after_commit("outbox record", lambda: _transact(also))
        return
    if not _settle_logged(_attempt_all(items, known), also) and also is not None:
        faults.after_commit("outbox record", lambda: _transact(also))


def _attempt_all(items: list[OutboxItem], known: Iterable[Model]) -> list[Result]:
    """One send attempt per item, rendering from the items the request just wrote where it can."""
    token = _known.set({_key(model): model for model in known})
    try:
        return [_attempt(item) for item in items]
    finally:
        _known.reset(token)


def deliver(item_id: str) -> bool:
    """Claim, render, send, record. True when the item is done (sent or dropped)."""
    item = _claim(item_id)
    if item is None:
        return False
    result = _attempt(item)
    _settle_logged([result])
    return result.outcome in (SENT, DROPPED)


def retry_due(limit: int = 200) -> dict[str, int]:
    """The retry job: only items whose next attempt is due, through the sparse index. An item that
    cannot even be claimed (DynamoDB throttled) waits for the next run; the others go on."""
    now = clock.now()
    due = OutboxItem.due_index.query(DUE, OutboxItem.next_attempt_at <= now, limit=limit)
    sent = failed = 0
    for key in due:
        try:
            done = deliver(key.item_id)
        except Exception as exc:
            if faults.classify(exc) is None:
                raise
            _log_fault("outbox retry", exc)
            done = False
        if done:
            sent += 1
        else:
            failed += 1
    return {"count": sent, "failed": failed}


def preloaded(model: type[M], key: str) -> M | None:
    """An item the request just wrote and handed to `deliver_all` (`known`), or None: read it then."""
    found = (_known.get() or {}).get((model.__name__, key))
    return found if isinstance(found, model) else None


def undeliverable(cursor_key: dict[str, Any] | None, limit: int) -> tuple[list[OutboxItem], dict[str, Any] | None]:
    """Given-up items, newest first, through the sparse index (CFB's view)."""
    result = OutboxItem.undeliverable_index.query(UNDELIVERABLE, scan_index_forward=False, limit=limit,
                                                  last_evaluated_key=cursor_key)
    items = list(result)
    return items, result.last_evaluated_key


def record_disclosure(disclosed: Disclosed, channel: str) -> None:
    """One ledger row per enrolment version and recipient; a repeat is ignored."""
    try:
        ledger_row(disclosed, channel).save(condition=Disclosure.disclosure_id.does_not_exist())
    except PutError as err:
        faults.only_condition(err)


def record_disclosures(disclosed: Iterable[Disclosed], channel: str,
                       entry: eventlog.Numbered | None = None) -> int:
    """The ledger rows of many deliveries at once (a feed page, R_PRV_01), as `record_disclosure` writes one,
    with the delivery's log entry (`eventlog.prepare_after`) when given; returns how many rows were new. Each
    row is written on condition that it does not exist yet, so a repeat keeps the row of the first delivery: one
    TransactWriteItems per TRANSACTION_LIMIT actions. When rows existed, DynamoDB names them in the refusal, and
    the transaction is written again without them. The log entry goes with the first new row; when every row
    existed (the page was delivered before) it is not written and the caller counts the repeat (R_LOG_04), and
    with no rows at all it is written alone. Returns only when all are stored and raises otherwise: call it
    before the data leaves, and send nothing when it raises."""
    rows = list({(row.enrolment_id, row.disclosure_id): row
                 for row in (ledger_row(d, channel) for d in disclosed)}.values())
    if not rows:
        _write_new([], entry)
        return 0
    room = TRANSACTION_LIMIT - eventlog.ENTRY_ACTIONS
    new, pending = 0, entry
    for start in range(0, len(rows), room):
        written, pending = _write_new(rows[start:start + room], pending)
        new += written
    return new


TRANSACTION_LIMIT = 100  # actions per TransactWriteItems (DynamoDB's limit)


def _write_new(rows: list[Disclosure], entry: eventlog.Numbered | None) -> tuple[int, eventlog.Numbered | None]:
    """The rows that do not exist yet, and the log entry unless a newer one owns its slot, in one transaction;
    a conflict with another writer backs off and tries again, as `batch` does. Each row is labelled by its
    place; `eventlog.put_numbered_in` adds the entry without a label and the counter's advance with its own.
    When another entry took the number the request read, the entry is numbered again and the rows go with it.
    Returns how many rows it stored, and the entry when it was held back because every row existed."""
    had_rows = bool(rows)
    for attempt in range(1, SETTLE_ATTEMPTS + 2):
        if not rows and entry is None:
            return 0, None
        transaction = Transaction()
        try:
            with transaction:
                for index, row in enumerate(rows):
                    transaction.save(row, condition=Disclosure.disclosure_id.does_not_exist(), label=str(index))
                if entry is not None:
                    eventlog.put_numbered_in(transaction, entry)
            return len(rows), None
        except TransactWriteError as err:
            refused = failed_labels(transaction, err)
            if not refused and faults.classify(err) is not faults.Fault.CONFLICT:
                raise
            if not refused:
                faults.backoff(attempt)
            rows = [row for index, row in enumerate(rows) if str(index) not in refused]
            if had_rows and not rows:
                return 0, entry  # every row existed: nothing new goes with the entry here
            entry = _entry_after(refused, entry)
    raise faults.unavailable()


def _entry_after(refused: set[str], entry: eventlog.Numbered | None) -> eventlog.Numbered | None:
    """The log entry to write again: numbered anew when its number was taken (its slot then refuses too),
    none when a newer entry owns its slot."""
    if entry is None or eventlog.COUNTER_LABEL in refused:
        return entry and eventlog.renumbered(entry)
    return None if "" in refused else entry


# --- claiming, sending, recording --------------------------------------------------------------------


@dataclass
class Result:
    item: OutboxItem
    outcome: str  # sent | dropped | retry | undeliverable
    code: str | None = None
    disclosed: Disclosed | None = None


SENT, DROPPED, RETRY, GIVEN_UP = "sent", "dropped", "retry", "undeliverable"
UNDELIVERABLE = "failed"
SENT_KEPT = timedelta(days=1)
SETTLE_ATTEMPTS = 3

_known: ContextVar[dict[tuple[str, str], Model] | None] = ContextVar("outbox_known", default=None)


def _key(model: Model) -> tuple[str, str]:
    return type(model).__name__, str(getattr(model, type(model)._hash_keyname or ""))


def _claim_condition(now: datetime) -> Any:
    return (OutboxItem.status == "pending") & (OutboxItem.lease_until.does_not_exist() | (OutboxItem.lease_until < now))


def _claim_all(items: list[OutboxItem], also: Callable[[TransactWrite], None] | None) -> list[OutboxItem]:
    """Claim the items of one request in one transaction; when another sender took one meanwhile,
    claim the rest one by one."""
    now = clock.now()
    lease = now + LEASE
    try:
        with TransactWrite(connection=connection()) as transaction:
            for item in items:
                transaction.update(item, actions=[OutboxItem.lease_until.set(lease), OutboxItem.attempts.add(1)],
                                   condition=_claim_condition(now))
            if also is not None:
                also(transaction)
    except TransactWriteError as err:
        if faults.classify(err) is not faults.Fault.CONFLICT:
            raise
        claimed = [found for found in (_claim(item.item_id) for item in items) if found is not None]
        if also is not None:  # the request's own writes do not depend on who sends its mails
            faults.after_commit("outbox claim", lambda: _transact(also))
        return claimed
    for item in items:
        item.lease_until, item.attempts = lease, int(item.attempts or 0) + 1
    return items


def _transact(write: Callable[[TransactWrite], None]) -> None:
    with TransactWrite(connection=connection()) as transaction:
        write(transaction)


def _claim(item_id: str) -> OutboxItem | None:
    now = clock.now()
    item = OutboxItem(item_id)
    try:  # one conditional update that also returns the whole item (ALL_NEW)
        item.update(actions=[OutboxItem.lease_until.set(now + LEASE), OutboxItem.attempts.add(1)],
                    condition=_claim_condition(now))
    except UpdateError as err:
        faults.only_condition(err)
        return None  # sent already, given up, gone, or someone else holds the lease
    return item


def _attempt(item: OutboxItem) -> Result:
    """Render and send once. Never raises: the outcome says what to record."""
    from chalicelib.platform import mail

    try:
        outgoing = renderer_for(item.template)(item)
    except Exception as exc:
        return Result(item, RETRY, faults.error_code(exc) or type(exc).__name__)
    if outgoing is None:
        return Result(item, DROPPED)
    if not item.recipient:
        # R_SEC_03, R_PRV_01: nothing went out, so the item is neither done nor disclosed; kept for a retry
        eventlog.system_error(where="outbox", error_type="MissingRecipient", reason=item.template)
        return Result(item, RETRY, "MissingRecipient")
    try:
        mail.send([item.recipient], outgoing.mail, list(outgoing.reply_to) or None)
    except mail.MailRejected as exc:
        return Result(item, GIVEN_UP, exc.code)
    except mail.MailFailed as exc:
        return Result(item, RETRY, exc.code)
    return Result(item, SENT, disclosed=outgoing.disclosed)


def _settle_logged(results: list[Result], also: Callable[[TransactWrite], None] | None = None) -> bool:
    """Record every outcome in one transaction (bounded retries), then log what was given up. True when
    recorded (with `also`)."""
    try:
        _settle(results, also)
    except Exception as exc:
        _log_fault("outbox record", exc)
        return False
    for result in results:
        if result.item.status == UNDELIVERABLE:
            eventlog.system_error(where="outbox", error_type=result.code or "unknown", reason=result.item.template,
                                  enrolment_id=enrolment_ref(result.item),
                                  count=int(result.item.attempts or 0))
    return True


def _settle(results: list[Result], also: Callable[[TransactWrite], None] | None = None) -> None:
    for attempt in range(SETTLE_ATTEMPTS):
        try:
            _settle_once(results, also)
            return
        except TransactWriteError as err:
            if faults.classify(err) is faults.Fault.PERMANENT or attempt + 1 == SETTLE_ATTEMPTS:
                raise
            faults.backoff(attempt + 2)


def _settle_once(results: list[Result], also: Callable[[TransactWrite], None] | None = None) -> None:
    now = clock.now()
    rows: dict[tuple[str, str], Disclosure] = {}
    with TransactWrite(connection=connection()) as transaction:
        for result in results:
            item = result.item
            if result.outcome in (SENT, DROPPED):
                transaction.update(item, actions=[
                    OutboxItem.status.set("sent"), OutboxItem.sent_at.set(now), OutboxItem.due_send.remove(),
                    OutboxItem.lease_until.remove(), OutboxItem.recipient.remove(), OutboxItem.account_id.remove(),
                    OutboxItem.expires_at.set(_kept_until(item, now + SENT_KEPT)),
                ], condition=OutboxItem.status == "pending")
                if result.disclosed is not None:
                    row = ledger_row(result.disclosed, "email")
                    rows[(row.enrolment_id, row.disclosure_id)] = row
            elif result.outcome == GIVEN_UP or int(item.attempts or 0) >= MAX_ATTEMPTS:
                item.status = UNDELIVERABLE
                transaction.update(item, actions=[
                    OutboxItem.status.set(UNDELIVERABLE), OutboxItem.due_send.remove(), OutboxItem.lease_until.remove(),
                    OutboxItem.recipient.remove(), OutboxItem.account_id.remove(),
                    OutboxItem.undeliverable.set(UNDELIVERABLE), OutboxItem.failed_at.set(now),
                    OutboxItem.error_code.set((result.code or "unknown")[:100]),
                    OutboxItem.expires_at.set(_kept_until(item, now + FAILED_KEPT)),
                ], condition=OutboxItem.status == "pending")
            else:
                transaction.update(item, actions=[
                    OutboxItem.next_attempt_at.set(next_attempt(now, int(item.attempts or 1))),
                    OutboxItem.lease_until.remove(), OutboxItem.error_code.set((result.code or "unknown")[:100]),
                ], condition=OutboxItem.status == "pending")
        for row in rows.values():
            transaction.save(row)
        if also is not None:
            also(transaction)


def _kept_until(item: OutboxItem, wanted: datetime) -> datetime:
    """Never longer than a hard deadline the item already has (a contact message's week, R_CON_03)."""
    return min(wanted, item.expires_at) if item.expires_at is not None else wanted


def enrolment_ref(item: OutboxItem) -> str | None:
    try:
        return str(item.refs["enrolment_id"])
    except (KeyError, TypeError, AttributeError):
        return None


def ledger_row(disclosed: Disclosed, channel: str) -> Disclosure:
    row_id = f"{disclosed.enrolment_version:04d}#{disclosed.recipient_kind}#{disclosed.recipient_id}"
    return Disclosure(
        disclosed.enrolment_id, row_id, account_id=disclosed.account_id, enrolment_version=disclosed.enrolment_version,
        recipient_kind=disclosed.recipient_kind, recipient_id=disclosed.recipient_id, channel=channel,
        fields=list(disclosed.fields), at=clock.now(),
    )


def _log_fault(where: str, exc: BaseException) -> None:
    """One system error with AWS's code; the work is left to the retry job."""
    log.warning("%s failed: %s", where, faults.error_code(exc) or type(exc).__name__)
    eventlog.system_error(where=where, error_type=type(exc).__name__, reason=faults.error_code(exc),
                          outcome=str(faults.classify(exc) or "unknown"))


def next_attempt(now: datetime, attempts: int) -> datetime:
    return now + timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])
