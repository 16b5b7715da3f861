"""Accounts: the organisation directory, sign-up and login links, verification and the profile.

Sign-up and login answer byte-identically and do the same work whether or not an address has an
account (R_ACC_03): after the public domain checks, every request that passes the rate limits sends
exactly one e-mail to the address: a sign-up link, a "you already have an account" mail with a
login link, a login link, or a neutral "no account with this address" mail. Only the owner of the
mailbox learns which one. An account is created only when its sign-up link is verified.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.access import Principal
from chalicelib.accounts import link_rules as links
from chalicelib.accounts import links as tokens
from chalicelib.accounts import roles as role_rules
from chalicelib.accounts import search, sessions
from chalicelib.accounts.rules import canonical_address, domain_allowed, sort_name
from chalicelib.models import Account, Organisation
from chalicelib.platform import clock, eventlog, faults, mail, ratelimit
from chalicelib.platform.config import settings
from chalicelib.platform.errors import (
    ConflictError,
    DomainError,
    SessionExpiredError,
    UnavailableError,
    UnprocessableError,
)
from chalicelib.platform.ratelimit_rules import LINK_GLOBAL, LINK_PER_ADDRESS

if TYPE_CHECKING:
    from chalicelib.accounts.schemas import LinkRequest, ProfilePatch, SignupRequest

LINK_SENT = {
    "message": "Controleer uw mailbox. Als het adres bij Leer-Rijk kan worden gebruikt, ontvangt u binnen enkele "
               "minuten een e-mail. Een link in die e-mail is 10 minuten geldig en werkt één keer.",
}
SIGNUP_PATH = "/aanmelden/"
LINK_INVALID = "Deze link is ongeldig, al gebruikt of verlopen. Vraag een nieuwe link aan."


class LinkInvalid(DomainError):
    status = 400
    code = "link_invalid"
    message = LINK_INVALID


# --- organisations --------------------------------------------------------------------------------


def organisations() -> list[Organisation]:
    """All organisations, sorted by name, from the small directory index (no Scan)."""
    return list(Organisation.directory_index.query("organisation"))


def get_organisation(org_id: str) -> Organisation | None:
    try:
        return Organisation.get(org_id)
    except DoesNotExist:
        return None


def public_directory() -> list[dict[str, Any]]:
    return [
        {
            "org_id": org.org_id,
            "name": org.name,
            "domains": sorted(org.domains or []),
            "departments": [{"department_id": d.department_id, "name": d.name} for d in org.departments or []],
        }
        for org in organisations()
    ]


def department_ids(org: Organisation) -> list[str]:
    return [d.department_id for d in org.departments or []]


def check_domain(email: str, org: Organisation) -> None:
    if not domain_allowed(email, org.domains or []):
        # Named, not "the chosen organisation": on an e-mail change the person chose none (R_UI_02).
        domains = " of ".join(f"@{domain}" for domain in sorted(org.domains or []))
        raise UnprocessableError(
            f"Het domein @{_domain(email)} hoort niet bij {org.name}. Gebruik uw zakelijke e-mailadres.",
            code="domain_not_allowed",
            fields={"email": f"Vul een e-mailadres in op een domein van {org.name}: {domains}."},
        )


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def check_department(department_id: str | None, org: Organisation) -> None:
    if department_id is not None and department_id not in department_ids(org):
        raise UnprocessableError(fields={"department_id": "Kies een afdeling van uw organisatie."},
                            code="unknown_department")


def require_organisation(org_id: str, field: str = "org_id") -> Organisation:
    org = get_organisation(org_id)
    if org is None:
        raise UnprocessableError(fields={field: "Kies een organisatie uit de lijst."}, code="unknown_organisation")
    return org


# --- accounts ------------------------------------------------------------------------------------


LINK_FIELDS = ["account_id", "email", "first_name", "status"]


def _find_evenly(email: str) -> Account | None:
    """The account of an address for a link request, with the same DynamoDB work whether or not it exists
    (R_ACC_03): one Query on the email index, which holds the whole account, and no read by key (a read of
    a key that exists costs more than one that does not). The index may lag a change by a moment: a link
    sent then is harmless, because its use reads the account consistently and checks it again."""
    return next(iter(Account.email_index.query(email, limit=1, attributes_to_get=LINK_FIELDS)), None)


def find_by_email(email: str) -> Account | None:
    """The account whose address is `email` now. The email index may lag a change of address by a moment,
    so its hit is read again consistently and kept only if it still has this address: a link sent to an
    address never reaches an account that left it (R_ACC_03)."""
    for hit in Account.email_index.query(email, limit=1):
        account = get_account(hit.account_id)
        return account if account is not None and account.email == email else None
    return None


def get_account(account_id: str) -> Account | None:
    try:
        return Account.get(account_id, consistent_read=True)
    except DoesNotExist:
        return None


def new_account(
    *, email: str, first_name: str, last_name: str, org_id: str, department_id: str | None,
    consent_at: Any, consent_version: str, roles: Iterable[role_rules.Grant] = (),
) -> Account:
    from chalicelib.models import role_grant

    account = Account(
        uuid.uuid4().hex, email=email, first_name=first_name, last_name=last_name,
        sort_name=sort_name(first_name, last_name, email), org_id=org_id, department_id=department_id,
        roles=[role_grant(g.role, g.org_id, g.department_id) for g in roles],
        status="active", created_at=clock.now(), consent_at=consent_at, consent_version=consent_version,
    )
    search.create(account)
    return account


def account_view(account: Account, org: Organisation | None = None) -> dict[str, Any]:
    """What the holder, their local admins and CFB see of an account (R_ACC_05, R_ACC_06)."""
    departments = {d.department_id: d.name for d in (org.departments or [])} if org else {}
    return {
        "account_id": account.account_id,
        "email": account.email,
        "first_name": account.first_name,
        "last_name": account.last_name,
        "org_id": account.org_id,
        "organisation_name": org.name if org else None,
        # the enrolment form asks for a manager's address where the organisation wants approval
        "approval_required": bool(org.approval_required) if org else None,
        "department_id": account.department_id,
        "department_name": departments.get(account.department_id or ""),
        "roles": [g.as_dict() for g in sessions.grants_of(account)],
        "status": account.status,
        "created_on": account.created_at.astimezone(clock.AMSTERDAM).date().isoformat(),
        "last_used_on": account.last_used_on,
        "second_factor_enrolled": account.totp_enrolled_at is not None,
    }


# --- link requests -------------------------------------------------------------------------------


def request_signup(body: SignupRequest) -> dict[str, str]:
    org = require_organisation(body.org_id)
    check_department(body.department_id, org)
    check_domain(body.email, org)
    if body.statement_version != settings.privacy_statement_version:
        raise UnprocessableError(
            "De privacyverklaring is gewijzigd. Lees de nieuwe versie en geef opnieuw toestemming.",
            code="statement_changed", fields={"statement_version": "Niet de huidige versie van de privacyverklaring."},
        )
    _limit_links(body.email)
    existing = _find_evenly(body.email)
    if existing is not None:
        _send_for_existing(existing, "account_link_existing")
    else:
        payload = {
            "first_name": body.first_name, "last_name": body.last_name, "org_id": org.org_id,
            "department_id": body.department_id, "consent_at": clock.now().isoformat(),
            "consent_version": body.statement_version,
        }
        token = tokens.issue(links.SIGNUP, body.email, payload)
        _send(body.email, "account_link_signup", {"first_name": body.first_name, "link": tokens.link_for(token)},
              token)
    eventlog.record(eventlog.EventKind.LINK_REQUESTED, purpose=links.SIGNUP)
    return LINK_SENT


def request_login(body: LinkRequest) -> dict[str, str]:
    if not any(domain_allowed(body.email, org.domains or []) for org in organisations()):
        raise UnprocessableError(
            "Dit e-mailadres hoort niet bij een organisatie die Leer-Rijk gebruikt. Gebruik uw zakelijke e-mailadres.",
            code="domain_not_allowed",
            fields={"email": f"Het domein @{_domain(body.email)} hoort niet bij een deelnemende organisatie."},
        )
    _limit_links(body.email)
    existing = _find_evenly(body.email)
    if existing is None:
        decoy = tokens.issue_decoy(body.email)  # the same writes as a real link (R_ACC_03 timing); nothing usable
        _send(body.email, "account_link_unknown", {"signup_link": f"{settings.portal_origin}{SIGNUP_PATH}"}, decoy)
    else:
        _send_for_existing(existing, "account_link_login")
    eventlog.record(eventlog.EventKind.LINK_REQUESTED, purpose=links.LOGIN)
    return LINK_SENT


def _send_for_existing(account: Account, template: str) -> None:
    if account.status != "active":
        decoy = tokens.issue_decoy(account.email)  # same work as the other branches (R_ACC_03 timing)
        _send(account.email, "account_link_disabled", {}, decoy)
        return
    token = tokens.issue(links.LOGIN, account.email)
    _send(account.email, template, {"first_name": account.first_name, "link": tokens.link_for(token)}, token)


def _limit_links(email: str) -> None:
    """Per mailbox (plus-addressing does not multiply it); the service-wide count only raises an alarm."""
    ratelimit.hit(LINK_PER_ADDRESS, canonical_address(email),
                  "Er zijn te veel links voor dit adres aangevraagd. Probeer het over een kwartier opnieuw.")
    ratelimit.watch_global(LINK_GLOBAL)


def _send(email: str, template: str, context: dict[str, Any], link_token: str | None = None) -> None:
    """Send an account mail at once: the person is waiting. When it fails, the link it carried is withdrawn
    (R_SEC_03: a 503 with advice keeps no link; a decoy's record goes alike, so the branches stay equal)."""
    try:
        mail.send_template([email], template, context)
    except mail.MailFailed:
        if link_token is not None:
            tokens.withdraw(link_token)
        eventlog.system_error(where="account_link_mail", error_type="MailFailed")
        raise UnavailableError("De e-mail kon niet worden verstuurd. Probeer het over enkele minuten opnieuw.",
                                 code="mail_failed") from None


# --- verification --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    body: dict[str, Any]
    cookie: str | None = None


def verify(token: str, old_session_token: str | None) -> Verified:
    link = _consume(token)
    if link.purpose == links.EMAIL_CHANGE:
        return Verified(complete_email_change(link))
    account = _complete_signup(link) if link.purpose == links.SIGNUP else _login_account(link)
    if old_session_token:
        sessions.end(sessions.digest(old_session_token))  # a new login never reuses a session (fixation)
    started = sessions.save_new(sessions.start(account.account_id))
    sessions.mark_used(account)
    eventlog.record(eventlog.EventKind.LOGIN, account_ref=account.account_id, assurance=1)
    grants = sessions.grants_of(account)
    body = {
        "purpose": link.purpose,
        "second_factor": role_rules.second_factor_state(grants, account.totp_enrolled_at is not None, 1),
        "profile": account_view(account, get_organisation(account.org_id)),
    }
    return Verified(body, started.cookie)


def _consume(token: str) -> tokens.ConsumedLink:
    try:
        link = tokens.consume(token)
    except tokens.LinkRefused as refused:
        kind = eventlog.EventKind.LINK_EXPIRED if refused.reason == "expired" else eventlog.EventKind.LINK_REFUSED
        eventlog.record_repeated(kind, reason=refused.reason)  # counted per window (R_LOG_04)
        raise LinkInvalid() from None
    eventlog.record(eventlog.EventKind.LINK_USED, purpose=link.purpose)
    return link


def _login_account(link: tokens.ConsumedLink) -> Account:
    account = find_by_email(link.email)
    if account is None or account.status != "active":
        eventlog.record_repeated(eventlog.EventKind.LINK_REFUSED, reason="no_active_account")
        raise LinkInvalid()
    return account


def _complete_signup(link: tokens.ConsumedLink) -> Account:
    existing = find_by_email(link.email)
    if existing is not None:  # a second sign-up link of the same owner: log in instead
        if existing.status != "active":
            raise LinkInvalid()
        return existing
    data = link.payload
    org = get_organisation(str(data.get("org_id", "")))
    if org is None:
        raise LinkInvalid()
    check_domain(link.email, org)
    department_id = data.get("department_id")
    account = new_account(
        email=link.email, first_name=data["first_name"], last_name=data["last_name"], org_id=org.org_id,
        department_id=department_id if department_id in department_ids(org) else None,
        consent_at=datetime.fromisoformat(data["consent_at"]), consent_version=data["consent_version"],
    )
    eventlog.record(eventlog.EventKind.SIGNUP, account_ref=account.account_id, org_id=org.org_id)
    return account


# --- profile ---------------------------------------------------------------------------------------


def holder(principal: Principal) -> Account:
    """The caller's account as the authenticator read it on this request (strongly consistent), else read now."""
    account = principal.account or get_account(principal.subject_id)
    if account is None:  # deleted between the authenticator and here
        raise SessionExpiredError()
    return account


def my_profile(principal: Principal) -> dict[str, Any]:
    account = holder(principal)
    view = account_view(account, get_organisation(account.org_id))
    view.update({
        "consent_at": account.consent_at.isoformat(),
        "consent_version": account.consent_version,
        "pending_email": account.pending_email,
        "assurance_level": principal.assurance_level,
        "second_factor": role_rules.second_factor_state(
            sessions.grants_of(account), account.totp_enrolled_at is not None, principal.assurance_level),
    })
    return view


def update_my_profile(principal: Principal, patch: ProfilePatch) -> dict[str, Any]:
    account = holder(principal)
    org = get_organisation(account.org_id)
    email_changes = patch.email is not None and patch.email != account.email
    if email_changes and org is not None:
        check_domain(str(patch.email), org)  # refuse before anything else changes
    actions = name_actions(account, patch.first_name, patch.last_name)
    if "department_id" in patch.model_fields_set and org is not None:
        check_department(patch.department_id, org)
        actions.append(Account.department_id.set(patch.department_id) if patch.department_id
                       else Account.department_id.remove())
    if actions:
        change_account(account, actions, first_name=patch.first_name, last_name=patch.last_name)
        eventlog.record(eventlog.EventKind.ACCOUNT_CHANGED, account_ref=account.account_id,
                        actor_ref=account.account_id, changed="profile")
    if email_changes:
        request_email_change(account, str(patch.email), org)
    return my_profile(principal)


def name_actions(account: Account, first_name: str | None, last_name: str | None) -> list[Any]:
    first = first_name if first_name is not None else account.first_name
    last = last_name if last_name is not None else account.last_name
    if (first, last) == (account.first_name, account.last_name):
        return []
    return [Account.first_name.set(first), Account.last_name.set(last),
            Account.sort_name.set(sort_name(first, last, account.email))]


def change_account(account: Account, actions: list[Any], *, first_name: str | None = None,
                   last_name: str | None = None, org_id: str | None = None) -> None:
    """Apply `actions` to an existing account, its search keys moving with a new name or organisation
    in the same transaction (chalicelib.accounts.search); 409 when another change came first."""
    after = search.Indexed(first_name or account.first_name, last_name or account.last_name, account.email,
                           org_id or account.org_id)
    if not search.update(account, actions, Account.account_id.exists(), after):
        raise faults.busy()


@dataclass(frozen=True)
class Move:
    """A move to another organisation that waits for the new address's link (CFB, R_ACC_07)."""

    org_id: str
    department_id: str | None


def request_email_change(account: Account, new_email: str, org: Organisation | None,
                         admin_ref: str | None = None, move: Move | None = None) -> None:
    """R_ACC_02/03/07: the new address meets the domain rule and is confirmed by a link sent to it.
    When an admin asks (`admin_ref`), the old address is told first, and confirming ends every session;
    a `move` to another organisation is carried by the link and made when it is used."""
    if org is None:
        raise ConflictError("Uw organisatie is niet meer bekend. Neem contact op met Centraal Functioneel Beheer.")
    check_domain(new_email, org)
    _limit_links(new_email)
    if admin_ref is not None:
        _send(account.email, "account_email_change_notice", {"first_name": account.first_name, "new_email": new_email})
    if account.pending_email and account.pending_email != new_email:
        tokens.forget_address(account.pending_email)
    payload: dict[str, Any] = {"account_id": account.account_id}
    if admin_ref is not None:
        payload["by_admin"] = True
    if move is not None:
        payload["move_to"] = {"org_id": move.org_id, "department_id": move.department_id}
    token = tokens.issue(links.EMAIL_CHANGE, new_email, payload)
    _send(new_email, "account_link_email_change",
          {"first_name": account.first_name, "link": tokens.link_for(token), "by_admin": admin_ref is not None},
          token)
    account.update(actions=[Account.pending_email.set(new_email)], condition=Account.account_id.exists())
    eventlog.record(eventlog.EventKind.LINK_REQUESTED, purpose=links.EMAIL_CHANGE, account_ref=account.account_id,
                    actor_ref=admin_ref or account.account_id)


def complete_email_change(link: tokens.ConsumedLink) -> dict[str, Any]:
    account = get_account(str(link.payload.get("account_id", "")))
    if account is None or account.status != "active" or account.pending_email != link.email:
        eventlog.record_repeated(eventlog.EventKind.LINK_REFUSED, reason="email_change_superseded")
        raise LinkInvalid()
    move = _move_of(link.payload)
    org = get_organisation(move.org_id if move else account.org_id)
    if org is None:
        raise LinkInvalid()
    check_domain(link.email, org)
    other = find_by_email(link.email)
    if other is not None and other.account_id != account.account_id:
        raise ConflictError("Er bestaat al een account met dit e-mailadres.", code="email_in_use")
    if not apply_email(account, link.email, condition=Account.pending_email == link.email, move=move):
        raise LinkInvalid()
    eventlog.record(eventlog.EventKind.ACCOUNT_CHANGED, account_ref=account.account_id, changed="email")
    if link.payload.get("by_admin"):  # R_ACC_07: whoever held a session on the old address is out
        ended = sessions.end_all(account.account_id)
        eventlog.record(eventlog.EventKind.SESSIONS_ENDED, account_ref=account.account_id, count=ended)
        return {"purpose": links.EMAIL_CHANGE, "email": link.email,
                "message": "Uw e-mailadres is gewijzigd. Log opnieuw in met het nieuwe adres."}
    return {"purpose": links.EMAIL_CHANGE, "email": link.email,
            "message": "Uw e-mailadres is gewijzigd. U logt voortaan in met het nieuwe adres."}


def _move_of(payload: dict[str, Any]) -> Move | None:
    move = payload.get("move_to")
    if not isinstance(move, dict) or not isinstance(move.get("org_id"), str):
        return None
    department = move.get("department_id")
    return Move(move["org_id"], department if isinstance(department, str) else None)


def apply_email(account: Account, new_email: str, condition: Any = None, move: Move | None = None) -> bool:
    """Set a confirmed or admin-entered address (and make the move that waited for it); False when the
    account changed meanwhile."""
    old_email = account.email
    cond = Account.account_id.exists() if condition is None else (Account.account_id.exists() & condition)
    actions = [
        Account.email.set(new_email),
        Account.sort_name.set(sort_name(account.first_name, account.last_name, new_email)),
        Account.pending_email.remove(),
    ]
    if move is not None:
        actions.append(Account.org_id.set(move.org_id))
        actions.append(Account.department_id.set(move.department_id) if move.department_id
                       else Account.department_id.remove())
    after = search.Indexed(account.first_name, account.last_name, new_email,
                           move.org_id if move else account.org_id)
    if not search.update(account, actions, cond, after):
        return False
    tokens.forget_address(old_email)  # links to the old address no longer log anyone in (B4)
    return True


def ensure_unique_email(email: str, account_id: str | None = None) -> None:
    other = find_by_email(email)
    if other is not None and other.account_id != account_id:
        raise ConflictError("Er bestaat al een account met dit e-mailadres.", code="email_in_use",
                       fields={"email": "Dit adres is al in gebruik."})

