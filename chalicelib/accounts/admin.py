"""Account administration: accounts for local admins (own organisation only) and CFB (all), roles and
the second factor (R_ACC_05-11). Organisations are administered in `chalicelib.accounts.organisations`,
suppliers and API keys in `chalicelib.suppliers.admin`.

Tenant isolation is by key (C3): a local admin's account list is a Query on the organisation index
with their own organisation as the partition key, and a single account outside their organisations
answers 404 exactly like one that does not exist. Within their organisation a local admin sees every
account; one they may not act on (R_ACC_07: it holds CFB, IT operations or an admin role of another
organisation) is listed read-only, managed by CFB, and answers 404 to everything else. CFB searches
the accounts of every organisation at once through the search keys' term index. Every change takes
effect on the next request, because the authenticator reads the account on every request (R_ACC_11).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import TransactWriteError

from chalicelib.access import Access, Principal
from chalicelib.accounts import roles as role_rules
from chalicelib.accounts import search, sessions
from chalicelib.accounts import totp as totp_use
from chalicelib.accounts import use_cases as accounts
from chalicelib.accounts.rules import domain_allowed, leading_word, normalise_email, query_words
from chalicelib.models import Account, Organisation, role_grant
from chalicelib.platform import cursors, eventlog, faults
from chalicelib.platform.errors import InvalidInputError, NotAllowedError, NotFoundError, UnprocessableError

if TYPE_CHECKING:
    from chalicelib.accounts.schemas import (
        AccountListQuery,
        AdminAccountPatch,
        RolesRequest,
    )

ACCOUNT_NOT_FOUND = "Account niet gevonden."
MANAGED_BY_CFB = "cfb"


@dataclass(frozen=True)
class Scope:
    """What an admin may manage, from the role grants read on this request."""

    actor_id: str
    cfb: bool
    orgs: frozenset[str]

    def may_manage(self, org_id: str) -> bool:
        return self.cfb or org_id in self.orgs

    def may_act_on(self, account: Account) -> bool:
        """R_ACC_07: a local admin acts on the accounts of their organisation, except one holding CFB, IT
        operations or an admin role of another organisation; CFB on any."""
        if self.cfb:
            return True
        return self.may_manage(account.org_id) and not role_rules.beyond_local_admin(sessions.grants_of(account),
                                                                                     self.orgs)


def scope_of(principal: Principal) -> Scope:
    local = role_rules.local_admin_orgs(principal.roles) if Access.LOCAL_ADMIN in principal.audiences else frozenset()
    return Scope(principal.subject_id, Access.CFB in principal.audiences, frozenset(local))


# --- accounts --------------------------------------------------------------------------------------


def list_accounts(scope: Scope, query: AccountListQuery) -> dict[str, Any]:
    """One organisation's accounts by name, or those a search finds in it; CFB may search every organisation
    at once (no `org_id`)."""
    q = (query.q or "").strip()
    if query.org_id is None and scope.cfb and q:
        return _everywhere(scope, q, query)
    org_id = _list_org(scope, query.org_id)
    org = accounts.get_organisation(org_id)
    if org is None:
        raise NotFoundError("Organisatie niet gevonden.")
    if q and normalise_email(q):
        return {"org_id": org_id, "accounts": _by_address(scope, q, org), "next_cursor": None}
    if q:
        return _search(scope, query_words(q), query, org)
    page = Account.org_index.query(org_id, limit=query.limit, last_evaluated_key=_decode_cursor(query.cursor, org_id))
    items = [_row(scope, a, org) for a in page]
    return {"org_id": org_id, "accounts": items, "next_cursor": _encode_cursor(org_id, page.last_evaluated_key)}


def _row(scope: Scope, account: Account, org: Organisation | None) -> dict[str, Any]:
    """An account as a list shows it: whole where the admin may act on it, else read-only with who manages it
    (its name, address and department; R_ACC_06, R_ACC_07)."""
    if scope.may_act_on(account):
        return {**accounts.account_view(account, org), "manageable": True, "managed_by": None}
    view = accounts.account_view(account, org)
    return {**{key: view[key] for key in READ_ONLY_FIELDS}, "manageable": False, "managed_by": MANAGED_BY_CFB}


READ_ONLY_FIELDS = ("account_id", "email", "first_name", "last_name", "org_id", "organisation_name", "department_id",
                    "department_name")


def _everywhere(scope: Scope, q: str, query: AccountListQuery) -> dict[str, Any]:
    """CFB: a search over every organisation, by exact address or by name parts (R_ACC_06)."""
    email = normalise_email(q)
    if email:
        found = accounts.find_by_email(email)
        rows = [_row(scope, found, accounts.get_organisation(found.org_id))] if found else []
        return {"org_id": None, "accounts": rows, "next_cursor": None}
    return _search(scope, query_words(q), query, None)


def _search(scope: Scope, words: list[str], query: AccountListQuery, org: Organisation | None) -> dict[str, Any]:
    """Any name part or the start of an address: "Vries", "de vries", "eva", "eva.dev" (R_ACC_06); in one
    organisation, or (`org` None, CFB) in all of them."""
    org_id = org.org_id if org else None
    body: dict[str, Any] = {"org_id": org_id, "accounts": [], "next_cursor": None}
    if not words:  # only punctuation: nothing can match
        return body
    leading = leading_word(words)
    hits = search.find(org_id, words, query.limit, _decode_search_cursor(query.cursor, org_id, leading))
    found = {a.account_id: a for a in Account.batch_get(hits.account_ids, consistent_read=True)} \
        if hits.account_ids else {}
    organisations = {org.org_id: org} if org else _organisations(a.org_id for a in found.values())
    for account_id in dict.fromkeys(hits.account_ids):  # once, even if a key drifted (see search.rebuild)
        account = found.get(account_id)
        if account is not None and search.still_matches(account, org_id, words) and scope.may_manage(account.org_id):
            body["accounts"].append(_row(scope, account, organisations.get(account.org_id)))
    if hits.resume_after:
        resume_org, resume_key = hits.resume_after
        body["next_cursor"] = cursors.encode(SEARCH_CURSOR_PURPOSE, {"o": org_id or EVERYWHERE, "w": leading,
                                                                     "g": resume_org, "k": resume_key})
    return body


def _organisations(org_ids: Any) -> dict[str, Organisation]:
    wanted = sorted(set(org_ids))
    return {org.org_id: org for org in Organisation.batch_get(wanted)} if wanted else {}


def _list_org(scope: Scope, requested: str | None) -> str:
    if requested is not None:
        if not scope.may_manage(requested):
            raise NotFoundError("Organisatie niet gevonden.")
        return requested
    if not scope.cfb and len(scope.orgs) == 1:
        return next(iter(scope.orgs))
    raise InvalidInputError(fields={"org_id": "Kies een organisatie, of zoek op naam of e-mailadres in alle "
                                              "organisaties." if scope.cfb else "Kies een organisatie."})


def _by_address(scope: Scope, raw: str, org: Organisation) -> list[dict[str, Any]]:
    email = normalise_email(raw)
    account = accounts.find_by_email(email) if email else None
    return [_row(scope, account, org)] if account and account.org_id == org.org_id else []


CURSOR_PURPOSE = "admin-accounts"
SEARCH_CURSOR_PURPOSE = "admin-account-search"
EVERYWHERE = "*"  # the organisation of a search cursor over every organisation (never an org id: ids have no *)


def _encode_cursor(org_id: str, key: dict[str, Any] | None) -> str | None:
    """A signed position in one organisation's account index (chalicelib.platform.cursors)."""
    if not key:
        return None
    return cursors.encode(CURSOR_PURPOSE, {"o": org_id, "n": key["sort_name"]["S"], "a": key["account_id"]["S"]})


