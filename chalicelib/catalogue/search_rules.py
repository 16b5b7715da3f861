"""The in-memory catalogue search (R_CAT_02-04, R_CAT_07, R_VIS_01). Pure: documents in, results out.

What a query matches. Each query word is a *slot*; a *concept* is what a slot (or two adjacent
slots) matches in the catalogue, each catalogue word with a match quality: the word itself, the
same Snowball stem (or base: a diminutive or a participle, conflictje → conflict, gecoacht → coachen),
a longer word it starts (for a word of 3+ letters), a compound with it as a part, a typo (one edit for
4+ letters, two for 8+, never the first letter of a word under 8 letters nor a digit), a synonym or an
English-Dutch translation (vocabulary_rules.py). A word the catalogue does not know is split into
known parts (each its own slot); two adjacent words count also as the catalogue word they form
together (tekst|schrijven, gesprek|s|technieken) or as a listed pair ("schriftelijk communiceren",
"tijd management"). A word no typo explains finds the catalogue words that sound the same
(kommunikasie → communicatie), else its family (participeren → participatie), else, as a guess, the
courses with its known ends (risicoprofielen → risico); a compound few courses have also finds, far
below them, the courses with the word it starts or ends with (vergadertechniek → vergaderen).
A place (the city of an upcoming run) is no slot: it narrows. One catalogue word is evidence for one
slot: an expansion that two concepts of different slots reach counts for the one that reaches it better
(the word typed, say), or for neither when both reach it alike.

How courses rank (BM25F). A course scores per concept its best quality x saturated BM25F weight x
the concept's IDF; the scores add up, with a bonus when adjacent query words stand next to each
other in the title or summary. Courses that match every slot come before courses that match some,
whose scores are multiplied by the share of the slots they match, each slot weighed by the square
root of its IDF (coordination). With a
place, courses with a run there come first (and show their runs there), then the courses that
match the words elsewhere; courses that only have a run there never show. Ties go to the earliest
upcoming start, then the course id. Pages are keyset positions, so they never repeat or skip a
course while the catalogue stays the same.

How it stays fast (the index's score levels). Courses are taken tier by tier (all slots in the
place, all slots elsewhere, some in the place, some elsewhere) using set operations; within a tier
a MaxScore walk reads the courses of one essential concept from its highest score level down and
stops as soon as no unread course can enter the page. A request without words walks the runs in
date order (the runs of one city when a place filter is set); one word without a place walks that
word's levels directly. What depends on today (upcoming runs, places) is prepared once per day.
"""

from __future__ import annotations

import bisect
import copy
import functools
import heapq
import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from chalicelib.catalogue.text_rules import (
    META,
    MIN_PART,
    STOP_WORDS,
    DeletionIndex,
    compound_parts,
    fold,
    has_letters,
    heard_key,
    idf,
    letter_count,
    levenshtein,
    saturated,
    sound_key,
    split_compound,
    stem,
    swap_budget,
    swap_distance,
    title_audience,
    typo_allowed,
    typo_budget,
)
from chalicelib.catalogue.text_rules import words as words  # bench/relevance_catalogue.py reads it here
from chalicelib.catalogue.vocabulary_rules import (
    Expansion,
    SearchLists,
    default_lists,
    expansion_table,
    translated_groups,
)

K1 = 4.5  # BM25F's saturation of the summed field weights (on the scale of one title word: about 6-9)
# match qualities (R_CAT_07): a word typed matches itself best, an expansion always less
EXACT, STEM, PREFIX, PART, TYPO1, TYPO2 = 1.0, 0.85, 0.7, 0.5, 0.45, 0.35
FAMILY = 0.4  # a word of the same family that Snowball stems apart (participeren → participatie)
FAMILY_ROOT = 6  # the shortest stem a family is looked up by
FAMILY_CUT = 3  # letters a stem may lose to find its family (prioriteer → prioriteren)
COMPOUND_PART = 0.3  # a part of a compound typed, when few courses have the compound (vergadertechniek → vergaderen)
LISTED_HEAD = 5  # the shortest listed word a compound nothing explains is taken to be a kind of (leider, not baas)
# how Dutch nouns for a person end (manager, inspecteur, jurist, commandant, secretaris, registrator)
PERSON_ENDINGS = ("er", "eur", "ist", "ant", "aris", "ator", "ster", "trice", "euse")
# listed words with such an ending that name a thing (a projectdossier is about a project)
THING_ENDINGS = ("dossier", "papier", "plezier", "beheer", "register", "kader", "center", "nummer", "kalender",
                 "indicator", "ladder", "wijzer", "tender")
# endings that catalogue compounds leave as parts (mentor-ing, onderzoek-ers) but that end a word, not glue one
# on: bezoekers is no bezoek + ers, engaging no engag + ing
ENDINGS_NOT_PARTS = frozenset({"ers", "ing", "ings", "ingen"})
GLUED_PART = 4  # the shortest known part of a glued word whose other part is misspelt
SOUND_LETTERS = 5  # the shortest word looked up by its sound (kommunikasie → communicatie)
HEARD_CONSONANTS = 4  # the fewest consonants an English word written as heard is looked up by (feetbek: ftbk)
SURE_TYPO_LETTERS = 8  # a word this long with one edit to a single catalogue word is a sure correction
AUDIENCE_SHARE = 0.5  # a job title's weight in the coordination, as a share of its IDF ("excel voor controllers")
FEW = 10  # a page's worth of courses: a compound found in fewer also finds its parts
SPLIT = 0.8  # a part of a glued query word (excelcursus → excel, cursus)
COMPOUND_LINKS = ("", "s", "e", "en")  # what Dutch puts between a compound's parts (gesprek-s-techniek)
MAX_ABBREVIATION = 6  # letters: PvE, DPIA, UAVG, not a word in capitals of its own
MIN_PREFIX = 3  # the shortest word typed that also finds the longer catalogue words it starts
MIN_MEMBER_PREFIX = 5  # a list member this long also finds the catalogue words it starts (pers: not personeel)
PROXIMITY = 0.25  # bonus share when two adjacent query words stand next to each other in a course
TIER = 100_000_000  # a tier's offset on the score; above any score a course can reach
SURE_WEIGHT = 30  # a stored weight above one mention in a description (see text_rules.document_terms)
NO_START = "9999-12-31"
SUGGESTION_TRIES = 12
EXPANSIONS_KEPT = 1_024  # query words whose concepts a container keeps (per build and day)
ITEMS_KEPT = 50_000  # result items a container keeps (per build and day)
# What people type for a city that the runs write otherwise (folded): Den Bosch is 's-Hertogenbosch.
PLACE_ALIASES = {"den bosch": "hertogenbosch", "s hertogenbosch": "hertogenbosch", "gravenhage": "den haag",
                 "s gravenhage": "den haag", "ljouwert": "leeuwarden",  # and Leeuwarden by its Frisian name
                 "hofstad": "den haag", "mokum": "amsterdam", "domstad": "utrecht", "maasstad": "rotterdam",
                 "denbosch": "hertogenbosch", "denhaag": "den haag",  # glued
                 "adam": "amsterdam", "rdam": "rotterdam",  # A'dam, R'dam
                 "mestreech": "maastricht", "dordt": "dordrecht"}  # as said locally
AFTER_A_PLACE = frozenset({"omgeving", "omstreken"})
BEFORE_A_PLACE = frozenset({"regio", "buurt", "nabij", "rondom"})  # not omgeving: "politieke omgeving den haag"
# Words that name the kind of offer, not its subject: typed, they score, but a course need not have them
# to match "all words" ("excel cursus" finds "Excel voor gevorderden").
FORMAT_WORDS = frozenset({
    "cursus", "cursussen", "training", "trainingen", "opleiding", "opleidingen", "workshop", "workshops",
    "leergang", "webinar", "elearning", "e", "learning", "course", "courses", "programma", "module", "les",
    "lessen", "masterclass", "skills", "vaardigheden", "leren",
})
# Verbs of doing in general: with a subject typed ("risicoregister bijhouden", "besluiten nemen") they say what
# is done with it, not what a course is about; like a format word, a course need not have them.
LIGHT_VERBS = frozenset({"houden", "maken", "doen", "krijgen", "nemen", "voeren", "zetten", "brengen", "gaan",
                         "geven", "hebben", "worden", "komen", "laten", "stellen", "bepalen", "voorbereiden",
                         "snappen", "begrijpen", "opstellen", "melden", "aanvragen", "regelen", "indienen", "invullen",
                         "bellen", "belt"})
# Words for how it is done ("kamervragen snel beantwoorden", "beter plannen"): they say how, not what; the same.
MANNER_WORDS = frozenset({"snel", "sneller", "vlot", "vlotter", "goed", "beter", "makkelijk", "makkelijker",
                          "handig", "handiger", "gewoon", "echt", "even", "zelf", "direct"})
# Where someone works, and what kind of the job they hold ("strategisch inkoper provincie", "casemanager uwv",
# "senior beleidsmedewerker"): context, not what a course is about; the same.
CONTEXT_WORDS = frozenset({
    "gemeente", "gemeenten", "provincie", "provincies", "ministerie", "ministeries", "rijk", "rijksoverheid",
    "rijksbreed", "waterschap", "hoogheemraadschap", "uwv", "duo", "ind", "cjib", "belastingdienst", "rijkswaterstaat",
    "defensie", "politie",
    "senior", "junior", "medior", "interim", "operationeel", "tactisch", "strategisch", "plv", "plaatsvervangend",
    "adjunct"})
SIDE_WORDS = LIGHT_VERBS | MANNER_WORDS | CONTEXT_WORDS

Key = tuple[int, str, str]  # (-score, start day of the first matching run, course id)


@dataclass
class Concept:
    """What a slot (or two) matches: catalogue word → quality, phrases (all words needed)."""

    label: str
    slots: frozenset[int]
    terms: dict[str, float] = field(default_factory=dict)
    phrases: list[tuple[tuple[str, ...], float]] = field(default_factory=list)
    docs: Any = frozenset()  # the courses it matches (a set or a dict's keys)
    sure: Any = frozenset()  # those it matches well enough to count for "all words" (see CatalogueIndex._sure)
    idf: float = 0.0
    guessed: bool = False  # it matches only through typo corrections: not a word a course must have
    ends_only: bool = False  # a word nothing explains, matched by its known ends only: "Bedoelde u" may do better
    misspelt: bool = False  # one edit from a catalogue word: misspelt rather than glued (lerren is leren)
    _tables: dict[str, dict[int, int]] = field(default_factory=dict)
    _lookups: list[tuple[dict[int, int], dict[int, int], float]] = field(default_factory=list)

    def add(self, term: str, quality: float) -> None:
        if self.terms.get(term, 0.0) < quality:
            self.terms[term] = quality


