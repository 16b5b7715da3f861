"""The second factor for admin roles (R_ACC_10): TOTP enrolment, verification and reset.

A session starts at assurance level 1 after the e-mail link. An account with an admin role and no
confirmed secret enrols (`setup` returns the otpauth URI and the secret once; the first correct
code confirms it). A correct code that is newer than the last one used raises the session to level
2 and rotates its token. Attempts are rate-limited per account; failures are logged without the
code. The secret never appears in an export, a log or any later response.
"""

from __future__ import annotations

import secrets
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib.access import Principal
from chalicelib.accounts import roles as role_rules
from chalicelib.accounts import sessions
from chalicelib.accounts import totp_rules as rules
from chalicelib.accounts.use_cases import holder
from chalicelib.models import Account
from chalicelib.platform import clock, eventlog, faults, ratelimit
from chalicelib.platform.errors import ConflictError, DomainError
from chalicelib.platform.ratelimit_rules import TOTP_PER_ACCOUNT


class CodeRefused(DomainError):
    status = 400
    code = "totp_invalid"
    message = "De code klopt niet of is al gebruikt. Wacht op de volgende code en probeer het opnieuw."


def setup(principal: Principal) -> dict[str, Any]:
    account = holder(principal)
    if not role_rules.has_admin_role(sessions.grants_of(account)):
        raise ConflictError("Uw account heeft geen beheerrol en dus geen tweede factor nodig.", code="totp_not_needed")
    if account.totp_enrolled_at is not None:
        raise ConflictError("De tweede factor is al ingesteld. Kwijt? Vraag Centraal Functioneel Beheer om een reset.",
                       code="totp_already_enrolled")
    secret = rules.encode_secret(secrets.token_bytes(rules.SECRET_BYTES))
    account.update(
        actions=[Account.totp_secret.set(secret), Account.totp_last_step.remove()],
        condition=Account.totp_enrolled_at.does_not_exist(),
    )
    return {
        "otpauth_uri": rules.provisioning_uri(secret, account.email),
        "secret": secret,
        "digits": rules.DIGITS,
        "period": rules.STEP_SECONDS,
        "message": "Scan de QR-code met uw authenticator-app en vul daarna de code van zes cijfers in.",
    }


def verify(principal: Principal, code: str) -> tuple[dict[str, Any], str]:
    """Check the code, raise the session to level 2 and rotate it; returns (body, new cookie)."""
    account = holder(principal)
    if not account.totp_secret:
        raise ConflictError("Er is nog geen tweede factor ingesteld.", code="totp_not_enrolled")
    ratelimit.hit(TOTP_PER_ACCOUNT, f"totp:{account.account_id}",
                  "Te veel pogingen. Probeer het over een kwartier opnieuw.")
    step = rules.matching_step(account.totp_secret, code, clock.now(), _last_step(account))
    if step is None or not _claim_step(account, step):
        eventlog.record(eventlog.EventKind.TOTP_FAILED, level="warning", account_ref=account.account_id)
        raise CodeRefused()
    enrolled_now = account.totp_enrolled_at is None
    if enrolled_now:
        account.update(actions=[Account.totp_enrolled_at.set(clock.now())])
        eventlog.record(eventlog.EventKind.TOTP_ENROLLED, account_ref=account.account_id)
    started = sessions.rotate(sessions.current(principal), role_rules.LEVEL_SECOND_FACTOR)
    eventlog.record(eventlog.EventKind.LOGIN, account_ref=account.account_id, assurance=2)
    return {"assurance_level": 2, "second_factor": "done", "enrolled": enrolled_now}, started.cookie


def _last_step(account: Account) -> int | None:
    return int(account.totp_last_step) if account.totp_last_step is not None else None


def _claim_step(account: Account, step: int) -> bool:
    """Record the step as used, once: a replay of the same or an older code fails the condition."""
    try:
        account.update(
            actions=[Account.totp_last_step.set(step)],
            condition=Account.totp_last_step.does_not_exist() | (Account.totp_last_step < step),
        )
    except UpdateError as err:
        faults.only_condition(err)
        return False
    return True


def reset(account: Account) -> None:
    """CFB: remove the secret; the holder enrols again at the next login, with a fresh count of code
    attempts (a reset is CFB's answer to a locked-out holder). All sessions end."""
    account.update(actions=[Account.totp_secret.remove(), Account.totp_enrolled_at.remove(),
                            Account.totp_last_step.remove()])
    ratelimit.forget(f"totp:{account.account_id}")
    sessions.end_all(account.account_id)
