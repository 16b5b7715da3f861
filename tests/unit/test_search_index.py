"""R_CAT_02, R_CAT_04 and R_CAT_07: the fast search paths give exactly what a brute-force search gives.

A reference implementation matches every query word against every word of every course the slow,
obvious way (edit distances computed directly, prefixes, stems and compound parts tried word by
word, synonyms and translations looked up member by member), scores every course with the same
BM25F, coordination and proximity rules, puts it in its tier and sorts. Random catalogues, queries,
places, filters, viewers and page sizes must produce the same pages, with no duplicates or gaps:
whatever walk the index takes (by date, one word's levels, combinations of levels, kept word
expansions), it may not change what a person sees.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field

import pytest

from chalicelib.catalogue import search_rules as sr
from chalicelib.catalogue import text_rules as tr
from chalicelib.catalogue.search_rules import NO_START, CatalogueIndex, Filters, upcoming_runs
from chalicelib.catalogue.text_rules import document_terms, fold, stem, words
from chalicelib.catalogue.vocabulary_rules import default_lists, expansion_table, translated_groups

TODAY = "2027-01-01"
VOCAB = ["project", "projectplan", "projectmanagement", "leiderschap", "data", "veiligheid", "veilig", "cursussen",
         "privacy", "schrijven", "beleid", "proces", "procesmanagement", "agile", "informatiebeveiliging",
         "gesprekken", "gesprek", "avg", "excel", "utrecht", "leadership", "training", "teams", "coaching",
         "prince2", "nt2"]
CITIES = ["Utrecht", "Den Haag", "Zwolle", "'s-Hertogenbosch"]
QUERIES = ["", "", "project", "pro", "veilig", "cursus", "data beleid", "zzz", "leider proces", "projectmanagment",
           "veilgheid", "prvacy", "exel", "gegevensbescherming", "utrecht", "den haag beleid", "project management",
           "procesplan", "gesprekken voeren", "scrum", "beleid zwolle", "informatie beveiliging", "xroject",
           "leiderschap data project", "excel training", "leadership", "den bosch", "beleid leiderschap utrecht",
           "opleider", "excelprivacy", "data data", "agile leidinggeven", "coaching teams", "schrijven beleid zwolle",
           "prinse2", "prince3", "prinse2 beleid", "nt3", "projecten plan"]


def _doc(rng: random.Random, i: int) -> dict:
    name = " ".join(rng.sample(VOCAB, 2))
    text = " ".join(rng.sample(VOCAB, 2))
    desc = " ".join(rng.sample(VOCAB, rng.randint(1, 6)))
    runs = []
    for k in range(rng.randint(0, 3)):
        start = f"2027-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}" if rng.random() > 0.1 else "2026-06-01"
        runs.append({
            "id": f"r{k}", "start": start, "end": start, "city": rng.choice([*CITIES, None]),
            "online": rng.random() < 0.3, "price_cents": 100, "status": rng.choice(["open"] * 5 + ["cancelled"]),
        })
    return {
        "id": f"c{i:03d}", "name": name, "summary": text, "supplier_id": f"s{i % 3}",
        "kind": rng.choice(["intern", "extern"]), "theme": rng.choice(["T1", "T2"]),
        "open_for": rng.choice([None, None, None, ["BZK"], ["FIN", "BZK1"]]),
        "runs": runs, "terms": document_terms({"name": [name], "words": [text], "desc": [desc]}),
        "meta": document_terms({"meta": [f"Opleider {i % 3}", rng.choice(["Leiderschap en management", "Data"])]}),
    }


# --- the reference: every rule by brute force ---------------------------------------------------------


@dataclass
class _Concept:
    slots: frozenset[int]
    terms: dict[str, float] = field(default_factory=dict)  # term (META-prefixed for supplier/theme) → quality
    phrases: list[tuple[tuple[str, ...], float]] = field(default_factory=list)
    guessed: bool = False

    def add(self, term: str, quality: float) -> None:
        self.terms[term] = max(self.terms.get(term, 0.0), quality)


def _letter_edits(a: str, b: str) -> int:
    """Edit distance where only letters may be inserted, deleted, changed or swapped with a neighbour (a digit
    never), the slow way."""
    never = 10 ** 6

    def cost(ch: str) -> int:
        return 1 if ch.isalpha() else never

    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        rows[i][0] = rows[i - 1][0] + cost(a[i - 1])
    for j in range(1, len(b) + 1):
        rows[0][j] = rows[0][j - 1] + cost(b[j - 1])
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            x, y = a[i - 1], b[j - 1]
            change = 0 if x == y else (1 if x.isalpha() and y.isalpha() else never)
            rows[i][j] = min(rows[i - 1][j] + cost(x), rows[i][j - 1] + cost(y), rows[i - 1][j - 1] + change)
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y and x.isalpha() and y.isalpha():
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)  # two letters swapped: one edit
    return rows[-1][-1]


class _Reference:
    def __init__(self, docs: list[dict]) -> None:
        self.docs = docs
        self.weights = [{**d["terms"], **{tr.META + t: w for t, w in d.get("meta", {}).items()}} for d in docs]
        self.content = {t for d in docs for t in d["terms"]}
        self.meta = {t for d in docs for t in d.get("meta", {})}
        self.alpha = {t for t in self.content if t.isalpha()}
        self.stems = {stem(t) for t in self.alpha}
        self.parts = {p for t in self.alpha if len(t) >= 6 for p in tr.compound_parts(t, self.alpha)}
        self.expansions = expansion_table(default_lists())
        self.places: dict[str, set[int]] = {}
        for n, doc in enumerate(docs):
            for run in upcoming_runs(doc, TODAY):
                if run["city"]:
                    self.places.setdefault(" ".join(words(run["city"])), set()).add(n)

    @staticmethod
    def corrected(concepts: list[_Concept]) -> bool:
        """One edit explains the word, and its best readings are not all format words."""
        best = max((q for c in concepts for q in c.terms.values()), default=0.0)
        readings = {t for c in concepts for t, q in c.terms.items() if q == best}
        format_stems = {stem(w) for w in sr.FORMAT_WORDS if w.isalpha()}
        return best >= sr.TYPO1 and not all(t in sr.FORMAT_WORDS or stem(t) in format_stems for t in readings)

    def known(self, word: str) -> bool:
        return word in self.content or word in self.expansions or word in self.parts or stem(word) in self.stems

    def members(self, key: str, quality: float, concept: _Concept) -> None:
        before = len(concept.terms) + len(concept.phrases)
        self.listed(self.expansions.get(key, ()), quality, concept)
        if len(concept.terms) + len(concept.phrases) == before:  # a translation no course has: its Dutch group
            self.listed(translated_groups(default_lists()).get(key, ()), quality, concept)

    def listed(self, members, quality: float, concept: _Concept) -> None:
        for member, q in members:
            if len(member) == 1:
                for term in self.content:
                    if term == member[0] or (term.isalpha() and stem(term) == stem(member[0])):
                        concept.add(term, q * quality)
                    elif len(member[0]) >= sr.MIN_MEMBER_PREFIX and term.startswith(member[0]):
                        concept.add(term, q * sr.PREFIX * quality)
            elif all(w in self.content for w in member):
                concept.phrases.append((member, q * quality))
            elif "".join(member) in self.content:
                concept.add("".join(member), q * quality)

    def expand(self, word: str, factor: float = 1.0) -> _Concept:
        concept = _Concept(frozenset())
        for term in self.content:
            quality = 0.0
            if term == word:
                quality = sr.EXACT
            elif term.isalpha() and stem(term) == stem(word):
                quality = sr.STEM
            elif term.startswith(word) and len(word) >= sr.MIN_PREFIX:
                quality = sr.PREFIX
            bases = {word, stem(word)} if stem(word) in self.content else {word}
            if term.isalpha() and len(term) >= 6 and bases & tr.compound_parts(term, self.alpha):
                quality = max(quality, sr.PART)
            if quality:
                concept.add(term, quality * factor)
        for term in self.meta:
            if term == word:
                concept.add(tr.META + term, sr.EXACT * factor)
            elif term.isalpha() and stem(term) == stem(word):
                concept.add(tr.META + term, sr.STEM * factor)
            elif term.startswith(word) and len(word) >= sr.MIN_PREFIX:
                concept.add(tr.META + term, sr.PREFIX * factor)
        self.members(word, factor, concept)
        budget = tr.typo_budget(word)
        if not self.known(word) and not concept.terms and budget:
            candidates = {t for t in self.content if not t.isdigit()} | {k for k in self.expansions if " " not in k}
            near = {term: _letter_edits(word, term) for term in candidates
                    if tr.typo_allowed(word, term) and _letter_edits(word, term) <= budget}
            # one edit from a single word, in a long word: a sure correction, weighed as a stem
            sure = tr.letter_count(word) >= sr.SURE_TYPO_LETTERS and list(near.values()).count(1) == 1
            for term, edits in near.items():
                quality = (sr.STEM if sure and edits == 1 else sr.TYPO1 if edits == 1 else sr.TYPO2) * factor
                if term in self.content:
                    concept.add(term, quality)
                self.members(term, quality, concept)
            concept.guessed = bool(concept.terms or concept.phrases) and not sure
        if not self.known(word) and not concept.terms and not concept.phrases and factor == 1.0 and word.isalpha():
            # no typo either: the group of a listed word for a person it ends in, and the courses with the word's
            # known ends and their groups (as a guess)
            heads = (word[start:] for start in range(tr.MIN_PART, len(word) - sr.LISTED_HEAD + 1))
            for head in heads:
                if (head in self.expansions and head.endswith(sr.PERSON_ENDINGS)
                        and not head.endswith(sr.THING_ENDINGS) and head not in sr.FORMAT_WORDS):
                    self.members(head, 1.0, concept)
                    break
            whole = {w for w in self.content | self.stems if len(w) > tr.MIN_PART}
            for part in sr._known_ends(word, whole) - sr.FORMAT_WORDS:
                for term in self.content:
                    if term == part or (term.isalpha() and stem(term) == stem(part)):
                        concept.add(term, sr.COMPOUND_PART)
                self.members(part, sr.COMPOUND_PART, concept)
            concept.guessed = bool(concept.terms or concept.phrases)
        return concept

    def split_places(self, typed: list[str]) -> tuple[list[str], list[str]]:
        """(places, other words): at each word the longest city name (or alias) that starts there."""
        if not typed:
            return [], []
        for size in range(min(3, len(typed)), 0, -1):
            name = " ".join(typed[:size])
            if sr.PLACE_ALIASES.get(name, name) in self.places:
                places, rest = self.split_places(typed[size:])
                return [sr.PLACE_ALIASES.get(name, name), *places], rest
        places, rest = self.split_places(typed[1:])
        return places, [typed[0], *rest]

    def plan(self, query: str) -> tuple[list[str], list[_Concept], list[str], set[int]]:
        places, rest = self.split_places(words(query))
        slots: list[str] = []
        heads: set[int] = set()  # the parts after the first of a split word: they only score
        concepts: list[_Concept] = []
        plain: list[tuple[int, str]] = []
        lexicon = {w for w in self.content | self.parts if len(w) >= tr.MIN_PART}
        for word in rest:
            slot = len(slots)
            slots.append(word)
            concept = self.expand(word)
            concept.slots = frozenset({slot})
            parts = None if self.known(word) else tr.split_compound(word, lexicon)
            if parts:
                slots[slot] = parts[0]
                slots.extend(parts[1:])
                part_slots = list(range(slot, slot + len(parts)))
                for part_slot, part in zip(part_slots, parts, strict=True):
                    part_concept = self.expand(part, sr.SPLIT)
                    part_concept.slots = frozenset({part_slot})
                    concepts.append(part_concept)
                heads.update(part_slots[1:])
                # a guess from the parts' words stands for no part
                concept.slots = frozenset() if concept.guessed else frozenset(part_slots)
                plain.append((-1, word))
            else:
                plain.append((slot, word))
            concepts.append(concept)
        for (a, first), (b, second) in itertools.pairwise(plain):
            if a >= 0 and b >= 0:
                pair = _Concept(frozenset({a, b}))
                for term in self.content:
                    if term == first + second:
                        pair.add(term, sr.EXACT)
                    elif term.isalpha() and stem(term) == stem(first + second):
                        pair.add(term, sr.STEM)
                    elif first.isalpha() and second.isalpha():
                        for link in sr.COMPOUND_LINKS:  # the compound of the two: tekst + schrijven
                            rest = term.removeprefix(stem(first) + link)
                            if rest != term and (rest == second or (rest in self.alpha and stem(rest) == stem(second))):
                                pair.add(term, sr.STEM)
                self.members(f"{first} {second}", 1.0, pair)
                concepts.append(pair)
        return slots, [c for c in concepts if c.terms or c.phrases], places, heads

    def unshared(self, slots: list[str], concepts: list[_Concept],
                 docs_of: list[set[int]]) -> tuple[list[_Concept], list[set[int]]]:
        """An expansion another concept (of other slots) has at the same or a better quality counts only
        there; a listed phrase of words typed in other slots counts only for them."""
        kept, kept_docs = [], []
        for concept, found in zip(concepts, docs_of, strict=True):
            others = [o for o in concepts if not o.slots & concept.slots]
            own = _Concept(concept.slots)
            own.guessed = concept.guessed
            own.terms = {t: q for t, q in concept.terms.items()
                         if q >= sr.PREFIX or all(o.terms.get(t, 0.0) < q for o in others)}
            elsewhere = {stem(w) for s, w in enumerate(slots) if s not in concept.slots}
            own.phrases = [(p, q) for p, q in concept.phrases if not all(stem(w) in elsewhere for w in p)]
            own_found = {n for n in range(len(self.docs)) if self.matches(own, n)}
            kept.append(own if own_found else concept)
            kept_docs.append(own_found or found)
        return kept, kept_docs

    def matches(self, concept: _Concept, n: int) -> bool:
        return any(t in self.weights[n] for t in concept.terms) or \
            any(all(w in self.docs[n]["terms"] for w in p) for p, _ in concept.phrases)

    def sure(self, concept: _Concept, n: int) -> bool:
        weights = self.weights[n]
        return any(t in weights and ((q >= sr.PREFIX and not t.startswith(tr.META)) or weights[t] >= sr.SURE_WEIGHT)
                   for t, q in concept.terms.items()) or \
            any(all(self.docs[n]["terms"].get(w, 0) >= sr.SURE_WEIGHT for w in p)
                and all(self.adjacent(n, a, b) for a, b in itertools.pairwise(p)) for p, _ in concept.phrases)

    def contribution(self, concept: _Concept, idf_value: float, n: int) -> int:
        weights = self.weights[n]
        values = [round(1000 * q * tr.saturated(weights[t], sr.K1) * idf_value)
                  for t, q in concept.terms.items() if t in weights]
        values += [min(round(1000 * q * tr.saturated(self.docs[n]["terms"][w], sr.K1) * idf_value) for w in p)
                   for p, q in concept.phrases if all(w in self.docs[n]["terms"] for w in p)]
        return max(values, default=0)

    def adjacent(self, n: int, first: str, second: str) -> bool:
        for text in (self.docs[n]["name"], self.docs[n]["summary"]):
            stems = [stem(w) for w in words(text)]
            if any(a == stem(first) and b == stem(second) for a, b in itertools.pairwise(stems)):
                return True
        return False

    def runs(self, n: int, filters: Filters, places: list[str] | None) -> list[dict]:
        return [r for r in upcoming_runs(self.docs[n], TODAY)
                if (filters.city is None or " ".join(words(r["city"])) == " ".join(words(filters.city)))
                and (filters.online is None or r["online"] == filters.online)
                and (filters.date_from is None or r["start"] >= filters.date_from)
                and (filters.date_to is None or r["start"] <= filters.date_to)
                and (places is None or " ".join(words(r["city"])) in places)]

    def search(self, query: str, filters: Filters, viewer: frozenset[str] | None, sort: str) -> list[str]:
        slots, concepts, places, heads = self.plan(query)
        total = len(self.docs)
        docs_of = [{n for n in range(total) if self.matches(c, n)} for c in concepts]
        concepts = [c for c, found in zip(concepts, docs_of, strict=True) if found]
        docs_of = [found for found in docs_of if found]
        if words(query) and not concepts and not places:
            return []
        idfs = [tr.idf(len(found), total) for found in docs_of]
        matched_before = {s for c in concepts for s in c.slots}
        concepts, docs_of = self.unshared(slots, concepts, docs_of)
        matched = matched_before
        sure_slots = {s for c in concepts if not c.guessed for s in c.slots}
        corrected = {s for s in matched - sure_slots if self.corrected([c for c in concepts if s in c.slots])}
        required = ({s for s in (sure_slots | corrected) or matched if slots[s] not in sr.FORMAT_WORDS}
                    or {s for s in matched if slots[s] not in sr.FORMAT_WORDS} or sure_slots or matched)
        required = required - heads or required
        slot_idf = {s: max(idf for c, idf in zip(concepts, idfs, strict=True) if s in c.slots) for s in matched}
        pairs = [(a, a + 1) for a in range(len(slots) - 1) if a in matched and a + 1 in matched]
        if not concepts and len(places) < 2:  # no words, or a place alone: every course by date
            if places and filters.city is None:
                filters = Filters(**{**filters.__dict__, "city": places[0]})
            places = []
        keyed = []
        for n, doc in enumerate(self.docs):
            if doc["open_for"] and not (viewer and viewer & set(doc["open_for"])):
                continue
            if any(v is not None and doc[k] != v for k, v in
                   (("theme", filters.theme), ("supplier_id", filters.supplier), ("kind", filters.kind))):
                continue
            runs = self.runs(n, filters, None)
            if filters.restricts_runs() and not runs:
                continue
            if not concepts and not places:
                keyed.append(((0, runs[0]["start"] if runs else NO_START, doc["id"]), doc["id"]))
                continue
            values = [self.contribution(c, idf, n) if n in found else 0
                      for c, idf, found in zip(concepts, idfs, docs_of, strict=True)]
            full = all(any(s in c.slots and self.sure(c, n) for c in concepts) for s in required) if concepts \
                else n in set().union(*(self.places[p] for p in places))
            if not full and not any(values):
                continue
            by_slot = {s: max((v for c, v in zip(concepts, values, strict=True) if c.slots == {s}), default=0)
                       for s in range(len(slots))}
            score = sum(values) + sum(round(sr.PROXIMITY * (by_slot[a] + by_slot[b])) for a, b in pairs
                                      if by_slot[a] and by_slot[b] and self.adjacent(n, slots[a], slots[b]))
            if not full:
                covered = {s for c, v in zip(concepts, values, strict=True) if v for s in c.slots}
                weight = {s: math.sqrt(slot_idf[s]) for s in required}  # the coordination's square root of the IDF
                score = round(score * sum(weight[s] for s in required & covered) / sum(weight.values()))
            there = self.runs(n, filters, places) if places else []
            tier = 2 * full + bool(there)
            start = (there or runs)[0]["start"] if (there or runs) else NO_START
            keyed.append(((tier, score, start, doc["id"]), doc["id"]))
        if not concepts and not places:
            return [course_id for _, course_id in sorted(keyed)]
        if sort == "start":
            best = max((key[0] for key, _ in keyed), default=0)
            return [course_id for _, course_id in sorted(((0, k[2], k[3]), c) for k, c in keyed if k[0] == best)]
        return [course_id for _, course_id in sorted(((-(k[0] * sr.TIER + k[1]), k[2], k[3]), c) for k, c in keyed)]


def _all_pages(index, query, filters, viewer, sort, limit):
    seen, after = [], None
    for _ in range(1000):
        page = index.search(query, filters, viewer, TODAY, sort, after, limit)
        seen += [item["course_id"] for item in page.items]
        after = page.next_after
        if after is None:
            return seen
    raise AssertionError("pagination does not end")


@pytest.mark.parametrize("seed", range(12))
def test_R_CAT_04_R_CAT_07_every_strategy_matches_the_reference_across_pages(seed):
    rng = random.Random(seed)
    docs = [_doc(rng, i) for i in range(rng.randint(20, 160))]
    index = CatalogueIndex("v1", docs)
    reference = _Reference(docs)
    for _ in range(30):
        query = rng.choice(QUERIES)
        filters = rng.choice([
            Filters(), Filters(), Filters(theme="T1"), Filters(city="utrecht"), Filters(online=True),
            Filters(date_from="2027-02-01", date_to="2027-02-28"), Filters(kind="intern", supplier="s1"),
        ])
        viewer = rng.choice([None, frozenset({"BZK"}), frozenset({"FIN"})])
        sort = rng.choice(["relevance", "relevance", "start"])
        limit = rng.choice([1, 3, 7, 50])
        expected = reference.search(query, filters, viewer, sort)
        assert _all_pages(index, query, filters, viewer, sort, limit) == expected, (query, filters, viewer, sort, limit)


def test_R_CAT_07_the_walks_over_score_levels_are_exercised():
    """The catalogues above are small; this one is large enough that tiers are read by level
    combinations and one word by its levels, and they still give the reference's pages."""
    rng = random.Random(99)
    docs = [_doc(rng, i) for i in range(400)]
    index = CatalogueIndex("v1", docs)
    reference = _Reference(docs)
    for query in ("project data", "leiderschap utrecht", "data", "beleid leiderschap utrecht", "coaching teams"):
        for limit in (3, 20):
            expected = reference.search(query, Filters(), None, "relevance")
            assert _all_pages(index, query, Filters(), None, "relevance", limit) == expected, (query, limit)