@dataclass
class Plan:
    """A query as slots (word positions), concepts and places."""

    words: list[str]
    concepts: list[Concept]
    required: frozenset[int]  # slots a course must match for "all words"
    slot_idf: dict[int, float]
    places: tuple[str, ...] = ()  # folded city names
    unmatched: tuple[str, ...] = ()  # query words nothing in the catalogue matches
    pairs: list[tuple[int, int, tuple[str, str]]] = field(default_factory=list)  # adjacent slots and their stems
    coord: dict[int, float] = field(default_factory=dict)  # each slot's weight in the coordination


@dataclass(frozen=True)
class Filters:
    theme: str | None = None
    supplier: str | None = None
    city: str | None = None
    kind: str | None = None
    online: bool | None = None
    date_from: str | None = None
    date_to: str | None = None

    def restricts_runs(self) -> bool:
        return not (self.city is None and self.online is None and self.date_from is None and self.date_to is None)


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_after: tuple[Any, ...] | None
    place: str | None = None  # the place the results are narrowed to, as the runs write it
    all_words: bool = True  # some course matched every word of the query


@dataclass(frozen=True)
class Answer:
    """A page with its "Bedoelde u" suggestions; `showing` is the suggestion whose results these are."""

    page: Page
    suggestions: list[str]
    showing: str | None = None


@dataclass(frozen=True)
class Suggestion:
    text: str
    cost: int  # edits or changes from the query typed
    all_words: bool  # it finds courses matching all its words


@dataclass
class _Day:
    """What depends on today's date, prepared once per container per day."""

    today: str
    runs: list[list[dict[str, Any]]]  # per doc: upcoming, not cancelled, sorted by start
    run_places: list[list[str]]  # per doc: the folded city of each of those runs
    next_start: list[str]  # per doc: first upcoming start or NO_START
    run_walk: list[tuple[str, str, int]]  # every upcoming run as (start, course id, doc), sorted
    places: dict[str, set[int]]  # folded city → docs with an upcoming run there
    place_names: dict[str, str]  # folded city → as the runs write it
    never: list[tuple[str, int]]  # (course id, doc) of the courses without an upcoming run, by id
    city_walks: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)  # city → its runs, as run_walk
    place_starts: dict[str, dict[int, str]] = field(default_factory=dict)  # city → doc → first start there
    tiers: dict[str, dict[int, list[int]]] = field(default_factory=dict)  # term → weight → docs by (start, id)
    tier_sets: dict[tuple[str, int], set[int]] = field(default_factory=dict)  # the same, as sets
    projected: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # doc → its runs as shown
    items: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)  # result items (Acceptor.summary)


