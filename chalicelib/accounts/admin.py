"""Administration: accounts for local admins (own organisation only) and CFB (all), roles, the
second factor, organisations and suppliers (R_ACC_05-11, R_CAT_06).

Tenant isolation is by key (C3): a local admin's account list is a Query on the organisation index
with their own organisation as the partition key, and a single account outside their organisations
answers 404 exactly like one that does not exist. Every change takes effect on the next request,
because the authenticator reads the account on every request (R_ACC_11).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.access import Access, Principal
from chalicelib.accounts import roles as role_rules
from chalicelib.accounts import sessions
from chalicelib.accounts import totp as totp_use
from chalicelib.accounts import use_cases as accounts
from chalicelib.accounts.rules import normalise_email, search_prefix
from chalicelib.models import Account, ApiKey, Department, Organisation, RoleGrant, Supplier
from chalicelib.platform import clock, eventlog
from chalicelib.platform.errors import (
    ConflictError,
    InvalidInputError,
    NotAllowedError,
    NotFoundError,
    UnprocessableError,
)
from chalicelib.privacy import rights

if TYPE_CHECKING:
    from chalicelib.accounts.schemas import (
        AccountListQuery,
        AdminAccountPatch,
        KeyRequest,
        OrganisationCreate,
        OrganisationPatch,
        RolesRequest,
        SupplierCreate,
        SupplierPatch,
    )

ACCOUNT_NOT_FOUND = "Account niet gevonden."


@dataclass(frozen=True)
class Scope:
    """What an admin may manage, from the role grants read on this request."""

    actor_id: str
    cfb: bool
    orgs: frozenset[str]

    def may_manage(self, org_id: str) -> bool:
        return self.cfb or org_id in self.orgs


def scope_of(principal: Principal) -> Scope:
    local = role_rules.local_admin_orgs(principal.roles) if Access.LOCAL_ADMIN in principal.audiences else frozenset()
    return Scope(principal.subject_id, Access.CFB in principal.audiences, frozenset(local))


# --- accounts --------------------------------------------------------------------------------------


def list_accounts(scope: Scope, query: AccountListQuery) -> dict[str, Any]:
    org_id = _list_org(scope, query.org_id)
    org = accounts.get_organisation(org_id)
    if org is None:
        raise NotFoundError("Organisatie niet gevonden.")
    if query.q and "@" in query.q:
        return {"org_id": org_id, "accounts": _by_address(org, query.q), "next_cursor": None}
    prefix = search_prefix(query.q or "")
    condition = Account.sort_name.startswith(prefix) if prefix else None
    page = Account.org_index.query(org_id, condition, limit=query.limit,
                                   last_evaluated_key=decode_cursor(query.cursor, org_id))
    items = [accounts.account_view(a, org) for a in page]
    return {"org_id": org_id, "accounts": items, "next_cursor": encode_cursor(page.last_evaluated_key)}


def _list_org(scope: Scope, requested: str | None) -> str:
    if requested is not None:
        if not scope.may_manage(requested):
            raise NotFoundError("Organisatie niet gevonden.")
        return requested
    if not scope.cfb and len(scope.orgs) == 1:
        return next(iter(scope.orgs))
    raise InvalidInputError(fields={"org_id": "Kies een organisatie."})


def _by_address(org: Organisation, raw: str) -> list[dict[str, Any]]:
    email = normalise_email(raw)
    account = accounts.find_by_email(email) if email else None
    return [accounts.account_view(account, org)] if account and account.org_id == org.org_id else []


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, org_id: str) -> dict[str, Any] | None:
    """An opaque cursor is only a key of this organisation's index; anything else is a 400."""
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        key = None
    if not _valid_key(key, org_id):
        raise InvalidInputError(fields={"cursor": "Ongeldige vervolgpagina; begin opnieuw bij de eerste pagina."})
    return key


def _valid_key(key: Any, org_id: str) -> bool:
    expected = {"account_id", "org_id", "sort_name"}
    if not isinstance(key, dict) or set(key) != expected:
        return False
    if not all(isinstance(v, dict) and set(v) == {"S"} and isinstance(v["S"], str) for v in key.values()):
        return False
    return key["org_id"]["S"] == org_id


def account_for(scope: Scope, account_id: str) -> Account:
    account = accounts.get_account(account_id)
    if account is None or not scope.may_manage(account.org_id):
        raise NotFoundError(ACCOUNT_NOT_FOUND)
    return account


