"""The deployment zip ships the app and its runtime dependencies, nothing of the local stack."""

from __future__ import annotations

from tests.infra.conftest import Packaged

NEVER_SHIPPED = {"moto", "devstack", "tests", "tools", "bench", "portal", "templates", "node_modules", "infra"}


def top_level_names(packaged: Packaged) -> set[str]:
    return {name.split("/", 1)[0] for name in packaged.archive.namelist()}


def test_zip_holds_no_test_tooling_or_local_stack(packaged: Packaged) -> None:
    shipped = top_level_names(packaged)
    assert shipped & NEVER_SHIPPED == set()
    assert [n for n in shipped if n.startswith("moto-")] == []


def test_zip_holds_the_app_and_its_runtime_templates(packaged: Packaged) -> None:
    names = set(packaged.archive.namelist())
    assert {"app.py", "chalicelib/__init__.py", "chalice/app.py"} <= names


def test_no_dev_routes_in_deployed_code(packaged: Packaged) -> None:
    """Nothing under /_dev (local mailbox, job triggers) exists in app.py or chalicelib/ (ARCHITECTURE Paths)."""
    app_code = [n for n in packaged.archive.namelist()
                if n.endswith(".py") and (n == "app.py" or n.startswith("chalicelib/"))]
    assert app_code
    offending = [n for n in app_code if b"/_dev" in packaged.archive.read(n)]
    assert offending == []
    paths = packaged.template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    assert [p for p in paths if p.startswith("/_dev")] == []
