"""CFB maps a directory supplier (its orgUnitId) to a Leer-Rijk supplier profile (R_DEX_03).

The orgUnitId is kept on the profile (`Supplier.directory_org_unit_id`) and, as the guard that one
orgUnitId maps to one profile, on the directory supplier's row: both are written in one transaction,
each conditional on what was read. Admitting a supplier (mapping it, or recording its accepted terms
once it is mapped) publishes its held programs at once (`holding.release_now`).
"""

from __future__ import annotations

import re
from typing import Any

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.directory import holding
from chalicelib.models import DirectorySupplier, Supplier
from chalicelib.platform import eventlog, faults, transactions
from chalicelib.platform.errors import ConflictError, InvalidInputError, NotFoundError

# The Data API's orgUnitIdType.
ORG_UNIT_ID = re.compile(r"^[-+a-z0-9_.{}/&]{1,64}$")


def map_supplier(actor_ref: str, supplier_id: str, org_unit_id: str | None) -> dict[str, Any]:
    """Set (or with None, clear) the supplier's orgUnitId; publish what it had held when now admitted."""
    if org_unit_id is not None and not ORG_UNIT_ID.match(org_unit_id):
        raise InvalidInputError(fields={"org_unit_id": "Gebruik de orgUnitId uit EDU-DEX: kleine letters, cijfers "
                                                       "en - + _ . { } / &, hoogstens 64 tekens."})
    supplier = _supplier(supplier_id)
    previous = supplier.directory_org_unit_id
    if previous != org_unit_id:
        _write_mapping(supplier_id, previous, org_unit_id)
        eventlog.record(eventlog.EventKind.SUPPLIER_CHANGED, actor_ref=actor_ref, supplier_id=supplier_id,
                        changed="directory_org_unit_id")
    released = holding.release_now(org_unit_id) if org_unit_id else {"published": 0, "left": 0}
    return {"supplier_id": supplier_id, "org_unit_id": org_unit_id, "published": released["published"],
            "publishing_later": released["left"]}


def admit_after_terms(supplier_id: str) -> dict[str, int]:
    """The supplier's accepted terms changed: if it is mapped and now admitted, publish what it had held."""
    org_unit_id = _supplier(supplier_id).directory_org_unit_id
    return holding.release_now(org_unit_id) if org_unit_id else {"published": 0, "rejected": 0, "left": 0}


def _supplier(supplier_id: str) -> Supplier:
    try:
        return Supplier.get(supplier_id, consistent_read=True)
    except DoesNotExist:
        raise NotFoundError("Leverancier niet gevonden.") from None


def _write_mapping(supplier_id: str, previous: str | None, org_unit_id: str | None) -> None:
    taken = holding.known(org_unit_id) if org_unit_id else None
    if taken is not None and taken.supplier_id not in (None, supplier_id):
        raise _taken(taken.supplier_id)
    profile_condition = Supplier.directory_org_unit_id == previous if previous \
        else Supplier.directory_org_unit_id.does_not_exist()
    try:
        with TransactWrite(connection=transactions.connection()) as transaction:
            value = Supplier.directory_org_unit_id
            transaction.update(Supplier(supplier_id), condition=Supplier.supplier_id.exists() & profile_condition,
                               actions=[value.set(org_unit_id) if org_unit_id else value.remove()])
            if org_unit_id:
                free = DirectorySupplier.supplier_id.does_not_exist() | (DirectorySupplier.supplier_id == supplier_id)
                transaction.update(DirectorySupplier(org_unit_id), condition=free, actions=[
                    DirectorySupplier.supplier_id.set(supplier_id), *holding.row_actions(org_unit_id)])
            if previous:
                transaction.update(DirectorySupplier(previous), actions=[DirectorySupplier.supplier_id.remove()],
                                   condition=DirectorySupplier.supplier_id == supplier_id)
    except TransactWriteError as err:
        if faults.classify(err) is faults.Fault.TRANSIENT:
            raise
        raise ConflictError("De koppeling is intussen gewijzigd; laad de gegevens opnieuw.",
                            code="directory_mapping_changed") from None


def _taken(other: str) -> ConflictError:
    return ConflictError(f"Deze orgUnitId is al gekoppeld aan leverancier {other}.", code="org_unit_taken",
                         fields={"org_unit_id": "Deze orgUnitId hoort al bij een andere leverancier."})
