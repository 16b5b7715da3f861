"""R_SEC_01 role matrix, generated from `app.routes` × roles (R_ACC_06, R_ACC_10, R_LOG_03).

Every route of the app must have a row in EXPECTED, or the test fails: a new route is classified
here on purpose, per SPEC's roles table. Each role is a real session through the cookie
authenticator (no shortcut), with the CSRF header and Origin the portal sends. "Allowed" means the
access layer let the request through (no 401 and no access-layer 403, and never a 500 for junk ids);
"refused" means 401 for a visitor and 403 for everyone else. An admin at assurance level 1 is
refused with `second_factor_required` wherever the role would open the route (R_ACC_10).
"""

from __future__ import annotations

import re

import pytest

from app import app
from chalicelib.access import ROUTES, Access
from tests.functional.test_acc_support import (
    DOMAIN_A,
    DOMAIN_B,
    ORG_A,
    ORG_B,
    call,
    seed_account,
    seed_orgs,
    start_session,
)

VISITOR = "visitor"
EMPLOYEE = "employee"
LA1, LA2, LA_B = "local_admin_A_level1", "local_admin_A_level2", "local_admin_B_level2"
CFB1, CFB2 = "cfb_level1", "cfb_level2"
ORDER1, ORDER2 = "order_authorised_level1", "order_authorised_level2"
OPS1, OPS2 = "ops_level1", "ops_level2"