def view_account(scope: Scope, account_id: str) -> dict[str, Any]:
    account = account_for(scope, account_id)
    return accounts.account_view(account, accounts.get_organisation(account.org_id))


def update_account(scope: Scope, account_id: str, patch: AdminAccountPatch) -> dict[str, Any]:
    account = account_for(scope, account_id)
    changed = set(patch.model_fields_set)
    if "org_id" in changed and patch.org_id != account.org_id and not scope.cfb:
        raise NotAllowedError("Alleen Centraal Functioneel Beheer verplaatst een account naar een andere organisatie.")
    org = accounts.require_organisation(patch.org_id or account.org_id)
    email = patch.email or account.email
    accounts.check_domain(email, org)
    if email != account.email:
        accounts.ensure_unique_email(email, account.account_id)
    actions = _account_actions(account, patch, org)
    if actions:
        account.update(actions=actions, condition=Account.account_id.exists())
    if email != account.email and not accounts.apply_email(account, email):
        raise NotFoundError(ACCOUNT_NOT_FOUND)
    eventlog.record(eventlog.EventKind.ACCOUNT_CHANGED, account_ref=account.account_id, actor_ref=scope.actor_id,
                    changed=",".join(sorted(changed)))
    return view_account(scope, account_id)


def _account_actions(account: Account, patch: AdminAccountPatch, org: Organisation) -> list[Any]:
    actions = accounts.name_actions(account, patch.first_name, patch.last_name)
    department = patch.department_id if "department_id" in patch.model_fields_set else account.department_id
    if org.org_id != account.org_id:
        actions.append(Account.org_id.set(org.org_id))
        if "department_id" not in patch.model_fields_set:
            department = None
    accounts.check_department(department, org)
    if department != account.department_id:
        actions.append(Account.department_id.set(department) if department else Account.department_id.remove())
    return actions


def delete_account(scope: Scope, account_id: str) -> dict[str, Any]:
    account = account_for(scope, account_id)
    running = rights.delete_account(account, scope.actor_id)
    body: dict[str, Any] = {"deleted": True}
    if scope.cfb:  # enrolments are never shown to local admins (R_ENR_09)
        body["running_enrolments"] = running
    return body


def set_status(scope: Scope, account_id: str, active: bool) -> dict[str, Any]:
    account = account_for(scope, account_id)
    account.update(actions=[Account.status.set("active" if active else "disabled")])
    ended = 0 if active else sessions.end_all(account.account_id)
    eventlog.record(eventlog.EventKind.ACCOUNT_DISABLED if not active else eventlog.EventKind.ACCOUNT_CHANGED,
                    account_ref=account.account_id, actor_ref=scope.actor_id, status=account.status, count=ended)
    return view_account(scope, account_id)


def end_sessions(scope: Scope, account_id: str) -> dict[str, Any]:
    account = account_for(scope, account_id)
    ended = sessions.end_all(account.account_id)
    eventlog.record(eventlog.EventKind.SESSIONS_ENDED, account_ref=account.account_id, actor_ref=scope.actor_id,
                    count=ended)
    return {"ended": ended}


def reset_totp(scope: Scope, account_id: str) -> dict[str, Any]:
    account = account_for(scope, account_id)
    totp_use.reset(account)
    eventlog.record(eventlog.EventKind.TOTP_RESET, account_ref=account.account_id, actor_ref=scope.actor_id)
    return {"reset": True, "message": "De tweede factor is verwijderd. Bij de volgende inlog stelt de gebruiker "
                                      "een nieuwe in."}


# --- roles -----------------------------------------------------------------------------------------


