"""R_CAT_07: the maintained synonym and translation lists are lists CFB could have saved, and an edit
is checked term by term (the route's 400s: tests/functional/test_catalogue_search_lists.py)."""

from __future__ import annotations

from chalicelib.catalogue import vocabulary_rules
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


def test_R_CAT_07_default_members_a_saved_list_lacks_join_the_group_holding_their_default_group():
    saved = [["AVG", "privacy"], ["fiets", "tweewieler"]]
    defaults = (("AVG", "GDPR", "privacy"), ("stress", "werkdruk"), ("fiets",))
    merged, added = vocabulary_rules.synonyms_with_defaults(saved, defaults)
    assert merged == [["AVG", "privacy", "GDPR"], ["fiets", "tweewieler"], ["stress", "werkdruk"]] and added == 3
    assert saved == [["AVG", "privacy"], ["fiets", "tweewieler"]]  # the saved list itself is left as it was
    assert vocabulary_rules.synonyms_with_defaults(merged, defaults) == (merged, 0)


def test_R_CAT_07_a_full_group_gets_no_default_member_and_one_lacking_member_makes_no_group():
    full = [[f"term{i}" for i in range(vocabulary_rules.MAX_MEMBERS - 1)] + ["budget"]]
    defaults = (("budget", "begroting"), ("budget", "baten", "lasten"))
    merged, added = vocabulary_rules.synonyms_with_defaults(full, defaults)
    assert added == 2 and merged[1:] == [["baten", "lasten"]]  # begroting alone has no room and no group of its own
    assert vocabulary_rules.synonym_errors(merged) == {}


def test_R_CAT_07_default_members_a_list_lacked_when_saved_are_declined_and_not_offered_again():
    defaults = (("AVG", "GDPR", "privacy"), ("stress", "werkdruk"))
    saved = [["AVG", "privacy"]]
    declined = vocabulary_rules.declined_synonyms(saved, defaults)
    assert declined == ["gdpr", "stress", "werkdruk"]
    assert vocabulary_rules.synonyms_with_defaults(saved, defaults, declined) == (saved, 0)
    released = (*defaults, ("keukentafel", "thuiswerken"))  # what a later release adds is still offered
    merged, added = vocabulary_rules.synonyms_with_defaults(saved, released, declined)
    assert added == 2 and merged == [["AVG", "privacy"], ["keukentafel", "thuiswerken"]]


def test_R_CAT_07_a_default_translation_a_list_lacked_when_saved_is_declined():
    defaults = ((("leadership", "leading"), ("leiderschap",)), (("writing",), ("schrijven",)))
    saved = [{"en": ["Leading"], "nl": ["leidinggeven"]}]
    declined = vocabulary_rules.declined_translations(saved, defaults)
    assert declined == ["writing"]
    assert vocabulary_rules.translations_with_defaults(saved, defaults, declined) == (saved, 0)


def test_R_CAT_07_a_default_translation_is_offered_only_when_none_of_its_english_terms_is_saved():
    saved = [{"en": ["leadership"], "nl": ["leiderschap"]}]
    defaults = ((("leadership", "leading"), ("leiderschap", "leidinggeven")), (("writing",), ("schrijven",)))
    merged, added = vocabulary_rules.translations_with_defaults(saved, defaults)
    assert added == 1 and merged == [*saved, {"en": ["writing"], "nl": ["schrijven"]}]
