"""R_OPS_04: stored data evolves safely. The migrations bring items old code wrote up to date (the spend
overview then counts them), resume where an interruption left them and migrate each item once, still
reach an item old code writes while they run, change nothing when run again, keep a second runner off,
and the retention self-check reports what a finished migration did not reach.

Migrations run through `python -m tools.migrate` (what `make deploy` runs) on moto; the routes through
chalice's test client.
"""

from __future__ import annotations

import json
from collections import Counter as Tally
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import botocore.client
import pytest
from botocore.exceptions import EndpointConnectionError
from pynamodb.exceptions import UpdateError

from chalicelib.access import Access
from chalicelib.migrations import registry, runner
from chalicelib.models import Enrolment, LoginToken, MigrationRun, OutboxItem, Session
from chalicelib.platform import clock
from tests.functional.helpers import acting_as
from tests.functional.privacy_fixtures import run_job
from tools import migrate

NOW = datetime(2027, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 on 11 March in Amsterdam: the day differs from UTC's
SPEND_ID = "0001-enrolment-spend-month"


def _old_enrolment(n: int, start_day: str = "2027-04-14") -> Enrolment:
    """An enrolment as the code before migration 0001 wrote it: no spend_month."""
    enrolment = Enrolment(f"e-old-{n:04d}", source="lms", status="approved", org_id="org-bzk", course_id="c1",
                          execution_id="r1", execution_key="c1#r1", supplier_id="sup-a", price_cents=10000,
                          start_day=start_day, original_end_day=start_day, created_at=NOW - timedelta(days=30),
                          anonymise_month="2028-04", anonymise_day="2028-04-15")
    enrolment.save()
    return enrolment


def _run(*extra: str) -> int:
    return migrate.main(["run", "--grace-seconds", "0", *extra])


def _spend(client: Any, month: str) -> dict[str, Any]:
    with acting_as(Access.CFB, org_id=None):
        response = client.http.get(f"/admin/spend?from={month}&to={month}&group=month")
    assert response.status_code == 200, response.body
    return response.json_body


def _stored(migration_id: str) -> MigrationRun:
    return MigrationRun.get(migration_id, consistent_read=True)


@contextmanager
def _dynamodb_calls(hook: Callable[[str, dict[str, Any]], None] | None = None) -> Iterator[list[tuple[str, dict]]]:
    """Every DynamoDB call made in the block, in order; `hook` runs before each (to inject a fault or a write)."""
    seen: list[tuple[str, dict]] = []
    original = botocore.client.BaseClient._make_api_call

    def watched(client: Any, operation: str, params: dict[str, Any]) -> Any:
        if client.meta.service_model.service_name == "dynamodb":
            seen.append((operation, params))
            if hook:
                hook(operation, params)
        return original(client, operation, params)

    botocore.client.BaseClient._make_api_call = watched
    try:
        yield seen
    finally:
        botocore.client.BaseClient._make_api_call = original


def _updates_per_enrolment(calls: list[tuple[str, dict]], attribute: str = "spend_month") -> Tally[str]:
    """The writes of one migration (the one setting `attribute`; later ones write the same items too)."""
    return Tally(params["Key"]["enrolment_id"]["S"] for operation, params in calls
                 if operation == "UpdateItem" and params["TableName"].endswith("-enrolments")
                 and attribute in params.get("ExpressionAttributeNames", {}).values())


def test_R_OPS_04_migrations_bring_old_items_up_to_date_and_the_spend_overview_counts_them(client):
    clock.freeze(NOW)
    for n in range(3):
        _old_enrolment(n)
    Session("s-old", account_id="acc-1", created_at=NOW, last_seen_at=NOW,
            expires_at=NOW + timedelta(minutes=30)).save()
    LoginToken("l-old", purpose="login", email="a@minbzk.nl", created_at=NOW,
               expires_at=NOW + timedelta(minutes=10)).save()
    OutboxItem("o-old", template="enrolment_received", next_attempt_at=NOW, created_at=NOW).save()
    assert _spend(client, "2027-04")["total_cents"] == 0  # the old items are not on the spend index

    assert _run() == 0

    spend = _spend(client, "2027-04")
    assert spend["total_cents"] == 30000 and spend["groups"][0]["count"] == 3
    assert all(Enrolment.get(f"e-old-{n:04d}").spend_month == "2027-04" for n in range(3))
    for model, key in ((Session, "s-old"), (LoginToken, "l-old"), (OutboxItem, "o-old")):
        assert model.get(key).created_day == "2027-03-11", model  # the Amsterdam day, as the code writes it now
    assert [(m.migration_id, run.state if run else None) for m, run in runner.runs()] == [
        (m.migration_id, "done") for m in registry.MIGRATIONS]
    spend_run = _stored(SPEND_ID)
    assert (spend_run.migrated, spend_run.verified, spend_run.unreached) == (3, 3, 0)


def test_R_OPS_04_an_interrupted_migration_resumes_at_its_cursor_and_migrates_each_item_exactly_once(client):
    """A fault on the 150th write (a connection lost mid-page) stops the run; the next run starts at the
    stored cursor (page 2), not at the beginning, and every item is written exactly once."""
    clock.freeze(NOW)
    total = 2 * runner.PAGE_SIZE + 50
    for n in range(total):
        _old_enrolment(n)
    writes = 0

    def lose_connection(operation: str, params: dict[str, Any]) -> None:
        nonlocal writes
        if operation == "UpdateItem" and params["TableName"].endswith("-enrolments") \
                and "spend_month" in params["ExpressionAttributeNames"].values():
            writes += 1
            if writes == runner.PAGE_SIZE + 50:
                raise EndpointConnectionError(endpoint_url="http://dynamodb")

    with _dynamodb_calls(lose_connection) as first, pytest.raises(UpdateError, match="Could not connect"):
        _run()
    interrupted = _stored(SPEND_ID)
    assert interrupted.state == "running" and interrupted.lease_owner is None  # the lease was given back
    assert interrupted.cursor is not None and interrupted.pass_scanned == runner.PAGE_SIZE

    with _dynamodb_calls() as second:
        assert _run() == 0
    scans = [p for op, p in second if op == "Scan" and p["TableName"].endswith("-enrolments")]
    assert scans[0]["ExclusiveStartKey"] == json.loads(interrupted.cursor)  # resumed, not restarted
    succeeded = _updates_per_enrolment(first)
    succeeded[f"e-old-{runner.PAGE_SIZE + 49:04d}"] -= 1  # the write that failed never reached the table
    succeeded.update(_updates_per_enrolment(second))
    assert set(succeeded.values()) == {1} and len(+succeeded) == total  # each item once, none twice, none left
    assert all(e.spend_month == "2027-04" for e in Enrolment.scan())
    done = _stored(SPEND_ID)
    assert done.state == "done" and done.verified == total and done.unreached == 0


def test_R_OPS_04_an_item_old_code_writes_during_the_migration_is_still_migrated(client):
    """Old code saves a whole enrolment it read before the migration (dropping spend_month) behind the cursor,
    and writes a new one, while the migration runs; both are migrated before it is done."""
    clock.freeze(NOW)
    for n in range(runner.PAGE_SIZE + 20):
        _old_enrolment(n)
    stale = Enrolment.get("e-old-0003")
    scans = 0

    def old_code_writes(operation: str, params: dict[str, Any]) -> None:
        nonlocal scans
        if operation == "Scan" and params["TableName"].endswith("-enrolments"):
            scans += 1
            if scans == 2:  # page 1 is migrated: write behind the cursor, as the old version would
                stale.save()
                _old_enrolment(9999)

    with _dynamodb_calls(old_code_writes):
        assert _run() == 0
    assert Enrolment.get("e-old-0003").spend_month == "2027-04"
    assert Enrolment.get("e-old-9999").spend_month == "2027-04"
    run = _stored(SPEND_ID)
    assert run.state == "done" and run.verified == runner.PAGE_SIZE + 21 and run.pass_number >= 2


def test_R_OPS_04_the_last_pass_waits_until_old_code_has_stopped_writing(client):
    """With the deploy's grace (the longest function timeout), a clean pass that began before old code could
    have stopped is not final: the runner waits and reads the table again, so a late old write is migrated."""
    clock.freeze(NOW)
    _old_enrolment(1)
    live = NOW
    waits: list[float] = []
    outcomes = runner.run_pending(registry.MIGRATIONS[:1], budget=timedelta(minutes=10),
                                  settles_at=live + runner.OLD_CODE_GRACE, sleep=waits.append)  # time stands still
    assert outcomes == [runner.Outcome(SPEND_ID, "waiting")]  # migrated, verified clean, but too early to trust
    assert waits == [runner.OLD_CODE_GRACE.total_seconds()]
    assert Enrolment.get("e-old-0001").spend_month == "2027-04"
    _old_enrolment(2)  # an old container finishing a request writes one more

    def wait(seconds: float) -> None:
        clock.freeze(clock.now() + timedelta(seconds=seconds))

    outcomes = runner.run_pending(registry.MIGRATIONS[:1], budget=timedelta(minutes=10),
                                  settles_at=live + runner.OLD_CODE_GRACE, sleep=wait)
    assert outcomes == [runner.Outcome(SPEND_ID, "done")]
    assert Enrolment.get("e-old-0002").spend_month == "2027-04"
    assert _stored(SPEND_ID).pass_started_at >= live + runner.OLD_CODE_GRACE


def test_R_OPS_04_running_the_migrations_again_changes_nothing(client):
    clock.freeze(NOW)
    for n in range(5):
        _old_enrolment(n)
    assert _run() == 0
    before = {e.enrolment_id: e.to_simple_dict() for e in Enrolment.scan()}
    runs_before = {r.migration_id: r.to_simple_dict() for r in MigrationRun.scan()}

    with _dynamodb_calls() as again:
        assert _run() == 0
    assert [op for op, _ in again] == ["GetItem"] * len(registry.MIGRATIONS)  # each run's record, nothing else
    assert {e.enrolment_id: e.to_simple_dict() for e in Enrolment.scan()} == before
    assert {r.migration_id: r.to_simple_dict() for r in MigrationRun.scan()} == runs_before


def test_R_OPS_04_a_second_runner_keeps_off_a_migration_another_runner_holds(client, capsys):
    clock.freeze(NOW)
    _old_enrolment(1)
    MigrationRun(SPEND_ID, settles_at=NOW, started_at=NOW, pass_started_at=NOW, lease_owner="other-runner",
                 lease_until=NOW + runner.LEASE).save()

    assert _run() == migrate.EXIT_BUSY
    assert Enrolment.get("e-old-0001").spend_month is None
    assert "andere runner" in capsys.readouterr().err

    clock.freeze(NOW + runner.LEASE + timedelta(seconds=1))  # the other runner died: its lease lapses
    assert _run() == 0
    assert Enrolment.get("e-old-0001").spend_month == "2027-04"


def test_R_OPS_04_a_migration_never_brings_back_an_item_deleted_while_it_ran(client):
    clock.freeze(NOW)
    for n in range(3):
        _old_enrolment(n)

    def delete_before_its_write(operation: str, params: dict[str, Any]) -> None:
        if operation == "UpdateItem" and params.get("Key", {}).get("enrolment_id", {}).get("S") == "e-old-0001":
            boto3.client("dynamodb", region_name="eu-west-1").delete_item(
                TableName=params["TableName"], Key=params["Key"])

    with _dynamodb_calls(delete_before_its_write):
        assert _run() == 0
    assert sorted(e.enrolment_id for e in Enrolment.scan()) == ["e-old-0000", "e-old-0002"]


def test_R_OPS_04_R_PRV_02_the_self_check_reports_items_a_finished_migration_did_not_reach(client):
    """An enrolment stored without a start day cannot get a spend month: the migration finishes, counts it
    as not reached, and CFB's report and the daily job name the migration and the item's key."""
    clock.freeze(NOW)
    with acting_as(Access.CFB, org_id=None):
        pending = {r["rule"]: r for r in client.http.get("/admin/retention").json_body["rules"]}["migrations"]
    assert pending["holds"] is False and pending["breach"] == f"{SPEND_ID}: nog niet klaar"

    _old_enrolment(1)
    raw = boto3.client("dynamodb", region_name="eu-west-1")
    raw.put_item(TableName=Enrolment.Meta.table_name, Item={
        "enrolment_id": {"S": "e-broken"}, "source": {"S": "lms"}, "status": {"S": "approved"},
        "org_id": {"S": "org-bzk"}, "course_id": {"S": "c1"}, "execution_id": {"S": "r1"},
        "supplier_id": {"S": "sup-a"}, "original_end_day": {"S": "2027-04-14"},
        "created_at": {"S": "2027-03-01T10:00:00.000000+0000"}})
    assert _run() == 0
    assert (_stored(SPEND_ID).state, _stored(SPEND_ID).unreached) == ("done", 1)

    with acting_as(Access.CFB, org_id=None):
        report = client.http.get("/admin/retention").json_body
    rule = {r["rule"]: r for r in report["rules"]}["migrations"]
    assert rule["holds"] is False and report["holds"] is False
    assert rule["breach"] == f"{SPEND_ID}: 1 niet bereikt (e-broken)"
    # the one enrolment 0001 did migrate, and both enrolments each later enrolment migration verified
    assert rule["checked"] == 1 + 2 * sum(m.model is Enrolment for m in registry.MIGRATIONS[1:])
    assert run_job(client, "retention_selfcheck") == {"count": 1, "holds": False}


def test_R_OPS_04_the_old_code_grace_covers_the_longest_function_timeout():
    from tests.conftest import ROOT

    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    timeouts = [stage.get("lambda_timeout", 0) for stage in config["stages"].values()]
    timeouts += [f.get("lambda_timeout", 0) for stage in config["stages"].values()
                 for f in stage.get("lambda_functions", {}).values()]
    assert timedelta(seconds=max(timeouts)) == runner.OLD_CODE_GRACE


def test_R_OPS_04_make_run_migrates_the_seeded_demo_data_and_the_spend_overview_shows_it(client):
    """The demo enrolments are written as the code before migration 0001 wrote them; `make run` migrates them
    (devstack.seed.migrate_demo_data), after which the spend overview shows every order line's enrolment."""
    from chalicelib.models import OrderLine
    from devstack import seed

    seed.seed_demo()
    lines = list(OrderLine.scan())
    months = sorted({line.start_day[:7] for line in lines})
    assert len(lines) >= 10 and all(e.spend_month is None for e in Enrolment.scan())

    def shown() -> tuple[int, int]:
        with acting_as(Access.CFB, org_id=None):
            body = client.http.get(f"/admin/spend?from={months[0]}&to={months[-1]}&group=month").json_body
        return sum(int(g["count"]) for g in body["groups"]), int(body["total_cents"])

    assert shown() == (0, 0)
    assert seed.migrate_demo_data().startswith(f"{len(registry.MIGRATIONS)} van {len(registry.MIGRATIONS)} klaar")
    assert shown() == (len(lines), sum(int(line.price_cents) for line in lines))


def test_R_OPS_04_make_deploy_runs_the_pending_migrations_after_the_stack_update(client, capsys):
    """The deploy's plan names the step after the main stack; the step's command, run as the deploy runs it
    (its arguments, the stage's table prefix from .chalice/config.json), finishes every migration."""
    from tools import deploy

    assert deploy.main(["--dry-run", "--stage", "prod"]) == 0
    plan = capsys.readouterr().out.splitlines()
    main_stack = next(i for i, step in enumerate(plan) if "main stack" in step)
    migrations = next(i for i, step in enumerate(plan) if "tools.migrate run" in step)
    assert migrations > main_stack and "leerrijk-prod-" in plan[migrations]

    clock.freeze(NOW)
    _old_enrolment(1)
    command, environment = deploy.migration_step("prod", NOW - runner.OLD_CODE_GRACE - timedelta(minutes=1))
    assert command[1:4] == ["-m", "tools.migrate", "run"]
    assert environment["LEERRIJK_TABLE_PREFIX"] == "leerrijk-prod-" and environment["LEERRIJK_STAGE"] == "prod"
    assert migrate.main(command[3:]) == 0  # the same arguments, on this test's tables
    assert Enrolment.get("e-old-0001").spend_month == "2027-04"


def test_R_OPS_04_accounts_old_code_created_are_found_by_admins_and_route_their_orders_after_the_migrations(client):
    """An account saved by the code before the account search (no search keys) with an order-authorised grant
    given before the order lists (no `order_staff` entry): admins find it and its department has its own
    order list after migrations 0005 and 0006."""
    from chalicelib.models import Account, Organisation, RoleGrant
    from chalicelib.orders import rules as order_rules
    from tests.functional.test_acc_support import ORG_A, T0, call, seed_account, seed_orgs, start_session

    seed_orgs()
    seed_account("acc-cfb", "carmen@a.example", roles=[("cfb", None, None)], first_name="Carmen")
    admin = start_session("acc-cfb", level=2)
    Account("acc-old", email="pieter.pronk@a.example", first_name="Pieter", last_name="Pronk",
            sort_name="pronk pieter", org_id=ORG_A, roles=[RoleGrant(role="order_authorised", org_id=ORG_A,
                                                                     department_id="dep-a1")],
            created_at=T0, consent_at=T0, consent_version="2026-11").save()

    def found(q: str) -> list[str]:
        response = call(client, "GET", f"/admin/accounts?q={q}&org_id={ORG_A}", admin)
        assert response.status_code == 200, response.body
        return [a["account_id"] for a in response.json_body["accounts"]]

    assert found("pronk") == [] and Organisation.get(ORG_A).order_staff is None
    assert _run() == 0
    assert found("pronk") == ["acc-old"] and found("pieter%20pronk") == ["acc-old"]
    assert order_rules.staffed_departments(Organisation.get(ORG_A).order_staff) == {"dep-a1"}
    assert _run() == 0 and Organisation.get(ORG_A).order_staff == {"dep-a1#acc-old"}


def test_R_OPS_04_R_ACC_06_search_keys_old_code_wrote_are_found_by_cfb_across_organisations(client):
    """Search keys written before `term-index` (no `initial`) are invisible to CFB's search across every
    organisation until migration 0007 gives them their initial; an organisation's own search found them all
    along."""
    from chalicelib.models import AccountSearchKey
    from tests.functional.test_acc_support import ORG_A, call, seed_account, seed_orgs, start_session

    seed_orgs()
    seed_account("acc-cfb", "carmen@a.example", roles=[("cfb", None, None)], first_name="Carmen")
    seed_account("acc-old", "pieter.pronk@a.example", first_name="Pieter", last_name="Pronk")
    for key in AccountSearchKey.account_index.query("acc-old"):  # as the code before issue 28 wrote them
        key.update(actions=[AccountSearchKey.initial.remove()])
    admin = start_session("acc-cfb", level=2)

    def found(path: str) -> list[str]:
        response = call(client, "GET", path, admin)
        assert response.status_code == 200, response.body
        return [a["account_id"] for a in response.json_body["accounts"]]

    assert found(f"/admin/accounts?q=pronk&org_id={ORG_A}") == ["acc-old"]
    assert found("/admin/accounts?q=pronk") == []
    assert _run() == 0
    assert found("/admin/accounts?q=pronk") == ["acc-old"] and found("/admin/accounts?q=pieter%20pronk") == ["acc-old"]
    assert all(key.initial == key.search_key[:1] for key in AccountSearchKey.account_index.query("acc-old"))
    assert _stored("0007-account-search-key-initial").state == "done"


def test_R_OPS_04_R_ACC_09_contact_messages_old_code_stored_are_in_the_export_after_the_migration(client):
    """Contact messages stored before `sender-index` (no `sender_hash`) are missing from the holder's export
    during their week until migration 0008 gives them the key of their sender."""
    from chalicelib.models import ContactMessage
    from tests.functional.test_acc_support import DOMAIN_A, call, seed_account, seed_orgs, start_session

    seed_orgs()
    seed_account("acc-anna", f"anna@{DOMAIN_A}")
    sent = call(client, "POST", "/contact", body={"email": f"Anna+x@{DOMAIN_A}", "question": "Waar?"})
    assert sent.status_code == 202
    for message in ContactMessage.scan():  # as the code before issue 22 stored it
        message.update(actions=[ContactMessage.sender_hash.remove()])

    def exported() -> list[str]:
        response = call(client, "GET", "/me/export", start_session("acc-anna"))
        assert response.status_code == 200, response.body
        return [m["personal"]["question"] for m in response.json_body["data"].get("ContactMessage", [])]

    assert exported() == []
    assert _run() == 0
    assert exported() == ["Waar?"]
    assert _stored("0008-contact-sender-hash").state == "done"
