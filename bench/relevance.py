"""Search relevance on judged queries (R_CAT_07), split into a tuning half and a held-out half.

Two catalogues go through the EDU-DEX mapping and the same index documents as an import:
- the demo catalogue (devstack/demo_catalogue.py) with the 77 queries of `relevance/queries.json`,
  graded by hand; the search rules were fitted to these, so all of them are in the tuning half;
- a second, generated catalogue of 1,200 programs (bench/relevance_catalogue.py) with 176 queries
  in `relevance/tuning.json` and `relevance/heldout.json`, graded from what each program is about.
How the held-out half was written and why it can be trusted: `relevance/README.md`. Its files and
the generator are frozen: `search_heldout_frozen` fails when their checksum changes. A second
held-out set, `relevance/heldout2.json` (99 queries over the same catalogue), was written by an
outside judge blind to the search code and the other sets; it is reported as `_heldout2` and frozen
the same way (`search_heldout2_frozen`). A third, `relevance/heldout3.json` (176 queries), was written the
same way and is reported as `_heldout3` (`search_heldout3_frozen`); a fourth, `relevance/heldout4.json` (176
queries), likewise as `_heldout4` (`search_heldout4_frozen`).

Each query is searched as a viewer who may see every course. What is evaluated is the page a
person sees: the results, or when there are none, the results of the first "Bedoelde u"
suggestion (a person clicks it). Reported per half, overall and per query class: nDCG@10 (gain
2^grade - 1), recall@10 (grade 1 or 2 counts as relevant), MRR@10 and the queries that show no
course at all; for the project's search and, in the same run, for two baselines over the same
texts (name, summary, search words, description, supplier, theme, cities of upcoming runs): BM25
(`rank_bm25`) over Snowball stems, and the same BM25 with typo expansion (a query word the corpus
does not have is replaced by the corpus words within R_CAT_07's typo distance).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bench import Metric

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "bench" / "relevance"
DEMO_QUERIES = FOLDER / "queries.json"
TUNING = FOLDER / "tuning.json"
HELDOUT = FOLDER / "heldout.json"
HELDOUT2 = FOLDER / "heldout2.json"
HELDOUT3 = FOLDER / "heldout3.json"
HELDOUT4 = FOLDER / "heldout4.json"
GENERATOR = ROOT / "bench" / "relevance_catalogue.py"
# sha256 over heldout.json and the generator, as committed before any rule was tuned on them.
FROZEN = "88ba517e148e2e3f1925c61437f2b86729021ad563da06b93c7ae3bf2e7d68e5"
# sha256 over heldout2.json and the generator, as committed before heldout2 was ever scored.
FROZEN2 = "1cd5e5fc2515d3a06f263560358576bebf6bc3c6c81bcb6c2613bab17cb8937e"
# sha256 over heldout3.json and the generator, as committed before heldout3 was ever scored.
FROZEN3 = "b34e5c92dd2f5616517709d28916fdf311572d9503302c74766a267c13aef29c"
# sha256 over heldout4.json and the generator, as committed before heldout4 was ever scored.
FROZEN4 = "65b50c638a6df3ddd3b95fa517154d52145b7851946d180ae2dc7197f40f644d"
NDCG_AIM = 0.8
HELDOUT_AIM = 0.88
CUTOFF = 10

Ranker = Callable[[str], tuple[list[str], bool]]  # query → (program ids best first, showed a course)


@dataclass(frozen=True)
class Judged:
    q: str
    cls: str
    grades: dict[str, int]
    catalogue: str  # "demo" or "second"


def relevance() -> Iterator[Metric]:
    today = date.today()
    demo_docs, demo_texts = _demo_documents(today)
    second_docs, second_texts, labels = _second_documents(today)
    tuning = _demo_judged() + _second_judged(TUNING, labels)
    heldout = _second_judged(HELDOUT, labels)
    heldout2 = _second_judged(HELDOUT2, labels)
    heldout3 = _second_judged(HELDOUT3, labels)
    heldout4 = _second_judged(HELDOUT4, labels)
    rankers = {
        "": {"demo": _project_ranker(demo_docs, today), "second": _project_ranker(second_docs, today)},
        "_bm25": {"demo": _bm25_ranker(demo_texts), "second": _bm25_ranker(second_texts)},
        "_bm25_typo": {"demo": _bm25_ranker(demo_texts, typos=True),
                       "second": _bm25_ranker(second_texts, typos=True)},
    }
    frozen = _frozen_digest(HELDOUT) == FROZEN
    yield Metric("search_heldout_frozen", frozen, ok=frozen)
    frozen2 = _frozen_digest(HELDOUT2) == FROZEN2
    yield Metric("search_heldout2_frozen", frozen2, ok=frozen2)
    frozen3 = _frozen_digest(HELDOUT3) == FROZEN3
    yield Metric("search_heldout3_frozen", frozen3, ok=frozen3)
    frozen4 = _frozen_digest(HELDOUT4) == FROZEN4
    yield Metric("search_heldout4_frozen", frozen4, ok=frozen4)
    for half, judged, aim in (("_tuning", tuning, NDCG_AIM), ("_heldout", heldout, HELDOUT_AIM),
                              ("_heldout2", heldout2, HELDOUT_AIM), ("_heldout3", heldout3, HELDOUT_AIM),
                              ("_heldout4", heldout4, HELDOUT_AIM)):
        figures = {name: _evaluate(judged, by_catalogue) for name, by_catalogue in rankers.items()}
        yield from _half_metrics(half, figures, aim, strict_zero=half != "_tuning")
        yield Metric(f"search_relevance_queries{half}", len(judged))
    demo = _evaluate([j for j in tuning if j.catalogue == "demo"], rankers[""])
    yield Metric("search_ndcg10_demo", demo["ndcg"])


def _half_metrics(half: str, figures: dict[str, dict[str, Any]], aim: float, strict_zero: bool) -> Iterator[Metric]:
    mine = figures[""]
    baselines = [figures[name] for name in figures if name]
    better = all(mine["by_class"]["ndcg"][c] > other["by_class"]["ndcg"][c]
                 for other in baselines for c in mine["by_class"]["ndcg"])
    above = all(mine["ndcg"] > other["ndcg"] for other in baselines)
    for suffix, result in figures.items():
        good = suffix != "" or (result["ndcg"] >= aim and above and better)
        yield Metric(f"search_ndcg10{half}{suffix}", result["ndcg"], ok=good)
        yield Metric(f"search_recall10{half}{suffix}", result["recall"])
        yield Metric(f"search_mrr{half}{suffix}", result["mrr"])
        for metric, name in (("ndcg", "search_ndcg10"), ("recall", "search_recall10"), ("mrr", "search_mrr")):
            yield Metric(f"{name}_by_class{half}{suffix}", result["by_class"][metric])
        zero_ok = suffix != "" or not strict_zero or result["empty"] == 0
        yield Metric(f"search_zero_result_queries{half}{suffix}", result["empty"], ok=zero_ok)


def _frozen_digest(heldout: Path) -> str:
    digest = hashlib.sha256()
    for path in (heldout, GENERATOR):
        digest.update(path.read_bytes())
    return digest.hexdigest()


# --- the judged sets -----------------------------------------------------------------------------


def _demo_judged() -> list[Judged]:
    return [Judged(item["q"], item["class"], item["grades"], "demo")
            for item in json.loads(DEMO_QUERIES.read_text())["queries"]]


def _second_judged(path: Path, labels: list[Any]) -> list[Judged]:
    from bench.relevance_catalogue import grades

    return [Judged(item["q"], item["class"], grades(item["intent"], labels), "second")
            for item in json.loads(path.read_text())["queries"]]


# --- catalogues as the import indexes them ----------------------------------------------------------


def _demo_documents(today: date) -> tuple[list[dict[str, Any]], dict[str, str]]:
    from devstack.demo_catalogue import documents
    from devstack.seed import suppliers

    names = {supplier.supplier_id: supplier.name for supplier in suppliers()}
    return _documents(documents(today), names, today)


def _second_documents(today: date) -> tuple[list[dict[str, Any]], dict[str, str], list[Any]]:
    from bench.relevance_catalogue import generate

    documents, names, labels = generate(today)
    docs, texts = _documents(documents, names, today)
    return docs, texts, labels


def _documents(documents: list[tuple[str, str, dict[str, Any]]], supplier_names: dict[str, str],
               today: date) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Index documents as the import makes them, and the same texts for the baselines (by program id)."""
    from chalicelib.catalogue import use_cases as catalogue
    from chalicelib.catalogue.edudex_map import THEME_LABELS, to_course
    from chalicelib.models import Course, Execution, Supplier

    suppliers = {sid: Supplier(sid, name=name, kind="intern") for sid, name in supplier_names.items()}
    docs, texts = [], {}
    for supplier_id, program_id, document in documents:
        data = to_course(document, supplier_id)
        supplier = suppliers[supplier_id]
        course = Course(program_id, supplier_id=supplier_id, program_id=program_id, name=data.name,
                        summary=data.summary, description=data.description, search_words=data.search_words,
                        theme=data.theme, open_for=set(data.open_for) if data.open_for else None,
                        updated_at=data.last_edited)
        runs = [Execution(program_id, run.run_id, status=run.status, start_day=run.start_day, end_day=run.end_day,
                          city=run.city, online=run.online, price_cents=run.price_cents) for run in data.runs]
        docs.append(catalogue.index_doc(course, supplier, runs))
        cities = [run.city for run in data.runs if run.city and run.status != "cancelled"
                  and run.start_day >= today.isoformat()]
        texts[program_id] = " ".join(filter(None, [data.name, data.summary, *data.search_words, data.description,
                                                   supplier.name, THEME_LABELS.get(data.theme or ""), *cities]))
    return docs, texts


