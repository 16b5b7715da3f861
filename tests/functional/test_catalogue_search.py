"""R_CAT_02-04 and R_VIS_01: search and course pages, organisation-aware."""

from __future__ import annotations

import json
from datetime import date

import pytest

from chalicelib.access import Access
from chalicelib.catalogue import index as catalogue_index
from chalicelib.catalogue import use_cases as catalogue
from chalicelib.models import Execution
from chalicelib.platform import eventlog
from devstack.edudex_builder import Run, program
from tests.functional.helpers import acting_as, bearer, make_supplier

Y = date.today().year + 1


def _publish(client, token, supplier_id, program_id, name, *, summary="Samenvatting", description="Beschrijving",
             runs=None, **kw):
    runs = runs or [Run(f"{program_id}-r1", date(Y, 3, 10), date(Y, 3, 11), "Utrecht")]
    doc = program(supplier_id, program_id, name, summary, description, runs=runs, **kw)
    response = client.http.put(f"/supplier/programs/{program_id}", headers=bearer(token), body=json.dumps(doc))
    assert response.status_code == 200, response.body
    return response.json_body["course_id"]


@pytest.fixture
def catalogue_data(client):
    a = make_supplier("sup-a", kind="intern", name="Academie Overheid")
    b = make_supplier("sup-b", kind="extern", name="Opleider B")
    ids = {
        "desc_only": _publish(client, a, "sup-a", "D", "Vergaderen", description="Ook over projectmanagement",
                              runs=[Run("d1", date(Y, 1, 5), date(Y, 1, 5), "Utrecht")]),
        "name_hit": _publish(client, b, "sup-b", "N", "Projectmanagement voor beginners", theme="T9",
                             runs=[Run("n1", date(Y, 6, 1), date(Y, 6, 2), "Den Haag")]),
        "restricted": _publish(client, a, "sup-a", "R", "Integriteit bij BZK", open_for=["BZK"], theme="T11",
                               runs=[Run("r1", date(Y, 2, 1), date(Y, 2, 1), None, online=True)]),
        "accents": _publish(client, b, "sup-b", "E", "Financiële cursussen", theme="T4",
                            runs=[Run("e1", date(Y, 4, 1), date(Y, 4, 2), "Zwolle", price_eur="1200.00")]),
    }
    return ids


