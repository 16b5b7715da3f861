"""Pure session rules (R_ACC_04, R_VIS_03): timeouts, the cookie and the CSRF check."""

from __future__ import annotations

from datetime import datetime, timedelta
from http.cookies import CookieError, SimpleCookie

COOKIE_NAME = "lr_session"  # the local stage (plain http on localhost)
SECURE_COOKIE_NAME = "__Host-lr_session"  # every other stage: Secure, Path=/, no Domain (browser-enforced)
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
TOUCH_INTERVAL = timedelta(minutes=5)  # activity is written at most this often
CSRF_HEADER = "x-leer-rijk"
CSRF_VALUE = "1"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_TOKEN_LENGTH = 100
ACCOUNT_SEPARATOR = "."  # never in a secret of `secrets.token_urlsafe` (A-Z, a-z, 0-9, - and _)


def expiry(created_at: datetime, last_seen_at: datetime) -> datetime:
    """The moment the session ends without further activity: idle or absolute, whichever is first."""
    return min(created_at + ABSOLUTE_TIMEOUT, last_seen_at + IDLE_TIMEOUT)


def is_expired(created_at: datetime, last_seen_at: datetime, now: datetime) -> bool:
    return now >= expiry(created_at, last_seen_at)


def touch_due(last_seen_at: datetime, now: datetime) -> bool:
    return now - last_seen_at >= TOUCH_INTERVAL


def token_for(account_id: str, secret: str) -> str:
    """A session token names its account before the secret, so a request reads the session and the account in
    one BatchGetItem (issue 23). The whole token is hashed into the session's key: a token whose account part
    was changed finds no session."""
    return f"{account_id}{ACCOUNT_SEPARATOR}{secret}"


def account_named_by(token: str) -> str | None:
    """The account a token names; None for a token without one (begun before issue 23, at most 12 hours ago)."""
    account_id, separator, secret = token.rpartition(ACCOUNT_SEPARATOR)
    return account_id if separator and account_id and secret else None


def cookie_name(secure: bool) -> str:
    """`__Host-` outside the local stage: the browser then refuses the cookie unless it is Secure, has
    Path=/ and no Domain, so a sibling subdomain cannot set or shadow it (issue 9, item 12)."""
    return SECURE_COOKIE_NAME if secure else COOKIE_NAME


def session_cookie(token: str, secure: bool) -> str:
    """A session cookie: no Expires or Max-Age, so it ends with the browser session (R_VIS_03)."""
    return _cookie(f"{cookie_name(secure)}={token}", secure)


def clearing_cookie(secure: bool) -> str:
    """Logout: an empty value that the browser drops at once (clearing is allowed by R_VIS_03)."""
    return _cookie(f"{cookie_name(secure)}=; Max-Age=0", secure)


def _cookie(prefix: str, secure: bool) -> str:
    return f"{prefix}; Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")


def read_cookie(header: str | None, secure: bool = False) -> str | None:
    """The session token from a Cookie header, or None when absent or malformed. Outside the local
    stage only the `__Host-` cookie counts: a plain `lr_session` there could have been planted."""
    if not header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return None
    morsel = jar.get(cookie_name(secure))
    if morsel is None or not morsel.value or len(morsel.value) > MAX_TOKEN_LENGTH:
        return None
    return morsel.value


def csrf_ok(method: str, custom_header: str | None, origin: str | None, portal_origin: str) -> bool:
    """State changes need the custom header and the portal's exact Origin (SameSite alone is not enough)."""
    if method.upper() in SAFE_METHODS:
        return True
    return custom_header == CSRF_VALUE and origin is not None and origin == portal_origin