# role name -> (account roles, assurance level, organisation)
ROLES: dict[str, tuple[list[tuple[str, str | None, str | None]], int, str]] = {
    EMPLOYEE: ([], 1, ORG_A),
    LA1: ([("local_admin", ORG_A, None)], 1, ORG_A),
    LA2: ([("local_admin", ORG_A, None)], 2, ORG_A),
    LA_B: ([("local_admin", ORG_B, None)], 2, ORG_B),
    CFB1: ([("cfb", None, None)], 1, ORG_A),
    CFB2: ([("cfb", None, None)], 2, ORG_A),
    ORDER1: ([("order_authorised", ORG_A, "dep-a1")], 1, ORG_A),
    ORDER2: ([("order_authorised", ORG_A, "dep-a1")], 2, ORG_A),
    OPS1: ([("ops", None, None)], 1, ORG_A),
    OPS2: ([("ops", None, None)], 2, ORG_A),
}
EVERYONE = frozenset({VISITOR, *ROLES})
LOGGED_IN = EVERYONE - {VISITOR}
ACCOUNT_ADMINS = frozenset({LA2, LA_B, CFB2})  # local admins (own organisation, scoped in the use case) and CFB
CFB_ONLY = frozenset({CFB2})
OPS_ONLY = frozenset({OPS2})
ORDER_ONLY = frozenset({ORDER2})  # order-authorised staff, scoped to their own list in the use case (R_ORD_02)
NOBODY = frozenset()  # supplier, LMS and signed-link routes: none of these session roles

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    # public (R_VIS_01) and the open account routes (R_ACC_01-04)
    ("/health", "GET"): EVERYONE,
    ("/openapi.json", "GET"): EVERYONE,
    ("/sitemap.xml", "GET"): EVERYONE,
    ("/courses", "GET"): EVERYONE,
    ("/courses/{course_id}", "GET"): EVERYONE,
    ("/organisations", "GET"): EVERYONE,
    ("/session", "GET"): EVERYONE,
    ("/auth/signup", "POST"): EVERYONE,
    ("/auth/login", "POST"): EVERYONE,
    ("/auth/verify", "POST"): EVERYONE,
    ("/auth/logout", "POST"): EVERYONE,
    # the contact form of visitors (R_CON_01-04): open, with CSRF header and Origin
    ("/contact", "POST"): EVERYONE,
    # the session's own account (R_ACC_05-10, R_QST_01-02)
    ("/auth/totp/setup", "POST"): LOGGED_IN,
    ("/auth/totp/verify", "POST"): LOGGED_IN,
    ("/me", "GET"): LOGGED_IN,
    ("/me", "PATCH"): LOGGED_IN,
    ("/me", "DELETE"): LOGGED_IN,
    ("/me/export", "GET"): LOGGED_IN,
    ("/me/export/summary", "GET"): LOGGED_IN,
    ("/me/deletion-preview", "GET"): LOGGED_IN,
    ("/me/questions", "POST"): LOGGED_IN,
    ("/me/questions/recipient", "GET"): LOGGED_IN,
    # administration (R_ACC_06-11)
    ("/admin/accounts", "GET"): ACCOUNT_ADMINS,
    ("/admin/accounts/{account_id}", "GET"): ACCOUNT_ADMINS,
    ("/admin/accounts/{account_id}", "PATCH"): ACCOUNT_ADMINS,
    ("/admin/accounts/{account_id}", "DELETE"): ACCOUNT_ADMINS,
    ("/admin/accounts/{account_id}/disable", "POST"): CFB_ONLY,
    ("/admin/accounts/{account_id}/enable", "POST"): CFB_ONLY,
    ("/admin/accounts/{account_id}/sessions", "DELETE"): CFB_ONLY,
    ("/admin/accounts/{account_id}/roles", "PUT"): ACCOUNT_ADMINS,  # local admins: order-authorised (R_ACC_07)
    ("/admin/accounts/{account_id}/totp-reset", "POST"): CFB_ONLY,
    ("/admin/export", "POST"): CFB_ONLY,
    ("/admin/retention", "GET"): CFB_ONLY,
    ("/admin/spend", "GET"): CFB_ONLY,
    ("/admin/search-lists", "GET"): CFB_ONLY,  # the search's synonyms and translations (R_CAT_07)
    ("/admin/search-lists/synonyms", "PUT"): CFB_ONLY,
    ("/admin/search-lists/translations", "PUT"): CFB_ONLY,
    ("/admin/organisations", "GET"): CFB_ONLY,
    ("/admin/organisations", "POST"): CFB_ONLY,
    ("/admin/organisations/{org_id}", "GET"): ACCOUNT_ADMINS,
    ("/admin/organisations/{org_id}", "PATCH"): CFB_ONLY,
    ("/admin/organisations/{org_id}/keys", "GET"): CFB_ONLY,
    ("/admin/organisations/{org_id}/keys", "POST"): CFB_ONLY,
    ("/admin/organisations/{org_id}/keys/{key_id}", "DELETE"): CFB_ONLY,
    ("/admin/suppliers", "GET"): CFB_ONLY,
    ("/admin/suppliers", "POST"): CFB_ONLY,
    ("/admin/suppliers/{supplier_id}", "GET"): CFB_ONLY,
    ("/admin/suppliers/{supplier_id}", "PATCH"): CFB_ONLY,
    ("/admin/suppliers/{supplier_id}/feed-links", "DELETE"): CFB_ONLY,  # R_SUP_01 early revocation
    ("/admin/suppliers/{supplier_id}/keys", "GET"): CFB_ONLY,
    ("/admin/suppliers/{supplier_id}/keys", "POST"): CFB_ONLY,
    ("/admin/suppliers/{supplier_id}/keys/{key_id}", "DELETE"): CFB_ONLY,
    # enrolment (R_ENR_01, R_ENR_06, R_ENR_09): employees; managers by signed link; LMSs by API key
    ("/enrolments", "POST"): LOGGED_IN,
    ("/me/enrolments", "GET"): LOGGED_IN,
    ("/me/enrolments/{enrolment_id}/agenda.ics", "GET"): LOGGED_IN,  # the holder's own only (R_CAL_01)
    ("/enrolments/{enrolment_id}/cancel", "POST"): LOGGED_IN,
    ("/enrolments/{enrolment_id}/hide", "POST"): LOGGED_IN,
    ("/approvals/{token}", "GET"): EVERYONE,
    ("/approvals/{token}", "POST"): EVERYONE,
    ("/lms/enrolments", "POST"): NOBODY,
    ("/lms/enrolments/{enrolment_id}/cancel", "POST"): NOBODY,
    ("/lms/courses", "GET"): NOBODY,
    ("/admin/enrolments", "GET"): CFB_ONLY,  # never local admins (R_ENR_09)
    ("/admin/enrolments/{enrolment_id}/cancel", "POST"): CFB_ONLY,
    # the waiting list (R_WAIT_01-04): employees join, see and leave their own (scoped in the use case); the
    # offer by signed link; LMSs and suppliers (a count only) by API key; CFB the lists, never local admins
    ("/waiting", "POST"): LOGGED_IN,
    ("/me/waiting", "GET"): LOGGED_IN,
    ("/waiting/{place_id}/leave", "POST"): LOGGED_IN,
    ("/waiting/{place_id}/offer", "POST"): LOGGED_IN,
    ("/offers/{token}", "GET"): EVERYONE,
    ("/offers/{token}", "POST"): EVERYONE,
    ("/lms/waiting", "POST"): NOBODY,
    ("/lms/waiting/{place_id}", "GET"): NOBODY,
    ("/lms/waiting/{place_id}/leave", "POST"): NOBODY,
    ("/supplier/waiting", "GET"): NOBODY,
    ("/admin/waiting", "GET"): CFB_ONLY,
    ("/admin/undeliverable", "GET"): CFB_ONLY,  # undeliverable mail with SES's code (R_SEC_03)
    # supplier feed (R_SUP_01): the URL by API key, the feed by signed URL (checked in the view)
    ("/supplier/feed-url", "GET"): NOBODY,
    ("/feeds/{supplier_id}/enrolments.xml", "GET"): EVERYONE,
    # order lists (R_ORD_02, R_ORD_03)
    ("/orders", "GET"): ORDER_ONLY,
    ("/orders/export", "GET"): ORDER_ONLY,
    ("/orders/{line_id}/ordered", "POST"): ORDER_ONLY,
    ("/orders/{line_id}/ordered", "DELETE"): ORDER_ONLY,
    # IT operations (R_LOG_03)
    ("/ops/log", "GET"): OPS_ONLY,
    # reviews (R_REV_01-04): employees write and read texts, visitors the summary; the author or CFB changes
    # (the view answers 404 to anyone else); suppliers by API key; local admins and CFB in the admin pages
    ("/courses/{course_id}/reviews", "POST"): LOGGED_IN,
    ("/courses/{course_id}/reviews", "GET"): EVERYONE,
    ("/me/reviews", "GET"): LOGGED_IN,
    ("/reviews/{review_id}", "PATCH"): LOGGED_IN,
    ("/reviews/{review_id}", "DELETE"): LOGGED_IN,
    ("/supplier/reviews", "GET"): NOBODY,
    ("/admin/reviews", "GET"): ACCOUNT_ADMINS,
    # suppliers by API key (R_CAT_05)
    ("/supplier/programs/{program_id}", "PUT"): NOBODY,
    ("/supplier/programs/{program_id}", "DELETE"): NOBODY,
    # the EDU-DEX directory (R_DEX_01-03): its webhook by the secret in its URL (checked in the view); CFB
    # connects catalogs, sees held programs and maps suppliers
    ("/directory/hooks/{secret}", "POST"): EVERYONE,
    ("/admin/directory", "GET"): CFB_ONLY,
    ("/admin/directory/connections", "POST"): CFB_ONLY,
    ("/admin/directory/connections/{connection_id}", "PATCH"): CFB_ONLY,
    ("/admin/directory/connections/{connection_id}/sync", "POST"): CFB_ONLY,
    ("/admin/directory/held", "GET"): CFB_ONLY,
    ("/admin/suppliers/{supplier_id}/directory", "PUT"): CFB_ONLY,
}

