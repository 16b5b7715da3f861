"""Performance measurements as ratios (SPEC reference/performance-targets.md): `python -m bench`.

Each measurement module offers functions that yield `Metric`s; `bench/__main__.py` lists them and
prints one JSON object per metric and line. A metric with `ok=False` makes the run exit 1 after
everything is printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Metric:
    name: str
    value: Any
    ok: bool = True


MetricSource = Callable[[], Iterator[Metric]]
