"""The search index's build and cold load against a base commit (issue 27: within 1.2x of `main`).

The base commit's `chalicelib` is exported with `git archive` into a temporary folder (no
worktree, nothing written to the repository) and bench/search_build_run.py runs against it and
against this tree, alternately, so the load of the machine falls on both alike; the medians are
compared. BENCH_BASE_REF names the base (default `main`; after a merge it compares `main` with
itself).
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench import Metric

ROOT = Path(__file__).resolve().parent.parent
WORKER = ROOT / "bench" / "search_build_run.py"
ROUNDS = 4
AIM = 1.2


def search_base() -> Iterator[Metric]:
    ref = os.environ.get("BENCH_BASE_REF", "main")
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref, "chalicelib"],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        yield Metric("search_base_error", archive.stderr.decode()[-500:], ok=False)
        return
    with tempfile.TemporaryDirectory(prefix="leerrijk-base-") as base:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(base, filter="data")
        runs: dict[str, list[dict[str, float]]] = {"base": [], "this": []}
        for _ in range(ROUNDS):
            for name, root in (("base", base), ("this", str(ROOT))):
                done = subprocess.run([sys.executable, str(WORKER), root], cwd=ROOT, capture_output=True,
                                      text=True, check=False)
                if done.returncode != 0:
                    yield Metric("search_base_error", f"{name}: {done.stderr[-1500:]}", ok=False)
                    return
                runs[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
    for figure in ("build_ms", "cold_ms"):
        base_ms = statistics.median(run[figure] for run in runs["base"])
        this_ms = statistics.median(run[figure] for run in runs["this"])
        label = {"build_ms": "search_index_build", "cold_ms": "search_cold_load"}[figure]
        yield Metric(f"{label}_ms_base_and_this", [round(base_ms, 1), round(this_ms, 1)])
        yield Metric(f"{label}_over_{ref}", round(this_ms / base_ms, 2), ok=this_ms / base_ms <= AIM)
