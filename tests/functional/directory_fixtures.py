"""The EDU-DEX directory in tests: the local emulator started in-process on a free loopback port, its bearer
token in (moto's) SSM, and a connection made through CFB's route (R_DEX_01-04)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.access import Access
from chalicelib.directory import client as directory_client
from chalicelib.platform import clock
from chalicelib.platform.config import settings
from devstack.directory_emulator import DirectoryEmulator
from devstack.edudex_builder import Run, program
from tests.functional.helpers import acting_as
from tests.functional.privacy_fixtures import run_job

ORG_UNIT = "leer-rijk"
CATALOG = "0b6f3c52-7a51-4c1e-9d7e-2f4a7e0c9a11"
CONNECTION = "edudex"
TOKEN = "emulator-token-not-secret"
JSON = {"Content-Type": "application/json"}


@dataclass
class Directory:
    emulator: DirectoryEmulator
    client: Client

    def sync(self, job: str = "sync_directory") -> Any:
        return run_job(self.client, job)

    def cfb(self, method: str, path: str, body: Any = None) -> Any:
        with acting_as(Access.CFB, subject_id="acc-cfb"):
            return self.client.http.request(method, path, headers=JSON,
                                            body=b"" if body is None else json.dumps(body).encode())


def connect(client: Client, emulator: DirectoryEmulator, connection_id: str = CONNECTION) -> None:
    boto3.client("ssm", region_name=settings.region).put_parameter(
        Name=directory_client.token_parameter(connection_id), Value=emulator.token, Type="SecureString",
        Overwrite=True)
    with acting_as(Access.CFB, subject_id="acc-cfb"):
        response = client.http.post("/admin/directory/connections", headers=JSON, body=json.dumps({
            "connection_id": connection_id, "name": "EDU-DEX (emulator)", "base_url": emulator.base_url,
            "org_unit_id": emulator.org_unit_id, "catalog_id": emulator.catalog_id,
            "catalog_kind": emulator.kind}))
    assert response.status_code == 201, response.body


@pytest.fixture
def directory(client: Client, tmp_path: Path) -> Iterator[Directory]:
    directory_client.forget_tokens()
    emulator = DirectoryEmulator(tmp_path / "edudex", token=TOKEN, org_unit_id=ORG_UNIT, catalog_id=CATALOG)
    emulator.start()
    connect(client, emulator)
    try:
        yield Directory(emulator, client)
    finally:
        emulator.stop()
        directory_client.forget_tokens()


def edudex_program(supplier: str, program_id: str, name: str = "Projectmatig werken", *,
                   price: str = "495.00", start_in_days: int = 40, **extra: Any) -> dict[str, Any]:
    start = clock.today() + timedelta(days=start_in_days)
    runs = [Run(f"{program_id}-1", start, start + timedelta(days=1), "Utrecht", price_eur=price, seats=12)]
    return program(supplier, program_id, name, "Grip op projecten.", "Plannen, sturen en afronden.", runs=runs,
                   last_edited=f"{date.today().isoformat()}T08:00:00Z", **extra)
