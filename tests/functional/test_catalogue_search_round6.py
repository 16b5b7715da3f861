"""R_CAT_07, sixth round: what a third outside set of queries (bench/relevance/dev3.json) showed the
search missed, through GET /api/courses.

Two swapped letters are one typo (gdrp is GDPR, wacg is WCAG).
"""

from __future__ import annotations

import pytest

from tests.functional.test_catalogue_search_matching import _found
from tests.functional.test_catalogue_search_round3 import publish

COURSES = {
    # key: (name, summary, description, city, month)
    "privacy": ("Privacy in de praktijk", "Werken volgens de AVG.", "Met oefeningen.", "Utrecht", 1),
    "wcag": ("Toegankelijke websites", "Webteksten volgens de WCAG.", "Met oefeningen.", "Utrecht", 2),
    "speaking": ("Cursus presenteren", "Spreken voor een groep.", "Met oefeningen.", "Utrecht", 3),
}


@pytest.fixture
def ids(client):
    return publish(client, "sup-r6", "S", COURSES)


def test_R_CAT_07_typo_two_swapped_letters_are_one_typo(client, ids):
    """"gdrp cursus" and "wacg": two neighbours swapped, the commonest slip in typing. As edits they are
    two (so beyond the one a short word may have) and the page showed only the course that says cursus,
    or nothing; as one swap they find the privacy course (GDPR is listed with AVG) and the WCAG course."""
    assert _found(client, "gdrp cursus", ids)[0] == "privacy"
    assert _found(client, "wacg", ids) == ["wcag"]
