"""Organisation facts read on hot paths, cached briefly per container.

Only catalogue visibility codes are cached (60 s): they change rarely and decide what a course
list shows, not who may act. Roles and account status are never cached (R_ACC_11).
"""

from __future__ import annotations

import time

from pynamodb.exceptions import DoesNotExist

from chalicelib.models import Organisation

CACHE_SECONDS = 60.0
_codes: dict[str, tuple[float, frozenset[str]]] = {}


def catalogue_codes(org_id: str) -> frozenset[str]:
    """The EDU-DEX LeerRijkOpenFor codes of an organisation; its id when none are set."""
    cached = _codes.get(org_id)
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    try:
        organisation = Organisation.get(org_id)
        codes = frozenset(organisation.catalogue_codes or {org_id})
    except DoesNotExist:
        codes = frozenset({org_id})
    _codes[org_id] = (time.monotonic(), codes)
    return codes


def forget_cache() -> None:
    _codes.clear()