def set_roles(scope: Scope, account_id: str, body: RolesRequest) -> dict[str, Any]:
    """Replace the account's role grants; the organisations' local-admin lists follow in one transaction."""
    account = account_for(scope, account_id)
    before = sessions.grants_of(account)
    after = role_rules.dedupe(role_rules.Grant(g.role, g.org_id, g.department_id) for g in body.roles)
    _validate_grants(after)
    lost = role_rules.local_admin_orgs(before) - role_rules.local_admin_orgs(after)
    gained = role_rules.local_admin_orgs(after) - role_rules.local_admin_orgs(before)
    staff_before = role_rules.order_staff_entries(before, account_id)
    staff_after = role_rules.order_staff_entries(after, account_id)
    staff_lost, staff_gained = staff_before - staff_after, staff_after - staff_before
    org_actions: dict[str, list[Any]] = {}  # one update per organisation: a transaction holds no item twice
    for org_id in sorted(gained):
        org_actions.setdefault(org_id, []).append(Organisation.local_admin_ids.add({account_id}))
    for org_id in sorted(lost):
        org_actions.setdefault(org_id, []).append(Organisation.local_admin_ids.delete({account_id}))
    # R_ORD_01 routing: which departments have their own order-authorised staff (an attribute takes
    # one action per update, so a set that both gains and loses entries is written whole)
    for org_id, (add, remove) in role_rules.by_org(staff_gained, staff_lost).items():
        org_actions.setdefault(org_id, []).append(_order_staff_action(org_id, add, remove))
    with sessions.write_transaction() as transaction:
        transaction.update(account, actions=[Account.roles.set([RoleGrant(**g.as_dict()) for g in after])],
                           condition=Account.account_id.exists())
        for org_id, actions in sorted(org_actions.items()):
            transaction.update(Organisation(org_id), actions=actions, condition=Organisation.org_id.exists())
    _log_role_changes(account_id, scope.actor_id, before, after)
    return view_account(scope, account_id)


def _order_staff_action(org_id: str, add: set[str], remove: set[str]) -> Any:
    if not remove:
        return Organisation.order_staff.add(add)
    if not add:
        return Organisation.order_staff.delete(remove)
    org = accounts.get_organisation(org_id)
    current = set(org.order_staff or ()) if org is not None else set()
    return Organisation.order_staff.set((current - remove) | add)


def _validate_grants(grants: list[role_rules.Grant]) -> None:
    departments_of: dict[str, list[str]] = {}
    for org_id in {g.org_id for g in grants if g.org_id}:
        org = accounts.get_organisation(org_id)
        if org is not None:
            departments_of[org_id] = accounts.department_ids(org)
    errors = {f"roles.{i}": message for i, g in enumerate(grants)
              if (message := role_rules.grant_error(g, departments_of))}
    if errors:
        raise InvalidInputError(fields=errors)


def _log_role_changes(account_id: str, actor_id: str, before: list[role_rules.Grant],
                      after: list[role_rules.Grant]) -> None:
    for grant in after:
        if grant not in before:
            eventlog.record(eventlog.EventKind.ROLE_CHANGED, account_ref=account_id, actor_ref=actor_id,
                            role=grant.role, org_id=grant.org_id, department_id=grant.department_id, outcome="granted")
    for grant in before:
        if grant not in after:
            eventlog.record(eventlog.EventKind.ROLE_CHANGED, account_ref=account_id, actor_ref=actor_id,
                            role=grant.role, org_id=grant.org_id, department_id=grant.department_id, outcome="removed")


# --- export for any address (R_ACC_09) ---------------------------------------------------------------


def export_for_address(scope: Scope, raw_email: str) -> dict[str, Any]:
    email = normalise_email(raw_email)
    if email is None:
        raise InvalidInputError(fields={"email": "Vul een geldig e-mailadres in."})
    account = accounts.find_by_email(email)
    document = rights.export(rights.holder_for_address(email, account))
    eventlog.record(eventlog.EventKind.DATA_EXPORTED, actor_ref=scope.actor_id,
                    account_ref=account.account_id if account else None)
    return document


# --- organisations ---------------------------------------------------------------------------------


def organisation_view(org: Organisation, with_admins: bool = True) -> dict[str, Any]:
    view: dict[str, Any] = {
        "org_id": org.org_id, "name": org.name, "domains": sorted(org.domains or []),
        "departments": [{"department_id": d.department_id, "name": d.name} for d in org.departments or []],
        "approval_required": bool(org.approval_required), "eprocurement": bool(org.eprocurement),
        "catalogue_codes": sorted(org.catalogue_codes or []),
    }
    if with_admins:
        admins = Account.batch_get(sorted(org.local_admin_ids or [])) if org.local_admin_ids else []
        view["local_admins"] = sorted(
            ({"account_id": a.account_id, "first_name": a.first_name, "last_name": a.last_name, "email": a.email}
             for a in admins), key=lambda a: (a["last_name"], a["first_name"]))
    return view


def list_organisations() -> dict[str, Any]:
    return {"organisations": [organisation_view(o, with_admins=False) for o in accounts.organisations()]}


