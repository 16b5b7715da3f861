"""The holder's rights: access (export, R_ACC_09) and erasure (account deletion, R_ACC_08).

Both are derived from the privacy register (`chalicelib/privacy/register.py`): every model with
personal fields is either found for a holder as the register's `FOUND_FOR_HOLDER` declares (through keys
and indexes, never a Scan; `found_for` is the one loop over it, which reads by key in batches) or declared
in the register as one that can never belong to an account (`NOT_LINKED`). A model the register says
belongs to an address (BY_ADDRESS: contact messages) is exported and left alone on deletion. An exported
item shows its personal fields (as the register declares them, secrets excluded) and its
non-personal context. Deletion does what the register's `TABLES[...].on_account_deletion` says per
model: the items of a DELETED model are found and deleted, a DETACHED model loses its reference to
the account (enrolments live on under their own retention, R_ENR_09, R_ENR_10, and so do their ledger
rows), a KEPT model (order lines, feed entries, notifications that belong to an enrolment) is left alone.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pynamodb.constants import ALL
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.models import Model

from chalicelib.accounts import admin, search, sessions
from chalicelib.accounts import use_cases as accounts
from chalicelib.accounts.roles import by_org, local_admin_orgs, order_staff_entries
from chalicelib.accounts.rules import canonical_address, is_running, normalise_email
from chalicelib.contact import rules as contact_rules
from chalicelib.models import ALL_MODELS, Account, ContactMessage, Course, Enrolment, Organisation
from chalicelib.orders import rules as order_rules
from chalicelib.platform import batch, clock, eventlog, faults, ratelimit
from chalicelib.platform.config import settings
from chalicelib.platform.errors import InvalidInputError
from chalicelib.privacy.register import (
    FOUND_FOR_HOLDER,
    REGISTER,
    TABLES,
    By,
    Lookup,
    NotPersonal,
    Of,
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


# --- finding a holder's items: one loop over the register's FOUND_FOR_HOLDER --------------------------------


def found_for(holder: Holder, names: Iterable[str], whole: bool = True) -> dict[str, list[Model]]:
    """The holder's items of each named table, as the register says they are found: one Query per index (or
    partition) and value, and every read by key of every table together (`batch.get_many`). `whole=False`
    (deletion) keeps what a keys-only index returned: the keys are all a delete needs."""
    found: dict[str, list[Model]] = {}
    keys: list[batch.Key] = []
    for name in names:
        model = _MODELS[name]
        items = found.setdefault(name, [])
        for lookup in FOUND_FOR_HOLDER[name]:
            if lookup.by is By.HELD:
                items.extend(_held(lookup.of, holder))
            elif lookup.by is By.KEY:
                keys.extend(batch.Key(model, value) for value in _values(lookup.of, holder))
            else:
                hits = [hit for value in _values(lookup.of, holder) for hit in _query(model, lookup, value)]
                if whole and lookup.by is By.INDEX and not _whole_items(model, str(lookup.index)):
                    keys.extend(batch.key_of(hit) for hit in hits)
                else:
                    items.extend(hits)
    for item in batch.get_many(keys):
        found[type(item).__name__].append(item)
    now = clock.now()
    return {name: _in_order(item for item in items if _still_held(item, now)) for name, items in found.items()}


_MODELS: dict[str, type[Model]] = {model.__name__: model for model in ALL_MODELS}


def _held(of: Of, holder: Holder) -> list[Model]:
    if of is Of.ACCOUNT:
        return [holder.account] if holder.account else []
    if of is Of.ENROLMENTS:
        return list(holder.enrolments)
    raise LookupError(f"the holder carries no {of!r}")


def _values(of: Of, holder: Holder) -> list[str]:
    account = holder.account
    if of is Of.ACCOUNT_ID:
        return [holder.account_id] if holder.account_id else []
    if of is Of.ADDRESSES:
        return sorted({a for a in (holder.email, account.email if account else None,
                                   account.pending_email if account else None) if a})
    if of is Of.ASKED_ADDRESS:  # CFB's export only: LMS places are never matched to an account (R_ENR_01)
        return [holder.email.strip().lower()] if holder.by_address and holder.email else []
    if of is Of.MAILBOXES:  # a message belongs to the mailbox it came from, with or without an account
        addresses = sorted({a for a in (holder.email, account.email if account else None) if a})
        return list(dict.fromkeys(contact_rules.sender_hash(address) for address in addresses))
    if of is Of.ENROLMENT_IDS_OUTSIDE_ACCOUNT:  # what the account's own lookup cannot reach
        return [e.enrolment_id for e in holder.enrolments if not e.account_id or e.account_id != holder.account_id]
    if of is Of.ORDER_LINE_IDS:
        return [order_rules.line_id_for(e.enrolment_id) for e in holder.enrolments]
    raise LookupError(f"no values for {of!r}")


def _query(model: type[Model], lookup: Lookup, value: str) -> Iterator[Model]:
    if lookup.by is By.PARTITION:
        return model.query(value)
    return model._indexes[str(lookup.index)].query(value)


def _whole_items(model: type[Model], index: str) -> bool:
    return bool(model._indexes[index].Meta.projection.projection_type == ALL)


def _still_held(item: Model, now: datetime) -> bool:
    """A contact message past its week is gone from every read (R_CON_03), whether or not the purge has run."""
    return not isinstance(item, ContactMessage) or contact_rules.visible(item.created_at, now)


def _in_order(items: Iterable[Model]) -> list[Model]:
    """Each item once, oldest first, then by key: the same document for the same data."""
    return sorted(_once(items), key=lambda item: (str(getattr(item, "created_at", None) or
                                                      getattr(item, "at", None) or ""), _identity(item)))


def _once(items: Iterable[Model]) -> list[Model]:
    return list({_identity(item): item for item in items}.values())


def _identity(item: Model) -> tuple[str, ...]:
    return tuple(str(part) for part in batch.key_of(item))


# --- finding a holder's enrolments -----------------------------------------------------------------


def enrolments_of_account(account_id: str) -> list[Enrolment]:
    return list(Enrolment.account_index.query(account_id))


def enrolments_of_address(email: str) -> list[Enrolment]:
    """Portal and detached enrolments by business address, LMS ones by form address (CFB export): the
    holder-email index holds keys only, the enrolments come in one BatchGetItem."""
    keys = [batch.key_of(key) for key in Enrolment.email_index.query(email.strip().lower())]
    return [item for item in batch.get_many(keys) if isinstance(item, Enrolment)]


def holder_for_account(account: Account) -> Holder:
    return Holder(account, account.email, enrolments_of_account(account.account_id))


def holder_for_address(email: str, account: Account | None) -> Holder:
    enrolments = {e.enrolment_id: e for e in enrolments_of_address(email)}
    if account is not None:
        enrolments.update({e.enrolment_id: e for e in enrolments_of_account(account.account_id)})
    return Holder(account, email, sorted(enrolments.values(), key=lambda e: e.created_at), by_address=True)


# --- export ------------------------------------------------------------------------------------------


def export(holder: Holder) -> dict[str, Any]:
    models = {name: [export_item(name, item) for item in items]
              for name, items in found_for(holder, FOUND_FOR_HOLDER).items() if items}
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
    deleted = [name for name in models_on_account_deletion(OnAccountDeletion.DELETED) if name != "Account"]
    found = found_for(holder, [name for name in deleted if name in FOUND_FOR_HOLDER and name not in ERASERS],
                      whole=False)
    for name in deleted:
        if name in ERASERS:
            ERASERS[name](holder)
            continue
        for item in _to_delete(name, holder, found):
            item.delete()  # idempotent: a missing item is no error
    account.delete()
    eventlog.record(eventlog.EventKind.ACCOUNT_DELETED, account_ref=account.account_id, actor_ref=actor_id,
                    count=len(enrolments))
    return running


def _to_delete(name: str, holder: Holder, found: dict[str, list[Model]]) -> list[Model]:
    if name not in found and name not in DELETION_FINDERS:
        raise LookupError(f"the register deletes {name}, which rights.py cannot find for an account")
    extra = DELETION_FINDERS[name](holder) if name in DELETION_FINDERS else []
    return _once([*found.get(name, []), *extra])


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


def _derived_search_keys(holder: Holder) -> list[Model]:
    """The keys the account's fields give: one written a moment before the (eventually consistent) index
    saw it goes too."""
    if holder.account is None:
        return []
    return list(search.keys_for(holder.account.account_id, search.Indexed.of(holder.account)).values())


# Found only to be deleted, besides what the register's lookups find: the counters keyed by the account's
# addresses (no personal field, so not part of the overview) and the search keys its fields give.
DELETION_FINDERS: dict[str, Callable[[Holder], list[Model]]] = {
    "RateCounter": _rate_counters, "AccountSearchKey": _derived_search_keys,
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


_ACCOUNT_REFERENCE = "account_id"


def _without_account(name: str) -> Callable[[Holder], None]:
    """A model the register detaches: each item its lookups find that names the account loses `account_id`, on
    condition that it still does (one detached or anonymised meanwhile stays as it is). The ledger's lookups run
    after the enrolments were detached (each updated in place), so besides the account's index they read each of
    those enrolments' rows by partition: a row the eventually consistent index does not show yet is found too."""
    def detach(holder: Holder) -> None:
        account_id = holder.account_id
        attribute = getattr(_MODELS[name], _ACCOUNT_REFERENCE)
        for item in found_for(holder, [name], whole=False)[name]:
            if account_id and getattr(item, _ACCOUNT_REFERENCE) == account_id:
                try:
                    item.update(actions=[attribute.remove()], condition=attribute == account_id)
                except UpdateError as err:
                    faults.only_condition(err)  # detached or anonymised meanwhile; throttling is raised

    return detach


