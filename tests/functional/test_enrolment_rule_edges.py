"""Edges of the enrolment rules that no test reached (issue 22 item 16, the mutation run): the
anonymisation day of a run ending in January (R_ENR_10) and a restricted run for its own
organisation (R_CAT_02), through the enrolment route and the anonymisation job."""

from __future__ import annotations

from datetime import date

from chalicelib.access import Access
from chalicelib.models import Enrolment
from chalicelib.platform import clock
from tests.functional import enrolment_fixtures as fx
from tests.functional.helpers import acting_as
from tests.functional.privacy_fixtures import noon, run_job


def _enrol(client, world: fx.World):
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", level=1):
        return fx.post_json(client, "/enrolments", fx.form(world), key="k1")


def test_R_ENR_10_a_run_ending_in_january_is_anonymised_twelve_months_later_not_a_year_off(client):
    fx.organisation()
    fx.account()
    end = date(date.today().year + 1, 1, 15)
    world = fx.publish(client, start_in_days=(end - date.today()).days - 1)
    response = _enrol(client, world)
    assert response.status_code == 201, response.body
    enrolment_id = response.json_body["enrolment_id"]
    enrolment = Enrolment.get(enrolment_id)
    assert enrolment.original_end_day == end.isoformat()
    assert enrolment.anonymise_day == date(end.year + 1, 1, 15).isoformat()

    clock.freeze(noon(date(end.year + 1, 1, 14)))
    assert run_job(client, "anonymise_enrolments")["count"] == 0
    assert Enrolment.get(enrolment_id).first_name == "Sem"
    clock.freeze(noon(date(end.year + 1, 1, 15)))
    assert run_job(client, "anonymise_enrolments")["count"] == 1
    assert Enrolment.get(enrolment_id).anonymised is True


def test_R_CAT_02_a_restricted_run_admits_its_own_organisation(client):
    fx.organisation(codes=("BZK",))
    fx.account()
    world = fx.publish(client, open_for=["BZK", "FIN"])
    response = _enrol(client, world)
    assert response.status_code == 201, response.body
    assert Enrolment.get(response.json_body["enrolment_id"]).execution_id == world.execution_id