class CatalogueIndex:
    """Built once per catalogue build per container; answers searches without I/O.

    The vocabulary structures (stems, compound parts, the lists' expansions) are built here once per
    build; the typo index on the first query with a word the catalogue does not know.
    """

    def __init__(self, version: str, docs: list[dict[str, Any]], stems: dict[str, str] | None = None,
                 lists: SearchLists | None = None) -> None:
        """`stems`: the build's stem table (words whose stem differs); None computes every stem.
        `lists`: the build's synonyms and translations; None takes the maintained defaults."""
        self.version = version
        self.docs = docs
        self.lists = lists if lists is not None else default_lists()
        self.by_id = {doc["id"]: i for i, doc in enumerate(docs)}
        postings: dict[str, dict[int, int]] = {}
        meta_keys: dict[str, str] = {}  # supplier or theme word → its key in the postings
        for i, doc in enumerate(docs):
            for term, weight in doc["terms"].items():
                found = postings.get(term)
                if found is None:
                    postings[term] = {i: weight}
                else:
                    found[i] = weight
            for word, weight in doc.get("meta", {}).items():
                term = meta_keys.get(word) or meta_keys.setdefault(word, META + word)
                found = postings.get(term)
                if found is None:
                    postings[term] = {i: weight}
                else:
                    found[i] = weight
        self.postings = postings
        self.vocabulary = sorted(postings)
        self.stems: dict[str, str] = {}  # every word → its stem
        self.by_stem: dict[str, list[str]] = {}
        self.meta_by_stem: dict[str, list[str]] = {}  # stem → supplier and theme words (with META)
        self.parts: dict[str, set[str]] = {}  # part → compounds of the vocabulary containing it
        words_only = [t for t in self.vocabulary if t.isalpha()]
        for term in words_only:
            term_stem = stem(term) if stems is None else stems.get(term, term)
            self.stems[term] = term_stem
            self.by_stem.setdefault(term_stem, []).append(term)
        for word, term in meta_keys.items():
            if word.isalpha():
                word_stem = self.stems.get(word) or (stem(word) if stems is None else stems.get(word, word))
                self.meta_by_stem.setdefault(word_stem, []).append(term)
        vocabulary = set(words_only)
        for term in words_only:
            if len(term) >= 2 * MIN_PART:
                for part in compound_parts(term, vocabulary):
                    self.parts.setdefault(part, set()).add(term)
        self.expansions = expansion_table(self.lists)
        self.translated_groups = translated_groups(self.lists)
        self._typos: _Typos | None = None
        self._format_stems: set[str] | None = None  # the stems of the format words (built when first needed)
        self._audiences: set[str] | None = None  # words naming who courses are for (built when first needed)
        self._abbreviations: frozenset[str] | None = None  # the lists' abbreviations (built when first needed)
        self._sounds: dict[str, list[str]] | None = None  # sound key → catalogue words (built when first needed)
        self._heard: dict[str, list[str]] | None = None  # consonants as heard → catalogue words (with _sounds)
        self._day: _Day | None = None
        self._course_sets: dict[tuple[str, str], set[int]] | None = None
        self._hidden: dict[frozenset[str] | None, set[int]] = {}
        self._bigrams: dict[int, set[tuple[str, str]]] = {}
        self._expansions_kept: dict[tuple[str, ...], Concept] = {}
        self._plans_kept: dict[tuple[str, ...], Plan] = {}

    def forget_kept(self) -> None:
        """Drop the kept word expansions, plans and result items (a benchmark's first request for a word)."""
        self._expansions_kept = {}
        self._plans_kept = {}
        if self._day is not None:
            self._day.items.clear()

    def stem_table(self) -> dict[str, str]:
        """word → stem where they differ: stored with the build so loading needs no stemming."""
        return {term: term_stem for term, term_stem in self.stems.items() if term_stem != term}

    def doc(self, course_id: str) -> dict[str, Any] | None:
        i = self.by_id.get(course_id)
        return None if i is None else self.docs[i]

    # --- answering ----------------------------------------------------------------------------------

    def answer(self, query: str, filters: Filters, viewer_codes: frozenset[str] | None, today: str,
               sort: str = "relevance", after: tuple[Any, ...] | None = None, limit: int = 20) -> Answer:
        """A page, with "Bedoelde u" suggestions when no course matches every word (R_CAT_07). When the
        query shows nothing and exactly one suggestion is strong (no other as close, and it finds courses
        matching all its words), the page holds that suggestion's results and says so (`showing`); so it
        does when a word of the query matches nothing (pitsen oefenen shows no courses that only say
        oefenen) and the strong suggestion respells it by ear, keeping every word (pitchen oefenen)."""
        page = self.search(query, filters, viewer_codes, today, sort, after, limit)
        if not words(query) or (page.items and page.all_words):
            return Answer(page, [])
        lost = self._word_matching_nothing(query, today)
        if after is not None and not page.items and not lost:
            return Answer(page, [])
        found = self.suggest(query, filters, viewer_codes, today)
        suggestions = [item.text for item in found]
        full = [item for item in found if item.all_words]
        if page.items:  # only a respelling by ear replaces courses that match some of the words
            full = [item for item in full if lost and _sounds_as_typed(words(query), words(item.text))]
        strong = [item for item in full if item.cost == min(f.cost for f in full)]
        if len(strong) > 1 and not page.items:
            # as close to several: an empty page helps nobody, so the first offered (the likeliest, as
            # `suggest` orders them) shows, the page says so and the others stay one click away
            strong = strong[:1]
        if len(strong) == 1:
            shown = self.search(strong[0].text, filters, viewer_codes, today, sort, after, limit)
            return Answer(shown, suggestions, strong[0].text)
        return Answer(page, suggestions)

    def _word_matching_nothing(self, query: str, today: str) -> bool:
        """A word of the query, other than a word for the kind of offer, that no course has in any form."""
        return any(word not in FORMAT_WORDS for word in self.plan(query, self._prepare(today)).unmatched)

    def search(self, query: str, filters: Filters, viewer_codes: frozenset[str] | None, today: str,
               sort: str = "relevance", after: tuple[Any, ...] | None = None, limit: int = 20) -> Page:
        day = self._prepare(today)
        plan = self.plan(query, day)
        if words(query) and not plan.concepts and not plan.places:
            return Page([], None, all_words=False)  # words that match nothing (stop words alone are no words)
        wanted = limit + 1
        if not plan.concepts and len(plan.places) < 2:
            # no words, or a place alone (which is then the city filter): every course in date order
            if plan.places and filters.city is None:
                filters = Filters(**{**filters.__dict__, "city": day.place_names[plan.places[0]]})
            accept = _Acceptor(self, day, filters, viewer_codes)
            keyed = self._walk_runs(day, None, accept, after, wanted)
            return self._page(keyed, accept, limit, filters.city if plan.places else None)
        accept = _Acceptor(self, day, filters, viewer_codes, plan.places)
        tiers = _Tiers(self, plan, day, accept)
        place = ", ".join(day.place_names[p] for p in plan.places) if tiers.narrowed() else None
        if sort == "start":
            tier = next((t for t in (3, 2, 1, 0) if tiers.members(t)), 0)
            keyed = self._by_start(day, tiers.members(tier), accept, after, wanted, tier % 2 == 1)
            return self._page(keyed, accept, limit, place, tiers.all_words(), in_place=tier % 2 == 1)
        if self._single_walk(plan, accept):
            keyed = self._walk_tiers(day, plan.concepts[0], accept, after, wanted)
            # one word: a course that matches it at all matches every word
            return self._page(keyed, accept, limit, place, not plan.unmatched and (bool(keyed) or after is not None))
        else:
            keyed = []
            for tier in (3, 2, 1, 0):
                if len(keyed) >= wanted:
                    break
                if after is not None and tier > _tier_of(after):
                    continue  # the whole tier came before the cursor
                keyed += self._top(tier, tiers.members(tier), plan, day, accept, after, wanted - len(keyed))
        return self._page(keyed, accept, limit, place, tiers.all_words())

    def _page(self, keyed: list[tuple[Key, int]], accept: _Acceptor, limit: int, place: str | None = None,
              all_words: bool = True, in_place: bool = False) -> Page:
        page = keyed[:limit]
        items = [accept.summary(i, in_place or (bool(accept.places) and _tier_of(key) % 2 == 1))
                 for key, i in page]
        return Page(items, page[-1][0] if len(keyed) > limit else None, place, all_words)

    # --- the query as a plan ----------------------------------------------------------------------------

    def plan(self, query: str, day: _Day | None = None) -> Plan:
        """Slots, concepts and places of a query; places only when `day` is given (upcoming runs). Kept
        per build and day for the most recent queries, as the word expansions are."""
        typed = words(query)
        if day is None or day is not self._day:
            return self._plan(typed, day)
        key = tuple(typed)
        found = self._plans_kept.get(key)
        if found is None:
            if len(self._plans_kept) >= EXPANSIONS_KEPT:
                self._plans_kept.pop(next(iter(self._plans_kept)))
            found = self._plans_kept[key] = self._plan(typed, day)
        return found

    def _plan(self, typed: list[str], day: _Day | None) -> Plan:
        places, rest = self._places(typed, day)
        if places and all(self._is_format(word) or word in STOP_WORDS for word in rest):
            rest = []  # "opleidingen in leiden" asks for what runs there, as "leiden" alone does
        concepts: list[Concept] = []
        slots: dict[int, str] = {}
        unmatched: list[str] = []
        plain: list[tuple[int, str]] = []  # slots of whole words, for the adjacent pairs
        listed = self._listed_pairs(rest)
        in_pairs: set[int] = set()  # slots of the words of a listed pair ("vragen stellen")
        heads: set[int] = set()  # slots of the parts after the first of a glued word that was split
        for position, word in enumerate(rest):
            slot = len(slots)
            slots[slot] = word
            if position in listed:
                in_pairs.add(slot)
            concept = self._expanded(("word", word), frozenset({slot}), day, functools.partial(self._expand, word))
            # a word one edit from a catalogue word is misspelt rather than glued (lerren is leren, not ler + ren);
            # a word of a listed pair is that pair's (ruimtelijke ordening, not orde + ning)
            parts = None if self._knows(word) or position in listed or concept.misspelt \
                else split_compound(word, _PartLexicon(self))
            if parts:  # a particle is no subject of its own: aannemen is nemen, not aan + nemen
                parts = [part for part in parts if part not in STOP_WORDS] or None
            if parts:
                part_slots = [slot, *range(len(slots), len(slots) + len(parts) - 1)]
                heads.update(part_slots[1:])
                of_parts: set[str] = set()
                for part_slot, part in zip(part_slots, parts, strict=True):
                    slots[part_slot] = part
                    concepts.append(self._expanded(("part", part), frozenset({part_slot}), day,
                                                   functools.partial(self._expand, part, SPLIT)))
                    of_parts.update(concepts[-1].terms)
                plain.append((-1, word))
                if concept.guessed and set(concept.terms) - of_parts:
                    # its known parts explain it, not a guess at another word (teamcoach: taalcoach, Nederlands)
                    kept = {term: quality for term, quality in concept.terms.items() if term in of_parts}
                    if not kept:
                        continue
                    concept = self._expanded(("whole", word), frozenset(), day, functools.partial(
                        Concept, word, frozenset(), kept, guessed=True, ends_only=concept.ends_only))
                # a guess from its parts' words stands for no part: a course with one part has not the whole
                concept.slots = frozenset() if concept.guessed else frozenset(part_slots)
            else:
                plain.append((slot, word))
            if position in listed and concept.guessed:
                continue  # a word of a listed pair is that pair's, not a guess at another word (secretaris-generaal)
            concepts.append(concept)
        for (slot_a, first), (slot_b, second) in itertools.pairwise(plain):
            if slot_a >= 0 and slot_b >= 0:
                pair = self._expanded(("pair", first, second), frozenset({slot_a, slot_b}), day,
                                      functools.partial(self._pair, first, second))
                if pair.terms or pair.phrases:
                    concepts.append(pair)
        concepts = [c for c in concepts if c.terms or c.phrases]
        covering: dict[int, list[Concept]] = {}
        for concept in concepts:
            for slot in concept.slots:
                covering.setdefault(slot, []).append(concept)
        for slot, word in slots.items():
            if not any(c.docs and not c.ends_only for c in covering.get(slot, ())):
                unmatched.append(word)  # no course has it (the courses with its known ends are a guess)
        matched = {slot for slot in slots if any(c.docs for c in covering.get(slot, ()))}
        sure = {slot for slot in matched if any(c.docs and not c.guessed for c in covering[slot])}
        # a course must have the subject words: the sure ones and those a one-edit correction explains
        # (nederlans leren, risiko analyse), unless the correction is a format word (nt2 cursis); when only
        # format words are left ("projectmanagment cursus"), every matched one
        corrected = {slot for slot in matched - sure if self._corrected(covering[slot])}
        subject = self._subjects(sure | corrected, slots, in_pairs) or self._subjects(matched, slots, in_pairs)
        slot_idf = {slot: max(c.idf for c in covering[slot] if c.docs) for slot in matched}
        # a job title typed with a subject ("excel voor controllers") says who, not what: a course about the
        # subject that is not for that group matches more of the query than one for the group on another subject
        audience = {slot for slot in subject if self._audience(slots[slot])} if len(subject) > 1 else set()
        # a listed abbreviation is the subject typed most precisely ("pve opstellen", "vba code"): a course must
        # have it (or its group's words) and the other listed words, while a word no list has, a verb or a
        # general noun, only scores; a listed pair keeps both words (hr adviseur)
        if any(self._is_abbreviation(slots[slot]) for slot in subject):
            subject = {slot for slot in subject if slot in audience or slot in in_pairs
                       or slots[slot] in self.expansions}
        # a compound typed names its subject first (integriteitsoverleg, tenderdossier): its other parts only score
        if subject - heads:
            subject -= heads
        if subject - audience:
            for slot in audience:
                slot_idf[slot] *= AUDIENCE_SHARE
        concepts = [c for c in concepts if c.docs]
        concepts = self._unshared(concepts, slots, day)
        ordered = [slots[s] for s in sorted(slots)]
        pairs = [(a, a + 1, (self._stem(ordered[a]), self._stem(ordered[a + 1]))) for a in range(len(ordered) - 1)
                 if a in matched and a + 1 in matched]
        # BM25F already weighs each word by its IDF: the coordination weighs it by the square root, so a
        # rare side word (inschatten, geven) does not outweigh the subject twice over
        coord = {slot: math.sqrt(value) for slot, value in slot_idf.items()}
        return Plan(ordered, concepts, frozenset(subject or sure or matched), slot_idf, tuple(places),
                    tuple(unmatched), pairs, coord)

    def _unshared(self, concepts: list[Concept], slots: dict[int, str], day: _Day | None) -> list[Concept]:
        """One catalogue word is evidence for one query word. An expansion (synonym, translation, compound
        part, typo) that a concept of other slots reaches as well, at the same or a better quality, counts
        for neither of the two or for that other concept only; a listed phrase of words typed in other
        slots likewise. Else "power bi dashboards" finds a course saying "rapportages" as having all
        three words, above a Power BI course that is not about dashboards by name."""
        stems_typed: dict[str, set[int]] = {}
        for slot, word in slots.items():
            stems_typed.setdefault(self._stem(word), set()).add(slot)
        result = []
        for concept in concepts:
            others = [other for other in concepts if not other.slots & concept.slots]
            dropped = {term for term, quality in concept.terms.items()
                       if quality < PREFIX and any(other.terms.get(term, 0.0) >= quality for other in others)}
            phrases = [(phrase, quality) for phrase, quality in concept.phrases
                       if not all(stems_typed.get(self._stem(w), set()) - concept.slots for w in phrase)]
            if not dropped and len(phrases) == len(concept.phrases):
                result.append(concept)
                continue
            own = Concept(concept.label, concept.slots, {t: q for t, q in concept.terms.items() if t not in dropped},
                          phrases, idf=concept.idf, guessed=concept.guessed, ends_only=concept.ends_only)
            own.docs = self._docs_of(own) if own.terms or own.phrases else frozenset()
            own.sure = self._sure(own, day) if day is not None else own.docs
            result.append(own if own.docs else concept)  # a word with no evidence of its own keeps what it shares
        return result

    def _places(self, typed: list[str], day: _Day | None) -> tuple[list[str], list[str]]:
        """Places typed in the query (the longest city name first) and the other words."""
        if day is None:
            return [], typed
        places: list[str] = []
        rest: list[tuple[int, str]] = []
        starts: set[int] = set()
        ends: set[int] = set()  # where a place's words start, and the position after its last
        i = 0
        while i < len(typed):
            for size in (3, 2, 1):
                name = " ".join(typed[i:i + size])
                name = PLACE_ALIASES.get(name, name)
                if len(typed) - i >= size and name in day.places:
                    places.append(name)
                    starts.add(i)
                    ends.add(i + size)
                    i += size
                    break
            else:
                misspelt = self._misspelt_place(typed[i], day)
                if misspelt:
                    places.append(misspelt)
                    starts.add(i)
                    ends.add(i + 1)
                else:
                    rest.append((i, typed[i]))
                i += 1
        # words that widen the place ("apeldoorn en omgeving", "regio utrecht") are no subject
        return places, [word for at, word in rest if not ((word in AFTER_A_PLACE and at in ends)
                                                          or (word in BEFORE_A_PLACE and at + 1 in starts))]

    def _misspelt_place(self, word: str, day: _Day) -> str | None:
        """A word no course and no list has, within its typo budget of exactly one city of the runs (leewarden,
        amsterdm): that city."""
        budget = typo_budget(word)
        if not budget or not word.isalpha() or self._knows(word):
            return None
        near = [place for place in day.places
                if " " not in place and typo_allowed(word, place) and levenshtein(word, place, budget) <= budget]
        return near[0] if len(near) == 1 else None

    def _expanded(self, key: tuple[str, ...], slots: frozenset[int], day: _Day | None,
                  make: Callable[[], Concept]) -> Concept:
        """A word's concept for these slots. What it matches (terms, courses, IDF, score tables) depends
        only on the build and the day, so it is kept for the most recent EXPANSIONS_KEPT words."""
        cache = self._expansions_kept if day is not None and day is self._day else None
        found = cache.get(key) if cache is not None else None
        if found is None:
            found = make()
            n = max(1, len(self.docs))
            found.docs = self._docs_of(found)
            found.idf = idf(min(len(found.docs), n), n)
            found.sure = self._sure(found, day) if day is not None else found.docs
            if cache is not None:
                if len(cache) >= EXPANSIONS_KEPT:
                    cache.pop(next(iter(cache)))
                cache[key] = found
        concept = copy.copy(found)  # shares what it matches and its score tables
        concept.slots = slots
        return concept

    def _expand(self, word: str, factor: float = 1.0) -> Concept:
        concept = Concept(word, frozenset())
        word_stem = self._stem(word)
        for marker, by_stem in (("", self.by_stem), (META, self.meta_by_stem)):
            if marker + word in self.postings:
                concept.add(marker + word, EXACT * factor)
            for term in self._forms(word, by_stem):
                concept.add(term, STEM * factor)
            # bi is not the start of binnen, nor an abbreviation (div) of the words it starts (diversiteit)
            if len(word) >= MIN_PREFIX and not self._is_abbreviation(word):
                for term in self._prefixed(marker + word):
                    concept.add(term, PREFIX * factor)
        # the compounds with it as a part; for an inflected form (wetten, regels), also with its stem when
        # that is a catalogue word itself (wet: wetgeving, omgevingswet); and with the other catalogue forms
        # of its stem (techniek: presentatietechnieken)
        forms = self._forms(word, self.by_stem)
        bases = [word, word_stem] if word_stem != word and word_stem in forms else [word]
        bases += [form for form in forms if form not in bases]
        for base in bases:
            for compound in self.parts.get(base, ()):
                concept.add(compound, PART * factor)
        self._add_expansions(concept, word, factor)
        if not self._knows(word) and not concept.terms and word.isalpha():
            self._add_base_form(concept, word, factor)
        if not self._knows(word) and not concept.terms:
            budget = typo_budget(word) or swap_budget(word)
            if budget:
                near = {term: edits for term, edits in self._typo_index().near(word, budget).items()
                        if typo_allowed(word, term)}
                if near and min(near.values()) > 1 and word.isalpha() and self._sounds_like(word):
                    near = {}  # spelt by ear (privasie: privacy), not two keys awry (private): the sound decides
                sure = _sure_correction(word, near)
                for term, edits in near.items():
                    quality = (STEM if sure and edits == 1 else TYPO1 if edits == 1 else TYPO2) * factor
                    if term in self.postings:
                        concept.add(term, quality)
                    self._add_expansions(concept, term, quality)
                concept.guessed = bool(concept.terms or concept.phrases) and not sure
                # one edit from a catalogue word, or from a listed one other than by its ending (beleidsadviseurs is
                # the plural of a listed job title, still split: beleid + adviseurs)
                concept.misspelt = any(edits == 1 and (term in self.postings or self._stem(term) != self._stem(word))
                                       for term, edits in near.items())
        if not concept.terms and not concept.phrases and word.isalpha() and not self._knows(word):
            self._add_sounds_like(concept, word, factor)
        if not concept.terms and not concept.phrases and word.isalpha() and not self._knows(word):
            self._add_family(concept, word, factor)
            if not concept.terms:
                self._add_adjective_noun(concept, word, factor)
            if not concept.terms and factor == 1.0:
                self._add_ends(concept, word, factor)
        elif factor == 1.0 and concept.terms and word.isalpha() and word not in self.expansions and self._few(concept):
            self._add_compound_parts(concept, word, factor)
        elif factor == 1.0 and not concept.terms and not concept.phrases and word.isalpha() and word in self.expansions:
            # a listed word whose group no course of this catalogue has (programmaleider, where nobody teaches
            # programmamanagement): as a compound nothing explains
            self._add_ends(concept, word, factor)
        return concept

    def _add_ends(self, concept: Concept, word: str, factor: float) -> None:
        """A compound nothing explains (risicoprofielen, teamcoaching): as a guess, a kind of its listed head, or the
        courses with its known ends, so the page is not empty while "Bedoelde u" may still do better; a glued word
        that is split also counts for a course that is clearly about one of its parts."""
        self._add_listed_head(concept, word, factor)
        self._add_compound_parts(concept, word, factor)
        concept.guessed = concept.ends_only = bool(concept.terms or concept.phrases)

    def _few(self, concept: Concept) -> bool:
        """Fewer than FEW courses match it (a term with that many of its own answers without the union)."""
        return (all(len(self.postings[term]) < FEW for term in concept.terms)
                and len(self._docs_of(concept)) < FEW)

    def _add_compound_parts(self, concept: Concept, word: str, factor: float) -> None:
        """A compound few courses have also finds, well below them, the courses with the words of its
        subject parts (vergadertechniek → vergaderen), so the page fills with related courses. Not for
        a listed word: the list says what it relates to (gegevensbescherming is privacy, not gegevens)."""
        for part in _known_ends(word, _WordLexicon(self)) or _known_ends(word, _ListedLexicon(self)):
            if part in FORMAT_WORDS:
                continue
            for term in {part, *self.by_stem.get(self._stem(part), ())}:
                if term in self.postings:
                    concept.add(term, COMPOUND_PART * factor)
            # a listed end also brings its group, as weakly (brandalarm: brand, so BHV)
            self._add_expansions(concept, _listed_form(part, self.expansions) or part, COMPOUND_PART * factor)

    def _add_listed_head(self, concept: Concept, word: str, factor: float) -> None:
        """A compound nothing explains that ends in a listed word for a person: a Dutch compound is a kind of its
        last part (a clustermanager is a manager, a belastinginspecteur an inspecteur), so the courses of that
        word's group, as a guess. The longest such end of LISTED_HEAD letters or more, after a part of MIN_PART.
        Not for a thing: an aanbestedingsdossier is about aanbesteden, a leiderschapscursus about leiderschap."""
        for start in range(MIN_PART, len(word) - LISTED_HEAD + 1):
            head = word[start:]
            if (head in self.expansions and head.endswith(PERSON_ENDINGS) and not head.endswith(THING_ENDINGS)
                    and not self._is_format(head)):
                self._add_expansions(concept, head, factor)
                return

    def _add_base_form(self, concept: Concept, word: str, factor: float) -> None:
        """A diminutive (conflictje, gesprekje) or a past participle (gecoacht, geëvalueerd) Snowball does not
        stem: the catalogue words of its base (conflict, coachen, evalueren), as an inflection."""
        self._add_bases(concept, _base_forms(word), factor)

    def _add_bases(self, concept: Concept, bases: Iterable[str], factor: float) -> None:
        """The catalogue words of the first base that has any (or, listed, its group), as an inflection."""
        for base in bases:
            terms = {base, *self.by_stem.get(self._stem(base), ()), *self.by_stem.get(base, ())}
            found = [term for term in terms if term in self.postings]
            if found:
                for term in found:
                    concept.add(term, STEM * factor)
                    self._add_expansions(concept, term, STEM * factor)
                return
            if base in self.expansions:  # the base is listed, not in a course (cadeautjes: cadeau, so integriteit)
                self._add_expansions(concept, base, STEM * factor)
                return

    def _add_adjective_noun(self, concept: Concept, word: str, factor: float) -> None:
        """An adjective in -isch whose family no catalogue word starts: the noun in -e or -ie it is made from
        (algoritmische → algoritme), as an inflection. After the family, which reads automatisch as automatiseren,
        not as the English automate."""
        adjective = word.removesuffix("e")
        if adjective.endswith("isch") and len(adjective) >= MIN_PART + 6:
            self._add_bases(concept, (adjective[:-4] + "e", adjective[:-4] + "ie"), factor)
            if concept.terms or concept.phrases:
                concept.guessed = False

    def _add_sounds_like(self, concept: Concept, word: str, factor: float) -> None:
        """A word spelt by ear that no typo explains (kommunikasie): the catalogue words that sound the
        same (communicatie), as a two-edit typo, and a guess."""
        for term in self._sounds_like(word):
            concept.add(term, TYPO2 * factor)
            self._add_expansions(concept, term, TYPO2 * factor)
        concept.guessed = bool(concept.terms or concept.phrases)

    def _sounds_like(self, word: str) -> list[str]:
        """The catalogue words spelt differently for the same Dutch sound; else, for an English word written as
        heard (koetsjing), those with its consonants as heard (coaching)."""
        if len(word) < SOUND_LETTERS:
            return []
        if self._sounds is None or self._heard is None:
            sounds: dict[str, list[str]] = {}
            heard: dict[str, list[str]] = {}
            for term, term_stem in self.stems.items():
                # by its stem too: the catalogue may have only the plural of the word meant (draaitabellen)
                for form in dict.fromkeys((term, term_stem)):
                    if len(form) >= SOUND_LETTERS:
                        _add_once(sounds.setdefault(sound_key(form), []), term)
                        _add_once(heard.setdefault(heard_key(form), []), term)
            self._sounds, self._heard = sounds, heard
        alike = [term for term in self._sounds.get(sound_key(word), ()) if term != word]
        if alike:
            return alike
        key = heard_key(word)
        return [term for term in self._heard.get(key, ()) if term != word] if len(key) >= HEARD_CONSONANTS else []

    def _add_family(self, concept: Concept, word: str, factor: float) -> None:
        """A word nobody has and no typo explains: the catalogue words of its family, those starting with
        its stem cut back by up to FAMILY_CUT letters (participeren → particip → participatie), also
        without a participle's ge- (geprioriteerd → prioriteren). A guess, as a typo correction is; never
        for a word with digits (prince3 is another version than PRINCE2, not its family)."""
        bases = [word, word[2:]] if word.startswith("ge") else [word]
        for base in bases:
            root = self._stem(base)
            for cut in range(FAMILY_CUT + 1):
                prefix = root[:len(root) - cut]
                if len(prefix) < FAMILY_ROOT:
                    break
                family = [prefix] if prefix in self.postings else []
                family += itertools.islice(self._prefixed(prefix), EXPANSIONS_KEPT)
                if family:
                    for term in family:
                        concept.add(term, FAMILY * factor)
                    concept.guessed = True
                    return

    def _listed_pairs(self, typed: list[str]) -> set[int]:
        """Positions of the words that, with a neighbour, are a listed member of two words."""
        return {at for a in range(len(typed) - 1) if f"{typed[a]} {typed[a + 1]}" in self.expansions
                for at in (a, a + 1)}

    def _pair(self, first: str, second: str) -> Concept:
        """Two adjacent words as one: the catalogue word they form, or a listed pair."""
        pair = Concept(f"{first} {second}", frozenset())
        joined = first + second
        if joined in self.postings:
            pair.add(joined, EXACT)
        for term in self.by_stem.get(self._stem(joined), ()):
            pair.add(term, STEM)
        if first.isalpha() and second.isalpha():
            # the compound Dutch makes of them: the first word's stem, a linking letter or two, the second in
            # a form of its stem (teksten schrijven → tekstschrijven, gesprekken technieken → gesprekstechnieken)
            head = self._stem(first)
            for tail in {second, *self.by_stem.get(self._stem(second), ())}:
                for link in COMPOUND_LINKS:
                    if head + link + tail in self.postings:
                        pair.add(head + link + tail, STEM)
        # a listed member typed as two words, or glued (tijd management → tijdmanagement)
        spaced = f"{first} {second}"
        self._add_expansions(pair, spaced if spaced in self.expansions else joined, 1.0)
        return pair

    def _add_expansions(self, concept: Concept, key: str, factor: float) -> None:
        before = len(concept.terms) + len(concept.phrases)
        self._add_members(concept, self.expansions.get(key, ()), factor)
        if len(concept.terms) + len(concept.phrases) == before:  # the translation is in no course: its group
            self._add_members(concept, self.translated_groups.get(key, ()), factor)

    def _add_members(self, concept: Concept, members: Iterable[Expansion], factor: float) -> None:
        for member, quality in members:
            if len(member) == 1:
                for term in {member[0], *self._forms(member[0], self.by_stem)}:
                    if term in self.postings:
                        concept.add(term, quality * factor)
                if len(member[0]) >= MIN_MEMBER_PREFIX:  # fiets → fietsen, where Snowball's stems part
                    for term in self._prefixed(member[0]):
                        concept.add(term, quality * PREFIX * factor)
            elif all(w in self.postings for w in member):
                concept.phrases.append((member, quality * factor))
            else:
                joined = "".join(member)
                if joined in self.postings:
                    concept.add(joined, quality * factor)

    def _forms(self, word: str, by_stem: dict[str, list[str]]) -> list[str]:
        """The catalogue words with the word's stem: those that begin as it does (gesprek: gesprekken), and for a
        word the catalogue lacks, a participle's base of 5+ letters (gestreste: stress). Snowball's Dutch stemmer
        strips ge-, which also joins words that only end alike: gemeente and menen, geweld and wel."""
        known = word in self.postings
        return [term for term in by_stem.get(self._stem(word), ())
                if _same_start(word, term) or (not known and len(term.removeprefix(META)) >= MIN_MEMBER_PREFIX)]

    def _stem(self, word: str) -> str:
        known = self.stems.get(word)
        return known if known is not None else stem(word)

    def _knows(self, word: str) -> bool:
        """A word the catalogue or a list has, as such or by its stem: no typo correction, no split."""
        return (word in self.postings or word in self.expansions or word in self.parts
                or self._stem(word) in self.by_stem)

    def _subjects(self, slots: set[int], words_at: dict[int, str], in_pairs: set[int]) -> set[int]:
        """The slots that are not a format word, as typed or by its stem (trainig is training), nor a verb of
        doing in general (houden, voeren) unless a listed pair holds it (vragen stellen)."""
        return {slot for slot in slots if not self._is_format(words_at[slot])
                and (words_at[slot] not in SIDE_WORDS or slot in in_pairs)}

    def _is_format(self, word: str) -> bool:
        if self._format_stems is None:
            self._format_stems = {self._stem(format_word) for format_word in FORMAT_WORDS if format_word.isalpha()}
        return word in FORMAT_WORDS or (word.isalpha() and self._stem(word) in self._format_stems)

    def _corrected(self, concepts: list[Concept]) -> bool:
        """A word typed awry that one edit explains, and not as a format word (traning, cursis)."""
        best = max((quality for concept in concepts for quality in concept.terms.values()), default=0.0)
        readings = {term for concept in concepts for term, quality in concept.terms.items() if quality == best}
        return best >= TYPO1 and not all(self._is_format(term) for term in readings)

    def _is_abbreviation(self, word: str) -> bool:
        """A word the lists write as an abbreviation, with two capitals or more (PvE, MvT, VBA, DIV, BOA)."""
        if self._abbreviations is None:
            self._abbreviations = frozenset(
                fold(member) for group in self.lists.synonyms for member in group
                if member.isalpha() and len(member) <= MAX_ABBREVIATION and sum(ch.isupper() for ch in member) >= 2)
        return word in self._abbreviations

    def _audience(self, word: str) -> bool:
        """A group of people the catalogue's titles and summaries name as who a course is for (see
        text_rules.title_audience), as typed or in the singular (controller, beleidsmedewerker, jurist)."""
        if self._audiences is None:
            found: set[str] = set()
            for doc in self.docs:
                for text in (doc.get("name"), doc.get("summary")):
                    found.update(words(title_audience(text)[1]))
            self._audiences = found
        return any(word + ending in self._audiences for ending in ("", "s", "en", "n"))

    def _typo_index(self) -> _Typos:
        """Built once per build, on the first query with a word nobody has: loading does not pay for it.
        It holds the catalogue's words (with digits too: prince2, nt2) and the lists' one-word members."""
        if self._typos is None:
            with_digits = (term for term in self.vocabulary if not term.isalpha() and has_letters(term))
            self._typos = _Typos(DeletionIndex(itertools.chain(self.stems, with_digits)), _list_typos(self.lists))
        return self._typos

    def _prefixed(self, prefix: str) -> Iterator[str]:
        vocabulary = self.vocabulary
        at = bisect.bisect_left(vocabulary, prefix)
        for k in range(at, len(vocabulary)):
            term = vocabulary[k]
            if not term.startswith(prefix):
                return
            if term != prefix:
                yield term

    def _sure(self, concept: Concept, day: _Day) -> Any:
        """The courses a concept matches as evidence: the word typed, its stem or a longer word anywhere;
        a compound, synonym, translation, typo, or the supplier's name or theme, only in the title, search
        words or summary (or more than once); a listed phrase where its words stand together in the title or
        summary. A course with a synonym in a side remark of its description scores, but does not count as
        having every word of the query."""
        if all(q >= PREFIX and t[0] != META for t, q in concept.terms.items()) and not concept.phrases:
            return concept.docs
        sources: list[Any] = []
        for term, quality in concept.terms.items():
            if quality >= PREFIX and term[0] != META:
                sources.append(self.postings[term].keys())
            else:
                sources += [docs for weight, docs in self._tiers_of(day, term).items() if weight >= SURE_WEIGHT]
        for phrase, _ in concept.phrases:
            # its words apart ("net" in a summary, "leidinggevende" in a title) still score
            together = list(itertools.pairwise(self._stem(word) for word in phrase))
            sources.append({i for i in set.intersection(*({i for i, w in self.postings[word].items()
                                                            if w >= SURE_WEIGHT} for word in phrase))
                            if self._bigrams_at(i).issuperset(together)})
        return set().union(*sources)

    def _docs_of(self, concept: Concept) -> Any:
        """The courses a concept matches: one word's postings as they are, else their union."""
        sources: list[Any] = [self.postings[t].keys() for t in concept.terms]
        for phrase, _ in concept.phrases:
            sources.append(set.intersection(*(set(self.postings[w]) for w in phrase)))
        if len(sources) == 1:
            return sources[0]
        return set().union(*sources)

    # --- scoring ------------------------------------------------------------------------------------

    def _contribution(self, concept: Concept, i: int) -> int:
        """The concept's score in course i: its best term's quality x saturated weight x IDF."""
        best = 0
        lookups = concept._lookups
        if not lookups:
            lookups = concept._lookups = [(self.postings[t], concept._tables.setdefault(t, {}), q)
                                          for t, q in concept.terms.items()]
        for postings, table, quality in lookups:
            weight = postings.get(i)
            if weight is not None:
                value = table.get(weight)
                if value is None:
                    value = table[weight] = round(1000 * quality * saturated(weight, K1) * concept.idf)
                if value > best:
                    best = value
        for phrase, quality in concept.phrases:
            if all(i in self.postings[w] for w in phrase):
                value = min(round(1000 * quality * saturated(self.postings[w][i], K1) * concept.idf) for w in phrase)
                best = max(best, value)
        return best

    def _score(self, plan: Plan, i: int, full: bool) -> int:
        """BM25F over the concepts, the proximity bonus and, for a course matching some slots only,
        the IDF-weighted share of the slots it matches (coordination)."""
        total = 0
        covered: set[int] = set()
        by_slot = [0] * len(plan.words) if plan.pairs else None
        for concept in plan.concepts:
            value = self._contribution(concept, i) if (full or i in concept.docs) else 0
            if value:
                total += value
                if not full:
                    covered |= concept.slots
                if by_slot is not None and len(concept.slots) == 1:
                    slot = next(iter(concept.slots))
                    by_slot[slot] = max(by_slot[slot], value)
        if by_slot is not None:
            total += self._proximity(plan, i, by_slot)
        if full:
            return total
        weight = sum(plan.coord[s] for s in plan.required)
        share = sum(plan.coord[s] for s in plan.required & covered) / weight if weight else 1.0
        return round(total * share)

    def _proximity(self, plan: Plan, i: int, by_slot: list[int]) -> int:
        """The bonus for adjacent query words (with these scores per slot) that stand next to each other
        in the course's title or summary."""
        bigrams = self._bigrams_at(i)
        bonus = 0
        for a, b, stems in plan.pairs:
            if stems in bigrams and by_slot[a] and by_slot[b]:
                bonus += round(PROXIMITY * (by_slot[a] + by_slot[b]))
        return bonus

    def _bigrams_at(self, i: int) -> set[tuple[str, str]]:
        """Stems standing next to each other in the title or in the summary (stop words left out)."""
        found = self._bigrams.get(i)
        if found is None:
            doc = self.docs[i]
            found = self._bigrams[i] = set()
            for text in (doc.get("name"), doc.get("summary")):
                found.update(itertools.pairwise(self._stem(w) for w in words(text)))
        return found

    def _max_contribution(self, concept: Concept, day: _Day) -> int:
        best = 0
        for term in concept.terms:
            for weight in self._weights(day, term):
                best = max(best, self._table_value(concept, term, weight))
        for _, quality in concept.phrases:
            best = max(best, round(1000 * quality * (K1 + 1) * concept.idf))
        return best

    def _table_value(self, concept: Concept, term: str, weight: int) -> int:
        table = concept._tables.setdefault(term, {})
        value = table.get(weight)
        if value is None:
            value = table[weight] = round(1000 * concept.terms[term] * saturated(weight, K1) * concept.idf)
        return value

    # --- strategies -----------------------------------------------------------------------------------

    def _single_walk(self, plan: Plan, accept: _Acceptor) -> bool:
        """One concept of one slot, no place, no run filters: its levels can be walked directly."""
        return (len(plan.concepts) == 1 and not plan.places and len(plan.concepts[0].slots) == 1
                and not plan.concepts[0].phrases and not accept.filters.restricts_runs())

    def _top(self, tier: int, members: set[int], plan: Plan, day: _Day, accept: _Acceptor,
             after: tuple[Any, ...] | None, wanted: int) -> list[tuple[Key, int]]:
        """The best `wanted` courses of a tier after the cursor, by score, then start, then id.

        A tier of courses matching every slot is read by score levels: each concept's courses fall into
        its levels (the values of its (word, weight) pairs), and combinations of levels are taken best
        first (a threshold walk, as MaxScore and WAND do over score-sorted postings), each as an
        intersection of sets; the walk stops once the page's worst score beats what the next
        combination, proximity bonus included, could reach. Only the courses of the combinations read
        are scored one by one."""
        if not members:
            return []
        in_place = tier % 2 == 1
        full = tier >= 2
        offset = tier * TIER
        found: list[tuple[Key, int]] = []
        best: list[int] = []  # min-heap of the best `wanted` scores so far
        after_key = tuple(after) if after is not None else None

        def keep(i: int, score: int) -> None:
            """A course with its score: on the page so far unless `wanted` better ones are known."""
            if len(best) == wanted and score < best[0]:
                return
            key = (-score, accept.start(i, in_place), self.docs[i]["id"])
            if after_key is not None and key <= after_key:
                return
            found.append((key, i))
            if len(best) < wanted:
                heapq.heappush(best, score)
            elif score > best[0]:
                heapq.heapreplace(best, score)

        def consider(i: int) -> None:
            keep(i, offset + self._score(plan, i, full))

        if len(members) <= 4 * wanted or any(c.phrases for c in plan.concepts):
            for i in members:
                consider(i)
            return heapq.nsmallest(wanted, found)
        levels = [self._level_sets(c, day, members) for c in plan.concepts]
        single = [next(iter(c.slots)) if len(c.slots) == 1 else -1 for c in plan.concepts]
        weight = sum(plan.coord[s] for s in plan.required)

        shapes: dict[tuple[int, ...], tuple[int, list[tuple[tuple[str, str], int]], float]] = {}

        def shape(combo: tuple[int, ...]) -> tuple[int, list[tuple[tuple[str, str], int]], float]:
            """The levels' sum, the bonus of each pair of adjacent words both matched at these levels and, in
            a tier of courses matching some slots, the share of the slots these levels cover."""
            known = shapes.get(combo)
            if known is None:
                known = shapes[combo] = combo_shape(combo)
            return known

        def combo_shape(combo: tuple[int, ...]) -> tuple[int, list[tuple[tuple[str, str], int]], float]:
            values = [levels[n][k][0] for n, k in enumerate(combo)]
            top: dict[int, int] = {}
            for value, slot in zip(values, single, strict=True):
                if value > top.get(slot, 0):
                    top[slot] = value
            pairs = [(stems, round(PROXIMITY * (top[a] + top[b]))) for a, b, stems in plan.pairs
                     if top.get(a) and top.get(b)]
            share = 1.0
            if not full and weight:
                covered = {s for v, c in zip(values, plan.concepts, strict=True) if v for s in c.slots}
                share = sum(plan.coord[s] for s in plan.required & covered) / weight
            return sum(values), pairs, share

        def bound(combo: tuple[int, ...]) -> int:
            """The most a course of this combination can score, proximity bonus included."""
            base, pairs, share = shape(combo)
            total = base + sum(bonus for _, bonus in pairs)
            return offset + (total if full else round(total * share) + 1)

        def read(combo: tuple[int, ...], courses: set[int]) -> None:
            """Its courses share the levels' sum; only the proximity bonus differs from course to course."""
            base, pairs, share = shape(combo)
            for i in courses:
                total = base
                if pairs:
                    bigrams = self._bigrams_at(i)
                    for stems, bonus in pairs:
                        if stems in bigrams:
                            total += bonus
                score = offset + (total if full else round(total * share))
                if len(best) < wanted or score >= best[0]:
                    keep(i, score)

        start = tuple(0 for _ in levels)
        queue = [(-bound(start), start)]
        queued = {start}
        while queue:
            negative, combo = heapq.heappop(queue)
            if len(best) == wanted and best[0] > -negative:
                break
            read(combo, set.intersection(*(levels[n][k][1] for n, k in enumerate(combo))))
            for n in range(len(combo)):
                if combo[n] + 1 < len(levels[n]):
                    following = (*combo[:n], combo[n] + 1, *combo[n + 1:])
                    if following not in queued:
                        queued.add(following)
                        heapq.heappush(queue, (-bound(following), following))
        return heapq.nsmallest(wanted, found)

    def _level_sets(self, concept: Concept, day: _Day, members: set[int]) -> list[tuple[int, set[int]]]:
        """The members by the concept's score in them, best first; those it does not match at value 0."""
        found: list[tuple[int, set[int]]] = []
        seen: set[int] = set()
        for value, terms in self._levels(concept, day):
            here = set().union(*(members & self._tier_set(day, term, weight) for term, weight in terms)) - seen
            if here:
                found.append((value, here))
                seen |= here
        rest = members - seen
        if rest:
            found.append((0, rest))
        return found

    def _levels(self, concept: Concept, day: _Day) -> list[tuple[int, list[tuple[str, int]]]]:
        """The concept's score levels, best first: value → the (term, weight) pairs at it."""
        levels: dict[int, list[tuple[str, int]]] = {}
        for term in concept.terms:
            for weight in self._weights(day, term):
                levels.setdefault(self._table_value(concept, term, weight), []).append((term, weight))
        return [(value, levels[value]) for value in sorted(levels, reverse=True)]

    def _walk_tiers(self, day: _Day, concept: Concept, accept: _Acceptor, after: tuple[Any, ...] | None,
                    wanted: int) -> list[tuple[Key, int]]:
        """One concept of terms only: a course's score is its best (term, weight) level; each level's
        courses are merged in (start, id) order, so the page fills without sorting. Courses it matches
        only weakly (see _sure) follow in a second pass, as the tier below."""
        found: list[tuple[Key, int]] = []
        sure = concept.sure
        passes = [(2, True), (0, False)] if len(sure) != len(concept.docs) else [(2, True)]
        after_key = tuple(after) if after is not None else None
        for tier, strong in passes:
            if after_key is not None and tier > _tier_of(after_key):
                continue  # the whole tier came before the cursor
            offset = tier * TIER
            for level, terms in self._levels(concept, day):
                score = offset + level
                if after_key is not None and -score < after_key[0]:
                    continue  # a level already passed on an earlier page
                streams = [self._tier(day, term, weight) for term, weight in terms]
                ordered = streams[0] if len(streams) == 1 else heapq.merge(
                    *streams, key=lambda i: (day.next_start[i], self.docs[i]["id"]))
                seen: set[int] = set()
                for i in ordered:
                    if i in seen or (i in sure) != strong:
                        continue
                    seen.add(i)
                    key = (-score, day.next_start[i], self.docs[i]["id"])
                    if after_key is not None and key <= after_key:
                        continue
                    if not accept.course(i) or self._contribution(concept, i) != level:
                        continue
                    found.append((key, i))
                    if len(found) == wanted:
                        return found
        return found

    def _by_start(self, day: _Day, candidates: set[int], accept: _Acceptor, after: tuple[Any, ...] | None,
                  wanted: int, in_place: bool) -> list[tuple[Key, int]]:
        """Sorted by start: the best tier's courses (the place's courses when there are any), in date order."""
        if in_place or len(candidates) * 20 < len(day.run_walk):
            keyed = (((0, accept.start(i, in_place), self.docs[i]["id"]), i) for i in candidates)
            return heapq.nsmallest(wanted, (k for k in keyed if after is None or k[0] > tuple(after)))
        return self._walk_runs(day, candidates, accept, after, wanted)

    def _walk_runs(self, day: _Day, candidates: set[int] | None, accept: _Acceptor,
                   after: tuple[Any, ...] | None, wanted: int) -> list[tuple[Key, int]]:
        """Every upcoming run in date order (the city's runs when a place filter is set); a course at its
        first run that passes the filters. Courses without such a run follow by id, unless runs are filtered."""
        found: list[tuple[Key, int]] = []
        taken: set[int] = set()
        walk = self.city_walk(day, accept.city) if accept.city is not None else day.run_walk
        allowed = accept.allowed(candidates)
        hidden, next_start = accept.hidden, day.next_start
        filters = accept.filters
        # walking the city's runs from the start, a course's first run met is its first that passes
        city_only = after is None and filters.online is None and filters.date_from is None and filters.date_to is None
        tail = _after_tail(after)
        start_at = 0 if after is None else bisect.bisect_right(walk, (after[1], after[2], len(self.docs)))
        for k in range(start_at, len(walk)):
            start, course_id, i = walk[k]
            if i in taken:
                continue
            if allowed is not None:
                if i not in allowed:
                    continue
            elif i in hidden:
                continue
            if not (accept.city is not None and city_only) and \
                    (accept.start(i, False) if accept.run_filters else next_start[i]) != start:
                continue  # not this course's first matching run
            if after is not None and (start, course_id) <= tail:
                continue  # already on an earlier page
            taken.add(i)
            found.append(((0, start, course_id), i))
            if len(found) == wanted:
                return found
        if accept.run_filters:
            return found
        for course_id, i in day.never:
            if (candidates is not None and i not in candidates) or not accept.course(i):
                continue
            key = (0, NO_START, course_id)
            if after is None or key > tuple(after):
                found.append((key, i))
                if len(found) == wanted:
                    break
        return found

    # --- suggestions ("Bedoelde u") -----------------------------------------------------------------------

    def suggest(self, query: str, filters: Filters, viewer_codes: frozenset[str] | None, today: str,
                most: int = 3) -> list[Suggestion]:
        """R_CAT_07: queries near `query` that find courses, best first (those finding courses with all
        their words, then the closest). Tried: each word spelled as a catalogue word (two edits, any
        letter, never a digit) or as one that sounds the same, a glued word split (also when one part is
        misspelt: excelcurus → excel cursus) or respelt as the compound when both are (risikosanalyze →
        risicoanalyse), two words joined (also a misspelt name and its number typed
        apart: prinse 2 → prince2), and the query without the words that match nothing (or, when every
        word matches something but no course has them all, without its rarest)."""
        day = self._prepare(today)
        plan = self.plan(query, day)
        typed = words(query)
        options: list[tuple[int, int, str]] = []  # (cost, -courses, text)
        for position, word in enumerate(typed):
            for text, cost, reach in self._respellings(typed, position, word, plan):
                options.append((cost, -reach, text))
        options += self._drops(typed, plan)
        found: list[Suggestion] = []
        tried = 0
        for cost, _, text in sorted(set(options)):
            if tried == SUGGESTION_TRIES or len(found) == most:
                break
            if text == " ".join(typed) or any(text == f.text for f in found):
                continue
            tried += 1
            candidate = self.plan(text, day)
            if candidate.words == plan.words:
                continue  # read as the query is (wetgevings adviseur, for wetgevingsadviseur): nothing new to offer
            tiers = _Tiers(self, candidate, day, _Acceptor(self, day, filters, viewer_codes, candidate.places))
            if tiers.all_words() or tiers.members(1) or tiers.members(0):
                found.append(Suggestion(text, cost, tiers.all_words()))
        return sorted(found, key=lambda item: (not item.all_words, item.cost))

    def _respellings(self, typed: list[str], position: int, word: str,
                     plan: Plan) -> Iterator[tuple[str, int, int]]:
        def replaced(*new: str) -> str:
            return " ".join([*typed[:position], *new, *typed[position + 1:]])

        if word in plan.places or len(word) < MIN_PART:
            return
        if not self._knows(word) or word in plan.unmatched:
            for term in self._typo_index().near(word, 2):
                yield replaced(term), swap_distance(word, term), len(self.postings.get(term, ()))
            for term in self._sounds_like(word):
                yield replaced(term), 2, len(self.postings.get(term, ()))
            for head, tail in _overlapping_splits(word, _PartLexicon(self)):
                yield replaced(head, tail), 1, 0
            parts = split_compound(word, _PartLexicon(self))
            if parts:
                yield replaced(*parts), 1, 0
            for head, tail in self._glued_with_a_typo(word):
                yield replaced(head, tail), 2, 0
            for joined in self._glued_both_misspelt(word):
                yield replaced(joined), 2, len(self.postings[joined])
        if position + 1 < len(typed):
            following = typed[position + 1]
            joined = word + following
            if joined in self.postings:
                yield " ".join([*typed[:position], joined, *typed[position + 2:]]), 1, len(self.postings[joined])
            elif word.isalpha() and following.isalpha() and not (self._knows(word) and self._knows(following)):
                # a compound written as heard, in two words (tiem bilding → teambuilding): as close as a join
                for term in self._sounds_like(joined):
                    yield " ".join([*typed[:position], term, *typed[position + 2:]]), 1, len(self.postings[term])
            elif following.isdigit() and word.isalpha() and not self._knows(word):
                # a name and its number typed apart, the name misspelt (prinse 2 → prince2)
                for term, edits in self._typo_index().near(joined, 1).items():
                    if typo_allowed(joined, term):
                        yield " ".join([*typed[:position], term, *typed[position + 2:]]), edits + 1, 0

    def _glued_with_a_typo(self, word: str) -> Iterator[tuple[str, str]]:
        """A glued word with one part misspelt (excelcurus → excel cursus, projectmangementcursus →
        projectmanagement cursus): a known part of GLUED_PART letters or more, the rest one edit from a
        catalogue word."""
        known = _PartLexicon(self)
        for i in range(GLUED_PART, len(word) - GLUED_PART + 1):
            head, tail = word[:i], word[i:]
            if head in known and tail not in known:
                yield from ((head, t) for t in self._typo_index().near(tail, 1) if typo_allowed(tail, t))
            if tail in known and head not in known:
                yield from ((h, tail) for h in self._typo_index().near(head, 1) if typo_allowed(head, h))

    def _glued_both_misspelt(self, word: str) -> Iterator[str]:
        """A glued word with both parts misspelt, as the catalogue compound that starts with the correction of
        its head and ends one edit from its tail, a linking s typed or not (stakholdersmanagment →
        stakeholdermanagement, risikosanalize → risicoanalyse)."""
        index = self._typo_index()
        for i in range(GLUED_PART, len(word) - GLUED_PART + 1):
            head, tail = word[:i], word[i:]
            for corrected in index.near(head, 1):
                if not typo_allowed(head, corrected) or not corrected.isalpha():
                    continue
                stems = {corrected, corrected[:-1]} if corrected.endswith("s") else {corrected}
                for start in stems:
                    for compound in itertools.islice(self._prefixed(start), EXPANSIONS_KEPT):
                        rest = compound[len(start):]
                        typed = [tail, tail[1:]] if tail[0] == "s" else [tail]
                        rests = [rest, rest[1:]] if rest[0] == "s" else [rest]
                        if len(rest) >= GLUED_PART and any(levenshtein(t, r, 1) <= 1 for t in typed for r in rests):
                            yield compound

    def _drops(self, typed: list[str], plan: Plan) -> list[tuple[int, int, str]]:
        """The query without the words that match nothing; or without its rarest word."""
        dropped = set(plan.unmatched) & set(typed)
        if not dropped:
            rated = [(plan.slot_idf[s], w) for s, w in enumerate(plan.words) if s in plan.slot_idf and w in typed
                     and w not in FORMAT_WORDS]
            dropped = {max(rated)[1]} if len(rated) > 1 else set()
        rest = [w for w in typed if w not in dropped]
        return [(2, 0, " ".join(rest))] if dropped and rest else []

    # --- preparation ------------------------------------------------------------------------------

    def _prepare(self, today: str) -> _Day:
        if self._day is not None and self._day.today == today:
            return self._day
        runs = [upcoming_runs(doc, today) for doc in self.docs]
        next_start = [r[0]["start"] if r else NO_START for r in runs]
        walk = sorted((run["start"], self.docs[i]["id"], i) for i, doc_runs in enumerate(runs) for run in doc_runs)
        folded: dict[str, str] = {}  # as written → as matched; few cities, many runs
        run_places: list[list[str]] = []
        places: dict[str, set[int]] = {}
        for i, doc_runs in enumerate(runs):
            here = []
            for run in doc_runs:
                city = run.get("city") or ""
                name = folded.get(city)
                if name is None:
                    name = folded[city] = " ".join(words(city))
                    if name:
                        places[name] = set()
                here.append(name)
                if name:
                    places[name].add(i)
            run_places.append(here)
        names = {name: city for city, name in folded.items() if name}
        self._expansions_kept = {}
        self._plans_kept = {}
        never = sorted((self.docs[i]["id"], i) for i, start in enumerate(next_start) if start == NO_START)
        self._day = _Day(today, runs, run_places, next_start, walk, places, names, never)
        return self._day

    def city_walk(self, day: _Day, city: str) -> list[tuple[str, str, int]]:
        """The runs in a city, as day.run_walk; made on the first request that needs them."""
        found = day.city_walks.get(city)
        if found is None:
            found = day.city_walks[city] = [
                entry for entry in day.run_walk if entry[2] in day.places.get(city, ()) and any(
                    place == city and run["start"] == entry[0]
                    for run, place in zip(day.runs[entry[2]], day.run_places[entry[2]], strict=True))]
        return found

    def place_start(self, day: _Day, city: str) -> dict[int, str]:
        """Each course's first upcoming start in a city."""
        found = day.place_starts.get(city)
        if found is None:
            found = {}
            for start, _, i in self.city_walk(day, city):
                found.setdefault(i, start)
            day.place_starts[city] = found
        return found

    def _weights(self, day: _Day, term: str) -> list[int]:
        return list(self._tiers_of(day, term))

    def _tiers_of(self, day: _Day, term: str) -> dict[int, list[int]]:
        self._tier(day, term, 0)
        return day.tiers[term]

    def _tier(self, day: _Day, term: str, weight: int) -> list[int]:
        tiers = day.tiers.get(term)
        if tiers is None:
            tiers = {}
            for i, w in self.postings[term].items():
                tiers.setdefault(w, []).append(i)
            for docs in tiers.values():
                docs.sort(key=lambda i: (day.next_start[i], self.docs[i]["id"]))
            day.tiers[term] = tiers
        return tiers.get(weight, [])

    def _tier_set(self, day: _Day, term: str, weight: int) -> set[int]:
        key = (term, weight)
        found = day.tier_sets.get(key)
        if found is None:
            found = day.tier_sets[key] = set(self._tier(day, term, weight))
        return found

    def course_sets(self) -> dict[tuple[str, str], set[int]]:
        """(filter, value) → the courses with that theme, supplier or kind; built on first use."""
        if self._course_sets is None:
            sets: dict[tuple[str, str], set[int]] = {}
            for i, doc in enumerate(self.docs):
                for name in ("theme", "supplier_id", "kind"):
                    sets.setdefault((name, str(doc.get(name))), set()).add(i)
            self._course_sets = sets
        return self._course_sets

    def hidden(self, viewer_codes: frozenset[str] | None) -> set[int]:
        """R_CAT_02: the courses this viewer may not see."""
        found = self._hidden.get(viewer_codes)
        if found is None:
            found = {i for i, doc in enumerate(self.docs) if not visible(doc, viewer_codes)}
            if len(self._hidden) > 64:
                self._hidden.clear()
            self._hidden[viewer_codes] = found
        return found


