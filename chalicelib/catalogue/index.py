"""Where the search index lives: compressed chunks in DynamoDB, one build current at a time.

A container keeps the index it loaded. Each request reads the `catalogue` counter once (a strongly
consistent GetItem); when its build id differs from the one in memory, the container loads the new
build with one Query and no Scan. Writers publish a new build under a fresh id and switch the
counter conditionally, so concurrent writers never mix their chunks: the loser retries on the new
build and deletes what it wrote.

A build carries the documents, the stems of their words and the search's vocabulary lists
(synonyms and translations, R_CAT_07) as they are stored when it is written: a change to a list
publishes a new build, so the list reaches every container with the build id and a search never
reads the lists themselves.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import secrets
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib.catalogue.search_rules import CatalogueIndex
from chalicelib.catalogue.text_rules import WEIGHT_SCALE, stem
from chalicelib.catalogue.vocabulary_rules import LIST_NAMES, SearchLists, default_lists
from chalicelib.models import CatalogueChunk, Counter, SearchList, plain

COUNTER_NAME = "catalogue"
CHUNK_BYTES = 350_000
MAX_ATTEMPTS = 5
FORMAT = 2  # 2: BM25F weights in tenths, with the lists; before: summed field weights, no lists
# How `use_cases.index_doc` makes a document. Raise it with every change to what a document holds or how its
# words weigh: the pointer states the version its build's documents were made by, and migration 0013
# rebuilds a build made by an older one (R_OPS_04). A build whose pointer states none was made by 1.
# 2: the audience a title or summary ends by naming is its own field (issue 27); 3: vanaf and vanuit are stop words;
# 4: a root's ge after be-, ver-, ont- or her- stays in the stem (begeleiden is no longer beleid), stems made afresh;
# 5: an abbreviation written with dots is one word (a.v.g. is avg); 6: the e of e-mail is no word; 7: a letter
# and an apostrophe start the word they are written on (A'dam is adam).
DOC_VERSION = 7

_cached: CatalogueIndex | None = None


class IndexBusy(Exception):
    """Too many concurrent writers; the caller may retry."""


def current() -> CatalogueIndex:
    """The current index, with at most one read when this container already has it."""
    return _loaded(_read_pointer())


def docs_version(pointer: dict[str, Any]) -> int:
    """The DOC_VERSION the documents of the pointer's build were made by."""
    return int(pointer.get("docs", 1))


def _loaded(pointer: dict[str, Any]) -> CatalogueIndex:
    global _cached
    build_id = str(pointer.get("build_id", ""))
    if _cached is not None and _cached.version == build_id:
        return _cached
    with _collector_paused():
        if build_id:
            docs, stems, lists = _load_build(build_id, int(pointer.get("chunks", 0)))
        else:
            docs, stems, lists = [], None, None
        _cached = CatalogueIndex(build_id, docs, stems, lists)
    return _cached


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Decoding and indexing a build makes a million objects and no reference cycles; the cyclic
    garbage collector would scan everything alive (the old build too) many times over meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def update(change: Callable[[dict[str, dict[str, Any]]], None], *, all_made_now: bool = False) -> CatalogueIndex:
    """Apply `change` to {course_id: doc} and publish the result, with the stored lists, as the new build.
    `all_made_now`: `change` replaces every document with one made by this code; otherwise the build keeps
    the version of the documents it started from (those it did not change were made by that code)."""
    for _ in range(MAX_ATTEMPTS):
        pointer = _read_pointer()
        base = _loaded(pointer)
        docs = {doc["id"]: doc for doc in base.docs}
        change(docs)
        version = DOC_VERSION if all_made_now or not base.docs else docs_version(pointer)
        lists = read_lists()
        # documents all made by this code get their stems from it too; else a word keeps the stem it had
        build_id, chunks = _write_build(list(docs.values()), {} if all_made_now else base.stems, lists)
        if _switch(base.version, build_id, chunks, version, lists.digest()):
            _delete_build(base.version)
            return current()
        _delete_build(build_id)
    raise IndexBusy()


def publish_lists() -> CatalogueIndex:
    """A new build of the same documents with the lists as now stored (after CFB changed one)."""
    return update(lambda docs: None)


