"""R_OPS_05: the cost model's DynamoDB units come from item sizes by DynamoDB's billing rules (bench/capacity.py),
not from call counts or moto's constant ConsumedCapacity: per 4 KB read (half when eventually consistent,
double in a transaction), per 1 KB written, the larger of before and after, index entries written too."""

from __future__ import annotations

import boto3
import pytest

from bench.capacity import Meter

TABLE = "leerrijk-local-capacity-probe"


@pytest.fixture
def table(aws):
    client = boto3.client("dynamodb", region_name="eu-west-1")
    if TABLE not in client.list_tables()["TableNames"]:
        client.create_table(
            TableName=TABLE, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"},
                                  {"AttributeName": "due", "AttributeType": "S"}],
            GlobalSecondaryIndexes=[{"IndexName": "due-index", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                     "KeySchema": [{"AttributeName": "due", "KeyType": "HASH"}]}])
    return client


def _units(work) -> tuple[float, float]:
    meter = Meter()
    with meter.installed():
        work()
    return meter.use.read_units, meter.use.write_units


def test_R_OPS_05_units_follow_item_sizes_consistency_transactions_and_index_entries(table):
    big = {"k": {"S": "a"}, "v": {"S": "x" * 5000}}  # about 5 KB: 5 write units, 2 read blocks
    assert _units(lambda: table.put_item(TableName=TABLE, Item=big)) == (0.0, 5.0)
    assert _units(lambda: table.get_item(TableName=TABLE, Key={"k": {"S": "a"}})) == (1.0, 0.0)
    assert _units(lambda: table.get_item(TableName=TABLE, Key={"k": {"S": "a"}}, ConsistentRead=True)) == (2.0, 0.0)
    assert _units(lambda: table.get_item(TableName=TABLE, Key={"k": {"S": "none"}})) == (0.5, 0.0)
    # shrinking the item costs the larger size; adding the index key writes one index entry (keys only: 1 KB)
    assert _units(lambda: table.put_item(TableName=TABLE, Item={"k": {"S": "a"}, "due": {"S": "yes"}})) == (0.0, 6.0)
    # in a transaction every item costs double; the index entry is removed (one more write)
    assert _units(lambda: table.transact_write_items(TransactItems=[{"Update": {
        "TableName": TABLE, "Key": {"k": {"S": "a"}}, "UpdateExpression": "REMOVE due"}}])) == (0.0, 3.0)
    for n in range(3):
        table.put_item(TableName=TABLE, Item={"k": {"S": f"q{n}"}, "v": {"S": "y" * 3000}})
    # a Scan rounds what it read once: about 9 KB plus the small item, eventually consistent
    assert _units(lambda: table.scan(TableName=TABLE)) == (1.5, 0.0)
