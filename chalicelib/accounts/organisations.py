"""Organisation facts read on hot paths, cached briefly per container.

Organisations change rarely (CFB edits them), so a container keeps what it read for 30 seconds:
catalogue visibility codes, e-mail domains, departments, whether approval or e-procurement is
used. Roles and account status are never cached (R_ACC_11).
"""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.exceptions import DoesNotExist

from chalicelib.models import Organisation
from chalicelib.platform.cache import ShortCache
from chalicelib.platform.errors import NotFoundError


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
