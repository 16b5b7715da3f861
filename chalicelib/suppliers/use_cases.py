"""Supplier records (R_CAT_06): kind, accepted terms, delivery choice, contact, cancellation terms."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist

from chalicelib.models import Supplier
from chalicelib.platform import clock
from chalicelib.platform.cache import ShortCache
from chalicelib.platform.errors import NotAllowedError, NotFoundError

KINDS = ("intern", "extern")
DELIVERIES = ("email", "feed")


def create_supplier(
    supplier_id: str,
    name: str,
    kind: str,
    contact_email: str,
    delivery: str = "email",
    terms_version: str | None = None,
    terms_accepted_at: datetime | None = None,
    cancellation_free_days: int | None = None,
) -> Supplier:
    """Create a new supplier; an existing id is refused rather than overwritten."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    if delivery not in DELIVERIES:
        raise ValueError(f"delivery must be one of {DELIVERIES}")
    supplier = Supplier(
        supplier_id, name=name, kind=kind, contact_email=contact_email, delivery=delivery,
        terms_version=terms_version, terms_accepted_at=terms_accepted_at if terms_version else None,
        processing_agreement=kind == "intern", created_at=clock.now(),
        cancellation_free_days=cancellation_free_days,
    )
    supplier.save(condition=Supplier.supplier_id.does_not_exist())
    return supplier


def cancellation_free_days(supplier: Supplier) -> int | None:
    """The supplier's own terms, or None: `enrolment.rules.cancellation_terms` then applies the default."""
    return None if supplier.cancellation_free_days is None else int(supplier.cancellation_free_days)


def has_accepted_terms(supplier: Supplier) -> bool:
    """R_CAT_06, the one rule: a supplier publishes courses, shows them and receives enrolment data only
    once it accepted the general Leer-Rijk terms (version and date recorded). Callers use it through this
    module (`suppliers.has_accepted_terms`), never a copy."""
    return bool(supplier.terms_version and supplier.terms_accepted_at)


def require_accepted_terms(supplier: Supplier) -> None:
    """Refuse publishing for a supplier that has not accepted the terms (R_CAT_06)."""
    if not has_accepted_terms(supplier):
        raise NotAllowedError("U kunt pas opleidingen publiceren als u de algemene voorwaarden van Leer-Rijk hebt "
                              "aanvaard. Neem contact op met Centraal Functioneel Beheer.",
                              code="terms_not_accepted")


def cached(supplier_id: str) -> Supplier:
    """A supplier as read at most 30 seconds ago: for delivery choice, terms and contact address."""
    return _cache.get(supplier_id)


def for_delivery(supplier_id: str) -> Supplier:
    """Cached, except that a feed supplier is read fresh: its feed sequence goes into a conditional write."""
    supplier = cached(supplier_id)
    return Supplier.get(supplier_id, consistent_read=True) if supplier.delivery == "feed" else supplier


def forget_cache() -> None:
    _cache.clear()


def _load(supplier_id: str) -> Supplier:
    try:
        return Supplier.get(supplier_id)
    except DoesNotExist:
        raise NotFoundError("Deze aanbieder is niet bekend.", code="unknown_supplier") from None


_cache: ShortCache[Supplier] = ShortCache(_load)