class _PartLexicon:
    """Words that may be a compound part: catalogue words, parts found in catalogue compounds, and the
    stems of catalogue words, as a Dutch compound starts with a verb's stem (schrijftraining: schrijf,
    of schrijven)."""

    def __init__(self, index: CatalogueIndex) -> None:
        self.postings, self.parts, self.stems = index.postings, index.parts, index.by_stem

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and len(word) >= MIN_PART and word not in ENDINGS_NOT_PARTS and (
            word in self.postings or word in self.parts or (len(word) > MIN_PART and word in self.stems))


class _WordLexicon:
    """Whole words only: catalogue words and their stems (vergader, of vergaderen), never a fragment
    of a compound (geving, of regelgeving)."""

    def __init__(self, index: CatalogueIndex) -> None:
        self.postings, self.stems = index.postings, index.by_stem

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and len(word) > MIN_PART and (word in self.postings or word in self.stems)


def _add_once(terms: list[str], term: str) -> None:
    if term not in terms:
        terms.append(term)


class _ListedLexicon:
    """Listed words of one word, LISTED_HEAD letters or more: the ends of a compound that no catalogue word
    ends (zeepkistpraatje: praatje; prinsjesdagpapieren: prinsjesdag)."""

    def __init__(self, index: CatalogueIndex) -> None:
        self.expansions = index.expansions

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and len(word) >= LISTED_HEAD and _listed_form(word, self.expansions) is not None


