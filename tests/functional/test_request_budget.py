"""What a whole request costs (issue 10 item 8, issue 23 item 3; R_SEC_03 makes the outbox part of every
request): every DynamoDB call of one warm request per route, session, event log, outbox and ledger included,
through the real routes, within the budget `make bench` reports. Every route of the app has a measured request:
one added without a scenario in bench/route_walk.py fails here, by name."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from chalice.test import Client

from app import app
from bench import route_walk
from bench.route_calls import BUDGET, measure
from chalicelib.platform import cache
from tests.conftest import ROOT
from tests.functional.conftest import empty_world


@pytest.fixture(scope="module")
def measured(_aws_session: None) -> Iterator[dict[str, dict[str, Any]]]:
    """One measurement of every route for the tests of this module (it takes a while), on a machine as slow
    as a busy CI runner can be: 31 seconds pass between any two looks at the per-container caches' clock,
    longer than an organisation or supplier stays cached. A warm request must still find them warm
    (`cache.held`), or the counts below would depend on the machine's load."""
    empty_world()
    ticks = itertools.count(0, 31)
    with pytest.MonkeyPatch.context() as patch, Client(app, project_dir=str(ROOT), stage_name="local") as client:
        patch.setattr(cache.time, "monotonic", lambda: float(next(ticks)))
        yield measure(client)


def test_R_SEC_03_whole_request_dynamodb_calls_stay_within_budget(measured):
    """R_SEC_03, and R_WAIT_02: moving up costs the cancellation at most four calls more."""
    budgets = BUDGET | route_walk.BUDGET
    assert set(measured) == set(budgets) | set(route_walk.REPORTED_ONLY)
    over = {name: (figures["db"], budgets[name], figures["operations"]) for name, figures in measured.items()
            if name in budgets and figures["db"] > budgets[name]}
    assert over == {}
    assert measured["enrol"]["db"] <= 8 and measured["search"]["db"] <= 3  # the aims of issue 10
    # issue 23 item 3 and issue 24: a plain cancellation, the manager's decision, and a cancellation that moves
    # the first waiting person up in the same transaction (R_WAIT_02)
    assert measured["cancel"]["db"] <= 6 and measured["approval_post"]["db"] <= 5
    assert measured["cancel_with_waiting"]["db"] <= 10
    assert measured["enrol"]["ses"] == 2  # the holder's and the supplier's mail, one attempt each


def test_R_SEC_03_every_route_of_the_app_has_a_measured_warm_request(measured):
    """Issue 23 item 3: each route appears in `make bench` as `<scenario>_total_db_calls`. The walk compares the
    routes the scenarios reached with the app's route table, so a new route without a scenario is named here."""
    missing = route_walk.unmeasured(app, measured)
    assert missing == [], f"routes without a measured request in bench/route_walk.py: {missing}"
    with_a_new_route = SimpleNamespace(routes={**app.routes, "/new/{thing}": {"POST": None}})
    assert route_walk.unmeasured(with_a_new_route, measured) == ["POST /new/{thing}"]


def test_R_ACC_09_R_PRV_01_the_export_and_the_feed_page_read_and_write_by_key_in_batches(measured):
    """Issue 23 item 3: the holder's export reads through the register's lookups, one Query per index and value
    and one BatchGetItem for everything read by key, no GetItem per item (15 calls before, 12 then; CFB's export
    24 before, 19 then). The waiting places (R_WAIT_05) add one Query of `account-index` to the export (13) and
    CFB's, which also asks `holder-email-index` by the address, two (21). A feed page writes its ledger rows, each
    on condition that it does not exist, with its log entry in one TransactWriteItems, not a PutItem each (8
    before, 6 with batches, 5 with the Query of the waiting counts in its header, R_WAIT_04). Its log entry takes
    its number from the log's counter as the page's BatchGetItem read it, and the counter's advance rides in the
    same transaction: no UpdateItem of its own (4). Since the session token names its account, the session and
    the account come in one BatchGetItem, not a GetItem each: export 12, CFB's 20. Since each ledger row names its
    enrolment's account, the ledger is one Query of its `account-index` however many enrolments there are, not one
    per enrolment: CFB's 19 for an address with two (tests/functional/test_disclosure_account.py)."""
    export, feed = measured["export"]["operations"], measured["feed_page"]["operations"]
    assert measured["export"]["db"] <= 12 and measured["admin_export"]["db"] <= 19, measured["admin_export"]
    assert export[0] == "BatchGetItem ", export  # the session with its account
    assert not [o for o in export if o.startswith("GetItem")] and export.count("BatchGetItem ") == 2, export
    assert measured["feed_page"]["db"] <= 4 and feed.count("TransactWriteItems ") == 1, feed
    assert not [o for o in feed if o.startswith(("GetItem", "PutItem", "UpdateItem"))], feed


def test_R_SEC_03_a_warm_request_makes_no_new_aws_client(measured):
    """A botocore client loads its service model when it is made, tens of milliseconds of CPU on Lambda: every
    transaction shares one (`platform.transactions.connection`), as the models share theirs. Before, each
    transaction made its own: a warm enrolment made three, a cancellation two."""
    made = {name: figures["clients"] for name, figures in measured.items() if figures["clients"]}
    assert made == {}
