"""Administration for local admins (own organisation's accounts) and CFB (everything), under /admin.

Every admin route needs assurance level 2 (TOTP); the session authenticator refuses a level-1
session with 403 `second_factor_required`. Tenant scoping happens in `chalicelib.accounts.admin`;
organisations are administered in `chalicelib.accounts.organisations`, suppliers and API keys in
`chalicelib.suppliers.admin`.
"""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib.access import Access
from chalicelib.accounts import admin, organisations
from chalicelib.api import callers
from chalicelib.api.routing import json_response, route
from chalicelib.api.validation import parse_body, parse_query
from chalicelib.catalogue import use_cases as catalogue
from chalicelib.platform.errors import NotFoundError
from chalicelib.privacy import rights
from chalicelib.suppliers import admin as supplier_admin

bp = Blueprint(__name__)
SCHEMAS = "chalicelib.accounts.schemas"
SUPPLIER_SCHEMAS = "chalicelib.suppliers.schemas"
ADMINS = [Access.LOCAL_ADMIN, Access.CFB]
CFB = [Access.CFB]
MAX_ID_LENGTH = 100


def _scope() -> admin.Scope:
    return admin.scope_of(callers.account())


def _body(name: str) -> Any:
    return parse_body(bp.current_request, f"{SCHEMAS}:{name}")


def _supplier_body(name: str) -> Any:
    return parse_body(bp.current_request, f"{SUPPLIER_SCHEMAS}:{name}")


def _id(value: str) -> str:
    """Path ids are looked up by key only; an absurd one is simply not found."""
    if not value or len(value) > MAX_ID_LENGTH or not value.isprintable():
        raise NotFoundError()
    return value


# --- accounts --------------------------------------------------------------------------------------


@route(bp, "/admin/accounts", allow=ADMINS, query=f"{SCHEMAS}:AccountListQuery",
       summary="Accounts of one organisation by name (read-only where a local admin may not act); prefix search or "
               "exact address, for CFB also across organisations; opaque cursor")
def list_accounts() -> object:
    query = parse_query(bp.current_request, f"{SCHEMAS}:AccountListQuery")
    return json_response(admin.list_accounts(_scope(), query))


@route(bp, "/admin/accounts/{account_id}", allow=ADMINS, summary="One account (own organisation for local admins)")
def get_account(account_id: str) -> object:
    return json_response(admin.view_account(_scope(), _id(account_id)))


@route(bp, "/admin/accounts/{account_id}", methods=["PATCH"], allow=ADMINS, body=f"{SCHEMAS}:AdminAccountPatch",
       summary="Change name, e-mail (domain rule), department; organisation by CFB only")
def patch_account(account_id: str) -> object:
    return json_response(admin.update_account(_scope(), _id(account_id), _body("AdminAccountPatch")))


@route(bp, "/admin/accounts/{account_id}", methods=["DELETE"], allow=ADMINS,
       summary="Delete an account and everything tied to it; enrolments live on, detached")
def delete_account(account_id: str) -> object:
    return json_response(rights.delete_for_admin(_scope(), _id(account_id)))


@route(bp, "/admin/accounts/{account_id}/disable", methods=["POST"], allow=CFB,
       summary="Disable an account; its sessions end at once")
def disable_account(account_id: str) -> object:
    return json_response(admin.set_status(_scope(), _id(account_id), active=False))


@route(bp, "/admin/accounts/{account_id}/enable", methods=["POST"], allow=CFB, summary="Enable an account again")
def enable_account(account_id: str) -> object:
    return json_response(admin.set_status(_scope(), _id(account_id), active=True))


@route(bp, "/admin/accounts/{account_id}/sessions", methods=["DELETE"], allow=CFB,
       summary="End every session of an account")
def end_sessions(account_id: str) -> object:
    return json_response(admin.end_sessions(_scope(), _id(account_id)))


@route(bp, "/admin/accounts/{account_id}/roles", methods=["PUT"], allow=ADMINS, body=f"{SCHEMAS}:RolesRequest",
       summary="Replace the role grants (CFB: every role; a local admin: order-authorised within the organisation)")
