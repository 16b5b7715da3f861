"""0006: every order-authorised grant is listed in its organisation's `order_staff` (issue 11), from which the
order-list job learns which departments have their own staff (R_ORD_01). Grants given before (the role
existed before the order lists) have no entry, so their department's lines went to the organisation.

An account is pending when an entry of its grants is missing from its organisation; the entries are added
in one transaction with a check that the account's roles are still as read (the role administration
writes roles and entries in one transaction too)."""

from __future__ import annotations

from collections import defaultdict

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from chalicelib.accounts import roles, sessions
from chalicelib.migrations.step import Migration
from chalicelib.models import Account, Organisation
from chalicelib.platform import transactions


def _missing(account: Account) -> dict[str, set[str]]:
    """Per organisation, the entries of the account's grants its `order_staff` lacks."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for org_id, entry in roles.order_staff_entries(sessions.grants_of(account), account.account_id):
        wanted[org_id].add(entry)
    missing = {}
    for org_id, entries in wanted.items():
        try:
            listed = set(Organisation.get(org_id, consistent_read=True).order_staff or ())
        except DoesNotExist:
            continue  # a grant on an organisation that is gone routes nothing
        if entries - listed:
            missing[org_id] = entries - listed
    return missing


def _migrate(account: Account) -> None:
    with TransactWrite(connection=transactions.connection()) as transaction:
        transaction.condition_check(Account, account.account_id, condition=Account.roles == account.roles)
        for org_id, entries in sorted(_missing(account).items()):
            transaction.update(Organisation(org_id), actions=[Organisation.order_staff.add(entries)],
                               condition=Organisation.org_id.exists())


MIGRATION = Migration("0006-organisation-order-staff", Account,
                      "organisaties krijgen hun bestelgemachtigden per afdeling in order_staff (R_ORD_01)",
                      lambda account: bool(_missing(account)), _migrate)
