"""0007: every account-search key carries `initial` (the first character of its term), the partition key of
`term-index`, through which CFB searches every organisation at once (R_ACC_06, issue 28). Keys written
before had none, so CFB's search across organisations did not find them."""

from __future__ import annotations

from chalicelib.accounts import search
from chalicelib.migrations.step import CannotMigrateError, Migration, set_once
from chalicelib.models import AccountSearchKey


def _pending(key: AccountSearchKey) -> bool:
    return key.initial is None


def _migrate(key: AccountSearchKey) -> None:
    term = search.term_of(key)
    if not term:
        raise CannotMigrateError("no term in the search key")
    set_once(key, AccountSearchKey.initial, search.initial_of(term), AccountSearchKey.terms)


MIGRATION = Migration("0007-account-search-key-initial", AccountSearchKey,
                      "zoeksleutels van accounts krijgen hun beginletter, zodat CFB in alle organisaties zoekt "
                      "(R_ACC_06)", _pending, _migrate)
