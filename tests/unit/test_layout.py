"""The layout's rules, checked on the code itself (ARCHITECTURE "Layout"; issue "Structure").

Imports are read with `ast`, including imports inside functions, so a lazy import cannot slip by.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

CHALICELIB = ROOT / "chalicelib"
CAPABILITIES = {p.name for p in CHALICELIB.iterdir() if p.is_dir() and (p / "__init__.py").exists()} - {"api"}
PERSISTENCE = ("boto3", "botocore", "pynamodb", "chalice", "jinja2")


def _modules() -> Iterator[tuple[Path, str]]:
    for path in sorted(CHALICELIB.rglob("*.py")):
        yield path, ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _is_pure_rule_module(path: Path) -> bool:
    return path.stem in ("rules", "roles", "ipmask", "scrub") or path.stem.endswith("_rules")


def test_nothing_below_api_imports_chalice_or_the_http_layer() -> None:
    offenders = [
        f"{module} imports {name}"
        for path, module in _modules()
        if not module.startswith("chalicelib.api")
        for name in _imports(path)
        if name == "chalice" or name.startswith(("chalice.", "chalicelib.api"))
    ]
    assert offenders == []


def test_pure_rules_import_no_persistence_framework_or_clock() -> None:
    offenders = [
        f"{module} imports {name}"
        for path, module in _modules()
        if _is_pure_rule_module(path)
        for name in _imports(path)
        if name.split(".")[0] in PERSISTENCE or name in ("chalicelib.models", "chalicelib.platform.clock")
    ]
    assert offenders == []


def test_the_platform_imports_no_capability() -> None:
    offenders = [
        f"{module} imports {name}"
        for path, module in _modules()
        if module.startswith("chalicelib.platform")
        for name in _imports(path)
        if name.startswith("chalicelib.") and name.split(".")[1] in CAPABILITIES - {"platform"}
    ]
    assert offenders == []


def test_capabilities_call_each_other_only_through_what_each_package_names() -> None:
    offenders = []
    for path, module in _modules():
        own = module.split(".")[1] if "." in module else ""
        for name in _imports(path):
            parts = name.split(".")
            if len(parts) < 3 or parts[0] != "chalicelib" or parts[1] not in CAPABILITIES or parts[1] == own:
                continue
            public = importlib.import_module(f"chalicelib.{parts[1]}").__all__
            if parts[2] not in public:
                offenders.append(f"{module} uses chalicelib.{parts[1]}.{parts[2]}")
    assert offenders == []


def test_every_package_names_its_public_modules_and_they_exist() -> None:
    for capability in sorted(CAPABILITIES):
        package = importlib.import_module(f"chalicelib.{capability}")
        assert package.__doc__, capability
        for name in package.__all__:
            assert (CHALICELIB / capability / f"{name}.py").exists(), f"{capability}.{name}"


def test_every_job_has_a_written_out_scheduled_handler_with_its_cadence() -> None:
    from app import app
    from chalicelib import jobs
    from chalicelib.api import jobs as handlers

    for name, job in jobs.JOBS.items():
        handler = getattr(handlers, f"{name}_handler")
        assert app.handler_map[name] is handler or app.handler_map[name].__wrapped__ is handler
    schedules = {event.name: event.schedule_expression for event in app.event_sources}
    assert {name: (job.every_minutes, "MINUTES") for name, job in jobs.JOBS.items()} == {
        name: (expression.value, expression.unit) for name, expression in schedules.items()
    }


def test_no_module_registers_anything_as_a_side_effect_of_being_imported() -> None:
    """Registries are filled in chalicelib/wiring.py and app.py only."""
    offenders = []
    for path, module in _modules():
        text = path.read_text()
        for marker in ("RENDERERS[", ".AUTHENTICATORS.append", "globals()[", "SUBJECTS.update("):
            if marker in text:
                offenders.append(f"{module}: {marker}")
    assert offenders == []


def _room(module: str) -> str | None:
    """The layout's unit of layering: a capability package, `platform/`, `api/`, or a top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "chalicelib" else None


def _room_imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path, module in _modules():
        own = _room(module)
        if own is None:
            continue
        for name in _imports(path):
            other = _room(name)
            if other not in (None, own) and ((CHALICELIB / other).is_dir() or (CHALICELIB / f"{other}.py").exists()):
                graph.setdefault(own, set()).add(other)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every room that reaches itself again, with one path that shows how."""
    found = []
    for start in sorted(graph):
        trail: list[str] = []
        seen: set[str] = set()

        def walk(room: str) -> bool:
            for nxt in sorted(graph.get(room, ())):
                if nxt == start:
                    trail.append(nxt)
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    trail.append(nxt)
                    if walk(nxt):
                        return True
                    trail.pop()
            return False

        if walk(start):
            found.append([start, *trail])
    return found


def test_packages_form_layers_without_circles() -> None:
    """A lower package never imports a higher one (ARCHITECTURE "Layout"): a shared fact lives in the
    lower package or is passed in. Lazy imports count too, so a circle cannot hide inside a function."""
    assert _circles(_room_imports()) == []


def test_the_circle_check_sees_a_circle_between_capabilities() -> None:
    graph = {room: set(targets) for room, targets in _room_imports().items()}
    graph.setdefault("catalogue", set()).add("reviews")  # as the course page's rating summary once did
    assert ["catalogue", "reviews", "catalogue"] in _circles(graph)


def test_the_data_map_finds_its_tables_where_the_settings_say() -> None:
    """models.py reads the table prefix and region itself (it is the ground floor); never another place."""
    from chalicelib import models
    from chalicelib.platform.config import settings

    assert (settings.table_prefix, settings.region) == (models.TABLE_PREFIX, models.REGION)
