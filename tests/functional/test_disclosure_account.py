"""Issue 23 "Running it for years": the ledger (R_PRV_01) names the account of each row's enrolment, so the
holder's export (R_ACC_09) reads the rows of all its enrolments with one Query of the ledger's `account-index`
instead of one Query per enrolment. CFB's export by address still finds the rows of an LMS enrolment (no
account) by its enrolment; account deletion (R_ACC_08) and anonymisation (R_ENR_10) take the account off the rows;
migration 0015 (R_OPS_04) gives rows written before the account they lacked.

Everything goes through the routes (chalice's test client, real sessions), the jobs' handlers and
`python -m tools.migrate run`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import botocore.client

from bench.route_calls import BUDGET, Calls
from chalicelib.models import Disclosure, Enrolment, MigrationRun
from chalicelib.platform import clock
from chalicelib.suppliers import apikeys
from tests.functional import enrolment_fixtures as fx
from tests.functional.privacy_fixtures import noon, run_job
from tests.functional.test_acc_support import call, seed_account, start_session
from tools import migrate

MIGRATION_ID = "0015-disclosure-account-id"
LMS_ADDRESS = "piet@minbzk.nl"


def _courses(client, count: int) -> list[fx.World]:
    """A supplier that takes its enrolments by e-mail: each enrolment's mail writes its supplier row."""
    fx.organisation()
    return [fx.publish(client, program_id=f"P-{n}") for n in range(1, count + 1)]


def _holder(account_id: str, email: str) -> str:
    """An account with a live session; returns the session's cookie token."""
    fx.account(account_id=account_id, email=email)
    return start_session(account_id)


def _enrol(client, token: str, world: fx.World, key: str) -> str:
    response = call(client, "POST", "/enrolments", token, fx.form(world), headers={"Idempotency-Key": key})
    assert response.status_code == 201, response.body
    return str(response.json_body["enrolment_id"])


