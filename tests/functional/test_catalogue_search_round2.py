"""R_CAT_07, second round: what civil servants type beyond the catalogue's own words, through GET /api/courses.

Common government training vocabulary in the synonym and translation lists (verzuim, klokkenluider,
EMVI, machine learning), English function words that are no subject (at, by, from), and the general
fallbacks for a word the catalogue does not have: its parts when it is glued, its stem's family when
it is inflected (participeren → participatie), so a query with meaningful words is never an empty page
when the catalogue has related courses.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from devstack.edudex_builder import Run, program
from tests.functional.helpers import bearer, make_supplier
from tests.functional.test_catalogue_search_matching import _found, _search

Y = date.today().year + 1

COURSES = {
    # key: (name, summary, description, search words, city, month)
    "workload": ("Omgaan met werkdruk", "Stress herkennen en voorkomen.", "Met oefeningen.", [], "Utrecht", 3),
    "vitality": ("Vitaliteit op het werk", "Fit en gezond aan het werk.", "Met een coach.", [], "Zwolle", 4),
    "first_aid": ("First aid at work", "Help a colleague in an emergency.", "Taught in English.", [], "Utrecht", 5),
    "conflict": ("Omgaan met conflicten", "Spanningen in het team bespreekbaar maken.", "Met oefeningen.", [],
                 "Amsterdam", 3),
    "politics": ("Werken in een politieke omgeving", "Samenwerken met bewindspersonen.", "Met casussen.", [],
                 "Den Haag", 4),
    "privacy_law": ("Privacywetgeving", "De AVG voor beleidsmakers.", "Met casussen.", [], "Den Haag", 5),
    "drafting": ("Wetgeving in de praktijk", "Een wetsvoorstel schrijven.", "Met oefeningen.", [], "Den Haag", 6),
    "privacy": ("Privacy op het werk", "Zorgvuldig met gegevens.", "Met voorbeelden.", [], "Utrecht", 7),
    "excel_advanced": ("Excel voor gevorderden", "Draaitabellen en formules.", "Met oefeningen.", [], "Utrecht", 1),
    "excel_basics": ("Excel voor beginners", "De eerste formules.", "Met oefeningen.", [], "Utrecht", 2),
    "integrity": ("Integriteit", "Dilemma's bespreken.", "Met casussen.", [], "Amsterdam", 6),
    "procurement": ("Europees aanbesteden", "Inkopen volgens de regels.", "Met casussen.", [], "Den Haag", 7),
    "ai": ("Kunstmatige intelligentie", "Verantwoord werken met algoritmes.", "Met voorbeelden.", [], "Utrecht", 8),
    "time": ("Timemanagement", "Grip op je agenda.", "Plannen en prioriteren.", [], "Utrecht", 9),
    "participation": ("Participatie", "Burgers betrekken bij beleid.", "Met voorbeelden.", [], "Zwolle", 10),
    "meetings": ("Cursus effectief vergaderen", "Kortere overleggen.", "Voorzitten en notuleren.", [], "Utrecht", 11),
    "meeting_tech": ("Vergadertechnieken", "Korter en beter overleggen.", "Met oefeningen.", [], "Zwolle", 12),
    "project": ("Projectmanagement", "Projecten beheersen.", "Met een plan van aanpak.", [], "Zwolle", 12),
    "leading": ("Leidinggeven aan teams", "Richting geven.", "Met intervisie.", [], "Zwolle", 1),
    "team": ("Samenwerken in teams", "Elkaar versterken.", "Met oefeningen.", [], "Zwolle", 2),
}


@pytest.fixture
def ids(client):
    token = make_supplier("sup-v", name="Leerhuis")
    found = {}
    for number, (key, (name, summary, description, words, city, month)) in enumerate(COURSES.items()):
        runs = [Run(f"{key}-0", date(Y, month, 2), date(Y, month, 2), city)]
        doc = program("sup-v", f"V{number}", name, summary, description, runs=runs, search_words=words or None)
        response = client.http.put(f"/supplier/programs/V{number}", headers=bearer(token), body=json.dumps(doc))
        assert response.status_code == 200, response.body
        found[key] = response.json_body["course_id"]
    return found


# --- the lists: common government training vocabulary -------------------------------------------------


def test_R_CAT_07_synonym_common_government_terms_find_the_subject(client, ids):
    assert _found(client, "ziekteverzuim", ids)[0] == "workload"  # verzuim belongs with werkdruk and stress
    assert _found(client, "klokkenluider", ids) == ["integrity"]
    assert _found(client, "uitstelgedrag", ids) == ["time"]
    assert _found(client, "tweede kamer", ids) == ["politics"]  # parliament: the political environment


def test_R_CAT_07_synonym_an_ambiguous_word_is_no_member(client, ids):
    """spanning is tension in a team as much as stress (and spannend is exciting): "stress" finds the
    course about workload, not one about tensions in a team."""
    assert _found(client, "stress", ids) == ["workload"]
    assert _found(client, "omgaan met stress en werkdruk", ids)[0] == "workload"


def test_R_CAT_07_abbreviation_common_government_abbreviations_find_the_subject(client, ids):
    assert _found(client, "EMVI", ids) == ["procurement"]  # economisch meest voordelige inschrijving
    assert _found(client, "EMVI", ids) == _found(client, "aanbesteden", ids)


def test_R_CAT_07_english_terms_beyond_the_words_both_languages_share(client, ids):
    assert _found(client, "machine learning", ids)[0] == "ai"
    assert _found(client, "excel voor dummies", ids)[0] == "excel_basics"  # the idiom for beginners


def test_R_CAT_07_english_function_words_are_no_subject(client, ids):
    """"wellbeing at work": "at" must not make "First aid at work" match more words than the course
    about wellbeing (vitaliteit) does."""
    found = _found(client, "wellbeing at work", ids)
    assert found[0] == "vitality"
    assert _search(client, "wellbeing at work")["suggestions"] == []  # every meaningful word found


# --- general fallbacks: word families, listed compounds typed apart, format words ------------------------


def test_R_CAT_07_inflection_a_word_snowball_stems_apart_finds_its_family(client, ids):
    """participeren has no catalogue word of its stem nor a typo within reach; its family does
    (participatie). A participle loses its ge- (geprioriteerd → prioriteren). Never an empty page."""
    assert _found(client, "participeren", ids) == ["participation"]
    assert _found(client, "geprioriteerd", ids) == ["time"]
    assert _found(client, "gexyzabcdefgh", ids) == []  # no family: nothing is invented


def test_R_CAT_07_compound_a_listed_compound_typed_as_two_words_finds_its_subject(client, ids):
    """"tijd management" is tijdmanagement, a synonym of timemanagement: the course about it matches
    both words, so the page has every word and offers no "Bedoelde u"."""
    body = _search(client, "tijd management")
    assert body["items"][0]["name"] == "Timemanagement"
    assert body["suggestions"] == []


def test_R_CAT_07_compound_few_courses_have_the_compound_the_page_fills_with_its_parts(client, ids):
    """One course says vergadertechnieken; the courses about vergaderen follow it, below it."""
    assert _found(client, "vergadertechniek", ids) == ["meeting_tech", "meetings"]
    assert _found(client, "vergadertechnieken", ids) == ["meeting_tech", "meetings"]


def test_R_CAT_07_suggestion_a_corrected_subject_counts_when_only_a_format_word_is_sure(client, ids):
    """"projectmanagment cursus": cursus names the kind of offer; the corrected subject is what a
    course must have, so any course called "Cursus ..." does not come first."""
    found = _found(client, "projectmanagment cursus", ids)
    assert found[0] == "project"


def test_R_CAT_07_typo_a_sure_correction_is_a_word_a_course_must_have(client, ids):
    """"privacey wetgeving": one edit from privacy and from no other word, in a word of eight letters,
    is as sure as typing privacy: the course about privacy legislation comes first, not the course about
    legislation alone (which matched every required word while the correction was only a guess)."""
    found = _found(client, "privacey wetgeving", ids)
    assert found[0] == "privacy_law"
    assert set(found) == {"privacy_law", "drafting", "privacy"}


def test_R_CAT_07_job_title_a_common_title_finds_courses_for_that_role(client, ids):
    """teamleider is a leidinggevende (the synonym list), not a team plus a leider: the course about
    leading comes first, one about teams only after it."""
    assert _found(client, "teamleider", ids)[0] == "leading"
    assert _found(client, "teamleiders", ids)[0] == "leading"
