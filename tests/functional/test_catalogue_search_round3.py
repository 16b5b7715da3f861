"""R_CAT_07, third round: general rules for what a catalogue says and what people type, through GET /api/courses.

Who a course is for is not what it is about (a title or summary ending "voor controllers" or "Voor
leidinggevenden."), a job title typed with a subject weighs less than the subject, a rare side word
does not outweigh the subject; Dutch word forms Snowball leaves alone (diminutives, participles, verb
stems in compounds, plurals of a compound's part); and, for words the catalogue does not have, the
word that sounds the same, the courses with its known ends, and "Bedoelde u" for glued words with
misspelt parts and names typed apart from their number.
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
    # key: (name, summary, description, city, month)
    "excel": ("Excel in de praktijk", "Formules en tabellen.", "Met oefeningen.", "Utrecht", 1),
    "excel_charts": ("Excel met grafieken", "Overzichtelijke rapportages.", "Met oefeningen.", "Zwolle", 2),
    "excel_controllers": ("Excel voor controllers", "Formules voor de begroting.", "Met oefeningen.", "Utrecht", 3),
    "risk_controllers": ("Risicoanalyse voor controllers", "Risico's beheersen.", "Met casussen.", "Utrecht", 4),
    "leading": ("Situationeel leiderschap", "Leidinggeven aan een team in de praktijk.", "Met intervisie.",
                "Zwolle", 5),
    "crisis_managers": ("Crisiscommunicatie voor leidinggevenden", "Snel en betrouwbaar informeren.",
                        "Met een oefening.", "Zwolle", 6),
    "press_managers": ("Omgaan met de pers", "Interviews geven. Voor leidinggevenden.", "Met een oefening.",
                       "Zwolle", 7),
    "communication": ("Heldere communicatie", "Boodschappen die aankomen.", "Met oefeningen.", "Utrecht", 8),
    "prince2": ("PRINCE2 Foundation", "Projecten volgens de methode.", "Met examen.", "Utrecht", 9),
    "writing": ("Zakelijk schrijven", "Brieven die lezers in een keer begrijpen.", "Met oefeningen.", "Zwolle", 11),
    "pivot": ("Draaitabellen", "Grote tabellen samenvatten.", "Met oefeningen.", "Zwolle", 12),
    "risk": ("Risico's beheersen", "Risico's tijdig zien en wegen.", "Met casussen.", "Utrecht", 12),
    "awareness": ("Omgevingsbewustzijn", "Aanvoelen wat er speelt.", "Inschatten wie wat wil.", "Utrecht", 12),
    "coaching": ("Coachen in de praktijk", "Medewerkers laten groeien.", "Met intervisie.", "Zwolle", 1),
    "conflict": ("Omgaan met conflicten", "Spanningen met een collega bespreken.", "Met oefeningen.", "Zwolle", 2),
    "colleague": ("Inwerken van een nieuwe collega", "Een goede start.", "Met een checklist.", "Zwolle", 3),
    "law": ("Wetgeving in de praktijk", "Een voorstel goed opschrijven.", "Met oefeningen.", "Utrecht", 4),
    "woo": ("De Wet open overheid", "Openbaarheid in de praktijk.", "Met casussen.", "Utrecht", 5),
    "agenda": ("Training timemanagement", "Grip op je agenda.", "Met oefeningen.", "Zwolle", 6),
    "project": ("Cursus projectmanagement", "Projecten beheersen.", "Met een plan van aanpak.", "Zwolle", 10),
}


def publish(client, supplier_id: str, prefix: str, courses: dict) -> dict[str, str]:
    """Each course as a program of one supplier, with one run (city, month next year): key → course id."""
    token = make_supplier(supplier_id, name="Leerhuis")
    found = {}
    for number, (key, (name, summary, description, city, month)) in enumerate(courses.items()):
        runs = [Run(f"{key}-0", date(Y, month, 2), date(Y, month, 2), city)]
        doc = program(supplier_id, f"{prefix}{number}", name, summary, description, runs=runs)
        response = client.http.put(f"/supplier/programs/{prefix}{number}", headers=bearer(token),
                                   body=json.dumps(doc))
        assert response.status_code == 200, response.body
        found[key] = response.json_body["course_id"]
    return found


@pytest.fixture
def ids(client):
    return publish(client, "sup-r3", "R", COURSES)


# --- job titles: who a course is for is not what it is about -------------------------------------------


def test_R_CAT_07_job_a_subject_with_a_job_title_puts_the_subject_before_the_title_alone(client, ids):
    """"excel voor controllers": the Excel course for controllers first, then the other Excel courses,
    and only then the course on risk analysis that is merely for controllers, although fewer courses say
    controllers than Excel (the job title weighs half its IDF in the share of the words a course has)."""
    found = _found(client, "excel voor controllers", ids)
    assert found[0] == "excel_controllers"
    assert found.index("risk_controllers") > max(found.index("excel"), found.index("excel_charts"))


def test_R_CAT_07_job_a_subject_that_shares_a_stem_with_a_job_title_finds_the_subject_first(client, ids):
    """leidinggeven and leidinggevenden share a stem: the course about leading (the word in its summary)
    comes before the courses whose title or summary only says they are for leidinggevenden."""
    found = _found(client, "leidinggeven", ids)
    assert found[0] == "leading"
    assert set(found) == {"leading", "crisis_managers", "press_managers"}


def test_R_CAT_07_job_a_job_title_alone_still_finds_the_courses_for_that_job(client, ids):
    assert set(_found(client, "controllers", ids)) == {"excel_controllers", "risk_controllers"}
    assert set(_found(client, "leidinggevenden", ids)) >= {"crisis_managers", "press_managers"}


# --- suggestions: spelling by ear, misspelt glued words, a name and its number apart -------------------


def test_R_CAT_07_suggestion_a_word_spelt_by_ear_finds_the_word_that_sounds_the_same(client, ids):
    """kommunikasie is three edits from communicatie, beyond the typo rule, but sounds the same (k for c,
    -sie for -tie, one m): the course on communication is found."""
    assert _found(client, "kommunikasie", ids) == ["communication"]
    assert _found(client, "kommunikasie oefenen", ids)[0] == "communication"


def test_R_CAT_07_suggestion_a_glued_word_with_a_misspelt_part_is_split_and_corrected(client, ids):
    """projectmangementcursus: no split into known words and too far from any one word, but cursus is
    known and projectmangement is one edit from projectmanagement: the page offers that. Its results are
    the guess of the word's known start (project), as no course has the word."""
    body = _search(client, "projectmangementcursus")
    assert body["suggestions"] == ["projectmanagement cursus"]
    assert body["items"][0]["course_id"] == ids["project"]
    body = _search(client, "projectmanagement cursus")
    assert body["items"][0]["course_id"] == ids["project"] and body["suggestions"] == []


