"""The local mailbox: every e-mail that moto's SES recorded, read in-process.

chalicelib sends through SES v2 and never knows it runs locally; moto keeps what was sent in
`ses_backends[account][region].sent_messages`. With a text and an HTML part moto keeps only the
HTML; a raw MIME message (a mail with a calendar invitation, R_CAL_01) is parsed here, and its
`text/calendar` part is kept as it came (`calendar`, with its iTIP `calendar_method`).
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import asdict, dataclass
from typing import Any

import nh3
from markupsafe import Markup, escape
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

_HTML = re.compile(r"<(?:html|body|p|div|a|br|table|h[1-6]|ul|ol|span|strong|em)\b", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class MailMessage:
    id: str
    source: str
    destinations: list[str]
    subject: str
    body: str
    calendar: str | None = None
    calendar_method: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def body_html(self) -> Markup:
        """The body as safe HTML: HTML is sanitised (links kept), text gets clickable links."""
        if _HTML.search(self.body):
            return Markup(nh3.clean(self.body))
        return Markup(f'<p class="nl-paragraph lr-mail__text">{_linkify(self.body)}</p>')


def sent_messages(region: str) -> list[MailMessage]:
    """Newest first."""
    recorded = list(ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages)
    return [_convert(message) for message in reversed(recorded)]


def _convert(message: Any) -> MailMessage:
    if hasattr(message, "raw_data"):
        return _from_raw(message)
    if hasattr(message, "template"):
        body = f"Sjabloon {message.template}: {message.template_data}"
        return MailMessage(message.id, message.source, _addresses(message.destinations), "", body)
    return MailMessage(message.id, message.source, _addresses(message.destinations), message.subject, message.body)


def _from_raw(message: Any) -> MailMessage:
    parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
    part = parsed.get_body(preferencelist=("html", "plain"))
    body = part.get_content() if part is not None else ""
    destinations = _addresses(message.destinations) or [
        address for header in ("To", "Cc") for address in parsed.get_all(header, [])
    ]
    calendar = next((p for p in parsed.walk() if p.get_content_type() == "text/calendar"), None)
    return MailMessage(message.id, message.source, list(dict.fromkeys(destinations)), str(parsed.get("Subject", "")),
                       body, calendar.get_content() if calendar is not None else None,
                       str(calendar.get_param("method")) if calendar is not None else None)


def _addresses(destinations: Any) -> list[str]:
    """SES keeps a dict of To/Cc/Bcc lists for formatted mail and a plain list for raw mail."""
    if isinstance(destinations, dict):
        return [a for key in ("ToAddresses", "CcAddresses", "BccAddresses") for a in destinations.get(key, [])]
    return [str(a) for a in destinations or []]


def _linkify(text: str) -> str:
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        parts.append(str(escape(text[position:match.start()])))
        url = escape(match.group(0))
        parts.append(f'<a class="nl-link" href="{url}">{url}</a>')
        position = match.end()
    parts.append(str(escape(text[position:])))
    return "".join(parts).replace("\n", "<br>\n")