def view_organisation(scope: Scope, org_id: str) -> dict[str, Any]:
    org = accounts.get_organisation(org_id) if scope.may_manage(org_id) else None
    if org is None:
        raise NotFoundError("Organisatie niet gevonden.")
    return organisation_view(org)


def create_organisation(scope: Scope, body: OrganisationCreate) -> dict[str, Any]:
    org = Organisation(
        body.org_id, name=body.name, domains=set(body.domains),
        departments=[Department(department_id=d.department_id, name=d.name) for d in body.departments],
        approval_required=body.approval_required, eprocurement=body.eprocurement, created_at=clock.now(),
        catalogue_codes=set(body.catalogue_codes) if body.catalogue_codes else None,
    )
    try:
        org.save(condition=Organisation.org_id.does_not_exist())
    except PutError:
        raise ConflictError("Er bestaat al een organisatie met deze id.", code="organisation_exists",
                       fields={"org_id": "Deze id is al in gebruik."}) from None
    eventlog.record(eventlog.EventKind.ORGANISATION_CHANGED, actor_ref=scope.actor_id, org_id=org.org_id,
                    outcome="created")
    return organisation_view(org)


def update_organisation(scope: Scope, org_id: str, patch: OrganisationPatch) -> dict[str, Any]:
    actions: list[Any] = []
    fields = patch.model_fields_set
    if "name" in fields and patch.name:
        actions.append(Organisation.name.set(patch.name))
    if "domains" in fields and patch.domains:
        actions.append(Organisation.domains.set(set(patch.domains)))
    if "departments" in fields and patch.departments is not None:
        actions.append(Organisation.departments.set(
            [Department(department_id=d.department_id, name=d.name) for d in patch.departments]))
    for name in ("approval_required", "eprocurement"):
        if name in fields and getattr(patch, name) is not None:
            actions.append(getattr(Organisation, name).set(getattr(patch, name)))
    if "catalogue_codes" in fields:  # empty or null: the organisation's own id (chalicelib.accounts.organisations)
        codes = set(patch.catalogue_codes or [])
        actions.append(Organisation.catalogue_codes.set(codes) if codes else Organisation.catalogue_codes.remove())
    if actions:
        try:
            Organisation(org_id).update(actions=actions, condition=Organisation.org_id.exists())
        except UpdateError:
            raise NotFoundError("Organisatie niet gevonden.") from None
        eventlog.record(eventlog.EventKind.ORGANISATION_CHANGED, actor_ref=scope.actor_id, org_id=org_id,
                        changed=",".join(sorted(fields)))
    return view_organisation(scope, org_id)


# --- suppliers ---------------------------------------------------------------------------------------


def supplier_view(supplier: Supplier) -> dict[str, Any]:
    return {
        "supplier_id": supplier.supplier_id, "name": supplier.name, "kind": supplier.kind,
        "contact_email": supplier.contact_email, "delivery": supplier.delivery,
        "terms_version": supplier.terms_version,
        "terms_accepted_on": supplier.terms_accepted_at.date().isoformat() if supplier.terms_accepted_at else None,
        "processing_agreement": bool(supplier.processing_agreement),
        "cancellation_free_days": int(supplier.cancellation_free_days)
        if supplier.cancellation_free_days is not None else None,
    }


def list_suppliers() -> dict[str, Any]:
    return {"suppliers": [supplier_view(s) for s in Supplier.directory_index.query("supplier")]}


def supplier_for(supplier_id: str) -> Supplier:
    from pynamodb.exceptions import DoesNotExist

    try:
        return Supplier.get(supplier_id)
    except DoesNotExist:
        raise NotFoundError("Leverancier niet gevonden.") from None


def create_supplier(scope: Scope, body: SupplierCreate) -> dict[str, Any]:
    """Through `chalicelib.suppliers.use_cases`: contracted ("intern") suppliers come with a processing agreement."""
    from chalicelib.suppliers import use_cases as suppliers

    try:
        supplier = suppliers.create_supplier(
            body.supplier_id, body.name, body.kind, body.contact_email, body.delivery, body.terms_version,
            _day_start(body.terms_accepted_on), body.cancellation_free_days,
        )
    except PutError:
        raise ConflictError("Er bestaat al een leverancier met deze id.", code="supplier_exists",
                       fields={"supplier_id": "Deze id is al in gebruik."}) from None
    eventlog.record(eventlog.EventKind.SUPPLIER_CHANGED, actor_ref=scope.actor_id, supplier_id=supplier.supplier_id,
                    outcome="created")
    return supplier_view(supplier)


