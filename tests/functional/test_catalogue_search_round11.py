"""R_CAT_07, eleventh round: what the sixth and seventh outside sets of queries (bench/relevance/dev6.json,
dev7.json) showed the search missed, through GET /api/courses.

The level a course asks for is typed in many ways: "vanaf nul", "eerste stappen", "zonder voorkennis" for a
course for beginners, "verdieping", "vervolgcursus", "al ervaring" for one for the advanced. Each is a listed
group (chalicelib/catalogue/synonyms.py), so the course of the level asked for leads among the courses on the
subject.

An abbreviation written with dots is one word (a.v.g. is avg), in a query and in a course's text.
"""

from __future__ import annotations

from tests.functional.test_catalogue_search_matching import _found
from tests.functional.test_catalogue_search_round3 import publish

COURSES = {
    # key: (name, summary, description, city, month)
    "excel": ("Excel in de praktijk", "Werken met Excel: Excel-functies en Excel-formules.",
              "Excel voor je dagelijkse werk, met Excel-oefeningen.", "Utrecht", 1),
    "excel_beginners": ("Excel voor beginners", "Rekenen met Excel.", "Met oefeningen.", "Utrecht", 2),
    "excel_advanced": ("Excel voor gevorderden", "Draaitabellen in Excel.", "Met oefeningen.", "Utrecht", 3),
}


def test_R_CAT_07_multi_the_level_asked_for_in_ones_own_words_leads(client):
    """"excel vanaf nul": nul and vanaf are in no course, so every Excel course matched alike and the one that
    says Excel most led. "vanaf nul" is a member of the beginners' group: the course for beginners leads. So does
    the advanced one for "excel verdieping" and "excel vervolgcursus"."""
    ids = publish(client, "sup-r11a", "A", COURSES)
    assert _found(client, "excel vanaf nul", ids)[0] == "excel_beginners"
    assert _found(client, "excel eerste stappen", ids)[0] == "excel_beginners"
    assert _found(client, "excel vervolgcursus", ids)[0] == "excel_advanced"
    assert _found(client, "excel al ervaring", ids)[0] == "excel_advanced"


def test_R_CAT_07_abbreviation_written_with_dots_is_one_word(client):
    """"a.v.g.", "e.h.b.o. herhaling": the letters were single words, stop words or nothing; now avg and ehbo."""
    ids = publish(client, "sup-r11d", "D", {
        "avg": ("De AVG in de praktijk", "Privacy en persoonsgegevens.", "Met oefeningen.", "Utrecht", 1),
        "ehbo": ("EHBO herhaling", "Eerste hulp opfrissen.", "Met oefeningen.", "Utrecht", 2),
        "bio": ("De B.I.O. toegepast", "Informatiebeveiliging bij de overheid.", "Met oefeningen.", "Utrecht", 3)})
    assert _found(client, "a.v.g.", ids) == ["avg"]
    assert _found(client, "e.h.b.o. herhaling", ids)[0] == "ehbo"
    assert _found(client, "bio", ids) == ["bio"]


def test_R_CAT_07_typo_a_sure_correction_weighs_as_a_word_found_by_its_stem(client):
    """"leidinggevven team": one edit from a single catalogue word, in a long word, is a sure correction, yet it
    weighed less than half of the word typed right beside it, so a course on teamwork led the course on
    leading. It now weighs as a word found by its stem: below the word typed, above a side word's course."""
    ids = publish(client, "sup-r11e", "E", {
        "both": ("Leidinggeven aan een team", "Je team leiden.", "Met oefeningen.", "Utrecht", 1),
        "lead": ("Leidinggeven in de praktijk", "Goed leidinggeven.", "Met oefeningen.", "Utrecht", 2),
        "team": ("Samenwerken in een team", "Een sterk team.", "Met oefeningen.", "Utrecht", 3),
        "meeting": ("Vergaderen", "Korter vergaderen.", "Met je team oefenen.", "Utrecht", 4),
        "planning": ("Plannen", "Je week plannen.", "Met oefeningen.", "Utrecht", 5)})
    assert _found(client, "leidinggevven team", ids)[:3] == ["both", "lead", "team"]


