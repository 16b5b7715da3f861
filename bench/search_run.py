"""Worker for bench/search.py: seeds a catalogue on moto and measures the search mix.

Run in its own process (`python -m bench.search_run`) because the environment must be set before
chalicelib is imported. Prints one JSON document with the figures of each catalogue size.

Requests are timed with this process's CPU clock (`time.process_time`): the whole request runs in
this process (chalice's test client, moto, the search, tantivy), so its CPU time is the work done,
while wall time on this shared 2-core machine also counts other processes and swings by factors.
The index build and the cold load here are wall time; bench/search_base.py compares them with a base
commit on CPU time.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections import Counter as Tally
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.offline import use_moto  # noqa: E402

use_moto()

import botocore.client  # noqa: E402
from moto import mock_aws  # noqa: E402

SIZES = (1_000, 10_000)
RUNS_PER_COURSE = 5
WARMUP, SAMPLES = 5, 40
ENGINE_SAMPLES = 60
RARE_WORD = "zeldzaamheidstoets"
QUERY_MIX: dict[str, dict[str, str]] = {
    "common_word": {"q": "project"},
    "rare_word": {"q": RARE_WORD},
    "prefix_3": {"q": "vei"},
    "filters_only": {"theme": "T3", "city": "Utrecht"},
    "empty_by_start": {"sort": "start"},
    "typo_word": {"q": "leiderchap"},  # R_CAT_07: one edit from "leiderschap"
    "multi_word": {"q": "project leiderschap utrecht"},  # two words and a place
}
WORDS = ("project", "leiderschap", "data", "veiligheid", "communicatie", "integriteit", "financien", "inkoop",
         "privacy", "schrijven", "presenteren", "samenwerken", "beleid", "wetgeving", "coaching", "scrum",
         "verandering", "risico", "proces", "klant", "digitaal", "analyse", "taal", "vergaderen", "excel")
CITIES = ("Utrecht", "Den Haag", "Zwolle", "Amsterdam", "Eindhoven", "Groningen", "Maastricht")


class CallCounter:
    """Counts DynamoDB calls by purpose: business, auth (sessions, accounts) and log (event log)."""

    def __init__(self) -> None:
        self.tally: Tally[str] = Tally()
        self._original = botocore.client.BaseClient._make_api_call
        self.split_outbox = False  # count business calls after the first transaction as "outbox"
        self._committed = False

    def clear(self) -> None:
        self.tally.clear()
        self._committed = False

    def install(self) -> None:
        counter = self

        def counting(client: Any, operation: str, params: dict[str, Any]) -> Any:
            purpose = counter.purpose(operation, params)
            if purpose == "business" and counter.split_outbox and counter._committed:
                purpose = "outbox"
            if operation == "SendEmail":
                purpose = "ses"
            counter.tally[purpose] += 1
            if operation == "TransactWriteItems":
                counter._committed = True
            return counter._original(client, operation, params)

        botocore.client.BaseClient._make_api_call = counting

    @staticmethod
    def purpose(operation: str, params: dict[str, Any]) -> str:
        table = str(params.get("TableName", ""))
        key = json.dumps(params.get("Key", {}))
        if table.endswith(("event-log",)) or "event-log" in key:
            return "log"
        if table.endswith(("sessions", "accounts", "api-keys")):
            return "auth"
        return "scan" if operation == "Scan" else "business"


def _course_docs(n: int, today: date) -> Iterator[tuple[Any, list[Any]]]:
    from chalicelib.models import Course, Execution
    from chalicelib.platform import clock

    rng = random.Random(n)
    for i in range(n):
        course_id = f"c{i:06d}"
        words = rng.sample(WORDS, 4)
        name = f"{words[0].capitalize()} en {words[1]} {i}"
        rare = f" {RARE_WORD}" if i == n // 2 + 1 else ""  # in one course every visitor sees (i % 10 != 0)
        description = f"Over {words[2]} en {words[3]}.{rare}"
        course = Course(course_id, supplier_id=f"sup-{i % 40}", program_id=f"P{i}", kind="intern" if i % 3 else
                        "extern", status="active", name=name, summary=f"Training {words[1]}",
                        description=description, search_words=[words[3]], theme=f"T{1 + i % 11}",
                        updated_at=clock.now(), open_for={"BZK"} if i % 10 == 0 else None)
        runs = []
        for k in range(RUNS_PER_COURSE):
            start = today + timedelta(days=1 + (i * 7 + k * 53) % 360)
            runs.append(Execution(course_id, f"r{k}", supplier_id=course.supplier_id, status="open",
                                  start_day=start.isoformat(), end_day=start.isoformat(),
                                  city=CITIES[(i + k) % len(CITIES)], price_cents=10_000 + i % 900 * 100,
                                  seats=20, seats_taken=0))
        yield course, runs


def _seed(n: int) -> tuple[float, dict[str, dict[str, str]]]:
    """Seeds n courses; returns the index build time in ms (index documents, publish, load) and the
    texts of each course's fields (for tantivy)."""
    from chalicelib.catalogue import index as catalogue_index
    from chalicelib.catalogue import use_cases as catalogue
    from chalicelib.catalogue.edudex_map import THEME_LABELS
    from chalicelib.models import Course, Execution, Supplier

    today = datetime.now(UTC).date()
    suppliers = {f"sup-{s}": Supplier(f"sup-{s}", name=f"Opleider {s}", kind="intern", contact_email="x@y.example",
                                      created_at=datetime.now(UTC)) for s in range(40)}
    stored = []
    with Course.batch_write() as courses, Execution.batch_write() as executions:
        for course, runs in _course_docs(n, today):
            courses.save(course)
            for run in runs:
                executions.save(run)
            stored.append((course, runs))
    started = time.perf_counter()
    docs = [catalogue.index_doc(course, suppliers[course.supplier_id], runs) for course, runs in stored]
    catalogue_index.replace_all(docs)
    build_ms = (time.perf_counter() - started) * 1000
    texts = {course.course_id: {
        "name": course.name, "words": " ".join(course.search_words or []), "summary": course.summary or "",
        "desc": " ".join([course.description or "", suppliers[course.supplier_id].name,
                          THEME_LABELS.get(course.theme or "", "")])} for course, _ in stored}
    return build_ms, texts


