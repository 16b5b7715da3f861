"""Worker for bench/search_base.py: builds and cold-loads the search index of 10,000 courses on moto.

`python bench/search_build_run.py <root>` imports `chalicelib` from `<root>` (this tree or an
exported base commit), so the same measurement runs against both codes. Prints one JSON object:
the build (index documents, publish) and the cold load (read the pointer and the chunks, build the
in-memory index, answer a first query), in ms of this process's CPU time (moto runs in this process;
wall time on the shared machine counts other processes too): the median of three builds and loads.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(sys.argv[1]).resolve()))
sys.path.insert(1, str(HERE))
from bench.offline import use_moto  # noqa: E402

use_moto()

from moto import mock_aws  # noqa: E402

COURSES = 10_000
REPEATS = 3


def main() -> None:
    from chalicelib import models
    from chalicelib.catalogue import index as catalogue_index
    from chalicelib.catalogue import search_rules
    from chalicelib.catalogue import use_cases as catalogue
    from chalicelib.models import Supplier

    print(f"chalicelib from {Path(models.__file__).parent}", file=sys.stderr)

    today = datetime.now(UTC).date()
    suppliers = {f"sup-{s}": Supplier(f"sup-{s}", name=f"Opleider {s}", kind="intern") for s in range(40)}
    stored = _courses(today)
    builds, colds = [], []
    with mock_aws():
        models.create_all_tables()
        for _ in range(REPEATS):
            started = time.process_time()
            docs = [catalogue.index_doc(course, suppliers[course.supplier_id], runs) for course, runs in stored]
            catalogue_index.replace_all(docs)
            builds.append((time.process_time() - started) * 1000)
            catalogue_index.forget_cache()
            started = time.process_time()
            index = catalogue_index.current()
            index.search("project", search_rules.Filters(), None, today.isoformat())
            colds.append((time.process_time() - started) * 1000)
    build_ms, cold_ms = statistics.median(builds), statistics.median(colds)
    print(json.dumps({"build_ms": build_ms, "cold_ms": cold_ms}))


def _courses(today: Any) -> list[Any]:
    """The bench catalogue; imported once chalicelib is loaded from `<root>` (search_run puts this tree
    first on the path)."""
    from bench.search_run import _course_docs

    return list(_course_docs(COURSES, today))


if __name__ == "__main__":
    main()
