"""R_ENR_10: the spend overview for CFB counts live and anonymised enrolments alike, shows no personal
data, and downloads as a safe CSV."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.access import Access
from chalicelib.models import Course, Enrolment
from chalicelib.platform import clock
from tests.functional import enrolment_fixtures as fx
from tests.functional.helpers import acting_as
from tests.functional.privacy_fixtures import noon, run_job


def _spend(client, query: str):
    with acting_as(Access.CFB, org_id=None):
        return client.http.get(f"/admin/spend?{query}")


def test_R_ENR_10_anonymised_enrolments_still_count_in_the_spend_overview(client):
    fx.organisation()
    fx.account()
    world = fx.publish(client)
    Course(world.course_id).update(actions=[Course.theme.set("=Projectmanagement")])
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", level=1):
        first = fx.post_json(client, "/enrolments", fx.form(world), key="a").json_body["enrolment_id"]
        fx.post_json(client, "/enrolments", fx.form(world, email="x@minbzk.nl"), key="b")
    enrolment = Enrolment.get(first)
    month = enrolment.start_day[:7]
    query = f"from={month}&to={month}&group=organisation"

    before = _spend(client, query)
    assert before.status_code == 200, before.body
    assert before.json_body["groups"] == [{"key": "org-bzk", "label": "Ministerie van BZK", "amount_cents": 49500,
                                           "count": 1, "anonymised": 0}]

    clock.freeze(noon(date.fromisoformat(enrolment.anonymise_day) + timedelta(days=1)))
    assert run_job(client, "anonymise_enrolments")["count"] == 1
    assert Enrolment.get(first).first_name is None

    after = _spend(client, query).json_body
    assert after["groups"] == [{"key": "org-bzk", "label": "Ministerie van BZK", "amount_cents": 49500, "count": 1,
                                "anonymised": 1}]
    assert after["total_cents"] == before.json_body["total_cents"]
    assert "Sem" not in repr(after) and "minbzk.nl" not in repr(after)

    by_theme = _spend(client, f"from={month}&to={month}&group=theme&format=csv")
    assert by_theme.status_code == 200 and by_theme.headers["Content-Type"].startswith("text/csv")
    text = by_theme.body.decode("utf-8") if isinstance(by_theme.body, bytes) else by_theme.body
    assert text.startswith("\ufeffgroep;sleutel;naam;bedrag_euro;inschrijvingen;waarvan_geanonimiseerd\r\n")
    assert "theme;'=Projectmanagement;'=Projectmanagement;495,00;1;1\r\n" in text  # formula neutralised


def test_R_ENR_10_spend_overview_refuses_bad_months(client):
    response = _spend(client, "from=2027-13&to=2027-01")
    assert response.status_code == 400 and "from" in response.json_body["error"]["fields"]
    backwards = _spend(client, "from=2027-05&to=2027-01")
    assert backwards.status_code == 400 and "to" in backwards.json_body["error"]["fields"]
