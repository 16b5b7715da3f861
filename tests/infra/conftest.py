"""Package the prod stage once per session (`chalice package` + infra/resources.json).

Everything runs in subprocesses or on files, so the botocore patching of tests/functional does
not reach these tests. The first session on a fresh clone downloads the Lambda wheels from PyPI;
chalice caches them under .chalice/deployments, so later sessions work offline.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tools import package as packaging


@dataclass(frozen=True)
class Packaged:
    built: packaging.Package
    template: dict[str, Any]
    archive: zipfile.ZipFile

    def resources(self, kind: str) -> dict[str, dict[str, Any]]:
        return {name: r for name, r in self.template["Resources"].items() if r.get("Type") == kind}


@pytest.fixture(scope="session")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packaged]:
    built = packaging.package(tmp_path_factory.mktemp("package") / "dist")
    template = json.loads(built.template.read_text(encoding="utf-8"))
    with zipfile.ZipFile(built.zip) as archive:
        yield Packaged(built, template, archive)
