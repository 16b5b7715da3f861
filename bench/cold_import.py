"""T1 and T2: the cold import of `app.py` against a dependency floor, and heavy modules it loads.

Every timing is the wall time of a fresh `python -c "import <module>"` process with warm `.pyc`
files. App and floor runs are interleaved in one session so machine load hits both alike; the
first run of each is discarded and the median of the rest (14) is kept.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from bench import Metric

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15  # 7 left the ratio moving 0.82-0.94 between runs on a shared 2-core machine
HEAVY_MODULES = ("jinja2", "pydantic", "jsonschema", "moto")
FORBIDDEN_MODULES = frozenset({"moto"})  # test-only: never importable from the deployed app
BREAKDOWN_TOP = 10

# The dependency floor (performance-targets T1): a Chalice hello world, one PynamoDB model and
# one boto3 DynamoDB client. What app.py costs above this is ours to explain.
FLOOR_SOURCE = '''\
import boto3
from chalice import Chalice
from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

app = Chalice(app_name="floor")


@app.route("/")
def index():
    return {"hello": "world"}


class Item(Model):
    class Meta:
        table_name = "floor-items"
        region = "eu-west-1"

    item_id = UnicodeAttribute(hash_key=True)


client = boto3.client("dynamodb", region_name="eu-west-1")
'''


def import_environment() -> dict[str, str]:
    """The local stage with fake credentials: nothing an import does may reach AWS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEERRIJK_", "AWS_", "PYTHON"))}
    env.update({
        "LEERRIJK_STAGE": "local",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_REGION": "eu-west-1",
    })
    return env


def _run(code: str, cwd: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, *flags, "-c", code], cwd=cwd, env=import_environment(), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"python -c {code!r} failed in {cwd}:\n{result.stderr}")
    return result


def _wall_ms(module: str, cwd: Path) -> float:
    start = time.perf_counter()
    _run(f"import {module}", cwd)
    return (time.perf_counter() - start) * 1000


def _median_after_warmup(samples: list[float]) -> float:
    return statistics.median(samples[1:])


def cold_import() -> Iterator[Metric]:
    """T1: median wall time of `import app` divided by the floor's, measured interleaved."""
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        floor_dir = Path(tmp)
        (floor_dir / "floor_app.py").write_text(FLOOR_SOURCE, encoding="utf-8")
        app_ms: list[float] = []
        floor_ms: list[float] = []
        for _ in range(RUNS):
            app_ms.append(_wall_ms("app", ROOT))
            floor_ms.append(_wall_ms("floor_app", floor_dir))
    app_median = _median_after_warmup(app_ms)
    floor_median = _median_after_warmup(floor_ms)
    yield Metric("cold_import_ratio", round(app_median / floor_median, 3))
    yield Metric("cold_import_ms_app", round(app_median, 1))
    yield Metric("cold_import_ms_floor", round(floor_median, 1))


def heavy_modules() -> Iterator[Metric]:
    """T2: which optional heavy modules `import app` loads; moto there fails the run."""
    code = f"import json, sys, app; print(json.dumps([m for m in {HEAVY_MODULES!r} if m in sys.modules]))"
    loaded = json.loads(_run(code, ROOT).stdout.strip().splitlines()[-1])
    yield Metric("heavy_modules_at_import", loaded, ok=not FORBIDDEN_MODULES & set(loaded))


_IMPORTTIME = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def import_breakdown() -> Iterator[Metric]:
    """Own import time (`-X importtime` self µs) of `import app`, summed per top-level package."""
    stderr = _run("import app", ROOT, "-X", "importtime").stderr
    per_package: dict[str, int] = defaultdict(int)
    for line in stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if match:
            per_package[match.group(4).split(".")[0]] += int(match.group(1))
    top = sorted(per_package.items(), key=lambda item: item[1], reverse=True)[:BREAKDOWN_TOP]
    yield Metric("import_self_ms_by_package", {name: round(us / 1000, 1) for name, us in top})
