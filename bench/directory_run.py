"""Worker for bench/directory.py: what a directory sync costs per changed program (R_DEX_01).

The local EDU-DEX emulator serves a catalog over HTTP (in this process, on a loopback port); the
catalogue, on moto, already holds every program of it. 100 of them change in the directory; the sync
then runs once. Measured twice: with 1,000 programs in all, and with ten times as many (10,000; a
100,000-program catalogue takes the better part of an hour to seed on moto on this machine).

Counted: the directory's HTTP requests (at the emulator), every DynamoDB call and the items they read
(`ScannedCount` of Query/Scan, found GetItems, BatchGetItem items: bench/orders_run.py's counter). The
container's search index is warm, as after the job's previous run; every import publishes the whole
index, whose size follows the catalogue (measured in bench/search.py), so its chunks are reported
beside. Printed as one JSON document.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from moto import mock_aws

from bench.orders_run import ItemCounter
from bench.search_run import ROOT  # noqa: F401  - sets the environment before chalicelib is imported

CHANGED = 100
PROGRAMS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
FACTOR = 10
SUPPLIERS = ("opleider-a", "opleider-b", "opleider-c", "opleider-d")
CATALOG = "0b6f3c52-7a51-4c1e-9d7e-2f4a7e0c9a11"
TOKEN = "bench-token"
BEFORE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _document(supplier: str, number: int, name: str, last_edited: datetime) -> dict[str, Any]:
    from devstack.edudex_builder import Run, program

    start = datetime.now(UTC).date() + timedelta(days=30 + number % 300)
    return program(supplier, f"P-{number}", name, "Een opleiding.", "Over het vak.",
                   runs=[Run(f"P-{number}-1", start, start, "Utrecht", price_eur="450.00")],
                   last_edited=last_edited.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _seed_catalogue(programs: int) -> None:
    """Every program as the catalogue holds it after an earlier sync: course, run and index document."""
    from chalicelib.catalogue import index as catalogue_index
    from chalicelib.catalogue import use_cases as catalogue
    from chalicelib.models import Course, Execution, Supplier

    suppliers = {s: Supplier(f"sup-{s}", name=s, kind="extern", contact_email=f"in@{s}.example", terms_version="1",
                             terms_accepted_at=BEFORE, created_at=BEFORE) for s in SUPPLIERS}
    docs = []
    with Course.batch_write() as courses, Execution.batch_write() as executions:
        for number in range(programs):
            org_unit = SUPPLIERS[number % len(SUPPLIERS)]
            supplier = suppliers[org_unit]
            course_id = catalogue.course_id_for(supplier.supplier_id, f"P-{number}")
            course = Course(course_id, supplier_id=supplier.supplier_id, program_id=f"P-{number}", kind="extern",
                            status="active", name=f"Opleiding {number}", summary="Een opleiding.",
                            description="Over het vak.", last_edited=BEFORE, last_change=BEFORE, updated_at=BEFORE)
            start = (BEFORE + timedelta(days=30 + number % 300)).date().isoformat()
            run = Execution(course.course_id, f"P-{number}-1", supplier_id=supplier.supplier_id, start_day=start,
                            end_day=start, city="Utrecht", price_cents=45000, seats=12, course_name=course.name)
            courses.save(course)
            executions.save(run)
            docs.append(catalogue.index_doc(course, supplier, [run]))
    for supplier in suppliers.values():
        supplier.save()
    catalogue_index.replace_all(docs)


def _connect(emulator: Any) -> None:
    import boto3

    from chalicelib.directory import admin, mapping
    from chalicelib.directory.client import token_parameter
    from chalicelib.directory.schemas import ConnectionCreate
    from chalicelib.models import DirectoryConnection

    boto3.client("ssm", region_name="eu-west-1").put_parameter(
        Name=token_parameter("bench"), Value=TOKEN, Type="SecureString", Overwrite=True)
    admin.create_connection("bench", ConnectionCreate(
        connection_id="bench", name="Bench", base_url=emulator.base_url, org_unit_id="leer-rijk",
        catalog_id=CATALOG, catalog_kind="dynamic"))
    for org_unit in SUPPLIERS:
        mapping.map_supplier("bench", f"sup-{org_unit}", org_unit)
    last = max(e["lastChange"] for e in emulator.entries())
    DirectoryConnection("bench").update(actions=[  # the previous sync got everything so far
        DirectoryConnection.cursor_at.set(datetime.fromisoformat(last.replace("Z", "+00:00"))),
        DirectoryConnection.cursor_key.set("~")])


def _measure(programs: int) -> dict[str, Any]:
    from chalicelib import models
    from chalicelib.catalogue import index as catalogue_index
    from chalicelib.directory import client, sync
    from chalicelib.models import CatalogueChunk, Counter
    from devstack.directory_emulator import DirectoryEmulator

    folder = Path(tempfile.mkdtemp(prefix="leer-rijk-bench-edudex-"))
    emulator = DirectoryEmulator(folder, token=TOKEN, org_unit_id="leer-rijk", catalog_id=CATALOG)
    emulator.start()
    try:
        with mock_aws():
            for model in models.ALL_MODELS:
                model._connection = None
            client.forget_tokens()
            catalogue_index.forget_cache()
            models.create_all_tables()
            _seed_catalogue(programs)
            emulator.add_entries([{"status": "active", "supplierId": SUPPLIERS[n % len(SUPPLIERS)],
                                   "programId": f"P-{n}", "clientId": None,
                                   "lastChange": BEFORE.strftime("%Y-%m-%dT%H:%M:%SZ")} for n in range(programs)])
            _connect(emulator)
            changed_at = datetime.now(UTC).replace(microsecond=0)
            emulator.publish_all([_document(SUPPLIERS[n % len(SUPPLIERS)], n, f"Opleiding {n}, vernieuwd", changed_at)
                                  for n in range(0, programs, programs // CHANGED)], at=changed_at)
            requests_before = len(emulator.requests)
            counter = ItemCounter()
            counter.install()
            try:
                result = sync.sync_now("bench")
            finally:
                import botocore.client

                botocore.client.BaseClient._make_api_call = counter._original
            pointer = Counter.get(catalogue_index.COUNTER_NAME)
            chunks = CatalogueChunk.count(str(pointer.extra["build_id"]))
    finally:
        emulator.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return {"programs": programs, "changed": result["counts"].get("stored", 0),
            "http": len(emulator.requests) - requests_before, "db_calls": counter.calls, "items": counter.items,
            "index_chunks": chunks, "outcome": result["outcome"]}


def measure() -> dict[str, Any]:
    return {"alone": _measure(PROGRAMS), "crowded": _measure(PROGRAMS * FACTOR),
            "at": datetime.now(UTC).isoformat()}


if __name__ == "__main__":
    print(json.dumps(measure()))
