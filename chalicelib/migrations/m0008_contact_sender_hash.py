"""0008: every contact message carries `sender_hash` (a hash of the canonical sender address), the key of
`sender-index`, through which the holder's and CFB's export find the messages of one mailbox (R_ACC_09,
issue 22 item 6). Messages stored before had none, so an export did not show them during their week."""

from __future__ import annotations

from chalicelib.contact import rules as contact_rules
from chalicelib.migrations.step import CannotMigrateError, Migration, set_once
from chalicelib.models import ContactMessage


def _pending(message: ContactMessage) -> bool:
    return message.sender_hash is None


def _migrate(message: ContactMessage) -> None:
    if not message.email:
        raise CannotMigrateError("no sender address")
    set_once(message, ContactMessage.sender_hash, contact_rules.sender_hash(message.email), ContactMessage.email)


MIGRATION = Migration("0008-contact-sender-hash", ContactMessage,
                      "contactberichten krijgen de sleutel van hun afzender, zodat de inzage ze toont (R_ACC_09)",
                      _pending, _migrate)
