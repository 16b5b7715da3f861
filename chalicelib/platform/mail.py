"""E-mail: Jinja2 templates (Dutch, HTML + text, autoescaped HTML) rendered and sent with SES v2.

Jinja2 and boto3 are imported on first use, so neither is part of the cold start of `import app`.
Templates live in `chalicelib/templates/mail/` (only `chalicelib/` ships to Lambda): `<name>.html`
and `<name>.txt`; subjects are declared here. A send failure raises `MailFailed` whose message
carries no address or content, so a caller that logs it logs nothing personal (R_QST_02, R_LOG_01).

A mail with a calendar part (an iTIP invitation, R_CAL_01) is sent as SES v2 `Raw` content: one
multipart/alternative MIME message of text, HTML and `text/calendar; method=...`, the form calendar
clients act on; every other mail is SES's `Simple` content, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from chalicelib.platform.config import settings

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "mail"

SUBJECTS = {
    "account_link_signup": "Bevestig uw aanmelding bij Leer-Rijk",
    "account_link_existing": "U heeft al een account bij Leer-Rijk",
    "account_link_login": "Uw inloglink voor Leer-Rijk",
    "account_link_unknown": "Inloggen bij Leer-Rijk",
    "account_link_disabled": "Inloggen bij Leer-Rijk",
    "account_link_email_change": "Bevestig uw nieuwe e-mailadres voor Leer-Rijk",
    "account_email_change_notice": "Wijziging van uw e-mailadres bij Leer-Rijk aangevraagd",
    "account_question": "Vraag van een medewerker via Leer-Rijk",
}


class MailFailed(Exception):
    """SES refused or could not be reached. Deliberately without details but SES's error code
    (`code`, e.g. "TooManyRequestsException"): never an address or content."""

    def __init__(self, code: str | None = None) -> None:
        self.code = code or "unknown"
        super().__init__(f"sending failed: {self.code}")


class MailRejected(MailFailed):
    """A permanent refusal (message rejected, sender not verified, account suspended): retrying cannot
    cure it, so the outbox gives the item up at once and CFB sees it (R_SEC_03). A paused account is not
    one: an operator lifts the pause, and the outbox retries until then."""


@dataclass(frozen=True)
class CalendarPart:
    """An iCalendar object (RFC 5545) and its iTIP method (RFC 5546): REQUEST or CANCEL."""

    method: str
    text: str


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    html: str
    text: str
    calendar: CalendarPart | None = None


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), disabled_extensions=("txt",),
                                            default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render(name: str, context: dict[str, Any], subject: str | None = None) -> RenderedMail:
    """`subject` defaults to the account mails' subjects declared here; capabilities pass their own."""
    env = _environment()
    full = {"portal_origin": settings.portal_origin, "cfb_contact": settings.cfb_contact, **context}
    subject = subject or SUBJECTS[name]
    return RenderedMail(
        subject=_one_line(subject),
        html=env.get_template(f"{name}.html").render(subject=subject, **full),
        text=env.get_template(f"{name}.txt").render(subject=subject, **full),
    )


def send(to: list[str], mail: RenderedMail, reply_to: list[str] | None = None) -> str:
    """Send one message to `to` (never Cc/Bcc); returns the SES message id."""
    from botocore.exceptions import BotoCoreError, ClientError

    request: dict[str, Any] = {
        "FromEmailAddress": settings.mail_from,
        "Destination": {"ToAddresses": list(to)},
        "Content": {"Raw": {"Data": mime_message(to, mail, reply_to)}} if mail.calendar else {"Simple": {
            "Subject": {"Data": mail.subject, "Charset": "UTF-8"},
            "Body": {"Text": {"Data": mail.text, "Charset": "UTF-8"}, "Html": {"Data": mail.html, "Charset": "UTF-8"}},
        }},
    }
    if reply_to:
        request["ReplyToAddresses"] = list(reply_to)
    try:
        return str(_client().send_email(**request)["MessageId"])
    except (BotoCoreError, ClientError) as exc:
        from chalicelib.platform import faults

        code = faults.error_code(exc)
        if faults.permanent_mail_error(exc):
            raise MailRejected(code) from None
        raise MailFailed(code) from None


def mime_message(to: list[str], mail: RenderedMail, reply_to: list[str] | None = None) -> bytes:
    """The whole message as SES v2 Raw content: text, HTML and, when there is one, the calendar part
    (`text/calendar; method=REQUEST|CANCEL`, UTF-8, base64 so its CRLF lines arrive unchanged)."""
    from email.message import EmailMessage
    from email.policy import SMTP

    message = EmailMessage(policy=SMTP)
    message["From"] = settings.mail_from
    message["To"] = ", ".join(to)
    if reply_to:
        message["Reply-To"] = ", ".join(reply_to)
    message["Subject"] = mail.subject
    message.set_content(mail.text, cte="quoted-printable")
    message.add_alternative(mail.html, subtype="html", cte="quoted-printable")
    if mail.calendar is not None:
        message.add_alternative(mail.calendar.text.encode(), "text", "calendar", cte="base64",
                                params={"charset": "utf-8", "method": mail.calendar.method})
    return message.as_bytes()


def send_template(to: list[str], name: str, context: dict[str, Any], reply_to: list[str] | None = None) -> str:
    return send(to, render(name, context), reply_to)


@cache
def _client() -> Any:
    import boto3
    from botocore.config import Config

    # One attempt per send: the outbox owns retries and backoff, so botocore's own retries can never
    # send a mail twice at once (R_SEC_03).
    return boto3.client("sesv2", region_name=settings.region,
                        config=Config(retries={"mode": "standard", "total_max_attempts": 1}))


def _one_line(text: str) -> str:
    return " ".join(text.split())
