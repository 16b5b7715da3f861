"""Server-side sessions and the guard's cookie authenticator (R_ACC_04, R_ACC_10, R_ACC_11, R_VIS_03).

The cookie `lr_session` (`__Host-lr_session` outside the local stage) holds the account id and
`secrets.token_urlsafe(32)`; the Session item is keyed by the SHA-256 of the whole value.
Every request loads the Session and the Account, strongly consistent, in one BatchGetItem (no Scan), so a
disabled or deleted account, a role change or a logout takes effect on the very next request; no role is
cached in the cookie. Admin audiences are granted only at assurance level 2 (TOTP). Cookie-authenticated
state changes need the `X-Leer-Rijk: 1` header and the portal's Origin (CSRF).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.access import Access, CallerKind, Credentials, Principal
from chalicelib.accounts import roles as role_rules
from chalicelib.accounts import session_rules as rules
from chalicelib.models import Account, Session
from chalicelib.platform import batch, clock, eventlog, faults, transactions
from chalicelib.platform.config import settings
from chalicelib.platform.errors import NotAllowedError, SessionExpiredError

_Item = TypeVar("_Item", Session, Account)


@dataclass(frozen=True)
class StartedSession:
    token: str
    session: Session

    @property
    def cookie(self) -> str:
        return rules.session_cookie(self.token, settings.secure_cookies)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def write_transaction() -> TransactWrite:
    """A TransactWriteItems over the models' tables, on the one connection every transaction shares."""
    return TransactWrite(connection=transactions.connection())


def clearing_cookie() -> str:
    return rules.clearing_cookie(settings.secure_cookies)


def start(
    account_id: str, level: int = role_rules.LEVEL_PASSWORDLESS, created_at: datetime | None = None,
) -> StartedSession:
    """A new session with a fresh token. `created_at` carries the absolute timeout over a rotation."""
    token = rules.token_for(account_id, secrets.token_urlsafe(32))
    return StartedSession(token, _new_session(token, account_id, level, created_at))


def _new_session(token: str, account_id: str, level: int, created_at: datetime | None) -> Session:
    now = clock.now()
    began = created_at or now
    return Session(
        digest(token), account_id=account_id, assurance_level=level, created_at=began, last_seen_at=now,
        expires_at=rules.expiry(began, now), created_day=began.astimezone(clock.AMSTERDAM).date().isoformat(),
    )


def save_new(started: StartedSession) -> StartedSession:
    started.session.save(condition=Session.token_hash.does_not_exist())
    return started


def rotate(old: Session, level: int) -> StartedSession:
    """Replace `old` by a new token at `level` in one transaction (session fixation, R_ACC_10)."""
    started = start(old.account_id, level, created_at=old.created_at)
    try:
        with write_transaction() as transaction:
            transaction.save(started.session, condition=Session.token_hash.does_not_exist())
            transaction.delete(old, condition=Session.token_hash.exists())
    except TransactWriteError as err:
        if faults.classify(err) is not faults.Fault.CONFLICT:
            raise
        raise SessionExpiredError() from None
    return started


def end(token_hash: str) -> None:
    Session(token_hash).delete()  # idempotent: an ended session is no error


def logout(token: str, principal: Principal | None) -> None:
    end(digest(token))
    if principal is not None and principal.is_account:
        eventlog.record(eventlog.EventKind.LOGOUT, account_ref=principal.subject_id)


def end_all(account_id: str) -> int:
    """End every session of an account (disable, delete, TOTP reset, admin kill switch)."""
    ended = 0
    for key in Session.account_index.query(account_id):
        end(key.token_hash)
        ended += 1
    return ended


def sessions_of(account_id: str) -> list[Session]:
    found = []
    for key in Session.account_index.query(account_id):
        try:
            found.append(Session.get(key.token_hash))
        except DoesNotExist:
            continue
    return found


def current(principal: Principal) -> Session:
    """The session behind an account principal (for rotation); 401 when it ended meanwhile."""
    try:
        if principal.session_ref is None:
            raise DoesNotExist()
        return Session.get(principal.session_ref, consistent_read=True)
    except DoesNotExist:
        raise _expired() from None


