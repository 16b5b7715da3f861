"""Account search for admins by any name part or the start of an address (R_ACC_06), without a Scan.

Every account has one `AccountSearchKey` per search term (`rules.search_terms`) in its organisation's
partition, keyed "term, sort name, account id". A search reads the keys that start with its longest
word, in index order, and lists an account once, at its first matching term (`rules.shown_at`). CFB
searches every organisation at once through the `term-index`: the same keys, partitioned by the first
character of their term (`initial`), so one Query reads them whatever the number of organisations, and
the load spreads over some 36 partitions instead of one.

The keys never drift from the account: creating an account, changing its name, address or
organisation writes the account and moves its keys in one transaction, conditional on the fields
the old keys were derived from. Deleting an account deletes its keys (the privacy register lists
them, found through their account index). `rebuild` restores every key from the accounts, for a
restored backup or a change of the term rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.accounts import rules
from chalicelib.models import Account, AccountSearchKey
from chalicelib.platform import faults, transactions

SEPARATOR = "\x1f"  # below every character a folded name or address can hold: "vries" sorts before "vriesema"
MAX_SORT_NAME = 200
PAGE_SIZE = 100
READ_BUDGET = 500  # keys read per request at most; a rarer match continues on the next page


@dataclass(frozen=True)
class Indexed:
    """The account fields the search keys derive from."""

    first_name: str
    last_name: str
    email: str
    org_id: str

    @classmethod
    def of(cls, account: Account) -> Indexed:
        return cls(account.first_name, account.last_name, account.email, account.org_id)


@dataclass(frozen=True)
class Hits:
    account_ids: list[str]
    resume_after: tuple[str, str] | None  # (org id, search key) to continue after; None when nothing is left


def keys_for(account_id: str, fields: Indexed) -> dict[tuple[str, str], AccountSearchKey]:
    terms = rules.search_terms(fields.first_name, fields.last_name, fields.email)
    name = rules.sort_name(fields.first_name, fields.last_name, fields.email)[:MAX_SORT_NAME]
    joined = " ".join(terms)
    keys = [AccountSearchKey(fields.org_id, SEPARATOR.join((term, name, account_id)), account_id=account_id,
                             terms=joined, initial=initial_of(term)) for term in terms]
    return {(key.org_id, key.search_key): key for key in keys}


def initial_of(word: str) -> str:
    """The term-index partition of a term, and of the query words that start it."""
    return word[:1]


def term_of(key: AccountSearchKey) -> str:
    return key.search_key.split(SEPARATOR, 1)[0]


def create(account: Account) -> None:
    """Save a new account with its search keys, all or nothing."""
    with TransactWrite(connection=transactions.connection()) as transaction:
        transaction.save(account, condition=Account.account_id.does_not_exist())
        for key in keys_for(account.account_id, Indexed.of(account)).values():
            transaction.save(key)


def update(account: Account, actions: list[Any], condition: Any, after: Indexed) -> bool:
    """Apply `actions` to the account and move its search keys to `after` in one transaction.
    False when `condition` no longer holds or another change of the indexed fields came first;
    the account object is up to date afterwards, as with `Model.update`."""
    before = Indexed.of(account)
    old, new = keys_for(account.account_id, before), keys_for(account.account_id, after)
    changed = [key for place, key in new.items() if place not in old or old[place].terms != key.terms]
    if not changed and old.keys() == new.keys():
        try:
            account.update(actions=actions, condition=condition)
        except UpdateError as err:
            faults.only_condition(err)
            return False
        return True
    unchanged = ((Account.first_name == before.first_name) & (Account.last_name == before.last_name)
                 & (Account.email == before.email) & (Account.org_id == before.org_id))
    try:
        with TransactWrite(connection=transactions.connection()) as transaction:
            transaction.update(account, actions=actions, condition=condition & unchanged)
            for place in old.keys() - new.keys():
                transaction.delete(old[place])
            for key in changed:
                transaction.save(key)
    except TransactWriteError as err:
        if faults.condition_failed(err) or "ConditionalCheckFailed" in faults.reasons(err):  # only the account
            # update carries a condition (PynamoDB sends it last)
            return False
        raise
    account.refresh(consistent_read=True)
    return True


def find(org_id: str | None, words: list[str], limit: int, after: tuple[str, str] | None) -> Hits:
    """Accounts of one organisation (`org_id` None: of every organisation) whose terms all `words` start, in
    index order (term, then name); `after` is the (org id, search key) a previous page ended at."""
    leading = rules.leading_word(words)
    start = {"org_id": {"S": after[0]}, "search_key": {"S": after[1]}} if after else None
    if org_id is None:
        results = AccountSearchKey.term_index.query(
            initial_of(leading), AccountSearchKey.search_key.startswith(leading), page_size=PAGE_SIZE,
            last_evaluated_key={**start, "initial": {"S": initial_of(leading)}} if start else None)
    else:
        results = AccountSearchKey.query(org_id, AccountSearchKey.search_key.startswith(leading), page_size=PAGE_SIZE,
                                         last_evaluated_key=start)
    found: list[str] = []
    keys: Iterator[tuple[int, AccountSearchKey]] = enumerate(results, start=1)
    for read, key in keys:
        if _shown(key, words):
            found.append(key.account_id)
        if len(found) == limit:
            # a next page only when another account follows: the keys after this one may all be further
            # terms of accounts already shown, and "Volgende pagina" must never open an empty page
            more = any(_shown(later, words) or later_read >= READ_BUDGET for later_read, later in keys)
            return Hits(found, (key.org_id, key.search_key) if more else None)
        if read >= READ_BUDGET:
            return Hits(found, (key.org_id, key.search_key))
    return Hits(found, None)


def _shown(key: AccountSearchKey, words: list[str]) -> bool:
    return rules.shown_at(term_of(key), key.terms.split(" "), words)


def still_matches(account: Account, org_id: str | None, words: list[str]) -> bool:
    """A hit checked against the account as it is now (a key read a moment before a change); `org_id` None:
    in any organisation."""
    return org_id in (None, account.org_id) and rules.matches(words, rules.search_terms(
        account.first_name, account.last_name, account.email))


def rebuild(org_id: str) -> int:
    """Write the search keys of every account of one organisation and delete keys that no longer fit;
    idempotent. Returns how many accounts were indexed."""
    count = 0
    for account in Account.org_index.query(org_id):
        reindex(account)
        count += 1
    return count


def reindex(account: Account) -> None:
    wanted = keys_for(account.account_id, Indexed.of(account))
    for stale in AccountSearchKey.account_index.query(account.account_id):
        if (stale.org_id, stale.search_key) not in wanted:
            AccountSearchKey(stale.org_id, stale.search_key).delete()
    for key in wanted.values():
        key.save()