def update_supplier(scope: Scope, supplier_id: str, patch: SupplierPatch) -> dict[str, Any]:
    supplier = supplier_for(supplier_id)
    fields = patch.model_fields_set
    kind = patch.kind if "kind" in fields and patch.kind else supplier.kind
    agreement = patch.processing_agreement if "processing_agreement" in fields else supplier.processing_agreement
    _check_supplier_kind(kind, bool(agreement))
    actions = _supplier_actions(patch)
    if actions:
        supplier.update(actions=actions, condition=Supplier.supplier_id.exists())
        eventlog.record(eventlog.EventKind.SUPPLIER_CHANGED, actor_ref=scope.actor_id, supplier_id=supplier_id,
                        changed=",".join(sorted(fields)))
    return supplier_view(supplier_for(supplier_id))


def _supplier_actions(patch: SupplierPatch) -> list[Any]:
    actions: list[Any] = []
    for name in ("name", "kind", "contact_email", "delivery", "terms_version", "processing_agreement",
                 "cancellation_free_days"):
        if name in patch.model_fields_set:
            value = getattr(patch, name)
            attribute = getattr(Supplier, name)
            actions.append(attribute.set(value) if value is not None else attribute.remove())
    if "terms_accepted_on" in patch.model_fields_set:
        day = patch.terms_accepted_on
        actions.append(Supplier.terms_accepted_at.set(_day_start(day)) if day else Supplier.terms_accepted_at.remove())
    return actions


def _check_supplier_kind(kind: str, processing_agreement: bool) -> None:
    if kind == "intern" and not processing_agreement:
        raise UnprocessableError("Intern aanbod vraagt een verwerkersovereenkomst (R_CAT_06).",
                            fields={"processing_agreement": "Leg de verwerkersovereenkomst vast voor intern aanbod."})


def _day_start(day: Any) -> Any:
    from datetime import UTC, datetime, time

    return datetime.combine(day, time(0, 0), tzinfo=UTC) if day else None


# --- API keys (chalicelib/apikeys.py) ----------------------------------------------------------------


def key_view(key: ApiKey) -> dict[str, Any]:
    return {
        "key_id": key.key_id, "label": key.label, "created_at": key.created_at.isoformat(),
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None, "last_used_on": key.last_used_on,
    }


def list_keys(owner_kind: str, owner_id: str) -> dict[str, Any]:
    from chalicelib.suppliers import apikeys

    _owner_exists(owner_kind, owner_id)
    keys = [k for k in apikeys.keys_of(owner_id) if k.owner_kind == owner_kind]
    return {"keys": [key_view(k) for k in sorted(keys, key=lambda k: k.created_at)]}


def create_key(scope: Scope, owner_kind: str, owner_id: str, body: KeyRequest) -> dict[str, Any]:
    from chalicelib.suppliers import apikeys

    _owner_exists(owner_kind, owner_id)
    issued = apikeys.create_key(owner_kind, owner_id, body.label)
    eventlog.record(eventlog.EventKind.SUPPLIER_CHANGED if owner_kind == "supplier"
                    else eventlog.EventKind.ORGANISATION_CHANGED,
                    actor_ref=scope.actor_id, key_id=issued.key_id, outcome="key_created")
    return {"key_id": issued.key_id, "token": issued.token,
            "message": "Bewaar deze sleutel nu: hij wordt niet opnieuw getoond."}


def revoke_key(scope: Scope, owner_kind: str, owner_id: str, key_id: str) -> dict[str, Any]:
    from chalicelib.suppliers import apikeys

    if not any(k.key_id == key_id and k.owner_kind == owner_kind for k in apikeys.keys_of(owner_id)):
        raise NotFoundError("Sleutel niet gevonden.")
    apikeys.revoke_key(key_id)
    eventlog.record(eventlog.EventKind.SUPPLIER_CHANGED if owner_kind == "supplier"
                    else eventlog.EventKind.ORGANISATION_CHANGED,
                    actor_ref=scope.actor_id, key_id=key_id, outcome="key_revoked")
    return {"revoked": True}


def _owner_exists(owner_kind: str, owner_id: str) -> None:
    if owner_kind == "supplier":
        supplier_for(owner_id)
    elif accounts.get_organisation(owner_id) is None:
        raise NotFoundError("Organisatie niet gevonden.")
