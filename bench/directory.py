"""The directory sync reads what changed, not what exists (issue 26, R_DEX_01): per changed program, the
directory's HTTP requests plus the DynamoDB calls of a sync of 100 changes out of 10,000 programs; and the
items read with 10,000 programs over those with 1,000, the same 100 changed (aim ≤ 1.05). Counted, not timed."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bench import Metric

ROOT = Path(__file__).resolve().parent.parent
AIM = 1.05


def directory() -> Iterator[Metric]:
    done = subprocess.run([sys.executable, "-m", "bench.directory_run"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        yield Metric("directory_error", done.stderr[-2000:], ok=False)
        return
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    alone, crowded = measured["alone"], measured["crowded"]
    per_program = round((crowded["http"] + crowded["db_calls"]) / max(crowded["changed"], 1), 2)
    yield Metric("directory_sync_calls_per_changed_program", per_program,
                 ok=alone["changed"] == crowded["changed"] == 100 and alone["outcome"] == "done")
    ratio = round(crowded["items"] / max(alone["items"], 1), 3)
    yield Metric("directory_sync_items_read_ratio_10x", ratio, ok=ratio <= AIM)
    yield Metric("directory_sync_counts", {
        name: {key: run[key] for key in ("programs", "changed", "http", "db_calls", "items", "index_chunks")}
        for name, run in (("alone", alone), ("with_10x_unchanged", crowded))})