def test_R_CAT_07_suggestion_a_glued_word_with_both_parts_misspelt_is_respelt_as_the_compound(client, ids):
    """risikosanalyze: three edits from risicoanalyse, beyond the typo rule, and neither part is a catalogue
    word; risiko and analyze are one edit each from risico and analyse, and the catalogue has their
    compound: the page offers risicoanalyse and shows it."""
    body = _search(client, "risikosanalyze")
    assert body["suggestions"][0] == "risicoanalyse"
    assert body["items"][0]["course_id"] == ids["risk_controllers"]


def test_R_CAT_07_suggestion_a_misspelt_name_with_its_number_typed_apart(client, ids):
    """prinse 2: the name and its number typed apart, the name misspelt: prince2 is offered and shown."""
    body = _search(client, "prinse 2")
    assert body["suggestions"] == ["prince2"] and body["showing"] == "prince2"
    assert body["items"][0]["course_id"] == ids["prince2"]



def test_R_CAT_07_typo_a_word_one_edit_from_a_catalogue_word_is_not_split_into_fragments(client, ids):
    """groeiden is one edit from groeien: it is read as that word, not split into groei + den (den being
    a fragment of leidinggevenden, which would add a course merely for leidinggevenden); leidingsgeven is
    read as leidinggeven, not as leiding + geven, so the course about leading comes first."""
    assert _found(client, "groeiden", ids) == ["coaching"]
    assert _found(client, "leidingsgeven", ids)[0] == "leading"

# --- compounds --------------------------------------------------------------------------------------


def test_R_CAT_07_compound_a_glued_word_that_starts_with_a_verb_stem_is_split(client, ids):
    """A Dutch compound starts with a verb's stem (schrijftraining: schrijf, of schrijven): the glued
    word is split into schrijven and training, and the course on writing comes first."""
    assert _found(client, "schrijftraining", ids)[0] == "writing"




def test_R_CAT_07_compound_a_compound_nothing_explains_finds_the_courses_with_its_known_end(client, ids):
    """risicoprofielen: no course, list, typo or family explains it and profielen is no catalogue word, so
    it cannot be split; its known start, risico, still finds the courses on risks (a guess)."""
    assert set(_found(client, "risicoprofielen", ids)) == {"risk", "risk_controllers"}


def test_R_CAT_07_inflection_a_plural_finds_the_compounds_of_its_stem(client, ids):
    """wetten is the plural of wet, a catalogue word: it finds the course on the Wet open overheid and, as a
    part of a compound, the course on wetgeving."""
    found = _found(client, "wetten", ids)
    assert set(found) == {"woo", "law"}


def test_R_CAT_07_multi_a_misspelt_format_word_is_still_no_subject(client, ids):
    """"leiderschap trainig": trainig has the stem of training, a word that names the kind of offer, so a
    course need not have it: the course on leadership comes first, not any course called Training."""
    assert _found(client, "leiderschap trainig", ids)[0] == "leading"

# --- multi-word queries -----------------------------------------------------------------------------


def test_R_CAT_07_multi_a_rare_side_word_does_not_outweigh_the_subject(client, ids):
    """"risico inschatten": no course has both words. Fewer courses say inschatten than risico, but BM25F
    already weighs each word by its IDF: the coordination weighs a word by the square root of it, so the
    course about risks comes first, not the course whose description merely says inschatten."""
    found = _found(client, "risico inschatten", ids)
    assert found[0] == "risk"
    assert set(found) == {"risk", "risk_controllers", "awareness"}


# --- inflection -------------------------------------------------------------------------------------


def test_R_CAT_07_inflection_a_diminutive_or_a_participle_finds_its_base(client, ids):
    """Snowball stems neither a diminutive (conflictje) nor a past participle with ge- (gecoacht): the word
    is read as its base (conflict, coachen), as sure as an inflection, so "conflictje met een collega" puts
    the course on conflicts with a colleague first, not any course that mentions a colleague."""
    assert _found(client, "conflictje met een collega", ids)[0] == "conflict"
    assert _found(client, "gecoacht", ids)[0] == "coaching"
