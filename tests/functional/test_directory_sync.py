"""R_DEX_01-04: the catalogue syncs itself from an EDU-DEX directory, here the local emulator over HTTP
(started in-process on a free loopback port, every answer validated against the Data API document).

Each test connects the catalog through CFB's route and runs the scheduled jobs through their Lambda
handlers; it asserts what is stored, published in the search index, held, logged and asked of the
directory.
"""

from __future__ import annotations

import json
import zlib
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.catalogue import index as catalogue_index
from chalicelib.catalogue import use_cases as catalogue
from chalicelib.models import Course, DirectoryConnection, DirectorySupplier, Execution, HeldProgram
from chalicelib.platform import clock, eventlog
from devstack import seed
from devstack.demo_catalogue import COURSES, documents
from devstack.directory_emulator import BULK, CHANGES, PROGRAMS
from tests.functional.directory_fixtures import CONNECTION, Directory, directory, edudex_program  # noqa: F401
from tests.functional.helpers import bearer, make_supplier


def _map(directory: Directory, supplier_id: str, org_unit_id: str | None = None) -> Any:  # noqa: F811
    response = directory.cfb("PUT", f"/admin/suppliers/{supplier_id}/directory",
                             {"org_unit_id": org_unit_id or supplier_id})
    assert response.status_code == 200, response.body
    return response.json_body


def _course(supplier_id: str, program_id: str) -> Course:
    return Course.get(catalogue.course_id_for(supplier_id, program_id))


def _in_index(supplier_id: str, program_id: str) -> bool:
    return catalogue_index.current().doc(catalogue.course_id_for(supplier_id, program_id)) is not None


def _connection() -> DirectoryConnection:
    return DirectoryConnection.get(CONNECTION, consistent_read=True)


def _entries(kind: str, **detail: Any) -> list[dict[str, Any]]:
    return [e for e in eventlog.recent() if e["kind"] == kind
            and all(e["detail"].get(k) == v for k, v in detail.items())]


def test_R_DEX_01_R_DEX_04_the_demo_catalogue_arrives_by_an_initial_sync(directory):  # noqa: F811
    for supplier in seed.suppliers():
        supplier.save()
        _map(directory, supplier.supplier_id)
    directory.emulator.publish_all([doc for _, _, doc in documents(clock.today())])

    result = directory.sync()

    assert result["stored"] == len(COURSES) and result["count"] == len(COURSES)
    courses = [_course(c.supplier, c.program_id) for c in COURSES]
    assert all(c.status == "active" and c.last_change is not None for c in courses)
    assert len(catalogue_index.current().docs) == len(COURSES)
    assert sum(1 for c in COURSES for _ in Execution.query(catalogue.course_id_for(c.supplier, c.program_id))) \
        == 3 * len(COURSES)
    # a first sync reads the catalog's program list, then the programs in pages of 50
    assert directory.emulator.calls(PROGRAMS) == 1 and directory.emulator.calls(CHANGES) == 0
    assert directory.emulator.calls(BULK) == 2
    last = max(directory.emulator.entries(), key=lambda e: (e["lastChange"], e["supplierId"], e["programId"]))
    connection = _connection()
    assert connection.cursor_key == f"{last['supplierId']}/{last['programId']}"
    assert connection.last_outcome == "done" and connection.lease_until is None
    assert len(_entries("supplier_update", outcome="stored", channel="directory")) == len(COURSES)

    again = directory.sync()  # nothing changed: one changes request, nothing stored
    assert again["count"] == 0 and directory.emulator.calls(CHANGES) == 1 and directory.emulator.calls(BULK) == 2


