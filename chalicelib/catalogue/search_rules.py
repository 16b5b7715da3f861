"""The in-memory catalogue search (R_CAT_02-04, R_VIS_01). Pure: documents in, results out.

Text is folded (case, accents, ij), Dutch stop words are dropped and a light Dutch stemmer maps
plurals onto their stem. Every query word must match some word of the course by prefix. A hit in
the name weighs more than one in the summary or search words, which weighs more than one in the
description; ties go to the earliest upcoming start date. Pagination is by keyset, so pages
never repeat or skip a course while the catalogue stays the same.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

WEIGHTS = {"name": 100, "text": 10, "desc": 1}
NO_START = "9999-12-31"
_WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset({
    "de", "het", "een", "en", "of", "van", "voor", "in", "op", "met", "aan", "bij", "door", "naar", "over",
    "te", "tot", "uit", "om", "als", "dan", "die", "dat", "dit", "deze", "je", "u", "uw", "we", "wij", "zij",
    "hun", "is", "zijn", "wordt", "worden", "kan", "kunnen", "niet", "ook", "maar", "nog", "er", "the",
    "and", "to", "for",
})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def stem(word: str) -> str:
    """A light Dutch stemmer: cursussen → cursus, trainingen → training, vaardigheden → vaardigheid."""
    if len(word) > 6 and word.endswith("heden"):
        return word[:-5] + "heid"
    if len(word) > 5 and word.endswith("en"):
        base = word[:-2]
        if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "aeiou":
            base = base[:-1]
        return base
    if len(word) > 4 and word.endswith("s") and word[-2] not in "aeious":
        return word[:-1]
    return word


def words(text: str | None) -> list[str]:
    if not text:
        return []
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


def document_terms(fields: dict[str, Iterable[str | None]]) -> dict[str, int]:
    """term → highest field weight, for the words and their stems of each field."""
    terms: dict[str, int] = {}
    for field_name, texts in fields.items():
        weight = WEIGHTS[field_name]
        for text in texts:
            for word in words(text):
                for term in {word, stem(word)}:
                    if terms.get(term, 0) < weight:
                        terms[term] = weight
    return terms


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


class CatalogueIndex:
    """Built once per catalogue version per container; answers searches without I/O.

    Three ways to a page, chosen so the common requests do not grow with the catalogue:
    - by start date (also every request without words): walk all upcoming runs in date order and
      stop when the page is full;
    - one word by relevance, without run filters: walk the word's postings by weight, then date;
    - anything else: score every course matching all words (linear in the matches only).
    """

    def __init__(self, version: str, docs: list[dict[str, Any]]) -> None:
        self.version = version
        self.docs = docs
        self.by_id = {doc["id"]: i for i, doc in enumerate(docs)}
        postings: dict[str, dict[int, int]] = {}
        for i, doc in enumerate(docs):
            for term, weight in doc["terms"].items():
                postings.setdefault(term, {})[i] = weight
        self.vocabulary = sorted(postings)
        self.postings = postings
        self._day: _Day | None = None

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
        query_words = words(query)
        accept = _Acceptor(self.docs, day, filters, viewer_codes)
        if query_words and sort == "relevance" and len(query_words) == 1 and not filters.restricts_runs():
            keys = self._walk_tiers(day, query_words[0], accept, after, limit + 1)
        else:
            scores = self._scores(query_words) if query_words else None
            if scores is not None and sort == "relevance":
                keys = self._scored(scores, accept, after, limit + 1)
            elif scores is not None and len(scores) * 20 < len(day.run_walk):
                keys = self._scored({i: 0 for i in scores}, accept, after, limit + 1)
            else:
                keys = self._walk_runs(day, scores, accept, after, limit + 1)
        page = keys[:limit]
        items = [summary(self.docs[i], accept.runs(i)) for _, i in page]
        return Page(items, page[-1][0] if len(keys) > limit else None)

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

    def _walk_tiers(self, day: _Day, word: str, accept: _Acceptor, after: tuple[Any, ...] | None,
                    wanted: int) -> list[tuple[Key, int]]:
        terms = sorted(self._prefix_matches(word) | self._prefix_matches(stem(word)))
        found: list[tuple[Key, int]] = []
        for weight in sorted(WEIGHTS.values(), reverse=True):
            streams = [self._tier(day, term, weight) for term in terms]
            ordered = heapq.merge(*streams, key=lambda i: (day.next_start[i], self.docs[i]["id"]))
            seen: set[int] = set()
            for i in ordered:
                key = (-weight, day.next_start[i], self.docs[i]["id"])
                if i in seen or (after is not None and key <= tuple(after)):
                    continue
                seen.add(i)
                if max(self.postings[t].get(i, 0) for t in terms) != weight or not accept.course(i):
                    continue
                found.append((key, i))
                if len(found) == wanted:
                    return found
        return found

    def _scored(self, scores: dict[int, int], accept: _Acceptor, after: tuple[Any, ...] | None,
                wanted: int) -> list[tuple[Key, int]]:
        keyed = []
        for i, score in scores.items():
            start = accept.first_run_start(i)
            if start is None or not accept.course(i):
                continue
            key = (-score, start, self.docs[i]["id"])
            if after is None or key > tuple(after):
                keyed.append((key, i))
        return heapq.nsmallest(wanted, keyed)

    # --- preparation ------------------------------------------------------------------------------

    def _prepare(self, today: str) -> _Day:
        if self._day is not None and self._day.today == today:
            return self._day
        runs = [upcoming_runs(doc, today) for doc in self.docs]
        next_start = [r[0]["start"] if r else NO_START for r in runs]
        walk = sorted((run["start"], self.docs[i]["id"], i) for i, doc_runs in enumerate(runs) for run in doc_runs)
        self._day = _Day(today, runs, next_start, walk, {})
        return self._day

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

    def _scores(self, query_words: list[str]) -> dict[int, int]:
        total: dict[int, int] | None = None
        for word in query_words:
            word_scores: dict[int, int] = {}
            for term in self._prefix_matches(word) | self._prefix_matches(stem(word)):
                for i, weight in self.postings[term].items():
                    if word_scores.get(i, 0) < weight:
                        word_scores[i] = weight
            total = word_scores if total is None else {i: s + word_scores[i] for i, s in total.items()
                                                       if i in word_scores}
            if not total:
                return {}
        return total or {}

    def _prefix_matches(self, prefix: str) -> set[str]:
        start = bisect.bisect_left(self.vocabulary, prefix)
        return set(_take_prefixed(self.vocabulary, start, prefix))


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
    for term in vocabulary[start:]:
        if not term.startswith(prefix):
            return
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
