"""R_DEX_01: a directory sync that crashes mid-batch loses nothing and applies nothing twice.

The crash is a DynamoDB fault injected at the botocore layer on the third program's course write (after
the second program was stored); the emulator and everything else stay real.
"""

from __future__ import annotations

from chalicelib.catalogue import index as catalogue_index
from chalicelib.catalogue import use_cases as catalogue
from chalicelib.models import Course, DirectoryConnection, Execution
from chalicelib.platform import eventlog
from tests.functional.directory_fixtures import CONNECTION, directory, edudex_program  # noqa: F401
from tests.functional.helpers import make_supplier

PROGRAMS = [f"P-{n}" for n in range(1, 6)]


def test_R_DEX_01_a_crash_after_the_second_program_is_replayed_and_everything_applied_exactly_once(
        directory, inject):  # noqa: F811
    make_supplier("sup-a")
    assert directory.cfb("PUT", "/admin/suppliers/sup-a/directory", {"org_unit_id": "sup-a"}).status_code == 200
    for program_id in PROGRAMS:
        directory.emulator.publish(edudex_program("sup-a", program_id, f"Cursus {program_id}"))
    crash = inject("PutItem", "InternalServerError", table="-courses", skip=2)

    crashed = directory.sync()

    assert crashed == {"error": "PutError"} and crash.hits == 1
    connection = DirectoryConnection.get(CONNECTION, consistent_read=True)
    assert connection.cursor_at is None  # the batch was not applied: the cursor stays
    assert connection.resume and connection.last_outcome == "failed" and connection.lease_until is None
    stored = [p for p in PROGRAMS if Course.count(catalogue.course_id_for("sup-a", p))]
    assert stored == ["P-1", "P-2"]

    resumed = directory.sync("sync_directory_requested")  # the next minute's run resumes it

    assert (resumed["stored"], resumed["unchanged"]) == (3, 2)
    ids = [catalogue.course_id_for("sup-a", p) for p in PROGRAMS]
    assert all(Course.get(i).status == "active" for i in ids)
    assert sorted(d["id"] for d in catalogue_index.current().docs) == sorted(ids)  # P-1 and P-2 indexed now too
    assert [len(list(Execution.query(i))) for i in ids] == [1] * 5
    stores = [e["detail"]["program_id"] for e in eventlog.recent()
              if e["kind"] == "supplier_update" and e["detail"].get("outcome") == "stored"]
    assert sorted(stores) == PROGRAMS  # each program stored exactly once
    assert [e["detail"]["error_type"] for e in eventlog.recent() if e["kind"] == "system_error"] == ["PutError"]
    connection = DirectoryConnection.get(CONNECTION, consistent_read=True)
    assert connection.cursor_key == "sup-a/P-5" and not connection.resume
    assert directory.sync("sync_directory_requested")["connections"] == 0