def test_R_DEX_01_a_change_a_removal_and_an_inactive_program(directory):  # noqa: F811
    make_supplier("sup-a")
    _map(directory, "sup-a")
    for number in (1, 2, 3):
        directory.emulator.publish(edudex_program("sup-a", f"P-{number}", f"Cursus {number}"))
    assert directory.sync()["stored"] == 3

    def cheaper(document: dict[str, Any]) -> None:
        document["programDescriptions"]["programName"]["nl"] = "Cursus 1, vernieuwd"
        document["programSchedule"]["programRun"][0]["cost"][0]["amount"] = "395.00"

    directory.emulator.change("sup-a", "P-1", cheaper)
    directory.emulator.set_status("sup-a", "P-2", "removed")
    directory.emulator.set_status("sup-a", "P-3", "inactive")
    result = directory.sync()

    assert (result["stored"], result["withdrawn"]) == (1, 2)
    assert _course("sup-a", "P-1").name == "Cursus 1, vernieuwd"
    run = next(iter(Execution.query(catalogue.course_id_for("sup-a", "P-1"))))
    assert run.price_cents == 39500
    assert catalogue_index.current().doc(catalogue.course_id_for("sup-a", "P-1"))["name"] == "Cursus 1, vernieuwd"
    for program_id in ("P-2", "P-3"):
        assert _course("sup-a", program_id).status == "withdrawn"
        assert not _in_index("sup-a", program_id)
        assert list(Execution.query(catalogue.course_id_for("sup-a", program_id))) == []
    # only the changed program was fetched; withdrawals need no document
    assert directory.emulator.requests[-1].operation == BULK
    assert directory.emulator.requests[-1].body["programs"] == [
        {"orgUnitId": "sup-a", "programId": "P-1", "clientId": "public"}]
    search = directory.client.http.get("/courses?q=cursus").json_body
    assert [item["name"] for item in search["items"]] == ["Cursus 1, vernieuwd"]


def test_R_DEX_02_a_burst_of_20_webhook_events_starts_one_sync(directory):  # noqa: F811
    from chalicelib.directory import hooks

    make_supplier("sup-a")
    _map(directory, "sup-a")
    hooks.register(CONNECTION, "https://leer-rijk.example")
    [webhook] = directory.emulator.webhooks()
    path = webhook["url"].removeprefix("https://leer-rijk.example/api")
    directory.emulator.publish(edudex_program("sup-a", "P-1"))
    syncs_before = directory.emulator.calls(PROGRAMS) + directory.emulator.calls(CHANGES)
    requests_before = directory.emulator.calls()

    bodies = [{"event": "catalog", "programs": [{"orgUnitId": "sup-a", "programId": f"X-{n}"}],
               "at": (clock.now() - timedelta(hours=n)).isoformat()} for n in range(20)]  # not trusted, any order
    answers = [directory.client.http.post(path, headers={"Content-Type": "application/json"}, body=json.dumps(body))
               for body in bodies]

    assert {a.status_code for a in answers} == {202}
    assert [a.json_body["sync_requested"] for a in answers].count(True) == 1
    assert directory.emulator.calls() == requests_before  # the webhook itself asks the directory nothing
    first = directory.sync("sync_directory_requested")
    second = directory.sync("sync_directory_requested")
    assert first["connections"] == 1 and first["stored"] == 1 and second["connections"] == 0
    assert directory.emulator.calls(PROGRAMS) + directory.emulator.calls(CHANGES) - syncs_before == 1
    assert not _in_index("sup-a", "X-0")  # what the body claimed was never looked at
    assert len(_entries("directory_sync", outcome="requested")) == 1


def test_R_DEX_02_the_secret_is_checked_and_rotates(directory):  # noqa: F811
    from chalicelib.directory import hooks

    hooks.register(CONNECTION, "https://leer-rijk.example")
    old = directory.emulator.webhooks()[0]["url"].removeprefix("https://leer-rijk.example/api")
    hooks.register(CONNECTION, "https://leer-rijk.example")  # rotation: the directory's webhook gets the new URL
    [webhook] = directory.emulator.webhooks()
    new = webhook["url"].removeprefix("https://leer-rijk.example/api")

    def post(path: str) -> Any:
        return directory.client.http.post(path, headers={"Content-Type": "application/json"}, body=b"{}")

    assert new != old and post(new).status_code == 202 and post(old).status_code == 202
    hooks.retire_previous_secret(CONNECTION)
    assert post(old).status_code == 403 and post(old).json_body["error"]["code"] == "invalid_hook"
    assert post(new).status_code == 202
    for forged in (f"/directory/hooks/{CONNECTION}.x", "/directory/hooks/other.x", "/directory/hooks/nodot"):
        assert post(forged).status_code == 403
    assert _connection().hook_secret not in json.dumps(directory.emulator.webhooks())  # only the hash is stored


