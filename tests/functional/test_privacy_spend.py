"""R_ENR_10: the spend overview for CFB counts live and anonymised enrolments alike, shows no personal
data, and downloads as a safe CSV."""

from __future__ import annotations

import csv
import io
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
    rows = _csv(by_theme, ";")
    assert rows[1] == ["thema", "'=Projectmanagement", "'=Projectmanagement", "495,00", "1", "1"]  # neutralised


def _csv(response, delimiter: str) -> list[list[str]]:
    text = response.body.decode("utf-8-sig") if isinstance(response.body, bytes) else response.body.lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _enrolled_month(client, theme: str) -> str:
    fx.organisation()
    fx.account()
    world = fx.publish(client)
    Course(world.course_id).update(actions=[Course.theme.set(theme)])
    with acting_as(Access.EMPLOYEE, org_id="org-bzk", level=1):
        first = fx.post_json(client, "/enrolments", fx.form(world), key="a").json_body["enrolment_id"]
    return Enrolment.get(first).start_day[:7]


def test_R_ENR_10_the_spend_overview_shows_theme_labels_and_downloads_in_dutch(client):
    """Themes by their label from the EDU-DEX theme list, on the page (JSON) and in the CSV, read back with
    Python's csv module in the Dutch dialect (`;`): Dutch headers, words and a dated file name (issue 28)."""
    month = _enrolled_month(client, "T6")
    page = _spend(client, f"from={month}&to={month}&group=theme").json_body
    assert [(g["key"], g["label"]) for g in page["groups"]] == [("T6", "Leiderschap en management")]
    download = _spend(client, f"from={month}&to={month}&group=theme&format=csv")
    assert download.headers["Content-Disposition"] == \
        f'attachment; filename="uitgaven-per-thema-{month}-tot-{month}.csv"'
    assert _csv(download, ";") == [
        ["Indeling", "Code", "Naam", "Bedrag (euro)", "Inschrijvingen", "Waarvan geanonimiseerd"],
        ["thema", "T6", "Leiderschap en management", "495,00", "1", "0"]]
    by_month = _spend(client, f"from={month}&to={month}&group=month").json_body["groups"]
    assert by_month[0]["label"].endswith(month[:4]) and by_month[0]["label"][0].isalpha()


def test_R_ORD_03_no_cell_of_the_spend_csv_starts_a_formula_whichever_delimiter_is_picked(client):
    month = _enrolled_month(client, "T9")
    from chalicelib.models import Organisation

    Organisation("org-bzk").update(actions=[Organisation.name.set("Cursus,=cmd|' /C calc'!A0,x")])
    from chalicelib.accounts import organisations

    organisations.forget_cache()
    download = _spend(client, f"from={month}&to={month}&group=organisation&format=csv")
    for delimiter in (",", ";", "\t"):
        cells = [cell for row in _csv(download, delimiter) for cell in row]
        assert any("=cmd" in c for c in cells), delimiter  # the hostile name is in there, as text
        assert [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))] == [], delimiter
    assert _csv(download, ";")[1][2] == "Cursus,'=cmd|' /C calc'!A0,x"


def test_R_ENR_10_spend_overview_refuses_bad_months(client):
    response = _spend(client, "from=2027-13&to=2027-01")
    assert response.status_code == 400 and "from" in response.json_body["error"]["fields"]
    backwards = _spend(client, "from=2027-05&to=2027-01")
    assert backwards.status_code == 400 and "to" in backwards.json_body["error"]["fields"]
