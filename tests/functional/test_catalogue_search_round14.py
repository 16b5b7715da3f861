"""R_CAT_07, fourteenth round: the pages of the development sets that showed no course at all, through
GET /api/courses.

Each was a word the catalogue and the lists knew only in part: a compound whose known end is a listed word
rather than a catalogue word, a listed word whose group no course of this catalogue has, and a word spelt by
ear whose catalogue word only comes in the plural.
"""

from __future__ import annotations

from tests.functional.test_catalogue_search_matching import _found, _search
from tests.functional.test_catalogue_search_round3 import publish


def test_R_CAT_07_compound_a_listed_end_no_catalogue_word_has_brings_its_group(client):
    """"zeepkistpraatje", "prinsjesdagpapieren": no course has them, nor their parts, so the page was empty. A
    compound's known ends were looked for among catalogue words only; praatje (listed with presenteren) and
    prinsjesdag (listed with begroting) now count as ends too, and bring their groups, as a guess."""
    ids = publish(client, "sup-r14a", "A", {
        "present": ("Presenteren met impact", "Voor een groep staan.", "Met oefeningen.", "Utrecht", 1),
        "budget": ("Begroten en verantwoorden", "De begroting van een ministerie.", "Met oefeningen.",
                   "Utrecht", 2),
        "excel": ("Excel", "Rekenen met Excel.", "Met oefeningen.", "Utrecht", 3)})
    assert _found(client, "zeepkistpraatje", ids) == ["present"]
    assert _found(client, "prinsjesdagpapieren", ids) == ["budget"]


def test_R_CAT_07_job_a_listed_word_whose_group_no_course_has_is_a_kind_of_its_listed_head(client):
    """"programmaleider" is listed with programmamanagement, and no course here says anything of that group, so
    the page was empty. A listed word whose group finds nothing is now read as a compound nothing explains: a
    programmaleider is a leider, listed with leidinggeven."""
    ids = publish(client, "sup-r14b", "B", {
        "lead": ("Leidinggeven in de praktijk", "Je team aansturen.", "Met oefeningen.", "Utrecht", 1),
        "excel": ("Excel", "Rekenen met Excel.", "Met oefeningen.", "Utrecht", 2)})
    assert _found(client, "programmaleider", ids) == ["lead"]


def test_R_CAT_07_suggestion_a_word_spelt_by_ear_finds_the_plural_the_catalogue_has(client):
    """"draijtabbel": sounds as draaitabel, but the catalogue has only draaitabellen, whose sound differs by its
    ending, so nothing was found and nothing suggested. Catalogue words are now also heard by their stem."""
    ids = publish(client, "sup-r14c", "C", {
        "pivot": ("Rapporteren met draaitabellen", "Cijfers samenvatten.", "Met oefeningen.", "Utrecht", 1),
        "writing": ("Helder schrijven", "Brieven op B1.", "Met oefeningen.", "Utrecht", 2)})
    assert _found(client, "draijtabbel", ids) == ["pivot"]


def test_R_CAT_07_compound_typed_names_its_subject_first(client):
    """"integriteitsoverleg", "tenderdossier": no course has them, so they are split, and a course had to have
    both parts. None had, and a guess made of either part's words stood for both, so the courses on meetings and on
    archiving led. A compound typed names its subject first: a course must have the first part, the other parts
    only score, and a guess from the parts stands for no part."""
    ids = publish(client, "sup-r14d", "D", {
        "integrity": ("Integriteit op het werk", "Dilemma's bespreken.", "Met oefeningen.", "Utrecht", 1),
        "meeting": ("Overleg voeren", "Beter overleggen en vergaderen.", "Met oefeningen.", "Utrecht", 2),
        "buying": ("Een tender winnen", "Inschrijven op een aanbesteding.", "Met oefeningen.", "Utrecht", 3),
        "archive": ("Dossiers op orde", "Archiveren en dossiervorming.", "Met oefeningen.", "Utrecht", 4)})
    assert _found(client, "integriteitsoverleg", ids)[0] == "integrity"
    assert _found(client, "tenderdossier", ids)[0] == "buying"


def test_R_CAT_07_suggestion_the_english_i_written_as_heard_is_the_dutch_ei(client):
    """"paiton": python's y sounds as the Dutch ij or ei, and Dutch ears write it ai, which sounded as nothing, so
    the page was empty. ai now sounds as ei."""
    ids = publish(client, "sup-r14e", "E", {
        "python": ("Python voor beginners", "Programmeren met data.", "Met oefeningen.", "Utrecht", 1),
        "writing": ("Helder schrijven", "Brieven op B1.", "Met oefeningen.", "Utrecht", 2)})
    assert _found(client, "paiton", ids) == ["python"]


