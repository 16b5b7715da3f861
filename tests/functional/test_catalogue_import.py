"""R_CAT_01, R_CAT_05, R_CAT_06: suppliers publish EDU-DEX programs with their API key."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from chalicelib.catalogue import use_cases as catalogue
from chalicelib.models import Course, Execution
from chalicelib.platform import eventlog
from chalicelib.suppliers import apikeys
from devstack.edudex_builder import Run, program
from tests.functional.helpers import bearer, make_supplier

NEXT_YEAR = date.today().year + 1


def _program(program_id: str = "P-1", supplier_id: str = "sup-a", **overrides) -> dict:
    runs = overrides.pop("runs", None) or [
        Run("r1", date(NEXT_YEAR, 3, 10), date(NEXT_YEAR, 3, 11), "Utrecht", price_eur="495.00", seats=2,
            extra_costs=[("study material", "55.50", True), ("lunch", "20.00", False)]),
        Run("r2", date(NEXT_YEAR, 5, 1), date(NEXT_YEAR, 5, 1), None, online=True, seats=None),
    ]
    return program(supplier_id, program_id, overrides.pop("name", "Projectmatig werken"),
                   "Grip op projecten", "Leer plannen, sturen en afronden.", runs=runs, **overrides)


def _put(client, token: str, doc: dict, program_id: str = "P-1"):
    return client.http.put(f"/supplier/programs/{program_id}", headers=bearer(token), body=json.dumps(doc))


def test_R_CAT_05_R_CAT_03_valid_program_creates_course_executions_and_requirements(client):
    token = make_supplier(kind="intern")
    doc = _program(open_for=["BZK", "FIN"], salary_scales=[8, 9, 10],
                   requirements=[("previous education", "hbo-denkniveau")], name_en="Project work")
    response = _put(client, token, doc)
    assert response.status_code == 200, response.body
    course_id = response.json_body["course_id"]
    course = Course.get(course_id)
    assert (course.name, course.kind, course.theme) == ("Projectmatig werken", "intern", "T1")
    assert course.open_for == {"BZK", "FIN"}
    assert course.salary_scales == ["8", "9", "10"]
    assert course.requirements == ["Salarisschaal 8 tot en met 10", "Vooropleiding: hbo-denkniveau"]
    runs = {e.execution_id: e for e in Execution.query(course_id)}
    assert runs["r1"].price_cents == 49500 + 5550  # required costs only
    assert runs["r1"].seats == 2 and runs["r1"].city == "Utrecht"
    assert runs["r2"].seats is None and runs["r2"].online  # no maximum: unlimited
    assert eventlog.recent()[0]["kind"] == "supplier_update"


def test_R_CAT_05_english_text_is_used_when_dutch_is_missing(client):
    token = make_supplier()
    doc = _program()
    doc["programDescriptions"]["programName"] = {"en": "Negotiation skills"}
    assert _put(client, token, doc).status_code == 200
    assert Course.get(catalogue.course_id_for("sup-a", "P-1")).name == "Negotiation skills"


@pytest.mark.parametrize(("mutate", "pointer"), [
    (lambda d: d.pop("programDescriptions"), "/"),
    (lambda d: d["programClassification"].__setitem__("themeRijksoverheidLevel1", "T99"),
     "/programClassification/themeRijksoverheidLevel1"),
    (lambda d: d["programSchedule"]["programRun"][0]["startDate"].__setitem__("date", f"{NEXT_YEAR}-02-30"),
     "/programSchedule/programRun/0/startDate/date"),
    (lambda d: d.__setitem__("lastEdited", "gisteren"), "/lastEdited"),
    (lambda d: d["programSchedule"]["programRun"][0].__setitem__("maxNumberOfParticipants", -1),
     "/programSchedule/programRun/0/maxNumberOfParticipants"),
    (lambda d: d["programSchedule"]["programRun"][0].__setitem__("unknownField", 1),
     "/programSchedule/programRun/0"),
])
def test_R_CAT_05_schema_errors_are_listed_as_json_pointers_and_change_nothing(client, mutate, pointer):
    token = make_supplier()
    doc = _program()
    mutate(doc)
    response = _put(client, token, doc)
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "edudex_invalid"
    assert pointer in response.json_body["error"]["fields"]
    assert list(Course.scan()) == [] and list(Execution.scan()) == []


@pytest.mark.parametrize(("mutate", "pointer"), [
    (lambda d: d["programSchedule"]["programRun"][0]["endDate"].__setitem__("date", f"{NEXT_YEAR}-03-01"),
     "/programSchedule/programRun/0/endDate/date"),
    (lambda d: d["programSchedule"]["programRun"][1].__setitem__("id", "r1"), "/programSchedule/programRun/1/id"),
    (lambda d: d["programSchedule"]["programRun"][0]["cost"][0].__setitem__("amount", "-10.00"),
     "/programSchedule/programRun/0/cost/0/amount"),
    (lambda d: d["programSchedule"]["programRun"][0]["cost"][0].__setitem__("currency", "USD"),
     "/programSchedule/programRun/0/cost/0/currency"),
    (lambda d: d["programClassification"].__setitem__("programId", "P-2"), "/programClassification/programId"),
    (lambda d: d["programSchedule"]["programRun"][0].__setitem__("applicationDeadline", f"{NEXT_YEAR}-04-01"),
     "/programSchedule/programRun/0/applicationDeadline"),
])
def test_R_CAT_05_sense_errors_are_refused_and_change_nothing(client, mutate, pointer):
    token = make_supplier()
    doc = _program()
    mutate(doc)
    response = _put(client, token, doc)
    assert response.status_code == 400
    assert pointer in response.json_body["error"]["fields"]
    assert list(Course.scan()) == []


def test_R_SEC_02_invalid_json_and_wrong_content_type_are_4xx(client):
    token = make_supplier()
    bad_json = client.http.put("/supplier/programs/P-1", headers=bearer(token), body=b"{nope")
    assert bad_json.status_code == 400
    wrong_type = client.http.put("/supplier/programs/P-1", headers={**bearer(token), "Content-Type": "text/xml"},
                                 body=b"<x/>")
    assert wrong_type.status_code == 415
    assert wrong_type.json_body["error"]["code"] == "unsupported_media_type"


def test_R_CAT_05_body_over_the_limit_is_413(client):
    token = make_supplier()
    doc = _program()
    doc["programDescriptions"]["programDescriptionText"] = {"nl": "x" * (1024 * 1024)}
    response = _put(client, token, doc)
    assert response.status_code == 413
    assert list(Course.scan()) == []


def test_R_CAT_05_supplier_cannot_touch_another_suppliers_program(client):
    token_a = make_supplier("sup-a")
    make_supplier("sup-b", name="Opleider B")
    response = _put(client, token_a, _program(supplier_id="sup-b"))
    assert response.status_code == 403
    assert response.json_body["error"]["code"] == "not_your_program"
    assert list(Course.scan()) == []


def test_R_CAT_06_revoked_or_wrong_key_is_401(client):
    token = make_supplier()
    key_id = token.split(".")[0]
    wrong = _put(client, key_id + ".wrongsecret", _program())
    assert wrong.status_code == 401
    apikeys.revoke_key(key_id)
    revoked = _put(client, token, _program())
    assert revoked.status_code == 401
    assert revoked.json_body["error"]["code"] == "revoked_api_key"
    assert list(Course.scan()) == []


def test_R_CAT_06_R_SEC_04_keys_are_stored_hashed_and_last_use_written_once_a_day(client):
    from chalicelib.models import ApiKey
    from tests.functional.conftest import calls

    token = make_supplier()
    key_id, secret = token.split(".")
    stored = ApiKey.get(key_id)
    assert secret not in json.dumps(stored.attribute_values, default=str)
    assert _put(client, token, _program()).status_code == 200
    assert ApiKey.get(key_id).last_used_on is not None
    calls.clear()
    client.http.delete("/supplier/programs/unknown", headers=bearer(token))
    assert calls["UpdateItem"] == 0  # already written today


def test_R_CAT_05_older_last_edited_is_409(client):
    token = make_supplier()
    assert _put(client, token, _program(last_edited="2026-11-02T10:00:00Z")).status_code == 200
    response = _put(client, token, _program(name="Oud", last_edited="2026-11-01T10:00:00Z"))
    assert response.status_code == 409
    assert Course.get(catalogue.course_id_for("sup-a", "P-1")).name == "Projectmatig werken"


def test_R_CAT_05_reimport_never_touches_seats_taken_and_cancels_runs_with_enrolments(client):
    token = make_supplier()
    assert _put(client, token, _program()).status_code == 200
    course_id = catalogue.course_id_for("sup-a", "P-1")
    Execution(course_id, "r1").update(actions=[Execution.seats_taken.set(1)])
    Execution(course_id, "r2").update(actions=[Execution.seats_taken.set(1)])
    doc = _program(last_edited="2026-11-03T10:00:00Z")
    doc["programSchedule"]["programRun"] = doc["programSchedule"]["programRun"][:1]  # r2 disappears
    doc["programSchedule"]["programRun"][0]["maxNumberOfParticipants"] = 5
    response = _put(client, token, doc)
    assert response.json_body["cancelled_with_enrolments"] == 1
    r1, r2 = Execution.get(course_id, "r1"), Execution.get(course_id, "r2")
    assert (r1.seats, r1.seats_taken, r1.status) == (5, 1, "open")
    assert (r2.status, r2.seats_taken, r2.due_notify) == ("cancelled", 1, "due")


def test_R_CAT_05_canceled_run_with_enrolments_is_marked_for_notification(client):
    token = make_supplier()
    assert _put(client, token, _program()).status_code == 200
    course_id = catalogue.course_id_for("sup-a", "P-1")
    Execution(course_id, "r1").update(actions=[Execution.seats_taken.set(2)])
    doc = _program(last_edited="2026-11-03T10:00:00Z")
    doc["programSchedule"]["programRun"][0]["status"] = "canceled"
    assert _put(client, token, doc).status_code == 200
    assert Execution.get(course_id, "r1").due_notify == "due"
    assert Execution.get(course_id, "r1").status == "cancelled"


def test_R_CAT_05_delete_withdraws_program_and_keeps_runs_with_enrolments(client):
    token = make_supplier()
    assert _put(client, token, _program()).status_code == 200
    course_id = catalogue.course_id_for("sup-a", "P-1")
    Execution(course_id, "r1").update(actions=[Execution.seats_taken.set(1)])
    response = client.http.delete("/supplier/programs/P-1", headers=bearer(token))
    assert response.status_code == 200
    assert Course.get(course_id).status == "withdrawn"
    assert Execution.get(course_id, "r1").status == "cancelled"
    assert [e.execution_id for e in Execution.query(course_id)] == ["r1"]
    assert client.http.get(f"/courses/{course_id}").status_code == 404
    assert client.http.delete("/supplier/programs/P-1", headers=bearer(token)).status_code == 404


def test_R_CAT_05_identical_reimport_is_idempotent(client):
    token = make_supplier()
    doc = _program()
    first = _put(client, token, doc)
    second = _put(client, token, copy.deepcopy(doc))
    assert first.json_body == second.json_body
    assert len(list(Execution.query(first.json_body["course_id"]))) == 2


def test_R_CAT_07_rebuild_index_publishes_every_active_course_from_storage(client, capsys):
    """After a deploy that changes indexing, or a lost build: `python -m tools.catalogue rebuild-index`
    rebuilds the search index from the stored courses and runs; a withdrawn course stays out."""
    from chalicelib.catalogue import index as catalogue_index
    from tools import catalogue as catalogue_tool

    token_a, token_b = make_supplier("sup-a"), make_supplier("sup-b", name="Opleider B")
    assert _put(client, token_a, _program("P-1", name="Projectmatig werken")).status_code == 200
    assert _put(client, token_b, _program("P-2", "sup-b", name="Projectmanagement voor beleid"),
                "P-2").status_code == 200
    assert _put(client, token_a, _program("P-3", name="Schrijven voor het web"), "P-3").status_code == 200
    assert client.http.delete("/supplier/programs/P-3", headers=bearer(token_a)).status_code == 200
    before = {item["course_id"] for item in client.http.get("/courses?q=project").json_body["items"]}
    catalogue_index.replace_all([])  # the index is lost (or built by an older rule)
    assert client.http.get("/courses?q=project").json_body["items"] == []

    assert catalogue_tool.main(["rebuild-index"]) == 0
    assert "2 opleiding(en) van 2 leverancier(s)" in capsys.readouterr().out
    after = {item["course_id"] for item in client.http.get("/courses?q=project").json_body["items"]}
    assert after == before == {catalogue.course_id_for("sup-a", "P-1"), catalogue.course_id_for("sup-b", "P-2")}
    assert client.http.get("/courses?q=schrijven").json_body["items"] == []  # withdrawn stays out
    assert catalogue_tool.main(["rebuild-index"]) == 0  # idempotent
    assert len(catalogue_index.current().docs) == 2
