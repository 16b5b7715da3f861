"""The in-memory catalogue search (R_CAT_02-04, R_CAT_07, R_VIS_01). Pure: documents in, results out.

Text is folded (case, accents) and Dutch stop words are dropped. A course stores, per word, the
most important field it occurs in (title > search words > summary > description). Each query word
becomes a *concept*: the catalogue words it matches, each with a match quality: the word itself,
the same Snowball stem, a longer word it starts, a compound with it as a part, a typo (one edit
for 4+ letters, two for 8+, never the first letter of a word under 8 letters) and a synonym
(synonyms.py). A query word the catalogue does not know is split into known parts; two adjacent
query words that form a catalogue word count as that word; a place typed in the query finds runs
there. A course's score is the sum over concepts of its best quality x field weight x IDF (a
BM25F-like score with saturated term frequency), so a course matching more query words, and
matching them better, ranks higher; stop words never veto. Ties go to the earliest upcoming start
date, then the course id. Pagination is by keyset, so pages never repeat or skip a course while
the catalogue stays the same.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import snowballstemmer

from chalicelib.catalogue.synonyms import GROUPS

WEIGHTS = {"name": 6, "words": 4, "summary": 3, "desc": 2}
PLACE_WEIGHT = 4
SATURATION = 6  # BM25F's k1 over the summed field weights: more fields help, but less and less
# match qualities: exact > stem > prefix > compound part > typo, synonym (R_CAT_07)
EXACT, STEM, PREFIX, PART, TYPO1, SYNONYM, TYPO2 = 1.0, 0.85, 0.7, 0.5, 0.45, 0.45, 0.35
NO_START = "9999-12-31"
MIN_PART = 3  # shortest compound part
SUGGESTION_TRIES = 12  # candidate queries tried (each one search) before "Bedoelde u" gives up
_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHE_S = re.compile(r"['\u2019]s\b")  # risico's, nota's: the plural of the word before it
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
STOP_WORDS = frozenset({
    "de", "het", "een", "en", "of", "van", "voor", "in", "op", "met", "aan", "bij", "door", "naar", "over",
    "te", "tot", "uit", "om", "als", "dan", "die", "dat", "dit", "deze", "je", "u", "uw", "we", "wij", "zij",
    "hun", "is", "zijn", "wordt", "worden", "kan", "kunnen", "niet", "ook", "maar", "nog", "er", "the",
    "and", "to", "for", "hoe", "wat", "ik", "mijn",
})
_STEMMER = snowballstemmer.stemmer("dutch")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball's Dutch stemmer on a folded word: trainingen → train, gesprekken → sprek."""
    if not word.isalpha():
        return word
    return str(_STEMMER.stemWord(word))


def words(text: str | None) -> list[str]:
    if not text:
        return []
    return [w for w in _WORD.findall(_APOSTROPHE_S.sub("", fold(text))) if w not in STOP_WORDS]


def document_terms(fields: dict[str, Iterable[str | None]]) -> dict[str, int]:
    """word → the summed weights of the fields it occurs in (BM25F-like: field-weighted, saturated).

    Stems, compound parts and typo candidates are derived from these words when the index loads.
    """
    terms: dict[str, int] = {}
    for field_name, texts in fields.items():
        for word in {w for text in texts for w in words(text)}:
            terms[word] = terms.get(word, 0) + WEIGHTS[field_name]
    return terms


def idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance (insert, delete, substitute), or limit + 1 when it is larger than `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


def typo_budget(word: str) -> int:
    """R_CAT_07: one edit for 4+ letters, two for 8+; none for shorter words or numbers."""
    if not word.isalpha() or len(word) < 4:
        return 0
    return 2 if len(word) >= 8 else 1


def typo_allowed(word: str, term: str) -> bool:
    """Short words keep their first letter; the candidate must be a word (letters, 3+)."""
    return term.isalpha() and len(term) >= MIN_PART and (len(word) >= 8 or term[0] == word[0])


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
            | {a + c + b for a, b in splits for c in _LETTERS})


def split_compound(word: str, known: Any) -> list[str] | None:
    """Two parts that both occur in `known` (a set-like of words and compound parts), longest head first.

    A linking s or e between the parts is allowed (veiligheidsbewustzijn, scholingsplan).
    """
    for i in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head = word[:i]
        if head not in known:
            continue
        tail = word[i:]
        if tail in known:
            return [head, tail]
        if tail[0] in "se" and len(tail) > MIN_PART and tail[1:] in known:
            return [head, tail[1:]]
    return None


def _synonym_table() -> dict[str, list[tuple[str, ...]]]:
    """folded member (words joined by a space) → the other members as word tuples."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for group in GROUPS:
        members = [tuple(words(m)) for m in group]
        members = [m for m in members if m]
        for member in members:
            others = [o for o in members if o != member]
            for key in {" ".join(member), "".join(member)}:
                table.setdefault(key, []).extend(others)
    return table


SYNONYMS = _synonym_table()


@dataclass
class Concept:
    """What one query word (or place) matches: term → quality, phrases (all words needed), places."""

    label: str
    terms: dict[str, float] = field(default_factory=dict)
    phrases: list[tuple[tuple[str, ...], float]] = field(default_factory=list)
    place: str | None = None
    idf: float = 0.0  # of the concept as a whole: from the document frequencies of what it matches

    def add(self, term: str, quality: float) -> None:
        if self.terms.get(term, 0.0) < quality:
            self.terms[term] = quality


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
        return any(v is not None for v in (self.city, self.online, self.date_from, self.date_to))


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_after: tuple[Any, ...] | None


Key = tuple[int, str, str]  # (-score, start day of the first matching run, course id)


@dataclass
class _Day:
    """What depends on today's date, prepared once per container per day."""

    today: str
    runs: list[list[dict[str, Any]]]  # per doc: upcoming, not cancelled, sorted by start
    next_start: list[str]  # per doc: first upcoming start or NO_START
    run_walk: list[tuple[str, str, int]]  # every upcoming run as (start, course id, doc), sorted
    tiers: dict[str, dict[int, list[int]]]  # per term, lazily: weight -> docs sorted by (next_start, id)
    places: dict[str, set[int]]  # folded city → docs with an upcoming run there


class CatalogueIndex:
    """Built once per catalogue version per container; answers searches without I/O.

    Three ways to a page, chosen so the common requests do not grow with the catalogue:
    - by start date (also every request without words): walk all upcoming runs in date order and
      stop when the page is full;
    - one query word by relevance, without run filters: walk the matched words' postings by score
      level, then date (a course's score is then the best of per-(word, field) constants);
    - anything else: score every course matching some concept (linear in the matches only).

    The vocabulary structures (stems, compound parts, the deletion dictionary for typos) are built
    here once per build, so a query only looks words up.
    """

    def __init__(self, version: str, docs: list[dict[str, Any]], stems: dict[str, str] | None = None) -> None:
        """`stems`: the build's stem table (words whose stem differs); None computes every stem."""
        self.version = version
        self.docs = docs
        self.by_id = {doc["id"]: i for i, doc in enumerate(docs)}
        postings: dict[str, dict[int, int]] = {}
        for i, doc in enumerate(docs):
            for term, weight in doc["terms"].items():
                postings.setdefault(term, {})[i] = weight
        self.vocabulary = sorted(postings)
        self.postings = postings
        self.stems: dict[str, str] = {}  # every word → its stem
        self.by_stem: dict[str, list[str]] = {}
        self.parts: dict[str, set[str]] = {}  # part → compounds of the vocabulary containing it
        self._deletes: dict[str, set[str]] | None = None  # see typo_dictionary()
        words_only = [t for t in self.vocabulary if t.isalpha()]
        for term in words_only:
            term_stem = stem(term) if stems is None else stems.get(term, term)
            self.stems[term] = term_stem
            self.by_stem.setdefault(term_stem, []).append(term)
        vocabulary = set(words_only)
        for term in words_only:
            if len(term) >= 2 * MIN_PART:
                for part in compound_parts(term, vocabulary):
                    self.parts.setdefault(part, set()).add(term)
        self._day: _Day | None = None

    def typo_dictionary(self) -> dict[str, set[str]]:
        """Each catalogue word (letters, 3+) and each of its one-letter deletions → the words.

        Built once per loaded build, on the first query with a word the catalogue does not know, so
        loading and the common requests do not pay for it.
        """
        if self._deletes is None:
            deletes: dict[str, set[str]] = {}
            for term in self.stems:
                if len(term) >= MIN_PART:
                    for key in (term, *_deletes(term)):
                        found = deletes.get(key)
                        if found is None:
                            deletes[key] = {term}
                        else:
                            found.add(term)
            self._deletes = deletes
        return self._deletes

    def stem_table(self) -> dict[str, str]:
        """word → stem where they differ: stored with the build so loading needs no stemming."""
        return {term: term_stem for term, term_stem in self.stems.items() if term_stem != term}

    def doc(self, course_id: str) -> dict[str, Any] | None:
        i = self.by_id.get(course_id)
        return None if i is None else self.docs[i]

    def search(
        self,
        query: str,
        filters: Filters,
        viewer_codes: frozenset[str] | None,
        today: str,
        sort: str = "relevance",
        after: tuple[Any, ...] | None = None,
        limit: int = 20,
    ) -> Page:
        day = self._prepare(today)
        concepts = self.concepts(query, day)
        if words(query) and not concepts:
            return Page([], None)  # words that match nothing (stop words alone are no words)
        accept = _Acceptor(self.docs, day, filters, viewer_codes)
        if (len(concepts) == 1 and sort == "relevance" and not filters.restricts_runs()
                and not concepts[0].phrases and concepts[0].place is None):
            keys = self._walk_tiers(day, concepts[0], accept, after, limit + 1)
        else:
            scores = self._scores(concepts, day) if concepts else None
            if scores is not None and sort == "relevance":
                keys = self._scored(scores, accept, after, limit + 1)
            elif scores is not None and len(scores) * 20 < len(day.run_walk):
                keys = self._scored({i: 0 for i in scores}, accept, after, limit + 1)
            else:
                keys = self._walk_runs(day, scores, accept, after, limit + 1)
        page = keys[:limit]
        items = [summary(self.docs[i], accept.runs(i)) for _, i in page]
        return Page(items, page[-1][0] if len(keys) > limit else None)

    def suggest(self, query: str, filters: Filters, viewer_codes: frozenset[str] | None, today: str,
                most: int = 3) -> list[str]:
        """R_CAT_07 "Bedoelde u": queries close to `query` (one word changed) that do find courses."""
        query_words = words(query)
        options: list[tuple[int, int, str]] = []
        for position, word in enumerate(query_words):
            if len(word) < MIN_PART or not word.isalpha():
                continue
            for term in self._near(word, 2):
                if term == word:
                    continue
                distance = levenshtein(word, term, 2)
                if distance <= 2:
                    replaced = [*query_words[:position], term, *query_words[position + 1:]]
                    options.append((distance, -len(self.postings[term]), " ".join(replaced)))
        found: list[str] = []
        for _, _, text in sorted(set(options))[:SUGGESTION_TRIES]:
            if text not in found and self.search(text, filters, viewer_codes, today, limit=1).items:
                found.append(text)
                if len(found) == most:
                    break
        return found

    # --- matching -----------------------------------------------------------------------------------

    def concepts(self, query: str, day: _Day | None = None) -> list[Concept]:
        """The query as concepts; places only when `day` is given (they depend on upcoming runs)."""
        query_words = words(query)
        places = day.places if day is not None else {}
        concepts: list[Concept] = []
        i = 0
        while i < len(query_words):
            word = query_words[i]
            pair = " ".join(query_words[i:i + 2]) if i + 1 < len(query_words) else None
            if pair is not None and pair in places:
                concepts.append(Concept(pair, place=pair))
                i += 2
                continue
            concept = self._expand(word)
            if word in places:
                concept.place = word
            concepts.append(concept)
            if pair is not None:
                joined = "".join(query_words[i:i + 2])
                if joined in self.postings:
                    concepts.append(Concept(joined, terms={joined: EXACT}))
                for member in SYNONYMS.get(pair, ()):
                    self._add_synonym(concept, member)
            if not self._knows(word):
                parts = split_compound(word, self._part_lexicon())
                for part in parts or ():
                    part_concept = self._expand(part)
                    part_concept.terms = {t: q * PART for t, q in part_concept.terms.items()}
                    part_concept.phrases = [(p, q * PART) for p, q in part_concept.phrases]
                    concepts.append(part_concept)
            i += 1
        return [self._weigh(c, day) for c in concepts if c.terms or c.phrases or c.place]

    def _expand(self, word: str) -> Concept:
        concept = Concept(word)
        if word in self.postings:
            concept.add(word, EXACT)
        word_stem = stem(word)
        for term in self.by_stem.get(word_stem, ()):
            concept.add(term, STEM)
        for term in self._prefixed(word):
            concept.add(term, PREFIX)
        for compound in self.parts.get(word, ()):
            concept.add(compound, PART)
        if not self._knows(word):
            budget = typo_budget(word)
            for term in self._near(word, budget):
                if typo_allowed(word, term):
                    distance = levenshtein(word, term, budget)
                    if distance <= budget:
                        concept.add(term, TYPO1 if distance == 1 else TYPO2)
        for member in SYNONYMS.get(word, ()):
            self._add_synonym(concept, member)
        return concept

    def _add_synonym(self, concept: Concept, member: tuple[str, ...]) -> None:
        if len(member) == 1:
            for term in {member[0], *self.by_stem.get(stem(member[0]), ())}:
                if term in self.postings:
                    concept.add(term, SYNONYM)
        elif all(w in self.postings for w in member):
            concept.phrases.append((member, SYNONYM))

    def _knows(self, word: str) -> bool:
        """A word the catalogue has, as such or by its stem: no typo correction, no split."""
        return word in self.postings or stem(word) in self.by_stem

    def _part_lexicon(self) -> _PartLexicon:
        return _PartLexicon(self.postings, self.parts)

    def _near(self, word: str, budget: int) -> set[str]:
        """Candidate words within `budget` (0-2) edits, from the deletion dictionary; verify with levenshtein."""
        if budget == 0:
            return set()
        starts = {word} if budget == 1 else {word} | _edits(word)
        dictionary = self.typo_dictionary()
        found: set[str] = set()
        for start in starts:
            for key in (start, *_deletes(start)):
                words_there = dictionary.get(key)
                if words_there:
                    found |= words_there
        return found

    def _prefixed(self, prefix: str) -> Iterator[str]:
        start = bisect.bisect_left(self.vocabulary, prefix)
        return _take_prefixed(self.vocabulary, start, prefix)

    @staticmethod
    def score_constant(concept: Concept, quality: float, weight: int) -> int:
        return round(1000 * quality * weight / (weight + SATURATION) * (SATURATION + 1) * concept.idf)

    def _weigh(self, concept: Concept, day: _Day | None) -> Concept:
        """The concept's IDF: its document frequency is the sum over what it matches (cheap, an upper bound)."""
        df = sum(len(self.postings[t]) for t in concept.terms)
        df += sum(min(len(self.postings[w]) for w in phrase) for phrase, _ in concept.phrases)
        if concept.place is not None and day is not None:
            df += len(day.places[concept.place])
        concept.idf = idf(min(df, len(self.docs)), len(self.docs))
        return concept

    # --- strategies ---------------------------------------------------------------------------------

    def _walk_runs(self, day: _Day, candidates: dict[int, int] | None, accept: _Acceptor,
                   after: tuple[Any, ...] | None, wanted: int) -> list[tuple[Key, int]]:
        found: list[tuple[Key, int]] = []
        taken: set[int] = set()
        start_at = 0 if after is None else bisect.bisect_right(day.run_walk, (after[1], after[2], len(self.docs)))
        for start, course_id, i in itertools.islice(day.run_walk, start_at, None):
            if i in taken or (candidates is not None and i not in candidates) or not accept.course(i):
                continue
            first = accept.first_run_start(i)
            if first != start or (start, course_id) <= _after_tail(after):
                continue  # not this course's first matching run, or already on an earlier page
            taken.add(i)
            found.append(((0, start, course_id), i))
            if len(found) == wanted:
                return found
        if accept.filters.restricts_runs():
            return found
        never = sorted((self.docs[i]["id"], i) for i, start in enumerate(day.next_start)
                       if start == NO_START and (candidates is None or i in candidates) and accept.course(i))
        for course_id, i in never:
            key = (0, NO_START, course_id)
            if after is None or key > tuple(after):
                found.append((key, i))
                if len(found) == wanted:
                    break
        return found

    def _walk_tiers(self, day: _Day, concept: Concept, accept: _Acceptor, after: tuple[Any, ...] | None,
                    wanted: int) -> list[tuple[Key, int]]:
        """One concept of terms only: a course's score is the best constant of its (term, field) pairs."""
        levels: dict[int, list[tuple[str, int]]] = {}
        for term, quality in concept.terms.items():
            for weight in self._weights(day, term):
                levels.setdefault(self.score_constant(concept, quality, weight), []).append((term, weight))
        found: list[tuple[Key, int]] = []
        for level in sorted(levels, reverse=True):
            if after is not None and -level < after[0]:
                continue  # a level already passed on an earlier page
            streams = [self._tier(day, term, weight) for term, weight in levels[level]]
            ordered = heapq.merge(*streams, key=lambda i: (day.next_start[i], self.docs[i]["id"]))
            seen: set[int] = set()
            for i in ordered:
                key = (-level, day.next_start[i], self.docs[i]["id"])
                if i in seen or (after is not None and key <= tuple(after)):
                    continue
                seen.add(i)
                if self._best(concept, i) != level or not accept.course(i):
                    continue
                found.append((key, i))
                if len(found) == wanted:
                    return found
        return found

    def _best(self, concept: Concept, i: int) -> int:
        best = 0
        for term, quality in concept.terms.items():
            weight = self.postings[term].get(i)
            if weight:
                best = max(best, self.score_constant(concept, quality, weight))
        return best

    def _scored(self, scores: dict[int, int], accept: _Acceptor, after: tuple[Any, ...] | None,
                wanted: int) -> list[tuple[Key, int]]:
        """The best `wanted` after the cursor, by score, then first start, then id. Courses are looked at
        one score level at a time, best first: once a whole level fills the page, no lower level can
        enter it, so a query matching most of the catalogue checks the runs of only its best courses."""
        levels: dict[int, list[int]] = {}
        for i, score in scores.items():
            levels.setdefault(score, []).append(i)
        floor = after[0] if after else None
        keyed: list[tuple[Key, int]] = []
        for score in sorted(levels, reverse=True):
            if floor is not None and -score < floor:
                continue  # the whole level comes before the cursor
            for i in levels[score]:
                start = accept.first_run_start(i)
                if start is None or not accept.course(i):
                    continue
                key = (-score, start, self.docs[i]["id"])
                if after is None or key > tuple(after):
                    keyed.append((key, i))
            if len(keyed) >= wanted:
                break
        return heapq.nsmallest(wanted, keyed)

    # --- preparation ------------------------------------------------------------------------------

    def _prepare(self, today: str) -> _Day:
        if self._day is not None and self._day.today == today:
            return self._day
        runs = [upcoming_runs(doc, today) for doc in self.docs]
        next_start = [r[0]["start"] if r else NO_START for r in runs]
        walk = sorted((run["start"], self.docs[i]["id"], i) for i, doc_runs in enumerate(runs) for run in doc_runs)
        places: dict[str, set[int]] = {}
        place_names: dict[str, str] = {}  # as written → as matched; few cities, many runs
        for i, doc_runs in enumerate(runs):
            for run in doc_runs:
                city = run.get("city")
                if city:
                    name = place_names.get(city)
                    if name is None:
                        name = place_names[city] = " ".join(words(city))
                    places.setdefault(name, set()).add(i)
        places.pop("", None)
        self._day = _Day(today, runs, next_start, walk, {}, places)
        return self._day

    def _weights(self, day: _Day, term: str) -> list[int]:
        self._tier(day, term, 0)
        return list(day.tiers[term])

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

    def _scores(self, concepts: list[Concept], day: _Day) -> dict[int, int]:
        total: dict[int, int] = {}
        for concept in concepts:
            best: dict[int, int] = {}
            for term, quality in concept.terms.items():
                for i, weight in self.postings[term].items():
                    value = self.score_constant(concept, quality, weight)
                    if best.get(i, 0) < value:
                        best[i] = value
            for phrase, quality in concept.phrases:
                docs = set.intersection(*(set(self.postings[w]) for w in phrase))
                for i in docs:
                    value = min(self.score_constant(concept, quality, self.postings[w][i]) for w in phrase)
                    if best.get(i, 0) < value:
                        best[i] = value
            if concept.place is not None:
                value = self.score_constant(concept, EXACT, PLACE_WEIGHT)
                for i in day.places[concept.place]:
                    if best.get(i, 0) < value:
                        best[i] = value
            for i, value in best.items():
                total[i] = total.get(i, 0) + value
        return total


class _PartLexicon:
    """Words that may be a compound part: catalogue words and parts found in catalogue compounds."""

    def __init__(self, postings: dict[str, Any], parts: dict[str, set[str]]) -> None:
        self.postings, self.parts = postings, parts

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and len(word) >= MIN_PART and (word in self.postings or word in self.parts)


def compound_parts(term: str, vocabulary: set[str]) -> set[str]:
    """The parts of a catalogue compound: a known word at the start or end, and what remains (3+ letters).

    projectmanagement → {project, management}; informatiebeveiliging → {informatie, beveiliging}.
    """
    found: set[str] = set()
    for i in range(MIN_PART, len(term) - MIN_PART + 1):
        head, tail = term[:i], term[i:]
        if head in vocabulary:
            found.update((head, tail))
            if tail[0] in "se" and len(tail) > MIN_PART:
                found.add(tail[1:])
        if tail in vocabulary:
            found.update((head, tail))
    return found


class _Acceptor:
    """Per request: visibility, course filters and the runs that pass the run filters, memoised."""

    def __init__(self, docs: list[dict[str, Any]], day: _Day, filters: Filters,
                 viewer_codes: frozenset[str] | None) -> None:
        self.docs, self.day, self.filters, self.viewer_codes = docs, day, filters, viewer_codes
        self._runs: dict[int, list[dict[str, Any]]] = {}

    def course(self, i: int) -> bool:
        doc = self.docs[i]
        return visible(doc, self.viewer_codes) and _passes(doc, self.filters)

    def runs(self, i: int) -> list[dict[str, Any]]:
        runs = self._runs.get(i)
        if runs is None:
            runs = [r for r in self.day.runs[i] if _run_passes(r, self.filters)] \
                if self.filters.restricts_runs() else self.day.runs[i]
            self._runs[i] = runs
        return runs

    def first_run_start(self, i: int) -> str | None:
        """Sort date of a course; None when run filters leave no run of it."""
        runs = self.runs(i)
        if runs:
            return str(runs[0]["start"])
        return None if self.filters.restricts_runs() else NO_START


def _after_tail(after: tuple[Any, ...] | None) -> tuple[str, str]:
    return ("", "") if after is None else (str(after[1]), str(after[2]))


def _take_prefixed(vocabulary: list[str], start: int, prefix: str) -> Iterator[str]:
    for term in itertools.islice(vocabulary, start, None):
        if not term.startswith(prefix):
            return
        if term != prefix:
            yield term


def visible(doc: dict[str, Any], viewer_codes: frozenset[str] | None) -> bool:
    """R_CAT_02: a course limited to organisations is seen only by their employees.

    `viewer_codes` are the EDU-DEX LeerRijkOpenFor codes of the viewer's organisation (None: visitor).
    """
    open_for = doc.get("open_for")
    return not open_for or bool(viewer_codes and viewer_codes.intersection(open_for))


def _passes(doc: dict[str, Any], filters: Filters) -> bool:
    return (
        (filters.theme is None or doc.get("theme") == filters.theme)
        and (filters.supplier is None or doc.get("supplier_id") == filters.supplier)
        and (filters.kind is None or doc.get("kind") == filters.kind)
    )


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


def summary(doc: dict[str, Any], runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "course_id": doc["id"],
        "name": doc["name"],
        "summary": doc.get("summary"),
        "supplier_id": doc["supplier_id"],
        "supplier_name": doc.get("supplier_name"),
        "kind": doc.get("kind"),
        "theme": doc.get("theme"),
        "restricted": bool(doc.get("open_for")),
        "executions": [
            {k: r.get(k) for k in ("id", "start", "end", "city", "online", "price_cents")} for r in runs[:3]
        ],
        "executions_total": len(runs),
        "price_from_cents": min((r["price_cents"] for r in runs), default=None),
    }
