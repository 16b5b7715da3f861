"""Check a new judged set before it is committed: `python -m bench.relevance_intents bench/relevance/dev4.json`
(R_CAT_07).

For each query of the given set over the second catalogue it checks only that the intent names the generator's
vocabulary (topics, audiences, facets, levels, cities and the intent's own keys) and grades at least one program 2,
and which of the set's queries occur verbatim (case, accents, punctuation and spacing folded) in another judged
set. It prints the set's own queries that fail, never another set's queries, and never runs the search, so an
outside judge can use it and stay blind.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from bench.relevance import FOLDER
from bench.relevance_catalogue import AUDIENCES, CITIES, LEVELS, TOPICS, generate, grades
from chalicelib.catalogue.text_rules import fold

KEYS = {"topics", "any_topic", "audiences", "audience", "level", "facet", "city"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.relevance_intents", description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, help="the judged set, e.g. bench/relevance/dev4.json")
    args = parser.parse_args(argv)
    queries = json.loads(args.path.read_text())["queries"]
    _, _, labels = generate(date.today())
    problems = [f"{item['q']!r}: {problem}" for item in queries for problem in intent_problems(item["intent"], labels)]
    taken = _other_queries(args.path)
    collisions = [item["q"] for item in queries if normalise(item["q"]) in taken]
    print(f"{len(queries)} queries, {len(problems)} intent problems, {len(collisions)} in another set")
    for line in problems:
        print(f"  intent  {line}")
    for q in collisions:
        print(f"  taken   {q!r}")
    return 1 if problems or collisions else 0


def intent_problems(intent: dict[str, Any], labels: list[Any]) -> list[str]:
    topics = {topic.key for topic in TOPICS}
    facets = {facet for topic in TOPICS for facet in topic.facets}
    cities = {name for name, _ in CITIES}
    problems = [f"unknown key {key}" for key in sorted(set(intent) - KEYS)]
    problems += [f"unknown topic {key}" for key in sorted(set(intent.get("topics", {})) - topics)]
    problems += [f"unknown audience {key}" for key in sorted(set(intent.get("audiences", {})) - set(AUDIENCES))]
    for key, known in (("audience", set(AUDIENCES)), ("facet", facets), ("level", set(LEVELS)), ("city", cities)):
        if key in intent and intent[key] not in known:
            problems.append(f"unknown {key} {intent[key]}")
    if not problems and 2 not in grades(intent, labels).values():
        problems.append("grades no program 2")
    return problems


def normalise(query: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(query)).split())


def _other_queries(path: Path) -> set[str]:
    taken: set[str] = set()
    for other in sorted(FOLDER.glob("*.json")):
        if other.resolve() != path.resolve():
            taken.update(normalise(item["q"]) for item in json.loads(other.read_text())["queries"])
    return taken


if __name__ == "__main__":
    raise SystemExit(main())