def _listed_form(word: str, expansions: Any) -> str | None:
    """The word as listed, or its plural when only that is (offerte: offertes)."""
    return next((form for form in (word, word + "s", word + "en") if form in expansions), None)


def _known_ends(word: str, known: Any) -> set[str]:
    """The longest known word a compound starts with and the longest it ends with (a linking s or e
    dropped), the rest of it 4+ letters: vergadertechniek → {vergader}; wetgeving → {} (wet is short)."""
    ends: set[str] = set()
    heads = [word[:i] for i in range(len(word) - MIN_PART - 1, MIN_PART, -1)]
    ends.update(itertools.islice((head for head in heads if head in known), 1))
    tails = [word[i:] for i in range(MIN_PART + 1, len(word) - MIN_PART)]
    for tail in tails:
        found = next((t for t in (tail, tail[1:] if tail[0] in "se" else "") if t in known), None)
        if found:
            ends.add(found)
            break
    return ends


_DIMINUTIVES = ("etjes", "etje", "tjes", "tje", "pjes", "pje", "jes", "je")
_ADJECTIVE_ENDINGS = ("volle", "vol", "loze", "loos", "rijke", "rijk",  # risicovolle, zinloze, succesrijke
                      "ueuze", "ueus")  # conflictueuze


def _base_forms(word: str) -> list[str]:
    """What a Dutch diminutive, past participle or adjective may be made from: conflictje → conflict (or
    conflic), gesprekje → gesprek, gecoacht and gecoachte → coach, geevalueerd → evalueer and evaluer (a long
    vowel written once before the last consonant, as the stem writes it), stressvolle → stress, gecontracteerde →
    contract."""
    found: list[str] = []
    found += [word[:-len(ending)] for ending in _DIMINUTIVES
              if word.endswith(ending) and len(word) - len(ending) >= MIN_PART + 1]
    participle = word[:-1] if word.endswith(("de", "te")) else word  # before a noun: gearchiveerde mails
    if participle.startswith("ge") and participle[-1] in "td" and len(participle) >= MIN_PART + 4:
        found.append(participle[2:-1])
    if participle.endswith("end") and len(participle) >= MIN_PART + 5:  # participerende burgers: participer
        found.append(participle[:-3])
    found += [word[:-len(ending)] for ending in _ADJECTIVE_ENDINGS
              if word.endswith(ending) and len(word) - len(ending) >= MIN_PART + 1]
    for base in list(found):
        if len(base) > 3 and base[-3] == base[-2] and base[-2] in "aeou":
            found.append(base[:-2] + base[-1])
        if base.endswith("ieer"):  # a verb in -iëren is made from a noun in -ie: gesubsidieerd → subsidie
            found.append(base[:-2])
        elif base.endswith(("eer", "er")) and len(base) >= MIN_PART + 4:  # its noun in -atie: participer
            noun = base.removesuffix("eer").removesuffix("er")
            found.append(noun + "atie")
            if len(noun) >= MIN_PART + 3:  # or the noun itself: gecontracteerd → contract
                found.append(noun)
    return found


