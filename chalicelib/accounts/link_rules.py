"""Pure rules of the e-mailed one-time links (R_ACC_03): lifetime, purpose and single use."""

from __future__ import annotations

from datetime import datetime, timedelta

LINK_LIFETIME = timedelta(minutes=10)
SIGNUP = "signup"
LOGIN = "login"
EMAIL_CHANGE = "email_change"
PURPOSES = frozenset({SIGNUP, LOGIN, EMAIL_CHANGE})


def refusal(purpose: str, expires_at: datetime, used_at: datetime | None, now: datetime) -> str | None:
    """Why a stored link cannot be used now ("used", "expired", "purpose"), or None when it can."""
    if purpose not in PURPOSES:
        return "purpose"
    if used_at is not None:
        return "used"
    if now >= expires_at:
        return "expired"
    return None