def _decode_cursor(cursor: str | None, org_id: str) -> dict[str, Any] | None:
    """A tampered cursor, or one issued for another organisation, is a 400 naming `cursor`."""
    if not cursor:
        return None
    return cursors.decode(CURSOR_PURPOSE, cursor, lambda data: _position(data, org_id))


def _position(data: dict[str, Any], org_id: str) -> dict[str, Any]:
    if data["o"] != org_id or not isinstance(data["n"], str) or not isinstance(data["a"], str):
        raise ValueError("cursor of another organisation")
    return {"account_id": {"S": data["a"]}, "org_id": {"S": org_id}, "sort_name": {"S": data["n"]}}


def _decode_search_cursor(cursor: str | None, org_id: str | None, leading: str) -> tuple[str, str] | None:
    """A search cursor holds the organisation (or every one) and the word it read by: used with another, it is
    a 400. Its position is the last key read: its organisation and search key."""
    if not cursor:
        return None

    def position(data: dict[str, Any]) -> tuple[str, str]:
        key, key_org = data["k"], data.get("g")
        if data["o"] != (org_id or EVERYWHERE) or data["w"] != leading or not isinstance(key, str) \
                or not key.startswith(leading) or not isinstance(key_org, str) or (org_id and key_org != org_id):
            raise ValueError("cursor of another search")
        return key_org, key

    return cursors.decode(SEARCH_CURSOR_PURPOSE, cursor, position)


