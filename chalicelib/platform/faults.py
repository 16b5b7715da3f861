"""The one classification of AWS errors (R_SEC_03, R_SEC_02): transient, conflict or permanent.

- transient: throttling, a 5xx of the service, a timeout or a connection that broke. Trying again
  later may work: a request answers 503 with `Retry-After`, a job leaves the work for its next run.
- conflict: a concurrent write won (`TransactionConflict`, a conditional check that failed). The
  use case decides: retry with jittered backoff a bounded number of times, then a 409.
- permanent: anything else AWS refused (a validation error, an unverified sender, a rejected
  message): trying again gives the same answer.

Works on botocore's `ClientError` and `BotoCoreError`, on PynamoDB's wrapped exceptions (their
`cause`) and on transaction cancellations (their reasons). No chalice import: the api layer and the
use cases both use it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from enum import StrEnum

from chalicelib.platform.errors import ConflictError, UnavailableError


class Fault(StrEnum):
    TRANSIENT = "transient"
    CONFLICT = "conflict"
    PERMANENT = "permanent"


# SES sending paused (for the account or its configuration set): an operator lifts a pause, so a mail
# waits for it rather than being given up (R_SEC_03). A suspended account is permanent.
MAIL_PAUSE_CODES = frozenset({
    "AccountSendingPausedException", "SendingPausedException", "SendingPaused",
    "ConfigurationSetSendingPausedException",
})
TRANSIENT_CODES = frozenset({
    "ProvisionedThroughputExceededException", "ProvisionedThroughputExceeded", "ThrottlingException",
    "Throttling", "ThrottlingError", "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException",
    "LimitExceededException", "InternalServerError", "InternalFailure", "InternalError", "ServiceUnavailable",
    "ServiceUnavailableException", "RequestTimeout", "RequestTimeoutException", "SlowDown",
    *MAIL_PAUSE_CODES,
})
CONFLICT_CODES = frozenset({
    "TransactionConflict", "TransactionConflictException", "TransactionInProgressException",
    "ConditionalCheckFailed", "ConditionalCheckFailedException",
})
CONDITION_CODES = frozenset({"ConditionalCheckFailed", "ConditionalCheckFailedException"})
# SES refusals that no retry can cure: the message, the sender or the account (R_SEC_03).
PERMANENT_MAIL_CODES = frozenset({
    "MessageRejected", "MailFromDomainNotVerifiedException", "MailFromDomainNotVerified",
    "AccountSuspendedException", "AccountSuspended", "ConfigurationSetDoesNotExistException", "NotFoundException",
    "BadRequestException", "AccessDeniedException",
})
TRANSIENT_BOTOCORE = ("ReadTimeoutError", "ConnectTimeoutError", "EndpointConnectionError", "ConnectionClosedError",
                      "ConnectionError", "HTTPClientError", "ProxyConnectionError", "ResponseStreamingError")

RETRY_AFTER_SECONDS = 5
CONFLICT_ATTEMPTS = 4
BACKOFF_BASE_SECONDS = 0.025


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, PynamoDB's `cause`, and the `raise ... from` chain: each at most once."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        cause = getattr(current, "cause", None)
        current = cause if isinstance(cause, BaseException) else (current.__cause__ or current.__context__)


def error_code(exc: BaseException) -> str | None:
    """AWS's error code ("ThrottlingException"), or the botocore exception's name; None when not AWS."""
    for link in _chain(exc):
        response = getattr(link, "response", None)
        if isinstance(response, dict):
            code = response.get("Error", {}).get("Code")
            if code:
                return str(code)
        if _is_botocore(link):
            return type(link).__name__
    return None


def reasons(exc: BaseException) -> list[str | None]:
    """The cancellation reasons of a TransactWriteItems, one per action (None: that action was fine)."""
    for link in _chain(exc):
        found = getattr(link, "cancellation_reasons", None)
        if found:
            return [getattr(r, "code", None) if r is not None else None for r in found]
        response = getattr(link, "response", None)
        if isinstance(response, dict) and response.get("CancellationReasons"):
            return [None if r.get("Code") in (None, "None") else r.get("Code")
                    for r in response["CancellationReasons"]]
    return []


def classify(exc: BaseException) -> Fault | None:
    """Transient, conflict or permanent; None for an exception that is not an AWS error."""
    for link in _chain(exc):
        if _subclass_of(link, TRANSIENT_BOTOCORE):
            return Fault.TRANSIENT
    codes = [c for c in reasons(exc) if c]
    if codes:
        if any(c in TRANSIENT_CODES for c in codes):
            return Fault.TRANSIENT
        if any(c in CONFLICT_CODES for c in codes):
            return Fault.CONFLICT
        return Fault.PERMANENT
    code = error_code(exc)
    if code is None:
        return None
    if code in TRANSIENT_CODES or _status(exc) >= 500:
        return Fault.TRANSIENT
    if code in CONFLICT_CODES:
        return Fault.CONFLICT
    if code == "TransactionCanceledException":
        return Fault.CONFLICT  # without reasons: another writer was in the way
    return Fault.PERMANENT


def is_transient(exc: BaseException) -> bool:
    return classify(exc) is Fault.TRANSIENT


def condition_failed(exc: BaseException) -> bool:
    """A conditional write refused because of its condition, and nothing else."""
    return error_code(exc) in CONDITION_CODES


def only_condition(exc: BaseException) -> None:
    """For `except UpdateError as err: faults.only_condition(err)`: a refused condition is the
    caller's business; anything else (throttling, a timeout) is raised again, never mistaken for it."""
    if not condition_failed(exc):
        raise exc