# error codes of the access layer (guard + session authenticator), as opposed to a view's own refusals
ACCESS_REFUSALS = frozenset({"forbidden", "second_factor_required", "csrf_failed", "route_not_classified",
                             "authentication_required", "session_expired"})
ALL_ROUTES = sorted((path, method) for path, methods in app.routes.items() for method in methods)
ADMIN_AUDIENCES = {"local_admin": Access.LOCAL_ADMIN, "cfb": Access.CFB, "order_authorised": Access.ORDER_AUTHORISED,
                   "ops": Access.OPS}


def _concrete(path: str) -> str:
    return re.sub(r"{\w+}", "x", path)


def _sessions() -> dict[str, str | None]:
    seed_orgs()
    tokens: dict[str, str | None] = {VISITOR: None}
    for i, (name, (roles, level, org)) in enumerate(sorted(ROLES.items())):
        domain = DOMAIN_A if org == ORG_A else DOMAIN_B
        seed_account(f"acc-m{i}", f"m{i}@{domain}", org_id=org, roles=roles,
                     totp_secret="JBSWY3DPEHPK3PXP" if roles else None)
        tokens[name] = start_session(f"acc-m{i}", level=level)
    return tokens


def _would_open_at_level_two(role: str, path: str, method: str) -> bool:
    grants, level, _ = ROLES.get(role, ([], 1, ORG_A))
    allowed = ROUTES[(path, method)].allow
    return level == 1 and any(ADMIN_AUDIENCES[g[0]] in allowed for g in grants)


def test_R_SEC_01_every_route_has_an_expected_outcome_per_role():
    unclassified = [route for route in ALL_ROUTES if route not in EXPECTED]
    assert unclassified == [], "add these routes to EXPECTED with the roles SPEC gives them"


def test_R_SEC_01_the_matrix_names_no_route_that_does_not_exist():
    assert sorted(set(EXPECTED) - set(ALL_ROUTES)) == []


