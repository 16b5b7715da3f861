"""The local stack's demo data: at least 40 realistic courses (issue 3), brought in by a sync from the local
EDU-DEX emulator through the import path (R_DEX_04); and demo reviews on a followed run (issue 13)."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.catalogue import index as catalogue_index
from chalicelib.models import Course, Execution
from chalicelib.platform import clock
from devstack import seed
from devstack.demo_catalogue import COURSES


def test_R_DEX_04_demo_catalogue_arrives_by_a_sync_from_the_emulator_and_covers_the_catalogue(client):
    """Demo data for the local stack (R_CAT_05 itself is proved through PUT /supplier/programs; the sync in
    tests/functional/test_directory_sync.py)."""
    for organisation in seed.organisations():
        organisation.save()
    for supplier in seed.suppliers():
        supplier.save()
    from devstack import demo_directory
    from devstack.demo_catalogue import seed_catalogue

    assert seed_catalogue() == {"courses": len(COURSES), "held EDU-DEX programs": 2}
    emulator = demo_directory.running()
    assert emulator is not None and emulator.calls("/programs/bulk") == 2  # not a direct write: a sync
    courses = list(Course.scan())
    executions = list(Execution.scan())
    assert len(courses) >= 40
    assert {c.theme for c in courses} == {f"T{i}" for i in range(1, 12)}
    assert len({e.city for e in executions if e.city}) >= 3 and any(e.online for e in executions)
    restricted = {code for c in courses if c.open_for for code in c.open_for}
    assert len(restricted) >= 2
    assert any(c.salary_scales for c in courses) and any(e.status == "cancelled" for e in executions)
    today = clock.now().date()
    assert all(today < date.fromisoformat(e.start_day) <= today + timedelta(days=366)
               for e in executions)
    assert all(c.name and c.summary and c.description for c in courses)
    assert len(catalogue_index.current().docs) == len(courses)


def test_R_REV_02_R_REV_04_demo_data_shows_reviews_of_a_followed_run(client):
    """`make run` (the whole seed): three demo employees followed a run that ended last week and reviewed
    it through the review path; visitors see the rating, employees the texts, the author their own."""
    import json

    from chalicelib.accounts import use_cases as accounts
    from chalicelib.catalogue import use_cases as catalogue
    from chalicelib.models import OrderLine
    from chalicelib.orders import rules as order_rules
    from devstack import demo_reviews
    from tests.functional.test_acc_support import call, start_session

    summary = seed.seed_demo()
    assert summary.created["demo reviews"] == len(demo_reviews.REVIEWERS) == 3
    course_id = catalogue.course_id_for(demo_reviews.SUPPLIER_ID, demo_reviews.PROGRAM_ID)
    visitor = client.http.get(f"/courses/{course_id}/reviews").json_body
    assert visitor["summary"]["count"] == 3 and visitor["summary"]["average"] == 4.3 and visitor["items"] == []
    sem = accounts.find_by_email("sem.jansen@minbzk.nl")
    assert sem is not None
    token = start_session(sem.account_id)
    seen = call(client, "GET", f"/courses/{course_id}/reviews", token).json_body
    assert len(seen["items"]) == 3 and seen["writing"] == "already_reviewed"
    assert len([item for item in seen["items"] if "Jansen" in json.dumps(item)]) == 1  # only the named one
    assert len(call(client, "GET", "/me/reviews", token).json_body["items"]) == 1
    assert OrderLine.get(order_rules.line_id_for("e-demo-review-0")).kind == "order"  # on the order list too