def token_from(cookie_header: str | None) -> str | None:
    return rules.read_cookie(cookie_header, settings.secure_cookies)


# --- the authenticator ---------------------------------------------------------------------------


def authenticate(credentials: Credentials) -> Principal | None:
    """The authenticator for the session cookie; None when there is no cookie. It decides nothing
    about the route: `access.authorize` does, and logs the refusal."""
    token = token_from(credentials.header("cookie"))
    if token is None:
        return None
    check_csrf(credentials)
    session, account = _session_and_account(token)
    _touch(session, account)
    return principal_for(account, session)


def check_csrf(credentials: Credentials) -> None:
    if not rules.csrf_ok(credentials.method, credentials.header(rules.CSRF_HEADER), credentials.header("origin"),
                         settings.portal_origin):
        raise NotAllowedError("Het verzoek is geweigerd. Laad de pagina opnieuw en probeer het nog eens.",
                              code="csrf_failed")


def _expired() -> SessionExpiredError:
    return SessionExpiredError()


def _session_and_account(token: str) -> tuple[Session, Account]:
    """The live session and its active account: one BatchGetItem when the token names its account, else (a
    token begun before it did) the session and then its account."""
    named = rules.account_named_by(token)
    if named is None:
        session = _live(_get_or_none(Session, digest(token)))
        return session, _usable(session, _get_or_none(Account, session.account_id))
    found = batch.get_many([batch.Key(Session, digest(token)), batch.Key(Account, named)], consistent_read=True)
    session = _live(next((item for item in found if isinstance(item, Session)), None))
    account = next((item for item in found if isinstance(item, Account)), None)
    return session, _usable(session, account if session.account_id == named else None)


def _get_or_none(model: type[_Item], key: str) -> _Item | None:
    try:
        return model.get(key, consistent_read=True)
    except DoesNotExist:
        return None


def _live(session: Session | None) -> Session:
    if session is None:
        raise _expired()
    now = clock.now()
    if rules.is_expired(session.created_at, session.last_seen_at, now) or session.expires_at <= now:
        end(session.token_hash)
        raise _expired()
    return session


def _usable(session: Session, account: Account | None) -> Account:
    if account is None or account.status != "active":
        end(session.token_hash)
        raise _expired()
    return account


def _touch(session: Session, account: Account) -> None:
    """Write activity at most every few minutes, and the last-used date at most once a day (R_ACC_05)."""
    now = clock.now()
    if rules.touch_due(session.last_seen_at, now):
        try:
            session.update(
                actions=[Session.last_seen_at.set(now), Session.expires_at.set(rules.expiry(session.created_at, now))],
                condition=Session.token_hash.exists(),
            )
        except UpdateError as err:
            faults.only_condition(err)  # a throttled touch is a 503, never a logout
            raise _expired() from None
    if not mark_used(account):
        raise _expired()


def mark_used(account: Account) -> bool:
    """Write today's date as last used, at most once a day (R_ACC_05); False when the account is gone."""
    today = clock.today().isoformat()
    if account.last_used_on == today:
        return True
    try:
        account.update(actions=[Account.last_used_on.set(today)], condition=Account.account_id.exists())
    except UpdateError as err:
        faults.only_condition(err)
        return False
    return True


def grants_of(account: Account) -> list[role_rules.Grant]:
    return [role_rules.Grant(g.role, g.org_id, g.department_id) for g in (account.roles or [])]


def principal_for(account: Account, session: Session) -> Principal:
    grants = role_rules.within_organisation(grants_of(account), account.org_id)
    level = int(session.assurance_level)
    return Principal(
        kind=CallerKind.ACCOUNT,
        subject_id=account.account_id,
        org_id=account.org_id,
        audiences=frozenset(Access(a) for a in role_rules.audiences(grants, level)),
        assurance_level=level,
        roles=tuple(grants),
        department_id=account.department_id,
        session_ref=session.token_hash,
        totp_enrolled=account.totp_enrolled_at is not None,
        account=account,
    )
