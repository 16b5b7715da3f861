"""R_CAT_02 and R_CAT_04: the fast search paths give exactly what a brute-force search gives.

A reference implementation scores every course the slow, obvious way; random catalogues, queries,
filters, viewers and page sizes must produce the same pages, with no duplicates or gaps.
"""

from __future__ import annotations

import random

import pytest

from chalicelib.catalogue.search_rules import (
    NO_START,
    CatalogueIndex,
    Filters,
    document_terms,
    fold,
    stem,
    upcoming_runs,
    words,
)

TODAY = "2027-01-01"
VOCAB = ["project", "projectplan", "leiderschap", "data", "veiligheid", "veilig", "cursussen", "privacy",
         "schrijven", "beleid", "proces", "procesmanagement", "agile"]
CITIES = ["Utrecht", "Den Haag", "Zwolle"]


def _doc(rng: random.Random, i: int) -> dict:
    name = " ".join(rng.sample(VOCAB, 2))
    text = " ".join(rng.sample(VOCAB, 2))
    desc = " ".join(rng.sample(VOCAB, 3))
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
        "runs": runs, "terms": document_terms({"name": [name], "text": [text], "desc": [desc]}),
    }


def _reference(docs, query, filters, viewer, sort):
    """Score every course; sort by (-score, first matching start, id)."""
    qwords = words(query)
    results = []
    for doc in docs:
        if doc["open_for"] and not (viewer and viewer & set(doc["open_for"])):
            continue
        if any(v is not None and doc[k] != v for k, v in
               (("theme", filters.theme), ("supplier_id", filters.supplier), ("kind", filters.kind))):
            continue
        score = 0
        for word in qwords:
            best = max((w for term, w in doc["terms"].items() if term.startswith(word) or term.startswith(stem(word))),
                       default=0)
            if best == 0:
                break
            score += best
        else:
            runs = [r for r in upcoming_runs(doc, TODAY) if
                    (filters.city is None or fold(r["city"] or "") == fold(filters.city))
                    and (filters.online is None or r["online"] == filters.online)
                    and (filters.date_from is None or r["start"] >= filters.date_from)
                    and (filters.date_to is None or r["start"] <= filters.date_to)]
            if filters.restricts_runs() and not runs:
                continue
            start = runs[0]["start"] if runs else NO_START
            results.append(((0 if sort == "start" else -score, start, doc["id"]), doc["id"]))
    return [course_id for _, course_id in sorted(results)]


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
def test_R_CAT_04_every_strategy_matches_the_reference_across_pages(seed):
    rng = random.Random(seed)
    docs = [_doc(rng, i) for i in range(rng.randint(20, 120))]
    index = CatalogueIndex("v1", docs)
    for _ in range(25):
        query = rng.choice(["", "", "project", "pro", "veilig", "cursus", "data beleid", "zzz", "leider proces"])
        filters = rng.choice([
            Filters(), Filters(), Filters(theme="T1"), Filters(city="utrecht"), Filters(online=True),
            Filters(date_from="2027-02-01", date_to="2027-02-28"), Filters(kind="intern", supplier="s1"),
        ])
        viewer = rng.choice([None, frozenset({"BZK"}), frozenset({"FIN"})])
        sort = rng.choice(["relevance", "start"])
        limit = rng.choice([1, 3, 7, 50])
        expected = _reference(docs, query, filters, viewer, sort)
        assert _all_pages(index, query, filters, viewer, sort, limit) == expected, (query, filters, viewer, sort, limit)


def test_R_CAT_04_stems_and_folds():
    assert stem("cursussen") == "cursus"
    assert stem("vaardigheden") == "vaardigheid"
    assert stem("trainingen") == "training"
    assert words("De Financiële cursussen, van het Rijk!") == ["financiele", "cursussen", "rijk"]