def _sounds_as_typed(typed: list[str], respelt: list[str]) -> bool:
    """Every word of a suggestion sounds as the word typed in its place, give or take one sound (piton →
    python, pitsen → pitchen, outluk → outlook; not volle → rollen); words joined or split with the same
    sounds (tiem bilding → teambuilding, persvoorlichter → pers voorlichter)."""
    if len(typed) != len(respelt):
        return heard_key("".join(typed)) == heard_key("".join(respelt))
    return all(levenshtein(sound_key(a), sound_key(b), 1) <= 1 for a, b in zip(typed, respelt, strict=True))


def _sure_correction(word: str, near: dict[str, int]) -> bool:
    """One edit from a single catalogue word, in a long word: as sure as the word typed (onderhandelenn)."""
    return letter_count(word) >= SURE_TYPO_LETTERS and list(near.values()).count(1) == 1




def _overlapping_splits(word: str, known: Any) -> Iterator[tuple[str, str]]:
    """A glued word whose parts share a letter (datanalyse → data, analyse)."""
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:i + 1], word[i:]
        if head in known and tail in known:
            yield head, tail


class _Tiers:
    """The courses of a plan by tier, each computed when first asked for: all slots in a place (3), all
    slots elsewhere (2), some in a place (1), some elsewhere (0); visible and passing the filters."""

    def __init__(self, index: CatalogueIndex, plan: Plan, day: _Day, accept: _Acceptor) -> None:
        self.plan, self.day, self.accept = plan, day, accept
        self._by_slot: dict[int, Any] = {}
        for concept in plan.concepts:
            for slot in concept.slots:
                found = self._by_slot.get(slot)
                self._by_slot[slot] = concept.sure if found is None else set(found).union(concept.sure)
        self._every: set[int] | None = None
        self._some: set[int] | None = None
        self._tiers: dict[int, set[int]] = {}

    def every(self) -> set[int]:
        if self._every is None:
            if self._by_slot:
                required = sorted((self._by_slot[s] for s in self.plan.required), key=len)
                every = required[0] & required[1] if len(required) > 1 else set(required[0])
                self._every = self.accept.narrow(set(every).intersection(*required[2:]))
            else:  # places alone
                self._every = self.accept.narrow(set().union(*(self.day.places[p] for p in self.plan.places)))
        return self._every

    def some(self) -> set[int]:
        if self._some is None:
            union = set().union(*(c.docs for c in self.plan.concepts))
            self._some = self.accept.narrow(union) - self.every()
        return self._some

    def members(self, tier: int) -> set[int]:
        found = self._tiers.get(tier)
        if found is None:
            base = self.every() if tier >= 2 else self.some()
            if not self.plan.places:
                found = base if tier % 2 == 0 else set()
            else:
                there = self.accept.in_places(base)
                found = there if tier % 2 else base - there
            self._tiers[tier] = found
        return found

    def all_words(self) -> bool:
        """Some course matches every word typed (a word that matches nothing anywhere counts as missed)."""
        return not self.plan.unmatched and bool(self.every())

    def narrowed(self) -> bool:
        """Some course matching the words has a run in the place typed."""
        return bool(self.plan.places) and bool(self.members(3) or self.members(1))