def _search(client, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.http.get(f"/courses?{query}")
    assert response.status_code == 200, response.body
    return response.json_body


def _ids(body):
    return [item["course_id"] for item in body["items"]]


def test_R_VIS_01_visitor_searches_the_public_catalogue_without_an_account(client, catalogue_data):
    body = _search(client)
    assert set(_ids(body)) == {catalogue_data[k] for k in ("desc_only", "name_hit", "accents")}
    item = next(i for i in body["items"] if i["course_id"] == catalogue_data["accents"])
    assert item["executions"][0] == {"id": "e1", "start": f"{Y}-04-01", "end": f"{Y}-04-02", "city": "Zwolle",
                                     "online": False, "price_cents": 120000}
    assert "Set-Cookie" not in client.http.get("/courses").headers


def test_R_VIS_01_R_CAT_02_the_sitemap_lists_exactly_the_public_course_pages(client, catalogue_data):
    """Issue 28: search engines find every course a visitor may open, and never a restricted one."""
    from xml.etree import ElementTree

    from chalicelib.platform.config import settings

    response = client.http.get("/sitemap.xml")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/xml")
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = ElementTree.fromstring(response.body).findall("s:url", namespace)
    urls = [entry.findtext("s:loc", namespaces=namespace) for entry in entries]
    public = sorted(catalogue_data[k] for k in ("desc_only", "name_hit", "accents"))
    assert urls == [f"{settings.portal_origin}/opleiding/?id={course_id}" for course_id in public]
    assert catalogue_data["restricted"] not in response.body.decode()


def test_R_CAT_02_restricted_course_is_seen_only_by_its_organisations(client, catalogue_data):
    restricted = catalogue_data["restricted"]
    assert restricted not in _ids(_search(client))
    assert client.http.get(f"/courses/{restricted}").status_code == 404
    with acting_as(Access.EMPLOYEE, org_id="FIN"):
        assert restricted not in _ids(_search(client))
        assert client.http.get(f"/courses/{restricted}").status_code == 404
    with acting_as(Access.EMPLOYEE, org_id="BZK"):
        assert restricted in _ids(_search(client))
        detail = client.http.get(f"/courses/{restricted}")
    assert detail.status_code == 200
    assert detail.json_body["restricted"] is True


def test_R_CAT_02_supplier_key_does_not_unlock_restricted_courses(client, catalogue_data):
    token = make_supplier("sup-c")
    response = client.http.get(f"/courses/{catalogue_data['restricted']}", headers=bearer(token))
    assert response.status_code == 404


def test_R_CAT_04_name_hit_ranks_above_description_only_hit(client, catalogue_data):
    body = _search(client, q="projectmanagement")
    assert _ids(body) == [catalogue_data["name_hit"], catalogue_data["desc_only"]]
    by_start = _search(client, q="projectmanagement", sort="start")
    assert _ids(by_start) == [catalogue_data["desc_only"], catalogue_data["name_hit"]]


@pytest.mark.parametrize(("q", "key"), [
    ("FINANCIELE", "accents"),       # case and accent insensitive
    ("financiële", "accents"),
    ("fin", "accents"),              # prefix
    ("cursus", "accents"),           # Dutch plural onto its stem
    ("project beginners", "name_hit"),
    ("academie", "desc_only"),       # supplier name is searchable
])
def test_R_CAT_04_free_text_is_case_accent_and_prefix_insensitive(client, catalogue_data, q, key):
    assert catalogue_data[key] in _ids(_search(client, q=q))


def test_R_CAT_04_no_match_is_an_empty_page(client, catalogue_data):
    assert _search(client, q="zzzonbekend") == {"items": [], "next_cursor": None, "suggestions": [], "showing": None,
                                               "place": None}


@pytest.mark.parametrize(("params", "expected"), [
    ({"theme": "T9"}, ["name_hit"]),
    ({"supplier": "sup-b"}, ["accents", "name_hit"]),
    ({"city": "den%20haag"}, ["name_hit"]),
    ({"kind": "intern"}, ["desc_only"]),
    ({"from": f"{Y}-03-01", "to": f"{Y}-04-30"}, ["accents"]),
])
def test_R_CAT_04_filters(client, catalogue_data, params, expected):
    body = _search(client, sort="start", **params)
    assert _ids(body) == [catalogue_data[k] for k in sorted(expected, key=lambda k: {
        "desc_only": 1, "accents": 4, "name_hit": 6}[k])]


def test_R_CAT_04_online_filter_for_employee_of_the_organisation(client, catalogue_data):
    with acting_as(Access.EMPLOYEE, org_id="BZK"):
        assert _ids(_search(client, online="true")) == [catalogue_data["restricted"]]


@pytest.mark.parametrize("params", [
    {"theme": "T99"}, {"kind": "intern,extern"}, {"from": "2026-02-30"}, {"limit": "500"},
    {"from": f"{Y}-05-01", "to": f"{Y}-01-01"}, {"online": "misschien"},
])
def test_R_SEC_02_bad_search_parameters_are_400_naming_the_field(client, params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.http.get(f"/courses?{query}")
    assert response.status_code == 400
    assert response.json_body["error"]["fields"]


def test_R_CAT_04_pages_have_no_duplicates_or_gaps_and_tampered_cursor_is_400(client):
    token = make_supplier("sup-a")
    expected = [
        _publish(client, token, "sup-a", f"P{i:02d}", f"Cursus {i:02d}",
                 runs=[Run(f"r{i}", date(Y, 1 + i % 12, 1 + i % 27), date(Y, 1 + i % 12, 1 + i % 27), "Utrecht")])
        for i in range(23)
    ]
    seen, cursor = [], None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        body = client.http.get(f"/courses?q=cursus&limit=5{suffix}").json_body
        seen += _ids(body)
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
    first = client.http.get("/courses?q=cursus&limit=5").json_body["next_cursor"]
    body, _, sig = first.partition(".")
    tampered = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + sig
    assert client.http.get(f"/courses?q=cursus&limit=5&cursor={tampered}").status_code == 400
    other_query = client.http.get(f"/courses?q=anders&limit=5&cursor={first}")
    assert other_query.status_code == 400
    assert other_query.json_body["error"]["fields"] == {"cursor": "Ongeldig."}


def test_R_CAT_04_search_term_logged_on_submit_without_identifying_the_searcher(client, catalogue_data):
    before = len(eventlog.recent())
    _search(client, q="project")  # a keystroke: not logged
    assert len(eventlog.recent()) == before
    with acting_as(Access.EMPLOYEE, org_id="BZK"):
        _search(client, q="project%20piet%40minbzk.nl", log="true")
    entry = eventlog.recent()[0]
    assert entry["kind"] == "search"
    assert entry["detail"] == {"term": "project [e-mail]", "results": 2}  # R_CAT_07: "project" alone finds


def test_R_CAT_01_course_page_shows_supplier_kind_and_executions_with_live_seats_and_terms(client, catalogue_data):
    """A course belongs to a supplier, is intern or extern, and has executions with dates, place, price,
    seats and cancellation terms (here the supplier's 14 days); seats taken show at once."""
    course_id = catalogue_data["accents"]
    Execution(course_id, "e1").update(actions=[Execution.seats_taken.set(5)])
    body = client.http.get(f"/courses/{course_id}").json_body
    assert (body["name"], body["supplier_id"], body["supplier_name"], body["kind"]) == (
        "Financiële cursussen", "sup-b", "Opleider B", "extern")
    assert body["theme_label"] == "Financiën en inkoop"
    [execution] = body["executions"]
    assert (execution["start"], execution["end"], execution["city"]) == (f"{Y}-04-01", f"{Y}-04-02", "Zwolle")
    assert (execution["seats"], execution["seats_left"], execution["price_cents"]) == (12, 7, 120000)
    assert (execution["cancellation_free_days"], execution["last_free_cancellation_day"]) == (14, f"{Y}-03-18")
    intern = client.http.get(f"/courses/{catalogue_data['desc_only']}").json_body
    assert (intern["supplier_id"], intern["kind"]) == ("sup-a", "intern")


def test_R_CAT_05_index_loaded_before_a_put_serves_the_update_on_the_next_request(client, catalogue_data):
    token = make_supplier("sup-z")
    assert _search(client, q="beginners")["items"]  # this container has loaded the index
    loaded = catalogue_index.current()
    _publish(client, token, "sup-z", "NEW", "Beginners in Python")
    assert catalogue_index._cached is not loaded or loaded.version != catalogue_index._read_pointer()["build_id"]
    catalogue_index._cached = loaded  # another container still holds the old build
    names = [i["name"] for i in _search(client, q="beginners")["items"]]
    assert "Beginners in Python" in names


def test_search_makes_one_database_call_once_warm_and_no_scan(client, catalogue_data):
    from tests.functional.conftest import calls

    _search(client, q="project")
    calls.clear()
    _search(client, q="project")
    assert dict(calls) == {"GetItem": 1}
    assert catalogue.course_id_for("sup-a", "D") == catalogue_data["desc_only"]


def test_R_CAT_02_organisation_sees_courses_open_to_any_of_its_catalogue_codes(client, catalogue_data):
    from chalicelib.models import Organisation
    from chalicelib.platform import clock

    Organisation("org-bzk", name="BZK", domains={"minbzk.nl"}, catalogue_codes={"BZK", "BZK1"},
                 created_at=clock.now()).save()
    Organisation("org-duo", name="DUO", domains={"duo.nl"}, catalogue_codes={"OCW"}, created_at=clock.now()).save()
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        assert catalogue_data["restricted"] in _ids(_search(client))
    with acting_as(Access.EMPLOYEE, org_id="org-duo"):
        assert catalogue_data["restricted"] not in _ids(_search(client))


@pytest.mark.parametrize(("typed", "logged"), [
    ("Jan de Vries 0612345678", "Jan de Vries [nummer]"),
    ("excel bsn 123456782", "excel bsn [nummer]"),
    ("cursus +31 (0)70 123 4567", "cursus [nummer]"),
    ("piet.devries@minbzk.nl projectleider", "[e-mail] projectleider"),
    ("mail piet@ of 06-1234 5678", "mail [e-mail] of [nummer]"),
    ("ISO 27001 excel 2016", "ISO 27001 excel 2016"),  # short numbers are course words, kept
])
def test_R_CAT_04_R_LOG_01_search_terms_are_logged_without_numbers_or_addresses(client, catalogue_data, typed, logged):
    from urllib.parse import quote

    with acting_as(Access.EMPLOYEE, org_id="BZK"):
        assert client.http.get(f"/courses?q={quote(typed)}&log=true").status_code == 200
    entry = eventlog.recent()[0]
    assert (entry["kind"], entry["detail"]["term"]) == ("search", logged)


def test_R_CAT_04_R_LOG_01_a_logged_search_term_is_at_most_100_characters(client, catalogue_data):
    typed = "projectmanagement " * 11  # 198 characters, the query allows 200
    assert client.http.get(f"/courses?q={typed.strip().replace(' ', '%20')}&log=true").status_code == 200
    term = eventlog.recent()[0]["detail"]["term"]
    assert len(term) == 100 and typed.startswith(term)