def test_R_CAT_07_suggestion_a_word_one_edit_from_a_listed_compound_is_misspelt_not_glued(client):
    """"burnoud": one edit from burnout, a listed word (burn-out) no course spells that way. It was split into
    burn and oud, so a course on old files came with the one on burn-out. Now it is burn-out misspelt: the
    courses of its group, on stress and workload."""
    ids = publish(client, "sup-r11f", "F", {
        "burnout": ("Burn-out voorkomen", "Op tijd signalen zien.", "Met oefeningen.", "Utrecht", 1),
        "stress": ("Werkdruk en stress", "Minder stress op het werk.", "Met oefeningen.", "Utrecht", 2),
        "old": ("Oude dossiers", "Oud archief ordenen.", "Met oefeningen.", "Utrecht", 3)})
    assert set(_found(client, "burnoud", ids)) == {"burnout", "stress"}


def test_R_CAT_07_abbreviation_a_listed_abbreviation_is_the_subject_and_no_start_of_longer_words(client):
    """"pve opstellen": no course says both, and opstellen, typed as such, outweighed PvE, reached through its
    group (inkoop, aanbesteden), so the course on taking minutes led. A listed abbreviation is the subject typed
    most precisely: a course must have it, a word no list has only scores. "medewerker div": div was also the
    start of diversiteit; an abbreviation finds its group, not the longer words it starts."""
    ids = publish(client, "sup-r11g", "G", {
        "procurement": ("Aanbesteden", "Goed inkopen bij het Rijk.", "Met oefeningen.", "Utrecht", 1),
        "minutes": ("Notulen opstellen", "Een verslag opstellen.", "Met oefeningen.", "Utrecht", 2),
        "archive": ("Archiveren", "Informatiebeheer op orde.", "Met oefeningen.", "Utrecht", 3),
        "diversity": ("Diversiteit en inclusie", "Diversiteit op de werkvloer.", "Met oefeningen.", "Utrecht", 4),
        "motivate": ("Medewerkers motiveren", "Medewerkers in hun kracht.", "Met oefeningen.", "Utrecht", 5)})
    assert _found(client, "pve opstellen", ids)[0] == "procurement"
    assert _found(client, "medewerker div", ids)[0] == "archive"
    assert "diversity" not in _found(client, "div", ids)


def test_R_CAT_07_compound_a_dutch_prefix_is_no_part_of_its_own(client):
    """"herinrichting": her (a word of an English course) was taken as the first part, and inrichting as the
    second, so a course had to say her. Her-, ver- and ont- are prefixes, not words: the course on the
    inrichting of an organisation is found, the English one is not."""
    ids = publish(client, "sup-r11h", "H", {
        "design": ("De inrichting van je organisatie", "Organisaties inrichten.", "Met oefeningen.", "Utrecht", 1),
        "english": ("Coaching in English", "Help a colleague find her way.", "With exercises.", "Utrecht", 2)})
    assert _found(client, "herinrichting", ids) == ["design"]


def test_R_CAT_07_english_a_translation_no_course_has_leads_to_the_group_of_its_dutch_term(client):
    """"whistleblowing" translates to klokkenluider, which no course says: the page was empty. Klokkenluider is
    in the integrity group, so the English word now finds the course on integrity, as a synonym."""
    ids = publish(client, "sup-r11i", "I", {
        "integrity": ("Integriteit op het werk", "Morele dilemma's bespreken.", "Met oefeningen.", "Utrecht", 1),
        "lean": ("Lean werken", "Processen verbeteren.", "Met oefeningen.", "Utrecht", 2)})
    assert _found(client, "whistleblowing", ids) == ["integrity"]


def test_R_CAT_07_multi_drawing_up_reporting_and_calling_are_verbs_of_doing_in_general(client):
    """"pers belt" (the press is calling): no course says both, and belt, typed as such in a Green Belt course,
    counted as much as pers, so Lean led. Opstellen, melden, aanvragen, regelen, indienen, invullen and bellen
    say what is done with a subject, not what a course is about: the course on the press leads."""
    ids = publish(client, "sup-r11j", "J", {
        "belt": ("Lean Six Sigma Green Belt", "Je green belt halen.", "Een belt in twee dagen.", "Utrecht", 1),
        "press": ("Omgaan met de pers", "Interviews geven.", "Met oefeningen.", "Utrecht", 2)})
    assert _found(client, "pers belt", ids) == ["press", "belt"]
