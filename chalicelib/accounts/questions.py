"""The question form of logged-in employees (R_QST_01, R_QST_02).

The question goes by e-mail, directly with SES, to the local admins of the sender's own
organisation, or to CFB when the organisation has none (the form asks `recipient` first and says
so before sending). Nothing of it is stored (no item, no outbox item, no ledger row) and nothing of
it is logged, not even that it was sent: a failure answers "try again" and leaves no trace either.
Only a rate-limit counter keyed by a hash of the account id and the hour is kept (5 an hour; it
expires with its window and goes with the account). The sender's business e-mail and organisation
come from the account, never from the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.access import Principal
from chalicelib.accounts.roles import LOCAL_ADMIN
from chalicelib.accounts.use_cases import get_organisation, holder
from chalicelib.models import Account, Organisation
from chalicelib.platform import mail, ratelimit
from chalicelib.platform.config import settings
from chalicelib.platform.errors import UnavailableError
from chalicelib.platform.ratelimit_rules import QUESTION_PER_ACCOUNT

if TYPE_CHECKING:
    from chalicelib.accounts.schemas import QuestionRequest

SENT = {"message": "Uw vraag is verstuurd naar de lokaal beheerder(s) van uw organisatie. "
                   "U krijgt antwoord op uw zakelijke e-mailadres."}
SENT_TO_CFB = {"message": "Uw vraag is verstuurd naar Centraal Functioneel Beheer, omdat uw organisatie (nog) geen "
                          "lokaal beheerder heeft. U krijgt antwoord op uw zakelijke e-mailadres."}
TOO_MANY = ("U heeft in het afgelopen uur al vijf vragen gestuurd. U kunt later opnieuw een vraag stellen; "
            "het antwoord op uw eerdere vragen komt op uw zakelijke e-mailadres.")


def local_admin_addresses(org: Organisation) -> list[str]:
    """Active accounts that hold the local-admin role for this organisation right now."""
    ids = sorted(org.local_admin_ids or [])
    if not ids:
        return []
    admins = Account.batch_get(ids, consistent_read=True)
    return sorted(a.email for a in admins if a.status == "active" and _is_local_admin_of(a, org.org_id))


def _is_local_admin_of(account: Account, org_id: str) -> bool:
    return any(g.role == LOCAL_ADMIN and g.org_id == org_id for g in account.roles or [])


def recipient(principal: Principal) -> dict[str, str]:
    """Whom the form will reach, told before sending (R_QST_02): `local_admins` or `cfb`."""
    sender = holder(principal)
    org = get_organisation(sender.org_id)
    if org is not None and local_admin_addresses(org):
        return {"recipient": "local_admins",
                "message": "Uw vraag gaat naar de lokaal beheerder(s) van uw organisatie."}
    return {"recipient": "cfb", "message": "Uw organisatie heeft (nog) geen lokaal beheerder. Uw vraag gaat naar "
                                           "Centraal Functioneel Beheer."}


def ask(principal: Principal, body: QuestionRequest) -> dict[str, str]:
    sender = holder(principal)
    ratelimit.hit(QUESTION_PER_ACCOUNT, subject(sender.account_id), TOO_MANY)
    org = get_organisation(sender.org_id)
    recipients = local_admin_addresses(org) if org else []
    to_cfb = not recipients
    context: dict[str, Any] = {
        "organisation_name": org.name if org else sender.org_id,
        "sender_email": sender.email,
        "sender_name": body.name,
        "sender_phone": body.phone,
        "question": body.question,
        "to_cfb": to_cfb,
    }
    try:
        mail.send_template([settings.cfb_contact] if to_cfb else recipients, "account_question", context,
                           reply_to=[sender.email])
    except mail.MailFailed:
        raise UnavailableError("Uw vraag kon niet worden verstuurd. Probeer het over enkele minuten opnieuw.",
                                 code="mail_failed") from None
    return SENT_TO_CFB if to_cfb else SENT


def subject(account_id: str) -> str:
    """The rate-limit subject of an account's questions (deleted with the account, R_ACC_08)."""
    return f"question:{account_id}"
