"""Search relevance on the judged query set (R_CAT_07): `bench/relevance/queries.json`.

The demo catalogue (devstack/demo_catalogue.py) goes through the EDU-DEX mapping and the same
index documents as an import; each judged query is searched as a viewer who may see every course.
Reported overall and per query class: nDCG@10 (gain 2^grade - 1), recall@10 (grade 1 or 2 counts
as relevant) and MRR@10, for the project's search and, in the same run, for a baseline: BM25
(`rank_bm25`) over Snowball-stemmed tokens of the same texts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from bench import Metric

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "bench" / "relevance" / "queries.json"
NDCG_AIM = 0.8
CUTOFF = 10

Ranker = Callable[[str], list[str]]  # query → program ids, best first


def relevance() -> Iterator[Metric]:
    judged = json.loads(QUERIES.read_text())["queries"]
    docs, texts = _demo_documents(date.today())
    ours = _project_ranker(docs)
    baseline = _bm25_ranker(texts)
    figures = {name: _evaluate(judged, ranker) for name, ranker in (("", ours), ("_bm25", baseline))}
    mine, theirs = figures[""], figures["_bm25"]
    better = all(mine["by_class"]["ndcg"][c] > theirs["by_class"]["ndcg"][c] for c in mine["by_class"]["ndcg"])
    for suffix, result in figures.items():
        good = suffix != "" or (result["ndcg"] >= NDCG_AIM and result["ndcg"] > theirs["ndcg"] and better)
        yield Metric(f"search_ndcg10{suffix}", result["ndcg"], ok=good)
        yield Metric(f"search_recall10{suffix}", result["recall"])
        yield Metric(f"search_mrr{suffix}", result["mrr"])
        for metric in ("ndcg", "recall", "mrr"):
            name = {"ndcg": "search_ndcg10", "recall": "search_recall10", "mrr": "search_mrr"}[metric]
            yield Metric(f"{name}_by_class{suffix}", result["by_class"][metric])
    yield Metric("search_relevance_queries", len(judged))
    yield Metric("search_zero_result_queries", mine["empty"])
    yield Metric("search_zero_result_queries_bm25", theirs["empty"])


def _demo_documents(today: date) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Index documents as the import makes them, and the same texts for the baseline (by program id)."""
    from chalicelib.catalogue import use_cases as catalogue
    from chalicelib.catalogue.edudex_map import THEME_LABELS, to_course
    from chalicelib.models import Course, Execution
    from devstack.demo_catalogue import documents
    from devstack.seed import suppliers

    by_id = {supplier.supplier_id: supplier for supplier in suppliers()}
    docs, texts = [], {}
    for supplier_id, program_id, document in documents(today):
        data = to_course(document, supplier_id)
        supplier = by_id[supplier_id]
        course = Course(program_id, supplier_id=supplier_id, program_id=program_id, name=data.name,
                        summary=data.summary, description=data.description, search_words=data.search_words,
                        theme=data.theme, open_for=set(data.open_for) if data.open_for else None,
                        updated_at=data.last_edited)
        runs = [Execution(program_id, run.run_id, status=run.status, start_day=run.start_day, end_day=run.end_day,
                          city=run.city, online=run.online, price_cents=run.price_cents) for run in data.runs]
        docs.append(catalogue.index_doc(course, supplier, runs))
        texts[program_id] = " ".join(filter(None, [data.name, data.summary, *data.search_words, data.description,
                                                   supplier.name, THEME_LABELS.get(data.theme or "")]))
    return docs, texts


def _project_ranker(docs: list[dict[str, Any]]) -> Ranker:
    from chalicelib.catalogue.search_rules import CatalogueIndex, Filters

    index = CatalogueIndex("relevance", docs)
    everyone = frozenset(code for doc in docs for code in doc.get("open_for") or ())
    today = date.today().isoformat()

    def rank(query: str) -> list[str]:
        page = index.search(query, Filters(), everyone, today, limit=CUTOFF)
        return [item["course_id"] for item in page.items]

    return rank


def _bm25_ranker(texts: dict[str, str]) -> Ranker:
    from rank_bm25 import BM25Okapi

    from chalicelib.catalogue.search_rules import stem, words

    ids = list(texts)
    corpus = [[stem(w) for w in words(texts[i])] for i in ids]
    bm25 = BM25Okapi(corpus)

    def rank(query: str) -> list[str]:
        tokens = [stem(w) for w in words(query)]
        scores = bm25.get_scores(tokens) if tokens else [0.0] * len(ids)
        ranked = sorted(((-float(s), n) for n, s in enumerate(scores) if s > 0))
        return [ids[n] for _, n in ranked[:CUTOFF]]

    return rank


def _evaluate(judged: list[dict[str, Any]], rank: Ranker) -> dict[str, Any]:
    rows: list[tuple[str, float, float, float]] = []
    empty = 0
    for item in judged:
        grades: dict[str, int] = item["grades"]
        found = rank(item["q"])[:CUTOFF]
        empty += not found
        rows.append((item["class"], ndcg(found, grades), recall(found, grades), reciprocal_rank(found, grades)))
    classes = sorted({row[0] for row in rows})

    def mean(values: list[float]) -> float:
        return round(sum(values) / len(values), 3) if values else 0.0

    values = {"ndcg": [(r[0], r[1]) for r in rows], "recall": [(r[0], r[2]) for r in rows],
              "mrr": [(r[0], r[3]) for r in rows]}
    by_class = {metric: {c: mean([v for k, v in pairs if k == c]) for c in classes}
                for metric, pairs in values.items()}
    return {**{metric: mean([v for _, v in pairs]) for metric, pairs in values.items()},
            "by_class": by_class, "empty": empty}


def ndcg(found: list[str], grades: dict[str, int]) -> float:
    dcg = sum((2 ** grades.get(doc, 0) - 1) / math.log2(rank + 2) for rank, doc in enumerate(found))
    ideal = sorted(grades.values(), reverse=True)[:CUTOFF]
    best = sum((2 ** g - 1) / math.log2(rank + 2) for rank, g in enumerate(ideal))
    return dcg / best if best else 0.0


def recall(found: list[str], grades: dict[str, int]) -> float:
    relevant = {doc for doc, g in grades.items() if g > 0}
    return len(relevant.intersection(found)) / len(relevant) if relevant else 0.0


def reciprocal_rank(found: list[str], grades: dict[str, int]) -> float:
    return next((1 / (rank + 1) for rank, doc in enumerate(found) if grades.get(doc, 0) > 0), 0.0)