def permanent_mail_error(exc: BaseException) -> bool:
    """An SES refusal that retrying cannot cure (the outbox stops at once)."""
    code = error_code(exc)
    if code in PERMANENT_MAIL_CODES:
        return True
    return classify(exc) is Fault.PERMANENT


def unavailable(exc: BaseException | None = None, where: str | None = None) -> UnavailableError:
    """The domain error for a transient fault: 503 with Retry-After. Given the fault and where it
    happened, it is logged as one system error with AWS's code (the api layer logs the ones it maps)."""
    if exc is not None and where is not None:
        from chalicelib.platform import eventlog

        eventlog.system_error(where=where, error_type=type(exc).__name__, reason=error_code(exc),
                              outcome=str(Fault.TRANSIENT))
    return UnavailableError(retry_after=RETRY_AFTER_SECONDS)


def busy() -> ConflictError:
    """The domain error after the bounded conflict retries: 409, with the `Retry-After` its message promises."""
    return ConflictError("Er werd tegelijk iets anders gewijzigd; probeer het over enkele seconden opnieuw.",
                         code="busy", retry_after=RETRY_AFTER_SECONDS)


def backoff(attempt: int) -> None:
    """Full jitter: a random pause up to base * 2^attempt, so colliding writers spread out."""
    time.sleep(random.uniform(0, BACKOFF_BASE_SECONDS * (2 ** attempt)))


def _is_botocore(exc: BaseException) -> bool:
    return type(exc).__module__.startswith(("botocore", "urllib3"))


def _subclass_of(exc: BaseException, names: tuple[str, ...]) -> bool:
    return _is_botocore(exc) and any(base.__name__ in names for base in type(exc).__mro__)


def _status(exc: BaseException) -> int:
    for link in _chain(exc):
        response = getattr(link, "response", None)
        if isinstance(response, dict):
            status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if isinstance(status, int):
                return status
    return 0


def after_commit(where: str, action: Callable[[], object]) -> bool:
    """Run work that follows a stored change (a log entry, a send): its failure is logged as one
    system error and can never change the answer, which is the commit. True when it ran."""
    try:
        action()
    except Exception as exc:
        from chalicelib.platform import eventlog

        eventlog.system_error(where=where, error_type=type(exc).__name__, reason=error_code(exc))
        return False
    return True
