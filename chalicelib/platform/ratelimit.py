"""Fixed-window rate limits in DynamoDB (R_ACC_03, R_ACC_10, security F1).

A counter is keyed by a SHA-256 of its subject (an address or an account id), never by an IP
(R_CON_04), with the policy and window in the range key. So every counter of one address is found
with one Query on its subject and deleted with the account (R_ACC_08).
"""

from __future__ import annotations

import hashlib

from pynamodb.expressions.update import Action

from chalicelib.models import RateCounter
from chalicelib.platform import clock, eventlog
from chalicelib.platform.deadlines import purge_day
from chalicelib.platform.errors import RateLimitedError
from chalicelib.platform.ratelimit_rules import Policy, retry_after_seconds, window_end, window_key, window_start

GLOBAL_SUBJECT = "global"


def subject_of(value: str) -> str:
    return hashlib.sha256(f"leer-rijk-rate:{value}".encode()).hexdigest()


def hit(policy: Policy, value: str, message: str | None = None) -> None:
    """Count one attempt of `value` under `policy`; raise 429 past the limit."""
    count = _increment(policy, subject_of(value) if value != GLOBAL_SUBJECT else GLOBAL_SUBJECT)
    if count > policy.limit:
        now = clock.now()
        eventlog.record_repeated(eventlog.EventKind.RATE_LIMITED, policy=policy.name)  # one entry per window (R_LOG_04)
        raise RateLimitedError(
            message or "U heeft dit te vaak geprobeerd. Probeer het over een kwartier opnieuw.",
            retry_after=retry_after_seconds(policy, now),
        )


def watch_global(policy: Policy) -> int:
    """Count one attempt for the whole service WITHOUT refusing it: a limit everyone shares would let one
    anonymous client lock everyone out (issue 9, item 9). Crossing the threshold writes one warning per
    window for IT operations; volume per client is bounded at the edge (AWS WAF per-IP rule) and per
    address here. Returns the count."""
    count = _increment(policy, GLOBAL_SUBJECT)
    if count == policy.limit + 1:
        eventlog.record(eventlog.EventKind.RATE_LIMITED, level="warning", policy=policy.name, outcome="alarm")
    return count


def _increment(policy: Policy, subject: str) -> int:
    now = clock.now()
    counter = RateCounter(subject, window_key(policy, now))
    actions: list[Action] = [RateCounter.count.add(1), RateCounter.expires_at.set(window_end(policy, now))]
    if policy.purge_within is not None:
        # the window's start is no later than any attempt it counts, so the counter goes no later than they do
        actions.append(RateCounter.purge_day.set(purge_day(window_start(now, policy.window), policy.purge_within)))
    counter.update(actions=actions)
    return int(counter.count)


def counters_of(value: str) -> list[RateCounter]:
    """Every counter of `value` (one Query on its subject): account deletion removes them."""
    return list(RateCounter.query(subject_of(value)))


def forget(value: str) -> int:
    """Delete every counter of `value`; returns how many were deleted."""
    found = counters_of(value)
    for counter in found:
        counter.delete()
    return len(found)
