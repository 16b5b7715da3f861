"""The holder's rights: access (export, R_ACC_09) and erasure (account deletion, R_ACC_08).

Both are derived from the privacy register (`chalicelib/privacy/register.py`): every model with
personal fields is either found for a holder through its keys and indexes (`FINDERS`, never a Scan)
or declared in the register as one that can never belong to an account (`NOT_LINKED`). An exported
item shows its personal fields (as the register declares them, secrets excluded) and its
non-personal context. Deletion does what the register's `TABLES[...].on_account_deletion` says per
model: the items of a DELETED model are found and deleted, a DETACHED model loses its reference to
the account (enrolments live on under their own retention, R_ENR_09, R_ENR_10), a KEPT model (the
ledger, order lines, feed entries, notifications that belong to an enrolment) is left alone.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.models import Model

from chalicelib.accounts import links as tokens
from chalicelib.accounts import search, sessions
from chalicelib.accounts.roles import by_org, local_admin_orgs, order_staff_entries
from chalicelib.accounts.rules import canonical_address, is_running
from chalicelib.models import (
    Account,
    AccountSearchKey,
    Course,
    Disclosure,
    Enrolment,
    IdempotencyRecord,
    OrderLine,
    Organisation,
    OutboxItem,
    Review,
)
from chalicelib.platform import clock, eventlog, ratelimit
from chalicelib.platform.config import settings
from chalicelib.privacy.register import (
    REGISTER,
    TABLES,
    NotPersonal,
    OnAccountDeletion,
    Personal,
    models_on_account_deletion,
    personal_fields,
)

EXPORT_FORMAT = "leer-rijk-export/1"
# Values derived from credentials are never exported, even when the register calls them not personal.
_CREDENTIAL_LIKE = re.compile(r"(_hash|_sha256|^guard_id)$")

# Models with personal fields that no account can own, as the register declares them.
NOT_LINKED = {name: TABLES[name].account_why for name in models_on_account_deletion(OnAccountDeletion.NEVER)
              if personal_fields(name)}


@dataclass
class Holder:
    """Whose data: an account (holder's own export) and/or a business e-mail address (CFB export)."""

    account: Account | None
    email: str | None
    enrolments: list[Enrolment] = field(default_factory=list)
    by_address: bool = False  # CFB's export: also what an LMS sent under this address (R_ACC_09)

    @property
    def account_id(self) -> str | None:
        return self.account.account_id if self.account else None


def _account(holder: Holder) -> list[Model]:
    return [holder.account] if holder.account else []


def _sessions(holder: Holder) -> list[Model]:
    return list(sessions.sessions_of(holder.account_id)) if holder.account_id else []


def _links(holder: Holder) -> list[Model]:
    addresses = {holder.email, holder.account.email if holder.account else None,
                 holder.account.pending_email if holder.account else None} - {None}
    return [t for address in sorted(a for a in addresses if a) for t in tokens.tokens_of(address)]


def _by_account_index(model: type[Model]) -> Callable[[Holder], list[Model]]:
    def find(holder: Holder) -> list[Model]:
        if not holder.account_id:
            return []
        found = []
        for key in model.account_index.query(holder.account_id):  # type: ignore[attr-defined]
            item = _reload(key)
            if item is not None:
                found.append(item)
        return found

    return find


def _enrolments(holder: Holder) -> list[Model]:
    return list(holder.enrolments)


def _order_lines(holder: Holder) -> list[Model]:
    found = []
    for enrolment in holder.enrolments:
        for key in OrderLine.enrolment_index.query(enrolment.enrolment_id):
            item = _reload(key)
            if item is not None:
                found.append(item)
    return found


def _disclosures(holder: Holder) -> list[Model]:
    return [row for enrolment in holder.enrolments for row in Disclosure.query(enrolment.enrolment_id)]


def _search_keys(holder: Holder) -> list[Model]:
    """The admins' search keys of the account (R_ACC_06) as stored, whole from their account index."""
    return list(AccountSearchKey.account_index.query(holder.account_id)) if holder.account_id else []


def _waiting_places(holder: Holder) -> list[Model]:
    """The holder's waiting places (R_WAIT_05): by account, and by address for CFB's export (LMS places, which
    are never matched to an account, R_ENR_01)."""
    from chalicelib.enrolment import waiting

    found: dict[tuple[str, str], Model] = {}
    if holder.account_id:
        found.update({(p.execution_key, p.position): p for p in waiting.places_of_account(holder.account_id)})
    if holder.by_address and holder.email:
        found.update({(p.execution_key, p.position): p for p in waiting.places_of_address(holder.email)})
    return list(found.values())


FINDERS: dict[str, Callable[[Holder], list[Model]]] = {
    "Account": _account,
    "AccountSearchKey": _search_keys,
    "Session": _sessions,
    "LoginToken": _links,
    "Enrolment": _enrolments,
    "WaitingPlace": _waiting_places,
    "OrderLine": _order_lines,
    "Disclosure": _disclosures,  # no personal field, but "to whom and when" belongs in the overview
    "Review": _by_account_index(Review),
    "OutboxItem": _by_account_index(OutboxItem),
    "IdempotencyRecord": _by_account_index(IdempotencyRecord),
}


def _reload(key_item: Model) -> Model | None:
    """The full item behind a keys-only index hit (GetItem), or None when it is gone meanwhile."""
    model = type(key_item)
    hash_value = getattr(key_item, str(model._hash_keyname))
    range_value = getattr(key_item, model._range_keyname) if model._range_keyname else None
    try:
        return model.get(hash_value, range_value)
    except DoesNotExist:
        return None


# --- finding a holder's enrolments -----------------------------------------------------------------


def enrolments_of_account(account_id: str) -> list[Enrolment]:
    return list(Enrolment.account_index.query(account_id))


def enrolments_of_address(email: str) -> list[Enrolment]:
    """Portal and detached enrolments by business address, LMS ones by form address (CFB export)."""
    found: list[Enrolment] = []
    for key in Enrolment.email_index.query(email.strip().lower()):
        item = _reload(key)
        if isinstance(item, Enrolment):
            found.append(item)
    return found


def holder_for_account(account: Account) -> Holder:
    return Holder(account, account.email, enrolments_of_account(account.account_id))


def holder_for_address(email: str, account: Account | None) -> Holder:
    enrolments = {e.enrolment_id: e for e in enrolments_of_address(email)}
    if account is not None:
        enrolments.update({e.enrolment_id: e for e in enrolments_of_account(account.account_id)})
    return Holder(account, email, sorted(enrolments.values(), key=lambda e: e.created_at), by_address=True)


# --- export ------------------------------------------------------------------------------------------


def export(holder: Holder) -> dict[str, Any]:
    models: dict[str, list[dict[str, Any]]] = {}
    for name, find in FINDERS.items():
        items = find(holder)
        if items:
            models[name] = [export_item(name, item) for item in items]
    return {
        "format": EXPORT_FORMAT,
        "generated_at": clock.now().isoformat(),
        "privacy_statement_version": settings.privacy_statement_version,
        "controller_contact": settings.cfb_contact,
        "subject": {"email": holder.email, "account_id": holder.account_id},
        "data": models,
        "register": _register_notes(models),
    }


def export_item(model_name: str, item: Model) -> dict[str, Any]:
    values = item.to_simple_dict(force=True)
    personal: dict[str, Any] = {}
    context: dict[str, Any] = {}
    for name, declared in REGISTER[model_name].items():
        if name not in values or _CREDENTIAL_LIKE.search(name):
            continue
        if isinstance(declared, Personal) and declared.exported:
            personal[name] = values[name]
        elif isinstance(declared, NotPersonal):
            context[name] = values[name]
    return {"personal": personal, "context": context}


def _register_notes(models: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Purpose, retention and recipients of every personal field in the export (GDPR art. 15(1))."""
    notes: dict[str, dict[str, Any]] = {}
    for name in models:
        for field_name, declared in REGISTER[name].items():
            if isinstance(declared, Personal) and declared.exported:
                notes.setdefault(name, {})[field_name] = {
                    "purpose": declared.purpose, "retention": str(declared.retention),
                    "recipients": list(declared.recipients),
                }
    return notes


# --- deletion ----------------------------------------------------------------------------------------


def running_enrolments(enrolments: list[Enrolment]) -> list[dict[str, Any]]:
    today = clock.today().isoformat()
    running = [e for e in enrolments if is_running(e.status, e.original_end_day, today)]
    return [_running_view(e) for e in sorted(running, key=lambda e: e.start_day)]


def _running_view(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "enrolment_id": enrolment.enrolment_id,
        "course_id": enrolment.course_id,
        "course_name": enrolment.course_name or _course_name(enrolment.course_id),
        "execution_id": enrolment.execution_id,
        "start_day": enrolment.start_day,
        "end_day": enrolment.original_end_day,
        "status": enrolment.status,
    }


def _course_name(course_id: str) -> str | None:
    try:
        return Course.get(course_id).name
    except DoesNotExist:
        return None


def deletion_preview(account: Account) -> dict[str, Any]:
    return {
        "running_enrolments": running_enrolments(enrolments_of_account(account.account_id)),
        "message": "Na verwijderen zijn uw profiel, sessies, reviews en plaatsen op wachtlijsten direct weg. "
                   "Lopende inschrijvingen worden niet geannuleerd: zij blijven bestaan, los van uw account, en "
                   "worden uiterlijk 12 maanden na de einddatum geanonimiseerd. Annuleer ze eerst als u niet meer "
                   "wilt deelnemen.",
    }


def delete_account(account: Account, actor_id: str) -> list[dict[str, Any]]:
    """Delete everything tied to the account at once (R_ACC_08), as the register declares it per model;
    returns the running enrolments. The account item goes last, so a failure half-way leaves a holder
    who can simply try again."""
    enrolments = enrolments_of_account(account.account_id)
    running = running_enrolments(enrolments)
    holder = Holder(account, account.email, enrolments)
    for name in models_on_account_deletion(OnAccountDeletion.DETACHED):
        DETACHERS[name](holder)
    for name in models_on_account_deletion(OnAccountDeletion.DELETED):
        if name == "Account":
            continue
        if name in ERASERS:
            ERASERS[name](holder)
            continue
        for item in DELETION_FINDERS.get(name, FINDERS.get(name, _nothing))(holder):
            item.delete()  # idempotent: a missing item is no error
    account.delete()
    eventlog.record(eventlog.EventKind.ACCOUNT_DELETED, account_ref=account.account_id, actor_ref=actor_id,
                    count=len(enrolments))
    return running


def _nothing(holder: Holder) -> list[Model]:
    raise LookupError("the register deletes a model that rights.py cannot find for an account")


def _rate_counters(holder: Holder) -> list[Model]:
    """Counters keyed by the account's addresses and its id (R_ACC_08); no personal field, so not exported."""
    account = holder.account
    if account is None:
        return []
    addresses = [a for a in (account.email, account.pending_email) if a]
    canonical = [c for c in (canonical_address(a) for a in addresses) if c]
    values = [*dict.fromkeys([*addresses, *canonical]), f"totp:{account.account_id}",
              f"question:{account.account_id}"]  # chalicelib.accounts.questions keys its counter so
    return [counter for value in values for counter in ratelimit.counters_of(value)]


def _search_keys_to_delete(holder: Holder) -> list[Model]:
    """The stored keys plus the keys the account's fields give: one written a moment before the
    (eventually consistent) index saw it goes too."""
    found: dict[tuple[str, str], Model] = {(k.org_id, k.search_key): k for k in _search_keys(holder)
                                           if isinstance(k, AccountSearchKey)}
    if holder.account is not None:
        found.update(search.keys_for(holder.account.account_id, search.Indexed.of(holder.account)))
    return list(found.values())


# Found only to be deleted: RateCounter holds no personal field, so it is not part of the overview.
DELETION_FINDERS: dict[str, Callable[[Holder], list[Model]]] = {
    "RateCounter": _rate_counters, "AccountSearchKey": _search_keys_to_delete,
}


def _detach_enrolments(holder: Holder) -> None:
    for enrolment in holder.enrolments:
        _detach(enrolment, str(holder.account_id))


def _erase_reviews(holder: Holder) -> None:
    """Reviews go with their guard and their course's rating summary in one transaction each (R_REV_04)."""
    from chalicelib.reviews import use_cases as reviews

    if holder.account_id:
        reviews.delete_all_of_account(holder.account_id)


def _erase_waiting_places(holder: Holder) -> None:
    """Each place leaves its list as if its holder left it: counted off the execution, an offer passes on."""
    from chalicelib.enrolment import waiting

    if holder.account_id:
        waiting.leave_all_of_account(holder.account_id)


# Models whose items are not simply deleted on erasure: each has its capability's own eraser, which a
# register-driven deletion must call instead of deleting the items it finds.
ERASERS: dict[str, Callable[[Holder], None]] = {"Review": _erase_reviews, "WaitingPlace": _erase_waiting_places}


def _detach(enrolment: Enrolment, account_id: str) -> None:
    """The enrolment lives on without the account; the version bump stops a stale full save re-linking it."""
    with contextlib.suppress(UpdateError):  # already detached or anonymised meanwhile
        enrolment.update(
            actions=[Enrolment.account_id.remove(), Enrolment.version.add(1)],
            condition=Enrolment.account_id == account_id,
        )


def _leave_organisations_of(holder: Holder) -> None:
    if holder.account is not None:
        _leave_organisations(holder.account)


DETACHERS: dict[str, Callable[[Holder], None]] = {
    "Enrolment": _detach_enrolments,
    "Organisation": _leave_organisations_of,
}


def _leave_organisations(account: Account) -> None:
    orgs = set(local_admin_orgs(sessions.grants_of(account)))
    for org_id in orgs:
        with contextlib.suppress(UpdateError):  # the organisation is gone: nothing to leave
            Organisation(org_id).update(actions=[Organisation.local_admin_ids.delete({account.account_id})],
                                        condition=Organisation.org_id.exists())
    # R_ORD_01 routing: the account no longer counts as order-authorised staff of a department
    staff = order_staff_entries(sessions.grants_of(account), account.account_id)
    for org_id, (_, entries) in by_org((), staff).items():
        with contextlib.suppress(UpdateError):
            Organisation(org_id).update(actions=[Organisation.order_staff.delete(entries)],
                                        condition=Organisation.org_id.exists())