@pytest.mark.parametrize(("operation", "spoil"), [
    (PROGRAMS, lambda answer: [{**answer[0], "status": "published"}, *answer[1:]]),
    (BULK, lambda answer: {"programs": [{**p, "data": {**p["data"], "lastEdited": "gisteren"}}
                                        for p in answer["programs"]]}),
    (BULK, lambda answer: {"programs": [{**p, "programId": "P-999"} for p in answer["programs"]]}),
])
def test_R_DEX_01_an_invalid_directory_answer_imports_nothing_and_is_one_system_error(directory, operation,  # noqa: F811
                                                                                     spoil):
    make_supplier("sup-a")
    _map(directory, "sup-a")
    for number in (1, 2, 3):
        directory.emulator.publish(edudex_program("sup-a", f"P-{number}"))
    directory.emulator.tamper(operation, spoil)

    result = directory.sync()

    assert result["count"] == 0
    assert list(Course.supplier_index.query("sup-a")) == [] and catalogue_index.current().docs == []
    assert len(_entries("system_error")) == 1
    assert _entries("system_error")[0]["detail"]["error_type"] == "DirectoryAnswerError"
    connection = _connection()
    assert connection.cursor_at is None and connection.last_outcome == "invalid_answer"
    assert connection.errors[0].code == "invalid_answer"
    assert directory.sync()["stored"] == 3  # the directory answers well again: nothing was skipped


def test_R_DEX_03_an_unmapped_supplier_is_held_then_published_when_admitted(directory):  # noqa: F811
    directory.emulator.publish(edudex_program("opleider-nieuw", "N-1", "Leren onderhandelen"))
    directory.emulator.publish(edudex_program("opleider-nieuw", "N-2", "Leren presenteren"))
    assert directory.sync()["held"] == 2

    overview = directory.cfb("GET", "/admin/directory").json_body
    assert overview["suppliers"] == [{"org_unit_id": "opleider-nieuw", "supplier_id": None, "held": 2,
                                      "held_because": "unmapped", "publishing": False}]
    held = directory.cfb("GET", "/admin/directory/held?org_unit_id=opleider-nieuw").json_body
    assert [(h["program_id"], h["name"], h["reason"]) for h in held["items"]] == [
        ("N-1", "Leren onderhandelen", "unmapped"), ("N-2", "Leren presenteren", "unmapped")]
    assert directory.client.http.get("/courses?q=onderhandelen").json_body["items"] == []

    # CFB creates the profile, without accepted terms yet, and maps it: still held (R_CAT_06)
    created = directory.cfb("POST", "/admin/suppliers", {
        "supplier_id": "sup-nieuw", "name": "Opleider Nieuw", "kind": "extern", "contact_email": "in@nieuw.example"})
    assert created.status_code == 201, created.body
    assert _map(directory, "sup-nieuw", "opleider-nieuw")["published"] == 0
    assert directory.cfb("GET", "/admin/directory").json_body["suppliers"][0]["held_because"] == "terms"
    assert not _in_index("sup-nieuw", "N-1")

    requests_before = len(directory.emulator.requests)
    accepted = directory.cfb("PATCH", "/admin/suppliers/sup-nieuw",
                             {"terms_version": "2026-01", "terms_accepted_on": clock.today().isoformat()})
    assert accepted.status_code == 200, accepted.body

    assert _course("sup-nieuw", "N-1").status == "active" and _in_index("sup-nieuw", "N-2")
    assert len(directory.emulator.requests) == requests_before  # published from what was held, no new sync
    assert list(HeldProgram.query("opleider-nieuw")) == []
    assert DirectorySupplier.get("opleider-nieuw").held == 0
    names = [i["name"] for i in directory.client.http.get("/courses?q=leren").json_body["items"]]
    assert sorted(names) == ["Leren onderhandelen", "Leren presenteren"]