def test_R_CAT_07_compound_a_listed_end_may_be_the_singular_of_a_listed_plural(client):
    """"offertetraject": offertes is listed (with inkoop), offerte is not, so the compound had no known end and the
    page was empty. An end whose plural is listed brings that plural's group."""
    ids = publish(client, "sup-r14f", "F", {
        "buying": ("Inkoop bij het Rijk", "Goed inkopen.", "Met oefeningen.", "Utrecht", 1),
        "writing": ("Helder schrijven", "Brieven op B1.", "Met oefeningen.", "Utrecht", 2)})
    assert _found(client, "offertetraject", ids) == ["buying"]


def test_R_CAT_07_place_a_place_with_only_format_words_is_the_place_alone(client):
    """"opleidingen in leiden": opleidingen is a format word, yet with nothing else typed a course had to say it, so
    only a course named "Opleiding ..." with a run in Leiden came. With a place and nothing but format words, the
    query asks what runs there: every course with a run in Leiden, as "leiden" alone."""
    ids = publish(client, "sup-r14g", "G", {
        "named": ("Opleiding inkoop", "Goed inkopen.", "Met oefeningen.", "Leiden", 1),
        "other": ("Helder schrijven", "Brieven op B1.", "Met oefeningen.", "Leiden", 2),
        "elsewhere": ("Presenteren", "Voor een groep staan.", "Met oefeningen.", "Utrecht", 3)})
    assert set(_found(client, "opleidingen in leiden", ids)) == {"named", "other"}


def test_R_CAT_07_compound_an_ending_is_no_part_of_a_glued_word(client):
    """"agressieve bezoekers": bezoekers was split as bezoek + ers, ers being left as a part by catalogue compounds
    (onderzoek-ers), so a course on visits was what the query asked for. An ending (-ers, -ing) glues nothing on."""
    ids = publish(client, "sup-r14h", "H", {
        "aggression": ("Omgaan met agressie", "Boze klanten aan de balie.", "Met oefeningen.", "Utrecht", 1),
        "visit": ("Een werkbezoek voorbereiden", "Het bezoek van een bewindspersoon.", "Met oefeningen.", "Utrecht",
                  2),
        "research": ("Onderzoek doen", "Voor onderzoekers.", "Met oefeningen.", "Utrecht", 3)})
    assert _found(client, "agressieve bezoekers", ids)[0] == "aggression"
    assert "research" not in _found(client, "bezoekers", ids)


def test_R_CAT_07_job_a_word_of_a_listed_pair_is_no_guess_at_another_word(client):
    """"secretaris-generaal" is listed (with leidinggeven), yet each of its words, known to no course, was also
    guessed as another word (generaal as centraal), and those guesses led the page. A word of a listed pair is that
    pair's."""
    ids = publish(client, "sup-r14i", "I", {
        "lead": ("Leidinggeven aan een organisatie", "Sturen op koers.", "Met oefeningen.", "Utrecht", 1),
        "central": ("Centraal inkopen", "Samen inkopen.", "Met oefeningen.", "Utrecht", 2)})
    assert _found(client, "secretaris-generaal", ids) == ["lead"]


def test_R_CAT_07_suggestion_a_word_spelt_by_ear_is_read_by_its_sound_not_as_two_keys_awry(client):
    """"privasie": two edits from private, a catalogue word, so the typo correction read it as private and the sound
    was never tried. When no reading is one edit away, a word that sounds as a catalogue word is that word."""
    ids = publish(client, "sup-r14j", "J", {
        "privacy": ("Privacy op het werk", "De AVG toepassen.", "Met oefeningen.", "Utrecht", 1),
        "private": ("Samenwerken met private partijen", "Publiek en privaat.", "Met oefeningen.", "Utrecht", 2)})
    assert _found(client, "privasie", ids)[0] == "privacy"


def test_R_CAT_07_suggestion_never_offers_the_query_as_it_was_read(client):
    """"klantmanager uwv": no course has uwv, so "Bedoelde u" looked for better, and offered "klant manager uwv", the
    compound split as the search had already split it: the same courses. A suggestion read as the query was read is
    no suggestion; leaving uwv out still is one."""
    publish(client, "sup-r14k", "K", {
        "client": ("Klantcontact", "De klant centraal.", "Met oefeningen.", "Utrecht", 1),
        "manager": ("De manager als coach", "Voor managers.", "Met oefeningen.", "Utrecht", 2)})
    suggestions = _search(client, q="klantmanager uwv")["suggestions"]
    assert "klant manager uwv" not in suggestions
    assert "klantmanager" in suggestions