# --- rankers -------------------------------------------------------------------------------------


def _project_ranker(docs: list[dict[str, Any]], today: date) -> Ranker:
    """The page a person sees: the results (those of a strong suggestion when the query found nothing,
    as the page says), else those of the first suggestion ("Bedoelde u")."""
    from chalicelib.catalogue.search_rules import CatalogueIndex, Filters

    index = CatalogueIndex("relevance", docs)
    everyone = frozenset(code for doc in docs for code in doc.get("open_for") or ())
    day = today.isoformat()

    def rank(query: str) -> tuple[list[str], bool]:
        answer = index.answer(query, Filters(), everyone, day, limit=CUTOFF)
        found = [item["course_id"] for item in answer.page.items]
        if found or not answer.suggestions:
            return found, bool(found)
        clicked = index.answer(answer.suggestions[0], Filters(), everyone, day, limit=CUTOFF)
        return [item["course_id"] for item in clicked.page.items], False

    return rank


def _bm25_ranker(texts: dict[str, str], typos: bool = False) -> Ranker:
    from rank_bm25 import BM25Okapi

    from chalicelib.catalogue.text_rules import levenshtein, stem, typo_allowed, typo_budget, words

    ids = list(texts)
    tokens = {i: words(texts[i]) for i in ids}
    bm25 = BM25Okapi([[stem(w) for w in tokens[i]] for i in ids])
    vocabulary = sorted({w for ws in tokens.values() for w in ws})
    stems = {stem(w) for w in vocabulary}

    def expand(word: str) -> list[str]:
        if not typos or stem(word) in stems or not typo_budget(word):
            return [stem(word)]
        budget = typo_budget(word)
        near = [stem(w) for w in vocabulary if typo_allowed(word, w) and levenshtein(word, w, budget) <= budget]
        return sorted(set(near)) or [stem(word)]

    def rank(query: str) -> tuple[list[str], bool]:
        query_tokens = [token for word in words(query) for token in expand(word)]
        scores = bm25.get_scores(query_tokens) if query_tokens else [0.0] * len(ids)
        ranked = sorted((-float(s), n) for n, s in enumerate(scores) if s > 0)
        found = [ids[n] for _, n in ranked[:CUTOFF]]
        return found, bool(found)

    return rank


# --- measures ------------------------------------------------------------------------------------


def _evaluate(judged: list[Judged], rankers: dict[str, Ranker]) -> dict[str, Any]:
    rows: list[tuple[str, float, float, float]] = []
    empty = 0
    for item in judged:
        found, shown = rankers[item.catalogue](item.q)
        found = found[:CUTOFF]
        empty += not shown
        rows.append((item.cls, ndcg(found, item.grades), recall(found, item.grades),
                     reciprocal_rank(found, item.grades)))
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