def put_roles(account_id: str) -> object:
    return json_response(admin.set_roles(_scope(), _id(account_id), _body("RolesRequest")))


@route(bp, "/admin/accounts/{account_id}/totp-reset", methods=["POST"], allow=CFB,
       summary="Remove the second factor; the holder enrols again at the next login")
def reset_totp(account_id: str) -> object:
    return json_response(admin.reset_totp(_scope(), _id(account_id)))


@route(bp, "/admin/export", methods=["POST"], allow=CFB, body=f"{SCHEMAS}:ExportRequest",
       summary="Everything held about any e-mail address, incl. LMS and detached enrolments (R_ACC_09)")
def export_address() -> object:
    document = rights.export_for_address(_scope(), _body("ExportRequest").email)
    return json_response(document, headers={"Content-Disposition": 'attachment; filename="leer-rijk-gegevens.json"'})


# --- organisations ---------------------------------------------------------------------------------


@route(bp, "/admin/organisations", allow=CFB, summary="All organisations")
def list_organisations() -> object:
    return json_response(organisations.list_organisations())


@route(bp, "/admin/organisations", methods=["POST"], allow=CFB, body=f"{SCHEMAS}:OrganisationCreate",
       summary="Create an organisation (domains, departments, approval, e-procurement)")
def create_organisation() -> object:
    return json_response(organisations.create_organisation(_scope(), _body("OrganisationCreate")), status=201)


@route(bp, "/admin/organisations/{org_id}", allow=ADMINS,
       summary="One organisation with its local admins (local admins: their own)")
def get_organisation(org_id: str) -> object:
    return json_response(organisations.view_organisation(_scope(), _id(org_id)))


@route(bp, "/admin/organisations/{org_id}", methods=["PATCH"], allow=CFB, body=f"{SCHEMAS}:OrganisationPatch",
       summary="Change an organisation")
def patch_organisation(org_id: str) -> object:
    return json_response(organisations.update_organisation(_scope(), _id(org_id), _body("OrganisationPatch")))


@route(bp, "/admin/organisations/{org_id}/keys", allow=CFB, summary="API keys of the organisation's LMS")
def list_lms_keys(org_id: str) -> object:
    return json_response(supplier_admin.list_keys("lms", _id(org_id)))


@route(bp, "/admin/organisations/{org_id}/keys", methods=["POST"], allow=CFB, body=f"{SUPPLIER_SCHEMAS}:KeyRequest",
       summary="Create an LMS API key for the organisation (shown once)")
def create_lms_key(org_id: str) -> object:
    issued = supplier_admin.create_key(_scope(), "lms", _id(org_id), _supplier_body("KeyRequest"))
    return json_response(issued, status=201)


@route(bp, "/admin/organisations/{org_id}/keys/{key_id}", methods=["DELETE"], allow=CFB,
       summary="Revoke an LMS API key")
def revoke_lms_key(org_id: str, key_id: str) -> object:
    return json_response(supplier_admin.revoke_key(_scope(), "lms", _id(org_id), _id(key_id)))


# --- suppliers -------------------------------------------------------------------------------------


@route(bp, "/admin/suppliers", allow=CFB, summary="All suppliers")
def list_suppliers() -> object:
    return json_response(supplier_admin.list_suppliers())


@route(bp, "/admin/suppliers", methods=["POST"], allow=CFB, body=f"{SUPPLIER_SCHEMAS}:SupplierCreate",
       summary="Create a supplier (kind, terms, delivery, contact, cancellation terms)")
def create_supplier() -> object:
    return json_response(supplier_admin.create_supplier(_scope(), _supplier_body("SupplierCreate")), status=201)


@route(bp, "/admin/suppliers/{supplier_id}", allow=CFB, summary="One supplier")
def get_supplier(supplier_id: str) -> object:
    return json_response(supplier_admin.view_supplier(_id(supplier_id)))


@route(bp, "/admin/suppliers/{supplier_id}", methods=["PATCH"], allow=CFB, body=f"{SUPPLIER_SCHEMAS}:SupplierPatch",
       summary="Change a supplier")
