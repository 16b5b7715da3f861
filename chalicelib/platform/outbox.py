"""The outbox (R_SEC_03): every notification is an item written in the same transaction as the
change it reports, sent right after the commit, and retried by a job with backoff.

An item holds ids, a template name and the recipient; the body is rendered at send time from the
current data. A sender claims an item with a conditional lease, so one claim sends at most once.
A duplicate mail is possible only when SES accepted a message and its reply was lost before the
item was marked sent. Sent items are deleted: no copy of personal data outlives its sending.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import DeleteError, PutError, UpdateError

from chalicelib.models import Disclosure, OutboxItem
from chalicelib.platform import clock, eventlog

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=90)
MAX_ATTEMPTS = 12
DUE = "due"
BACKOFF_MINUTES = (1, 2, 5, 10, 30, 60, 120, 240, 480, 720, 1440)
FAILED_KEPT = timedelta(days=7)


@dataclass(frozen=True)
class Disclosed:
    """A ledger row to write once the mail has gone (R_PRV_01)."""

    enrolment_id: str
    enrolment_version: int
    recipient_kind: str
    recipient_id: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Outgoing:
    mail: Any  # chalicelib.platform.mail.RenderedMail
    disclosed: Disclosed | None = None


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


def new_item(template: str, recipient: str, refs: dict[str, str], account_id: str | None = None) -> OutboxItem:
    now = clock.now()
    return OutboxItem(
        "o" + secrets.token_hex(10), template=template, refs=refs, recipient=recipient, account_id=account_id,
        enrolment_id=refs.get("enrolment_id"), status="pending", attempts=0, due_send=DUE, next_attempt_at=now,
        created_at=now, created_day=clock.today().isoformat(),
    )


def deliver_all(items: list[OutboxItem]) -> None:
    """Send right after the commit, before the response (a thread would freeze with the Lambda)."""
    for item in items:
        deliver(item.item_id)


def deliver(item_id: str) -> bool:
    """Claim, render, send, record. True when the item is done (sent or dropped)."""
    item = _claim(item_id)
    if item is None:
        return False
    try:
        outgoing = renderer_for(item.template)(item)
        if outgoing is not None and not item.recipient:
            # R_SEC_03, R_PRV_01: nothing went out, so the item is neither done nor disclosed; kept for a retry
            eventlog.system_error(where="outbox", error_type="MissingRecipient", reason=item.template)
            _release(item, "MissingRecipient")
            return False
        if outgoing is not None:
            from chalicelib.platform import mail

            mail.send([item.recipient], outgoing.mail)
    except Exception as exc:
        _release(item, type(exc).__name__)
        return False
    if outgoing is not None and outgoing.disclosed is not None:
        record_disclosure(outgoing.disclosed, channel="email")
    _done(item)
    return True


def retry_due(limit: int = 200) -> dict[str, int]:
    """The retry job: only items whose next attempt is due, through the sparse index."""
    now = clock.now()
    due = OutboxItem.due_index.query(DUE, OutboxItem.next_attempt_at <= now, limit=limit)
    sent = failed = 0
    for key in due:
        if deliver(key.item_id):
            sent += 1
        else:
            failed += 1
    return {"count": sent, "failed": failed}


def record_disclosure(disclosed: Disclosed, channel: str) -> None:
    """One ledger row per enrolment version and recipient; a repeat is ignored."""
    row_id = f"{disclosed.enrolment_version:04d}#{disclosed.recipient_kind}#{disclosed.recipient_id}"
    row = Disclosure(
        disclosed.enrolment_id, row_id, enrolment_version=disclosed.enrolment_version,
        recipient_kind=disclosed.recipient_kind, recipient_id=disclosed.recipient_id, channel=channel,
        fields=list(disclosed.fields), at=clock.now(),
    )
    try:
        row.save(condition=Disclosure.disclosure_id.does_not_exist())
    except PutError as err:
        if getattr(err, "cause_response_code", None) != "ConditionalCheckFailedException":
            raise


def _claim(item_id: str) -> OutboxItem | None:
    now = clock.now()
    item = OutboxItem(item_id)
    try:  # one conditional update that also returns the whole item (ALL_NEW)
        item.update(
            actions=[OutboxItem.lease_until.set(now + LEASE), OutboxItem.attempts.add(1)],
            condition=(OutboxItem.status == "pending")
            & (OutboxItem.lease_until.does_not_exist() | (OutboxItem.lease_until < now)),
        )
    except UpdateError:
        return None  # sent already (gone), or someone else holds the lease
    return item


def _done(item: OutboxItem) -> None:
    try:
        item.delete(condition=OutboxItem.lease_until.exists())
    except DeleteError:
        log.warning("outbox item %s was already removed", item.item_id)


def _release(item: OutboxItem, error_type: str) -> None:
    attempts = int(item.attempts)
    if attempts >= MAX_ATTEMPTS:
        # given up after about two days: kept a week for IT operations to look into, then gone (TTL)
        item.update(actions=[OutboxItem.status.set("failed"), OutboxItem.due_send.remove(),
                             OutboxItem.lease_until.remove(), OutboxItem.expires_at.set(clock.now() + FAILED_KEPT)])
        eventlog.system_error(where="outbox", error_type=error_type, reason=item.template, count=attempts)
        return
    item.update(actions=[OutboxItem.next_attempt_at.set(next_attempt(clock.now(), attempts)),
                         OutboxItem.lease_until.remove()])


def next_attempt(now: datetime, attempts: int) -> datetime:
    return now + timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])
