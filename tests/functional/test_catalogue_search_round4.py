"""R_CAT_07, fourth round: multi-word ranking, where a plain sum of per-word scores (BM25) did better,
through GET /api/courses.

One catalogue word is evidence for one query word (a synonym both query words reach does not give a
course two of them), and a word of one or two letters finds no longer words by their start.
"""

from __future__ import annotations

import pytest

from tests.functional.test_catalogue_search_matching import _found
from tests.functional.test_catalogue_search_round3 import publish

COURSES = {
    # key: (name, summary, description, city, month)
    "power_bi": ("Power BI voor analisten", "Dashboards bouwen met cijfers.", "Met oefeningen.", "Utrecht", 1),
    "excel_query": ("Excel met Power Query voor gevorderden", "Overzichtelijke rapportages maken.",
                    "Met oefeningen.", "Utrecht", 2),
    "bi_advanced": ("BI voor gevorderden", "Cijfers die bestuurders begrijpen.", "Met oefeningen.", "Utrecht", 3),
    "inside": ("Samenwerken binnen de organisatie voor gevorderden", "Verbinden over grenzen heen.",
               "Met intervisie.", "Utrecht", 4),
}


@pytest.fixture
def ids(client):
    return publish(client, "sup-r4", "Q", COURSES)


def test_R_CAT_07_multi_one_synonym_is_evidence_for_one_query_word_only(client, ids):
    """"power bi dashboards gevorderd": Power BI, rapportages and dashboards are one synonym group. The
    Excel course for gevorderden only says "rapportages"; that one word once made it have power bi and
    dashboards both, so it had every word and came first. It counts for one of them now, so the Power BI
    course about dashboards, which only misses the level, comes first, as a plain sum of word scores has it."""
    found = _found(client, "power bi dashboards gevorderd", ids)
    assert found.index("power_bi") < found.index("excel_query")


def test_R_CAT_07_abbreviation_a_two_letter_word_finds_no_longer_words_by_their_start(client, ids):
    """"bi gevorderden": BI is no start of "binnen", so the course on working together within the
    organisation is no course with every word (before, it came right after the BI course)."""
    found = _found(client, "bi gevorderden", ids)
    assert found[0] == "bi_advanced"
    assert "inside" not in found[:2]
    assert "inside" not in _found(client, "bi", ids)