def account_for(scope: Scope, account_id: str) -> Account:
    account = accounts.get_account(account_id)
    if account is None or not scope.may_act_on(account):  # existence is not revealed (R_ACC_06, R_ACC_07)
        raise NotFoundError(ACCOUNT_NOT_FOUND)
    return account


def view_account(scope: Scope, account_id: str) -> dict[str, Any]:
    account = account_for(scope, account_id)
    view = accounts.account_view(account, accounts.get_organisation(account.org_id))
    view["pending_email"] = account.pending_email  # an admin's change waits for this address's link
    return view


def update_account(scope: Scope, account_id: str, patch: AdminAccountPatch) -> dict[str, Any]:
    """Name, department and (CFB) organisation change at once; a new e-mail address only when the new
    address confirms it through its link, after the old address was told (R_ACC_03, R_ACC_07)."""
    account = account_for(scope, account_id)
    changed = set(patch.model_fields_set)
    if "org_id" in changed and patch.org_id != account.org_id and not scope.cfb:
        raise NotAllowedError("Alleen Centraal Functioneel Beheer verplaatst een account naar een andere organisatie.")
    org = accounts.require_organisation(patch.org_id or account.org_id)
    if org.org_id != account.org_id:
        _check_no_organisation_roles(account)
    email = patch.email or account.email
    accounts.check_domain(email, org)
    email_changes = email != account.email
    if email_changes:
        accounts.ensure_unique_email(email, account.account_id)
    move = _move_waiting_for_address(account, patch, org, email_changes)
    actions = _account_actions(account, patch, org if move is None else None)
    if email_changes:
        accounts.request_email_change(account, email, org, admin_ref=scope.actor_id, move=move)
    if actions:
        accounts.change_account(account, actions, first_name=patch.first_name, last_name=patch.last_name,
                                org_id=org.org_id if move is None else None)
    eventlog.record(eventlog.EventKind.ACCOUNT_CHANGED, account_ref=account.account_id, actor_ref=scope.actor_id,
                    changed=",".join(sorted(changed)))
    return view_account(scope, account_id)


def _check_no_organisation_roles(account: Account) -> None:
    """R_ACC_07, R_ORD_02: a role tied to an organisation holds only within the account's own, so an account
    that has one moves only after CFB revoked it (else the old organisation would keep it as a local admin or
    as order-authorised staff, and the role would open nothing)."""
    held = [g for g in sessions.grants_of(account) if g.role in role_rules.ORG_ROLES]
    if held:
        raise UnprocessableError(
            "Dit account heeft een rol van zijn organisatie. Trek die eerst in; daarna kunt u het verplaatsen.",
            code="organisation_roles", fields={"org_id": "Trek eerst de rollen van de huidige organisatie in."})


def _move_waiting_for_address(account: Account, patch: AdminAccountPatch, org: Organisation,
                              email_changes: bool) -> accounts.Move | None:
    """R_ACC_02, R_ACC_07: a move to an organisation the current address does not belong to comes with a
    new address, and waits with it for that address's link; until then nothing of the two changes."""
    if org.org_id == account.org_id or not email_changes or domain_allowed(account.email, org.domains or []):
        return None
    department = patch.department_id if "department_id" in patch.model_fields_set else None
    accounts.check_department(department, org)
    return accounts.Move(org.org_id, department)


