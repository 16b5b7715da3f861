"""R_CAT_07: the search finds what civil servants type, through GET /api/courses, one test per query class.

Exact words and their rank by field, inflections (Snowball), typos (one edit for 4+ letters, two for
8+, never the first letter of a short word, in words with digits too but never a digit), synonyms,
abbreviations, compounds both ways, a place in the query, several words (all before some), English
terms, job titles, and "Bedoelde u" suggestions (shown as results when exactly one is strong). The
classes are those of the judged queries in bench/relevance/.
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
    # key: (name, summary, description, search words, cities, month)
    "excel": ("Excel voor gevorderden", "Draaitabellen en formules.", "Oefenen met eigen gegevens.",
              ["rekenen"], ("Zwolle",), 3),
    "excel_desc": ("Rapporteren voor managers", "Cijfers helder presenteren.", "Met een blok over Excel.",
                   [], ("Utrecht",), 1),
    "security": ("Informatiebeveiliging in de praktijk", "Risico's in kaart brengen.", "Voor teams.",
                 [], ("Den Haag",), 4),
    "sharing": ("Informatie delen met partners", "Afspraken over uitwisselen.", "Met voorbeelden.",
                [], ("Zwolle",), 5),
    "privacy": ("Privacy by design", "Ontwerpen met oog voor de burger.", "Met oefeningen.",
                [], ("Den Haag",), 6),
    "conversation": ("Het goede gesprek", "Vaardigheden voor lastige situaties.", "Met een acteur.",
                     [], ("Amsterdam",), 7),
    "conflicts": ("Omgaan met conflicten", "De-escaleren in het contact met burgers.", "Veilig melden.",
                  [], ("Eindhoven",), 8),
    "meetings": ("Vergadertechnieken", "Kortere vergaderingen.", "Voorzitten en notuleren.",
                 [], ("Utrecht",), 9),
    "integrity": ("Integriteit in de praktijk", "Dilemma's bespreken.", "Met casussen.", [], ("Amsterdam",), 10),
    "leading_hague": ("Leidinggeven aan teams", "Richting geven en vertrouwen.", "Met intervisie.",
                      [], ("Utrecht", "Den Haag"), 2),
    "leading_zwolle": ("Situationeel leidinggeven", "Je stijl als leidinggevende.", "Met oefeningen.",
                       [], ("Zwolle",), 1),
    "hague_archive": ("Archiveren in de praktijk", "Dossiers op orde.", "Voor iedereen.", [], ("Den Haag",), 3),
    "plain_writing": ("Helder schrijven op B1-niveau", "Brieven die iedereen begrijpt.",
                      "Je herschrijft je eigen teksten.", [], ("Zwolle",), 4),
    "citizens": ("Communiceren met burgers", "Vriendelijk en duidelijk.", "Aan de telefoon en de balie.",
                 [], ("Utrecht",), 5),
    "change": ("Verandermanagement", "Veranderingen laten landen.", "Modellen en weerstand.", [], ("Utrecht",), 6),
    "policy_memo": ("Adviesnota's die gelezen worden", "Voor beleidsmedewerkers die de minister adviseren.",
                    "Structuur en kernboodschap.", [], ("Den Haag",), 7),
    "planning": ("Projectplanning", "Mijlpalen en fasen.", "Met een planningstool.", [], ("Utrecht",), 8),
    "plan_exact": ("Planning en prioriteiten", "Grip op je week.", "Met voorbeelden.", [], ("Utrecht",), 9),
    "itil": ("ITIL 4 Foundation", "Diensten beheren in de keten.", "Met het examen.", ["foundation"],
             ("Groningen",), 10),
    "prince2": ("PRINCE2 Foundation", "Beheersen volgens een bewezen methode.", "Met het examen.", [],
                ("Groningen",), 11),
    "nt2": ("NT2-examentraining", "Nederlands als tweede taal.", "Oefenen voor het staatsexamen.", [],
            ("Groningen",), 12),
}


@pytest.fixture
def ids(client):
    token = make_supplier("sup-m", name="Leerhuis")
    found = {}
    for number, (key, (name, summary, description, words, cities, month)) in enumerate(COURSES.items()):
        runs = [Run(f"{key}-{k}", date(Y, month, 2 + k), date(Y, month, 2 + k), city) for k, city in enumerate(cities)]
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


# --- exact words ---------------------------------------------------------------------------------


def test_R_CAT_07_exact_title_match_before_description_match(client, ids):
    assert _found(client, "excel", ids) == ["excel", "excel_desc"]


def test_R_CAT_07_exact_an_expansion_scores_below_the_word_typed(client, ids):
    # "planning" is a word of one title and a compound part of another (projectplanning)
    assert _found(client, "planning", ids)[:2] == ["plan_exact", "planning"]


# --- inflection, typo ----------------------------------------------------------------------------------


def test_R_CAT_07_inflection_finds_the_other_form_through_the_snowball_stem(client, ids):
    assert "conversation" in _found(client, "gesprekken", ids)  # the course says "gesprek"
    assert "meetings" in _found(client, "vergadering", ids)  # the course says "vergaderingen"


def test_R_CAT_07_typo_one_edit_for_words_of_four_letters_or_more(client, ids):
    assert _found(client, "exel", ids)[0] == "excel"
    assert _found(client, "privasy", ids) == ["privacy"]


def test_R_CAT_07_typo_two_edits_for_words_of_eight_letters_or_more(client, ids):
    assert _found(client, "integritiet", ids) == ["integrity"]  # two letters swapped: two edits
    assert _found(client, "vergaderteknieken", ids) == ["meetings"]
    body = _search(client, "exxcell")  # two edits in a word of seven letters: no match of its own
    assert body["showing"] == "excel"  # what the page shows is the suggestion's results, and it says so


def test_R_CAT_07_typo_short_word_never_changes_the_first_letter(client, ids):
    body = _search(client, "wxcel")
    assert body["suggestions"] == ["excel"] and body["showing"] == "excel"
    assert _found(client, "exc", ids)[0] == "excel"  # a prefix still works while typing


def test_R_CAT_07_typo_in_a_word_with_digits_is_corrected_in_its_letters(client, ids):
    """prince2 has 6 letters: one edit finds it, and two are offered as "Bedoelde u"."""
    assert _found(client, "prinse2", ids) == ["prince2"]
    assert _found(client, "PRINCE2", ids) == ["prince2"]
    body = _search(client, "prnse2")  # two edits in a word of six letters: no match of its own
    assert body["suggestions"] == ["prince2"] and body["showing"] == "prince2"
    assert [item["name"] for item in body["items"]] == ["PRINCE2 Foundation"]


def test_R_CAT_07_typo_never_changes_a_digit_a_version_or_level_is_not_a_misspelling(client, ids):
    """nt3 is another level than NT2 and prince3 another version than PRINCE2: neither finds nor
    suggests them; a mistyped letter beside the digit is still offered (mt2 → nt2)."""
    for typed in ("nt3", "prince3", "prinse3"):
        body = _search(client, typed)
        assert body["items"] == [] and body["suggestions"] == [] and body["showing"] is None, typed
    body = _search(client, "mt2")
    assert body["suggestions"] == ["nt2"] and body["showing"] == "nt2"
    assert [item["name"] for item in body["items"]] == ["NT2-examentraining"]


def test_R_CAT_07_multi_a_typo_in_a_word_with_digits_counts_among_the_words(client, ids):
    """"prinse2 foundation": the PRINCE2 course matches both words and comes before ITIL 4 Foundation
    (which has "foundation" in its search words too, so it leads for that word alone), and no
    "Bedoelde u" is needed."""
    assert _found(client, "foundation", ids) == ["itil", "prince2"]
    body = _search(client, "prinse2 foundation")
    by_id = {v: k for k, v in ids.items()}
    assert [by_id[item["course_id"]] for item in body["items"]] == ["prince2", "itil"]
    assert body["suggestions"] == []


# --- synonyms, abbreviations, compounds ---------------------------------------------------------------


def test_R_CAT_07_synonym_finds_the_course(client, ids):
    assert _found(client, "gegevensbescherming", ids) == ["privacy"]
    assert _found(client, "spreadsheet", ids)[0] == "excel"


def test_R_CAT_07_abbreviation_finds_the_course(client, ids):
    assert _found(client, "AVG", ids) == ["privacy"]
    assert _found(client, "BIO", ids)[0] == "security"


def test_R_CAT_07_compound_query_word_is_split_into_catalogue_parts(client, ids):
    # "excelvaardigheden" is no word of the catalogue; "excel" and "vaardigheden" are
    found = _found(client, "excelvaardigheden", ids)
    assert found[0] == "excel" and "conversation" in found


def test_R_CAT_07_compound_query_word_finds_the_compound_that_contains_it(client, ids):
    # no course has the word "beveiliging" itself, nor a word starting with it
    assert _found(client, "beveiliging", ids) == ["security"]


def test_R_CAT_07_compound_adjacent_query_words_are_joined_into_the_catalogue_compound(client, ids):
    found = _found(client, "informatie beveiliging", ids)
    assert found[0] == "security"  # matches both words (the compound holds both), before "informatie" alone
    assert "sharing" in found


# --- places ------------------------------------------------------------------------------------------


def test_R_CAT_07_place_alone_finds_the_courses_with_a_run_there(client, ids):
    body = _search(client, "den haag")
    by_id = {v: k for k, v in ids.items()}
    assert {by_id[i["course_id"]] for i in body["items"]} == {"security", "privacy", "leading_hague",
                                                              "hague_archive", "policy_memo"}
    assert body["place"] == "Den Haag"


def test_R_CAT_07_place_narrows_to_runs_there_when_the_other_words_match(client, ids):
    """"den haag leidinggeven" gives the leadership course with a run in The Hague first, showing only
    that run, then leadership elsewhere; never the other courses in The Hague."""
    body = _search(client, "den haag leidinggeven")
    by_id = {v: k for k, v in ids.items()}
    found = [by_id[i["course_id"]] for i in body["items"]]
    assert found[:2] == ["leading_hague", "leading_zwolle"]
    assert not {"security", "privacy", "hague_archive", "policy_memo"} & set(found)  # in The Hague, not leadership
    assert [run["city"] for run in body["items"][0]["executions"]] == ["Den Haag"]
    assert body["items"][0]["executions_total"] == 1
    assert body["place"] == "Den Haag"
    assert _found(client, "excel zwolle", ids)[0] == "excel"


# --- several words ----------------------------------------------------------------------------------


def test_R_CAT_07_multi_courses_with_every_word_come_before_courses_with_some(client, ids):
    found = _found(client, "omgaan met conflicten op kantoor", ids)  # "kantoor" matches nothing
    assert found[0] == "conflicts"
    assert _found(client, "lastige gesprekken", ids)[0] == "conversation"
    found = _found(client, "helder schrijven burgers", ids)
    assert found[0] == "plain_writing" and "citizens" in found  # two of three words before one


def test_R_CAT_07_multi_a_listed_pair_finds_its_subject(client, ids):
    """"schriftelijk communiceren" is a synonym of writing: it finds "Helder schrijven op B1-niveau"
    before a course that only says "communiceren"."""
    assert _found(client, "schriftelijk communiceren", ids)[:2] == ["plain_writing", "citizens"]


# --- English and job titles ---------------------------------------------------------------------------


def test_R_CAT_07_english_terms_find_dutch_courses(client, ids):
    assert set(_found(client, "leadership", ids)[:2]) == {"leading_hague", "leading_zwolle"}
    assert _found(client, "change management", ids)[0] == "change"
    assert _found(client, "writing skills", ids)[0] == "plain_writing"


def test_R_CAT_07_job_title_finds_courses_for_that_job(client, ids):
    assert _found(client, "beleidsmedewerker", ids) == ["policy_memo"]  # the course says "beleidsmedewerkers"
    assert _found(client, "beleidsadviseur", ids) == ["policy_memo"]  # a listed synonym of the job


# --- suggestions ------------------------------------------------------------------------------------


def test_R_CAT_07_suggestion_nothing_found_suggests_terms_that_do_find_something(client, ids):
    body = _search(client, "blockchainteknikken")  # no typo, no known part, and nothing near enough
    assert body == {"items": [], "next_cursor": None, "suggestions": [], "showing": None, "place": None}
    body = _search(client, "vergaderteknikken")  # three edits from any word, but it starts with vergader(en)
    assert [item["name"] for item in body["items"]] == ["Vergadertechnieken"]
    body = _search(client, "vergadertchnieken")  # one edit: found, so no suggestions
    assert [item["name"] for item in body["items"]] == ["Vergadertechnieken"] and body["suggestions"] == []
    body = _search(client, "omgaan met xonflict")
    assert body["items"]  # "omgaan" alone finds


def test_R_CAT_07_suggestion_when_no_course_has_every_word_drops_the_one_that_matches_nothing(client, ids):
    body = _search(client, "excel qwertyuiop")
    assert _found(client, "excel qwertyuiop", ids)[0] == "excel"  # the other word still finds
    assert body["suggestions"] == ["excel"] and body["showing"] is None


def test_R_CAT_07_suggestion_a_glued_word_is_split(client, ids):
    body = _search(client, "excelvoorgevorderden")
    assert body["items"][0]["name"] == "Excel voor gevorderden"


def test_R_CAT_07_suggestion_respects_visibility(client, ids):
    token = make_supplier("sup-r")
    doc = program("sup-r", "R1", "Tempest en afscherming", "Alleen BZK.", "Gerubriceerd.",
                  runs=[Run("r1", date(Y, 2, 1), date(Y, 2, 1), "Utrecht")], open_for=["BZK"])
    assert client.http.put("/supplier/programs/R1", headers=bearer(token), body=json.dumps(doc)).status_code == 200
    body = _search(client, "xempest")
    assert body["suggestions"] == [] and body["items"] == []  # a visitor does not learn the word
    with acting_as(Access.EMPLOYEE, org_id="BZK"):
        body = _search(client, "xempest")
    assert body["suggestions"] == ["tempest"] and body["showing"] == "tempest"
    assert [item["name"] for item in body["items"]] == ["Tempest en afscherming"]
