"""R_CAT_07: the search finds what civil servants type, through GET /api/courses.

Compound words both ways, inflections (Snowball), typos (one edit for 4+ letters, two for 8+,
never the first letter of a short word), synonyms and abbreviations, a place in the query,
several words of which only some match, and "Bedoelde u" suggestions when nothing is found.
"""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import quote

import pytest

from chalicelib.access import Access
from devstack.edudex_builder import Run, program
from tests.functional.helpers import acting_as, bearer, make_supplier

Y = date.today().year + 1

COURSES = {
    # key: (name, summary, description, search words, city, month)
    "excel": ("Excel voor gevorderden", "Draaitabellen en formules.", "Oefenen met eigen gegevens.",
              ["rekenen"], "Zwolle", 3),
    "excel_desc": ("Rapporteren voor managers", "Cijfers helder presenteren.", "Met een blok over Excel.",
                   [], "Utrecht", 1),
    "security": ("Informatiebeveiliging in de praktijk", "Risico's in kaart brengen.", "Voor teams.",
                 [], "Den Haag", 4),
    "sharing": ("Informatie delen met partners", "Afspraken over uitwisselen.", "Met voorbeelden.",
                [], "Zwolle", 5),
    "privacy": ("Privacy by design", "Ontwerpen met oog voor de burger.", "Met oefeningen.",
                [], "Den Haag", 6),
    "conversation": ("Het goede gesprek", "Vaardigheden voor lastige situaties.", "Met een acteur.",
                     [], "Amsterdam", 7),
    "conflicts": ("Omgaan met conflicten", "De-escaleren in het contact met burgers.", "Veilig melden.",
                  [], "Eindhoven", 8),
    "meetings": ("Vergadertechnieken", "Kortere vergaderingen.", "Voorzitten en notuleren.",
                 [], "Utrecht", 9),
    "integrity": ("Integriteit in de praktijk", "Dilemma's bespreken.", "Met casussen.", [], "Amsterdam", 10),
}


@pytest.fixture
def ids(client):
    token = make_supplier("sup-m", name="Leerhuis")
    found = {}
    for number, (key, (name, summary, description, words, city, month)) in enumerate(COURSES.items()):
        runs = [Run(f"{key}-1", date(Y, month, 2), date(Y, month, 2), city)]
        doc = program("sup-m", f"M{number}", name, summary, description, runs=runs, search_words=words or None)
        response = client.http.put(f"/supplier/programs/M{number}", headers=bearer(token), body=json.dumps(doc))
        assert response.status_code == 200, response.body
        found[key] = response.json_body["course_id"]
    return found


def _search(client, q, **params):
    query = "&".join([f"q={quote(q)}", *(f"{k}={v}" for k, v in params.items())])
    response = client.http.get(f"/courses?{query}")
    assert response.status_code == 200, response.body
    return response.json_body


def _found(client, q, ids, **params):
    by_id = {v: k for k, v in ids.items()}
    return [by_id[item["course_id"]] for item in _search(client, q, **params)["items"]]


def test_R_CAT_07_compound_query_word_is_split_into_catalogue_parts(client, ids):
    # "excelvaardigheden" is no word of the catalogue; "excel" and "vaardigheden" are
    found = _found(client, "excelvaardigheden", ids)
    assert {"excel", "conversation"} <= set(found)


def test_R_CAT_07_query_word_finds_the_compound_that_contains_it(client, ids):
    # no course has the word "beveiliging" itself, nor a word starting with it
    assert _found(client, "beveiliging", ids) == ["security"]


def test_R_CAT_07_adjacent_query_words_are_joined_into_the_catalogue_compound(client, ids):
    found = _found(client, "informatie beveiliging", ids)
    assert found[0] == "security"  # the joined word outranks the exact title word "informatie"
    assert "sharing" in found


def test_R_CAT_07_inflection_finds_the_other_form_through_the_snowball_stem(client, ids):
    assert "conversation" in _found(client, "gesprekken", ids)  # the course says "gesprek"
    assert "meetings" in _found(client, "vergadering", ids)  # the course says "vergaderingen"


def test_R_CAT_07_typo_one_edit_for_words_of_four_letters_or_more(client, ids):
    assert _found(client, "exel", ids)[0] == "excel"
    assert _found(client, "privasy", ids) == ["privacy"]


def test_R_CAT_07_typo_two_edits_for_words_of_eight_letters_or_more(client, ids):
    assert _found(client, "integritiet", ids) == ["integrity"]  # two letters swapped: two edits
    assert _found(client, "vergaderteknieken", ids) == ["meetings"]
    assert _found(client, "exxcell", ids) == []  # two edits in a word of seven letters: too many


def test_R_CAT_07_short_word_typo_never_changes_the_first_letter(client, ids):
    body = _search(client, "wxcel")
    assert body["items"] == []
    assert body["suggestions"] == ["excel"]
    assert _found(client, "exc", ids)[0] == "excel"  # a prefix still works while typing


def test_R_CAT_07_synonyms_and_abbreviations_find_the_course(client, ids):
    assert _found(client, "gegevensbescherming", ids) == ["privacy"]
    assert _found(client, "AVG", ids) == ["privacy"]
    assert _found(client, "spreadsheet", ids)[0] == "excel"


def test_R_CAT_07_place_in_the_query_finds_runs_there(client, ids):
    assert set(_found(client, "utrecht", ids)) == {"excel_desc", "meetings"}
    assert set(_found(client, "den haag", ids)) == {"security", "privacy"}
    assert _found(client, "excel zwolle", ids)[0] == "excel"  # both words


def test_R_CAT_07_several_words_find_courses_matching_some_ranked_by_how_many(client, ids):
    found = _found(client, "omgaan met conflicten op kantoor", ids)  # "kantoor" matches nothing
    assert found[0] == "conflicts"
    found = _found(client, "lastige gesprekken", ids)
    assert found[0] == "conversation"  # both words, before courses with one


def test_R_CAT_07_exact_title_match_before_description_match(client, ids):
    assert _found(client, "excel", ids) == ["excel", "excel_desc"]


def test_R_CAT_07_nothing_found_suggests_terms_that_do_find_something(client, ids):
    body = _search(client, "vergaderteknikken")  # three edits: no typo match
    assert body["items"] == [] and body["next_cursor"] is None
    assert body["suggestions"] == []
    body = _search(client, "vergadertchnieken")  # one edit: found, so no suggestions
    assert [item["name"] for item in body["items"]] == ["Vergadertechnieken"] and body["suggestions"] == []
    body = _search(client, "gesprek xxcel")  # the page is not empty: no suggestions
    assert body["items"] and body["suggestions"] == []
    body = _search(client, "ntegriteit")  # short-word rule does not apply to 10 letters: found directly
    assert body["items"]
    body = _search(client, "omgaan met xonflict")
    assert body["items"]  # "omgaan" alone finds


def test_R_CAT_07_suggestions_respect_visibility(client, ids):
    token = make_supplier("sup-r")
    doc = program("sup-r", "R1", "Tempest en afscherming", "Alleen BZK.", "Gerubriceerd.",
                  runs=[Run("r1", date(Y, 2, 1), date(Y, 2, 1), "Utrecht")], open_for=["BZK"])
    assert client.http.put("/supplier/programs/R1", headers=bearer(token), body=json.dumps(doc)).status_code == 200
    assert _search(client, "xempest")["suggestions"] == []  # a visitor does not learn the word
    with acting_as(Access.EMPLOYEE, org_id="BZK"):
        body = _search(client, "xempest")
    assert body["items"] == [] and body["suggestions"] == ["tempest"]
