"""Where the search index lives: compressed chunks in DynamoDB, one build current at a time.

A container keeps the index it loaded. Each request reads the `catalogue` counter once (a strongly
consistent GetItem); when its build id differs from the one in memory, the container loads the new
build with one Query and no Scan. Writers publish a new build under a fresh id and switch the
counter conditionally, so concurrent writers never mix their chunks: the loser retries on the new
build and deletes what it wrote.
"""

from __future__ import annotations

import json
import secrets
import zlib
from collections.abc import Callable
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib.catalogue.search_rules import CatalogueIndex, stem
from chalicelib.models import CatalogueChunk, Counter, plain

COUNTER_NAME = "catalogue"
CHUNK_BYTES = 350_000
MAX_ATTEMPTS = 5

_cached: CatalogueIndex | None = None


class IndexBusy(Exception):
    """Too many concurrent writers; the caller may retry."""


def current() -> CatalogueIndex:
    """The current index, with at most one read when this container already has it."""
    global _cached
    pointer = _read_pointer()
    build_id = str(pointer.get("build_id", ""))
    if _cached is not None and _cached.version == build_id:
        return _cached
    docs, stems = _load_build(build_id, int(pointer.get("chunks", 0))) if build_id else ([], None)
    _cached = CatalogueIndex(build_id, docs, stems)
    return _cached


def update(change: Callable[[dict[str, dict[str, Any]]], None]) -> CatalogueIndex:
    """Apply `change` to {course_id: doc} and publish the result as the new current build."""
    for _ in range(MAX_ATTEMPTS):
        base = current()
        docs = {doc["id"]: doc for doc in base.docs}
        change(docs)
        build_id, chunks = _write_build(list(docs.values()), base.stems)
        if _switch(base.version, build_id, chunks):
            _delete_build(base.version)
            return current()
        _delete_build(build_id)
    raise IndexBusy()


def replace_all(docs: list[dict[str, Any]]) -> CatalogueIndex:
    """Rebuild from scratch (benchmarks, a repair)."""

    def replace(current_docs: dict[str, dict[str, Any]]) -> None:
        current_docs.clear()
        current_docs.update({d["id"]: d for d in docs})

    return update(replace)


def forget_cache() -> None:
    global _cached
    _cached = None


def _read_pointer() -> dict[str, Any]:
    """{"build_id", "chunks"} of the current build, or {} before the first import."""
    try:
        return plain(Counter.get(COUNTER_NAME, consistent_read=True).extra)
    except Counter.DoesNotExist:
        return {}


def _load_build(build_id: str, expected_chunks: int) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
    """The documents and the stem table of a build (a build of before R_CAT_07 holds documents only)."""
    parts = [bytes(c.data) for c in CatalogueChunk.query(build_id, consistent_read=True)]
    if len(parts) != expected_chunks:
        # the build was replaced and deleted while we read it: read the newer one
        forget_cache()
        newer = current()
        return newer.docs, newer.stem_table()
    payload = json.loads(zlib.decompress(b"".join(parts))) if parts else []
    if isinstance(payload, list):
        return payload, None
    return payload["docs"], payload["stems"]


def _write_build(docs: list[dict[str, Any]], known_stems: dict[str, str]) -> tuple[str, int]:
    """Publish documents with the stems of their words, so a container loading it stems nothing.

    Stems the previous build knew are reused; only new words go through the stemmer.
    """
    build_id = secrets.token_hex(8)
    stems: dict[str, str] = {}
    for doc in docs:
        for term in doc["terms"]:
            if term not in stems and term.isalpha():
                stems[term] = known_stems.get(term) or stem(term)
    body = {"docs": docs, "stems": {term: s for term, s in stems.items() if s != term}}
    payload = zlib.compress(json.dumps(body, separators=(",", ":")).encode(), 6)
    pieces = [payload[i:i + CHUNK_BYTES] for i in range(0, len(payload), CHUNK_BYTES)] or [b""]
    with CatalogueChunk.batch_write() as batch:
        for number, piece in enumerate(pieces):
            batch.save(CatalogueChunk(build_id, number, data=piece))
    return build_id, len(pieces)


def _switch(old_build: str, new_build: str, chunks: int) -> bool:
    counter = Counter(COUNTER_NAME)
    condition = Counter.name.does_not_exist() if not old_build else Counter.extra["build_id"] == old_build
    try:
        counter.update(
            actions=[Counter.value.add(1), Counter.extra.set({"build_id": new_build, "chunks": chunks})],
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
