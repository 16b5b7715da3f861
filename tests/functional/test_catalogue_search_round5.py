"""R_CAT_07, fifth round: multi-word ranking, where a plain sum of per-word scores (BM25) did better,
through GET /api/courses.

A listed phrase (a synonym of two or more words) is evidence for the query words it stands for only
where its words stand together, in a course's title or summary; two adjacent query words also find the
compound Dutch makes of them (teksten schrijven → tekstschrijven).
"""

from __future__ import annotations

import pytest

from tests.functional.test_catalogue_search_matching import _found
from tests.functional.test_catalogue_search_round3 import publish

COURSES = {
    # key: (name, summary, description, city, month)
    "new_manager": ("Net leidinggevende", "De eerste honderd dagen.", "Met intervisie.", "Utrecht", 1),
    "starting": ("Leidinggeven in de praktijk", "Richting geven aan een team.",
                 "Een leergang van zes dagen met intervisie, oefeningen en een praktijkopdracht in je eigen "
                 "organisatie, voor startende managers en wie dat wil worden.", "Utrecht", 2),
    "feedback": ("Feedback aan je leidinggevende", "Net zeggen wat je leidinggevende moet horen.",
                 "Met oefeningen.", "Utrecht", 3),
    "excel": ("Excel voor startende analisten", "Formules en tabellen.", "Met oefeningen.", "Utrecht", 4),
    "writing": ("Zakelijk schrijven voor startende ambtenaren", "Brieven die lezers begrijpen.",
                "Met oefeningen.", "Utrecht", 5),
    "privacy": ("Privacy in de praktijk", "De AVG toepassen.", "Met casussen.", "Utrecht", 6),
    "text_writing": ("Tekstschrijven op B1-niveau", "Brieven die lezers begrijpen.", "Met oefeningen.",
                     "Utrecht", 7),
    "websites": ("Toegankelijke websites", "Teksten en documenten voor iedereen.", "Met oefeningen.",
                 "Utrecht", 8),
    "reports": ("Rapporten schrijven", "Van analyse naar advies.", "Met oefeningen.", "Utrecht", 9),
}


@pytest.fixture
def ids(client):
    return publish(client, "sup-r5", "F", COURSES)


def test_R_CAT_07_multi_a_listed_phrase_counts_where_its_words_stand_together(client, ids):
    """"startende leidinggevende": "net leidinggevende" is listed with it. The feedback course says
    "leidinggevende" in its title and "net" in its summary, apart; that once gave it both words of the
    query, above the course on leading that says "startende" in its description. The phrase is evidence
    only where its words stand together (the course titled "Net leidinggevende"); the feedback course,
    which has neither "startende" nor the phrase, now follows the courses with every word."""
    found = _found(client, "startende leidinggevende", ids)
    assert found[:3] == ["new_manager", "starting", "feedback"]


def test_R_CAT_07_multi_two_words_find_the_compound_they_make(client, ids):
    """"teksten schrijven": the course titled "Tekstschrijven" has the compound of the two words, the first
    one's stem joined to the second. As a compound with each word as a part it was evidence for neither
    (both words reached it alike), so it came after the courses with one of the words; as the two words
    together, it is the course with every word."""
    found = _found(client, "teksten schrijven", ids)
    assert found[0] == "text_writing"
    assert {"websites", "reports", "writing"} == set(found[1:])
