"""The e-mail to CFB with a visitor's contact message (R_CON_02), rendered at send time.

Reply-To is the sender's address, so CFB answers directly; the outbox item itself holds only the
message id and CFB's address. After its week the message is not read any more and nothing is sent.
"""

from __future__ import annotations

from chalicelib.contact.use_cases import TEMPLATE, visible_message
from chalicelib.models import OutboxItem
from chalicelib.platform import mail, outbox
from chalicelib.platform.config import settings

SUBJECTS = {TEMPLATE: "Vraag via het contactformulier van Leer-Rijk"}


def _contact_message(item: OutboxItem) -> outbox.Outgoing | None:
    try:
        message_id = str(item.refs["message_id"])
    except KeyError:
        return None
    message = visible_message(message_id)
    if message is None:
        return None
    name = " ".join(part for part in (message.first_name, message.last_name) if part)
    context = {
        "sender_email": message.email, "sender_name": name, "organisation": message.organisation,
        "question": message.question, "statement_version": settings.privacy_statement_version,
    }
    return outbox.Outgoing(mail.render(TEMPLATE, context, SUBJECTS[TEMPLATE]), reply_to=(message.email,))


# Wired in chalicelib/wiring.py.
RENDERERS: dict[str, outbox.Renderer] = {TEMPLATE: _contact_message}
