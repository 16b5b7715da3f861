"""Pure role rules (R_ACC_10, R_ACC_11): which role grants exist and what they open.

Role names equal the audience names of the routing layer (`Access`), so this module stays free
of Chalice imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from chalicelib.access import LEVEL_PASSWORDLESS as LEVEL_PASSWORDLESS
from chalicelib.access import LEVEL_SECOND_FACTOR as LEVEL_SECOND_FACTOR
from chalicelib.access import Grant as Grant

LOCAL_ADMIN = "local_admin"
CFB = "cfb"
ORDER_AUTHORISED = "order_authorised"
OPS = "ops"
EMPLOYEE = "employee"

ADMIN_ROLES = frozenset({LOCAL_ADMIN, CFB, ORDER_AUTHORISED, OPS})
ORG_ROLES = frozenset({LOCAL_ADMIN, ORDER_AUTHORISED})  # these need an organisation


def grant_error(grant: Grant, departments_of: Mapping[str, Iterable[str]], own_org_id: str) -> str | None:
    """Why a grant is not valid for an account of `own_org_id`, in Dutch, or None. `departments_of` maps each
    known org to its departments. A role tied to an organisation is only ever granted within the account's
    own organisation (R_ACC_07, R_ORD_02)."""
    if grant.role not in ADMIN_ROLES:
        return "Onbekende rol."
    if grant.role in ORG_ROLES:
        if not grant.org_id or grant.org_id not in departments_of:
            return "Kies een bestaande organisatie voor deze rol."
        if grant.org_id != own_org_id:
            return "Deze rol geldt alleen binnen de eigen organisatie van het account."
        if grant.department_id is not None and (
            grant.role != ORDER_AUTHORISED or grant.department_id not in set(departments_of[grant.org_id])
        ):
            return "Een afdeling kan alleen bij een bestelgemachtigde, en moet bij de organisatie horen."
        return None
    if grant.org_id is not None or grant.department_id is not None:
        return "Deze rol geldt voor heel Leer-Rijk en heeft geen organisatie of afdeling."
    return None


def within_organisation(grants: Iterable[Grant], org_id: str) -> tuple[Grant, ...]:
    """The grants that count for an account of `org_id`: a role tied to another organisation opens nothing
    (stored before that rule, or left behind by a move), so it never shows that organisation's data."""
    return tuple(g for g in grants if g.role not in ORG_ROLES or g.org_id == org_id)


def dedupe(grants: Iterable[Grant]) -> list[Grant]:
    seen: list[Grant] = []
    for grant in grants:
        if grant not in seen:
            seen.append(grant)
    return seen


def has_admin_role(grants: Iterable[Grant]) -> bool:
    return any(g.role in ADMIN_ROLES for g in grants)


def local_admin_orgs(grants: Iterable[Grant]) -> frozenset[str]:
    return frozenset(g.org_id for g in grants if g.role == LOCAL_ADMIN and g.org_id)


def role_audiences(grants: Iterable[Grant]) -> frozenset[str]:
    return frozenset(g.role for g in grants if g.role in ADMIN_ROLES)


def audiences(grants: Iterable[Grant], level: int) -> frozenset[str]:
    """An employee always; admin roles only after the second factor (R_ACC_10)."""
    granted = {EMPLOYEE}
    if level >= LEVEL_SECOND_FACTOR:
        granted |= role_audiences(grants)
    return frozenset(granted)


def second_factor_state(grants: Iterable[Grant], enrolled: bool, level: int) -> str:
    """not_needed | setup | required | done: what the portal shows after the e-mail link."""
    if not has_admin_role(grants):
        return "not_needed"
    if level >= LEVEL_SECOND_FACTOR:
        return "done"
    return "required" if enrolled else "setup"


def beyond_local_admin(target: Iterable[Grant], admin_orgs: Iterable[str]) -> bool:
    """R_ACC_07: whether an account holding `target` is out of a local admin's reach: it holds CFB or IT
    operations, or an admin role of an organisation the local admin does not administer. Such an account
    is listed read-only in its organisation, managed by CFB; the local admin never views or changes it."""
    orgs = frozenset(admin_orgs)
    return any(g.role in (CFB, OPS) or (g.role in ORG_ROLES and g.org_id not in orgs) for g in target)


def local_admin_may_change(grant: Grant, org_id: str) -> bool:
    """R_ACC_07: a local admin grants and revokes only the order-authorised role, for the organisation of
    the account (`org_id`) or one of its departments; every other role is CFB's."""
    return grant.role == ORDER_AUTHORISED and grant.org_id == org_id


def changed_grants(before: Iterable[Grant], after: Iterable[Grant]) -> tuple[list[Grant], list[Grant]]:
    """(granted, revoked): what replacing `before` by `after` adds and removes."""
    old, new = list(before), list(after)
    return [g for g in new if g not in old], [g for g in old if g not in new]


def order_staff_entries(grants: Iterable[Grant], account_id: str) -> frozenset[tuple[str, str]]:
    """(org_id, "<department_id or ->#<account_id>") per order-authorised grant: the organisation's
    `order_staff`, from which the order-list job learns which departments have their own staff (R_ORD_01)."""
    return frozenset((g.org_id, f"{g.department_id or '-'}#{account_id}")
                     for g in grants if g.role == ORDER_AUTHORISED and g.org_id)


def by_org(gained: Iterable[tuple[str, str]], lost: Iterable[tuple[str, str]]) -> dict[str, tuple[set[str], set[str]]]:
    """Group gained and lost (org_id, entry) pairs per organisation: {org_id: (to add, to remove)}."""
    grouped: dict[str, tuple[set[str], set[str]]] = {}
    for org_id, entry in gained:
        grouped.setdefault(org_id, (set(), set()))[0].add(entry)
    for org_id, entry in lost:
        grouped.setdefault(org_id, (set(), set()))[1].add(entry)
    return grouped
