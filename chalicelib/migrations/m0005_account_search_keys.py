"""0005: every account has its search keys (R_ACC_06, issue 16): admins find accounts by a key-prefix
Query on `account-search`. Accounts created before had none, so no search found them.

The keys are written in one transaction with a check that the account's name, address and organisation
are still as read (the fields the keys derive from), each key only where none is stored, as the account
use cases move them; an account changed meanwhile is looked at again by the next pass."""

from __future__ import annotations

from pynamodb.transactions import TransactWrite

from chalicelib.accounts import search
from chalicelib.migrations.step import CannotMigrateError, Migration
from chalicelib.models import Account, AccountSearchKey
from chalicelib.platform import transactions


def _pending(account: Account) -> bool:
    return next(iter(AccountSearchKey.account_index.query(account.account_id, limit=1)), None) is None


def _migrate(account: Account) -> None:
    keys = search.keys_for(account.account_id, search.Indexed.of(account))
    if not keys:
        raise CannotMigrateError("no search terms")
    unchanged = ((Account.first_name == account.first_name) & (Account.last_name == account.last_name)
                 & (Account.email == account.email) & (Account.org_id == account.org_id))
    with TransactWrite(connection=transactions.connection()) as transaction:
        transaction.condition_check(Account, account.account_id, condition=unchanged)
        for key in keys.values():
            transaction.save(key, condition=AccountSearchKey.search_key.does_not_exist())


MIGRATION = Migration("0005-account-search-keys", Account,
                      "accounts krijgen hun zoeksleutels, zodat beheerders ze vinden (R_ACC_06)",
                      _pending, _migrate)
