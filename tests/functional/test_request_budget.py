"""What a whole request costs (issue 10 item 8; R_SEC_03 makes the outbox part of every request):
every DynamoDB call of one warm request per route, session, event log, outbox and ledger included,
through the real routes, within the budget `make bench` reports."""

from __future__ import annotations

from bench.route_calls import BUDGET, measure


def test_R_SEC_03_whole_request_dynamodb_calls_stay_within_budget(client):
    """R_SEC_03, and R_WAIT_02: moving up costs the cancellation at most four calls more."""
    measured = measure(client)
    assert set(measured) == set(BUDGET)
    over = {name: (figures["db"], BUDGET[name], figures["operations"]) for name, figures in measured.items()
            if figures["db"] > BUDGET[name]}
    assert over == {}
    assert measured["enrol"]["db"] <= 8 and measured["search"]["db"] <= 3  # the aims of issue 10
    # issue 23 item 3 and issue 24: a plain cancellation, the manager's decision, and a cancellation that moves
    # the first waiting person up in the same transaction (R_WAIT_02)
    assert measured["cancel"]["db"] <= 6 and measured["approval_post"]["db"] <= 5
    assert measured["cancel_with_waiting"]["db"] <= 10
    assert measured["enrol"]["ses"] == 2  # the holder's and the supplier's mail, one attempt each
