"""R_CAT_07, twelfth round: what the eighth outside set of queries (bench/relevance/dev8.json) showed the search
missed, through GET /api/courses.

A job title no course names is mostly a compound whose last part is a listed word for a person: a
clustermanager is a manager, a belastinginspecteur an inspecteur. A query that finds nothing, one edit from two
words alike, shows the results of the likelier one instead of an empty page.
"""

from __future__ import annotations

from tests.functional.test_catalogue_search_matching import _found, _search
from tests.functional.test_catalogue_search_round3 import publish


def test_R_CAT_07_job_a_compound_ending_in_a_listed_word_for_a_person_is_a_kind_of_that_person(client):
    """"clustermanager", "belastinginspecteur": no course has them or their last parts, so the page was empty.
    Manager and inspecteur are listed (with leidinggeven, with toezicht): the courses of their groups."""
    ids = publish(client, "sup-r12a", "A", {
        "lead": ("Leidinggeven in de praktijk", "Je team aansturen.", "Met oefeningen.", "Utrecht", 1),
        "oversight": ("Toezicht en handhaving", "Goed toezicht houden.", "Met oefeningen.", "Utrecht", 2),
        "excel": ("Excel", "Rekenen met Excel.", "Met oefeningen.", "Utrecht", 3)})
    assert _found(client, "clustermanager", ids) == ["lead"]
    assert _found(client, "belastinginspecteur", ids) == ["oversight"]


def test_R_CAT_07_job_a_compound_ending_in_a_listed_thing_is_about_its_first_part(client):
    """"leveranciersdossier" is a file about suppliers, not a course on archiving: dossier is listed (with
    archiveren) but names a thing, so only the course on its first part comes."""
    ids = publish(client, "sup-r12b", "B", {
        "suppliers": ("Samenwerken met leveranciers", "Goede afspraken met leveranciers.", "Met oefeningen.",
                      "Utrecht", 1),
        "archive": ("Archiveren", "Informatiebeheer en archief op orde.", "Met oefeningen.", "Utrecht", 2)})
    assert _found(client, "leveranciersdossier", ids) == ["suppliers"]


def test_R_CAT_07_suggestion_as_close_to_two_words_shows_the_likelier_and_offers_the_other(client):
    """"avb" finds nothing and is one edit from both avg and awb. The page was empty, with both offered. It
    now shows the results of the one more courses have (awb), says so, and still offers avg."""
    ids = publish(client, "sup-r12c", "C", {
        "privacy": ("De AVG in de praktijk", "Privacy op het werk.", "Met oefeningen.", "Utrecht", 1),
        "awb": ("De Awb voor beginners", "Bestuursrecht.", "Met oefeningen.", "Utrecht", 2),
        "objection": ("Bezwaar en de Awb", "Een bezwaarschrift behandelen.", "Met oefeningen.", "Utrecht", 3)})
    body = _search(client, q="avb")
    by_id = {v: k for k, v in ids.items()}
    assert body["showing"] == "awb"
    assert {by_id[item["course_id"]] for item in body["items"]} == {"awb", "objection"}
    assert "avg" in body["suggestions"]