def patch_supplier(supplier_id: str) -> object:
    from chalicelib.directory import mapping

    patch = _supplier_body("SupplierPatch")
    view = supplier_admin.update_supplier(_scope(), _id(supplier_id), patch)
    catalogue.follow_supplier(supplier_id)  # its name and terms as they are now (R_CAT_06)
    if "terms_accepted_on" in patch.model_fields_set:  # now admitted: its held EDU-DEX programs publish (R_DEX_03)
        mapping.admit_after_terms(supplier_id)
    return json_response(view)


@route(bp, "/admin/suppliers/{supplier_id}/feed-links", methods=["DELETE"], allow=CFB,
       summary="Revoke every feed URL of the supplier early; it renews its URL with its API key (R_SUP_01)")
def revoke_feed_links(supplier_id: str) -> object:
    return json_response(supplier_admin.revoke_feed_links(_scope(), _id(supplier_id)))


@route(bp, "/admin/suppliers/{supplier_id}/keys", allow=CFB, summary="API keys of a supplier")
def list_supplier_keys(supplier_id: str) -> object:
    return json_response(supplier_admin.list_keys("supplier", _id(supplier_id)))


@route(bp, "/admin/suppliers/{supplier_id}/keys", methods=["POST"], allow=CFB, body=f"{SUPPLIER_SCHEMAS}:KeyRequest",
       summary="Create a supplier API key (shown once)")
def create_supplier_key(supplier_id: str) -> object:
    issued = supplier_admin.create_key(_scope(), "supplier", _id(supplier_id), _supplier_body("KeyRequest"))
    return json_response(issued, status=201)


@route(bp, "/admin/suppliers/{supplier_id}/keys/{key_id}", methods=["DELETE"], allow=CFB,
       summary="Revoke a supplier API key")
def revoke_supplier_key(supplier_id: str, key_id: str) -> object:
    return json_response(supplier_admin.revoke_key(_scope(), "supplier", _id(supplier_id), _id(key_id)))


# --- the search's vocabulary (R_CAT_07) ---------------------------------------------------------------

CATALOGUE_SCHEMAS = "chalicelib.catalogue.schemas"


@route(bp, "/admin/search-lists", allow=CFB, summary="The search's synonyms and English-Dutch translations")
def search_lists() -> object:
    from chalicelib.catalogue import vocabulary

    callers.account()
    return json_response(vocabulary.view_lists())


@route(bp, "/admin/search-lists/synonyms", methods=["PUT"], allow=CFB, body=f"{CATALOGUE_SCHEMAS}:SynonymList",
       summary="Replace the synonym list (from the version read); the search uses it at once")
def put_synonyms() -> object:
    from chalicelib.catalogue import vocabulary

    body = parse_body(bp.current_request, f"{CATALOGUE_SCHEMAS}:SynonymList")
    return json_response(vocabulary.replace_synonyms(_scope(), body))


@route(bp, "/admin/search-lists/translations", methods=["PUT"], allow=CFB,
       body=f"{CATALOGUE_SCHEMAS}:TranslationList",
       summary="Replace the English-Dutch translation list (from the version read); the search uses it at once")
def put_translations() -> object:
    from chalicelib.catalogue import vocabulary

    body = parse_body(bp.current_request, f"{CATALOGUE_SCHEMAS}:TranslationList")
    return json_response(vocabulary.replace_translations(_scope(), body))


# --- privacy clocks (R_PRV_02) ------------------------------------------------------------------------


@route(bp, "/admin/retention", allow=CFB, summary="Retention self-check, recomputed now (R_PRV_02)")
def retention_report() -> object:
    from chalicelib.privacy import selfcheck

    callers.account()
    return json_response(selfcheck.report())


@route(bp, "/admin/spend", allow=CFB, query="chalicelib.privacy.schemas:SpendQuery",
       summary="Government-wide spend by organisation, theme, supplier or month; JSON or CSV, no personal data")
def spend_overview() -> object:
    from chalice.app import Response

    from chalicelib.privacy import spend

    callers.account()
    query = parse_query(bp.current_request, "chalicelib.privacy.schemas:SpendQuery")
    if query.format == "csv":
        name, body = spend.overview_csv(query)
        return Response(body=body, status_code=200, headers={
            "Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{name}.csv"'})
    return json_response(spend.overview(query))