def _account_actions(account: Account, patch: AdminAccountPatch, org: Organisation | None) -> list[Any]:
    """Name, department and organisation as they change now; `org` None: the move waits (then only the name)."""
    actions = accounts.name_actions(account, patch.first_name, patch.last_name)
    if org is None:
        return actions
    department = patch.department_id if "department_id" in patch.model_fields_set else account.department_id
    if org.org_id != account.org_id:
        actions.append(Account.org_id.set(org.org_id))
        if "department_id" not in patch.model_fields_set:
            department = None
    accounts.check_department(department, org)
    if department != account.department_id:
        actions.append(Account.department_id.set(department) if department else Account.department_id.remove())
    return actions


def set_status(scope: Scope, account_id: str, active: bool) -> dict[str, Any]:
    account = account_for(scope, account_id)
    account.update(actions=[Account.status.set("active" if active else "disabled")])
    ended = 0 if active else sessions.end_all(account.account_id)
    eventlog.record(eventlog.EventKind.ACCOUNT_DISABLED if not active else eventlog.EventKind.ACCOUNT_CHANGED,
                    account_ref=account.account_id, actor_ref=scope.actor_id, status=account.status, count=ended)
    return view_account(scope, account_id)


def end_sessions(scope: Scope, account_id: str) -> dict[str, Any]:
    account = account_for(scope, account_id)
    ended = sessions.end_all(account.account_id)
    eventlog.record(eventlog.EventKind.SESSIONS_ENDED, account_ref=account.account_id, actor_ref=scope.actor_id,
                    count=ended)
    return {"ended": ended}


def reset_totp(scope: Scope, account_id: str) -> dict[str, Any]:
    account = account_for(scope, account_id)
    totp_use.reset(account)
    eventlog.record(eventlog.EventKind.TOTP_RESET, account_ref=account.account_id, actor_ref=scope.actor_id)
    return {"reset": True, "message": "De tweede factor is verwijderd. Bij de volgende inlog stelt de gebruiker "
                                      "een nieuwe in."}


# --- roles -----------------------------------------------------------------------------------------


def set_roles(scope: Scope, account_id: str, body: RolesRequest) -> dict[str, Any]:
    """Replace the account's role grants; the organisations' local-admin lists follow in one transaction."""
    account = account_for(scope, account_id)
    before = sessions.grants_of(account)
    after = role_rules.dedupe(role_rules.Grant(g.role, g.org_id, g.department_id) for g in body.roles)
    _validate_grants(after, account.org_id)
    if not scope.cfb:
        _check_local_admin_change(scope, account, before, after)
    lost = role_rules.local_admin_orgs(before) - role_rules.local_admin_orgs(after)
    gained = role_rules.local_admin_orgs(after) - role_rules.local_admin_orgs(before)
    staff_before = role_rules.order_staff_entries(before, account_id)
    staff_after = role_rules.order_staff_entries(after, account_id)
    staff_lost, staff_gained = staff_before - staff_after, staff_after - staff_before
    org_actions: dict[str, list[Any]] = {}  # one update per organisation: a transaction holds no item twice
    for org_id in sorted(gained):
        org_actions.setdefault(org_id, []).append(Organisation.local_admin_ids.add({account_id}))
    for org_id in sorted(lost):
        org_actions.setdefault(org_id, []).append(Organisation.local_admin_ids.delete({account_id}))
    # R_ORD_01 routing: which departments have their own order-authorised staff (an attribute takes
    # one action per update, so a set that both gains and loses entries is written whole)
    for org_id, (add, remove) in role_rules.by_org(staff_gained, staff_lost).items():
        org_actions.setdefault(org_id, []).append(_order_staff_action(org_id, add, remove))
    try:
        with sessions.write_transaction() as transaction:
            grants = [role_grant(g.role, g.org_id, g.department_id) for g in after]
            transaction.update(account, actions=[Account.roles.set(grants)], condition=_roles_as_read(account))
            for org_id, actions in sorted(org_actions.items()):
                transaction.update(Organisation(org_id), actions=actions, condition=Organisation.org_id.exists())
    except TransactWriteError as err:
        if "ConditionalCheckFailed" in faults.reasons(err) or faults.condition_failed(err):
            raise faults.busy() from None  # another admin changed the roles meanwhile: nothing is written
        raise
    _log_role_changes(account_id, scope.actor_id, before, after)
    if set(before) != set(after):
        _end_sessions_after_role_change(account_id, scope.actor_id)
    return view_account(scope, account_id)


