"""R_CAT_07, eleventh round: what the sixth and seventh outside sets of queries (bench/relevance/dev6.json,
dev7.json) showed the search missed, through GET /api/courses.

The level a course asks for is typed in many ways: "vanaf nul", "eerste stappen", "zonder voorkennis" for a
course for beginners, "verdieping", "vervolgcursus", "al ervaring" for one for the advanced. Each is a listed
group (chalicelib/catalogue/synonyms.py), so the course of the level asked for leads among the courses on the
subject.
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
