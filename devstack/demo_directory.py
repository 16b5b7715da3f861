"""The local stack's EDU-DEX directory (R_DEX_04): the emulator with the demo catalogue, connected like a
real directory, and the demo catalogue brought in by a real sync.

At every start the emulator's folder (`build/edudex/` for `make run`) is written afresh with the demo
programs (their runs lie in the coming year), plus two programs of a training supplier that has no
profile in Leer-Rijk: they stay held for CFB (R_DEX_03). Then, as an operator and CFB would: the bearer
token goes into (moto's) SSM, CFB connects the catalog and maps the four demo suppliers, the webhook is
registered, and one sync runs through the job's own code. The `/_dev/edudex` page changes a program in
the emulator and fires the webhook, so the change can be watched arriving (the minute job picks it up).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from devstack.directory_emulator import DirectoryEmulator
from devstack.edudex_builder import Run, program

CONNECTION = "edudex-demo"
ORG_UNIT = "leer-rijk"
CATALOG = "5e1f1d0a-3c2b-4b7e-9a51-0c1e2f3a4b5c"
TOKEN = "local-emulator-token-not-secret"
UNMAPPED_SUPPLIER = "trainingsbureau-noord"

_running: list[DirectoryEmulator] = []
_for_the_stack: list[bool] = [False]


def start(folder: Path, for_the_stack: bool = True) -> DirectoryEmulator:
    """A fresh emulator serving `folder` (emptied first), on the stack's clock (`/_dev/clock` moves it too)."""
    from chalicelib.platform import clock

    stop()
    shutil.rmtree(folder, ignore_errors=True)
    emulator = DirectoryEmulator(folder, token=TOKEN, org_unit_id=ORG_UNIT, catalog_id=CATALOG, kind="dynamic",
                                 clock=clock.now)
    emulator.start()
    _running[:] = [emulator]
    _for_the_stack[0] = for_the_stack
    return emulator


def running() -> DirectoryEmulator | None:
    return _running[0] if _running else None


def stop() -> None:
    for emulator in _running:
        emulator.stop()
    _running.clear()


def _started() -> DirectoryEmulator:
    """The stack's emulator; or, when the seed runs elsewhere (a test), a fresh one in a temporary folder."""
    emulator = running()
    if emulator is not None and _for_the_stack[0]:
        return emulator
    folder = Path(tempfile.mkdtemp(prefix="leer-rijk-edudex-"))
    atexit.register(shutil.rmtree, folder, True)
    atexit.register(stop)
    return start(folder, for_the_stack=False)


def seed_catalogue() -> dict[str, int]:
    """Publish the demo catalogue in the emulator and bring it into the stack by a sync."""
    from chalicelib.directory import sync
    from chalicelib.platform import clock
    from devstack.demo_catalogue import SUPPLIERS, documents

    emulator = _started()
    today = clock.today()
    emulator.publish_all([doc for _, _, doc in documents(today)] + held_documents(today))
    _connect(emulator, SUPPLIERS)
    result = sync.sync_now(CONNECTION)
    counts: dict[str, int] = result.get("counts", {})
    return {"courses": counts.get("stored", 0), "held EDU-DEX programs": counts.get("held", 0)}


def _connect(emulator: DirectoryEmulator, suppliers: tuple[str, ...]) -> None:
    import boto3

    from chalicelib.directory import admin, hooks, mapping
    from chalicelib.directory.client import token_parameter
    from chalicelib.directory.schemas import ConnectionCreate
    from chalicelib.platform.config import settings

    boto3.client("ssm", region_name=settings.region).put_parameter(
        Name=token_parameter(CONNECTION), Value=emulator.token, Type="SecureString", Overwrite=True)
    admin.create_connection("seed", ConnectionCreate(
        connection_id=CONNECTION, name="EDU-DEX (lokale emulator)", base_url=emulator.base_url,
        org_unit_id=ORG_UNIT, catalog_id=CATALOG, catalog_kind="dynamic"))
    for supplier_id in suppliers:  # in the demo, a supplier's orgUnitId in EDU-DEX is its Leer-Rijk id
        mapping.map_supplier("seed", supplier_id, supplier_id)
    hooks.register(CONNECTION, settings.portal_origin)


def held_documents(today: date) -> list[dict[str, Any]]:
    """Programs of a supplier CFB has not admitted: held, listed on /beheer/edudex/."""
    start = today + timedelta(days=45)
    return [
        program(UNMAPPED_SUPPLIER, "TBN-01", "Veranderkundig adviseren",
                "Adviseren bij veranderingen in teams en organisaties.",
                "Modellen en gesprekstechnieken voor interne adviseurs.",
                runs=[Run("TBN-01-1", start, start + timedelta(days=1), "Groningen", price_eur="1150.00")],
                theme="T6", last_edited=f"{today.isoformat()}T08:00:00Z"),
        program(UNMAPPED_SUPPLIER, "TBN-02", "Schrijven voor het web",
                "Korte, vindbare teksten voor websites en intranet.",
                "Schrijven voor lezers die scannen, met oefeningen op eigen teksten.",
                runs=[Run("TBN-02-1", start + timedelta(days=14), start + timedelta(days=14), "Zwolle",
                          price_eur="425.00")],
                theme="T2", last_edited=f"{today.isoformat()}T08:00:00Z"),
    ]


def change_program(emulator: DirectoryEmulator, supplier_id: str, program_id: str) -> str:
    """The dev page's change: the first run costs 10 euro more and the name says when; fires the webhook."""
    from chalicelib.platform import clock

    def edit(document: dict[str, Any]) -> None:
        run = document["programSchedule"]["programRun"][0]
        cost = run["cost"][0]
        cost["amount"] = f"{float(cost['amount']) + 10:.2f}"
        name = document["programDescriptions"]["programName"]
        base = name["nl"].split(" (gewijzigd", 1)[0]
        name["nl"] = f"{base} (gewijzigd {clock.now().astimezone(clock.AMSTERDAM):%H:%M:%S})"

    emulator.change(supplier_id, program_id, edit)
    emulator.fire_webhooks()
    return str(emulator.document(supplier_id, program_id)["programDescriptions"]["programName"]["nl"])


def withdraw_program(emulator: DirectoryEmulator, supplier_id: str, program_id: str) -> None:
    emulator.set_status(supplier_id, program_id, "removed")
    emulator.fire_webhooks()
