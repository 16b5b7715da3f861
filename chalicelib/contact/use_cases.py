"""The contact form (R_CON_01-04): store the message for the outbox, send it to CFB, purge it within a week.

A message is stored only so that a failed send is retried (R_SEC_03). It and every copy of it carry
the day the purge deletes them (a sparse, date-keyed `purge-day-index` on the three tables): the
message, its outbox item and the rate-limit counters of its address. Every read checks the week
itself, because TTL deletes lag. Nothing of a message reaches the event log but "contact form
sent" (R_LOG_01), and no ledger row is written (R_PRV_01). No screen shows stored messages: they are
read by the e-mail to CFB, and by the right of access of whoever holds the sending mailbox (R_ACC_09:
chalicelib/privacy/rights.py, through the sender index keyed by `rules.sender_hash` of the canonical address).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.accounts.rules import canonical_address
from chalicelib.contact import rules
from chalicelib.models import ContactMessage, OutboxItem, RateCounter
from chalicelib.platform import clock, eventlog, outbox, ratelimit, transactions
from chalicelib.platform.config import settings
from chalicelib.platform.ratelimit_rules import CONTACT_GLOBAL, CONTACT_PER_ADDRESS

if TYPE_CHECKING:
    from chalicelib.contact.schemas import ContactRequest

TEMPLATE = "contact_message"
SENT = {"message": "Uw bericht is verstuurd naar Centraal Functioneel Beheer. U krijgt antwoord op het "
                   "e-mailadres dat u heeft opgegeven. Leer-Rijk verwijdert uw bericht binnen 7 dagen."}
TOO_MANY_FROM_ADDRESS = ("U heeft vanaf dit e-mailadres al enkele berichten gestuurd. Probeer het over een uur "
                         "opnieuw, of mail Centraal Functioneel Beheer rechtstreeks.")


def submit(body: ContactRequest) -> dict[str, str]:
    """Store the message and its outbox item in one transaction, send at once; the retry job does the rest."""
    if rules.is_honeypot(body.website):
        return SENT  # a bot: the same answer, and nothing stored, sent, counted or logged
    # R_CON_04: per mailbox, as for login links (`x+1@` and `X@` are one sender); the service-wide count
    # only warns operators, so no visitor can shut the form for others (the edge caps each IP)
    ratelimit.hit(CONTACT_PER_ADDRESS, canonical_address(body.email),
                  f"{TOO_MANY_FROM_ADDRESS} ({settings.cfb_contact})")
    ratelimit.watch_global(CONTACT_GLOBAL)
    now = clock.now()
    day, expires = rules.purge_day(now), rules.expires_at(now)
    message = ContactMessage(
        "c" + secrets.token_hex(12), email=body.email, sender_hash=rules.sender_hash(body.email),
        question=body.question, first_name=body.first_name,
        last_name=body.last_name, organisation=body.organisation, created_at=now, purge_day=day, expires_at=expires,
    )
    item = outbox.new_item(TEMPLATE, settings.cfb_contact, {"message_id": message.message_id},
                           purge_day=day, expires_at=expires)
    with TransactWrite(connection=transactions.connection()) as transaction:
        transaction.save(message, condition=ContactMessage.message_id.does_not_exist())
        transaction.save(item, condition=OutboxItem.item_id.does_not_exist())
    outbox.deliver_all([item])
    eventlog.record(eventlog.EventKind.CONTACT_SENT)
    return SENT


def visible_message(message_id: str) -> ContactMessage | None:
    """The one read of a message (the outbox renderer): nothing after its week, purged or not."""
    try:
        message = ContactMessage.get(message_id, consistent_read=True)
    except DoesNotExist:
        return None
    return message if rules.visible(message.created_at, clock.now()) else None


# --- the purge job -----------------------------------------------------------------------------------------


def purge_due() -> dict[str, int]:
    """Delete every copy whose purge day has come (today, UTC) or was missed: counters and outbox items
    first, the message last. Idempotent; a missed run is caught up by the next."""
    now = clock.now()
    counts = {"counters": 0, "outbox": 0, "count": 0}
    for day in rules.purge_days(now):
        counts["counters"] += _delete(RateCounter, RateCounter.purge_index.query(day))
        counts["outbox"] += _delete(OutboxItem, OutboxItem.purge_index.query(day))
        counts["count"] += _delete(ContactMessage, ContactMessage.purge_index.query(day))
    return counts


def _delete(model: type[Model], keys: Iterable[Any]) -> int:
    deleted = 0
    with model.batch_write() as batch:
        for key in keys:
            batch.delete(key)
            deleted += 1
    return deleted