def test_R_CAT_07_snowball_stems_and_folds():
    assert stem("cursussen") == stem("cursus")
    assert stem("vaardigheden") == stem("vaardigheid")
    assert stem("trainingen") == stem("training")
    assert stem("gesprekken") == stem("gesprek")
    assert words("De Financiële cursussen, van het Rijk!") == ["financiele", "cursussen", "rijk"]
    assert words("Risico's en nota's") == ["risico", "nota"]
    assert fold("ÉÉN") == "een"


def test_R_CAT_07_typo_rules():
    assert [tr.typo_budget(w) for w in ("exe", "exel", "projectm", "vergaderen", "b1b1")] == [0, 1, 2, 2, 0]
    assert [tr.typo_budget(w) for w in ("nt2", "prinse2", "office365", "iso27001", "2024", "windows2o11")] == \
        [0, 1, 1, 0, 0, 2]  # letters counted, digits not
    assert tr.typo_allowed("exel", "excel") and not tr.typo_allowed("wxcel", "excel")
    assert tr.typo_allowed("xrojectplan", "projectplan")  # 8+ letters may change the first letter
    assert tr.typo_allowed("prinse2", "prince2") and not tr.typo_allowed("prinse3", "prince2")
    assert not tr.typo_allowed("prince", "prince2") and not tr.typo_allowed("prinse2", "prince")
    assert not tr.typo_allowed("exel", "2024")  # a number is no candidate
    assert tr.typo_distance("prinse2", "prince2", 2) == 1 and tr.typo_distance("prince3", "prince2", 2) == 3
    assert tr.typo_distance("prince", "prince2", 2) == 3  # a digit is never inserted or deleted
    assert tr.typo_distance("iso2701", "iso27001", 2) == 3 and tr.typo_distance("isp27001", "iso27001", 2) == 1
    assert tr.levenshtein("projectmanagment", "projectmanagement", 2) == 1
    assert tr.levenshtein("integritiet", "integriteit", 2) == 2
    assert tr.typo_distance("integritiet", "integriteit", 2) == 1  # a typo: two swapped neighbours are one edit
    assert tr.typo_distance("gdrp", "gdpr", 1) == 1
    assert tr.levenshtein("abc", "xyzabc", 2) == 3
    assert tr.swap_distance("ebho", "ehbo") == 1 and tr.swap_distance("ebho", "bhv") == 2