# Detaching that is more than losing `account_id`: an enrolment's version bump stops a stale save re-linking it,
# an organisation lists its admins and order staff. Every other model the register detaches loses `account_id`
# (the ledger: its rows stay with their enrolment). They run in the register's order, enrolments before the ledger:
# a delivery that reads an enrolment after its detach writes a row without the account.
_DETACHING: dict[str, Callable[[Holder], None]] = {
    "Enrolment": _detach_enrolments,
    "Organisation": _leave_organisations_of,
}
DETACHERS: dict[str, Callable[[Holder], None]] = {
    name: _DETACHING.get(name) or _without_account(name)
    for name in models_on_account_deletion(OnAccountDeletion.DETACHED)
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


# --- the same rights exercised by an administrator (R_ACC_07, R_ACC_08, R_ACC_09) ------------------------


def delete_for_admin(scope: admin.Scope, account_id: str) -> dict[str, Any]:
    """A local admin (own organisation) or CFB deletes an account, as the holder could."""
    account = admin.account_for(scope, account_id)
    running = delete_account(account, scope.actor_id)
    body: dict[str, Any] = {"deleted": True}
    if scope.cfb:  # enrolments are never shown to local admins (R_ENR_09)
        body["running_enrolments"] = running
    return body


def export_for_address(scope: admin.Scope, raw_email: str) -> dict[str, Any]:
    """CFB: everything held about any address, an account's or not (LMS and detached enrolments)."""
    email = normalise_email(raw_email)
    if email is None:
        raise InvalidInputError(fields={"email": "Vul een geldig e-mailadres in."})
    account = accounts.find_by_email(email)
    document = export(holder_for_address(email, account))
    eventlog.record(eventlog.EventKind.DATA_EXPORTED, actor_ref=scope.actor_id,
                    account_ref=account.account_id if account else None)
    return document
