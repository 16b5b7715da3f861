"""The bench catalogue in tantivy (the Rust engine's Python binding, a dev dependency only).

The same index documents the search uses are indexed into tantivy with the same fields and
weights (name 6, search words 4, summary 3, description 2; Dutch Snowball stems, lower case,
accents folded), the theme and the cities of upcoming runs as exact terms and the first upcoming
start as a fast field. Each query class is answered the way a real engine would be asked: the
query text parsed (or the query built) on every request, the top 21 collected and each hit's
stored result item fetched, as the project's search builds its result items.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import tantivy

TEXT_FIELDS = {"name": 6.0, "words": 4.0, "summary": 3.0, "desc": 2.0}
WANTED = 21
Answer = Callable[[], list[str]]


def build(docs: list[dict[str, Any]], texts: dict[str, dict[str, str]], today: str) -> tuple[Any, Any]:
    """An in-memory tantivy index of `docs`; `texts`: per course id, the text of each field."""
    from chalicelib.catalogue.search_rules import NO_START, summary, upcoming_runs

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="nl")
    builder.add_text_field("theme", tokenizer_name="raw")
    builder.add_text_field("city", tokenizer_name="default")
    builder.add_integer_field("start", fast=True)
    builder.add_text_field("page", stored=True, tokenizer_name="raw", index_option="basic")
    schema = builder.build()
    index = tantivy.Index(schema)
    index.register_tokenizer("nl", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                             .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold())
                             .filter(tantivy.Filter.stemmer("dutch")).build())
    writer = index.writer(heap_size=100_000_000, num_threads=1)
    for doc in docs:
        runs = upcoming_runs(doc, today)
        start = runs[0]["start"] if runs else NO_START
        entry = tantivy.Document(id=doc["id"], theme=doc.get("theme") or "", start=_day_number(start),
                                 page=json.dumps(summary(doc, runs), separators=(",", ":")))
        for name in TEXT_FIELDS:
            entry.add_text(name, texts[doc["id"]][name])
        for city in {run["city"] for run in runs if run.get("city")}:
            entry.add_text("city", city)
        writer.add_document(entry)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, schema


def _day_number(day: str) -> int:
    return date.fromisoformat(day).toordinal()


def answers(index: Any, schema: Any, mix: dict[str, dict[str, str]]) -> dict[str, Answer]:
    """Per query class of the bench: a function answering it with tantivy (query, filters, sort)."""
    searcher = index.searcher()
    query = tantivy.Query
    should, must = tantivy.Occur.Should, tantivy.Occur.Must

    def text(words: str) -> Any:
        return index.parse_query(words, list(TEXT_FIELDS), field_boosts=TEXT_FIELDS)

    def per_field(make: Callable[[str], Any]) -> Any:
        return query.boolean_query([(should, query.boost_query(make(name), boost))
                                    for name, boost in TEXT_FIELDS.items()])

    def term(field_name: str, value: str) -> Any:
        return query.term_query(schema, field_name, value)

    def fetch(hits: list[Any]) -> list[str]:
        return [searcher.doc(address)["page"][0] for _, address in hits]

    def ranked(build_query: Callable[[], Any]) -> Answer:
        return lambda: fetch(searcher.search(build_query(), WANTED, count=False).hits)

    def by_start(build_query: Callable[[], Any]) -> Answer:
        return lambda: fetch(searcher.search(build_query(), WANTED, count=False, order_by_field="start",
                                             order=tantivy.Order.Asc).hits)

    def build_query(name: str, params: dict[str, str]) -> Callable[[], Any]:
        words = params.get("q", "")
        if name == "prefix_3":
            return lambda: per_field(lambda f: query.regex_query(schema, f, f"{words}.*"))
        if name == "typo_word":
            return lambda: per_field(
                lambda f: query.fuzzy_term_query(schema, f, words, distance=2, transposition_cost_one=False))
        if name == "filters_only":
            return lambda: query.boolean_query([(must, term("theme", params["theme"])),
                                                (must, term("city", params["city"].lower()))])
        if name == "empty_by_start":
            return query.all_query
        if name == "multi_word":  # the place narrows: every result has a run there and matches the other words
            subject, _, place = words.rpartition(" ")
            return lambda: query.boolean_query([(must, term("city", place)), (must, text(subject))])
        return lambda: text(words)

    return {name: (by_start if name in ("filters_only", "empty_by_start") else ranked)(build_query(name, params))
            for name, params in mix.items()}