def read_lists() -> SearchLists:
    """The stored lists (one BatchGetItem); a list CFB never saved is the maintained default."""
    stored = {item.name: json.loads(item.entries) for item in SearchList.batch_get(LIST_NAMES, consistent_read=True)}
    defaults = default_lists().payload()
    return SearchLists.from_payload({name: stored.get(name, defaults[name]) for name in LIST_NAMES})


def replace_all(docs: list[dict[str, Any]]) -> CatalogueIndex:
    """Rebuild from scratch (benchmarks, a repair)."""

    def replace(current_docs: dict[str, dict[str, Any]]) -> None:
        current_docs.clear()
        current_docs.update({d["id"]: d for d in docs})

    return update(replace, all_made_now=True)


def lists_behind(pointer: dict[str, Any]) -> bool:
    """Whether the pointer's build carries other lists than those stored now: new code brought other default
    lists, or a list was saved while its publish failed (migration 0014 rebuilds it). A build whose pointer
    names no lists was made before the pointer did."""
    return bool(pointer.get("build_id")) and pointer.get("lists") != read_lists().digest()


def forget_cache() -> None:
    global _cached
    _cached = None


def _read_pointer() -> dict[str, Any]:
    """{"build_id", "chunks", "docs", "lists"} of the current build, or {} before the first import."""
    try:
        return plain(Counter.get(COUNTER_NAME, consistent_read=True).extra)
    except Counter.DoesNotExist:
        return {}


def _load_build(build_id: str, expected_chunks: int) -> tuple[list[dict[str, Any]], dict[str, str] | None,
                                                                SearchLists | None]:
    """The documents, stem table and lists of a build (older builds lack the lists, or the stems)."""
    parts = [bytes(c.data) for c in CatalogueChunk.query(build_id, consistent_read=True)]
    if len(parts) != expected_chunks:
        # the build was replaced and deleted while we read it: read the newer one
        forget_cache()
        newer = current()
        return newer.docs, newer.stem_table(), newer.lists
    payload = json.loads(zlib.decompress(b"".join(parts))) if parts else []
    if isinstance(payload, list):
        return _rescaled(payload), None, None
    if payload.get("format") != FORMAT:
        return _rescaled(payload["docs"]), payload["stems"], None
    return payload["docs"], payload["stems"], SearchLists.from_payload(payload["lists"])


def _rescaled(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A build of before the BM25F weights: its summed field weights on the new scale (until a rebuild)."""
    for doc in docs:
        doc["terms"] = {term: weight * WEIGHT_SCALE for term, weight in doc["terms"].items()}
    return docs


def _write_build(docs: list[dict[str, Any]], known_stems: dict[str, str], lists: SearchLists) -> tuple[str, int]:
    """Publish documents with the stems of their words and the lists, so a loading container stems nothing.

    Stems the previous build knew are reused; only new words go through the stemmer.
    """
    build_id = secrets.token_hex(8)
    stems: dict[str, str] = {}
    for doc in docs:
        for term in itertools.chain(doc["terms"], doc.get("meta", ())):
            if term not in stems and term.isalpha():
                stems[term] = known_stems.get(term) or stem(term)
    body = {"format": FORMAT, "docs": docs, "stems": {term: s for term, s in stems.items() if s != term},
            "lists": lists.payload()}
    payload = zlib.compress(json.dumps(body, separators=(",", ":")).encode(), 6)
    pieces = [payload[i:i + CHUNK_BYTES] for i in range(0, len(payload), CHUNK_BYTES)] or [b""]
    with CatalogueChunk.batch_write() as batch:
        for number, piece in enumerate(pieces):
            batch.save(CatalogueChunk(build_id, number, data=piece))
    return build_id, len(pieces)


def _switch(old_build: str, new_build: str, chunks: int, docs: int, lists: str) -> bool:
    counter = Counter(COUNTER_NAME)
    condition = Counter.name.does_not_exist() if not old_build else Counter.extra["build_id"] == old_build
    try:
        counter.update(
            actions=[Counter.value.add(1), Counter.extra.set({"build_id": new_build, "chunks": chunks, "docs": docs,
                                                                "lists": lists})],
            condition=condition,
        )
    except UpdateError as err:
        if getattr(err, "cause_response_code", None) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def _delete_build(build_id: str) -> None:
    if not build_id:
        return
    with CatalogueChunk.batch_write() as batch:
        for chunk in CatalogueChunk.query(build_id, attributes_to_get=["build_id", "chunk"]):
            batch.delete(chunk)
