"""Organisation facts read on hot paths, cached briefly per container.

Organisations change rarely (CFB edits them), so a container keeps what it read for 30 seconds:
catalogue visibility codes, e-mail domains, departments, whether approval or e-procurement is
used. Roles and account status are never cached (R_ACC_11).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pynamodb.exceptions import DoesNotExist

from chalicelib.errors import NotFound
from chalicelib.models import Organisation

CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class OrgInfo:
    org_id: str
    name: str
    domains: frozenset[str]
    codes: frozenset[str]  # EDU-DEX LeerRijkOpenFor codes covering the organisation
    departments: dict[str, str]
    approval_required: bool
    eprocurement: bool


_cache: dict[str, tuple[float, OrgInfo | None]] = {}


def organisation(org_id: str) -> OrgInfo:
    info = _cached(org_id)
    if info is None:
        raise NotFound("Deze organisatie is niet bekend.", code="unknown_organisation")
    return info


def catalogue_codes(org_id: str) -> frozenset[str]:
    """The organisation's visibility codes; its id when unknown or none are set."""
    info = _cached(org_id)
    return info.codes if info else frozenset({org_id})


def forget_cache() -> None:
    _cache.clear()


def _cached(org_id: str) -> OrgInfo | None:
    hit = _cache.get(org_id)
    if hit and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    info = _load(org_id)
    _cache[org_id] = (time.monotonic(), info)
    return info


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