class _Acceptor:
    """Per request: visibility, course filters, and the runs that pass the run filters (and a place)."""

    def __init__(self, index: CatalogueIndex, day: _Day, filters: Filters, viewer_codes: frozenset[str] | None,
                 places: tuple[str, ...] = ()) -> None:
        self.index, self.docs, self.day, self.filters, self.places = index, index.docs, day, filters, places
        self.hidden = index.hidden(viewer_codes)
        wanted = [(name, value) for name, value in (("theme", filters.theme), ("supplier_id", filters.supplier),
                                                    ("kind", filters.kind)) if value is not None]
        self.course_filters = [index.course_sets().get(key, set()) for key in wanted]
        self.city = " ".join(words(filters.city)) if filters.city else None
        if self.city is not None:
            self.course_filters.append(day.places.get(self.city, set()))
        self.run_filters = filters.restricts_runs()
        self._runs: dict[int, list[int]] = {}
        self._place_runs: dict[int, list[int]] = {}

    def course(self, i: int) -> bool:
        return i not in self.hidden and all(i in s for s in self.course_filters)

    def narrow(self, members: set[int]) -> set[int]:
        """The visible courses of `members` that pass the course filters (set operations) and, with a date
        or online filter, have a run that passes (checked course by course)."""
        members = members - self.hidden
        for allowed in sorted(self.course_filters, key=len):
            members &= allowed
        f = self.filters
        if f.online is not None or f.date_from is not None or f.date_to is not None:
            members = {i for i in members if self.run_indexes(i)}
        return members

    def allowed(self, candidates: set[int] | None) -> set[int] | None:
        """`candidates` narrowed, or None when every visible course may come (checked one by one)."""
        if candidates is not None:
            return self.narrow(candidates)
        if not self.course_filters:
            return None
        smallest, *others = sorted(self.course_filters, key=len)
        return set(smallest).intersection(*others) - self.hidden

    def in_places(self, members: set[int]) -> set[int]:
        """The courses of `members` with a run in one of the places that passes the run filters."""
        sets = [self.day.places.get(p, set()) for p in self.places]
        there = members & sets[0] if len(sets) == 1 else members & set().union(*sets)
        if self.run_filters:
            there = {i for i in there if self.place_runs(i)}
        return there

    def run_indexes(self, i: int) -> list[int]:
        found = self._runs.get(i)
        if found is None:
            runs, places = self.day.runs[i], self.day.run_places[i]
            found = [k for k in range(len(runs)) if self._passes(runs[k], places[k])] \
                if self.run_filters else list(range(len(runs)))
            self._runs[i] = found
        return found

    def place_runs(self, i: int) -> list[int]:
        found = self._place_runs.get(i)
        if found is None:
            places = self.day.run_places[i]
            found = [k for k in self.run_indexes(i) if places[k] in self.places]
            self._place_runs[i] = found
        return found

    def _passes(self, run: dict[str, Any], place: str) -> bool:
        filters = self.filters
        return ((self.city is None or place == self.city)
                and (filters.online is None or bool(run.get("online")) == filters.online)
                and (filters.date_from is None or run["start"] >= filters.date_from)
                and (filters.date_to is None or run["start"] <= filters.date_to))

    def start(self, i: int, in_place: bool) -> str:
        """Sort date: the first run that passes (in the place, when narrowed there)."""
        if in_place and len(self.places) == 1 and not self.run_filters:
            return self.index.place_start(self.day, self.places[0])[i]
        indexes = self.place_runs(i) if in_place else self.run_indexes(i)
        return str(self.day.runs[i][indexes[0]]["start"]) if indexes else NO_START

    def summary(self, i: int, in_place: bool) -> dict[str, Any]:
        """The result item; narrowed to a place, it shows the runs there. Kept for the day, per place and
        run filter (callers copy an item before adding to it)."""
        f = self.filters
        key = (i, self.places if in_place else (), (self.city, f.online, f.date_from, f.date_to))
        items = self.day.items
        item = items.get(key)
        if item is None:
            if len(items) >= ITEMS_KEPT:
                items.clear()
            item = items[key] = self._summary(i, in_place)
        return item

    def _summary(self, i: int, in_place: bool) -> dict[str, Any]:
        indexes = self.place_runs(i) if in_place else self.run_indexes(i)
        projected = self.day.projected.get(i)
        if projected is None:
            projected = self.day.projected[i] = [_shown_run(run) for run in self.day.runs[i]]
        runs = self.day.runs[i]
        return _summary(self.docs[i], [projected[k] for k in indexes[:3]], len(indexes),
                        min((int(runs[k]["price_cents"]) for k in indexes), default=None))


