"""The question form of logged-in employees (R_QST_01, R_QST_02).

The question goes by e-mail, directly with SES, to the local admins of the sender's own
organisation. Nothing of it is stored (no item, no outbox item, no ledger row) and nothing of it is
logged, not even that it was sent: a failure answers "try again" and leaves no trace either.
The sender's business e-mail and organisation come from the account, never from the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.access import Principal
from chalicelib.accounts.roles import LOCAL_ADMIN
from chalicelib.accounts.use_cases import get_organisation, holder
from chalicelib.models import Account, Organisation
from chalicelib.platform import mail
from chalicelib.platform.config import settings
from chalicelib.platform.errors import ConflictError, UnavailableError

if TYPE_CHECKING:
    from chalicelib.accounts.schemas import QuestionRequest

SENT = {"message": "Uw vraag is verstuurd naar de lokaal beheerder(s) van uw organisatie. "
                   "U krijgt antwoord op uw zakelijke e-mailadres."}


def local_admin_addresses(org: Organisation) -> list[str]:
    """Active accounts that hold the local-admin role for this organisation right now."""
    ids = sorted(org.local_admin_ids or [])
    if not ids:
        return []
    admins = Account.batch_get(ids, consistent_read=True)
    return sorted(a.email for a in admins if a.status == "active" and _is_local_admin_of(a, org.org_id))


def _is_local_admin_of(account: Account, org_id: str) -> bool:
    return any(g.role == LOCAL_ADMIN and g.org_id == org_id for g in account.roles or [])


def ask(principal: Principal, body: QuestionRequest) -> dict[str, str]:
    sender = holder(principal)
    org = get_organisation(sender.org_id)
    recipients = local_admin_addresses(org) if org else []
    if not recipients:
        raise ConflictError(
            "Uw organisatie heeft in Leer-Rijk (nog) geen lokaal beheerder. Stel uw vraag aan Centraal Functioneel "
            f"Beheer: {settings.cfb_contact}.",
            code="no_local_admin",
        )
    context: dict[str, Any] = {
        "organisation_name": org.name if org else sender.org_id,
        "sender_email": sender.email,
        "sender_name": body.name,
        "sender_phone": body.phone,
        "question": body.question,
    }
    try:
        mail.send_template(recipients, "account_question", context, reply_to=[sender.email])
    except mail.MailFailed:
        raise UnavailableError("Uw vraag kon niet worden verstuurd. Probeer het over enkele minuten opnieuw.",
                                 code="mail_failed") from None
    return SENT
