"""R_CAT_07: the maintained synonym and translation lists are lists CFB could have saved, and an edit
is checked term by term (the route's 400s: tests/functional/test_catalogue_search_lists.py)."""

from __future__ import annotations

from chalicelib.catalogue.vocabulary_rules import (
    SYNONYM,
    TRANSLATION,
    SearchLists,
    default_lists,
    expansion_table,
    synonym_errors,
    translation_errors,
)


def test_R_CAT_07_the_maintained_lists_pass_the_checks_of_an_edit():
    lists = default_lists()
    assert synonym_errors([list(group) for group in lists.synonyms]) == {}
    assert translation_errors([{"en": list(en), "nl": list(nl)} for en, nl in lists.translations]) == {}
    assert SearchLists.from_payload(lists.payload()) == lists


def test_R_CAT_07_a_translation_says_the_same_a_synonym_is_related():
    table = expansion_table(SearchLists((("AVG", "privacy"),), ((("leadership",), ("leiderschap",)),)))
    assert table["avg"] == [(("privacy",), SYNONYM)]
    assert table["leadership"] == [(("leiderschap",), TRANSLATION)]
    assert table["leiderschap"] == [(("leadership",), TRANSLATION)]  # both ways
    assert SYNONYM < TRANSLATION


def test_R_CAT_07_a_pair_of_words_is_found_as_typed_and_joined():
    table = expansion_table(SearchLists((("Power BI", "dashboard"),), ()))
    assert table["power bi"] == table["powerbi"] == [(("dashboard",), SYNONYM)]