def _lms_enrol(client, world: fx.World) -> str:
    token = apikeys.create_key("lms", "org-bzk").token
    body = fx.form(world, email=LMS_ADDRESS, first_name="Piet", consent=None, consent_at="2026-11-20T10:00:00Z",
                   consent_version="2026-11", lms_reference="LMS-42")
    response = client.http.post("/lms/enrolments", body=json.dumps(body), headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": "lms-1"})
    assert response.status_code == 201, response.body
    return str(response.json_body["enrolment_id"])


def _rows(*enrolment_ids: str) -> list[Disclosure]:
    return [row for enrolment_id in enrolment_ids for row in Disclosure.query(enrolment_id, consistent_read=True)]


def _keys(rows: list[Disclosure]) -> list[tuple[str, str]]:
    return sorted((row.enrolment_id, row.disclosure_id) for row in rows)


def _exported(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.body
    return sorted((row["context"]["enrolment_id"], row["context"]["disclosure_id"])
                  for row in response.json_body["data"].get("Disclosure", []))


def _indexed(account_id: str) -> list[Disclosure]:
    return list(Disclosure.account_index.query(account_id))


def _cfb() -> str:
    seed_account("acct-cfb", "carmen@minbzk.nl", org_id="org-bzk", roles=[("cfb", None, None)])
    return start_session("acct-cfb", level=2)


def test_R_ACC_09_issue_23_an_export_costs_as_many_dynamodb_calls_for_three_enrolments_as_for_one(
        client, frozen_clock):
    """The ledger is read with one Query of its `account-index` for the whole account: 12 calls for one enrolment
    and for three, within the export's budget (before: one Query per enrolment, 12 and 14), and every row of every
    enrolment is in it."""
    clock.freeze(clock.now())  # no session is touched between the measured requests
    worlds = _courses(client, 3)
    one = _holder("acct-een", "een@minbzk.nl")
    three = _holder("acct-drie", "drie@minbzk.nl")
    enrolled = {"acct-een": [_enrol(client, one, worlds[0], "een-1")],
                "acct-drie": [_enrol(client, three, world, f"drie-{n}") for n, world in enumerate(worlds)]}
    for enrolment_ids in enrolled.values():
        rows = _rows(*enrolment_ids)
        assert len(rows) == len(enrolment_ids) and {row.recipient_kind for row in rows} == {"supplier"}

    calls = Calls()
    measured = {}
    for account_id, token in (("acct-een", one), ("acct-drie", three)):
        call(client, "GET", "/me/export", token)  # warm: the container's caches
        db, _, operations, response = calls.measure(lambda token=token: call(client, "GET", "/me/export", token))
        assert _exported(response) == _keys(_rows(*enrolled[account_id]))
        measured[account_id] = (db, operations)
    (db_one, operations_one), (db_three, operations_three) = measured["acct-een"], measured["acct-drie"]
    assert db_one == db_three <= BUDGET["export"], measured
    assert operations_one.count("Query disclosures") == operations_three.count("Query disclosures") == 1


def test_R_ACC_09_R_PRV_01_cfb_finds_the_rows_of_an_lms_enrolment_by_its_address(client):
    """An LMS enrolment belongs to no account: its rows carry none and CFB's export by address finds them by
    their enrolment, beside the rows of the address's own account, which the index finds."""
    worlds = _courses(client, 2)
    lms = _lms_enrol(client, worlds[0])
    own = _enrol(client, _holder("acct-piet", LMS_ADDRESS), worlds[1], "piet-1")
    assert [row.account_id for row in _rows(lms)] == [None]
    assert [row.account_id for row in _rows(own)] == ["acct-piet"]

    response = call(client, "POST", "/admin/export", _cfb(), {"email": LMS_ADDRESS})
    assert {e["context"]["enrolment_id"] for e in response.json_body["data"]["Enrolment"]} == {lms, own}
    assert _exported(response) == _keys(_rows(lms, own))


def test_R_ACC_08_R_PRV_01_a_deleted_account_leaves_its_rows_with_their_enrolment_and_without_its_id(client):
    """The register detaches the ledger: each row found by the account's id loses it, the rows stay (R_PRV_01),
    and CFB's export by the address still shows them, now found by their (detached) enrolment."""
    worlds = _courses(client, 2)
    token = _holder("acct-weg", "weg@minbzk.nl")
    enrolled = [_enrol(client, token, world, f"weg-{n}") for n, world in enumerate(worlds)]
    rows = _rows(*enrolled)
    assert len(rows) == 2 and len(_indexed("acct-weg")) == 2

    assert call(client, "DELETE", "/me", token).status_code == 200

    assert [row.account_id for row in _rows(*enrolled)] == [None, None]
    assert _keys(_rows(*enrolled)) == _keys(rows)
    assert _indexed("acct-weg") == []
    response = call(client, "POST", "/admin/export", _cfb(), {"email": "weg@minbzk.nl"})
    assert _exported(response) == _keys(rows)


def test_R_ACC_08_a_row_the_ledgers_index_does_not_show_yet_loses_the_account_too(client, monkeypatch):
    """DynamoDB's indexes are eventually consistent (moto's are not, so the index is stubbed empty): the deletion
    also finds the row by the partition of its enrolment, which it detached first."""
    world = _courses(client, 1)[0]
    token = _holder("acct-vers", "vers@minbzk.nl")
    enrolment_id = _enrol(client, token, world, "vers-1")
    monkeypatch.setattr(Disclosure.account_index, "query", lambda *args, **kwargs: iter(()))

    assert call(client, "DELETE", "/me", token).status_code == 200

    assert [row.account_id for row in _rows(enrolment_id)] == [None]


def test_R_ENR_10_R_PRV_01_anonymising_an_enrolment_takes_the_account_off_its_rows(client, frozen_clock):
    world = _courses(client, 1)[0]
    token = _holder("acct-anon", "anon@minbzk.nl")
    enrolment_id = _enrol(client, token, world, "anon-1")
    assert [row.account_id for row in _rows(enrolment_id)] == ["acct-anon"]

    due = date.fromisoformat(Enrolment.get(enrolment_id).anonymise_day)
    clock.freeze(noon(due + timedelta(days=1)))
    assert run_job(client, "anonymise_enrolments")["count"] == 1

    rows = _rows(enrolment_id)
    assert len(rows) == 1 and rows[0].account_id is None and rows[0].at.day == 1
    assert _indexed("acct-anon") == []


def _as_old_code_wrote_them(rows: list[Disclosure]) -> None:
    for row in rows:
        row.update(actions=[Disclosure.account_id.remove()])


def _writes_to_the_ledger(work: Callable[[], Any], before: Callable[[], None] | None = None) -> list[str]:
    """The operations that write ledger rows while `work` runs; `before` runs once, before the first."""
    seen: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    def watched(boto_client: Any, operation: str, params: dict[str, Any]) -> Any:
        tables = [str(params.get("TableName", ""))] + [
            next(iter(action.values()))["TableName"] for action in params.get("TransactItems", [])]
        writes = operation in ("PutItem", "UpdateItem", "TransactWriteItems", "BatchWriteItem")
        if writes and any(table.endswith("-disclosures") for table in tables):
            seen.append(operation)
            if before is not None and len(seen) == 1:
                before()
        return original(boto_client, operation, params)

    botocore.client.BaseClient._make_api_call = watched
    try:
        work()
    finally:
        botocore.client.BaseClient._make_api_call = original
    return seen


def test_R_OPS_04_R_ACC_09_migration_0015_gives_old_rows_their_account_and_the_export_shows_them(client):
    """Rows old code wrote lack the account: the export misses them until 0015 ran. It writes each such row once
    (one conditional write), leaves the rows of an LMS enrolment and of an enrolment that is gone without, counts
    them as reached, and a second run changes nothing."""
    worlds = _courses(client, 3)
    token = _holder("acct-oud", "oud@minbzk.nl")
    enrolled = [_enrol(client, token, world, f"oud-{n}") for n, world in enumerate(worlds[:2])]
    lms = _lms_enrol(client, worlds[2])
    Disclosure("enr-gone", "0001#supplier#sup-a", enrolment_version=1, recipient_kind="supplier",
               recipient_id="sup-a", channel="email", fields=["first_name"], at=clock.now()).save()
    old = _rows(*enrolled)
    _as_old_code_wrote_them(old[:1])  # the other row was written by new code: it needs nothing
    assert _exported(call(client, "GET", "/me/export", token)) == _keys(old[1:])

    writes = _writes_to_the_ledger(lambda: migrate.main(["run", "--grace-seconds", "0"]))

    assert writes == ["TransactWriteItems"]  # one conditional write, for the one row that lacked its account
    assert [row.account_id for row in _rows(*enrolled)] == ["acct-oud", "acct-oud"]
    assert [row.account_id for row in _rows(lms, "enr-gone")] == [None, None]
    assert _exported(call(client, "GET", "/me/export", token)) == _keys(old)
    run = MigrationRun.get(MIGRATION_ID)
    assert (run.state, int(run.migrated), int(run.verified), int(run.unreached)) == ("done", 1, 4, 0)

    stored = [row.to_simple_dict(force=True) for row in Disclosure.scan()]
    assert migrate.main(["run", "--grace-seconds", "0"]) == 0
    assert [row.to_simple_dict(force=True) for row in Disclosure.scan()] == stored
    cfb = _cfb()
    rules = {r["rule"]: r for r in call(client, "GET", "/admin/retention", cfb).json_body["rules"]}
    assert rules["migrations"]["holds"] is True, rules["migrations"]


def test_R_OPS_04_R_ACC_08_migration_0015_never_gives_a_row_the_account_its_enrolment_lost_meanwhile(client):
    """The account is deleted between the migration's read of the enrolment and its write: the write checks that
    the enrolment still names the account, so it is refused, and the next pass finds the row reached as it is."""
    world = _courses(client, 1)[0]
    token = _holder("acct-kort", "kort@minbzk.nl")
    enrolment_id = _enrol(client, token, world, "kort-1")
    _as_old_code_wrote_them(_rows(enrolment_id))

    def delete_the_account() -> None:
        assert call(client, "DELETE", "/me", token).status_code == 200

    writes = _writes_to_the_ledger(lambda: migrate.main(["run", "--grace-seconds", "0"]), before=delete_the_account)

    assert writes == ["TransactWriteItems"]  # refused: the enrolment no longer names the account
    assert Enrolment.get(enrolment_id).account_id is None
    assert [row.account_id for row in _rows(enrolment_id)] == [None]
    assert _indexed("acct-kort") == []
    run = MigrationRun.get(MIGRATION_ID)
    assert (run.state, int(run.migrated), int(run.unreached)) == ("done", 0, 0)
