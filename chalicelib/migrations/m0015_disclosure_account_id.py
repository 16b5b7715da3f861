"""0015: every ledger row of an enrolment that has an account carries that `account_id`, the key of the ledger's
sparse `account-index`, through which the holder's export reads the rows of all its enrolments in one Query
(R_ACC_09, R_PRV_01, issue 23). Rows written before had none, so the export did not show them.

A row is pending while it lacks the id and its enrolment names an account. The rows of an LMS or detached
enrolment, of an anonymised one (anonymising removed its account) or of one that is gone have nothing to get and
are reached as they are. The id is written in one transaction with a check that the enrolment still names that
account, so a row never gets the id of an account deleted meanwhile (the deletion detaches the enrolment first)."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from chalicelib.migrations.step import Migration
from chalicelib.models import Disclosure, Enrolment
from chalicelib.platform import transactions


def _account_of(row: Disclosure) -> str | None:
    """The account the row's enrolment names now; None when it names none or is gone."""
    try:
        enrolment = Enrolment.get(row.enrolment_id, consistent_read=True, attributes_to_get=["account_id"])
    except DoesNotExist:
        return None
    return enrolment.account_id


def _pending(row: Disclosure) -> bool:
    return row.account_id is None and _account_of(row) is not None


def _migrate(row: Disclosure) -> None:
    account_id = _account_of(row)
    if account_id is None:
        return  # detached meanwhile: nothing to give; the next pass finds the row reached
    with TransactWrite(connection=transactions.connection()) as transaction:
        transaction.condition_check(Enrolment, row.enrolment_id, condition=Enrolment.account_id == account_id)
        transaction.update(row, actions=[Disclosure.account_id.set(account_id)],
                           condition=Disclosure.enrolment_id.exists() & Disclosure.account_id.does_not_exist())


MIGRATION = Migration("0015-disclosure-account-id", Disclosure,
                      "vermeldingen van doorgegeven inschrijfgegevens krijgen het account van hun inschrijving, zodat "
                      "de inzage ze in één keer vindt (R_ACC_09)", _pending, _migrate)
