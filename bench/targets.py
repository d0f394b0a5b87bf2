"""The benchmark's targets, in one table: the report prints from it and a test checks the README against it."""

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Target:
    """One goal: a figure the benchmark reports, compared with a limit."""

    label: str  # as in the README's benchmark table
    figure: str  # key in the figures the benchmark returns
    compare: Callable[[Any, Any], bool]
    limit: float
    text: str  # the target as the README writes it

    def met(self, figures: dict[str, Any]) -> bool:
        """Return whether the run met this target."""
        return bool(self.compare(figures[self.figure], self.limit))


TARGETS = (
    Target(
        "capacity, advisor / echo updates per second (production run)", "capacity", operator.ge, 0.8, "≥ 0.8"
    ),
    Target("CPU per update, advisor / echo (production run)", "cpu_ratio", operator.le, 1.5, "≤ 1.5x"),
    Target("per-update latency p99 (in-process)", "p99_ms", operator.lt, 5.0, "< 5 ms"),
    Target("FAQ matching p95", "faq_p95_ms", operator.lt, 5.0, "< 5 ms"),
    Target(
        "RSS of a fresh process, 100,000 users stored", "rss_large_fresh_mb", operator.lt, 150, "< 150 MB"
    ),
    Target("start-up to first reply", "startup_s", operator.lt, 1.5, "< 1.5 s"),
    Target("per-update cost, 100k / 1k users stored", "scale_ratio", operator.le, 1.1, "≤ 1.1x"),
)
TARGET_FOR = {target.figure: target for target in TARGETS}
