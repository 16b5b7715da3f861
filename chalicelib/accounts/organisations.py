"""Organisations: facts read on hot paths, cached briefly per container, and their administration.

Organisations change rarely (CFB edits them), so a container keeps what it read for 30 seconds:
catalogue visibility codes, e-mail domains, departments, whether approval or e-procurement is
used. Roles and account status are never cached (R_ACC_11). CFB creates and changes organisations;
a local admin sees their own (with its local admins) through `view_organisation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from chalicelib.accounts import use_cases as accounts
from chalicelib.models import Account, Organisation, department
from chalicelib.platform import clock, eventlog, faults
from chalicelib.platform.cache import ShortCache
from chalicelib.platform.errors import ConflictError, NotFoundError

if TYPE_CHECKING:
    from chalicelib.accounts.admin import Scope
    from chalicelib.accounts.schemas import OrganisationCreate, OrganisationPatch


@dataclass(frozen=True)
class OrgInfo:
    org_id: str
    name: str
    domains: frozenset[str]
    codes: frozenset[str]  # EDU-DEX LeerRijkOpenFor codes covering the organisation
    departments: dict[str, str]
    approval_required: bool
    eprocurement: bool


def organisation(org_id: str) -> OrgInfo:
    info = _cache.get(org_id)
    if info is None:
        raise NotFoundError("Deze organisatie is niet bekend.", code="unknown_organisation")
    return info


def catalogue_codes(org_id: str) -> frozenset[str]:
    """The organisation's visibility codes; its id when unknown or none are set."""
    info = _cache.get(org_id)
    return info.codes if info else frozenset({org_id})


def forget_cache() -> None:
    _cache.clear()


def _load(org_id: str) -> OrgInfo | None:
    try:
        org = Organisation.get(org_id)
    except DoesNotExist:
        return None
    return OrgInfo(
        org_id=org.org_id, name=org.name, domains=frozenset(org.domains or ()),
        codes=frozenset(org.catalogue_codes or {org.org_id}),
        departments={d.department_id: d.name for d in org.departments or []},
        approval_required=bool(org.approval_required), eprocurement=bool(org.eprocurement),
    )


_cache: ShortCache[OrgInfo | None] = ShortCache(_load)


# --- administration (CFB; a local admin views their own) ------------------------------------------


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
        departments=[department(d.department_id, d.name) for d in body.departments],
        approval_required=body.approval_required, eprocurement=body.eprocurement, created_at=clock.now(),
        catalogue_codes=set(body.catalogue_codes) if body.catalogue_codes else None,
    )
    try:
        org.save(condition=Organisation.org_id.does_not_exist())
    except PutError as err:
        faults.only_condition(err)
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
            [department(d.department_id, d.name) for d in patch.departments]))
    for name in ("approval_required", "eprocurement"):
        if name in fields and getattr(patch, name) is not None:
            actions.append(getattr(Organisation, name).set(getattr(patch, name)))
    if "catalogue_codes" in fields:  # empty or null: the organisation's own id (see `catalogue_codes` above)
        codes = set(patch.catalogue_codes or [])
        actions.append(Organisation.catalogue_codes.set(codes) if codes else Organisation.catalogue_codes.remove())
    if actions:
        try:
            Organisation(org_id).update(actions=actions, condition=Organisation.org_id.exists())
        except UpdateError as err:
            faults.only_condition(err)
            raise NotFoundError("Organisatie niet gevonden.") from None
        eventlog.record(eventlog.EventKind.ORGANISATION_CHANGED, actor_ref=scope.actor_id, org_id=org_id,
                        changed=",".join(sorted(fields)))
    return view_organisation(scope, org_id)



