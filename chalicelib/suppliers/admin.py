"""Supplier and API-key administration by CFB (R_CAT_06, R_SEC_04).

CFB creates and changes suppliers (kind, accepted terms, delivery, contact, cancellation terms) and
issues and revokes the API keys of suppliers and of organisations' LMSs. Keys are shown once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.accounts import use_cases as accounts
from chalicelib.models import ApiKey, Supplier
from chalicelib.platform import eventlog, faults
from chalicelib.platform.errors import ConflictError, NotFoundError, UnprocessableError
from chalicelib.suppliers import apikeys
from chalicelib.suppliers import use_cases as suppliers

if TYPE_CHECKING:
    from chalicelib.accounts.admin import Scope
    from chalicelib.suppliers.schemas import KeyRequest, SupplierCreate, SupplierPatch


# --- suppliers ------------------------------------------------------------------------------------


def supplier_view(supplier: Supplier) -> dict[str, Any]:
    return {
        "supplier_id": supplier.supplier_id, "name": supplier.name, "kind": supplier.kind,
        "contact_email": supplier.contact_email, "delivery": supplier.delivery,
        "terms_version": supplier.terms_version,
        "terms_accepted_on": supplier.terms_accepted_at.date().isoformat() if supplier.terms_accepted_at else None,
        "processing_agreement": bool(supplier.processing_agreement),
        "cancellation_free_days": int(supplier.cancellation_free_days)
        if supplier.cancellation_free_days is not None else None,
        "directory_org_unit_id": supplier.directory_org_unit_id,  # set through chalicelib.directory.mapping
    }


def list_suppliers() -> dict[str, Any]:
    return {"suppliers": [supplier_view(s) for s in Supplier.directory_index.query("supplier")]}


def supplier_for(supplier_id: str) -> Supplier:
    try:
        return Supplier.get(supplier_id)
    except DoesNotExist:
        raise NotFoundError("Leverancier niet gevonden.") from None


def view_supplier(supplier_id: str) -> dict[str, Any]:
    return supplier_view(supplier_for(supplier_id))


def create_supplier(scope: Scope, body: SupplierCreate) -> dict[str, Any]:
    """Through `chalicelib.suppliers.use_cases`: contracted ("intern") suppliers come with a processing agreement."""
    _check_delivery(body.delivery, body.contact_email)
    try:
        supplier = suppliers.create_supplier(
            body.supplier_id, body.name, body.kind, body.contact_email, body.delivery, body.terms_version,
            _day_start(body.terms_accepted_on) if body.terms_accepted_on else None, body.cancellation_free_days,
        )
    except PutError as err:
        faults.only_condition(err)
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
    _check_delivery(patch.delivery if "delivery" in fields and patch.delivery else supplier.delivery,
                    patch.contact_email if "contact_email" in fields else supplier.contact_email)
    actions = _supplier_actions(patch)
    if actions:
        supplier.update(actions=actions, condition=Supplier.supplier_id.exists())
        eventlog.record(eventlog.EventKind.SUPPLIER_CHANGED, actor_ref=scope.actor_id, supplier_id=supplier_id,
                        changed=",".join(sorted(fields)))
    return supplier_view(supplier_for(supplier_id))


def revoke_feed_links(scope: Scope, supplier_id: str) -> dict[str, Any]:
    """R_SUP_01: every feed URL issued so far is refused from now on; the supplier renews with its key."""
    from chalicelib.suppliers import feeds  # the feed builder is not needed by the other admin routes

    version = feeds.revoke_links(supplier_id, actor_ref=scope.actor_id)
    return {"revoked": True, "feed_key_version": version,
            "message": "Alle feed-links van deze leverancier zijn ingetrokken. De leverancier vraagt met zijn "
                       "API-sleutel een nieuwe link op."}


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
        accepted = _day_start(day) if day else None
        actions.append(Supplier.terms_accepted_at.set(accepted) if accepted else Supplier.terms_accepted_at.remove())
    return actions


def _check_supplier_kind(kind: str, processing_agreement: bool) -> None:
    if kind == "intern" and not processing_agreement:
        raise UnprocessableError("Intern aanbod vraagt een verwerkersovereenkomst (R_CAT_06).",
                            fields={"processing_agreement": "Leg de verwerkersovereenkomst vast voor intern aanbod."})


def _check_delivery(delivery: str, contact_email: str | None) -> None:
    """R_SEC_03, R_PRV_01: e-mail delivery without an address would lose every enrolment silently."""
    if delivery == "email" and not contact_email:
        raise UnprocessableError(
            "Deze leverancier ontvangt inschrijvingen per e-mail en heeft dan een contactadres nodig.",
            code="contact_email_required",
            fields={"contact_email": "Vul het e-mailadres in waarop de leverancier inschrijvingen ontvangt."})


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


# --- API keys of suppliers and LMSs (chalicelib/suppliers/apikeys.py) -----------------------------


def key_view(key: ApiKey) -> dict[str, Any]:
    return {
        "key_id": key.key_id, "label": key.label, "created_at": key.created_at.isoformat(),
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None, "last_used_on": key.last_used_on,
    }


def list_keys(owner_kind: str, owner_id: str) -> dict[str, Any]:
    _owner_exists(owner_kind, owner_id)
    keys = [k for k in apikeys.keys_of(owner_id) if k.owner_kind == owner_kind]
    return {"keys": [key_view(k) for k in sorted(keys, key=lambda k: k.created_at)]}


def create_key(scope: Scope, owner_kind: str, owner_id: str, body: KeyRequest) -> dict[str, Any]:
    _owner_exists(owner_kind, owner_id)
    issued = apikeys.create_key(owner_kind, owner_id, body.label)
    eventlog.record(eventlog.EventKind.SUPPLIER_CHANGED if owner_kind == "supplier"
                    else eventlog.EventKind.ORGANISATION_CHANGED,
                    actor_ref=scope.actor_id, key_id=issued.key_id, outcome="key_created")
    return {"key_id": issued.key_id, "token": issued.token,
            "message": "Bewaar deze sleutel nu: hij wordt niet opnieuw getoond."}


def revoke_key(scope: Scope, owner_kind: str, owner_id: str, key_id: str) -> dict[str, Any]:
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
