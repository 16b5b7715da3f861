"""R_OPS_04 for the waiting list: executions written before it (no waiting numbers, no close day) work as they
are, and migration 0011 (through `python -m tools.migrate run`) gives them what new code writes."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.models import Execution, MigrationRun
from tests.functional import enrolment_fixtures as fx
from tests.functional import waiting_fixtures as wf
from tools import migrate

NEW = (Execution.waiting_seq, Execution.waiting_count, Execution.offered_count, Execution.waiting_close_day)


def _as_old_code_wrote_it(world: fx.World) -> None:
    Execution(world.course_id, world.execution_id).update(actions=[attribute.remove() for attribute in NEW])


def test_R_OPS_04_R_WAIT_01_an_execution_from_before_the_waiting_list_takes_joins_and_is_migrated(client):
    fx.organisation()
    for i in range(3):
        wf.person(i)
    world = fx.publish(client, seats=1, deadline_in_days=30)
    _as_old_code_wrote_it(world)
    old = wf.execution(world)
    assert (old.waiting_seq, old.waiting_count, old.waiting_close_day) == (None, None, None)
    # before the migration: a missing number counts as 0, for enrolling, joining and moving up alike
    assert wf.enrol(client, world, 0).status_code == 201
    assert wf.join(client, world, 1).json_body["position"] == 1
    joined = wf.execution(world)
    assert (int(joined.waiting_seq), int(joined.waiting_count)) == (1, 1)
    assert joined.waiting_close_day == (date.today() + timedelta(days=31)).isoformat()
    wf.invariants(world)

    untouched = fx.publish(client, seats=5, program_id="P-2")
    _as_old_code_wrote_it(untouched)
    assert migrate.main(["run", "--grace-seconds", "0"]) == 0
    migrated = wf.execution(untouched)
    assert (int(migrated.waiting_seq), int(migrated.waiting_count), int(migrated.offered_count)) == (0, 0, 0)
    assert migrated.waiting_close_day == (date.today() + timedelta(days=60)).isoformat()
    assert (int(wf.execution(world).waiting_seq), int(wf.execution(world).waiting_count)) == (1, 1)  # kept
    run = MigrationRun.get("0011-execution-waiting-list")
    assert run.state == "done" and int(run.unreached) == 0 and int(run.verified) == 2
    assert migrate.main(["run", "--grace-seconds", "0"]) == 0  # twice: nothing more
