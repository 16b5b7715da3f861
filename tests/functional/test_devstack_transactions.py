"""R_SEC_05: the local stack's moto cancels a transaction as DynamoDB does, leaving every item as it was,
while it keeps copies of the touched items only (devstack/serialise.py), not of whole tables: a transaction
costs the same however full the tables are."""

from __future__ import annotations

import pytest
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.models import Counter, Execution
from chalicelib.platform import clock
from chalicelib.platform.config import settings


@pytest.fixture
def no_table_copies(monkeypatch):
    from moto.dynamodb.models.table import Table

    def refuse(self, memo):
        raise AssertionError("a whole table was copied")

    monkeypatch.setattr(Table, "__deepcopy__", refuse, raising=False)


def _execution(seats_taken: int) -> Execution:
    run = Execution("c1", "r1", supplier_id="sup-a", start_day="2027-05-01", end_day="2027-05-01", seats=2,
                    seats_taken=seats_taken)
    run.save()
    return run


def test_R_SEC_05_a_cancelled_transaction_leaves_every_item_as_it_was(aws, dynamodb_lock, no_table_copies):
    Counter("seq", value=1).save()
    run = _execution(seats_taken=2)  # full: the seat's condition fails, last in the transaction
    with pytest.raises(TransactWriteError), TransactWrite(connection=Connection(region=settings.region)) as tx:
        tx.update(Counter("seq"), actions=[Counter.value.add(10)])
        tx.save(Counter("new", value=5, extra={"at": clock.now().isoformat()}))
        tx.update(run, actions=[Execution.seats_taken.add(1)], condition=Execution.seats_taken < Execution.seats)
    assert Counter.get("seq").value == 1
    assert Counter.count("new") == 0
    assert Execution.get("c1", "r1").seats_taken == 2


def test_R_SEC_05_a_committed_transaction_writes_every_item(aws, dynamodb_lock, no_table_copies):
    Counter("seq", value=1).save()
    run = _execution(seats_taken=1)
    with TransactWrite(connection=Connection(region=settings.region)) as tx:
        tx.update(Counter("seq"), actions=[Counter.value.add(10)])
        tx.save(Counter("new", value=5))
        tx.update(run, actions=[Execution.seats_taken.add(1)], condition=Execution.seats_taken < Execution.seats)
    assert Counter.get("seq").value == 11 and Counter.get("new").value == 5
    assert Execution.get("c1", "r1").seats_taken == 2
