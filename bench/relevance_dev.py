"""Score the search on the development sets only: `python -m bench.relevance_dev` (R_CAT_07).

Prints nDCG@10, recall@10, MRR and the queries that show no course for the development sets over the second
catalogue (`relevance/dev.json`, `relevance/dev2.json` … `relevance/dev12.json`, `relevance/tuning.json`) and
`relevance/queries.json` (the demo catalogue), overall and per query class, next to BM25 and BM25 with typo
expansion over the same texts. It never opens the held-out files (`heldout.json`, `heldout2.json`,
`heldout3.json`, `heldout4.json`), so it can be run as often as tuning needs; `python -m bench relevance`
reports those, and is run once, by the lead, after tuning.

`--queries` also prints each query of the chosen sets with its nDCG@10 and the first results, for
looking at a development query; `--only dev tuning` limits the sets.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from typing import Any

from bench.relevance import (
    CUTOFF,
    DEMO_QUERIES,
    FOLDER,
    TUNING,
    Judged,
    Ranker,
    _bm25_ranker,
    _demo_documents,
    _demo_judged,
    _evaluate,
    _project_ranker,
    _second_documents,
    _second_judged,
    ndcg,
)

# the development sets over the second catalogue, by name: dev.json, dev2.json … dev12.json and tuning.json
SECOND_SETS = {"dev": FOLDER / "dev.json", **{f"dev{n}": FOLDER / f"dev{n}.json" for n in range(2, 13)},
               "tuning": TUNING}
SETS = {**SECOND_SETS, "demo": DEMO_QUERIES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.relevance_dev", description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=sorted(SETS), default=list(SETS))
    parser.add_argument("--queries", action="store_true", help="print every query's nDCG@10 and first results")
    parser.add_argument("--no-baselines", action="store_true", help="score only the project's search")
    args = parser.parse_args(argv)
    os.environ.setdefault("LEERRIJK_STAGE", "local")  # as `python -m bench`: measured on the local stage
    today = date.today()
    judged_sets, rankers = _load(args.only, today, baselines=not args.no_baselines)
    for name in args.only:
        judged = judged_sets[name]
        figures = {label: _evaluate(judged, by_catalogue) for label, by_catalogue in rankers.items()}
        print(_table(name, len(judged), figures))
        if args.queries:
            print(_per_query(judged, rankers["search"]))
    return 0


Rankers = dict[str, dict[str, Ranker]]  # ranker label → catalogue → ranker


def _load(names: list[str], today: date, baselines: bool) -> tuple[dict[str, list[Judged]], Rankers]:
    judged: dict[str, list[Judged]] = {}
    docs: dict[str, list[dict[str, Any]]] = {}
    texts: dict[str, dict[str, str]] = {}
    if "demo" in names:
        docs["demo"], texts["demo"] = _demo_documents(today)
        judged["demo"] = _demo_judged()
    if set(SECOND_SETS) & set(names):
        docs["second"], texts["second"], labels = _second_documents(today)
        for name, path in SECOND_SETS.items():
            if name in names:
                judged[name] = _second_judged(path, labels)
    rankers: Rankers = {"search": {c: _project_ranker(d, today) for c, d in docs.items()}}
    if baselines:
        rankers["bm25"] = {c: _bm25_ranker(t) for c, t in texts.items()}
        rankers["bm25_typo"] = {c: _bm25_ranker(t, typos=True) for c, t in texts.items()}
    return judged, rankers


def _table(name: str, count: int, figures: dict[str, dict[str, Any]]) -> str:
    labels = list(figures)
    classes = sorted(figures["search"]["by_class"]["ndcg"])
    lines = [f"== {name} ({count} queries): nDCG@10 (recall@10, MRR, no course shown)",
             f"{'':14}" + "".join(f"{label:>12}" for label in labels)]
    lines.append(f"{'overall':14}" + "".join(f"{figures[label]['ndcg']:>12.3f}" for label in labels))
    lines.append(f"{'recall@10':14}" + "".join(f"{figures[label]['recall']:>12.3f}" for label in labels))
    lines.append(f"{'mrr':14}" + "".join(f"{figures[label]['mrr']:>12.3f}" for label in labels))
    lines.append(f"{'no course':14}" + "".join(f"{figures[label]['empty']:>12}" for label in labels))
    for cls in classes:
        lines.append(f"{cls:14}" + "".join(f"{figures[label]['by_class']['ndcg'][cls]:>12.3f}" for label in labels))
    return "\n".join(lines)


def _per_query(judged: list[Judged], rankers: dict[str, Ranker]) -> str:
    lines = []
    for item in sorted(judged, key=lambda j: (j.cls, j.q)):
        found, shown = rankers[item.catalogue](item.q)
        found = found[:CUTOFF]
        marks = "".join(str(item.grades.get(doc, 0)) for doc in found)
        flag = "" if shown else "  (via suggestion / none)"
        lines.append(f"  {item.cls:12} {ndcg(found, item.grades):.2f}  {marks:10} {item.q}{flag}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