def test_R_DEX_03_one_org_unit_maps_to_one_supplier(directory):  # noqa: F811
    make_supplier("sup-a")
    make_supplier("sup-b")
    _map(directory, "sup-a", "opleider-a")
    taken = directory.cfb("PUT", "/admin/suppliers/sup-b/directory", {"org_unit_id": "opleider-a"})
    assert taken.status_code == 409 and taken.json_body["error"]["fields"]["org_unit_id"]
    assert directory.cfb("PUT", "/admin/suppliers/sup-b/directory", {"org_unit_id": "Niet Geldig"}).status_code == 400
    _map(directory, "sup-a", "opleider-a2")  # moved: the old orgUnitId is free again
    _map(directory, "sup-b", "opleider-a")
    assert DirectorySupplier.get("opleider-a").supplier_id == "sup-b"


def test_R_DEX_03_a_push_and_a_sync_of_one_program_the_newest_lastchange_wins(directory):  # noqa: F811
    token = make_supplier("sup-a")
    _map(directory, "sup-a")
    synced_at = directory.emulator.publish(edudex_program("sup-a", "P-1", "Uit EDU-DEX"))
    directory.sync()

    older = edudex_program("sup-a", "P-1", "Eigen push, ouder")
    older["lastEdited"] = (synced_at - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    refused = directory.client.http.put("/supplier/programs/P-1", headers=bearer(token), body=json.dumps(older))
    assert refused.status_code == 409 and refused.json_body["error"]["code"] == "stale_program"

    newer = edudex_program("sup-a", "P-1", "Eigen push, nieuwer")
    newer["lastEdited"] = (synced_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert directory.client.http.put("/supplier/programs/P-1", headers=bearer(token),
                                     body=json.dumps(newer)).status_code == 200
    directory.emulator.change("sup-a", "P-1", lambda d: d["programDescriptions"]["programName"].update(
        nl="Uit EDU-DEX, tussendoor"))  # its lastChange lies before the push's lastEdited
    assert directory.sync()["stale"] == 1
    assert _course("sup-a", "P-1").name == "Eigen push, nieuwer"


def test_R_DEX_01_a_429_is_waited_for_as_the_directory_asks_and_the_sync_succeeds(directory, monkeypatch):  # noqa: F811
    import urllib3.util.retry

    slept: list[float] = []
    monkeypatch.setattr(urllib3.util.retry.time, "sleep", slept.append)
    make_supplier("sup-a")
    _map(directory, "sup-a")
    directory.emulator.publish(edudex_program("sup-a", "P-1"))
    directory.emulator.fail(PROGRAMS, 429, times=2, retry_after=3)
    directory.emulator.fail(BULK, 503, times=2)  # no Retry-After: exponential backoff

    result = directory.sync()

    assert result["stored"] == 1 and _connection().last_outcome == "done"
    assert directory.emulator.calls(PROGRAMS) == 3 and directory.emulator.calls(BULK) == 3
    assert slept[:2] == [3, 3]  # Retry-After honoured
    assert slept[2:] == [1.0]  # urllib3: no wait before the first retry, then 0.5 s doubling
    assert _entries("system_error") == []


def test_R_DEX_01_a_directory_that_stays_unavailable_is_one_system_error_and_moves_nothing(directory, monkeypatch):  # noqa: F811
    import urllib3.util.retry

    monkeypatch.setattr(urllib3.util.retry.time, "sleep", lambda seconds: None)
    directory.emulator.publish(edudex_program("sup-a", "P-1"))
    directory.emulator.fail(PROGRAMS, 500, times=10)
    assert directory.sync()["count"] == 0
    assert directory.emulator.calls(PROGRAMS) == 5  # the first attempt and 4 retries
    assert [e["detail"]["error_type"] for e in _entries("system_error")] == ["DirectoryUnavailableError"]
    assert _connection().last_outcome == "unavailable" and _connection().cursor_at is None


def test_R_DEX_01_a_document_the_import_refuses_is_listed_and_the_others_go_on(directory):  # noqa: F811
    make_supplier("sup-a")
    _map(directory, "sup-a")
    bad = edudex_program("sup-a", "P-1")
    bad["programSchedule"]["programRun"][0]["endDate"]["date"] = "2000-01-01"  # before its start: no sense
    directory.emulator.publish(bad)
    directory.emulator.publish(edudex_program("sup-a", "P-2"))
    result = directory.sync()
    assert (result["rejected"], result["stored"]) == (1, 1)
    assert [(e.code, e.program) for e in _connection().errors] == [("edudex_invalid", "sup-a/P-1")]
    view = directory.cfb("GET", "/admin/directory").json_body["connections"][0]
    assert view["errors"][0]["program"] == "sup-a/P-1" and view["last_counts"] == {"rejected": 1, "stored": 1}


def test_R_DEX_01_cfb_connects_only_to_allowed_directories(directory):  # noqa: F811
    body = {"connection_id": "tweede", "name": "Elders", "org_unit_id": "leer-rijk",
            "catalog_id": "0b6f3c52-7a51-4c1e-9d7e-2f4a7e0c9a12", "catalog_kind": "static"}
    for url in ("https://evil.example/data/v1", "http://api.edudex.nl/data/v1", "https://u:p@api.edudex.nl/"):
        refused = directory.cfb("POST", "/admin/directory/connections", {**body, "base_url": url})
        assert refused.status_code == 400 and "base_url" in refused.json_body["error"]["fields"], url
    made = directory.cfb("POST", "/admin/directory/connections", {**body, "base_url": "https://api.edudex.nl/data/v1/"})
    assert made.status_code == 201 and made.json_body["token_parameter"] == "/leer-rijk/local/directory/tweede"
    assert directory.cfb("POST", "/admin/directory/connections",
                         {**body, "base_url": "https://api.edudex.nl/data/v1/"}).status_code == 409
    moved = directory.cfb("PATCH", f"/admin/directory/connections/{CONNECTION}",
                          {"base_url": "https://evil.example/"})
    assert moved.status_code == 400


def test_R_DEX_03_a_held_program_follows_its_changes_and_leaves_with_its_removal(directory):  # noqa: F811
    with_contact = edudex_program("opleider-nieuw", "N-1", "Leren onderhandelen")
    with_contact["programContacts"] = {"contactData": [
        {"contactName": "Jan Jansen", "role": "program manager", "email": "jan.jansen@opleider.example"}]}
    directory.emulator.publish(with_contact)
    directory.emulator.publish(edudex_program("opleider-nieuw", "N-2", "Leren presenteren"))
    directory.sync()
    directory.emulator.change("opleider-nieuw", "N-1", lambda d: d["programDescriptions"]["programName"].update(
        nl="Beter onderhandelen"))
    directory.emulator.set_status("opleider-nieuw", "N-2", "removed")

    result = directory.sync()

    assert (result["held"], result["withdrawn"]) == (1, 1)
    assert [(h.program_id, h.name) for h in HeldProgram.query("opleider-nieuw")] == [("N-1", "Beter onderhandelen")]
    assert DirectorySupplier.get("opleider-nieuw").held == 1
    held = json.loads(zlib.decompress(HeldProgram.get("opleider-nieuw", "N-1").document))
    assert held["programContacts"] == {} and "Jansen" not in json.dumps(held)  # no contact persons kept


def test_R_DEX_01_a_program_the_directory_cannot_give_is_listed_and_the_cursor_moves_on(directory):  # noqa: F811
    make_supplier("sup-a")
    _map(directory, "sup-a")
    directory.emulator.publish(edudex_program("sup-a", "P-1"))
    directory.emulator.add_entries([{"status": "active", "supplierId": "sup-a", "programId": "P-zonder-document",
                                     "clientId": None, "lastChange": "2026-01-01T00:00:00Z"}])
    result = directory.sync()
    assert (result["stored"], result["failed"]) == (1, 1)
    assert [(e.code, e.program) for e in _connection().errors] == [("program_unavailable", "sup-a/P-zonder-document")]
    assert _connection().cursor_key == "sup-a/P-1"  # the newest change, after the one that failed
