"""The API against its own local stack (`python -m devstack` on a free port), apart from the browser
tests' stack: the fuzzer changes data (as CFB it creates organisations, suppliers and keys)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.browser.conftest import Stack, _free_port, _stop_group, _wait_until_healthy
from tests.conftest import ROOT


@pytest.fixture(scope="session")
def api_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    port = _free_port()
    log = tmp_path_factory.mktemp("api-stack") / "devstack.log"
    env = {**os.environ, "PORT": str(port), "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "devstack"], env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True,
                                   cwd=ROOT)
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(process, base_url, log)
        yield Stack(base_url, log)
    finally:
        _stop_group(process)