@pytest.mark.parametrize(("path", "method"), ALL_ROUTES)
def test_R_SEC_01_R_ACC_10_role_matrix(client, path, method):
    if (path, method) not in EXPECTED:
        pytest.fail(f"{method} {path} has no expected outcome in the role matrix")
    allowed = EXPECTED[(path, method)]
    tokens = _sessions()
    outcomes = {}
    for role in sorted(EVERYONE):
        response = call(client, method, _concrete(path), tokens[role], {})
        code = (response.json_body or {}).get("error", {}).get("code")
        outcomes[role] = (response.status_code, code)
    for role, (status, code) in outcomes.items():
        if role in allowed:  # the view may still refuse its own input (e.g. a bad signed link: invalid_link)
            assert status != 500 and status != 401 and code not in ACCESS_REFUSALS, (role, status, code)
        elif role == VISITOR:
            assert status == 401, (role, status, code)
        else:
            assert status == 403, (role, status, code)
            expected_code = "second_factor_required" if _would_open_at_level_two(role, path, method) else "forbidden"
            assert code == expected_code, (role, code)


# --- target roles (R_ACC_07): whom an admin may act on, per account route ------------------------------

ACCOUNT_ROUTES = sorted(route for route in ALL_ROUTES if "{account_id}" in route[0])
# target name -> role grants of an account of organisation A (the local admin's own organisation)
TARGETS: dict[str, list[tuple[str, str | None, str | None]]] = {
    "employee": [],
    "local_admin_A": [("local_admin", ORG_A, None)],
    "cfb": [("cfb", None, None)],
    "ops": [("ops", None, None)],
    "order_authorised_A": [("order_authorised", ORG_A, "dep-a1")],
    "local_admin_B": [("local_admin", ORG_B, None)],
}
# what a local admin of A may act on (R_ACC_07): accounts of A holding no CFB, IT operations or admin role of
# another organisation
LOCAL_ADMIN_REACHES = frozenset({"employee", "local_admin_A", "order_authorised_A"})


def _body(method: str, n: int, grants: list[tuple[str, str | None, str | None]]) -> dict[str, object]:
    """The takeover attempt itself for PATCH: a new name and an address the admin reads. For PUT: the target's
    roles without its order-authorised one (the one a local admin may revoke) and without a grant of another
    organisation (which nobody may give)."""
    if method == "PATCH":
        return {"last_name": "Overgenomen", "email": f"overname{n}@{DOMAIN_A}"}
    kept = [{"role": r, "org_id": o, "department_id": d} for r, o, d in grants
            if r != "order_authorised" and o in (None, ORG_A)]
    return {"roles": kept} if method == "PUT" else {}


def test_R_ACC_07_every_account_route_is_classified_for_target_roles():
    assert ACCOUNT_ROUTES, "no account routes found"
    assert all(ROUTES[route].allow for route in ACCOUNT_ROUTES)


@pytest.mark.parametrize(("path", "method"), ACCOUNT_ROUTES)
def test_R_ACC_07_R_ACC_06_target_roles_a_local_admin_never_acts_on_a_role_they_lack(client, path, method):
    """A local admin of A acting on an account of A holding CFB, IT operations or a local-admin grant elsewhere
    gets exactly the 404 of an account that does not exist, and nothing changes (no item, no mail, no session
    ended); CFB acts on every target; an employee, a local admin or an order-authorised account of A is in
    reach (issue 28)."""
    from chalicelib.models import Account, Session
    from tests.functional.conftest import sent_mail

    tokens = _sessions()
    for i, (target, grants) in enumerate(sorted(TARGETS.items())):
        seed_account(f"acc-t{i}", f"t{i}@{DOMAIN_A}", org_id=ORG_A, roles=grants)
        start_session(f"acc-t{i}")
    missing = call(client, method, path.replace("{account_id}", "acc-none"), tokens[LA2], _body(method, 99, []))
    assert missing.status_code == (404 if LA2 in EXPECTED[(path, method)] else 403)
    for i, target in enumerate(sorted(TARGETS)):
        account_path = path.replace("{account_id}", f"acc-t{i}")
        before = (Account.get(f"acc-t{i}").to_simple_dict(force=True), Session.count(), len(sent_mail()))
        as_la = call(client, method, account_path, tokens[LA2], _body(method, i, TARGETS[target]))
        code = (as_la.json_body or {}).get("error", {}).get("code")
        if LA2 not in EXPECTED[(path, method)]:
            assert (as_la.status_code, code) == (403, "forbidden"), (target, as_la.status_code)
        elif target in LOCAL_ADMIN_REACHES:
            assert as_la.status_code in (200, 202), (target, as_la.status_code, as_la.body)
            continue  # the local admin changed it; CFB's turn is shown on the other targets
        else:
            assert as_la.status_code == 404 and as_la.body == missing.body, (target, as_la.status_code)
        after = (Account.get(f"acc-t{i}").to_simple_dict(force=True), Session.count(), len(sent_mail()))
        assert after == before, target
        as_cfb = call(client, method, account_path, tokens[CFB2], _body(method, i, TARGETS[target]))
        assert as_cfb.status_code in (200, 202), (target, as_cfb.status_code, as_cfb.body)