def _roles_as_read(account: Account) -> Any:
    """The account's roles as this request read them and checked them (a local admin's change is judged on
    them): a change of another admin in between refuses the write instead of being overwritten."""
    as_read = Account.roles == list(account.roles or [])
    return as_read if account.roles else (Account.roles.does_not_exist() | as_read)


def _end_sessions_after_role_change(account_id: str, actor_id: str) -> None:
    """R_ACC_11: a session raised to the second factor under the old roles never carries into the new ones
    (a revoke and a later grant would otherwise reopen them without a new TOTP): the holder logs in again."""
    ended = sessions.end_all(account_id)
    eventlog.record(eventlog.EventKind.SESSIONS_ENDED, account_ref=account_id, actor_ref=actor_id, count=ended)


def _check_local_admin_change(scope: Scope, account: Account, before: list[role_rules.Grant],
                              after: list[role_rules.Grant]) -> None:
    """R_ACC_07: a local admin grants and revokes the order-authorised role within the account's organisation
    (or a department of it), never another role, and never their own roles."""
    if account.account_id == scope.actor_id:
        raise NotAllowedError("U kunt uw eigen rollen niet wijzigen. Vraag dit aan een andere beheerder van uw "
                              "organisatie of aan Centraal Functioneel Beheer.", code="own_roles",
                              fields={"roles": "Uw eigen rollen wijzigt een andere beheerder."})
    granted, revoked = role_rules.changed_grants(before, after)
    fields = {f"roles.{after.index(g)}": CFB_GRANTS for g in granted
              if not role_rules.local_admin_may_change(g, account.org_id)}
    if any(not role_rules.local_admin_may_change(g, account.org_id) for g in revoked):
        fields["roles"] = CFB_GRANTS
    if fields:
        raise NotAllowedError("Als lokaal beheerder kent u alleen de rol bestelgemachtigde toe of trekt u die in. "
                              "Andere rollen kent Centraal Functioneel Beheer toe.", code="role_not_allowed",
                              fields=fields)


CFB_GRANTS = "Deze rol kent alleen Centraal Functioneel Beheer toe of trekt die in."


def _order_staff_action(org_id: str, add: set[str], remove: set[str]) -> Any:
    if not remove:
        return Organisation.order_staff.add(add)
    if not add:
        return Organisation.order_staff.delete(remove)
    org = accounts.get_organisation(org_id)
    current = set(org.order_staff or ()) if org is not None else set()
    return Organisation.order_staff.set((current - remove) | add)


def _validate_grants(grants: list[role_rules.Grant], own_org_id: str) -> None:
    departments_of: dict[str, list[str]] = {}
    for org_id in {g.org_id for g in grants if g.org_id}:
        org = accounts.get_organisation(org_id)
        if org is not None:
            departments_of[org_id] = accounts.department_ids(org)
    errors = {f"roles.{i}": message for i, g in enumerate(grants)
              if (message := role_rules.grant_error(g, departments_of, own_org_id))}
    if errors:
        raise InvalidInputError(fields=errors)


def _log_role_changes(account_id: str, actor_id: str, before: list[role_rules.Grant],
                      after: list[role_rules.Grant]) -> None:
    for grant in after:
        if grant not in before:
            eventlog.record(eventlog.EventKind.ROLE_CHANGED, account_ref=account_id, actor_ref=actor_id,
                            role=grant.role, org_id=grant.org_id, department_id=grant.department_id, outcome="granted")
    for grant in before:
        if grant not in after:
            eventlog.record(eventlog.EventKind.ROLE_CHANGED, account_ref=account_id, actor_ref=actor_id,
                            role=grant.role, org_id=grant.org_id, department_id=grant.department_id, outcome="removed")