def _path(params: dict[str, str]) -> str:
    return "/courses?" + urlencode(params)


def _p50_ms(client: Any, path: str) -> float:
    for _ in range(WARMUP):
        client.http.get(path)
    samples = []
    for _ in range(SAMPLES):
        started = time.process_time()
        response = client.http.get(path)
        samples.append((time.process_time() - started) * 1000)
        assert response.status_code == 200, response.body
    return statistics.median(samples)


@contextmanager
def _fresh_aws() -> Iterator[None]:
    with mock_aws():
        from chalicelib import models
        from chalicelib.catalogue import index as catalogue_index

        for model in models.ALL_MODELS:
            model._connection = None
        catalogue_index.forget_cache()
        models.create_all_tables()
        yield


def measure(n: int, counter: CallCounter) -> dict[str, Any]:
    from chalice.test import Client

    from app import app
    from chalicelib.catalogue import index as catalogue_index

    common = _path(QUERY_MIX["common_word"])
    with _fresh_aws(), Client(app, project_dir=str(ROOT), stage_name="local") as client:
        build_ms, texts = _seed(n)
        catalogue_index.forget_cache()
        counter.tally.clear()
        started = time.perf_counter()
        assert client.http.get(common).status_code == 200
        cold_ms = (time.perf_counter() - started) * 1000
        cold_calls = counter.tally["business"]
        counter.tally.clear()
        client.http.get(common)
        warm = dict(counter.tally)
        counter.tally.clear()
        client.http.get(common + "&log=true")
        logged = dict(counter.tally)
        p50 = {name: _p50_ms(client, _path(params)) for name, params in QUERY_MIX.items()}
        engine, tantivy, first = _engine_p50s(catalogue_index.current(), texts)
    return {"p50_ms": p50, "build_ms": build_ms, "cold_ms": cold_ms, "cold_calls": cold_calls,
            "warm_calls": warm, "logged_calls": logged, "engine_p50_ms": engine, "tantivy_p50_ms": tantivy,
            "first_p50_ms": first}


def _engine_p50s(index: Any, texts: dict[str, dict[str, str]]) -> tuple[dict[str, float], ...]:
    """The search itself (no HTTP, no DynamoDB) and tantivy, class by class, timed alternately so that
    the load of the machine falls on both alike. Also the search as the first request for its words
    (`first`): the index's kept word expansions and result items dropped before each request."""
    from bench import search_tantivy

    today = datetime.now(UTC).date().isoformat()
    engine, schema = search_tantivy.build(index.docs, texts, today)
    theirs = search_tantivy.answers(engine, schema, QUERY_MIX)
    mine: dict[str, float] = {}
    other: dict[str, float] = {}
    first: dict[str, float] = {}
    for name, params in QUERY_MIX.items():
        ours = _engine_answer(index, params, today)
        for _ in range(WARMUP):
            ours()
            theirs[name]()
        samples: tuple[list[float], list[float], list[float]] = ([], [], [])
        for _ in range(ENGINE_SAMPLES):
            for answer, times in ((ours, samples[0]), (theirs[name], samples[1])):
                started = time.process_time()
                answer()
                times.append((time.process_time() - started) * 1000)
            index.forget_kept()
            started = time.process_time()
            ours()
            samples[2].append((time.process_time() - started) * 1000)
        mine[name], other[name], first[name] = (statistics.median(times) for times in samples)
    return mine, other, first


def _engine_answer(index: Any, params: dict[str, str], today: str) -> Any:
    """What a search request asks of the in-memory index (catalogue.use_cases.search_courses)."""
    from chalicelib.catalogue.search_rules import Filters

    filters = Filters(theme=params.get("theme"), city=params.get("city"))
    q, sort = params.get("q", ""), params.get("sort", "relevance")

    def answer() -> Any:
        page = index.search(q, filters, None, today, sort, None, 20)
        return page.items or (index.suggest(q, filters, None, today) if q else [])

    return answer


def main() -> None:
    counter = CallCounter()
    counter.install()
    print(json.dumps({str(n): measure(n, counter) for n in SIZES}))


if __name__ == "__main__":
    main()