def _tier_of(after: tuple[Any, ...]) -> int:
    return int(-after[0]) // TIER


def _after_tail(after: tuple[Any, ...] | None) -> tuple[str, str]:
    return ("", "") if after is None else (str(after[1]), str(after[2]))


def visible(doc: dict[str, Any], viewer_codes: frozenset[str] | None) -> bool:
    """R_CAT_02: a course limited to organisations is seen only by their employees.

    `viewer_codes` are the EDU-DEX LeerRijkOpenFor codes of the viewer's organisation (None: visitor).
    """
    open_for = doc.get("open_for")
    return not open_for or bool(viewer_codes and viewer_codes.intersection(open_for))


def upcoming_runs(doc: dict[str, Any], today: str, filters: Filters | None = None) -> list[dict[str, Any]]:
    runs = [r for r in doc["runs"] if r["status"] != "cancelled" and r["start"] >= today]
    if filters is not None:
        runs = [r for r in runs if _run_passes(r, filters)]
    return sorted(runs, key=lambda r: (r["start"], r["id"]))


def _run_passes(run: dict[str, Any], filters: Filters) -> bool:
    return (
        (filters.city is None or fold(run.get("city") or "") == fold(filters.city))
        and (filters.online is None or bool(run.get("online")) == filters.online)
        and (filters.date_from is None or run["start"] >= filters.date_from)
        and (filters.date_to is None or run["start"] <= filters.date_to)
    )


def _shown_run(run: dict[str, Any]) -> dict[str, Any]:
    return {k: run.get(k) for k in ("id", "start", "end", "city", "online", "price_cents")}


def _summary(doc: dict[str, Any], shown: list[dict[str, Any]], total: int, price_from: int | None) -> dict[str, Any]:
    return {
        "course_id": doc["id"],
        "name": doc["name"],
        "summary": doc.get("summary"),
        "supplier_id": doc["supplier_id"],
        "supplier_name": doc.get("supplier_name"),
        "kind": doc.get("kind"),
        "theme": doc.get("theme"),
        "restricted": bool(doc.get("open_for")),
        "executions": shown,
        "executions_total": total,
        "price_from_cents": price_from,
    }


def summary(doc: dict[str, Any], runs: list[dict[str, Any]]) -> dict[str, Any]:
    """A course as a result item, with the runs to show (the LMS catalogue shows every upcoming run)."""
    return _summary(doc, [_shown_run(r) for r in runs[:3]], len(runs),
                    min((r["price_cents"] for r in runs), default=None))


def _same_start(word: str, term: str) -> bool:
    """Whether a catalogue word (a supplier or theme word after its marker) begins with the word's first two
    letters: an inflection does, a word the stemmer reached by stripping ge- does not."""
    return term.removeprefix(META)[:2] == word[:2]


class _Typos:
    """A build's typo index: its own words, and the lists' one-word members (an index kept per lists and
    shared by every build that carries them, so a new build pays only for its catalogue's words)."""

    def __init__(self, *parts: DeletionIndex) -> None:
        self.parts = parts

    def near(self, word: str, distance: int) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in self.parts:
            found.update(part.near(word, distance))
        return found


@functools.lru_cache(maxsize=4)
def _list_typos(lists: SearchLists) -> DeletionIndex:
    return DeletionIndex(key for key in expansion_table(lists) if " " not in key)