@pytest.mark.parametrize("letters", ["abcde", "abcd12"])
def test_R_CAT_07_the_deletion_index_finds_every_word_within_two_edits(letters):
    """Words with digits too: within two edits of letters, never a digit (checked the slow way)."""
    rng = random.Random(7)
    vocabulary = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(300)]
    index = tr.DeletionIndex(vocabulary)
    for _ in range(200):
        word = "".join(rng.choice(letters + "f") for _ in range(rng.randint(3, 9)))
        for budget in (1, 2):
            expected = {t: _letter_edits(word, t) for t in set(vocabulary)
                        if len(t) >= 3 and not t.isdigit() and _letter_edits(word, t) <= budget}
            assert index.near(word, budget) == expected


def test_R_CAT_07_bm25f_weights_count_fields_length_and_every_form_of_a_stem():
    short = document_terms({"name": ["Excel"]})["excel"]
    long = document_terms({"name": ["Excel voor de gevorderde gebruiker met grote werkbladen"]})["excel"]
    assert short > long  # the same word weighs more in a short title
    assert document_terms({"name": ["Excel"]})["excel"] > document_terms({"desc": ["Excel"]})["excel"]
    both = document_terms({"name": ["Gesprekken"], "summary": ["Het goede gesprek"]})
    alone = document_terms({"name": ["Gesprekken"]})
    assert both["gesprekken"] == both["gesprek"] > alone["gesprekken"]
