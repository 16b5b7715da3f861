"""The in-memory catalogue search (R_CAT_02-04, R_VIS_01). Pure: documents in, results out.

Text is folded (case, accents, ij), Dutch stop words are dropped and a light Dutch stemmer maps
plurals onto their stem. Every query word must match some word of the course by prefix. A hit in
the name weighs more than one in the summary or search words, which weighs more than one in the
description; ties go to the earliest upcoming start date. Pagination is by keyset, so pages
never repeat or skip a course while the catalogue stays the same.
"""

from __future__ import annotations

import bisect
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


class CatalogueIndex:
    """Built once per catalogue version per container; answers searches without I/O."""

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

    def doc(self, course_id: str) -> dict[str, Any] | None:
        i = self.by_id.get(course_id)
        return None if i is None else self.docs[i]

    def search(
        self,
        query: str,
        filters: Filters,
        viewer_org: str | None,
        today: str,
        sort: str = "relevance",
        after: tuple[Any, ...] | None = None,
        limit: int = 20,
    ) -> Page:
        scores = self._scores(query)
        candidates = range(len(self.docs)) if scores is None else scores.keys()
        keyed = []
        for i in candidates:
            doc = self.docs[i]
            if not visible(doc, viewer_org) or not _passes(doc, filters):
                continue
            runs = upcoming_runs(doc, today, filters)
            if filters.restricts_runs() and not runs:
                continue
            start = runs[0]["start"] if runs else NO_START
            score = 0 if scores is None or sort == "start" else scores[i]
            keyed.append(((-score, start, doc["id"]), i, runs))
        keyed.sort(key=lambda entry: entry[0])
        if after is not None:
            position = bisect.bisect_right([entry[0] for entry in keyed], after)
            keyed = keyed[position:]
        page = keyed[:limit]
        items = [summary(self.docs[i], runs) for _, i, runs in page]
        next_after = page[-1][0] if len(keyed) > limit else None
        return Page(items, next_after)

    def _scores(self, query: str) -> dict[int, int] | None:
        query_words = words(query)
        if not query_words:
            return None
        total: dict[int, int] | None = None
        for word in query_words:
            matches = self._prefix_matches(word) | self._prefix_matches(stem(word))
            word_scores: dict[int, int] = {}
            for term in matches:
                for i, weight in self.postings[term].items():
                    if word_scores.get(i, 0) < weight:
                        word_scores[i] = weight
            if total is None:
                total = word_scores
            else:
                total = {i: s + word_scores[i] for i, s in total.items() if i in word_scores}
            if not total:
                return {}
        return total

    def _prefix_matches(self, prefix: str) -> set[str]:
        start = bisect.bisect_left(self.vocabulary, prefix)
        found: set[str] = set()
        for term in _take_prefixed(self.vocabulary, start, prefix):
            found.add(term)
        return found


def _take_prefixed(vocabulary: list[str], start: int, prefix: str) -> Iterator[str]:
    for term in vocabulary[start:]:
        if not term.startswith(prefix):
            return
        yield term


def visible(doc: dict[str, Any], viewer_org: str | None) -> bool:
    """R_CAT_02: a course limited to organisations is seen only by their employees."""
    open_for = doc.get("open_for")
    return not open_for or (viewer_org is not None and viewer_org in open_for)


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
